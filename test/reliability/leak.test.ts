// Memory soak, short version: a small network trained in a synchronous loop, and persistent,
// nested and forward-mode tapes run in a loop, with heap and external memory measured after forced
// garbage collection; growth beyond a stated bound fails. Tensors are ordinary garbage-collected
// memory, so nothing here disposes anything. `SOAK_STEPS=10000` (npm run test:long) runs the long
// version and prints the figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as tt from '../../src/node.js'; // Node's entry: every backend Node users get

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const STEPS = Number(process.env.SOAK_STEPS ?? '') || 300;
/** Warm-up steps before the baseline (JIT code, inline caches, warn-once sets settle). */
const WARMUP = Math.min(100, Math.ceil(STEPS / 4));
/**
 * Allowed growth of heap + external memory between the baseline and the end. A step allocates
 * tens of kilobytes; a leak of one step's tape or tensors would grow by megabytes over the run.
 */
const BOUND_BYTES = 2 * 1024 * 1024;
/** Allowed growth per step, for the long variant (10,000 steps): 100 bytes. */
const BOUND_PER_STEP = 100;

interface Sample {
  step: number;
  heap: number;
  external: number;
  rss: number;
  tensors: number | null;
}

function settle(): void {
  for (let i = 0; i < 4; i++) gc();
}

function sample(step: number): Sample {
  settle();
  const m = process.memoryUsage();
  const memory = (tt as unknown as { memory?: () => { numTensors?: number } }).memory;
  return {
    step,
    heap: m.heapUsed,
    external: m.external, // includes ArrayBuffers and WebAssembly memories
    rss: m.rss,
    tensors: typeof memory === 'function' ? (memory().numTensors ?? null) : null,
  };
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(2)} MB`;

/** Runs `step` STEPS times; returns the samples (baseline after warm-up, then every tenth). */
function soak(name: string, step: (i: number) => void): Sample[] {
  for (let i = 0; i < WARMUP; i++) step(i);
  const samples = [sample(0)];
  const every = Math.max(1, Math.floor(STEPS / 10));
  for (let i = 1; i <= STEPS; i++) {
    step(WARMUP + i);
    if (i % every === 0 || i === STEPS) samples.push(sample(i));
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const growth = last.heap + last.external - (first.heap + first.external);
  console.log(
    `# soak ${name}: ${STEPS} steps, heap ${mb(first.heap)} -> ${mb(last.heap)}, external ` +
      `${mb(first.external)} -> ${mb(last.external)}, growth ${mb(growth)} ` +
      `(${(growth / STEPS).toFixed(1)} bytes/step), rss ${mb(first.rss)} -> ${mb(last.rss)}` +
      (last.tensors !== null ? `, live tensors ${first.tensors} -> ${last.tensors}` : ''),
  );
  return samples;
}

function assertBounded(samples: Sample[]): void {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const growth = last.heap + last.external - (first.heap + first.external);
  const bound = Math.max(BOUND_BYTES, BOUND_PER_STEP * STEPS);
  assert.ok(
    growth <= bound,
    `memory grew by ${mb(growth)} over ${STEPS} steps (bound ${mb(bound)}): ` +
      samples.map((s) => `${s.step}: ${mb(s.heap + s.external)}`).join(', '),
  );
  if (first.tensors !== null && last.tensors !== null)
    assert.ok(
      last.tensors - first.tensors <= 16,
      `live tensors ${first.tensors} -> ${last.tensors}`,
    );
}

/** Runs `fn` on backend `b`, restoring the current one. */
function on<T>(b: string, fn: () => T): T {
  const before = tt.getBackend();
  tt.setBackend(b);
  try {
    return fn();
  } finally {
    tt.setBackend(before);
  }
}

