// Data types: names, their typed-array storage, and the rules that keep ops from mixing them silently.

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Storage of a tensor's elements: one typed array per dtype (bool is one byte per element). */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64' || x === 'int32' || x === 'bool';
}

/** Whether gradients flow through values of this dtype (TF's "trainable" dtypes). */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** A fresh zero-filled typed array for `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype a typed array stores natively (`Float64Array` is float64, `Uint8Array` is bool). */
export function dtypeOfArray(a: ArrayBufferView): DType | null {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return null;
}

/** Throws unless `dtype` is one of the four names. */
export function checkDType(dtype: unknown, where: string): DType {
  if (!isDType(dtype)) {
    throw new TypeError(
      `${where}: unknown dtype ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`,
    );
  }
  return dtype;
}

/** Dtype sets that op declarations accept. */
export const FLOAT: readonly DType[] = ['float32', 'float64'];
export const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32'];
export const ALL: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
export const BOOL: readonly DType[] = ['bool'];
