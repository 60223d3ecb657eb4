// Conformance driver over the op catalogue's table of samples (test/ops/samples.ts, which
// test/ops/catalogue.test.ts checks against TensorFlow on the js backend). For every primitive
// and composed op, sample by sample, on every backend Node users get:
// - vmap against a loop, batch axis first (all arguments) and last (float arguments only), for
//   the op and for its gradient;
// - NaN and ±infinity stay confined: injected into one input element, they change only outputs
//   (and gradients) that depend on that element, as finite perturbations of it show;
// - on backends other than js: forward values, reverse- and forward-mode derivatives agree with js
//   within the stated tolerance (tolerance.ts), in float32 and float64, and reverse and forward
//   mode match finite differences at orders 1-3 (float64) on that backend.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as tt from '../../src/node.js';
import { isFloat } from '../../src/dtype.js';
import { jvpOf, vjpOf } from '../../src/testing/index.js';
import { allEntries } from '../ops/fixtures.js';
import { cotangentValues, makeArgs, outputsOf, type Entry, type Sample } from '../ops/harness.js';
import { disagreement } from './tolerance.js';

const BACKENDS = tt.backends();
const checks = new Map<string, number>();
const count = (op: string, k = 1): void => void checks.set(op, (checks.get(op) ?? 0) + k);

function on<T>(b: string, fn: () => T): T {
  const before = tt.getBackend();
  tt.setBackend(b);
  try {
    return fn();
  } finally {
    tt.setBackend(before);
  }
}

/** The sample as a function of its float arguments, returning its float outputs. */
function split(s: Sample, args: tt.Tensor[]) {
  const floatAt = s.args.flatMap((a, i) => (a.kind === 'float' ? [i] : []));
  const g = (...floats: tt.Tensor[]): tt.Tensor[] => {
    const full = args.slice();
    floatAt.forEach((p, k) => (full[p] = floats[k]));
    return outputsOf(s.f(...full)).filter((o) => isFloat(o.dtype));
  };
  return { floatAt, g, floats: floatAt.map((p) => args[p]) };
}

function cotangents(name: string, n: number, outs: tt.Tensor[]): tt.Tensor[] {
  return outs.map((o, j) => tt.tensor(cotangentValues(name, n, j, o.shape), o.shape, o.dtype));
}

/** Reverse mode with zeros where unconnected: the gradient of every float argument. */
function gradients(s: Sample, args: tt.Tensor[], cots: tt.Tensor[]): tt.Tensor[] {
  const { g, floats } = split(s, args);
  if (floats.length === 0 || cots.length === 0) return [];
  const tape = new tt.GradientTape();
  const ys = tape.record(() => {
    tape.watch(floats);
    return g(...floats);
  });
  return tape.gradient(ys, floats, { outputGradients: cots, unconnectedGradients: 'zero' });
}

function same(a: tt.Tensor, b: tt.Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) {
    const ok =
      x[i] === y[i] ||
      (Number.isNaN(x[i]) && Number.isNaN(y[i])) ||
      Math.abs(x[i] - y[i]) <= 1e-12 * (1 + Math.abs(y[i]));
    if (!ok) assert.fail(`${what}: element ${i} is ${x[i]}, the loop gives ${y[i]}`);
  }
}

// ---- vmap against a loop --------------------------------------------------------------------------

/** Example k of a sample: its float arguments' values rotated by k (same values, same domain). */
function example(args: tt.Tensor[], s: Sample, k: number): tt.Tensor[] {
  return args.map((x, i) => {
    if (s.args[i].kind !== 'float' || k === 0 || x.size < 2) return x;
    const v = Array.from(x.dataSync());
    const r = v.map((_, j) => v[(j + k) % v.length]);
    return tt.tensor(r, x.shape, x.dtype);
  });
}

/** Finite outputs where the base has finite outputs (rotated values may leave a domain). */
function usable(s: Sample, base: tt.Tensor[], ex: tt.Tensor[]): boolean {
  try {
    const a = outputsOf(s.f(...base));
    const b = outputsOf(s.f(...ex));
    return a.every((o, j) => {
      const u = o.dataSync();
      const w = b[j].dataSync();
      return u.every((x, i) => Number.isFinite(x) === Number.isFinite(w[i]));
    });
  } catch {
    return false;
  }
}

