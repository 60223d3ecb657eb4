// Turning JS values into tensors: `tt.tensor` and the operand conversion every op applies, with the
// dtype rules (JS numbers are float32 unless told otherwise, operands take the other's dtype, typed
// arrays keep theirs, and nothing converts with a silent loss).

import { allocate, checkDType, dtypeOfArray, type DType, type TypedArray } from './dtype.js';
import { checkShape, sizeOf } from './shape.js';
import { sharedTensors, Tensor } from './tensor.js';
import { Variable } from './variable.js';

/** Nested arrays of numbers or booleans. */
export type NestedArray = number | boolean | readonly NestedArray[];
/** Anything an op accepts as a tensor operand. */
export type TensorLike = Tensor | Variable | number | boolean | TypedArray | readonly NestedArray[];

const EMPTY: number[] = [];

/** Scalar operands by value, per float dtype (bounded: cleared when full). */
const SCALAR_CACHE_SIZE = 1024;
const scalars32 = new Map<number, Tensor>();
const scalars64 = new Map<number, Tensor>();

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'object') return x.constructor?.name ?? 'object';
  return typeof x === 'string' ? `string ${JSON.stringify(x)}` : typeof x;
}

/** Infers the shape of nested arrays and flattens them, or throws on ragged or non-numeric input. */
function flattenNested(
  values: readonly unknown[],
  where: string,
): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let v: unknown = values;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const len = (v as ArrayLike<unknown>).length;
    shape.push(len);
    if (len === 0) break;
    v = (v as ArrayLike<unknown>)[0];
  }
  const flat: (number | boolean)[] = [];
  const walk = (x: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (typeof x !== 'number' && typeof x !== 'boolean') {
        throw new TypeError(
          `${where}: expected numbers or booleans, got ${describe(x)} at ${path}`,
        );
      }
      flat.push(x);
      return;
    }
    const isArr = Array.isArray(x) || ArrayBuffer.isView(x);
    if (!isArr || (x as ArrayLike<unknown>).length !== shape[axis]) {
      throw new RangeError(
        `${where}: ragged nested array: expected length ${shape[axis]} at ${path}, got ${isArr ? (x as ArrayLike<unknown>).length : describe(x)}`,
      );
    }
    const arr = x as ArrayLike<unknown>;
    for (let i = 0; i < arr.length; i++) walk(arr[i], axis + 1, `${path}[${i}]`);
  };
  walk(values, 0, 'values');
  return { shape, flat };
}

function toInt32(x: number, where: string): number {
  if (!Number.isInteger(x) || x > 2147483647 || x < -2147483648) {
    throw new TypeError(`${where}: cannot convert ${x} to int32 without loss`);
  }
  return x;
}

function fromFlat(flat: ArrayLike<number | boolean>, dtype: DType, where: string): TypedArray {
  const out = allocate(dtype, flat.length);
  if (dtype === 'int32')
    for (let i = 0; i < flat.length; i++) out[i] = toInt32(Number(flat[i]), where);
  else if (dtype === 'bool') {
    for (let i = 0; i < flat.length; i++) {
      const x = flat[i];
      if (typeof x !== 'boolean' && x !== 0 && x !== 1)
        throw new TypeError(`${where}: cannot convert ${x} to bool`);
      out[i] = x ? 1 : 0;
    }
  } else for (let i = 0; i < flat.length; i++) out[i] = Number(flat[i]);
  return out;
}

/**
 * Creates a tensor from numbers, booleans, nested arrays or a typed array.
 *
 * @example
 * tt.tensor([[1, 2], [3, 4]]).shape; // [2, 2]
 * tt.tensor(10, [], 'int32').dtype; // 'int32'
 * tt.tensor(0, [2]).array(); // [0, 0] (a scalar fills the shape)
 */
