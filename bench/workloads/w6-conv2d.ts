// W6: conv2d forward and backward: batch 32, 28×28×16 input, 3×3×16×32 filter, 'same' padding,
// stride 1. The step computes loss = Σ conv2d(x, w)·r for a fixed random r, and its gradients with
// respect to x and w; the float64 reference checks the loss, sampled entries of dx, and dw.

import { normal, rng } from '../lib/numeric.js';
import { NotAvailable, type Case, type Workload } from '../lib/types.js';

interface Geometry {
  N: number;
  H: number;
  W: number;
  C: number;
  K: number; // filter size
  O: number;
}

interface Inputs {
  g: Geometry;
  x: Float32Array; // NHWC
  w: Float32Array; // HWIO
  r: Float32Array; // NHWO
}

interface Ref {
  loss: number;
  lossScale: number;
  dxAt: number[];
  dx: number[];
  dxScale: number[];
  dwAt: number[];
  dw: number[];
  dwScale: number[];
}

/** Σ over the 'same' window of the product; `get(n, h, v, c)` is 0 outside the image. */
function conv64({ N, H, W, C, K, O }: Geometry, x: Float32Array, w: Float32Array, r: Float32Array) {
  const pad = (K - 1) >> 1;
  let loss = 0;
  let scale = 0;
  for (let n = 0; n < N; n++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let o = 0; o < O; o++) {
          let y = 0;
          let ys = 0;
          for (let p = 0; p < K; p++) {
            const h = i + p - pad;
            if (h < 0 || h >= H) continue;
            for (let q = 0; q < K; q++) {
              const v = j + q - pad;
              if (v < 0 || v >= W) continue;
              for (let c = 0; c < C; c++) {
                const t = x[((n * H + h) * W + v) * C + c] * w[((p * K + q) * C + c) * O + o];
                y += t;
                ys += Math.abs(t);
              }
            }
          }
          const rv = r[((n * H + i) * W + j) * O + o];
          loss += y * rv;
          scale += ys * Math.abs(rv);
        }
  return [loss, scale];
}

