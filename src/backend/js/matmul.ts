// Reference batched matrix product with optional transposes and broadcast batch dimensions.

import { allocate } from '../../dtype.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides } from './iterate.js';

export interface MatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
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
  // Element strides inside one matrix: A[i, p] and B[p, j].
  const aRow = attrs.transposeA ? 1 : k;
  const aCol = attrs.transposeA ? m : 1;
  const bRow = attrs.transposeB ? 1 : n;
  const bCol = attrs.transposeB ? k : 1;
  const y = allocate(out[0].dtype, batch * m * n);
  const acc = new Float64Array(n);
  const idx = new Array<number>(batchShape.length).fill(0);
  for (let t = 0; t < batch; t++) {
    let offA = 0;
    let offB = 0;
    for (let d = 0; d < idx.length; d++) {
      offA += idx[d] * sa[d] * m * k;
      offB += idx[d] * sb[d] * k * n;
    }
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let p = 0; p < k; p++) {
        const av = a[offA + i * aRow + p * aCol];
        const bBase = offB + p * bRow;
        for (let j = 0; j < n; j++) acc[j] += av * b[bBase + j * bCol];
      }
      const base = t * m * n + i * n;
      for (let j = 0; j < n; j++) y[base + j] = acc[j];
    }
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
  return y;
};
