// `tt.optimizers`: gradient-based updates of variables, as Keras's optimizers.
export { Optimizer, type GradsAndVars } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, type AdamOptions } from './adam.js';
