// The pure-TypeScript backend: every kernel, on typed arrays; runs everywhere and is the reference
// the faster backends are tested against.

import { registerReferenceBackend, type Kernels } from '../backend.js';
import {
  binaryKernel,
  float32Or,
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

const fround = Math.fround;

export const jsKernels: Kernels = {
  Neg: unaryKernel(
    (x) => -x,
    (x, y, n) => {
      for (let i = 0; i < n; i++) y[i] = -x[i];
    },
  ),
  Abs: unaryKernel(Math.abs, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]);
  }),
  Sign: unaryKernel((x) => (x > 0 ? 1 : x < 0 ? -1 : x)),
  Square: unaryKernel(
    (x) => x * x,
    (x, y, n) => {
      for (let i = 0; i < n; i++) y[i] = x[i] * x[i];
    },
  ),
  Sqrt: unaryKernel(Math.sqrt, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]);
  }),
  Rsqrt: unaryKernel((x) => 1 / Math.sqrt(x)),
  Reciprocal: unaryKernel((x) => 1 / x),
  Exp: unaryKernel(Math.exp, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]);
  }),
  Expm1: unaryKernel(Math.expm1),
  Log: unaryKernel(Math.log, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.log(x[i]);
  }),
  Log1p: unaryKernel(Math.log1p),
  Sin: unaryKernel(Math.sin, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.sin(x[i]);
  }),
  Cos: unaryKernel(Math.cos, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.cos(x[i]);
  }),
  Tan: unaryKernel(Math.tan),
  Sigmoid: unaryKernel(sigmoid, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = sigmoid(x[i]);
  }),
  Tanh: unaryKernel(Math.tanh, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
  }),
  Softplus: unaryKernel(softplus),
  Relu: unaryKernel(relu, (x, y, n) => {
    for (let i = 0; i < n; i++) y[i] = relu(x[i]);
  }),
  // The gradients of tanh, sigmoid and relu, one pass each. In float32 every step rounds to
  // float32, as the separate ops they replace would (so results do not change with the fusion).
  TanhGrad: float32Or(
    binaryKernel(
      (t, dt) => dt * fround(1 - fround(t * t)),
      (y, o, a, pa, ia, b, pb, ib, n) => {
        for (let i = 0; i < n; i++, pa += ia, pb += ib)
          y[o + i] = b[pb] * fround(1 - fround(a[pa] * a[pa]));
      },
    ),
    binaryKernel(
      (t, dt) => dt * (1 - t * t),
      (y, o, a, pa, ia, b, pb, ib, n) => {
        for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = b[pb] * (1 - a[pa] * a[pa]);
      },
    ),
  ),
  SigmoidGrad: float32Or(
    binaryKernel(
      (s, ds) => ds * fround(s * fround(1 - s)),
      (y, o, a, pa, ia, b, pb, ib, n) => {
        for (let i = 0; i < n; i++, pa += ia, pb += ib)
          y[o + i] = b[pb] * fround(a[pa] * fround(1 - a[pa]));
      },
    ),
    binaryKernel(
      (s, ds) => ds * (s * (1 - s)),
      (y, o, a, pa, ia, b, pb, ib, n) => {
        for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = b[pb] * (a[pa] * (1 - a[pa]));
      },
    ),
  ),
  ReluGrad: binaryKernel(
    (dx, x) => dx * (x > 0 ? 1 : 0),
    (y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = a[pa] * (b[pb] > 0 ? 1 : 0);
    },
  ),
  Floor: unaryKernel(Math.floor),
  Ceil: unaryKernel(Math.ceil),
  Round: unaryKernel(roundHalfEven),
  LogicalNot: unaryKernel((x) => (x ? 0 : 1)),
  AddV2: binaryKernel(
    (a, b) => a + b,
    (y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = a[pa] + b[pb];
    },
  ),
  Sub: binaryKernel(
    (a, b) => a - b,
    (y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = a[pa] - b[pb];
    },
  ),
  Mul: binaryKernel(
    (a, b) => a * b,
    (y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = a[pa] * b[pb];
    },
  ),
  RealDiv: binaryKernel(
    (a, b) => a / b,
    (y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = a[pa] / b[pb];
    },
  ),
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
