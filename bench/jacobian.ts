// Jacobian benchmarks: (1) the vectorized batchJacobian of a 32→64→32 tanh network on a batch of
// 64 ([64, 32, 32]) against the looping path (experimentalUsePfor: false), with and without the
// recording of the forward pass, and the same Jacobians computed in closed form without a tape (a
// floor for any vectorized path), plus the cost per element of one op at either path's size; (2) the 148×148
// Hessian of a small tanh network, checked against central finite differences in float64 and
// timed against tfjs's grad-of-grad loop (one nested tf.grad per Hessian row).
//
//   node --import tsx bench/jacobian.ts [--quick]
//
// Every registered backend is measured (tt.backends()); times are medians of repeated runs.
// bench/tf_batch_jacobian.py times TensorFlow's own vectorized and looping paths on the same network.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tt from '../src/node.js';

const quick = process.argv.includes('--quick');

/**
 * tfjs-core's gradients are registered by the @tensorflow/tfjs union package, which is not a
 * dependency here: register tfjs-core's own gradient configs (dist/gradients/*_grad.js) directly.
 */
async function registerTfjsGradients(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dir = require
    .resolve('@tensorflow/tfjs-core/package.json')
    .replace(/package\.json$/, 'dist/gradients/');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('_grad.js'))) {
    let mod: Record<string, unknown>;
    try {
      mod = await import(dir + file);
    } catch {
      continue; // a few configs import a directory, which Node's ESM loader refuses (none is used here)
    }
    for (const v of Object.values(mod) as tf.GradConfig[]) {
      if (
        v !== null &&
        typeof v === 'object' &&
        typeof v.kernelName === 'string' &&
        typeof v.gradFunc === 'function'
      ) {
        try {
          tf.registerGradient(v);
        } catch {
          /* registered already */
        }
      }
    }
  }
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `fn` in ms, after one warm-up call; returns the last result too. */
function time<T>(fn: () => T, runs: number): [number, T] {
  let r = fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    r = fn();
    ts.push(performance.now() - t0);
  }
  return [median(ts), r];
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

// ---- 1. batchJacobian: vectorized vs looping -----------------------------------------------------

