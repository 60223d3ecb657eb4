// One test per documented GradientTape behaviour (API.md "GradientTape"), each able to fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { captureWarnings, item, values } from './util.js';

describe('GradientTape.record', () => {
  it('returns the function result and records ops on watched values', () => {
    const x = tt.tensor(3.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    assert.equal(item(y), 9);
    assert.equal(item(tape.gradient(y, x)), 6);
  });

  it('propagates exceptions and stops recording', () => {
    const x = tt.tensor(3.0);
    const tape = new tt.GradientTape({ persistent: true });
    assert.throws(
      () =>
        tape.record(() => {
          tape.watch(x);
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.equal(tape.recording, false);
    const y = x.mul(x); // after the exception: not recorded
    assert.equal(tape.gradient(y, x), null);
  });

  it('rejects a function that returns a Promise, saying it must be synchronous', () => {
    const tape = new tt.GradientTape();
    assert.throws(() => tape.record(async () => 1), /synchronous/);
    assert.equal(tape.recording, false);
  });

  it('throws when re-entered while recording', () => {
    const tape = new tt.GradientTape();
    tape.record(() => {
      assert.throws(() => tape.record(() => 0), /already recording/);
    });
  });

  it('a persistent tape records again in a later call; ops between calls are not recorded', () => {
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape({ persistent: true });
    const a = tape.record(() => {
      tape.watch(x);
      return x.mul(3);
    });
    const between = a.mul(x); // not recorded
    const c = tape.record(() => a.mul(a));
    assert.equal(item(tape.gradient(c, x)), 2 * 6 * 3); // d(9x²)/dx = 18x = 36
    assert.equal(tape.gradient(between, x), null);
  });

  it('tt.record([t0, t1], fn) records on several tapes at once', () => {
    const x0 = tt.tensor(0.0);
    const x1 = tt.tensor(0.0);
    const tape0 = new tt.GradientTape();
    const tape1 = new tt.GradientTape();
    const ys = tt.record([tape0, tape1], () => {
      tape0.watch(x0);
      tape1.watch(x1);
      return tt.reduceSum(tt.math.sin(x0).add(tt.nn.sigmoid(x1)));
    });
    assert.equal(item(tape0.gradient(ys, x0)), 1);
    assert.equal(item(tape1.gradient(ys, x1)), 0.25);
    assert.equal(tape0.recording || tape1.recording, false);
  });

  it('enter() works with explicit resource management (using)', () => {
    const x = tt.variable(4.0);
    const tape = new tt.GradientTape();
    let y: tt.Tensor;
    {
      using _ = tape.enter();
      assert.equal(tape.recording, true);
      y = x.mul(x);
    }
    assert.equal(tape.recording, false);
    assert.equal(item(tape.gradient(y, x)), 8);
  });
});

describe('GradientTape.watch', () => {
  it('accepts a Tensor, a Variable, or nested arrays and objects of them', () => {
    const a = tt.tensor(1.0);
    const b = tt.tensor(2.0);
    const v = tt.variable(3.0, { trainable: false });
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch({ list: [a, { b }], v });
      return a.mul(b).mul(v);
    });
    const g = tape.gradient(y, [a, b, v]);
    assert.deepEqual(g.map(item), [6, 3, 2]);
  });

  it('throws for non-tensors', () => {
    const tape = new tt.GradientTape();
    tape.record(() => {
      assert.throws(() => tape.watch(3 as never), /expected a Tensor or Variable/);
      assert.throws(() => tape.watch([tt.tensor(1), 'x'] as never), /argument\[1\]/);
    });
  });

  it('warns once per call site for non-float tensors, which get no gradient', () => {
    const i = tt.tensor([1, 2], undefined, 'int32');
    const warnings = captureWarnings(() => {
      for (let k = 0; k < 3; k++) {
        const tape = new tt.GradientTape();
        const y = tape.record(() => {
          tape.watch(i); // one call site, three calls
          return i.mul(i);
        });
        assert.equal(tape.gradient(y, i), null);
      }
      const tape = new tt.GradientTape();
      tape.record(() => tape.watch(i)); // a second call site
    });
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /must be floating.*int32/);
    assert.match(warnings[0], /tape\.test\.ts:\d+:\d+/);
  });

  it('is not retroactive', () => {
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      const y0 = x.mul(x);
      tape.watch(x);
      return y0.add(x);
    });
    assert.equal(item(tape.gradient(y, x)), 1);
  });

  it('throws when the tape is not recording', () => {
    assert.throws(() => new tt.GradientTape().watch(tt.tensor(1)), /not recording/);
  });
});