function convCase(g: Geometry): Case<Inputs, Ref> {
  const { N, H, W, C, K, O } = g;
  const pad = (K - 1) >> 1;
  const flops = 3 * 2 * N * H * W * O * K * K * C;
  return {
    id: `W6 conv2d fwd+bwd ${N}×${H}×${W}×${C} * ${K}×${K}×${C}×${O}`,
    metric: 'ms',
    work: flops,
    inputs: () => ({
      g,
      x: normal(N * H * W * C, 71),
      w: normal(K * K * C * O, 72, 1 / Math.sqrt(K * K * C)),
      r: normal(N * H * W * O, 73),
    }),
    reference({ x, w, r }) {
      const [loss, lossScale] = conv64(g, x, w, r);
      const next = rng(74);
      const dxAt: number[] = [];
      const dx: number[] = [];
      const dxScale: number[] = [];
      // dx[n,h,v,c] = Σ_{p,q,o} r[n, h-p+pad, v-q+pad, o] · w[p,q,c,o]
      for (let s = 0; s < 256; s++) {
        const n = Math.floor(next() * N);
        const h = Math.floor(next() * H);
        const v = Math.floor(next() * W);
        const c = Math.floor(next() * C);
        let sum = 0;
        let sc = 0;
        for (let p = 0; p < K; p++) {
          const i = h - p + pad;
          if (i < 0 || i >= H) continue;
          for (let q = 0; q < K; q++) {
            const j = v - q + pad;
            if (j < 0 || j >= W) continue;
            for (let o = 0; o < O; o++) {
              const t = r[((n * H + i) * W + j) * O + o] * w[((p * K + q) * C + c) * O + o];
              sum += t;
              sc += Math.abs(t);
            }
          }
        }
        dxAt.push(((n * H + h) * W + v) * C + c);
        dx.push(sum);
        dxScale.push(sc);
      }
      // dw[p,q,c,o] = Σ_{n,i,j} x[n, i+p-pad, j+q-pad, c] · r[n,i,j,o]
      const dwAt: number[] = [];
      const dw: number[] = [];
      const dwScale: number[] = [];
      for (let s = 0; s < 64; s++) {
        const p = Math.floor(next() * K);
        const q = Math.floor(next() * K);
        const c = Math.floor(next() * C);
        const o = Math.floor(next() * O);
        let sum = 0;
        let sc = 0;
        for (let n = 0; n < N; n++)
          for (let i = 0; i < H; i++) {
            const h = i + p - pad;
            if (h < 0 || h >= H) continue;
            for (let j = 0; j < W; j++) {
              const v = j + q - pad;
              if (v < 0 || v >= W) continue;
              const t = x[((n * H + h) * W + v) * C + c] * r[((n * H + i) * W + j) * O + o];
              sum += t;
              sc += Math.abs(t);
            }
          }
        dwAt.push(((p * K + q) * C + c) * O + o);
        dw.push(sum);
        dwScale.push(sc);
      }
      return { loss, lossScale, dxAt, dx, dxScale, dwAt, dw, dwScale };
    },
    check([loss, dx, dw], ref) {
      // Sums of many terms of random sign are about √count terms large; float32 rounding stays
      // far below 1e-3 of that, while a wrong result is off by the whole magnitude.
      const lossTol = (1e-3 * ref.lossScale) / Math.sqrt(N * H * W * O * K * K * C);
      const dwTol = 1e-3 / Math.sqrt(N * H * W);
      if (!(Math.abs(loss[0] - ref.loss) <= lossTol)) {
        return `loss ${loss[0]}, expected ${ref.loss}`;
      }
      if (dx.length !== N * H * W * C) return `dx has ${dx.length} values`;
      if (dw.length !== K * K * C * O) return `dw has ${dw.length} values`;
      for (let s = 0; s < ref.dxAt.length; s++) {
        const got = dx[ref.dxAt[s]];
        if (!(Math.abs(got - ref.dx[s]) <= 1e-5 * ref.dxScale[s] + 1e-30)) {
          return `dx[${ref.dxAt[s]}] = ${got}, expected ${ref.dx[s]}`;
        }
      }
      for (let s = 0; s < ref.dwAt.length; s++) {
        const got = dw[ref.dwAt[s]];
        if (!(Math.abs(got - ref.dw[s]) <= dwTol * ref.dwScale[s] + 1e-30)) {
          return `dw[${ref.dwAt[s]}] = ${got}, expected ${ref.dw[s]}`;
        }
      }
      return null;
    },
    impl: {
      tensortape({ tt }, { x, w, r }) {
        if (typeof tt.conv2d !== 'function') throw new NotAvailable('tt.conv2d');
        const X = tt.tensor(x, [N, H, W, C]);
        const Wt = tt.tensor(w, [K, K, C, O]);
        const R = tt.tensor(r, [N, H, W, O]);
        return {
          step() {
            const tape = new tt.GradientTape();
            const loss = tape.record(() => {
              tape.watch([X, Wt]);
              return tt.sum(tt.mul(tt.conv2d(X, Wt, 1, 'same'), R));
            });
            const [dx, dw] = tape.gradient(loss, [X, Wt]) as any[];
            return [loss.dataSync(), dx.dataSync(), dw.dataSync()];
          },
        };
      },
      tfjs({ tf }, { x, w, r }) {
        const X = tf.tensor4d(x, [N, H, W, C]);
        const Wt = tf.tensor4d(w, [K, K, C, O]);
        const R = tf.tensor4d(r, [N, H, W, O]);
        const f = tf.valueAndGrads((a: any, b: any) =>
          tf.sum(tf.mul(tf.conv2d(a, b, 1, 'same'), R)),
        );
        return {
          step() {
            const { value, grads } = f([X, Wt]);
            const out = [value.dataSync(), grads[0].dataSync(), grads[1].dataSync()];
            tf.dispose([value, ...grads]);
            return out;
          },
        };
      },
      jax({ jax, mode }, { x, w, r }) {
        // jax-js convolves NCHW inputs with OIHW filters: its native layout, set up untimed.
        const np = jax.numpy;
        const X = np.array(x).reshape([N, H, W, C]).transpose([0, 3, 1, 2]);
        const Wt = np.array(w).reshape([K, K, C, O]).transpose([3, 2, 0, 1]);
        const R = np.array(r).reshape([N, H, W, O]).transpose([0, 3, 1, 2]);
        const loss = (a: any, b: any) => np.sum(jax.lax.conv(a, b, [1, 1], 'SAME').mul(R.ref));
        const vg = jax.valueAndGrad(loss, { argnums: [0, 1] });
        const f = mode === 'jit' ? jax.jit(vg) : vg;
        return {
          step() {
            const [value, [dx, dw]] = f(X.ref, Wt.ref) as any;
            return [value.dataSync(), dx.dataSync(), dw.dataSync()];
          },
          toReference([loss, dx, dw]) {
            const dxN = new Float32Array(dx.length);
            for (let n = 0; n < N; n++)
              for (let c = 0; c < C; c++)
                for (let h = 0; h < H; h++)
                  for (let v = 0; v < W; v++)
                    dxN[((n * H + h) * W + v) * C + c] = dx[((n * C + c) * H + h) * W + v];
            const dwN = new Float32Array(dw.length);
            for (let o = 0; o < O; o++)
              for (let c = 0; c < C; c++)
                for (let p = 0; p < K; p++)
                  for (let q = 0; q < K; q++)
                    dwN[((p * K + q) * C + c) * O + o] = dw[((o * C + c) * K + p) * K + q];
            return [loss, dxN, dwN];
          },
        };
      },
    },
  };
}

export const w6: Workload = {
  id: 'W6',
  title: "W6: conv2d forward and backward, batch 32, 28×28×16 → 3×3×16×32, 'same'",
  cases: (smoke) => [
    smoke
      ? convCase({ N: 2, H: 6, W: 5, C: 3, K: 3, O: 4 })
      : convCase({ N: 32, H: 28, W: 28, C: 16, K: 3, O: 32 }),
  ],
};
