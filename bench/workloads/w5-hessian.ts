// W5: the Hessian of a tiny tanh MLP's mean squared error with respect to all of its parameters
// (4→8→8→1: 121 parameters, one flat vector). The reference differentiates the float64 gradient,
// written out by hand, by central differences (accurate to ~1e-9, far below float32 rounding).

import { compareAll, normal } from '../lib/numeric.js';
import type { Case, Workload } from '../lib/types.js';

interface Inputs {
  dims: number[]; // layer widths, input first
  batch: number;
  x: Float32Array;
  t: Float32Array;
  theta: Float32Array;
}

/** Offsets of each layer's W and b in the flat parameter vector. */
function layout(dims: number[]): { w: number; b: number; rows: number; cols: number }[] {
  const out = [];
  let o = 0;
  for (let l = 0; l + 1 < dims.length; l++) {
    const rows = dims[l];
    const cols = dims[l + 1];
    out.push({ w: o, b: o + rows * cols, rows, cols });
    o += rows * cols + cols;
  }
  return out;
}

function paramCount(dims: number[]): number {
  const l = layout(dims).at(-1)!;
  return l.b + l.cols;
}

/** The gradient of the loss in float64 (forward, then backprop by hand). */
function gradient64(inp: Inputs, theta: Float64Array): Float64Array {
  const { dims, batch: B, x, t } = inp;
  const layers = layout(dims);
  const g = new Float64Array(theta.length);
  for (let n = 0; n < B; n++) {
    const acts: Float64Array[] = [Float64Array.from(x.subarray(n * dims[0], (n + 1) * dims[0]))];
    layers.forEach((L, l) => {
      const a = acts[l];
      const z = new Float64Array(L.cols);
      for (let j = 0; j < L.cols; j++) {
        let s = theta[L.b + j];
        for (let i = 0; i < L.rows; i++) s += a[i] * theta[L.w + i * L.cols + j];
        z[j] = l === layers.length - 1 ? s : Math.tanh(s);
      }
      acts.push(z);
    });
    const out = acts.at(-1)!;
    let delta = out.map((v, j) => (2 * (v - t[n * out.length + j])) / (B * out.length));
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l];
      const a = acts[l];
      for (let j = 0; j < L.cols; j++) {
        g[L.b + j] += delta[j];
        for (let i = 0; i < L.rows; i++) g[L.w + i * L.cols + j] += a[i] * delta[j];
      }
      if (l > 0) {
        const prev = new Float64Array(L.rows);
        for (let i = 0; i < L.rows; i++) {
          let s = 0;
          for (let j = 0; j < L.cols; j++) s += theta[L.w + i * L.cols + j] * delta[j];
          prev[i] = s * (1 - a[i] * a[i]);
        }
        delta = prev;
      }
    }
  }
  return g;
}

function hessianCase(dims: number[], batch: number): Case<Inputs, Float64Array[]> {
  const P = paramCount(dims);
  const layers = layout(dims);
  const dOut = dims.at(-1)!;
  return {
    id: `W5 hessian tanh MLP ${dims.join('→')} (${P} params)`,
    metric: 'ms',
    inputs() {
      const theta = normal(P, 61, 0.5);
      return { dims, batch, x: normal(batch * dims[0], 62), t: normal(batch * dOut, 63), theta };
    },
    reference(inp) {
      const h = new Float64Array(P * P);
      const eps = 1e-5;
      const th = Float64Array.from(inp.theta);
      for (let j = 0; j < P; j++) {
        const save = th[j];
        th[j] = save + eps;
        const gp = gradient64(inp, th);
        th[j] = save - eps;
        const gm = gradient64(inp, th);
        th[j] = save;
        for (let i = 0; i < P; i++) h[i * P + j] = (gp[i] - gm[i]) / (2 * eps);
      }
      return [h];
    },
    check: (out, ref) => compareAll(out, ref, 1e-3, ['hessian']),
    impl: {
      tensortape({ tt }, { x, t, theta }) {
        const xt = tt.tensor(x, [batch, dims[0]]);
        const tt_ = tt.tensor(t, [batch, dOut]);
        const loss = (th: any) => {
          let a = xt;
          layers.forEach((L, l) => {
            const W = tt.reshape(tt.slice(th, [L.w], [L.rows * L.cols]), [L.rows, L.cols]);
            const b = tt.slice(th, [L.b], [L.cols]);
            const z = tt.add(tt.matMul(a, W), b);
            a = l === layers.length - 1 ? z : tt.tanh(z);
          });
          return tt.mean(tt.square(tt.sub(a, tt_)));
        };
        const hess = tt.hessian(loss);
        const th = tt.tensor(theta, [P]);
        return { step: () => [(hess(th) as any).dataSync()] };
      },
      jax({ jax, mode }, { x, t, theta }) {
        const np = jax.numpy;
        const xt = np.array(x).reshape([batch, dims[0]]);
        const tj = np.array(t).reshape([batch, dOut]);
        const loss = (th: any) => {
          let a = xt.ref;
          layers.forEach((L, l) => {
            const W = th.ref.slice([L.w, L.w + L.rows * L.cols]).reshape([L.rows, L.cols]);
            const b = th.ref.slice([L.b, L.b + L.cols]);
            const z = np.matmul(a, W).add(b);
            a = l === layers.length - 1 ? z : np.tanh(z);
          });
          th.dispose();
          return np.mean(np.square(a.sub(tj.ref)));
        };
        const h = mode === 'jit' ? jax.jit(jax.hessian(loss)) : jax.hessian(loss);
        const th = np.array(theta);
        return { step: () => [(h(th.ref) as any).dataSync()] };
      },
    },
  };
}

export const w5: Workload = {
  id: 'W5',
  title: 'W5: Hessian of a tiny tanh MLP loss with respect to all 121 parameters',
  cases: (smoke) => [smoke ? hessianCase([2, 3, 1], 4) : hessianCase([4, 8, 8, 1], 16)],
};
