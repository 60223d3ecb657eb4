// Reference batched matrix product with optional transposes and broadcast batch dimensions.
//
// Every output element is the float64 sum of its products in order of the inner index, starting
// from 0, then stored in the output's dtype: the contract the wasm backend's small products match
// bit for bit. The loops around that sum are arranged for speed: both operands are packed into
// float64 panels of four rows (of A) and four columns (of B), and a 4×4 block of C is accumulated
// in local variables, so the inner loop reads two contiguous panels and touches no array of C.

import { allocate } from '../../dtype.js';
import type { TypedArray } from '../../dtype.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides } from './iterate.js';

export interface MatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** Width of a panel: rows of A, columns of B. */
const R = 4;

/**
 * Packs a rows×depth operand (element (i, p) at `off + i·rs + p·cs`) into panels of R rows:
 * panel q holds, for each p, rows qR..qR+R-1 side by side (rows past `rows` are zero).
 */
function pack(
  dst: Float64Array,
  src: TypedArray,
  off: number,
  rows: number,
  depth: number,
  rs: number,
  cs: number,
): void {
  const panels = Math.ceil(rows / R);
  for (let q = 0; q < panels; q++) {
    const base = q * R * depth;
    for (let r = 0; r < R; r++) {
      const i = q * R + r;
      if (i >= rows) {
        for (let p = 0; p < depth; p++) dst[base + p * R + r] = 0;
        continue;
      }
      let s = off + i * rs;
      for (let p = 0; p < depth; p++, s += cs) dst[base + p * R + r] = src[s];
    }
  }
}

/** C[i0.., j0..] (a block of at most R×R) from A's panel at `pa` and B's panel at `pb`. */
// prettier-ignore
function block(
  ap: Float64Array, pa: number, bp: Float64Array, pb: number, k: number,
  y: TypedArray, yBase: number, n: number, rows: number, cols: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < k; p++, pa += R, pb += R) {
    const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
    const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === R && cols === R) {
    let o = yBase;
    y[o] = c00; y[o + 1] = c01; y[o + 2] = c02; y[o + 3] = c03; o += n;
    y[o] = c10; y[o + 1] = c11; y[o + 2] = c12; y[o + 3] = c13; o += n;
    y[o] = c20; y[o + 1] = c21; y[o + 2] = c22; y[o + 3] = c23; o += n;
    y[o] = c30; y[o + 1] = c31; y[o + 2] = c32; y[o + 3] = c33;
    return;
  }
  const c = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < cols; j++) y[yBase + r * n + j] = c[r * R + j];
}

export const batchMatMul: Kernel<MatMulAttrs> = (inputs, attrs, out) => {
  const [A, B] = inputs;
  const a = A.values();
  const b = B.values();
  const outShape = out[0].shape;
  const r = outShape.length;
  const m = outShape[r - 2];
  const n = outShape[r - 1];
  const k = attrs.transposeA ? A.shape[A.rank - 2] : A.shape[A.rank - 1];
  const batchShape = outShape.slice(0, r - 2);
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const sa = broadcastStrides(A.shape.slice(0, -2), batchShape);
  const sb = broadcastStrides(B.shape.slice(0, -2), batchShape);
  // Element strides inside one matrix: A[i, p] and B[p, j] (B is packed as columns j over p).
  const aRow = attrs.transposeA ? 1 : k;
  const aCol = attrs.transposeA ? m : 1;
  const bRow = attrs.transposeB ? 1 : n;
  const bCol = attrs.transposeB ? k : 1;
  const y = allocate(out[0].dtype, batch * m * n);
  if (y.length === 0) return y;
  const rowPanels = Math.ceil(m / R);
  const colPanels = Math.ceil(n / R);
  const ap = new Float64Array(rowPanels * R * k);
  const bp = new Float64Array(colPanels * R * k);
  let lastA = -1;
  let lastB = -1;
  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batch; t++) {
    let offA = 0;
    let offB = 0;
    for (let d = 0; d < idx.length; d++) {
      offA += idx[d] * sa[d] * m * k;
      offB += idx[d] * sb[d] * k * n;
    }
    // A broadcast operand is packed once for the batch entries that share it.
    if (offA !== lastA) pack(ap, a, offA, m, k, aRow, aCol);
    if (offB !== lastB) pack(bp, b, offB, n, k, bCol, bRow);
    lastA = offA;
    lastB = offB;
    const yOff = t * m * n;
    for (let qi = 0; qi < rowPanels; qi++) {
      const rows = Math.min(R, m - qi * R);
      for (let qj = 0; qj < colPanels; qj++) {
        const cols = Math.min(R, n - qj * R);
        block(ap, qi * R * k, bp, qj * R * k, k, y, yOff + qi * R * n + qj * R, n, rows, cols);
      }
    }
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
  return y;
};
