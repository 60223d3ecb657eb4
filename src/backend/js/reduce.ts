// Reference reduction kernels: Sum, Max, Min, Prod over a set of axes (the reduced axes removed).

import { allocate, type TypedArray } from '../../dtype.js';
import type { Kernel } from '../backend.js';
import { forEachRow } from './iterate.js';

export interface ReduceAttrs {
  readonly axes: readonly number[];
}

/** Strides into the output for each input axis (0 along reduced axes). */
function outputStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (axes.includes(i)) continue;
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

function reduceKernel(init: number, step: (acc: number, v: number) => number): Kernel<ReduceAttrs> {
  return (inputs, attrs, out) => {
    const X = inputs[0];
    const x = X.values();
    const n = out[0].shape.reduce((p, d) => p * d, 1);
    const acc = new Float64Array(n).fill(init);
    const os = outputStrides(X.shape, attrs.axes);
    const inc = os[os.length - 1] ?? 0;
    let i = 0;
    forEachRow(X.shape, [os], (off, count) => {
      let o = off[0];
      for (let k = 0; k < count; k++, o += inc) acc[o] = step(acc[o], x[i++]);
    });
    const y: TypedArray = allocate(out[0].dtype, n);
    for (let k = 0; k < n; k++) y[k] = acc[k];
    return y;
  };
}

export const sum = reduceKernel(0, (a, v) => a + v);
export const prod = reduceKernel(1, (a, v) => a * v);
export const max = reduceKernel(-Infinity, (a, v) => (v > a || v !== v ? v : a));
export const min = reduceKernel(Infinity, (a, v) => (v < a || v !== v ? v : a));
