// Reference kernels that move or convert data: Cast, Transpose, BroadcastTo, Fill, and the
// zero-copy ones (Reshape, Identity) that share the immutable input storage.

import { allocate, type TypedArray } from '../../dtype.js';
import { stridesOf } from '../../shape.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides, forEachRow, stridedCopy } from './iterate.js';

/** Shares the input's storage: tensors are immutable, so a reshape or identity needs no copy. */
export const share: Kernel = (inputs) => inputs[0].values();

export const cast: Kernel = (inputs, _attrs, out) => {
  const x = inputs[0].values();
  const from = inputs[0].dtype;
  const to = out[0].dtype;
  if (from === to) return x;
  const y = allocate(to, x.length);
  if (to === 'bool') for (let i = 0; i < x.length; i++) y[i] = x[i] !== 0 ? 1 : 0;
  else if (to === 'int32') for (let i = 0; i < x.length; i++) y[i] = Math.trunc(x[i]);
  else y.set(x);
  return y;
};

export interface TransposeAttrs {
  readonly perm: readonly number[];
}

export const transpose: Kernel<TransposeAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const inStrides = stridesOf(X.shape);
  const strides = attrs.perm.map((p) => inStrides[p]);
  const y = allocate(out[0].dtype, x.length);
  stridedCopy(x, 0, strides, out[0].shape, y);
  return y;
};

export const broadcastTo: Kernel = (inputs, _attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const shape = out[0].shape;
  const strides = broadcastStrides(X.shape, shape);
  const y: TypedArray = allocate(
    out[0].dtype,
    shape.reduce((p, d) => p * d, 1),
  );
  stridedCopy(x, 0, strides, shape, y);
  return y;
};

export interface FillAttrs {
  readonly value: number;
}

export const fill: Kernel<FillAttrs> = (_inputs, attrs, out) => {
  const y = allocate(
    out[0].dtype,
    out[0].shape.reduce((p, d) => p * d, 1),
  );
  if (attrs.value !== 0) y.fill(attrs.value);
  return y;
};

export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly size: readonly number[];
}

/** Copies the box `[begin, begin + size)` of the input. */
export const slice: Kernel<SliceAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const strides = stridesOf(X.shape);
  let base = 0;
  for (let i = 0; i < strides.length; i++) base += attrs.begin[i] * strides[i];
  const y = allocate(
    out[0].dtype,
    attrs.size.reduce((p, d) => p * d, 1),
  );
  stridedCopy(x, base, strides, attrs.size, y);
  return y;
};

export interface PadAttrs {
  /** `[before, after]` per axis. */
  readonly paddings: readonly (readonly [number, number])[];
  readonly constantValue: number;
}

/** Surrounds the input with `constantValue`. */
export const pad: Kernel<PadAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const shape = out[0].shape;
  const y = allocate(
    out[0].dtype,
    shape.reduce((p, d) => p * d, 1),
  );
  if (attrs.constantValue !== 0) y.fill(attrs.constantValue);
  const outStrides = stridesOf(shape);
  let base = 0;
  for (let i = 0; i < outStrides.length; i++) base += attrs.paddings[i][0] * outStrides[i];
  const inc = outStrides[outStrides.length - 1] ?? 0;
  let i = 0;
  forEachRow(X.shape, [outStrides], (off, count) => {
    let p = base + off[0];
    for (let k = 0; k < count; k++, p += inc) y[p] = x[i++];
  });
  return y;
};

export interface ConcatAttrs {
  readonly axis: number;
}

/** Joins the inputs along `axis`. */
export const concat: Kernel<ConcatAttrs> = (inputs, attrs, out) => {
  const shape = out[0].shape;
  const y = allocate(
    out[0].dtype,
    shape.reduce((p, d) => p * d, 1),
  );
  const outer = shape.slice(0, attrs.axis).reduce((p, d) => p * d, 1);
  const rowOut = shape.slice(attrs.axis).reduce((p, d) => p * d, 1);
  let col = 0;
  for (const X of inputs) {
    const x = X.values();
    const row = X.shape.slice(attrs.axis).reduce((p, d) => p * d, 1);
    for (let o = 0; o < outer; o++) {
      const src = o * row;
      const dst = o * rowOut + col;
      for (let k = 0; k < row; k++) y[dst + k] = x[src + k];
    }
    col += row;
  }
  return y;
};
