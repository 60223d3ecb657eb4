// Cross-entropy losses and dropout: values and gradients (into labels and logits) against
// TensorFlow, TF's convention at logits = 0, checkGrads orders 1–3, forward vs reverse, seeding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { assertClose, assertFwdRevAgree, f64, fixture } from './util.js';

function lossAndGrads(f: (l: tt.Tensor, z: tt.Tensor) => tt.Tensor, name: string) {
  const { inputs: i, outputs: o } = fixture(name);
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    tape.watch([i.labels, i.logits]);
    return f(i.labels, i.logits);
  });
  const [gl, gz] = tape.gradient(y, [i.labels, i.logits], { outputGradients: i.c });
  assertClose(y, o.y, 1e-12, `${name} loss`);
  assertClose(gl, o.glabels, 1e-12, `${name} gradient of labels`);
  assertClose(gz, o.glogits, 1e-12, `${name} gradient of logits`);
}

describe('cross-entropy losses', () => {
  it('softmaxCrossEntropyWithLogits matches TF: one loss per example, gradients into both', () => {
    lossAndGrads(tt.nn.softmaxCrossEntropyWithLogits, 'softmaxCE');
  });

  it('sigmoidCrossEntropyWithLogits matches TF, including σ(0) - z at logits = 0', () => {
    lossAndGrads(tt.nn.sigmoidCrossEntropyWithLogits, 'sigmoidCE');
    const g = tt.grad((x: tt.Tensor) => tt.nn.sigmoidCrossEntropyWithLogits(tt.scalar(0.25), x))(
      tt.scalar(0),
    );
    assert.equal(g.item(), 0.25);
  });

  it('are stable for large logits', () => {
    const big = tt.tensor([[1000, -1000]]);
    assert.equal(tt.nn.softmaxCrossEntropyWithLogits([[1, 0]], big).item(), 0);
    assert.equal(tt.nn.softmaxCrossEntropyWithLogits([[0, 1]], big).item(), 2000);
    assert.deepEqual(tt.nn.sigmoidCrossEntropyWithLogits([1, 0], [1000, -1000]).array(), [0, 0]);
  });

  it('softmax cross-entropy takes an axis and is recorded as one op', () => {
    const l = tt.softmax(f64([3, 4], 1));
    const z = f64([3, 4], 2);
    assertClose(
      tt.nn.softmaxCrossEntropyWithLogits(tt.transpose(l), tt.transpose(z), 0),
      tt.nn.softmaxCrossEntropyWithLogits(l, z),
      1e-15,
    );
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(z);
      return tt.gradientOverride({ SoftmaxCrossEntropyWithLogits: 'Nope' }, () =>
        tt.nn.softmaxCrossEntropyWithLogits(l, z),
      );
    });
    assert.throws(() => tape.gradient(y, z), /no entry for: Nope/);
  });

  it('pass checkGrads at orders 1-3 and agree forward/reverse', () => {
    const l = tt.softmax(f64([2, 3], 3));
    const z = f64([2, 3], 4, -2, 2);
    tt.test.checkGrads((a, b) => tt.nn.softmaxCrossEntropyWithLogits(a, b), [l, z], { order: 3 });
    tt.test.checkGrads(
      (a, b) => tt.nn.sigmoidCrossEntropyWithLogits(a, b),
      [f64([2, 3], 5, 0, 1), z],
      {
        order: 3,
      },
    );
    assertFwdRevAgree((a, b) => tt.nn.softmaxCrossEntropyWithLogits(a, b), [l, z]);
    assertFwdRevAgree((a, b) => tt.nn.sigmoidCrossEntropyWithLogits(a, b), [l, z]);
  });

  it('errors name the op, shapes and dtypes', () => {
    assert.throws(
      () => tt.nn.softmaxCrossEntropyWithLogits(tt.ones([2, 3]), tt.ones([2, 4])),
      /softmaxCrossEntropyWithLogits: labels and logits must have the same shape \[\.\.\., classes\], got \[2, 3\] and \[2, 4\]/,
    );
    assert.throws(
      () => tt.nn.softmaxCrossEntropyWithLogits(tt.ones([3], 'float64'), tt.ones([3])),
      /different dtypes|labels have dtype float64/,
    );
    assert.throws(
      () => tt.nn.sigmoidCrossEntropyWithLogits(tt.ones([2]), tt.ones([3])),
      /sigmoidCrossEntropyWithLogits: labels and logits must have the same shape/,
    );
  });
});

describe('dropout', () => {
  it('keeps about 1 - rate of the elements, scaled by 1 / (1 - rate); reproducible by seed', () => {
    const x = tt.ones([1000]);
    const y = tt.nn.dropout(x, 0.25, undefined, 42);
    const v = Array.from(y.dataSync());
    assert.ok(v.every((e) => e === 0 || Math.abs(e - 4 / 3) < 1e-6));
    const kept = v.filter((e) => e !== 0).length;
    assert.ok(kept > 700 && kept < 800, `kept ${kept} of 1000`);
    assert.deepEqual(tt.nn.dropout(x, 0.25, undefined, 42).dataSync(), y.dataSync());
    tt.random.setSeed(5);
    const a = tt.nn.dropout(x, 0.5).dataSync();
    tt.random.setSeed(5);
    assert.deepEqual(tt.nn.dropout(x, 0.5).dataSync(), a);
    assert.equal(tt.nn.dropout(x, 0), x);
  });

  it('shares draws along size-1 noise axes and passes gradients through kept elements', () => {
    const x = f64([4, 6], 1);
    const y = tt.nn.dropout(x, 0.5, [4, 1], 3);
    const rows = y.array() as number[][];
    const xr = x.array() as number[][];
    rows.forEach((r, i) => {
      const dropped = r[0] === 0;
      r.forEach((e, j) => assert.equal(e, dropped ? 0 : 2 * xr[i][j]));
    });
    const g = tt.grad((t: tt.Tensor) => tt.nn.dropout(t, 0.5, [4, 1], 3).sum())(x);
    assert.deepEqual(
      g.array(),
      rows.map((r) => r.map(() => (r[0] === 0 ? 0 : 2))),
    );
  });

  it('rejects a rate outside [0, 1) and a noiseShape that does not broadcast to x', () => {
    assert.throws(
      () => tt.nn.dropout(tt.ones([2]), 1),
      /dropout: rate must be a number in \[0, 1\), got 1/,
    );
    for (const noise of [[5], [2, 2, 3], [3, 1]])
      assert.throws(
        () => tt.nn.dropout(tt.ones([2, 3]), 0.5, noise),
        /dropout: noiseShape \[.*\] does not broadcast to the shape of x \[2, 3\]/,
      );
    assert.deepEqual(tt.nn.dropout(tt.ones([2, 3]), 0.5, [3], 1).shape, [2, 3]);
  });
});
