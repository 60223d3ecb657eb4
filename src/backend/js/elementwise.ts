// Reference elementwise kernels: unary maps, broadcasting binary maps, and select.

import { allocate, type TypedArray } from '../../dtype.js';
import type { Aval } from '../../core/primitive.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides, forEachRow } from './iterate.js';

/** A kernel applying `f` to every element. */
export function unaryKernel(f: (x: number) => number): Kernel {
  return (inputs: readonly Tensor[], _attrs: unknown, out: readonly Aval[]): TypedArray => {
    const x = inputs[0].values();
    const n = x.length;
    const y = allocate(out[0].dtype, n);
    for (let i = 0; i < n; i++) y[i] = f(x[i]);
    return y;
  };
}

/** A kernel applying `f` elementwise with NumPy broadcasting. */
export function binaryKernel(f: (a: number, b: number) => number): Kernel {
  return (inputs: readonly Tensor[], _attrs: unknown, out: readonly Aval[]): TypedArray => {
    const A = inputs[0];
    const B = inputs[1];
    const a = A.values();
    const b = B.values();
    const { shape, dtype } = out[0];
    const y = allocate(dtype, sizeOfShape(shape));
    const n = y.length;
    if (a.length === n && b.length === n) {
      for (let i = 0; i < n; i++) y[i] = f(a[i], b[i]);
    } else if (b.length === 1 && a.length === n) {
      const bv = b[0];
      for (let i = 0; i < n; i++) y[i] = f(a[i], bv);
    } else if (a.length === 1 && b.length === n) {
      const av = a[0];
      for (let i = 0; i < n; i++) y[i] = f(av, b[i]);
    } else {
      const sa = broadcastStrides(A.shape, shape);
      const sb = broadcastStrides(B.shape, shape);
      const ia = sa[sa.length - 1] ?? 0;
      const ib = sb[sb.length - 1] ?? 0;
      let o = 0;
      forEachRow(shape, [sa, sb], (off, count) => {
        let pa = off[0];
        let pb = off[1];
        for (let i = 0; i < count; i++, pa += ia, pb += ib) y[o++] = f(a[pa], b[pb]);
      });
    }
    return y;
  };
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** SelectV2: `cond ? a : b` elementwise, all three broadcast. */
export const select: Kernel = (inputs, _attrs, out) => {
  const [C, A, B] = inputs;
  const c = C.values();
  const a = A.values();
  const b = B.values();
  const { shape, dtype } = out[0];
  const y = allocate(dtype, sizeOfShape(shape));
  const strides = [
    broadcastStrides(C.shape, shape),
    broadcastStrides(A.shape, shape),
    broadcastStrides(B.shape, shape),
  ];
  const inc = strides.map((s) => s[s.length - 1] ?? 0);
  let o = 0;
  forEachRow(shape, strides, (off, count) => {
    let pc = off[0];
    let pa = off[1];
    let pb = off[2];
    for (let i = 0; i < count; i++, pc += inc[0], pa += inc[1], pb += inc[2])
      y[o++] = c[pc] ? a[pa] : b[pb];
  });
  return y;
};

/** Round half to even, as TF's Round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

export function relu(x: number): number {
  return x > 0 ? x : x !== x ? x : 0;
}
