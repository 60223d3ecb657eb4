// `tt.layers`: Keras-style layers that build their weights on first use.
export { Layer, type ApplyOptions } from './layer.js';
export { Dense, type DenseOptions, type Activation } from './dense.js';
export { BatchNormalization, type BatchNormalizationOptions } from './batch_norm.js';
export type { Initializer } from './initializers.js';