describe('memory stays bounded in long synchronous loops', () => {
  for (const b of tt.backends()) {
    it(`${b}: training a small network (Dense-relu-Dense, Adam) step after step`, () =>
      on(b, () => {
        tt.random.setSeed(1);
        const x = tt.random.normal([32, 8]);
        const yTrue = tt.sum(tt.sin(x), 1, true);
        const l1 = new tt.layers.Dense(16, { activation: 'relu' });
        const l2 = new tt.layers.Dense(1);
        const opt = new tt.optimizers.Adam({ learningRate: 0.01 });
        let loss = Infinity;
        let first = NaN;
        const samples = soak(`training (${b})`, () => {
          const tape = new tt.GradientTape();
          const l = tape.record(() => tt.mean(tt.square(tt.sub(l2.apply(l1.apply(x)), yTrue))));
          const vars = [...l1.trainableVariables, ...l2.trainableVariables];
          const grads = tape.gradient(l, vars) as tt.Tensor[];
          opt.applyGradients(grads, vars);
          loss = l.item();
          if (Number.isNaN(first)) first = loss;
        });
        assert.ok(loss < first, `the network trains (loss ${first} -> ${loss})`);
        assertBounded(samples);
      }));

    it(`${b}: persistent and nested tapes, jacobians and forward mode in a loop`, () =>
      on(b, () => {
        const w = tt.variable(tt.random.normal([6, 6], { seed: 3, dtype: 'float64' }));
        const x0 = tt.random.normal([4, 6], { seed: 4, dtype: 'float64' });
        let check = 0;
        const samples = soak(`tapes (${b})`, (i) => {
          const x = tt.add(x0, i * 1e-6);
          const outer = new tt.GradientTape();
          const inner = new tt.GradientTape({ persistent: true });
          let th: tt.Tensor | null = null;
          const y = tt.record([outer, inner], () => {
            outer.watch(x);
            inner.watch(x);
            th = tt.tanh(x);
            return tt.sum(tt.tanh(tt.matMul(x, w)));
          });
          const [gx, gw] = inner.gradient(y, [x, w]) as tt.Tensor[];
          const j = inner.jacobian(th!, x) as tt.Tensor;
          // Second order with a tape nested inside another's recording.
          const tape2 = new tt.GradientTape();
          const g2 = tape2.record(() => {
            tape2.watch(x);
            const t = new tt.GradientTape();
            const z = t.record(() => {
              t.watch(x);
              return tt.sum(tt.sin(x));
            });
            return tt.sum(t.gradient(z, x) as tt.Tensor);
          });
          const h = tape2.gradient(g2, x) as tt.Tensor;
          const acc = new tt.ForwardAccumulator(x, tt.onesLike(x));
          const fy = acc.record(() => tt.sum(tt.exp(tt.mul(x, 0.1))));
          const jvp = acc.jvp(fy) as tt.Tensor;
          const gOuter = outer.gradient(y, x) as tt.Tensor;
          check = gx.size + gw.size + j.size + h.size + jvp.size + gOuter.size;
        });
        assert.equal(check, 24 + 36 + 24 * 24 + 24 + 1 + 24);
        assertBounded(samples);
      }));
  }

  it('a tape releases what it recorded once used (non-persistent) or reset', async () => {
    // A WeakRef keeps its target alive until the current job ends: check after a turn.
    const collected = async (ref: WeakRef<object>): Promise<boolean> => {
      await new Promise((r) => setImmediate(r));
      settle();
      return ref.deref() === undefined;
    };
    const make = (
      persistent: boolean,
    ): { tape: tt.GradientTape; ref: WeakRef<tt.Tensor>; y: tt.Tensor; x: tt.Tensor } => {
      const x = tt.ones([64, 64], 'float64');
      const tape = new tt.GradientTape({ persistent });
      let mid: tt.Tensor | null = null;
      const y = tape.record(() => {
        tape.watch(x);
        mid = tt.exp(x); // recorded: the tape keeps it for the backward pass
        return tt.sum(tt.mul(mid, 2));
      });
      return { tape, ref: new WeakRef(mid!), y, x };
    };
    const unused = make(false);
    assert.equal(await collected(unused.ref), false, 'an unused tape keeps what it recorded');
    const used = make(false);
    used.tape.gradient(used.y, used.x);
    assert.equal(await collected(used.ref), true, 'a used non-persistent tape still holds a value');
    const persistent = make(true);
    persistent.tape.gradient(persistent.y, persistent.x);
    assert.equal(await collected(persistent.ref), false, 'a persistent tape keeps its values');
    persistent.tape.record(() => persistent.tape.reset());
    assert.equal(await collected(persistent.ref), true, 'reset did not release recorded values');
    const dropped = make(true);
    const tapeRef = new WeakRef(dropped.tape);
    (dropped as { tape: unknown }).tape = null;
    assert.equal(await collected(tapeRef), true, 'a dropped tape is not collected');
    assert.equal(await collected(dropped.ref), true, "a dropped tape's values are not collected");
    void unused.tape;
  });

  it('the measurement can fail: a loop that keeps every step exceeds the bound', () => {
    const kept: tt.Tensor[] = [];
    const first = sample(0);
    for (let i = 0; i < 40; i++) kept.push(tt.ones([128, 128], 'float64')); // 40 x 128 KiB
    const last = sample(1);
    const bound = BOUND_BYTES;
    assert.ok(last.heap + last.external - (first.heap + first.external) > bound);
    assert.equal(kept.length, 40);
  });
});
