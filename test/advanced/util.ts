// Helpers shared by the test/advanced suites: TensorFlow reference fixtures and tolerant comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tt from '../../src/index.js';

interface Stored {
  shape: number[];
  values: number[];
}
interface Case {
  inputs: Record<string, Stored>;
  outputs: Record<string, Stored>;
}

const here = dirname(fileURLToPath(import.meta.url));
const reference = JSON.parse(readFileSync(join(here, 'fixtures', 'tf_reference.json'), 'utf8')) as {
  cases: Record<string, Case>;
};

const toTensor = (s: Stored): tt.Tensor =>
  tt.tensor(Float64Array.from(s.values), s.shape, 'float64');

/** A case of tf_reference.json (made by fixtures/make_fixtures.py): inputs and TF's outputs. */
export function fixture(name: string): {
  inputs: Record<string, tt.Tensor>;
  outputs: Record<string, tt.Tensor>;
} {
  const c = reference.cases[name];
  if (c === undefined) throw new Error(`no fixture named ${name}`);
  const map = (r: Record<string, Stored>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, toTensor(v)]));
  return { inputs: map(c.inputs), outputs: map(c.outputs) };
}

/** Asserts same shape and values within `tol` (relative to 1 + |expected|). */
export function assertClose(
  actual: tt.Tensor | null,
  expected: tt.Tensor,
  tol: number,
  what = 'value',
): void {
  assert.ok(actual !== null, `${what}: got null`);
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < a.length; i++) {
    if (!(
      Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])) ||
      (Number.isNaN(a[i]) && Number.isNaN(e[i]))
    ))
      assert.fail(`${what}: element ${i} is ${a[i]}, expected ${e[i]} (tolerance ${tol})`);
  }
}

/** Float64 uniform values. */
export const f64 = (shape: number[], seed: number, lo = -1, hi = 1): tt.Tensor =>
  tt.random.uniform(shape, { minval: lo, maxval: hi, seed, dtype: 'float64' });

/** Σ a·b over all elements. */
export function dot(a: readonly tt.Tensor[], b: readonly tt.Tensor[]): number {
  let s = 0;
  a.forEach((x, i) => {
    const u = x.dataSync();
    const v = b[i].dataSync();
    for (let k = 0; k < u.length; k++) s += u[k] * v[k];
  });
  return s;
}

/**
 * Forward mode against reverse mode on random directions: ⟨J t, c⟩ = ⟨t, Jᵀ c⟩, with the JVP from
 * a ForwardAccumulator and the VJP from a GradientTape.
 */
export function assertFwdRevAgree(
  f: (...xs: tt.Tensor[]) => tt.Tensor,
  xs: tt.Tensor[],
  seed = 1,
): void {
  const ts = xs.map((x, i) => f64(x.shape, seed * 100 + i));
  const [ys, yDots] = tt.test.jvpOf(f, xs, ts);
  const cs = ys.map((y, i) => f64(y.shape, seed * 100 + 50 + i));
  const [, xBars] = tt.test.vjpOf(f, xs, cs);
  const lhs = dot(yDots, cs);
  const rhs = dot(ts, xBars);
  assert.ok(
    Math.abs(lhs - rhs) <= 1e-9 * (1 + Math.abs(rhs)),
    `<jvp(t), c> = ${lhs} but <t, vjp(c)> = ${rhs}`,
  );
}
