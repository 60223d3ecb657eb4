// Reference kernels that work along one axis: ArgMax, ArgMin, Softmax, LogSoftmax. The input is
// viewed as [outer, n, inner] around the axis.

import { allocate } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel } from '../backend.js';

export interface AxisAttrs {
  /** Non-negative. */
  readonly axis: number;
}

function split(x: Tensor, axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= x.shape[i];
  for (let i = axis + 1; i < x.rank; i++) inner *= x.shape[i];
  return [outer, x.shape[axis], inner];
}

/** Index of the first maximum (or minimum) along the axis; NaN never wins, as in TF. */
function argKernel(better: (v: number, best: number) => boolean): Kernel<AxisAttrs> {
  return (inputs, attrs, out) => {
    const X = inputs[0];
    const x = X.values();
    const [outer, n, inner] = split(X, attrs.axis);
    const y = allocate(out[0].dtype, outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = NaN;
        let at = 0;
        for (let k = 0; k < n; k++) {
          const v = x[base + k * inner];
          if (v === v && (best !== best || better(v, best))) {
            best = v;
            at = k;
          }
        }
        y[o * inner + i] = at;
      }
    }
    return y;
  };
}

export const argMax = argKernel((v, best) => v > best);
export const argMin = argKernel((v, best) => v < best);

/** Softmax (or its logarithm) along the axis, computed in float64 around the row maximum. */
function softmaxKernel(log: boolean): Kernel<AxisAttrs> {
  return (inputs, attrs, out) => {
    const X = inputs[0];
    const x = X.values();
    const [outer, n, inner] = split(X, attrs.axis);
    const y = allocate(out[0].dtype, x.length);
    const row = new Float64Array(n);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let max = -Infinity;
        for (let k = 0; k < n; k++) {
          const v = x[base + k * inner];
          if (v > max || v !== v) max = v;
        }
        let sum = 0;
        for (let k = 0; k < n; k++) {
          row[k] = x[base + k * inner] - max;
          sum += Math.exp(row[k]);
        }
        if (log) {
          const logSum = Math.log(sum);
          for (let k = 0; k < n; k++) y[base + k * inner] = row[k] - logSum;
        } else {
          for (let k = 0; k < n; k++) y[base + k * inner] = Math.exp(row[k]) / sum;
        }
      }
    }
    return y;
  };
}

export const softmax = softmaxKernel(false);
export const logSoftmax = softmaxKernel(true);
