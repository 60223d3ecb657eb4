// Minimal reproductions of the bugs the fuzzers found, one test each, so they stay fixed even
// where a property's random draws would no longer reach them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';

describe('tape semantics found by the tape model', () => {
  it('stopRecording inside stopRecording throws (the tape is not recording), as in TF', () => {
    const t = new tt.GradientTape({ persistent: true });
    t.record(() => {
      t.stopRecording(() => {
        assert.throws(() => t.stopRecording(() => 0), /GradientTape.stopRecording.*not recording/);
      });
      assert.equal(t.recording, true);
    });
  });

  it('reset inside stopRecording throws and forgets nothing, as in TF', () => {
    const x = tt.scalar(3, 'float64');
    const t = new tt.GradientTape({ persistent: true });
    const y = t.record(() => {
      t.watch(x);
      const y = x.mul(x);
      t.stopRecording(() => assert.throws(() => t.reset(), /GradientTape.reset.*not recording/));
      return y;
    });
    assert.equal(t.gradient(y, x)!.item(), 6);
  });

  it('reset and stopRecording throw after a non-persistent gradient inside record', () => {
    const x = tt.scalar(3, 'float64');
    const t = new tt.GradientTape();
    t.record(() => {
      t.watch(x);
      t.gradient(x.mul(x), x);
      assert.throws(() => t.reset(), /not recording/);
      assert.throws(() => t.stopRecording(() => 0), /not recording/);
    });
  });

  it('watchedVariables() of a used non-persistent tape still lists what it watched, as in TF', () => {
    const v = tt.variable(tt.scalar(2, 'float64'));
    const t = new tt.GradientTape();
    const y = t.record(() => v.mul(v));
    t.gradient(y, v);
    assert.deepEqual(t.watchedVariables(), [v]);
    t.record(() => undefined); // entering again starts a fresh tape
    assert.deepEqual(t.watchedVariables(), []);
  });
});

describe('jacobians of empty tensors found by the program fuzzer', () => {
  it('the looping jacobian of an empty target is an empty tensor, like the vectorized one', () => {
    const x = tt.zeros([0], 'float64');
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.neg(x);
    });
    assert.deepEqual(tape.jacobian(y, x)?.shape, [0, 0]);
    assert.deepEqual(tape.jacobian(y, x, { experimentalUsePfor: false })?.shape, [0, 0]);
  });

  it('batchJacobian with a batch of 0 gives [0, ...t, ...s] (both paths)', () => {
    const x = tt.zeros([0, 2], 'float64');
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.mul(x, 2);
    });
    assert.deepEqual(tape.batchJacobian(y, x).shape, [0, 2, 2]);
    assert.deepEqual(tape.batchJacobian(y, x, { experimentalUsePfor: false }).shape, [0, 2, 2]);
  });
});

describe('non-finite inputs found by the conformance driver', () => {
  it("prod's gradient of a NaN or infinite element is the product of the others, as in TF", () => {
    for (const [v, want] of [
      [NaN, [6, NaN, NaN]],
      [Infinity, [6, Infinity, Infinity]],
    ] as const) {
      const x = tt.tensor([v, 2, 3], [3], 'float64');
      const t = new tt.GradientTape();
      const y = t.record(() => {
        t.watch(x);
        return tt.prod(x);
      });
      assert.deepEqual(Array.from((t.gradient(y, x) as tt.Tensor).dataSync()), want);
    }
  });

  it("prod's partials are exclusive products for every mix of zeros, infinities and NaN", () => {
    const cases: [number[], number[]][] = [
      [
        [-Infinity, 2, 3],
        [6, -Infinity, -Infinity],
      ],
      [
        [0, Infinity, 3],
        [Infinity, 0, NaN],
      ],
      [
        [-Infinity, -Infinity, 2],
        [-Infinity, -Infinity, Infinity],
      ],
      [
        [NaN, 0, 2],
        [0, NaN, NaN],
      ],
      [
        [0, 0, 3],
        [0, 0, 0],
      ],
      [
        [0, 2, 3],
        [6, 0, 0],
      ],
    ];
    for (const dtype of ['float32', 'float64'] as const)
      for (const [v, want] of cases) {
        const x = tt.tensor(v, [3], dtype);
        const t = new tt.GradientTape();
        const y = t.record(() => {
          t.watch(x);
          return tt.prod(x);
        });
        const g = Array.from((t.gradient(y, x) as tt.Tensor).dataSync()).map((e) => e + 0);
        assert.deepEqual(g, want, `${dtype} [${v.join(', ')}]`);
      }
  });
});
