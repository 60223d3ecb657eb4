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
import { cotangentValues, makeArgs, outputsOf, type Sample } from '../ops/harness.js';
import { OTHER_PRIMITIVES } from '../ops/samples.js';
import { SAMPLES as ADVANCED } from '../advanced/samples.js';
import { disagreement } from './tolerance.js';

/** One sample of one op, from either table. */
interface Case {
  readonly name: string;
  readonly n: number;
  readonly label: string;
  /** The inputs, floats in the given dtype. */
  args(dtype: 'float32' | 'float64'): tt.Tensor[];
  readonly floatAt: readonly boolean[];
  readonly f: (...xs: tt.Tensor[]) => tt.Tensor | tt.Tensor[];
  /** Highest order of finite-difference checks (0: none, the sample sits on a kink). */
  readonly order: number;
  readonly eps?: number;
}

function fromOpsTable(name: string, n: number, s: Sample): Case {
  return {
    name,
    n,
    label: s.label,
    args: (dtype) => makeArgs(name, n, s, dtype),
    floatAt: s.args.map((a) => a.kind === 'float'),
    f: s.f,
    order: s.order ?? 3,
    eps: s.eps,
  };
}

/**
 * Advanced samples whose finite differences do not apply as sampled (test/advanced checks them
 * through a valid parametrisation): Cholesky reads only the lower triangle of a symmetric input,
 * and TF's softmax cross-entropy gradient (softmax - labels) assumes labels that sum to 1.
 */
const NO_FINITE_DIFFERENCES = new Set(['Cholesky', 'SoftmaxCrossEntropyWithLogits']);

/** The advanced table's samples (linear algebra, convolutions, pools, cross-entropy). */
function fromAdvancedTable(
  name: string,
  n: number,
  s: { args: (k: number) => tt.Tensor[]; op: Case['f'] },
): Case {
  const base = s.args(0);
  const floatAt = base.map((x) => isFloat(x.dtype));
  return {
    name,
    n,
    label: `advanced sample ${n}`,
    args: (dtype) => base.map((x, i) => (floatAt[i] ? tt.cast(x, dtype) : x)),
    floatAt,
    f: s.op,
    order: NO_FINITE_DIFFERENCES.has(name) ? 0 : 2,
  };
}

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
function split(s: Case, args: tt.Tensor[]) {
  const floatAt = s.floatAt.flatMap((isF, i) => (isF ? [i] : []));
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
function gradients(s: Case, args: tt.Tensor[], cots: tt.Tensor[]): tt.Tensor[] {
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
function example(args: tt.Tensor[], s: Case, k: number): tt.Tensor[] {
  return args.map((x, i) => {
    if (!s.floatAt[i] || k === 0 || x.size < 2) return x;
    const v = Array.from(x.dataSync());
    const r = v.map((_, j) => v[(j + k) % v.length]);
    return tt.tensor(r, x.shape, x.dtype);
  });
}

/** Finite outputs where the base has finite outputs (rotated values may leave a domain). */
function usable(s: Case, base: tt.Tensor[], ex: tt.Tensor[]): boolean {
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

function checkVmap(s: Case): void {
  const { name, n } = s;
  const what = `${name} sample ${n} (${s.label})`;
  const base = s.args('float64');
  const exs = [0, 1, 2].map((k) => {
    const ex = example(base, s, k);
    return usable(s, base, ex) ? ex : base;
  });
  const loop = exs.map((ex) => outputsOf(s.f(...ex)));
  const expected = loop[0].map((_, j) => tt.stack(loop.map((r) => r[j])));
  const floatOnly = s.floatAt;
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
  if (!s.floatAt.some((x) => x) || outs.length === 0) return;
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
/**
 * Ops whose gradient formula reads every input even where the derivative does not depend on it,
 * as TF's does: det's gradient det·inv(A)ᵀ (a cofactor is independent of its own row and column,
 * but an infinite entry makes det·inv(A) NaN).
 */
const GRADIENT_READS_ALL = new Set(['MatrixDeterminant']);

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

function checkConfinement(s: Case): void {
  const { name, n } = s;
  const what = `${name} sample ${n} (${s.label})`;
  const args = s.args('float64');
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
            if (kind === 'gradient' && GRADIENT_READS_ALL.has(name)) continue;
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

function checkBackend(b: string, s: Case): void {
  const { name, n } = s;
  const what = `${name} sample ${n} (${s.label}) on ${b}`;
  for (const dtype of ['float64', 'float32'] as const) {
    const args = s.args(dtype);
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
  const order = s.order;
  const { g, floats } = split(s, s.args('float64'));
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

function drive(name: string, cases: Case[]): void {
  if (cases.length === 0) return;
  describe(name, () => {
    for (const b of BACKENDS) {
      it(`${b}: vmap against a loop, for the op and its gradient`, () =>
        on(b, () => cases.forEach(checkVmap)));
      it(`${b}: NaN and infinity change only what depends on them`, () =>
        on(b, () => cases.forEach(checkConfinement)));
      if (b !== 'js')
        it(`${b}: agrees with js (values, both modes, float32 and float64); finite differences`, () =>
          cases.forEach((c) => checkBackend(b, c)));
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
      () => checkConfinement(fromOpsTable('LeakySoftmax', 0, leaky)),
      /NaN in argument 0 element 0 changes output 0:3/,
    );
    checkConfinement(fromOpsTable('Softmax', 0, { ...leaky, f: (x) => tt.softmax(x) }));
  });
});

describe('conformance of every op in the sample table, on every backend', () => {
  it(`runs on ${BACKENDS.join(', ')}`, () => assert.ok(BACKENDS.includes('js')));
  for (const [name, e] of allEntries())
    if (e.special === undefined)
      drive(
        name,
        e.samples.map((s, n) => fromOpsTable(name, n, s)),
      );
  for (const name of OTHER_PRIMITIVES)
    drive(
      name,
      (ADVANCED[name] ?? []).map((s, n) => fromAdvancedTable(name, n, s)),
    );
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
