// Reference batched matrix product with optional transposes and broadcast batch dimensions.
//
// Every output element is the float64 sum of its products in order of the inner index, starting
// from 0, then stored in the output's dtype: the contract the wasm backend's small products match
// bit for bit. The loops around that sum are arranged for speed: both operands are packed into
// float64 panels of four rows (of A) and four columns (of B), and a 4×4 block of C is accumulated
// in local variables, so the inner loop reads two contiguous panels and touches no array of C.
// The panels live in buffers kept between calls. A single row (a vector times a matrix) reads B in
// place instead: each of its values is used once, so packing would only copy it.

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
/** Lines of a row-contiguous operand packed together (see `pack`). */
const BAND = 16;

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
  if (rs === 1 && cs !== 1) {
    // The rows are contiguous (a row-major B, or a transposed A): copy R values of each stored line
    // at a time, a band of lines at a time, so reads stay in a few lines and writes in one panel
    // (walking down the lines instead touches a new cache line, and page, for every value).
    for (let p0 = 0; p0 < depth; p0 += BAND) {
      const p1 = Math.min(depth, p0 + BAND);
      for (let q = 0; q < panels; q++) {
        const i0 = q * R;
        const base = q * R * depth;
        if (i0 + R <= rows) {
          for (let p = p0; p < p1; p++) {
            const s = off + p * cs + i0;
            const d = base + p * R;
            dst[d] = src[s];
            dst[d + 1] = src[s + 1];
            dst[d + 2] = src[s + 2];
            dst[d + 3] = src[s + 3];
          }
        } else {
          for (let p = p0; p < p1; p++) {
            for (let r = 0; r < R; r++)
              dst[base + p * R + r] = i0 + r < rows ? src[off + p * cs + i0 + r] : 0;
          }
        }
      }
    }
    return;
  }
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

/**
 * y[yOff + j] = Σ_p a[offA + p] · B[p, j] (B's element (p, j) at offB + p·bRow + j·bCol), each sum
 * in float64 in order of p from 0, as in the panel kernel.
 */
function vectorTimesMatrix(
  a: TypedArray,
  offA: number,
  b: TypedArray,
  offB: number,
  bRow: number,
  bCol: number,
  k: number,
  n: number,
  y: TypedArray,
  yOff: number,
  acc: Float64Array,
): void {
  if (bCol === 1) {
    // Row-major B: add a[p] times row p into the float64 sums `acc`, reading B once, in order.
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const ap = a[offA + p];
      const row = offB + p * bRow;
      for (let j = 0; j < n; j++) acc[j] += ap * b[row + j];
    }
    for (let j = 0; j < n; j++) y[yOff + j] = acc[j];
    return;
  }
  for (let j = 0; j < n; j++) {
    let sum = 0;
    const col = offB + j * bCol;
    for (let p = 0; p < k; p++) sum += a[offA + p] * b[col + p * bRow];
    y[yOff + j] = sum;
  }
}

/** Panels up to this many values are packed into buffers kept between calls (8 MiB each). */
const KEEP = 1 << 20;
const kept = [new Float64Array(0), new Float64Array(0)];
const NONE = new Float64Array(0);

/**
 * A buffer for `size` packed values: buffer `which` (0: A, 1: B) kept from earlier calls, grown as
 * needed, so a product does not pay for fresh (cold, zeroed) memory; larger panels get their own.
 */
function panelBuffer(which: 0 | 1, size: number): Float64Array {
  if (size > KEEP) return new Float64Array(size);
  if (kept[which].length < size) {
    kept[which] = new Float64Array(Math.min(KEEP, Math.max(size, 2 * kept[which].length)));
  }
  return kept[which];
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
  // A single row (m = 1) is a vector times a matrix: float64 sums of n values, no panels.
  const single = m === 1;
  const ap = single ? NONE : panelBuffer(0, rowPanels * R * k);
  const bp = single ? NONE : panelBuffer(1, colPanels * R * k);
  const sums = single ? new Float64Array(n) : NONE;
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
    if (single) {
      // Each value of B is used once, so it is read in place, not packed.
      vectorTimesMatrix(a, offA, b, offB, bRow, bCol, k, n, y, t * n, sums);
    } else {
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
    }
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
  return y;
};
