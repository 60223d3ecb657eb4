// W4: jacobians: of sigmoid(x + δ) over linspace(-10, 10, 201) with respect to a scalar δ; of a
// dense relu layer's [7, 10] output with respect to its [5, 10] kernel; and the batch jacobian of a
// 32→64→32 tanh network over a batch of 64. References are the closed forms in float64.

import { compareAll, linspace64, normal, uniform } from '../lib/numeric.js';
import { NotAvailable, type Case, type Workload } from '../lib/types.js';

// ---- sigmoid(x + δ) --------------------------------------------------------------------------

interface SigmoidInputs {
  n: number;
  delta: number;
}

function sigmoidCase(n: number): Case<SigmoidInputs, Float64Array[]> {
  return {
    id: `W4 jacobian sigmoid(x+δ) [${n}] wrt δ`,
    metric: 'ms',
    inputs: () => ({ n, delta: 0.3 }),
    reference({ n, delta }) {
      const x = linspace64(-10, 10, n);
      return [
        x.map((v) => {
          const s = 1 / (1 + Math.exp(-(v + delta)));
          return s * (1 - s);
        }),
      ];
    },
    check: (out, ref) => compareAll(out, ref, 1e-5, ['dy/dδ']),
    impl: {
      tensortape({ tt }, { n, delta }) {
        const x = tt.linspace(-10, 10, n);
        const d = tt.scalar(delta);
        return {
          step() {
            const tape = new tt.GradientTape();
            const y = tape.record(() => {
              tape.watch(d);
              return tt.sigmoid(tt.add(x, d));
            });
            return [(tape as any).jacobian(y, d).dataSync()];
          },
        };
      },
      jax({ jax, mode }, { n, delta }) {
        const np = jax.numpy;
        const x = np.linspace(-10, 10, n);
        // jax-js's jacrev takes 1-D inputs: δ is a vector of one element.
        const j = jax.jacrev((d: any) => jax.nn.sigmoid(x.ref.add(d)));
        const f = mode === 'jit' ? jax.jit(j) : j;
        const d = np.array(new Float32Array([delta]));
        return { step: () => [(f(d.ref) as any).dataSync()] };
      },
    },
  };
}

// ---- dense relu layer: d relu(xW + b) / dW ------------------------------------------------------

interface DenseInputs {
  x: Float32Array; // [7, 5]
  w: Float32Array; // [5, 10]
  b: Float32Array; // [10]
}

const DENSE = { batch: 7, inputs: 5, units: 10 };

function denseCase(): Case<DenseInputs, Float64Array[]> {
  const { batch: B, inputs: K, units: N } = DENSE;
  return {
    id: `W4 jacobian relu dense [${B},${N}] wrt kernel [${K},${N}]`,
    metric: 'ms',
    inputs: () => ({ x: normal(B * K, 41), w: normal(K * N, 42), b: uniform(N, 43, -0.5, 0.5) }),
    reference({ x, w, b }) {
      const j = new Float64Array(B * N * K * N);
      for (let i = 0; i < B; i++) {
        for (let o = 0; o < N; o++) {
          let z = b[o];
          for (let k = 0; k < K; k++) z += x[i * K + k] * w[k * N + o];
          if (z <= 0) continue;
          for (let k = 0; k < K; k++) j[((i * N + o) * K + k) * N + o] = x[i * K + k];
        }
      }
      return [j];
    },
    check: (out, ref) => compareAll(out, ref, 1e-5, ['dy/dW']),
    impl: {
      tensortape({ tt }, { x, w, b }) {
        const xt = tt.tensor(x, [B, K]);
        const W = tt.variable(tt.tensor(w, [K, N]));
        const bt = tt.tensor(b, [N]);
        return {
          step() {
            const tape = new tt.GradientTape();
            const y = tape.record(() => tt.relu(tt.add(tt.matMul(xt, W), bt)));
            return [(tape as any).jacobian(y, W).dataSync()];
          },
        };
      },
      jax({ jax, mode }, { x, w, b }) {
        const np = jax.numpy;
        const xt = np.array(x).reshape([B, K]);
        const bt = np.array(b);
        // jax-js's jacrev takes 1-D inputs: the kernel is flattened ([7, 10, 50] has the layout of
        // [7, 10, 5, 10]).
        const j = jax.jacrev((W: any) =>
          jax.nn.relu(np.matmul(xt.ref, W.reshape([K, N])).add(bt.ref)),
        );
        const f = mode === 'jit' ? jax.jit(j) : j;
        const W = np.array(w);
        return { step: () => [(f(W.ref) as any).dataSync()] };
      },
    },
  };
}