function batchJacobianBench(): void {
  console.log('## batchJacobian of a 32→64→32 tanh network, batch 64 → [64, 32, 32]');
  tt.random.setSeed(1);
  const x = tt.random.normal([64, 32]);
  const w1 = tt.random.normal([32, 64], { stddev: 0.2 });
  const b1 = tt.random.normal([64], { stddev: 0.1 });
  const w2 = tt.random.normal([64, 32], { stddev: 0.2 });
  const b2 = tt.random.normal([32], { stddev: 0.1 });
  const layer1 = (u: tt.Tensor) => tt.tanh(tt.add(tt.matMul(u, w1), b1));
  const layer2 = (h: tt.Tensor) => tt.tanh(tt.add(tt.matMul(h, w2), b2));
  const record = () => {
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return layer2(layer1(x));
    });
    return { tape, y };
  };
  const jacobian = (pfor: boolean) => (r: ReturnType<typeof record>) =>
    r.tape.batchJacobian(r.y, x, { experimentalUsePfor: pfor });
  // A floor for any vectorized backward pass: the Jacobians in closed form, no tape and no seeds,
  // J_b = diag(1 - y_b²) · W2ᵀ · diag(1 - h_b²) · W1ᵀ, from the forward values with one batched
  // matmul (half the multiply-adds of a backward pass over identity seeds).
  const w2t = tt.reshape(tt.transpose(w2), [1, 32, 64]);
  const closedForm = (h: tt.Tensor, y: tt.Tensor) => {
    const dh = tt.sub(1, tt.square(h));
    const dy = tt.sub(1, tt.square(y));
    const t = tt.mul(tt.reshape(dh, [64, 1, 64]), w2t);
    const j = tt.matMul(tt.reshape(t, [64 * 32, 64]), w1, false, true);
    return tt.mul(tt.reshape(j, [64, 32, 32]), tt.reshape(dy, [64, 32, 1]));
  };
  const runs = quick ? 3 : 15;
  for (const backend of tt.backends()) {
    tt.setBackend(backend);
    // (a) what a user runs: record the forward pass on a tape, then take the batch Jacobian.
    const [tv, jv] = time(() => jacobian(true)(record()), runs);
    const [tl, jl] = time(() => jacobian(false)(record()), runs);
    const [tc, jc] = time(() => {
      const h = layer1(x);
      return closedForm(h, layer2(h));
    }, runs);
    // (b) the batchJacobian call alone, on a tape recorded once (the forward pass is not timed).
    const recorded = record();
    const [tv1] = time(() => jacobian(true)(recorded), runs);
    const [tl1] = time(() => jacobian(false)(recorded), runs);
    const h = layer1(x);
    const y = layer2(h);
    const [tc1] = time(() => closedForm(h, y), runs);
    const diff = maxAbsDiff(jv.dataSync(), jl.dataSync());
    const diffC = maxAbsDiff(jv.dataSync(), jc.dataSync());
    const target = tl / tv >= 10 ? 'meets' : 'below';
    console.log(
      `${backend}: vectorized ${ms(tv)}, looping ${ms(tl)}: ${(tl / tv).toFixed(1)}× (${target} the 10× target) ` +
        `(shape [${jv.shape.join(', ')}], max |difference| ${diff.toExponential(1)}); ` +
        `closed form ${ms(tc)}, ${(tl / tc).toFixed(1)}× the looping path (max |difference| ${diffC.toExponential(1)})`,
    );
    console.log(
      `${backend}, batchJacobian alone on a recorded tape: vectorized ${ms(tv1)}, looping ${ms(tl1)}: ` +
        `${(tl1 / tv1).toFixed(1)}×; closed form from the forward values ${ms(tc1)}, ` +
        `${(tl1 / tc1).toFixed(1)}× the looping path`,
    );
    // What bounds the ratio: an elementwise op at the looping path's size against the same op at
    // the vectorized size (32 times the elements), in ns per element.
    const perElement = (shape: number[]) => {
      const a = tt.random.normal(shape);
      const b = tt.random.normal(shape.slice(-2));
      const reps = Math.max(1, Math.round(2 ** 21 / a.size));
      const [t] = time(() => {
        for (let i = 0; i < reps; i++) tt.mul(a, b);
      }, runs);
      return (t * 1e6) / (reps * a.size);
    };
    console.log(
      `${backend}, broadcast multiply: ${perElement([64, 64]).toFixed(2)} ns/element on [64, 64] (a looping step), ` +
        `${perElement([32, 64, 64]).toFixed(2)} on [32, 64, 64] (the vectorized pass)`,
    );
  }
}

// ---- 2. the 148×148 Hessian of a small tanh network -----------------------------------------------

// θ = [W1 (4×16), b1 (16), W2 (16×4), b2 (4)]: 64 + 16 + 64 + 4 = 148 parameters.
const SIZES = { w1: [4, 16], b1: [16], w2: [16, 4], b2: [4] } as const;
const N = 148;
const inputs = Float64Array.from({ length: 8 * 4 }, (_, i) => Math.sin(1.7 * i + 0.3));
const targets = Float64Array.from({ length: 8 * 4 }, (_, i) => Math.cos(0.9 * i));
const theta0 = Float64Array.from({ length: N }, (_, i) => 0.5 * Math.sin(2.3 * i + 1));

/** loss(θ) = Σ (tanh(tanh(x W1 + b1) W2 + b2) - t)², over 8 examples. */
function ttLoss(theta: tt.Tensor): tt.Tensor {
  const dtype = theta.dtype;
  let at = 0;
  const take = (shape: readonly number[]) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const t = tt.reshape(tt.slice(theta, [at], [n]), shape as number[]);
    at += n;
    return t;
  };
  const w1 = take(SIZES.w1);
  const b1 = take(SIZES.b1);
  const w2 = take(SIZES.w2);
  const b2 = take(SIZES.b2);
  const x = tt.tensor(inputs, [8, 4], dtype);
  const h = tt.tanh(tt.add(tt.matMul(x, w1), b1));
  const y = tt.tanh(tt.add(tt.matMul(h, w2), b2));
  return tt.sum(tt.square(tt.sub(y, tt.tensor(targets, [8, 4], dtype))));
}

