// Reference kernels of the nn primitives: 2-D convolution (NHWC input, HWIO filter) and its two
// transposes, max and average pooling with their gradients, and softmax cross-entropy.

import { allocate } from '../../dtype.js';
import type { Kernel } from '../backend.js';

/** Window geometry shared by convolution and pooling: strides and explicit [top, bottom, left, right] pads. */
export interface WindowAttrs {
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

export interface PoolAttrs extends WindowAttrs {
  readonly ksize: readonly [number, number];
}

/** Attributes of the ops whose output is the pre-pooling/convolution input (its H and W). */
export interface InputSizeAttrs {
  readonly inputSize: readonly [number, number];
}

export interface FilterSizeAttrs {
  readonly filterSize: readonly [number, number];
}

// y[n,i,j,o] = Σ_{p,q,c} x[n, i·sh + p - top, j·sw + q - left, c] · w[p,q,c,o]
export const conv2d: Kernel<WindowAttrs> = (inputs, attrs, out) => {
  const [X, Wt] = inputs;
  const x = X.values();
  const w = Wt.values();
  const [N, H, W, C] = X.shape;
  const [KH, KW, , O] = Wt.shape;
  const [, HO, WO] = out[0].shape;
  const [sh, sw] = attrs.strides;
  const [top, , left] = attrs.pads;
  const y = allocate(out[0].dtype, N * HO * WO * O);
  const acc = new Float64Array(O);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < HO; i++)
      for (let j = 0; j < WO; j++) {
        acc.fill(0);
        for (let p = 0; p < KH; p++) {
          const h = i * sh + p - top;
          if (h < 0 || h >= H) continue;
          for (let q = 0; q < KW; q++) {
            const v = j * sw + q - left;
            if (v < 0 || v >= W) continue;
            const xo = ((n * H + h) * W + v) * C;
            const wo = (p * KW + q) * C * O;
            for (let c = 0; c < C; c++) {
              const xv = x[xo + c];
              if (xv === 0) continue;
              const wc = wo + c * O;
              for (let o = 0; o < O; o++) acc[o] += xv * w[wc + o];
            }
          }
        }
        y.set(acc, ((n * HO + i) * WO + j) * O);
      }
  return y;
};

// dx[n,h,v,c] = Σ dy[n,i,j,o] · w[p,q,c,o] over h = i·sh + p - top, v = j·sw + q - left
export const conv2dBackpropInput: Kernel<WindowAttrs & InputSizeAttrs> = (inputs, attrs, out) => {
  const [DY, Wt] = inputs;
  const dy = DY.values();
  const w = Wt.values();
  const [N, HO, WO, O] = DY.shape;
  const [KH, KW, C] = Wt.shape;
  const [H, W] = attrs.inputSize;
  const [sh, sw] = attrs.strides;
  const [top, , left] = attrs.pads;
  const dx = new Float64Array(N * H * W * C);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < HO; i++)
      for (let j = 0; j < WO; j++) {
        const go = ((n * HO + i) * WO + j) * O;
        for (let p = 0; p < KH; p++) {
          const h = i * sh + p - top;
          if (h < 0 || h >= H) continue;
          for (let q = 0; q < KW; q++) {
            const v = j * sw + q - left;
            if (v < 0 || v >= W) continue;
            const xo = ((n * H + h) * W + v) * C;
            const wo = (p * KW + q) * C * O;
            for (let c = 0; c < C; c++) {
              let s = 0;
              const wc = wo + c * O;
              for (let o = 0; o < O; o++) s += dy[go + o] * w[wc + o];
              dx[xo + c] += s;
            }
          }
        }
      }
  const y = allocate(out[0].dtype, dx.length);
  y.set(dx);
  return y;
};

// dw[p,q,c,o] = Σ x[n, i·sh + p - top, j·sw + q - left, c] · dy[n,i,j,o]
export const conv2dBackpropFilter: Kernel<WindowAttrs & FilterSizeAttrs> = (inputs, attrs, out) => {
  const [X, DY] = inputs;
  const x = X.values();
  const dy = DY.values();
  const [N, H, W, C] = X.shape;
  const [, HO, WO, O] = DY.shape;
  const [KH, KW] = attrs.filterSize;
  const [sh, sw] = attrs.strides;
  const [top, , left] = attrs.pads;
  const dw = new Float64Array(KH * KW * C * O);
  for (let n = 0; n < N; n++)
    for (let i = 0; i < HO; i++)
      for (let j = 0; j < WO; j++) {
        const go = ((n * HO + i) * WO + j) * O;
        for (let p = 0; p < KH; p++) {
          const h = i * sh + p - top;
          if (h < 0 || h >= H) continue;
          for (let q = 0; q < KW; q++) {
            const v = j * sw + q - left;
            if (v < 0 || v >= W) continue;
            const xo = ((n * H + h) * W + v) * C;
            const wo = (p * KW + q) * C * O;
            for (let c = 0; c < C; c++) {
              const xv = x[xo + c];
              if (xv === 0) continue;
              const wc = wo + c * O;
              for (let o = 0; o < O; o++) dw[wc + o] += xv * dy[go + o];
            }
          }
        }
      }
  const y = allocate(out[0].dtype, dw.length);
  y.set(dw);
  return y;
};

/**
 * Visits every pooling window: `visit(outIndex, inBase, rows, cols)` where inBase is the offset of
 * (n, 0, 0, c) and the valid window cells are rows × cols (already clipped to the input).
 */
