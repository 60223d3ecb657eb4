// The op catalogue, table-driven (samples.ts): for every primitive and every op TF composes,
// forward values and first-order gradients against TensorFlow (committed fixtures), reverse and
// forward mode against finite differences at orders 1–3 (checkGrads, float64), forward and
// reverse rules as transposes of each other, float32 within float32 rounding of float64, and the
// dtype rules (int32 and bool where allowed, a clear error where not).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { builtinPrimitives } from '../../src/core/primitive.js';
import { primitivesApplied } from '../core/util.js';
import { isFloat } from '../../src/dtype.js';
import { jvpOf, vjpOf } from '../../src/testing/index.js';
import {
  cotangentValues,
  decode,
  makeArgs,
  outputsOf,
  type Entry,
  type Sample,
} from './harness.js';
import { allEntries, sampleCase, sampleKey, tfReference, type RefTensor } from './fixtures.js';
import { CATALOGUE_PRIMITIVES, OTHER_PRIMITIVES } from './samples.js';

/** Checks run per op (printed with TT_CHECK_COUNTS=1). */
const counts = new Map<string, number>();
const count = (name: string, k = 1) => counts.set(name, (counts.get(name) ?? 0) + k);
after(() => {
  if (process.env.TT_CHECK_COUNTS) {
    const rows = [...counts].map(([k, v]) => `${k} ${v}`);
    console.log(`checks per op:\n${rows.join('\n')}`);
  }
});

// ---- comparison helpers -------------------------------------------------------------------------

const FLOAT_OF: Record<string, boolean> = { float32: true, float64: true, half: true };

function sameDtypeKind(ours: tt.DType, tf: string): boolean {
  if (ours === 'bool') return tf === 'bool';
  if (ours === 'int32') return tf === 'int32' || tf === 'int64';
  return tf === ours;
}

