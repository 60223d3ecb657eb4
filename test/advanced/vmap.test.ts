// vmap against a loop for every built-in primitive, over every argument's batch axis position
// (one argument batched at a time, then all at once), table-driven over builtinPrimitives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { builtinPrimitives } from '../../src/core/primitive.js';
import { primitivesApplied } from '../core/util.js';
import { SAMPLES, type Sample } from './samples.js';

/** Primitives that are never applied through bind (a tape records them directly). */
const NOT_BOUND = new Set(['ReadVariableOp']);
const B = 3;

const outputs = (r: tt.Tensor | tt.Tensor[]): tt.Tensor[] => (r instanceof tt.Tensor ? [r] : r);

function assertSame(actual: tt.Tensor, expected: tt.Tensor, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < a.length; i++) {
    const ok =
      a[i] === e[i] ||
      (Number.isNaN(a[i]) && Number.isNaN(e[i])) ||
      Math.abs(a[i] - e[i]) <= 1e-12 * (1 + Math.abs(e[i]));
    if (!ok) assert.fail(`${what}: element ${i} is ${a[i]}, the loop gives ${e[i]}`);
  }
}

/** Checks vmap(op) with argument `which` (null: all) batched at `axisOf(i)` against a loop. */
function checkCase(
  s: Sample,
  which: number | null,
  axisOf: (x: tt.Tensor) => number,
  what: string,
) {
  const base = s.args(0);
  const examples = Array.from({ length: B }, (_, k) => s.args(k));
  const argsOf = (k: number) =>
    base.map((x, i) => (which === null || which === i ? examples[k][i] : x));
  const loop = Array.from({ length: B }, (_, k) => outputs(s.op(...argsOf(k))));
  const expected = loop[0].map((_, j) =>
    tt.stack(
      loop.map((r) => r[j]),
      0,
    ),
  );
  const inAxes = base.map((x, i) => (which === null || which === i ? axisOf(x) : null));
  const batched = base.map((x, i) =>
    inAxes[i] === null
      ? x
      : tt.stack(
          examples.map((e) => e[i]),
          inAxes[i]!,
        ),
  );
  const got = outputs(tt.vmap((...xs: tt.Tensor[]) => s.op(...xs), inAxes)(...batched));
  assert.equal(got.length, expected.length, `${what}: number of outputs`);
  got.forEach((g, j) => assertSame(g, expected[j], `${what} output ${j}`));
}

describe('vmap matches a loop for every primitive', () => {
  const names = [...builtinPrimitives.keys()].filter((n) => !NOT_BOUND.has(n)).sort();
  for (const name of names) {
    it(name, () => {
      const samples = SAMPLES[name];
      if (samples === undefined || samples.length === 0)
        assert.fail(
          `no sample inputs for primitive ${name}: add an entry to test/advanced/samples.ts`,
        );
      samples.forEach((s, n) => {
        const applied = primitivesApplied(() => s.op(...s.args(0)));
        assert.ok(
          applied.includes(name),
          `sample ${n} of ${name} applies ${[...applied].join(', ')}`,
        );
        const base = s.args(0);
        base.forEach((x, i) => {
          for (let p = 0; p <= x.rank; p++)
            checkCase(s, i, () => p, `${name} sample ${n}, argument ${i} batched on axis ${p}`);
        });
        checkCase(s, null, () => 0, `${name} sample ${n}, all arguments batched on axis 0`);
        checkCase(s, null, (x) => x.rank, `${name} sample ${n}, all arguments batched last`);
      });
    });
  }

  it('every sample names a declared primitive (a typo would leave a primitive untested)', () => {
    const unknown = Object.keys(SAMPLES).filter((k) => !builtinPrimitives.has(k));
    assert.deepEqual(unknown, []);
  });
});

describe('batching rules keep a batch axis that is not first where it is', () => {
  it('slice, reshape, sum, elementwise, pad and broadcastTo apply no transpose', () => {
    const f = (v: tt.Tensor) => {
      const r = tt.reshape(tt.slice(v, [0, 1], [4, 4]), [4, 2, 2]);
      const p = tt.pad(tt.mul(tt.sum(r, 2), 2), [
        [1, 1],
        [0, 0],
      ]);
      return tt.broadcastTo(p, [3, 6, 2]);
    };
    const xs = tt.random.normal([4, 5, 6], { seed: 3, dtype: 'float64' }); // batch on axis 1
    let got: tt.Tensor | undefined;
    const applied = primitivesApplied(() => (got = tt.vmap(f, 1, 2)(xs)));
    assert.ok(!applied.includes('Transpose'), applied.join(', '));
    const loop = tt.stack(
      tt.unstack(xs, 1).map((v) => f(v)),
      2,
    );
    assertSame(got!, loop, 'vmap(f, 1, 2)');
  });
});

describe('vmap composes', () => {
  it('with itself (a batch of batches) and with grad', () => {
    const w = tt.random.normal([3, 2], { seed: 1, dtype: 'float64' });
    const f = (x: tt.Tensor) => tt.tanh(tt.matMul(tt.expandDims(x, 0), w)).sum();
    const xs = tt.random.normal([4, 5, 3], { seed: 2, dtype: 'float64' });
    const nested = tt.vmap(tt.vmap(tt.grad(f)))(xs);
    const loop = tt.stack(tt.unstack(xs).map((row) => tt.stack(tt.unstack(row).map(tt.grad(f)))));
    assertSame(nested, loop, 'vmap(vmap(grad(f)))');
  });
});