describe('variables', () => {
  it('trainable variables read while recording are watched automatically', () => {
    const v = tt.variable(3.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => v.mul(v));
    assert.equal(item(tape.gradient(y, v)), 6);
  });

  it('watchAccessedVariables: false watches only what is watched explicitly', () => {
    const v = tt.variable(3.0);
    const w = tt.variable(5.0);
    const tape = new tt.GradientTape({ watchAccessedVariables: false });
    const y = tape.record(() => {
      tape.watch(w);
      return v.mul(w);
    });
    const g = tape.gradient(y, [v, w]);
    assert.equal(g[0], null);
    assert.equal(item(g[1]), 3);
  });

  it('trainable: false variables are watched only by watch()', () => {
    const v = tt.variable(3.0, { trainable: false });
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => v.mul(v));
    assert.equal(tape.gradient(y, v), null);
    const z = tape.record(() => {
      tape.watch(v);
      return v.mul(v);
    });
    assert.equal(item(tape.gradient(z, v)), 6);
  });

  it('watchedVariables() lists watched variables in order of creation', () => {
    const a = tt.variable(1.0, { name: 'a' });
    const b = tt.variable(2.0, { name: 'b' });
    const c = tt.variable(3.0, { name: 'c', trainable: false });
    const tape = new tt.GradientTape();
    tape.record(() => {
      b.mul(2);
      tape.watch(c);
      a.mul(2);
    });
    assert.deepEqual(
      tape.watchedVariables().map((v) => v.name),
      ['a', 'b', 'c'],
    );
  });

  it('a read is a snapshot: a later assign does not change what the tape saved', () => {
    const v = tt.variable(3.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => v.mul(v).mul(v)); // 3v², saved v = 3
    v.assign(100);
    assert.equal(item(tape.gradient(y, v)), 27);
    assert.equal(item(v.value()), 100);
  });

  it('x = x.add(1) gives a Tensor; the gradient with respect to the old Variable is null', () => {
    const v = tt.variable(2.0);
    const tape = new tt.GradientTape();
    let x: tt.Tensor | tt.Variable = v;
    const y = tape.record(() => {
      x = x.add(1);
      return tt.square(x);
    });
    assert.ok(x instanceof tt.Tensor && !(x instanceof tt.Variable));
    const fresh = tt.variable(0.0);
    assert.equal(tape.gradient(y, fresh), null);
  });
});

describe('stopRecording and reset', () => {
  it('stopRecording runs unrecorded and returns the result', () => {
    const x = tt.variable(2.0);
    const y = tt.variable(3.0);
    const t = new tt.GradientTape();
    const z = t.record(() => {
      const xSq = x.mul(x);
      const ySq = t.stopRecording(() => y.mul(y));
      return xSq.add(ySq);
    });
    const g = t.gradient(z, { x, y });
    assert.equal(item(g.x), 4);
    assert.equal(g.y, null);
  });

  it('stopRecording throws if the tape is not recording', () => {
    assert.throws(() => new tt.GradientTape().stopRecording(() => 0), /not recording/);
  });

  it('reset forgets everything recorded and watched, keeps recording, and re-watches variables', () => {
    const x = tt.variable(2.0);
    const y = tt.variable(3.0);
    const c = tt.tensor(5.0);
    const t = new tt.GradientTape();
    const z = t.record(() => {
      t.watch(c);
      const ySq = y.mul(y);
      t.reset();
      assert.equal(t.recording, true);
      return x.mul(x).add(ySq).add(c);
    });
    const g = t.gradient(z, { x, y, c });
    assert.equal(item(g.x), 4);
    assert.equal(g.y, null);
    assert.equal(g.c, null);
  });

  it('reset throws if the tape is not recording', () => {
    assert.throws(() => new tt.GradientTape().reset(), /not recording/);
  });
});