function tfLoss(theta: tf.Tensor1D): tf.Scalar {
  let at = 0;
  const take = (shape: readonly number[]) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const t = tf.reshape(tf.slice(theta, [at], [n]), shape as number[]);
    at += n;
    return t;
  };
  const w1 = take(SIZES.w1) as tf.Tensor2D;
  const b1 = take(SIZES.b1);
  const w2 = take(SIZES.w2) as tf.Tensor2D;
  const b2 = take(SIZES.b2);
  const x = tf.tensor2d(Float32Array.from(inputs), [8, 4]);
  const h = tf.tanh(tf.add(tf.matMul(x, w1), b1)) as tf.Tensor2D;
  const y = tf.tanh(tf.add(tf.matMul(h, w2), b2));
  return tf.sum(tf.square(tf.sub(y, tf.tensor2d(Float32Array.from(targets), [8, 4]))));
}

/** The Hessian by central differences of the (exact, reverse-mode) gradient, in float64. */
function finiteDifferenceHessian(): Float64Array {
  const grad = tt.grad(ttLoss);
  const h = new Float64Array(N * N);
  const eps = 1e-5;
  for (let j = 0; j < N; j++) {
    const p = theta0.slice();
    const m = theta0.slice();
    p[j] += eps;
    m[j] -= eps;
    const gp = grad(tt.tensor(p, [N], 'float64')).dataSync();
    const gm = grad(tt.tensor(m, [N], 'float64')).dataSync();
    for (let i = 0; i < N; i++) h[i * N + j] = (gp[i] - gm[i]) / (2 * eps);
  }
  return h;
}

type Report = (what: string, t: number, h: ArrayLike<number>) => void;

function hessianBench(): Report {
  console.log('\n## 148×148 Hessian of a 4→16→4 tanh network (8 examples, squared error)');
  const reference = finiteDifferenceHessian();
  const scale = Math.max(...Array.from(reference, Math.abs));
  console.log(`finite-difference reference: max |H| ${scale.toFixed(3)}`);
  const report: Report = (what, t, h) => {
    let asym = 0;
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) asym = Math.max(asym, Math.abs(h[i * N + j] - h[j * N + i]));
    console.log(
      `${what}: ${ms(t)}, max |H - H_fd| ${maxAbsDiff(h, reference).toExponential(1)}, ` +
        `max |H - Hᵀ| ${asym.toExponential(1)}`,
    );
  };
  const runs = quick ? 2 : 5;
  for (const backend of tt.backends()) {
    tt.setBackend(backend);
    for (const dtype of ['float64', 'float32'] as const) {
      const theta = tt.tensor(theta0, [N], dtype);
      const [t1, h1] = time(() => tt.hessian(ttLoss)(theta) as tt.Tensor, runs);
      report(`tensortape ${backend} ${dtype} tt.hessian (forward over reverse)`, t1, h1.dataSync());
      const [t2, h2] = time(() => {
        const outer = new tt.GradientTape();
        const g = outer.record(() => {
          outer.watch(theta);
          const inner = new tt.GradientTape();
          const loss = inner.record(() => {
            inner.watch(theta);
            return ttLoss(theta);
          });
          return inner.gradient(loss, theta) as tt.Tensor;
        });
        return outer.jacobian(g, theta) as tt.Tensor;
      }, runs);
      report(`tensortape ${backend} ${dtype} tape.jacobian of tape.gradient`, t2, h2.dataSync());
    }
  }
  return report;
}

async function tfjsHessianBench(report: Report): Promise<void> {
  // tfjs: one grad-of-grad per row, H[i] = ∇(e_i · ∇loss).
  await registerTfjsGradients();
  await tf.setBackend('cpu');
  const theta = tf.tensor1d(Float32Array.from(theta0));
  const gradLoss = tf.grad(tfLoss as (x: tf.Tensor) => tf.Tensor);
  const tfHessian = () => {
    const rows: Float32Array[] = [];
    for (let i = 0; i < N; i++) {
      const row = tf.tidy(() => {
        const e = tf.reshape(tf.oneHot(tf.tensor1d([i], 'int32'), N), [N]);
        return tf.grad((th: tf.Tensor) => tf.sum(tf.mul(gradLoss(th), e)))(theta);
      });
      rows.push(row.dataSync() as Float32Array);
      row.dispose();
    }
    const h = new Float32Array(N * N);
    rows.forEach((r, i) => h.set(r, i * N));
    return h;
  };
  const [tfT, tfH] = time(tfHessian, quick ? 1 : 3);
  report('tfjs-core cpu float32 grad-of-grad loop (148 rows)', tfT, tfH);
}

batchJacobianBench();
await tfjsHessianBench(hessianBench());