function checkVmap(name: string, n: number, s: Sample): void {
  const what = `${name} sample ${n} (${s.label})`;
  const base = makeArgs(name, n, s, 'float64');
  const exs = [0, 1, 2].map((k) => {
    const ex = example(base, s, k);
    return usable(s, base, ex) ? ex : base;
  });
  const loop = exs.map((ex) => outputsOf(s.f(...ex)));
  const expected = loop[0].map((_, j) => tt.stack(loop.map((r) => r[j])));
  const floatOnly = s.args.map((a) => a.kind === 'float');
  // A: every argument batched on axis 0. B: float arguments batched last, the others unbatched.
  const variants: [string, (i: number, x: tt.Tensor) => number | null][] = [
    ['axis 0', () => 0],
    ['float arguments on their last axis', (i, x) => (floatOnly[i] ? x.rank : null)],
  ];
  for (const [label, axisOf] of variants) {
    const inAxes = base.map((x, i) => axisOf(i, x));
    if (inAxes.every((a) => a === null)) continue;
    const batched = base.map((x, i) =>
      inAxes[i] === null
        ? x
        : tt.stack(
            exs.map((ex) => ex[i]),
            inAxes[i]!,
          ),
    );
    const got = outputsOf(tt.vmap((...xs: tt.Tensor[]) => s.f(...xs), inAxes)(...batched));
    got.forEach((o, j) => same(o, expected[j], `${what}, vmap with ${label}: output ${j}`));
    count(name);
  }
  // The gradient, per example, under vmap (cotangents fixed): batching of the reverse rules.
  const outs = loop[0].filter((o) => isFloat(o.dtype));
  if (!s.args.some((a) => a.kind === 'float') || outs.length === 0) return;
  const cots = cotangents(name, n, outs);
  const gradLoop = exs.map((ex) => gradients(s, ex, cots));
  const gradExpected = gradLoop[0].map((_, j) => tt.stack(gradLoop.map((r) => r[j])));
  const batched = base.map((_, i) => tt.stack(exs.map((ex) => ex[i])));
  const got = tt.vmap((...xs: tt.Tensor[]) => gradients(s, xs, cots))(...batched) as tt.Tensor[];
  got.forEach((g, j) => same(g, gradExpected[j], `${what}, vmap of the gradient ${j}`));
  count(name);
}

// ---- NaN and infinity stay confined ---------------------------------------------------------------

/** Ops whose output at an element classifies NaN/infinity there (no finite change reveals it). */
const CLASSIFIERS = new Set(['IsNan', 'IsInf', 'IsFinite']);

type Flat = Float64Array | Float32Array | Int32Array | Uint8Array;

function flatOutputs(ts: tt.Tensor[]): Flat[] {
  return ts.map((t) => t.dataSync() as Flat);
}

/**
 * Output elements (as "j:k") that differ from the base; with `tol`, by more than rounding (so
 * that a shift-invariant computation reading a value only to subtract it does not count).
 */
function changed(base: Flat[], now: Flat[], tol = 0): Set<string> {
  const out = new Set<string>();
  base.forEach((b, j) => {
    for (let k = 0; k < b.length; k++) {
      const x = b[k];
      const y = now[j][k];
      if (Object.is(x, y)) continue;
      if (
        tol > 0 &&
        Number.isFinite(x) &&
        Number.isFinite(y) &&
        Math.abs(x - y) <= tol * (1 + Math.abs(x))
      )
        continue;
      out.add(`${j}:${k}`);
    }
  });
  return out;
}

