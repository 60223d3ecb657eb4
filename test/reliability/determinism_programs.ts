// Programs whose results must be reproducible: the same seed gives the same bits, run to run and
// process to process, and every backend agrees with the pure-TypeScript one within a tolerance.
// Each program returns named tensors; `fingerprint` hashes their bytes.
import { createHash } from 'node:crypto';
import * as tt from '../../src/index.js';

export type Program = () => Record<string, tt.Tensor>;

/** Seeded draws: global stream, per-call seeds, dropout masks, layer initialisation. */
const randomness: Program = () => {
  const out: Record<string, tt.Tensor> = {
    normal: tt.random.normal([5, 7]),
    uniform: tt.random.uniform([13], { minval: -2, maxval: 3 }),
    normal64: tt.random.normal([9], { dtype: 'float64', mean: 1, stddev: 2 }),
    seeded: tt.random.uniform([4], { seed: 123 }),
    dropout: tt.dropout(tt.ones([6, 6]), 0.5),
  };
  const dense = new tt.layers.Dense(4);
  out.dense = dense.apply(tt.ones([2, 3]));
  out.kernel = dense.kernel!.value();
  return out;
};

/**
 * Twenty SGD-with-momentum steps of a small MLP on seeded data (float32): losses and final weights.
 * (SGD, not Adam: Adam divides by the root of tiny second moments, which magnifies rounding
 * differences between backends far beyond any fixed tolerance.)
 */
const training: Program = () => {
  const x = tt.random.normal([16, 5]);
  const y = tt.sum(tt.tanh(x), 1, true);
  const l1 = new tt.layers.Dense(8, { activation: 'tanh' });
  const l2 = new tt.layers.Dense(1);
  const opt = new tt.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 });
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const tape = new tt.GradientTape();
    const loss = tape.record(() => tt.mean(tt.square(tt.sub(l2.apply(l1.apply(x)), y))));
    const vars = [...l1.trainableVariables, ...l2.trainableVariables];
    opt.applyGradients(tape.gradient(loss, vars) as tt.Tensor[], vars);
    losses.push(loss.item());
  }
  return {
    losses: tt.tensor(losses),
    kernel1: l1.kernel!.value(),
    kernel2: l2.kernel!.value(),
    bias2: l2.bias!.value(),
  };
};

/** Derivatives: a Hessian, a jacobian, conv2d and softmax cross-entropy gradients. */
const derivatives: Program = () => {
  const x = tt.random.normal([4], { dtype: 'float64' });
  const f = (v: tt.Tensor): tt.Tensor => tt.sum(tt.mul(tt.sin(v), tt.exp(tt.mul(v, 0.3))));
  const img = tt.random.normal([2, 5, 5, 3]);
  const filt = tt.random.normal([3, 3, 3, 4]);
  const logits = tt.random.normal([6, 10]);
  const labels = tt.softmax(tt.random.normal([6, 10]));
  const tape = new tt.GradientTape({ persistent: true });
  const [conv, ce] = tape.record(() => {
    tape.watch([img, filt, logits]);
    return [
      tt.sum(tt.square(tt.conv2d(img, filt, 1, 'same'))),
      tt.sum(tt.softmaxCrossEntropyWithLogits(labels, logits)),
    ];
  });
  const [gImg, gFilt] = tape.gradient(conv, [img, filt]) as tt.Tensor[];
  const jt = new tt.GradientTape();
  const jy = jt.record(() => {
    jt.watch(x);
    return tt.tanh(tt.matMul(tt.reshape(x, [2, 2]), tt.reshape(x, [2, 2])));
  });
  return {
    hessian: tt.hessian(f)(x) as tt.Tensor,
    jacobian: jt.jacobian(jy, x) as tt.Tensor,
    gImg,
    gFilt,
    gLogits: tape.gradient(ce, logits) as tt.Tensor,
  };
};

/** Large kernels where a faster backend may sum in another order. */
const kernels: Program = () => {
  const a = tt.random.normal([64, 96]);
  const b = tt.random.normal([96, 48]);
  const big = tt.random.uniform([100_000], { minval: -1, maxval: 1 });
  const v = tt.random.uniform([1000], { minval: 0.1, maxval: 3 });
  return {
    matMul: tt.matMul(a, b),
    batched: tt.matMul(
      tt.reshape(a, [4, 16, 96]),
      tt.reshape(tt.slice(b, [0, 0], [96, 16]), [1, 96, 16]),
    ),
    sum: tt.sum(big),
    mean: tt.mean(tt.reshape(big, [100, 1000]), 1),
    max: tt.max(tt.reshape(big, [1000, 100]), 0),
    exp: tt.exp(v),
    log: tt.log(v),
    tanh: tt.tanh(v),
    sigmoid: tt.sigmoid(tt.neg(v)),
    pow: tt.pow(v, 1.7),
    softmax: tt.softmax(tt.reshape(big, [1000, 100])),
  };
};

export const PROGRAMS: Record<string, Program> = { randomness, training, derivatives, kernels };

/** Runs a program from a fresh global seed. */
export function run(name: string, seed: number): Record<string, tt.Tensor> {
  tt.random.setSeed(seed);
  return PROGRAMS[name]();
}

/** A hash of the programs' results: names, shapes, dtypes and every byte. */
export function fingerprint(results: Record<string, Record<string, tt.Tensor>>): string {
  const h = createHash('sha256');
  for (const [p, r] of Object.entries(results)) {
    for (const [k, t] of Object.entries(r)) {
      const d = t.dataSync();
      h.update(`${p}.${k}:${t.dtype}[${t.shape}]`);
      h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
    }
  }
  return h.digest('hex');
}

/** Every program at one seed. */
export function runAll(seed: number): Record<string, Record<string, tt.Tensor>> {
  return Object.fromEntries(Object.keys(PROGRAMS).map((p) => [p, run(p, seed)]));
}
