// tt.tidy, tt.keep, tt.dispose and tt.memory: deterministic release of what a function created,
// never of its result, kept tensors, variables' values, or what a live tape or accumulator needs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';

describe('tt.tidy', () => {
  it('releases the intermediates and keeps the result', () => {
    const x = tt.tensor([1, 2, 3]);
    let mid: tt.Tensor | null = null;
    const y = tt.tidy(() => {
      mid = tt.mul(x, 2);
      return tt.sum(tt.add(mid, 1));
    });
    assert.equal(y.item(), 15);
    assert.equal(mid!.isDisposed, true);
    assert.equal(x.isDisposed, false, 'tensors created before the scope are untouched');
  });

  it('keeps tensors returned in nested arrays and objects, and moves them to the enclosing scope', () => {
    let inner: { a: tt.Tensor; b: tt.Tensor[] } | null = null;
    const out = tt.tidy(() => {
      inner = tt.tidy('inner', () => ({ a: tt.ones([2]), b: [tt.zeros([3])] }));
      return inner.a;
    });
    assert.deepEqual(out.array(), [1, 1]);
    assert.equal(inner!.b[0].isDisposed, true, 'the outer scope released what it did not return');
  });

  it('tt.keep exempts a tensor', () => {
    let k: tt.Tensor | null = null;
    let other: tt.Tensor | null = null;
    tt.tidy(() => {
      k = tt.keep(tt.tensor([4, 5]));
      other = tt.tensor([6]);
    });
    assert.deepEqual(k!.array(), [4, 5]);
    assert.equal(other!.isDisposed, true);
  });

  it("never releases a variable's value (created or assigned inside the scope)", () => {
    const v = tt.tidy(() => tt.variable(tt.mul(tt.ones([2]), 3)));
    assert.deepEqual(v.array(), [3, 3]);
    tt.tidy(() => {
      v.assign(tt.add(v, 1));
    });
    assert.deepEqual(v.array(), [4, 4]);
    const layer = new tt.layers.Dense(2);
    const x = tt.ones([1, 3]);
    tt.tidy(() => layer.apply(x)); // builds the weights inside the scope
    assert.deepEqual(layer.apply(x).shape, [1, 2]);
  });

  it('a tape recording inside the scope still has what its gradient needs', () => {
    const x = tt.tensor([0.5, -1.5, 2]);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tt.tidy(() =>
      tape.record(() => {
        tape.watch(x);
        return tt.sum(tt.mul(tt.sin(x), tt.exp(x)));
      }),
    );
    const g = tape.gradient(y, x) as tt.Tensor;
    const want = [0.5, -1.5, 2].map((v) => Math.exp(v) * (Math.sin(v) + Math.cos(v)));
    (g.array() as number[]).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-5));
    // And a training step entirely inside tidy works.
    const w = tt.variable(tt.tensor([[1], [2]]));
    const loss = tt.tidy(() => {
      const t = new tt.GradientTape();
      const l = t.record(() => tt.sum(tt.square(tt.matMul(tt.ones([3, 2]), w))));
      const gw = t.gradient(l, w) as tt.Tensor;
      w.assignSub(tt.mul(gw, 0.01));
      return l;
    });
    assert.equal(loss.item(), 27);
    assert.ok(Math.abs((w.array() as number[][])[0][0] - (1 - 0.01 * 18)) < 1e-6);
  });

  it('a forward accumulator keeps its tangents', () => {
    const x = tt.tensor([1, 2]);
    const acc = tt.tidy(() => new tt.ForwardAccumulator(x, tt.ones([2])));
    const y = acc.record(() => tt.mul(x, x));
    assert.deepEqual((acc.jvp(y) as tt.Tensor).array(), [2, 4]);
  });

  it('releases nothing when the function throws, and refuses a Promise', () => {
    let t: tt.Tensor | null = null;
    assert.throws(() =>
      tt.tidy(() => {
        t = tt.ones([2]);
        throw new Error('boom');
      }),
    );
    assert.equal(t!.isDisposed, false);
    assert.throws(() => tt.tidy(() => Promise.resolve(1)), /synchronous/);
  });
});

describe('dispose', () => {
  it('t.dispose() and tt.dispose() release storage, except what a recording tape saved', () => {
    const a = tt.tensor([1, 2]);
    const b = tt.ones([3]);
    tt.dispose([a, { b }]);
    assert.equal(a.isDisposed, true);
    assert.equal(b.isDisposed, true);
    const x = tt.tensor([3]);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      const s = tt.square(x);
      s.dispose(); // saved by the tape: not released
      return tt.mul(s, 2);
    });
    assert.deepEqual((tape.gradient(y, x) as tt.Tensor).array(), [12]);
  });

  it("disposing a variable's snapshot leaves the variable intact", () => {
    const v = tt.variable(tt.tensor([1, 2]));
    v.value().dispose();
    tt.dispose(v);
    assert.deepEqual(v.array(), [1, 2]);
  });
});

describe('tt.memory', () => {
  it('counts the tensors of open tidy scopes', () => {
    const before = tt.memory();
    assert.equal(before.numTensors, 0);
    assert.equal(before.unreliable, true);
    const inside = tt.tidy(() => {
      tt.ones([4]);
      tt.zeros([2, 2]);
      return tt.memory();
    });
    assert.ok(inside.numTensors >= 2);
    assert.ok(inside.numBytes >= 32);
    assert.equal(tt.memory().numTensors, 0);
    assert.ok((tt.memory().arrayBufferBytes ?? 0) > 0, 'Node reports ArrayBuffer bytes');
  });
});