/** |a - b| <= rtol·|b| + atol·max|b| elementwise; NaN matches NaN, infinities match exactly. */
function assertClose(
  actual: tt.Tensor,
  expected: { shape: readonly number[]; values: ArrayLike<number> },
  rtol: number,
  atol: number,
  what: string,
): void {
  assert.deepEqual(actual.shape, [...expected.shape], `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.values;
  let scale = 0;
  for (let i = 0; i < e.length; i++)
    if (Number.isFinite(e[i])) scale = Math.max(scale, Math.abs(e[i]));
  for (let i = 0; i < e.length; i++) {
    const x = a[i];
    const y = e[i];
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)) || x === y))
        assert.fail(`${what}: element ${i} is ${x}, expected ${y}`);
      continue;
    }
    if (!(Math.abs(x - y) <= rtol * Math.abs(y) + atol * scale)) {
      assert.fail(
        `${what}: element ${i} is ${x}, expected ${y} (rtol ${rtol}, atol ${atol}·${scale})`,
      );
    }
  }
}

const refValues = (r: RefTensor) => ({ shape: r.shape, values: r.values.map(decode) });

/**
 * float64 against TF: both libms are within a few ulps of the true value (erf's series about 4),
 * and sums may run in another order, so 1e-15 relative plus 1e-16 of the largest element.
 */
const TF_RTOL = 1e-15;
const TF_ATOL = 1e-16;
/**
 * TF's gradient formulas differ in form (other identities, broadcast sums in another order): 5e-15
 * relative plus 1e-15 of the largest element, about 20 ulps.
 */
const TF_GRAD_RTOL = 5e-15;
const TF_GRAD_ATOL = 1e-15;

function ulp32(x: number): number {
  const a = Math.abs(x);
  if (a < 1.1754943508222875e-38) return 1.401298464324817e-45;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

// ---- sample plumbing ----------------------------------------------------------------------------

interface Split {
  /** Positions of the float arguments. */
  floatAt: number[];
  /** The sample as a function of its float arguments only, returning its float outputs. */
  g: (...floats: tt.Tensor[]) => tt.Tensor[];
  floats: tt.Tensor[];
}

function splitArgs(s: Sample, args: tt.Tensor[]): Split {
  const floatAt = s.args.flatMap((a, i) => (a.kind === 'float' ? [i] : []));
  const g = (...floats: tt.Tensor[]) => {
    const full = args.slice();
    floatAt.forEach((p, k) => (full[p] = floats[k]));
    return outputsOf(s.f(...full)).filter((o) => isFloat(o.dtype));
  };
  return { floatAt, g, floats: floatAt.map((p) => args[p]) };
}

/** Whether the sample has something to differentiate. */
function differentiable(name: string, n: number, s: Sample): boolean {
  if (!s.args.some((a) => a.kind === 'float')) return false;
  return outputsOf(s.f(...makeArgs(name, n, s, 'float64'))).some((o) => isFloat(o.dtype));
}

/** Cotangents of the float outputs, in each output's dtype (values rounded to float32 if asked). */
function cotangentsFor(name: string, n: number, outs: tt.Tensor[], round32 = false): tt.Tensor[] {
  return outs.flatMap((o, j) => {
    if (!isFloat(o.dtype)) return [];
    const v = cotangentValues(name, n, j, o.shape);
    return [tt.tensor(round32 ? v.map(Math.fround) : v, o.shape, o.dtype)];
  });
}

/** The reverse-mode gradient of every float argument (null where unconnected). */
function vjpWithNulls(s: Sample, args: tt.Tensor[], cots: tt.Tensor[]): (tt.Tensor | null)[] {
  const { g, floats } = splitArgs(s, args);
  const tape = new tt.GradientTape();
  const ys = tape.record(() => {
    tape.watch(floats);
    return g(...floats);
  });
  return tape.gradient(ys, floats, { outputGradients: cots });
}

// ---- the registry ---------------------------------------------------------------------------------

describe('the sample table', () => {
  it('has an entry for every built-in primitive, and no other', () => {
    const declared = [...builtinPrimitives.keys()].sort();
    const listed = [...CATALOGUE_PRIMITIVES, ...OTHER_PRIMITIVES]
      .filter(
        (n) => builtinPrimitives.has(n) || (CATALOGUE_PRIMITIVES as readonly string[]).includes(n),
      )
      .sort();
    assert.deepEqual(declared, listed);
  });

  it('samples scalars, size-0 axes and rank 6 for every op, or says why not', () => {
    for (const [name, e] of allEntries()) {
      if (e.special !== undefined) continue;
      const shapes = e.samples.flatMap((s, n) => [
        ...s.args.map((a) => a.shape),
        ...outputsOf(s.f(...makeArgs(name, n, s, 'float64'))).map((o) => o.shape),
      ]);
      const has = (p: (s: readonly number[]) => boolean) => shapes.some(p);
      if (e.exempt?.scalar === undefined)
        assert.ok(
          has((s) => s.length === 0),
          `${name}: no scalar sample`,
        );
      if (e.exempt?.empty === undefined)
        assert.ok(
          has((s) => s.includes(0)),
          `${name}: no size-0 sample`,
        );
      if (e.exempt?.rank6 === undefined)
        assert.ok(
          has((s) => s.length === 6),
          `${name}: no rank-6 sample`,
        );
    }
  });

  it("records each primitive's samples under the primitive's op type", () => {
    for (const name of CATALOGUE_PRIMITIVES) {
      const e = allEntries().find(([k]) => k === name)![1];
      e.samples.forEach((s, n) => {
        const args = makeArgs(name, n, s, 'float64');
        const applied = primitivesApplied(() => s.f(...args));
        assert.ok(
          applied.includes(name),
          `${name} sample ${n} (${s.label}) applies ${[...new Set(applied)].join(', ')}`,
        );
      });
    }
  });
});

// ---- per op ---------------------------------------------------------------------------------------

const DTYPES: tt.DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Converts a sample's data arguments to `dtype` (values truncated, or tested for non-zero). */
function argsAs(name: string, s: Sample, dtype: tt.DType): tt.Tensor[] {
  const args = makeArgs(name, 0, s, 'float64');
  const dataKind = s.args.some((a) => a.kind === 'float') ? 'float' : s.args[0].kind;
  return args.map((x, i) => (s.args[i].kind === dataKind ? tt.cast(x, dtype) : x));
}

function checkEntry(name: string, e: Entry): void {
  describe(name, () => {
    if (e.special !== undefined) {
      it(`is covered by a dedicated test: ${e.special}`, () => assert.ok(e.samples.length === 0));
      return;
    }
    const ref = tfReference();

    it('forward values match TensorFlow (float64, int32, bool)', () => {
      e.samples.forEach((s, n) => {
        const what = `${name} sample ${n} (${s.label})`;
        const r = ref[sampleKey(name, n)];
        assert.ok(
          r !== undefined,
          `${what}: no TF fixture; regenerate (scripts/fixtures/ops_tf.py)`,
        );
        assert.equal(
          r.fingerprint,
          sampleCase(name, n, s).fingerprint,
          `${what}: the sample changed since the TF fixtures were made; regenerate them (scripts/fixtures/ops_tf.py)`,
        );
        const outs = outputsOf(s.f(...makeArgs(name, n, s, 'float64')));
        assert.equal(outs.length, r.outputs.length, `${what}: number of outputs`);
        outs.forEach((o, j) => {
          assert.ok(
            sameDtypeKind(o.dtype, r.outputs[j].dtype),
            `${what}: output ${j} is ${o.dtype}, TF gives ${r.outputs[j].dtype}`,
          );
          assertClose(o, refValues(r.outputs[j]), TF_RTOL, TF_ATOL, `${what} output ${j}`);
          count(name);
        });
      });
    });

    it("reverse mode matches TensorFlow's gradient, null where TF has none", () => {
      e.samples.forEach((s, n) => {
        if (!differentiable(name, n, s)) return;
        const what = `${name} sample ${n} (${s.label})`;
        const r = ref[sampleKey(name, n)];
        const args = makeArgs(name, n, s, 'float64');
        const cots = cotangentsFor(name, n, outputsOf(s.f(...args)));
        const grads = vjpWithNulls(s, args, cots);
        const floatAt = s.args.flatMap((a, i) => (a.kind === 'float' ? [i] : []));
        floatAt.forEach((p, k) => {
          const expected = r.grads?.[p] ?? null;
          if (expected === null) {
            assert.equal(
              grads[k],
              null,
              `${what}: TF has no gradient for argument ${p}, we give one`,
            );
          } else {
            assert.notEqual(
              grads[k],
              null,
              `${what}: TF has a gradient for argument ${p}, we give null`,
            );
            assertClose(
              grads[k]!,
              refValues(expected),
              TF_GRAD_RTOL,
              TF_GRAD_ATOL,
              `${what} gradient ${p}`,
            );
          }
          count(name);
        });
      });
    });

    it('reverse and forward mode match finite differences at orders 1-3 (float64)', () => {
      e.samples.forEach((s, n) => {
        const order = s.order ?? 3;
        if (order === 0 || !differentiable(name, n, s)) return;
        const { g, floats } = splitArgs(s, makeArgs(name, n, s, 'float64'));
        try {
          tt.test.checkGrads(g, floats, { order, modes: ['fwd', 'rev'], eps: s.eps, seed: n });
        } catch (err) {
          assert.fail(`${name} sample ${n} (${s.label}): ${(err as Error).message}`);
        }
        count(name, 2 * (2 ** order - 1));
      });
    });

    it('forward and reverse rules are transposes: <jvp(t), c> = <t, vjp(c)>', () => {
      e.samples.forEach((s, n) => {
        if (!differentiable(name, n, s)) return;
        const what = `${name} sample ${n} (${s.label})`;
        const { g, floats } = splitArgs(s, makeArgs(name, n, s, 'float64'));
        const ts = floats.map((x, i) =>
          tt.tensor(cotangentValues(name, n, 100 + i, x.shape), x.shape, 'float64'),
        );
        const ys = g(...floats);
        // The identity is about the linear maps at finite points; a non-finite primal has none.
        if (ys.some((y) => y.dataSync().some((v) => !Number.isFinite(v)))) return;
        const cs = ys.map((y, j) =>
          tt.tensor(cotangentValues(name, n, j, y.shape), y.shape, 'float64'),
        );
        const [, tOut] = jvpOf(g, floats, ts);
        const [, cOut] = vjpOf(g, floats, cs);
        let lhs = 0;
        let rhs = 0;
        let scale = 0;
        tOut.forEach((t, j) => {
          const u = t.dataSync();
          const v = cs[j].dataSync();
          for (let k = 0; k < u.length; k++) {
            lhs += u[k] * v[k];
            scale += Math.abs(u[k] * v[k]);
          }
        });
        cOut.forEach((c, i) => {
          const u = c.dataSync();
          const v = ts[i].dataSync();
          for (let k = 0; k < u.length; k++) {
            rhs += u[k] * v[k];
            scale += Math.abs(u[k] * v[k]);
          }
        });
        if (Number.isNaN(lhs) && Number.isNaN(rhs)) return;
        assert.ok(
          lhs === rhs || Math.abs(lhs - rhs) <= (s.transposeRtol ?? 1e-12) * scale,
          `${what}: <jvp(t), c> = ${lhs} but <t, vjp(c)> = ${rhs}`,
        );
        count(name);
      });
    });

    it('float32 results are float64 results rounded to float32 (or within the stated ulps)', () => {
      e.samples.forEach((s, n) => {
        const what = `${name} sample ${n} (${s.label}) in float32`;
        const args32 = makeArgs(name, n, s, 'float32');
        const args64 = args32.map((x) => (x.dtype === 'float32' ? tt.cast(x, 'float64') : x));
        const y32 = outputsOf(s.f(...args32));
        const y64 = outputsOf(s.f(...args64));
        y32.forEach((a, j) => {
          const b = y64[j];
          assert.deepEqual(a.shape, b.shape, `${what}: output ${j} shape`);
          const u = a.dataSync();
          const v = b.dataSync();
          if (!isFloat(a.dtype)) {
            assert.deepEqual(Array.from(u), Array.from(v), `${what}: output ${j}`);
            return;
          }
          if (s.args.some((x) => x.kind === 'float'))
            assert.ok(
              a.dtype === 'float32' || b.dtype === a.dtype,
              `${what}: output ${j} is ${a.dtype}`,
            );
          let scale = 0;
          for (let k = 0; k < v.length; k++)
            if (Number.isFinite(v[k])) scale = Math.max(scale, Math.abs(v[k]));
          for (let k = 0; k < u.length; k++) {
            const expected = Math.fround(v[k]);
            const ok =
              s.ulps32 === undefined
                ? Object.is(u[k], expected) ||
                  u[k] === expected ||
                  (Number.isNaN(u[k]) && Number.isNaN(expected))
                : u[k] === expected ||
                  (Number.isNaN(u[k]) && Number.isNaN(expected)) ||
                  Math.abs(u[k] - v[k]) <= s.ulps32 * ulp32(scale);
            if (!ok)
              assert.fail(`${what}: output ${j} element ${k} is ${u[k]}, float64 gives ${v[k]}`);
          }
          count(name);
        });
        if (!differentiable(name, n, s)) return;
        const g32 = vjpWithNulls(s, args32, cotangentsFor(name, n, y32, true));
        const g64 = vjpWithNulls(s, args64, cotangentsFor(name, n, y64, true));
        g32.forEach((a, i) => {
          const b = g64[i];
          if (a === null || b === null) {
            assert.equal(a, b, `${what}: gradient ${i} is null in one dtype only`);
            return;
          }
          const u = a.dataSync();
          const v = b.dataSync();
          let scale = 0;
          for (let k = 0; k < v.length; k++)
            if (Number.isFinite(v[k])) scale = Math.max(scale, Math.abs(v[k]));
          const tol = (s.gradUlps32 ?? 8) * ulp32(scale);
          for (let k = 0; k < u.length; k++) {
            const ok =
              Math.abs(u[k] - v[k]) <= tol ||
              (Number.isNaN(u[k]) && Number.isNaN(v[k])) ||
              u[k] === Math.fround(v[k]);
            if (!ok)
              assert.fail(
                `${what}: gradient ${i} element ${k} is ${u[k]}, float64 gives ${v[k]} (tolerance ${tol})`,
              );
          }
          count(name);
        });
      });
    });

    it('accepts the dtypes TF accepts and names the op, argument and dtype otherwise', () => {
      const first = e.samples[0];
      for (const dtype of DTYPES) {
        if (e.dtypes.includes(dtype)) {
          const kind = isFloat(dtype) ? 'float' : dtype;
          assert.ok(
            e.samples.some((s) => s.args.some((a) => a.kind === kind)),
            `${name} accepts ${dtype} but has no ${dtype} sample`,
          );
        } else {
          const args = argsAs(name, first, dtype);
          assert.throws(
            () => first.f(...args),
            (err: Error) =>
              err instanceof TypeError &&
              err.message.startsWith(e.op) &&
              err.message.includes(dtype),
            `${name}: ${dtype} inputs should be rejected with a TypeError naming ${e.op} and ${dtype}`,
          );
        }
        count(name);
      }
    });
  });
}

describe('every primitive and composed op, sample by sample', () => {
  for (const [name, e] of allEntries()) checkEntry(name, e);
});

void FLOAT_OF;
