// Reference kernels that select or rearrange elements by index: GatherV2 and its transpose
// UnsortedSegmentSum, OneHot, StridedSlice and its transpose StridedSliceGrad, ReverseV2, Tile.
// Index validation happens in the primitives, before any kernel runs.

import { allocate } from '../../dtype.js';
import { sizeOf, stridesOf } from '../../shape.js';
import type { Kernel } from '../backend.js';
import { forEachRow } from './iterate.js';

export interface GatherAttrs {
  /** Non-negative, >= batchDims. */
  readonly axis: number;
  readonly batchDims: number;
}

/**
 * params = B ++ P ++ [A] ++ Q (|B| = batchDims), indices = B ++ I; out = B ++ P ++ I ++ Q with
 * out[b, p, i, q] = params[b, p, indices[b, i], q].
 */
export const gather: Kernel<GatherAttrs> = (inputs, attrs, out) => {
  const [X, Idx] = inputs;
  const x = X.values();
  const idx = Idx.values();
  const { axis, batchDims } = attrs;
  const nB = sizeOf(X.shape.slice(0, batchDims));
  const nP = sizeOf(X.shape.slice(batchDims, axis));
  const nA = X.shape[axis];
  const nQ = sizeOf(X.shape.slice(axis + 1));
  const nI = sizeOf(Idx.shape.slice(batchDims));
  const y = allocate(out[0].dtype, nB * nP * nI * nQ);
  let o = 0;
  for (let b = 0; b < nB; b++) {
    for (let p = 0; p < nP; p++) {
      const src = (b * nP + p) * nA;
      for (let i = 0; i < nI; i++) {
        const from = (src + idx[b * nI + i]) * nQ;
        for (let q = 0; q < nQ; q++) y[o++] = x[from + q];
      }
    }
  }
  return y;
};

export interface SegmentSumAttrs {
  readonly numSegments: number;
}

/** data = S ++ R, ids = S; out = [numSegments] ++ R, summing rows by id (negative ids dropped). */
export const unsortedSegmentSum: Kernel<SegmentSumAttrs> = (inputs, attrs, out) => {
  const [D, Ids] = inputs;
  const d = D.values();
  const ids = Ids.values();
  const nR = sizeOf(D.shape.slice(Ids.rank));
  const acc = new Float64Array(attrs.numSegments * nR);
  for (let s = 0; s < ids.length; s++) {
    const id = ids[s];
    if (id < 0) continue;
    const from = s * nR;
    const to = id * nR;
    for (let r = 0; r < nR; r++) acc[to + r] += d[from + r];
  }
  const y = allocate(out[0].dtype, acc.length);
  for (let k = 0; k < acc.length; k++) y[k] = acc[k];
  return y;
};

export interface OneHotAttrs {
  readonly depth: number;
  /** Position of the new axis in the output (non-negative). */
  readonly axis: number;
  readonly onValue: number;
  readonly offValue: number;
}

/** out[pre, d, post] = indices[pre, post] === d ? onValue : offValue. */
export const oneHot: Kernel<OneHotAttrs> = (inputs, attrs, out) => {
  const I = inputs[0];
  const idx = I.values();
  const { depth, axis, onValue, offValue } = attrs;
  const pre = sizeOf(I.shape.slice(0, axis));
  const post = sizeOf(I.shape.slice(axis));
  const y = allocate(out[0].dtype, pre * depth * post);
  if (offValue !== 0) y.fill(offValue);
  for (let a = 0; a < pre; a++) {
    for (let b = 0; b < post; b++) {
      const k = idx[a * post + b];
      if (k >= 0 && k < depth) y[(a * depth + k) * post + b] = onValue;
    }
  }
  return y;
};

export interface StridedSliceAttrs {
  /** Per input axis: first index, step (non-zero) and number of elements taken. */
  readonly begin: readonly number[];
  readonly strides: readonly number[];
  readonly size: readonly number[];
}

/** The element offsets a strided slice reads, in output order: base plus per-axis steps. */
function stridedLayout(
  inShape: readonly number[],
  attrs: StridedSliceAttrs,
): [number, number[], number] {
  const inStrides = stridesOf(inShape);
  let base = 0;
  const steps = inStrides.map((s, i) => {
    base += attrs.begin[i] * s;
    return attrs.strides[i] * s;
  });
  return [base, steps, steps[steps.length - 1] ?? 0];
}

/** Copies the elements `begin + k·stride` of every axis, in order. */
export const stridedSlice: Kernel<StridedSliceAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const [base, steps, inc] = stridedLayout(X.shape, attrs);
  const y = allocate(out[0].dtype, sizeOf(attrs.size));
  let o = 0;
  forEachRow(attrs.size, [steps], (off, count) => {
    let p = base + off[0];
    for (let k = 0; k < count; k++, p += inc) y[o++] = x[p];
  });
  return y;
};

/** The transpose of StridedSlice: writes the slice's elements into zeros of the input's shape. */
export const stridedSliceGrad: Kernel<StridedSliceAttrs> = (inputs, attrs, out) => {
  const g = inputs[0].values();
  const shape = out[0].shape;
  const [base, steps, inc] = stridedLayout(shape, attrs);
  const y = allocate(out[0].dtype, sizeOf(shape));
  let o = 0;
  forEachRow(attrs.size, [steps], (off, count) => {
    let p = base + off[0];
    for (let k = 0; k < count; k++, p += inc) y[p] = g[o++];
  });
  return y;
};

export interface ReverseAttrs {
  /** Sorted, non-negative, unique. */
  readonly axes: readonly number[];
}

/** Reverses the listed axes: a strided read with negative steps along them. */
export const reverse: Kernel<ReverseAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const shape = X.shape;
  return stridedSlice(
    inputs,
    {
      begin: shape.map((d, i) => (attrs.axes.includes(i) ? d - 1 : 0)),
      strides: shape.map((_, i) => (attrs.axes.includes(i) ? -1 : 1)),
      size: shape,
    },
    out,
  );
};

export interface TileAttrs {
  readonly multiples: readonly number[];
}

/** out[i] = x[i mod shape], axis by axis. */
export const tile: Kernel<TileAttrs> = (inputs, _attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const inShape = X.shape;
  const outShape = out[0].shape;
  const inStrides = stridesOf(inShape);
  const rank = outShape.length;
  const y = allocate(out[0].dtype, sizeOf(outShape));
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < y.length; o++) {
    let p = 0;
    for (let a = 0; a < rank; a++) p += (idx[a] % inShape[a]) * inStrides[a];
    y[o] = x[p];
    for (let a = rank - 1; a >= 0; a--) {
      if (++idx[a] < outShape[a]) break;
      idx[a] = 0;
    }
  }
  return y;
};
