// Reference kernels of the dense linear-algebra primitives: MatrixSolve, MatrixInverse,
// MatrixDeterminant and Cholesky, on the last two axes with (broadcast) batch dimensions. LU with
// partial pivoting in float64, rounded to the output dtype at the end.

import { allocate } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides } from './iterate.js';

/** For each matrix of a batch of shape `outBatch`, the index of the operand's matrix it reads. */
export function batchIndices(shape: readonly number[], outBatch: readonly number[]): Int32Array {
  const batch = shape.slice(0, -2);
  const strides = broadcastStrides(batch, outBatch);
  const count = outBatch.reduce((p, d) => p * d, 1);
  const out = new Int32Array(count);
  const idx = new Array<number>(outBatch.length).fill(0);
  for (let t = 0; t < count; t++) {
    let o = 0;
    for (let d = 0; d < idx.length; d++) o += idx[d] * strides[d];
    out[t] = o;
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < outBatch[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * LU factorisation with partial pivoting of the n×n matrix at `off` of `src` (transposed when
 * `adjoint`), in place in `lu`; returns the pivot order and the permutation's sign, or null when
 * the matrix is singular.
 */
function luFactor(
  src: ArrayLike<number>,
  off: number,
  n: number,
  adjoint: boolean,
  lu: Float64Array,
  piv: Int32Array,
): number | null {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      lu[i * n + j] = adjoint ? src[off + j * n + i] : src[off + i * n + j];
  let sign = 1;
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0 || Number.isNaN(best)) return null;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = piv[k];
      piv[k] = piv[p];
      piv[p] = t;
      sign = -sign;
    }
    const d = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return sign;
}

/** Solves LU x = P b for the k right-hand sides in `rhs` (n×k, row-major), in place. */
function luSolve(lu: Float64Array, piv: Int32Array, n: number, rhs: Float64Array, k: number): void {
  const tmp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) tmp[i * k + c] = rhs[piv[i] * k + c];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const f = lu[i * n + j];
      if (f !== 0) for (let c = 0; c < k; c++) tmp[i * k + c] -= f * tmp[j * k + c];
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const f = lu[i * n + j];
      if (f !== 0) for (let c = 0; c < k; c++) tmp[i * k + c] -= f * tmp[j * k + c];
    }
    const d = lu[i * n + i];
    for (let c = 0; c < k; c++) tmp[i * k + c] /= d;
  }
  rhs.set(tmp);
}

function dims(t: Tensor): [number, number] {
  return [t.shape[t.rank - 2], t.shape[t.rank - 1]];
}

export interface MatrixSolveAttrs {
  readonly adjoint: boolean;
}

export const matrixSolve: Kernel<MatrixSolveAttrs> = (inputs, attrs, out) => {
  const [A, B] = inputs;
  const a = A.values();
  const b = B.values();
  const shape = out[0].shape;
  const outBatch = shape.slice(0, -2);
  const n = shape[shape.length - 2];
  const k = shape[shape.length - 1];
  const ia = batchIndices(A.shape, outBatch);
  const ib = batchIndices(B.shape, outBatch);
  const y = allocate(out[0].dtype, ia.length * n * k);
  const lu = new Float64Array(n * n);
  const piv = new Int32Array(n);
  const rhs = new Float64Array(n * k);
  for (let t = 0; t < ia.length; t++) {
    if (luFactor(a, ia[t] * n * n, n, attrs.adjoint, lu, piv) === null)
      throw new RangeError('linalg.solve (MatrixSolve): input matrix is not invertible');
    for (let i = 0; i < n * k; i++) rhs[i] = b[ib[t] * n * k + i];
    luSolve(lu, piv, n, rhs, k);
    y.set(rhs, t * n * k);
  }
  return y;
};

export const matrixInverse: Kernel = (inputs, _attrs, out) => {
  const A = inputs[0];
  const a = A.values();
  const [n] = dims(A);
  const count = n === 0 ? 0 : a.length / (n * n);
  const y = allocate(out[0].dtype, a.length);
  const lu = new Float64Array(n * n);
  const piv = new Int32Array(n);
  const rhs = new Float64Array(n * n);
  for (let t = 0; t < count; t++) {
    if (luFactor(a, t * n * n, n, false, lu, piv) === null)
      throw new RangeError('linalg.inv (MatrixInverse): input is not invertible');
    rhs.fill(0);
    for (let i = 0; i < n; i++) rhs[i * n + i] = 1;
    luSolve(lu, piv, n, rhs, n);
    y.set(rhs, t * n * n);
  }
  return y;
};

export const matrixDeterminant: Kernel = (inputs, _attrs, out) => {
  const A = inputs[0];
  const a = A.values();
  const [n] = dims(A);
  const count = out[0].shape.reduce((p, d) => p * d, 1);
  const y = allocate(out[0].dtype, count);
  const lu = new Float64Array(n * n);
  const piv = new Int32Array(n);
  for (let t = 0; t < count; t++) {
    const sign = luFactor(a, t * n * n, n, false, lu, piv);
    if (sign === null) {
      y[t] = 0;
      continue;
    }
    let d = sign;
    for (let i = 0; i < n; i++) d *= lu[i * n + i];
    y[t] = d;
  }
  return y;
};

/** Cholesky–Banachiewicz: the lower-triangular L with L Lᵀ = A (reads A's lower triangle). */
export const cholesky: Kernel = (inputs, _attrs, out) => {
  const A = inputs[0];
  const a = A.values();
  const [n] = dims(A);
  const count = n === 0 ? 0 : a.length / (n * n);
  const y = allocate(out[0].dtype, a.length);
  const l = new Float64Array(n * n);
  for (let t = 0; t < count; t++) {
    const off = t * n * n;
    l.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[off + i * n + j];
        for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
        if (i === j) {
          if (!(s > 0))
            throw new RangeError(
              'linalg.cholesky (Cholesky): decomposition was not successful; the input must be symmetric positive definite',
            );
          l[i * n + i] = Math.sqrt(s);
        } else l[i * n + j] = s / l[j * n + j];
      }
    }
    y.set(l, off);
  }
  return y;
};
