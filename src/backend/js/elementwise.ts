// Reference elementwise kernels: unary maps, broadcasting binary maps, and select.

import { allocate, type TypedArray } from '../../dtype.js';
import type { Aval } from '../../core/primitive.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel } from '../backend.js';
import { broadcastStrides, coalesce, forEachRow } from './iterate.js';

/** A loop computing `y[i] = op(x[i])` for `i < n`: each op's own function literal, so V8 inlines it. */
export type UnaryLoop = (x: TypedArray, y: TypedArray, n: number) => void;

/** A kernel applying `f` to every element (through `loop` where one is given, for speed). */
export function unaryKernel(f: (x: number) => number, loop?: UnaryLoop): Kernel {
  const run: UnaryLoop =
    loop ??
    ((x, y, n) => {
      for (let i = 0; i < n; i++) y[i] = f(x[i]);
    });
  return (inputs: readonly Tensor[], _attrs: unknown, out: readonly Aval[]): TypedArray => {
    const x = inputs[0].values();
    const y = allocate(out[0].dtype, x.length);
    run(x, y, x.length);
    return y;
  };
}

/**
 * A strided loop computing `y[o + i] = op(a[pa + i·ia], b[pb + i·ib])` for `i < n`: each op's own
 * function literal, so V8 inlines the arithmetic instead of calling a closure per element.
 */
export type BinaryLoop = (
  y: TypedArray,
  o: number,
  a: TypedArray,
  pa: number,
  ia: number,
  b: TypedArray,
  pb: number,
  ib: number,
  n: number,
) => void;

/** A kernel applying `f` elementwise with NumPy broadcasting (through `loop` where given). */
export function binaryKernel(f: (a: number, b: number) => number, loop?: BinaryLoop): Kernel {
  const run: BinaryLoop =
    loop ??
    ((y, o, a, pa, ia, b, pb, ib, n) => {
      for (let i = 0; i < n; i++, pa += ia, pb += ib) y[o + i] = f(a[pa], b[pb]);
    });
  return (inputs: readonly Tensor[], _attrs: unknown, out: readonly Aval[]): TypedArray => {
    const A = inputs[0];
    const B = inputs[1];
    const a = A.values();
    const b = B.values();
    const { shape, dtype } = out[0];
    const y = allocate(dtype, sizeOfShape(shape));
    const n = y.length;
    if (n === 0) return y;
    if (a.length === n && b.length === n) run(y, 0, a, 0, 1, b, 0, 1, n);
    else if (b.length === 1 && a.length === n) run(y, 0, a, 0, 1, b, 0, 0, n);
    else if (a.length === 1 && b.length === n) run(y, 0, a, 0, 0, b, 0, 1, n);
    else {
      const [cs, [sa, sb]] = coalesce(shape, [
        broadcastStrides(A.shape, shape),
        broadcastStrides(B.shape, shape),
      ]);
      const rank = cs.length;
      const last = cs[rank - 1];
      const ia = sa[rank - 1];
      const ib = sb[rank - 1];
      const rows = n / last;
      const idx = new Int32Array(rank);
      let pa = 0;
      let pb = 0;
      for (let r = 0, o = 0; r < rows; r++, o += last) {
        run(y, o, a, pa, ia, b, pb, ib, last);
        for (let ax = rank - 2; ax >= 0; ax--) {
          pa += sa[ax];
          pb += sb[ax];
          if (++idx[ax] < cs[ax]) break;
          pa -= sa[ax] * cs[ax];
          pb -= sb[ax] * cs[ax];
          idx[ax] = 0;
        }
      }
    }
    return y;
  };
}

/** Runs `single` for float32 outputs and `other` for the rest. */
export function float32Or(single: Kernel, other: Kernel): Kernel {
  return (inputs, attrs, out) => (out[0].dtype === 'float32' ? single : other)(inputs, attrs, out);
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
