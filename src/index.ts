// tensortape's public surface: `import * as tt from 'tensortape'`.

import './backend/js/index.js';
import './backend/wasm/index.js';
import './ops/methods.js';

export { Tensor } from './tensor.js';
export { Variable, variable, type VariableOptions } from './variable.js';
export {
  tensor,
  scalar,
  tensor as constant,
  type TensorLike,
  type NestedArray,
} from './convert.js';
export type { DType, TypedArray } from './dtype.js';
export * from './ops/index.js';
export * as random from './random.js';
export {
  setBackend,
  getBackend,
  backends,
  ready,
  registerBackend,
  type Backend,
} from './backend/backend.js';

export {
  GradientTape,
  record,
  UnconnectedGradients,
  type GradientTapeOptions,
  type GradientOptions,
} from './core/tape.js';
export { ForwardAccumulator } from './core/forward.js';
export {
  customGradient,
  defineOp,
  type CustomGradientContext,
  type CustomGradientResult,
  type OpDefinition,
  type OpInput,
} from './core/custom_gradient.js';
export {
  registerGradient,
  gradientOverride,
  noGradient,
  LookupError,
  type GradientFunction,
  type GradientOp,
} from './core/registry.js';
export { vmap } from './core/vmap.js';
export * as test from './testing/index.js';
export * as math from './ns/math.js';
export * as nn from './ns/nn.js';
export { sum as reduceSum, mean as reduceMean } from './ops/index.js';
export { formatValues } from './ops/format.js';
export * as linalg from './ns/linalg.js';
export * from './api_catalogue.js';
export * from './api_advanced.js';
export * from './memory.js';