function checkConfinement(name: string, n: number, s: Sample): void {
  const what = `${name} sample ${n} (${s.label})`;
  const args = makeArgs(name, n, s, 'float64');
  const { g, floats } = split(s, args);
  if (floats.length === 0) return;
  let outs0: tt.Tensor[];
  try {
    outs0 = g(...floats);
  } catch {
    return;
  }
  const cots = cotangents(name, n, outs0);
  const fns: [string, (...xs: tt.Tensor[]) => tt.Tensor[]][] = [['output', g]];
  if (outs0.length > 0)
    fns.push([
      'gradient',
      (...xs) => {
        const tape = new tt.GradientTape();
        const ys = tape.record(() => {
          tape.watch(xs);
          return g(...xs);
        });
        return tape.gradient(ys, xs, { outputGradients: cots, unconnectedGradients: 'zero' });
      },
    ]);
  for (const [kind, fn] of fns) {
    const eval_ = (xs: tt.Tensor[]): Flat[] | null => {
      try {
        return flatOutputs(fn(...xs));
      } catch {
        return null;
      }
    };
    const base = eval_(floats);
    if (base === null) continue;
    // Contexts: the float arguments with their values rotated or reversed (same domain), in
    // which finite changes of one element reveal what depends on it.
    const contexts = (c: number): tt.Tensor[] =>
      floats.map((y, q) => {
        if (c === 0 || y.size < 2) return y;
        const v = Array.from(y.dataSync());
        const r = c === 5 ? v.reverse() : v.map((_, j) => v[(j + c * (q + 1)) % v.length]);
        return tt.tensor(r, y.shape, 'float64');
      });
    floats.forEach((x, i) => {
      if (x.size === 0) return;
      const positions = [...new Set([0, Math.floor(x.size / 2), x.size - 1])];
      for (const p of positions) {
        const at = (xs: tt.Tensor[], value: number): tt.Tensor[] => {
          const w = Float64Array.from(xs[i].dataSync());
          w[p] = value;
          return xs.map((y, q) => (q === i ? tt.tensor(w, x.shape, 'float64') : y));
        };
        // What changes when element p alone moves, in context xs.
        const depends = new Set<string>();
        const explore = (xs: tt.Tensor[] | null): void => {
          if (xs === null) return;
          const b = xs === floats ? base : eval_(xs);
          if (b === null) return;
          const v = xs[i].dataSync()[p];
          const d = 1e-3 * (1 + Math.abs(v));
          for (const value of [v + d, v - d, v + 1, v - 1, 2 * v + 0.5, 10, -10, 0]) {
            const r = eval_(at(xs, value));
            if (r !== null) for (const e of changed(b, r, 1e-9)) depends.add(e);
          }
        };
        /** Context with element k of float argument o set to an extreme (max/min reductions). */
        const extreme = (o: number, k: number, value: number): tt.Tensor[] | null => {
          if (o >= floats.length || (o === i && k === p)) return null;
          const w = Float64Array.from(floats[o].dataSync());
          w[k] = value;
          return floats.map((y, q) => (q === o ? tt.tensor(w, y.shape, 'float64') : y));
        };
        explore(floats);
        let explored = 1;
        for (const bad of [NaN, Infinity, -Infinity]) {
          const r = eval_(at(floats, bad));
          if (r === null) continue;
          for (const e of changed(base, r)) {
            const [o, k] = e.split(':').map(Number);
            if (CLASSIFIERS.has(name) && k === p) continue;
            // An element's own gradient may read it (TF's logSumExp gradient exp(x - lse) does).
            if (kind === 'gradient' && o === i && k === p) continue;
            while (!depends.has(e) && explored <= 5) explore(contexts(explored++));
            if (!depends.has(e) && kind === 'gradient')
              for (const value of [5, -5]) explore(extreme(o, k, value));
            if (depends.has(e)) continue;
            assert.fail(
              `${what}: ${bad} in argument ${i} element ${p} changes ${kind} ${e} ` +
                `(${base[o][k]} -> ${r[o][k]}), which no finite change of that element moves`,
            );
          }
        }
        count(name);
      }
    });
  }
}

// ---- other backends agree with js -------------------------------------------------------------------

