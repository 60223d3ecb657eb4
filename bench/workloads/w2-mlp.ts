// W2: one training step's gradient: the mean softmax cross-entropy of a 784→512→512→10 relu MLP on
// a batch of 128, with respect to all six weights and biases (ms per step, and GFLOP/s counting the
// matrix products a backward pass needs). The reference is the same step in float64.

import { compareAll, matMul64, normal, uniform } from '../lib/numeric.js';
import { NotAvailable, type Case, type Workload } from '../lib/types.js';

interface Inputs {
  batch: number;
  sizes: number[]; // [in, hidden, hidden, classes]
  x: Float32Array;
  labels: Float32Array; // one-hot [batch, classes]
  params: Float32Array[]; // W1, b1, W2, b2, W3, b3
}

const NAMES = ['dW1', 'db1', 'dW2', 'db2', 'dW3', 'db3'];

function makeInputs(batch: number, sizes: number[]): Inputs {
  const [d0, d1, d2, d3] = sizes;
  const labels = new Float32Array(batch * d3);
  for (let i = 0; i < batch; i++) labels[i * d3 + ((i * 7 + 3) % d3)] = 1;
  return {
    batch,
    sizes,
    x: uniform(batch * d0, 21, 0, 1),
    labels,
    params: [
      normal(d0 * d1, 1, Math.sqrt(2 / d0)),
      uniform(d1, 2, -0.1, 0.1),
      normal(d1 * d2, 3, Math.sqrt(2 / d1)),
      uniform(d2, 4, -0.1, 0.1),
      normal(d2 * d3, 5, Math.sqrt(2 / d2)),
      uniform(d3, 6, -0.1, 0.1),
    ],
  };
}

/** Forward and backward in float64, written out by hand. */
function reference({ batch: B, sizes, x, labels, params }: Inputs): Float64Array[] {
  const [d0, d1, d2, d3] = sizes;
  const [W1, b1, W2, b2, W3, b3] = params;
  const dense = (
    h: ArrayLike<number>,
    W: ArrayLike<number>,
    b: ArrayLike<number>,
    k: number,
    n: number,
  ) => {
    const z = matMul64(h, W, B, k, n);
    for (let i = 0; i < B; i++) for (let j = 0; j < n; j++) z[i * n + j] += b[j];
    return z;
  };
  const z1 = dense(x, W1, b1, d0, d1);
  const h1 = z1.map((v) => Math.max(v, 0));
  const z2 = dense(h1, W2, b2, d1, d2);
  const h2 = z2.map((v) => Math.max(v, 0));
  const logits = dense(h2, W3, b3, d2, d3);
  // d loss / d logits = (softmax - labels) / B
  const g3 = new Float64Array(B * d3);
  for (let i = 0; i < B; i++) {
    let m = -Infinity;
    for (let j = 0; j < d3; j++) m = Math.max(m, logits[i * d3 + j]);
    let s = 0;
    for (let j = 0; j < d3; j++) s += Math.exp(logits[i * d3 + j] - m);
    for (let j = 0; j < d3; j++) {
      g3[i * d3 + j] = (Math.exp(logits[i * d3 + j] - m) / s - labels[i * d3 + j]) / B;
    }
  }
  const colSum = (g: Float64Array, n: number) => {
    const s = new Float64Array(n);
    for (let i = 0; i < B; i++) for (let j = 0; j < n; j++) s[j] += g[i * n + j];
    return s;
  };
  const dW3 = matMul64(h2, g3, d2, B, d3, true);
  const g2 = matMul64(g3, W3, B, d3, d2, false, true).map((v, i) => (z2[i] > 0 ? v : 0));
  const dW2 = matMul64(h1, g2, d1, B, d2, true);
  const g1 = matMul64(g2, W2, B, d2, d1, false, true).map((v, i) => (z1[i] > 0 ? v : 0));
  const dW1 = matMul64(x, g1, d0, B, d1, true);
  return [dW1, colSum(g1, d1), dW2, colSum(g2, d2), dW3, colSum(g3, d3)];
}

