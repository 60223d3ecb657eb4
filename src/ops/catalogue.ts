// The op catalogue: the primitives' op functions beyond the core ones, and the ops TF itself
// composes from primitives (clipByValue, clipByNorm, norm, logSumExp, gelu, dot), written the way
// TF writes them so values and gradients match TF's, including at zeros and ties. Re-exported by
// ops/index.ts.

import { convert, convertPair, type TensorLike } from '../convert.js';
import { NUMERIC, isFloat } from '../dtype.js';
import { broadcastShapes, normalizeAxes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { stopGradient } from '../prims/cast.js';
import {
  add,
  div,
  exp,
  greater,
  log,
  mul,
  neg,
  onesLike,
  pow,
  sqrt,
  sub,
  where,
  zerosLike,
} from '../prims/elementwise.js';
import { matMul } from '../prims/linalg.js';
import { abs, erfc, isFinite, maximum, minimum } from '../prims/math.js';
import { max, sum } from '../prims/reduce.js';
import { reshape, squeeze } from '../prims/shape.js';
import { tanh } from '../prims/elementwise.js';

export {
  abs,
  sign,
  rsqrt,
  reciprocal,
  expm1,
  log1p,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  erf,
  erfc,
  floor,
  ceil,
  round,
  isFinite,
  isNaN,
  isInf,
  maximum,
  minimum,
  squaredDifference,
  atan2,
  floorDiv,
  mod,
} from '../prims/math.js';
export {
  softplus,
  relu6,
  elu,
  selu,
  leakyRelu,
  softmax,
  logSoftmax,
} from '../prims/activations.js';
export { max, min, prod, any, all, argMax, argMin } from '../prims/reduce.js';
export { split, tile, reverse } from '../prims/shape.js';
export {
  gather,
  unsortedSegmentSum,
  oneHot,
  stridedSlice,
  index,
  type IndexEntry,
  type OneHotOptions,
} from '../prims/indexing.js';

// ---- compositions -------------------------------------------------------------------------------

/**
 * Clips values to `[clipValueMin, clipValueMax]`: `maximum(minimum(x, max), min)`, as TF writes
 * it, so the gradient is 1 at the bounds themselves (ties go to `x`) and flows into the bounds
 * where they clip. The bounds may be tensors that broadcast to `x`'s shape, not beyond it.
 *
 * @example
 * tt.clipByValue([-2, 0.5, 3], 0, 1).array(); // [0, 0.5, 1]
 */
export function clipByValue(
  x: TensorLike,
  clipValueMin: TensorLike,
  clipValueMax: TensorLike,
): Tensor {
  const where_ = 'clipByValue';
  const t = convert(x, undefined, where_);
  const lo = convert(clipValueMin, t.dtype, `${where_} (clipValueMin)`);
  const hi = convert(clipValueMax, t.dtype, `${where_} (clipValueMax)`);
  for (const [name, b] of [
    ['clipValueMin', lo],
    ['clipValueMax', hi],
  ] as const) {
    const s = broadcastShapes(t.shape, b.shape);
    if (s === null || !shapesEqual(s, t.shape)) {
      throw new RangeError(
        `${where_}: ${name} of shape [${b.shape.join(', ')}] does not broadcast to x's shape [${t.shape.join(', ')}]`,
      );
    }
  }
  return maximum(minimum(t, hi), lo);
}

/**
 * Rescales `x` so that its L2 norm over `axes` (default all) is at most `clipNorm`:
 * `x · clipNorm / max(‖x‖, clipNorm)`, as TF computes it (a zero `x` stays zero, with a finite
 * gradient).
 *
 * @example
 * tt.clipByNorm([3, 4], 1).array(); // [0.6, 0.8]
 */
export function clipByNorm(
  x: TensorLike,
  clipNorm: TensorLike,
  axes?: number | number[] | null,
): Tensor {
  const where_ = 'clipByNorm';
  const t = convert(x, undefined, where_);
  checkFloat(t, where_);
  const c = convert(clipNorm, t.dtype, `${where_} (clipNorm)`);
  const a = normalizeAxes(axes, t.rank, where_);
  const l2sum = sum(mul(t, t), a, true);
  const positive = greater(l2sum, 0);
  // The square root only sees positive values, so its gradient is finite even at x = 0.
  const l2sumSafe = where(positive, l2sum, onesLike(l2sum));
  const l2norm = where(positive, sqrt(l2sumSafe), l2sum);
  return div(mul(t, c), maximum(l2norm, c));
}

/** `ord` values `norm` accepts: TF's names and any positive number (Infinity for the max norm). */
export type NormOrd = 'euclidean' | 'fro' | number;

/**
 * The vector or matrix norm of `x` over `axis`: with no axis, the vector norm of all elements;
 * with one axis, a vector norm; with a pair, a matrix norm. `ord` is `'euclidean'` (default; the
 * Frobenius norm for matrices), a positive p for vector p-norms (2 is the euclidean norm), or
 * `'fro'`, 1 and Infinity for matrix norms. Composed as TF's tf.norm composes it.
 *
 * @example
 * tt.norm([3, 4]).item(); // 5
 * tt.norm([[1, -2], [3, 4]], 1, [0, 1]).item(); // 6 (largest column sum)
 */
export function norm(
  x: TensorLike,
  ord: NormOrd = 'euclidean',
  axis?: number | readonly number[] | null,
  keepDims = false,
): Tensor {
  const where_ = 'norm';
  const t = convert(x, undefined, where_);
  checkFloat(t, where_);
  const list =
    axis === undefined || axis === null ? null : typeof axis === 'number' ? [axis] : axis;
  if (list !== null && (!Array.isArray(list) || list.length < 1 || list.length > 2)) {
    throw new RangeError(
      `${where_}: axis must be null, a number or a pair of numbers, got ${JSON.stringify(axis)}`,
    );
  }
  const axes = list === null ? null : list.map((a) => normalizeAxes(a, t.rank, where_)[0]);
  const isMatrix = axes !== null && axes.length === 2;
  if (isMatrix && axes[0] === axes[1]) {
    throw new RangeError(
      `${where_}: the two axes of a matrix norm must differ, got [${list!.join(', ')}]`,
    );
  }
  const euclidean = ord === 'euclidean' || (isMatrix && ord === 'fro') || (!isMatrix && ord === 2);
  const supported = isMatrix
    ? euclidean || ord === 1 || ord === Infinity
    : euclidean || (typeof ord === 'number' && ord > 0);
  if (!supported) {
    throw new RangeError(
      isMatrix && ord === 2
        ? `${where_}: the matrix 2-norm needs singular values, which tensortape does not compute; use 'fro', 1 or Infinity`
        : `${where_}: ord ${String(ord)} is not a supported ${isMatrix ? "matrix norm ('euclidean', 'fro', 1, Infinity)" : "vector norm ('euclidean' or a positive number; 'fro' is a matrix norm and needs a pair of axes)"}`,
    );
  }
  const all = axes ?? normalizeAxes(null, t.rank, where_);
  let result: Tensor;
  if (euclidean) {
    result = sqrt(sum(mul(t, t), all, true));
  } else {
    const a = abs(t);
    if (ord === 1) {
      result = sum(a, axes === null ? all : axes[0], true);
      if (isMatrix) result = max(result, axes[1], true);
    } else if (ord === Infinity) {
      result = isMatrix ? sum(a, axes[1], true) : a;
      result = max(result, axes === null ? all : axes[0], true);
    } else {
      result = pow(sum(pow(a, ord as number), all, true), 1 / (ord as number));
    }
  }
  return keepDims ? result : squeeze(result, all);
}

/**
 * log(Σ exp(x)) over `axis` (default all), computed stably around the maximum as TF does (the
 * maximum's contribution is held constant, so the gradient is the softmax).
 *
 * @example
 * tt.logSumExp([0, 0]).item(); // 0.6931472 (log 2)
 */
export function logSumExp(
  x: TensorLike,
  axis?: number | number[] | null,
  keepDims = false,
): Tensor {
  const where_ = 'logSumExp';
  const t = convert(x, undefined, where_);
  checkFloat(t, where_);
  const axes = normalizeAxes(axis, t.rank, where_);
  const rawMax = max(t, axes, true);
  const shift = stopGradient(where(isFinite(rawMax), rawMax, zerosLike(rawMax)));
  const result = log(sum(exp(sub(t, shift)), axes, keepDims));
  return add(result, keepDims ? shift : reshape(shift, result.shape));
}

/**
 * The Gaussian error linear unit: `x·Φ(x)` computed as TF does, `0.5·x·erfc(-x/√2)`, or with
 * `approximate` its tanh approximation.
 *
 * @example
 * tt.nn.gelu([0, 1]).array(); // [0, 0.8413447]
 */
export function gelu(x: TensorLike, approximate = false): Tensor {
  const where_ = 'gelu';
  const t = convert(x, undefined, where_);
  checkFloat(t, where_);
  if (approximate) {
    const inner = mul(add(t, mul(pow(t, 3), 0.044715)), 0.7978845608028654);
    return mul(mul(t, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(t, 0.5), erfc(mul(neg(t), 0.7071067811865476)));
}

/**
 * The dot product as tfjs defines it for vectors and matrices: vector·vector gives a scalar,
 * matrix·vector and vector·matrix a vector, matrix·matrix a matrix.
 *
 * @example
 * tt.dot([1, 2], [3, 4]).item(); // 11
 * tt.dot([[1, 2], [3, 4]], [1, 1]).array(); // [3, 7]
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const where_ = 'dot';
  const [x, y] = convertPair(a, b, where_);
  if (!NUMERIC.includes(x.dtype) || x.dtype !== y.dtype) {
    throw new TypeError(
      `${where_}: operands have dtypes ${x.dtype} and ${y.dtype}; expected one of ${NUMERIC.join(', ')} for both`,
    );
  }
  if (x.rank < 1 || x.rank > 2 || y.rank < 1 || y.rank > 2) {
    throw new RangeError(
      `${where_}: operands must be vectors or matrices, got shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`,
    );
  }
  const inner = (t: Tensor, first: boolean) =>
    t.rank === 1 ? t.shape[0] : first ? t.shape[1] : t.shape[0];
  if (inner(x, true) !== inner(y, false)) {
    throw new RangeError(
      `${where_}: inner dimensions of shapes [${x.shape.join(', ')}] and [${y.shape.join(', ')}] differ (${inner(x, true)} vs ${inner(y, false)})`,
    );
  }
  const x2 = x.rank === 1 ? reshape(x, [1, -1]) : x;
  const y2 = y.rank === 1 ? reshape(y, [-1, 1]) : y;
  const shape = [...(x.rank === 2 ? [x.shape[0]] : []), ...(y.rank === 2 ? [y.shape[1]] : [])];
  return reshape(matMul(x2, y2), shape);
}

function checkFloat(t: Tensor, where_: string): void {
  if (!isFloat(t.dtype)) {
    throw new TypeError(`${where_}: x has dtype ${t.dtype}; expected float32 or float64`);
  }
}