export function tensor(values: unknown, shape?: readonly number[], dtype?: DType): Tensor {
  const where = 'tensor';
  if (dtype !== undefined) checkDType(dtype, where);
  if (values instanceof Tensor) {
    const t = values;
    if (dtype !== undefined && dtype !== t.dtype) {
      throw new TypeError(
        `${where}: got a ${t.dtype} tensor but dtype ${dtype} was requested (use tt.cast)`,
      );
    }
    if (shape !== undefined)
      throw new TypeError(`${where}: a shape cannot be given with a tensor value (use reshape)`);
    return t;
  }
  if (values instanceof Variable) return tensor(values.read(), shape, dtype);
  let inferredShape: number[];
  let data: TypedArray;
  if (typeof values === 'number' || typeof values === 'boolean') {
    const dt = dtype ?? (typeof values === 'boolean' ? 'bool' : 'float32');
    data = fromFlat([values], dt, where);
    inferredShape = EMPTY;
  } else if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    const native = dtypeOfArray(values);
    const dt = dtype ?? native ?? 'float32';
    const arr = values as unknown as ArrayLike<number>;
    data = native === dt ? (values as TypedArray).slice() : fromFlat(arr, dt, where);
    inferredShape = [arr.length];
  } else if (Array.isArray(values)) {
    const { shape: s, flat } = flattenNested(values, where);
    const dt =
      dtype ?? (flat.length > 0 && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float32');
    if (dt !== 'bool' && flat.some((v) => typeof v === 'boolean')) {
      throw new TypeError(`${where}: booleans cannot be mixed into a ${dt} tensor`);
    }
    data = fromFlat(flat, dt, where);
    inferredShape = s;
  } else {
    throw new TypeError(
      `${where}: expected a number, boolean, nested array or typed array, got ${describe(values)}`,
    );
  }
  const dt: DType = dtype ?? (dtypeOfArray(data) as DType);
  if (shape === undefined)
    return new Tensor(data, inferredShape.length === 0 ? EMPTY : inferredShape, dt);
  const s = checkShape(shape, where);
  const size = sizeOf(s);
  if (data.length === 1 && size !== 1) {
    const filled = allocate(dt, size);
    filled.fill(data[0]);
    return new Tensor(filled, s, dt);
  }
  if (data.length !== size) {
    throw new RangeError(
      `${where}: ${data.length} values do not fit shape [${s.join(', ')}] (${size} elements)`,
    );
  }
  return new Tensor(data, s, dt);
}

/** A rank-0 tensor. */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (dtype !== undefined) checkDType(dtype, 'scalar');
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`scalar: expected a number or boolean, got ${describe(value)}`);
  }
  return tensor(value, undefined, dtype);
}

/**
 * Converts an op operand: tensors pass through, variables are read (a recorded snapshot), JS values
 * become tensors of `dtype` (the other operand's) or their natural dtype.
 */
export function convert(x: unknown, dtype: DType | undefined, where: string, arg?: string): Tensor {
  if (x instanceof Tensor) return x;
  if (
    typeof x === 'number' &&
    (dtype === undefined || dtype === 'float32' || dtype === 'float64')
  ) {
    // Fast path for the most common operand: a JS number against a float tensor. Tensors are
    // immutable, so one scalar per (value, dtype) serves every use (shared: never disposed).
    const cache = dtype === 'float64' ? scalars64 : scalars32;
    const hit = cache.get(x);
    if (hit !== undefined && !Object.is(x, -0)) return hit;
    const data = dtype === 'float64' ? new Float64Array(1) : new Float32Array(1);
    data[0] = x;
    const t = new Tensor(data, EMPTY, dtype ?? 'float32');
    if (!Object.is(x, -0)) {
      if (cache.size >= SCALAR_CACHE_SIZE) cache.clear();
      cache.set(x, t);
      sharedTensors.add(t);
    }
    return t;
  }
  if (x instanceof Variable) return x.read();
  if (
    typeof x === 'number' ||
    typeof x === 'boolean' ||
    Array.isArray(x) ||
    (ArrayBuffer.isView(x) && !(x instanceof DataView))
  ) {
    // A typed array keeps its own dtype; plain JS values take the requested one.
    if (ArrayBuffer.isView(x)) return tensor(x);
    const prefix = arg === undefined ? `${where}: ` : `${where}: argument '${arg}': `;
    if (typeof x === 'boolean' && dtype !== undefined && dtype !== 'bool') {
      throw new TypeError(`${prefix}a boolean operand cannot combine with a ${dtype} tensor`);
    }
    try {
      return tensor(x, undefined, typeof x === 'boolean' ? undefined : dtype);
    } catch (e) {
      throw new TypeError(`${prefix}${(e as Error).message.replace(/^tensor: /, '')}`);
    }
  }
  throw new TypeError(
    `${where}: ${arg === undefined ? '' : `argument '${arg}': `}expected a Tensor, Variable, number, boolean, nested array or typed array, got ${describe(x)}`,
  );
}

/** Converts two operands so that JS values take the dtype of the tensor operand. */
export function convertPair(
  a: unknown,
  b: unknown,
  where: string,
  names: readonly [string, string] = ['a', 'b'],
): [Tensor, Tensor] {
  const aIsT = a instanceof Tensor || a instanceof Variable || ArrayBuffer.isView(a);
  const bIsT = b instanceof Tensor || b instanceof Variable || ArrayBuffer.isView(b);
  if (aIsT || !bIsT) {
    const A = convert(a, undefined, where, names[0]);
    return [A, convert(b, A.dtype, where, names[1])];
  }
  const B = convert(b, undefined, where, names[1]);
  return [convert(a, B.dtype, where, names[0]), B];
}