function mlpCase(batch: number, sizes: number[]): Case<Inputs, Float64Array[]> {
  const [d0, d1, d2, d3] = sizes;
  const fwd = 2 * batch * (d0 * d1 + d1 * d2 + d2 * d3);
  // Forward, weight gradients, and input gradients of layers 2 and 3.
  const flops = fwd + fwd + 2 * batch * (d1 * d2 + d2 * d3);
  return {
    id: `W2 MLP ${sizes.join('→')} batch ${batch}`,
    metric: 'ms',
    work: flops,
    inputs: () => makeInputs(batch, sizes),
    reference,
    check: (out, ref) => compareAll(out, ref, 2e-3, NAMES),
    impl: {
      tensortape({ tt }, { x, labels, params }) {
        if (typeof tt.nn?.softmaxCrossEntropyWithLogits !== 'function') {
          throw new NotAvailable('tt.nn.softmaxCrossEntropyWithLogits');
        }
        const shapes = [[d0, d1], [d1], [d1, d2], [d2], [d2, d3], [d3]];
        const vars = params.map((p, i) => tt.variable(tt.tensor(p, shapes[i])));
        const [W1, b1, W2, b2, W3, b3] = vars;
        const xt = tt.tensor(x, [batch, d0]);
        const yt = tt.tensor(labels, [batch, d3]);
        return {
          step() {
            const tape = new tt.GradientTape();
            const loss = tape.record(() => {
              const h1 = tt.relu(tt.add(tt.matMul(xt, W1), b1));
              const h2 = tt.relu(tt.add(tt.matMul(h1, W2), b2));
              const logits = tt.add(tt.matMul(h2, W3), b3);
              return tt.mean(tt.nn.softmaxCrossEntropyWithLogits(yt, logits));
            });
            return (tape.gradient(loss, vars) as any[]).map((g) => g.dataSync());
          },
        };
      },
      tfjs({ tf }, { x, labels, params }) {
        const shapes = [[d0, d1], [d1], [d1, d2], [d2], [d2, d3], [d3]];
        const ps = params.map((p, i) => tf.tensor(p, shapes[i]));
        const xt = tf.tensor2d(x, [batch, d0]);
        const yt = tf.tensor2d(labels, [batch, d3]);
        const grads = tf.grads((W1: any, b1: any, W2: any, b2: any, W3: any, b3: any) => {
          const h1 = tf.relu(tf.add(tf.matMul(xt, W1), b1));
          const h2 = tf.relu(tf.add(tf.matMul(h1, W2), b2));
          const logits = tf.add(tf.matMul(h2, W3), b3);
          return tf.losses.softmaxCrossEntropy(yt, logits) as any;
        });
        return {
          step() {
            const gs = tf.tidy(() => grads(ps));
            const out = gs.map((g) => g.dataSync());
            tf.dispose(gs);
            return out;
          },
        };
      },
      jax({ jax, mode }, { x, labels, params }) {
        const np = jax.numpy;
        const shapes = [[d0, d1], [d1], [d1, d2], [d2], [d2, d3], [d3]];
        const ps = params.map((p, i) => np.array(p).reshape(shapes[i]));
        const xt = np.array(x).reshape([batch, d0]);
        const yt = np.array(labels).reshape([batch, d3]);
        const loss = (p: any[], xb: any, yb: any) => {
          const [W1, b1, W2, b2, W3, b3] = p;
          const h1 = jax.nn.relu(np.matmul(xb, W1).add(b1));
          const h2 = jax.nn.relu(np.matmul(h1, W2).add(b2));
          const logits = np.matmul(h2, W3).add(b3);
          return np.mean(np.sum(yb.mul(jax.nn.logSoftmax(logits, -1)), -1).mul(-1));
        };
        const g = mode === 'jit' ? jax.jit(jax.grad(loss)) : jax.grad(loss);
        return {
          step() {
            const gs = g(
              ps.map((p) => p.ref),
              xt.ref,
              yt.ref,
            ) as any[];
            return gs.map((a) => a.dataSync());
          },
        };
      },
    },
  };
}

export const w2: Workload = {
  id: 'W2',
  title: 'W2: gradient of a 784→512→512→10 relu MLP, softmax cross-entropy, batch 128',
  cases: (smoke) => [smoke ? mlpCase(8, [784, 32, 32, 10]) : mlpCase(128, [784, 512, 512, 10])],
};
