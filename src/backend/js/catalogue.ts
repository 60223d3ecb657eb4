// Reference kernels of the op catalogue's primitives (merged into the pure-TypeScript backend),
// and their names, merged into the backend's KernelRegistry so a missing kernel fails to compile.

import { allocate } from '../../dtype.js';
import type { Kernel } from '../backend.js';
import { argMax, argMin, logSoftmax, softmax, type AxisAttrs } from './along_axis.js';
import { binaryKernel, unaryKernel } from './elementwise.js';
import {
  gather,
  oneHot,
  reverse,
  stridedSlice,
  stridedSliceGrad,
  tile,
  unsortedSegmentSum,
  type GatherAttrs,
  type OneHotAttrs,
  type ReverseAttrs,
  type SegmentSumAttrs,
  type StridedSliceAttrs,
  type TileAttrs,
} from './indexing.js';
import { erf, erfc } from './special.js';
import { sum as sumKernel } from './reduce.js';

declare module '../backend.js' {
  interface KernelRegistry {
    Asin: Kernel;
    Acos: Kernel;
    Atan: Kernel;
    Sinh: Kernel;
    Cosh: Kernel;
    Asinh: Kernel;
    Acosh: Kernel;
    Atanh: Kernel;
    Erf: Kernel;
    Erfc: Kernel;
    Relu6: Kernel;
    Relu6Grad: Kernel;
    Elu: Kernel;
    Selu: Kernel;
    LeakyRelu: Kernel<LeakyReluAttrs>;
    LeakyReluGrad: Kernel<LeakyReluAttrs>;
    IsFinite: Kernel;
    IsNan: Kernel;
    IsInf: Kernel;
    Atan2: Kernel;
    SquaredDifference: Kernel;
    FloorDiv: Kernel;
    FloorMod: Kernel;
    ArgMax: Kernel<AxisAttrs>;
    ArgMin: Kernel<AxisAttrs>;
    Any: Kernel;
    All: Kernel;
    Softmax: Kernel<AxisAttrs>;
    LogSoftmax: Kernel<AxisAttrs>;
    GatherV2: Kernel<GatherAttrs>;
    UnsortedSegmentSum: Kernel<SegmentSumAttrs>;
    OneHot: Kernel<OneHotAttrs>;
    StridedSlice: Kernel<StridedSliceAttrs>;
    StridedSliceGrad: Kernel<StridedSliceAttrs>;
    ReverseV2: Kernel<ReverseAttrs>;
    Tile: Kernel<TileAttrs>;
  }
}

export interface LeakyReluAttrs {
  readonly alpha: number;
}

/** SELU's constants (Klambauer et al. 2017), as TF uses them. */
export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

const leakyRelu: Kernel<LeakyReluAttrs> = (inputs, attrs, out) => {
  const x = inputs[0].values();
  const y = allocate(out[0].dtype, x.length);
  const alpha = attrs.alpha;
  for (let i = 0; i < x.length; i++) y[i] = x[i] > 0 ? x[i] : x[i] * alpha;
  return y;
};

/** dy where x > 0, else alpha·dy (alpha in the output's dtype, as TF casts it). */
const leakyReluGrad: Kernel<LeakyReluAttrs> = (inputs, attrs, out) => {
  const alpha = out[0].dtype === 'float32' ? Math.fround(attrs.alpha) : attrs.alpha;
  return binaryKernel((dy, x) => (x > 0 ? dy : dy * alpha))(inputs, attrs, out);
};

/** Integer division rounding toward -inf (and float division floored), as TF's FloorDiv. */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** The remainder with the divisor's sign, as TF's FloorMod (Python's %). */
function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** Any/All over axes: the Sum kernel counts true values (bool inputs are 0/1). */
const anyKernel: Kernel = (inputs, attrs, out) => {
  const s = sumKernel(inputs, attrs, [{ shape: out[0].shape, dtype: 'float64' }]);
  const y = allocate('bool', s.length);
  for (let i = 0; i < s.length; i++) y[i] = s[i] > 0 ? 1 : 0;
  return y;
};

const allKernel: Kernel = (inputs, attrs, out) => {
  const s = sumKernel(inputs, attrs, [{ shape: out[0].shape, dtype: 'float64' }]);
  const n = s.length === 0 ? 0 : inputs[0].size / s.length;
  const y = allocate('bool', s.length);
  for (let i = 0; i < s.length; i++) y[i] = s[i] === n ? 1 : 0;
  return y;
};

export const catalogueKernels = {
  Asin: unaryKernel(Math.asin),
  Acos: unaryKernel(Math.acos),
  Atan: unaryKernel(Math.atan),
  Sinh: unaryKernel(Math.sinh),
  Cosh: unaryKernel(Math.cosh),
  Asinh: unaryKernel(Math.asinh),
  Acosh: unaryKernel(Math.acosh),
  Atanh: unaryKernel(Math.atanh),
  Erf: unaryKernel(erf),
  Erfc: unaryKernel(erfc),
  Relu6: unaryKernel((x) => (x !== x ? x : Math.min(Math.max(x, 0), 6))),
  Elu: unaryKernel((x) => (x > 0 ? x : Math.expm1(x))),
  Selu: unaryKernel((x) => (x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x))),
  LeakyRelu: leakyRelu,
  // dy · [0 < x < 6], a product as in TF (so a NaN or infinite dy gives NaN where x is outside)
  Relu6Grad: binaryKernel((dy, x) => dy * (x > 0 && x < 6 ? 1 : 0)),
  LeakyReluGrad: leakyReluGrad,
  IsFinite: unaryKernel((x) => (Number.isFinite(x) ? 1 : 0)),
  IsNan: unaryKernel((x) => (x !== x ? 1 : 0)),
  IsInf: unaryKernel((x) => (x === Infinity || x === -Infinity ? 1 : 0)),
  Atan2: binaryKernel(Math.atan2),
  SquaredDifference: binaryKernel((a, b) => (a - b) * (a - b)),
  FloorDiv: binaryKernel(floorDiv),
  FloorMod: binaryKernel(floorMod),
  ArgMax: argMax,
  ArgMin: argMin,
  Any: anyKernel,
  All: allKernel,
  Softmax: softmax,
  LogSoftmax: logSoftmax,
  GatherV2: gather,
  UnsortedSegmentSum: unsortedSegmentSum,
  OneHot: oneHot,
  StridedSlice: stridedSlice,
  StridedSliceGrad: stridedSliceGrad,
  ReverseV2: reverse,
  Tile: tile,
} satisfies Record<string, Kernel>;