// ---- batch jacobian of a tanh network ------------------------------------------------------------

interface NetInputs {
  batch: number;
  dims: [number, number, number];
  x: Float32Array;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: Float32Array;
}

function batchJacobianCase(
  batch: number,
  dims: [number, number, number],
): Case<NetInputs, Float64Array[]> {
  const [D, H, O] = dims;
  return {
    id: `W4 batch jacobian tanh ${D}→${H}→${O} batch ${batch}`,
    metric: 'ms',
    inputs: () => ({
      batch,
      dims,
      x: normal(batch * D, 51),
      w1: normal(D * H, 52, 1 / Math.sqrt(D)),
      b1: uniform(H, 53, -0.1, 0.1),
      w2: normal(H * O, 54, 1 / Math.sqrt(H)),
      b2: uniform(O, 55, -0.1, 0.1),
    }),
    reference({ x, w1, b1, w2, b2 }) {
      // J[n, o, i] = (1 - y²)[o] Σ_k W2[k, o] (1 - h²)[k] W1[i, k]
      const j = new Float64Array(batch * O * D);
      for (let n = 0; n < batch; n++) {
        const h = new Float64Array(H);
        for (let k = 0; k < H; k++) {
          let z = b1[k];
          for (let i = 0; i < D; i++) z += x[n * D + i] * w1[i * H + k];
          h[k] = Math.tanh(z);
        }
        for (let o = 0; o < O; o++) {
          let z = b2[o];
          for (let k = 0; k < H; k++) z += h[k] * w2[k * O + o];
          const dy = 1 - Math.tanh(z) ** 2;
          for (let i = 0; i < D; i++) {
            let s = 0;
            for (let k = 0; k < H; k++) s += w2[k * O + o] * (1 - h[k] * h[k]) * w1[i * H + k];
            j[(n * O + o) * D + i] = dy * s;
          }
        }
      }
      return [j];
    },
    check: (out, ref) => compareAll(out, ref, 1e-4, ['dy/dx']),
    impl: {
      tensortape({ tt }, { x, w1, b1, w2, b2 }) {
        if (typeof (tt.GradientTape.prototype as any).batchJacobian !== 'function') {
          throw new NotAvailable('GradientTape.batchJacobian');
        }
        const xt = tt.tensor(x, [batch, D]);
        const W1 = tt.tensor(w1, [D, H]);
        const B1 = tt.tensor(b1, [H]);
        const W2 = tt.tensor(w2, [H, O]);
        const B2 = tt.tensor(b2, [O]);
        return {
          step() {
            const tape = new tt.GradientTape();
            const y = tape.record(() => {
              tape.watch(xt);
              const h = tt.tanh(tt.add(tt.matMul(xt, W1), B1));
              return tt.tanh(tt.add(tt.matMul(h, W2), B2));
            });
            return [(tape as any).batchJacobian(y, xt).dataSync()];
          },
        };
      },
      jax({ jax, mode }, { x, w1, b1, w2, b2 }) {
        const np = jax.numpy;
        const W1 = np.array(w1).reshape([D, H]);
        const B1 = np.array(b1);
        const W2 = np.array(w2).reshape([H, O]);
        const B2 = np.array(b2);
        const f = (xi: any) => {
          const h = np.tanh(np.matmul(xi, W1.ref).add(B1.ref));
          return np.tanh(np.matmul(h, W2.ref).add(B2.ref));
        };
        const j = jax.vmap(jax.jacrev(f));
        const g = mode === 'jit' ? jax.jit(j) : j;
        const xt = np.array(x).reshape([batch, D]);
        return { step: () => [(g(xt.ref) as any).dataSync()] };
      },
    },
  };
}

export const w4: Workload = {
  id: 'W4',
  title: 'W4: jacobians (sigmoid over 201 points, dense relu layer, batch jacobian of a tanh net)',
  cases: (smoke) => [
    sigmoidCase(smoke ? 11 : 201),
    denseCase(),
    smoke ? batchJacobianCase(4, [3, 5, 2]) : batchJacobianCase(64, [32, 64, 32]),
  ],
};
