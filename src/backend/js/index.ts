// The pure-TypeScript backend: every kernel, on typed arrays; runs everywhere and is the reference
// the faster backends are tested against.

import { registerReferenceBackend, type Kernels } from '../backend.js';
import {
  binaryKernel,
  relu,
  roundHalfEven,
  select,
  sigmoid,
  softplus,
  unaryKernel,
} from './elementwise.js';
import { batchMatMul } from './matmul.js';
import { broadcastTo, cast, concat, fill, pad, share, slice, transpose } from './movement.js';
import { max, min, prod, sum } from './reduce.js';
import { catalogueKernels } from './catalogue.js';
import { advancedKernels } from './advanced.js';

export const jsKernels: Kernels = {
  Neg: unaryKernel((x) => -x),
  Abs: unaryKernel(Math.abs),
  Sign: unaryKernel((x) => (x > 0 ? 1 : x < 0 ? -1 : x)),
  Square: unaryKernel((x) => x * x),
  Sqrt: unaryKernel(Math.sqrt),
  Rsqrt: unaryKernel((x) => 1 / Math.sqrt(x)),
  Reciprocal: unaryKernel((x) => 1 / x),
  Exp: unaryKernel(Math.exp),
  Expm1: unaryKernel(Math.expm1),
  Log: unaryKernel(Math.log),
  Log1p: unaryKernel(Math.log1p),
  Sin: unaryKernel(Math.sin),
  Cos: unaryKernel(Math.cos),
  Tan: unaryKernel(Math.tan),
  Sigmoid: unaryKernel(sigmoid),
  Tanh: unaryKernel(Math.tanh),
  Softplus: unaryKernel(softplus),
  Relu: unaryKernel(relu),
  Floor: unaryKernel(Math.floor),
  Ceil: unaryKernel(Math.ceil),
  Round: unaryKernel(roundHalfEven),
  LogicalNot: unaryKernel((x) => (x ? 0 : 1)),
  AddV2: binaryKernel((a, b) => a + b),
  Sub: binaryKernel((a, b) => a - b),
  Mul: binaryKernel((a, b) => a * b),
  RealDiv: binaryKernel((a, b) => a / b),
  Pow: binaryKernel(Math.pow),
  Maximum: binaryKernel((a, b) => (a >= b || a !== a ? a : b)),
  Minimum: binaryKernel((a, b) => (a <= b || a !== a ? a : b)),
  Greater: binaryKernel((a, b) => (a > b ? 1 : 0)),
  GreaterEqual: binaryKernel((a, b) => (a >= b ? 1 : 0)),
  Less: binaryKernel((a, b) => (a < b ? 1 : 0)),
  LessEqual: binaryKernel((a, b) => (a <= b ? 1 : 0)),
  Equal: binaryKernel((a, b) => (a === b ? 1 : 0)),
  NotEqual: binaryKernel((a, b) => (a !== b ? 1 : 0)),
  LogicalAnd: binaryKernel((a, b) => (a && b ? 1 : 0)),
  LogicalOr: binaryKernel((a, b) => (a || b ? 1 : 0)),
  SelectV2: select,
  Sum: sum,
  Max: max,
  Min: min,
  Prod: prod,
  Cast: cast,
  Reshape: share,
  Transpose: transpose,
  BroadcastTo: broadcastTo,
  Identity: share,
  Fill: fill,
  Slice: slice,
  PadV2: pad,
  ConcatV2: concat,
  BatchMatMulV2: batchMatMul,
  ...catalogueKernels,
  ...advancedKernels,
};

registerReferenceBackend({ name: 'js', kernels: jsKernels });