function checkBackend(b: string, name: string, n: number, s: Sample): void {
  const what = `${name} sample ${n} (${s.label}) on ${b}`;
  for (const dtype of ['float64', 'float32'] as const) {
    const args = makeArgs(name, n, s, dtype);
    const ref = on('js', () => outputsOf(s.f(...args)));
    const got = on(b, () => outputsOf(s.f(...args)));
    got.forEach((o, j) => {
      const d = disagreement(o, ref[j]);
      if (d !== null) assert.fail(`${what} (${dtype}): output ${j}: ${d}`);
    });
    count(name);
    const { g, floats } = split(s, args);
    const outs = ref.filter((o) => isFloat(o.dtype));
    if (floats.length === 0 || outs.length === 0) continue;
    const cots = cotangents(name, n, outs);
    const ts = floats.map((x, i) =>
      tt.tensor(cotangentValues(name, n, 100 + i, x.shape), x.shape, x.dtype),
    );
    const [rv, gv] = [
      on('js', () => vjpOf(g, floats, cots)[1]),
      on(b, () => vjpOf(g, floats, cots)[1]),
    ];
    gv.forEach((x, i) => {
      const d = disagreement(x, rv[i]);
      if (d !== null) assert.fail(`${what} (${dtype}): reverse mode, argument ${i}: ${d}`);
    });
    const [rj, gj] = [
      on('js', () => jvpOf(g, floats, ts)[1]),
      on(b, () => jvpOf(g, floats, ts)[1]),
    ];
    gj.forEach((x, j) => {
      const d = disagreement(x, rj[j]);
      if (d !== null) assert.fail(`${what} (${dtype}): forward mode, output ${j}: ${d}`);
    });
    count(name, 2);
  }
  const order = s.order ?? 3;
  const { g, floats } = split(s, makeArgs(name, n, s, 'float64'));
  if (order === 0 || floats.length === 0 || g(...floats).length === 0) return;
  on(b, () => {
    try {
      tt.test.checkGrads(g, floats, { order, modes: ['fwd', 'rev'], eps: s.eps, seed: n });
    } catch (err) {
      assert.fail(`${what}: ${(err as Error).message}`);
    }
  });
  count(name, 2 * (2 ** order - 1));
}

// ---- the driver -----------------------------------------------------------------------------------

function drive(name: string, e: Entry): void {
  if (e.special !== undefined || e.samples.length === 0) return;
  describe(name, () => {
    for (const b of BACKENDS) {
      it(`${b}: vmap against a loop, for the op and its gradient`, () =>
        on(b, () => e.samples.forEach((s, n) => checkVmap(name, n, s))));
      it(`${b}: NaN and infinity change only what depends on them`, () =>
        on(b, () => e.samples.forEach((s, n) => checkConfinement(name, n, s))));
      if (b !== 'js')
        it(`${b}: agrees with js (values, both modes, float32 and float64); finite differences orders 1-3`, () =>
          e.samples.forEach((s, n) => checkBackend(b, name, n, s)));
    }
  });
}

describe('the conformance checks can fail', () => {
  it('a softmax normalised by the global maximum leaks NaN across rows', () => {
    const leaky: Sample = {
      label: 'global max',
      args: [{ kind: 'float', shape: [2, 3], range: [-2, 2] }],
      f: (x) => {
        const e = tt.exp(tt.sub(x, tt.max(x)));
        return tt.div(e, tt.sum(e, 1, true));
      },
      tf: '',
    };
    assert.throws(
      () => checkConfinement('LeakySoftmax', 0, leaky),
      /NaN in argument 0 element 0 changes output 0:3/,
    );
    const honest: Sample = { ...leaky, f: (x) => tt.softmax(x) };
    checkConfinement('Softmax', 0, honest);
  });
});

describe('conformance of every op in the sample table, on every backend', () => {
  it(`runs on ${BACKENDS.join(', ')}`, () => assert.ok(BACKENDS.includes('js')));
  for (const [name, e] of allEntries()) drive(name, e);
});

after(() => {
  const total = [...checks.values()].reduce((a, b) => a + b, 0);
  console.log(
    `# conformance: ${checks.size} ops, ${total} checks on ${BACKENDS.join(', ')}` +
      (process.env.TT_CHECK_COUNTS
        ? `\n${[...checks].map(([k, v]) => `${k} ${v}`).join('\n')}`
        : ''),
  );
});
