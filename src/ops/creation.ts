// Creation ops: zeros, ones, fill, eye, linspace, range and the *Like variants.

import { checkDType, type DType } from '../dtype.js';
import { fillTensor } from '../prims/elementwise.js';
import { checkShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { convert, tensor, type TensorLike } from '../convert.js';

function dtypeOf(dtype: DType | undefined, where: string): DType {
  return dtype === undefined ? 'float32' : checkDType(dtype, where);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], dtype?: DType): Tensor {
  return fillTensor(checkShape(shape, 'zeros'), 0, dtypeOf(dtype, 'zeros'));
}

/** A tensor of ones. */
export function ones(shape: readonly number[], dtype?: DType): Tensor {
  return fillTensor(checkShape(shape, 'ones'), 1, dtypeOf(dtype, 'ones'));
}

/** A tensor filled with `value` (dtype: as given, else bool for booleans, else float32). */
export function fill(shape: readonly number[], value: number | boolean, dtype?: DType): Tensor {
  const s = checkShape(shape, 'fill');
  const v = convert(value, dtype, 'fill');
  if (dtype !== undefined && v.dtype !== dtype)
    throw new TypeError(`fill: value ${value} cannot be ${dtype}`);
  return fillTensor(s, v.values()[0], v.dtype);
}

function like(x: TensorLike, where: string): Tensor {
  if (x instanceof Variable) return x._value;
  return convert(x, undefined, where);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: TensorLike): Tensor {
  const t = like(x, 'zerosLike');
  return fillTensor(t.shape, 0, t.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: TensorLike): Tensor {
  const t = like(x, 'onesLike');
  return fillTensor(t.shape, 1, t.dtype);
}

/** The identity matrix `[n, m]` (m defaults to n). */
export function eye(n: number, m: number = n, dtype?: DType): Tensor {
  const s = checkShape([n, m], 'eye');
  const t = fillTensor(s, 0, dtypeOf(dtype, 'eye'));
  const d = t.values();
  for (let i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
  return t;
}

/** `num` evenly spaced values from `start` to `stop` inclusive. */
export function linspace(start: number, stop: number, num: number, dtype?: DType): Tensor {
  for (const [k, v] of [
    ['start', start],
    ['stop', stop],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`linspace: ${k} must be a finite number, got ${String(v)}`);
    }
  }
  checkShape([num], 'linspace');
  const dt = dtypeOf(dtype, 'linspace');
  const values = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  if (num > 1) values[num - 1] = stop;
  return tensor(values, [num], dt);
}

/** `[start, start + delta, ...)` below `limit` (`range(n)` counts from 0). */
export function range(start: number, limit?: number, delta = 1, dtype?: DType): Tensor {
  if (limit === undefined) {
    limit = start;
    start = 0;
  }
  for (const [k, v] of [
    ['start', start],
    ['limit', limit],
    ['delta', delta],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new TypeError(`range: ${k} must be a finite number, got ${String(v)}`);
  }
  if (delta === 0) throw new RangeError('range: delta must not be 0');
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  checkShape([n], 'range');
  const ints = Number.isInteger(start) && Number.isInteger(delta);
  const dt = dtype ?? (ints ? 'int32' : 'float32');
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = start + i * delta;
  return tensor(values, [n], checkDType(dt, 'range'));
}