function forEachWindow(
  shape: readonly number[],
  outShape: readonly number[],
  attrs: PoolAttrs,
  visit: (o: number, base: number, hs: number[], vs: number[]) => void,
): void {
  const [N, H, W, C] = shape;
  const [, HO, WO] = outShape;
  const [KH, KW] = attrs.ksize;
  const [sh, sw] = attrs.strides;
  const [top, , left] = attrs.pads;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < HO; i++) {
      const hs: number[] = [];
      for (let p = 0; p < KH; p++) {
        const h = i * sh + p - top;
        if (h >= 0 && h < H) hs.push(h);
      }
      for (let j = 0; j < WO; j++) {
        const vs: number[] = [];
        for (let q = 0; q < KW; q++) {
          const v = j * sw + q - left;
          if (v >= 0 && v < W) vs.push(v);
        }
        for (let c = 0; c < C; c++)
          visit(((n * HO + i) * WO + j) * C + c, n * H * W * C + c, hs, vs);
      }
    }
}

/** The flat input index of each window's first maximum (scan order: rows, then columns). */
function argmaxes(
  x: ArrayLike<number>,
  shape: readonly number[],
  outShape: readonly number[],
  attrs: PoolAttrs,
): Int32Array {
  const [, , W, C] = shape;
  const idx = new Int32Array(outShape.reduce((p, d) => p * d, 1)).fill(-1);
  forEachWindow(shape, outShape, attrs, (o, base, hs, vs) => {
    let best = -Infinity;
    let at = -1;
    for (const h of hs)
      for (const v of vs) {
        const k = base + (h * W + v) * C;
        if (x[k] > best || at < 0) {
          best = x[k];
          at = k;
        }
      }
    idx[o] = at;
  });
  return idx;
}

export const maxPool: Kernel<PoolAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const idx = argmaxes(x, X.shape, out[0].shape, attrs);
  const y = allocate(out[0].dtype, idx.length);
  for (let o = 0; o < idx.length; o++) y[o] = idx[o] < 0 ? -Infinity : x[idx[o]];
  return y;
};

/** MaxPoolGrad(x, g): g scattered to the first maximum of each window of x. */
export const maxPoolGrad: Kernel<PoolAttrs> = (inputs, attrs, out) => {
  const [X, G] = inputs;
  const g = G.values();
  const idx = argmaxes(X.values(), X.shape, G.shape, attrs);
  const acc = new Float64Array(X.size);
  for (let o = 0; o < idx.length; o++) if (idx[o] >= 0) acc[idx[o]] += g[o];
  const y = allocate(out[0].dtype, acc.length);
  y.set(acc);
  return y;
};

/** MaxPoolGradGrad(x, u): u read at the first maximum of each window of x (pooled shape). */
export const maxPoolGradGrad: Kernel<PoolAttrs> = (inputs, attrs, out) => {
  const [X, U] = inputs;
  const u = U.values();
  const idx = argmaxes(X.values(), X.shape, out[0].shape, attrs);
  const y = allocate(out[0].dtype, idx.length);
  for (let o = 0; o < idx.length; o++) y[o] = idx[o] < 0 ? 0 : u[idx[o]];
  return y;
};

/** Average over the window's cells inside the input (padding is not counted, as in TF). */
export const avgPool: Kernel<PoolAttrs> = (inputs, attrs, out) => {
  const X = inputs[0];
  const x = X.values();
  const [, , W, C] = X.shape;
  const y = allocate(
    out[0].dtype,
    out[0].shape.reduce((p, d) => p * d, 1),
  );
  forEachWindow(X.shape, out[0].shape, attrs, (o, base, hs, vs) => {
    let s = 0;
    for (const h of hs) for (const v of vs) s += x[base + (h * W + v) * C];
    y[o] = hs.length * vs.length === 0 ? 0 : s / (hs.length * vs.length);
  });
  return y;
};

/** AvgPoolGrad(g): each window's g spread evenly over its cells (shape [N, ...inputSize, C]). */
export const avgPoolGrad: Kernel<PoolAttrs & InputSizeAttrs> = (inputs, attrs, out) => {
  const G = inputs[0];
  const g = G.values();
  const shape = out[0].shape;
  const [, , W, C] = shape;
  const acc = new Float64Array(shape.reduce((p, d) => p * d, 1));
  forEachWindow(shape, G.shape, attrs, (o, base, hs, vs) => {
    const n = hs.length * vs.length;
    if (n === 0) return;
    const share = g[o] / n;
    for (const h of hs) for (const v of vs) acc[base + (h * W + v) * C] += share;
  });
  const y = allocate(out[0].dtype, acc.length);
  y.set(acc);
  return y;
};

/** loss = -Σ_c labels · log_softmax(logits) over the last axis (stable log-sum-exp). */
export const softmaxCrossEntropy: Kernel = (inputs, _attrs, out) => {
  const [L, Z] = inputs;
  const labels = L.values();
  const z = Z.values();
  const c = Z.shape[Z.rank - 1];
  const rows = c === 0 ? out[0].shape.reduce((p, d) => p * d, 1) : z.length / c;
  const y = allocate(out[0].dtype, rows);
  for (let r = 0; r < rows; r++) {
    const off = r * c;
    let m = -Infinity;
    for (let k = 0; k < c; k++) if (z[off + k] > m) m = z[off + k];
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp(z[off + k] - m);
    const lse = m + Math.log(s);
    let loss = 0;
    for (let k = 0; k < c; k++)
      if (labels[off + k] !== 0) loss -= labels[off + k] * (z[off + k] - lse);
    y[r] = loss;
  }
  return y;
};