describe('GradientTape.gradient', () => {
  it('differentiates the sum of nested targets and returns the structure of nested sources', () => {
    const a = tt.tensor([1.0, 2.0]);
    const b = tt.tensor(3.0);
    const tape = new tt.GradientTape();
    const out = tape.record(() => {
      tape.watch([a, b]);
      return { p: a.mul(b), q: [b.mul(b)] };
    });
    const g = tape.gradient(out, { first: [a], second: { b } });
    assert.deepEqual(values(g.first[0]), [3, 3]);
    assert.equal(item(g.second.b), 3 + 6); // sum(a) + 2b
  });

  it('seeds a non-scalar target with ones', () => {
    const x = tt.tensor([1.0, 2.0, 3.0]);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    assert.deepEqual(values(tape.gradient(y, x)), [2, 4, 6]);
  });

  it('outputGradients: one per flattened target, the same structure, or a single Tensor', () => {
    const x = tt.tensor([1.0, 2.0]);
    const run = (og: unknown, single = false) => {
      const tape = new tt.GradientTape();
      const ys = tape.record(() => {
        tape.watch(x);
        return single ? x.mul(x) : [x.mul(x), x.mul(3)];
      });
      return values(tape.gradient(ys, x, { outputGradients: og }));
    };
    const g0 = tt.tensor([1.0, 10.0]);
    const g1 = tt.tensor([100.0, 1000.0]);
    assert.deepEqual(run([g0, g1]), [2 + 300, 40 + 3000]);
    assert.deepEqual(run(g0, true), [2, 40]);
    assert.deepEqual(run([g0], true), [2, 40]);
    assert.throws(() => run([g0]), /outputGradients has 1 entries but target has 2/);
  });

  it('gives null for unconnected sources, zeros with unconnectedGradients "zero", and rejects other values', () => {
    const x = tt.tensor([1.0, 2.0]);
    const u = tt.tensor([[5.0]], undefined, 'float64');
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch([x, u]);
      return x.mul(2);
    });
    assert.equal(tape.gradient(y, u), null);
    const z = tape.gradient(y, u, { unconnectedGradients: tt.UnconnectedGradients.ZERO });
    assert.deepEqual(z.shape, [1, 1]);
    assert.equal(z.dtype, 'float64');
    assert.throws(
      () => tape.gradient(y, u, { unconnectedGradients: 'zeros' as never }),
      /'none' or 'zero'/,
    );
  });

  it('gradients have the shape and dtype of their source', () => {
    const x = tt.tensor([[1, 2, 3]], undefined, 'float64');
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return tt.sum(x.mul(tt.tensor([[1], [2]], undefined, 'float64'))); // broadcast to [2, 3]
    });
    const g = tape.gradient(y, x);
    assert.deepEqual(g.shape, [1, 3]);
    assert.equal(g.dtype, 'float64');
    assert.deepEqual(values(g), [3, 3, 3]);
  });

  it('non-float sources get no gradient', () => {
    const i = tt.tensor([1, 2], undefined, 'int32');
    const tape = new tt.GradientTape();
    const y = tape.record(() => tt.cast(i, 'float32').mul(2));
    assert.equal(tape.gradient(y, i), null);
  });

  it('a non-persistent tape allows exactly one gradient call', () => {
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    tape.gradient(y, x);
    assert.throws(
      () => tape.gradient(y, x),
      /^Error: A non-persistent GradientTape can only be used to compute one set of gradients \(or jacobians\)$/,
    );
  });

  it('a persistent tape allows many gradient calls', () => {
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    assert.equal(item(tape.gradient(y, x)), 4);
    assert.equal(item(tape.gradient(y, x)), 4);
  });

  it('inside its recording, a persistent tape records the gradient (and warns once per call site)', () => {
    const x = tt.tensor(3.0);
    const tape = new tt.GradientTape({ persistent: true });
    let d2: tt.Tensor | null = null;
    const warnings = captureWarnings(() => {
      tape.record(() => {
        tape.watch(x);
        const y = x.mul(x).mul(x);
        for (let k = 0; k < 2; k++) {
          const dy = tape.gradient(y, x); // recorded
          d2 = tape.gradient(dy, x);
        }
      });
    });
    assert.equal(item(d2!), 18);
    assert.equal(warnings.length, 2); // two call sites, each warned once
  });

  it('inside its recording, a non-persistent tape stops recording for the rest of the callback', () => {
    const x = tt.tensor(3.0);
    const tape = new tt.GradientTape();
    tape.record(() => {
      tape.watch(x);
      const y = x.mul(x);
      assert.equal(item(tape.gradient(y, x)), 6);
      assert.equal(tape.recording, false);
    });
  });

  it('nested tapes give second and third derivatives', () => {
    const x = tt.variable(0.5);
    const t1 = new tt.GradientTape();
    const t2 = new tt.GradientTape();
    const t3 = new tt.GradientTape();
    let d1: tt.Tensor, d2: tt.Tensor;
    const d3 = t1.record(() => {
      d2 = t2.record(() => {
        d1 = t3.record(() => tt.tanh(x));
        return t3.gradient(d1, x);
      });
      return t2.gradient(d2, x);
    });
    const third = t1.gradient(d3, x);
    const th = Math.tanh(0.5);
    const s2 = 1 - th * th;
    assert.ok(Math.abs(item(d3) - -2 * th * s2) < 1e-6);
    assert.ok(Math.abs(item(third) - (-2 * s2 * s2 + 4 * th * th * s2)) < 1e-6);
  });

  it('an op with no registered gradient on the path throws naming its op type; noGradient makes it null', () => {
    const noGrad = tt.defineOp({
      name: 'TapeTestNoGrad',
      forward: ([x]) => ({ data: x.data, shape: x.shape }),
    });
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return noGrad(x.mul(x));
    });
    assert.throws(
      () => tape.gradient(y, x),
      /^LookupError: gradient registry has no entry for: TapeTestNoGrad$/,
    );
    tt.noGradient('TapeTestNoGrad');
    assert.equal(tape.gradient(y, x), null);
  });

  it('the failing call leaves a non-persistent tape usable', () => {
    const op = tt.defineOp({
      name: 'TapeTestLater',
      forward: ([x]) => ({ data: x.data, shape: x.shape }),
    });
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return op(x).add(x);
    });
    assert.throws(() => tape.gradient(y, x), /TapeTestLater/);
    tt.registerGradient('TapeTestLater', (_op, dy) => dy.mul(10));
    assert.equal(item(tape.gradient(y, x)), 11);
  });
});

describe('dispose and tapes', () => {
  it('dispose never releases what a live tape recorded or saved; it does once the tape is used', () => {
    const x = tt.tensor([1.0, 2.0]);
    const w = tt.tensor([3.0, 4.0]);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.sum(x.mul(w).sin());
    });
    w.dispose(); // saved by the tape as an input of Mul
    x.dispose(); // watched and saved
    assert.equal(w.isDisposed, false);
    assert.equal(x.isDisposed, false);
    const g = tape.gradient(y, x);
    assert.ok(Math.abs(g.dataSync()[0] - 3 * Math.cos(3)) < 1e-6);
    const other = tt.tensor([5.0]);
    other.dispose();
    assert.equal(other.isDisposed, true);
    const once = new tt.GradientTape();
    const a = tt.tensor(2.0);
    const b = once.record(() => {
      once.watch(a);
      return a.mul(a);
    });
    once.gradient(b, a); // used: the recording is released
    a.dispose();
    assert.equal(a.isDisposed, true);
  });
});
