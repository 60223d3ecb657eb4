// API.md "Controlling gradients": stopGradient, customGradient, op types, the registry, overrides,
// user ops, forward mode's composition with tapes, and state left intact by errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { getSeed } from '../../src/random.js';
import { close, item, values } from './util.js';

describe('stopGradient', () => {
  it('blocks the gradient along its path only', () => {
    const x = tt.variable(2.0);
    const y = tt.variable(3.0);
    const t = new tt.GradientTape();
    const z = t.record(() =>
      x
        .pow(2)
        .add(tt.stopGradient(y.pow(2)))
        .add(tt.stopGradient(x).mul(y)),
    );
    const g = t.gradient(z, { x, y });
    assert.equal(item(g.x), 4);
    assert.equal(item(g.y), 2);
  });

  it('gives a null tangent in forward mode', () => {
    const x = tt.tensor(2.0);
    const acc = new tt.ForwardAccumulator(x, tt.tensor(1.0));
    const y = acc.record(() => tt.stopGradient(x.mul(x)));
    assert.equal(acc.jvp(y), null);
  });
});

describe('customGradient', () => {
  const log1pexp = tt.customGradient(function log1pexp(x: tt.TensorLike) {
    const e = tt.exp(x);
    return {
      value: tt.log(tt.add(1, e)),
      grad: (dy: tt.Tensor) => dy.mul(tt.sub(1, tt.div(1, tt.add(1, e)))),
    };
  });

  it('replaces the gradient (stable at x = 1e8) with a Variable as input', () => {
    const x = tt.variable(1e8);
    const t = new tt.GradientTape();
    const y = t.record(() => log1pexp(x));
    assert.equal(item(t.gradient(y, x)), 1);
  });

  it('is itself differentiable (second order through the custom gradient)', () => {
    const x = tt.variable(0.3, { dtype: 'float64' });
    const outer = new tt.GradientTape();
    const dy = outer.record(() => {
      const inner = new tt.GradientTape();
      const y = inner.record(() => log1pexp(x));
      return inner.gradient(y, x);
    });
    const s = 1 / (1 + Math.exp(-0.3));
    assert.ok(close(item(dy), s));
    assert.ok(close(item(outer.gradient(dy, x)), s * (1 - s)));
  });

  it('keeps its numerics in forward mode (JVP derived from the custom VJP)', () => {
    const x = tt.tensor(1e8);
    const acc = new tt.ForwardAccumulator(x, tt.tensor(2.0));
    const y = acc.record(() => log1pexp(x));
    assert.equal(item(acc.jvp(y)), 2);
  });

  it('two inputs: one gradient per input', () => {
    const f = tt.customGradient((a: tt.TensorLike, b: tt.TensorLike) => {
      const z = tt.mul(a, b);
      return { value: z, grad: (dy: tt.Tensor) => [dy.mul(b), dy.mul(a).mul(10)] };
    });
    const a = tt.variable(2.0);
    const b = tt.variable(3.0);
    const t = new tt.GradientTape();
    const z = t.record(() => f(a, b));
    const g = t.gradient(z, [a, b]);
    assert.deepEqual(g.map(item), [3, 20]);
  });

  it('passes other variables read by f as ctx.variables and expects [inputGrads, variableGrads]', () => {
    const w = tt.variable(5.0, { name: 'w' });
    const f = tt.customGradient((x: tt.TensorLike) => ({
      value: tt.mul(x, w),
      grad: (dy: tt.Tensor, ctx: tt.CustomGradientContext) => {
        assert.deepEqual(
          ctx.variables.map((v) => v.name),
          ['w'],
        );
        return [dy.mul(w), [dy.mul(x).mul(100)]];
      },
    }));
    const x = tt.tensor(2.0);
    const t = new tt.GradientTape();
    const y = t.record(() => {
      t.watch(x);
      return f(x);
    });
    const g = t.gradient(y, [x, w]);
    assert.deepEqual(g.map(item), [5, 200]);
  });

  it('errors mentioning variables when grad ignores ctx.variables, and on wrong counts', () => {
    const w = tt.variable(5.0);
    const bad = tt.customGradient((x: tt.TensorLike) => ({
      value: tt.mul(x, w),
      grad: (dy: tt.Tensor) => dy,
    }));
    const x = tt.tensor(2.0);
    let t = new tt.GradientTape();
    let y = t.record(() => {
      t.watch(x);
      return bad(x);
    });
    assert.throws(() => t.gradient(y, x), /variables/);
    const wrongCount = tt.customGradient((a: tt.TensorLike, b: tt.TensorLike) => ({
      value: tt.add(a, b),
      grad: (dy: tt.Tensor) => [dy],
    }));
    t = new tt.GradientTape();
    y = t.record(() => {
      t.watch(x);
      return wrongCount(x, x);
    });
    assert.throws(() => t.gradient(y, x), /1 gradients for 2 inputs/);
  });

  it('nested values: upstream has the same structure, with zeros for unused outputs', () => {
    let seen: any = null;
    const f = tt.customGradient((x: tt.TensorLike) => ({
      value: { a: tt.mul(x, 2), b: [tt.mul(x, 3)] },
      grad: (up: any) => {
        seen = up;
        return up.a.mul(2).add(up.b[0].mul(3));
      },
    }));
    const x = tt.tensor(1.0);
    const t = new tt.GradientTape();
    const out = t.record(() => {
      t.watch(x);
      return f(x);
    });
    assert.equal(item(t.gradient(out.a, x)), 2);
    assert.equal(item(seen.b[0]), 0);
  });
});

describe('op types, registry and overrides', () => {
  const recordedTypes = (fn: (x: tt.Tensor) => unknown): string[] => {
    const x = tt.tensor([1.0, 2.0]);
    const tape = new tt.GradientTape({ persistent: true });
    tape.record(() => {
      tape.watch(x);
      fn(x);
    });
    return tape._nodes.map((n) => n.prim.name);
  };

  it("records ops under TF's op type names", () => {
    assert.deepEqual(
      recordedTypes((x) => tt.sum(tt.sigmoid(tt.square(x).mul(x).add(x).pow(2)))),
      ['Square', 'Mul', 'AddV2', 'Pow', 'Sigmoid', 'Sum'],
    );
    assert.deepEqual(
      recordedTypes((x) => tt.mean(tt.matMul(x.reshape([1, 2]), x.reshape([2, 1])).relu())),
      ['Reshape', 'Reshape', 'MatMul', 'Relu', 'Mean'],
    );
    assert.deepEqual(
      recordedTypes((x) => tt.matMul(x.reshape([1, 1, 2]), x.reshape([1, 2, 1]))),
      ['Reshape', 'Reshape', 'BatchMatMulV2'],
    );
  });

  it("records the gradients of tanh, sigmoid and the relus as TF's TanhGrad, SigmoidGrad, ...", () => {
    const backwardTypes = (f: (x: tt.Tensor) => tt.Tensor): string[] =>
      recordedTypes((x) => {
        const inner = new tt.GradientTape();
        const y = inner.record(() => {
          inner.watch(x);
          return f(x);
        });
        return inner.gradient(y, x);
      });
    assert.deepEqual(backwardTypes(tt.tanh), ['Tanh', 'TanhGrad']);
    assert.deepEqual(backwardTypes(tt.sigmoid), ['Sigmoid', 'SigmoidGrad']);
    assert.deepEqual(backwardTypes(tt.relu), ['Relu', 'ReluGrad']);
    assert.deepEqual(backwardTypes(tt.relu6), ['Relu6', 'Relu6Grad']);
    assert.deepEqual(backwardTypes(tt.leakyRelu), ['LeakyRelu', 'LeakyReluGrad']);
  });

  it('registerGradient rejects a name registered twice and built-in names', () => {
    tt.registerGradient('ControlTestTwice', (_op, dy) => dy);
    assert.throws(
      () => tt.registerGradient('ControlTestTwice', (_op, dy) => dy),
      /already registered/,
    );
    assert.throws(() => tt.registerGradient('Square', (_op, dy) => dy), /built-in/);
  });

  it('gradientOverride replaces the gradient of the ops recorded inside it', () => {
    tt.registerGradient('ControlTestSquare', (op, dy) => dy.mul(op.inputs[0]).mul(100));
    const x = tt.tensor(3.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      const a = tt.gradientOverride({ Square: 'ControlTestSquare' }, () => tt.square(x));
      return a.add(tt.square(x)); // the second Square is outside the override
    });
    assert.equal(item(tape.gradient(y, x)), 300 + 6);
  });

  it('a user op with a registered gradient works at second order and in forward mode', () => {
    const cube = tt.defineOp({
      name: 'ControlTestCube',
      forward: ([x]) => ({ data: x.data.map((v) => v * v * v), shape: x.shape }),
    });
    tt.registerGradient('ControlTestCube', (op, dy) => dy.mul(tt.square(op.inputs[0])).mul(3));
    const x = tt.tensor(2.0, [], 'float64');
    const outer = new tt.GradientTape();
    const d1 = outer.record(() => {
      outer.watch(x);
      const inner = new tt.GradientTape();
      const y = inner.record(() => {
        inner.watch(x);
        return cube(x);
      });
      return inner.gradient(y, x);
    });
    assert.equal(item(d1), 12);
    assert.equal(item(outer.gradient(d1, x)), 12); // 6x
    const acc = new tt.ForwardAccumulator(x, tt.tensor(1.0, [], 'float64'));
    const y = acc.record(() => cube(x));
    assert.equal(item(acc.jvp(y)), 12);
  });

  it('a user op runs once per example under vmap', () => {
    let calls = 0;
    const double = tt.defineOp({
      name: 'ControlTestDouble',
      forward: ([x]) => {
        calls++;
        return { data: x.data.map((v) => 2 * v), shape: x.shape };
      },
    });
    const out = tt.vmap((x: tt.Tensor) => double(x))(
      tt.tensor([
        [1, 2],
        [3, 4],
        [5, 6],
      ]),
    );
    assert.equal(calls, 3);
    assert.deepEqual(out.array(), [
      [2, 4],
      [6, 8],
      [10, 12],
    ]);
  });
});

describe('forward mode composes with tapes', () => {
  it('forward-over-reverse: a Hessian-vector product', () => {
    const x = tt.tensor([0.3, -0.4], undefined, 'float64');
    const v = tt.tensor([1.0, 2.0], undefined, 'float64');
    const acc = new tt.ForwardAccumulator(x, v);
    const grad = acc.record(() => {
      const tape = new tt.GradientTape();
      const y = tape.record(() => {
        tape.watch(x);
        return tt.sum(tt.sin(x).mul(x.mul(x)));
      });
      return tape.gradient(y, x);
    });
    const hv = values(acc.jvp(grad));
    // f = Σ x² sin x is separable: H = diag(2 sin x + 4x cos x - x² sin x)
    const h = [0.3, -0.4].map((a) => 2 * Math.sin(a) + 4 * a * Math.cos(a) - a * a * Math.sin(a));
    assert.ok(close(hv[0], h[0] * 1) && close(hv[1], h[1] * 2));
  });

  it('reverse-over-forward: the gradient of a JVP', () => {
    const x = tt.tensor(0.7, [], 'float64');
    const tape = new tt.GradientTape();
    const jvp = tape.record(() => {
      tape.watch(x);
      const acc = new tt.ForwardAccumulator(x, tt.tensor(1.0, [], 'float64'));
      const y = acc.record(() => tt.exp(x.mul(x)));
      return acc.jvp(y); // 2x e^{x²}
    });
    const expected = (2 + 4 * 0.49) * Math.exp(0.49);
    assert.ok(close(item(tape.gradient(jvp, x)), expected));
  });

  it('unconnected outputs give null, or zeros with "zero"', () => {
    const x = tt.tensor(1.0);
    const c = tt.tensor([1.0, 2.0]);
    const acc = new tt.ForwardAccumulator(x, tt.tensor(1.0));
    const y = acc.record(() => c.mul(2));
    assert.equal(acc.jvp(y), null);
    assert.deepEqual(values(acc.jvp(y, { unconnectedGradients: 'zero' })), [0, 0]);
  });
});

describe('computeGradient', () => {
  it('returns theoretical and numerical Jacobians [ySize, xSize] per argument', () => {
    const { theoretical, numerical } = tt.test.computeGradient(
      (a, b) => tt.mul(a, b),
      [tt.tensor([1, 2], undefined, 'float64'), tt.tensor(3, [], 'float64')],
    );
    assert.deepEqual(theoretical[0].shape, [2, 2]);
    assert.deepEqual(theoretical[1].shape, [2, 1]);
    assert.deepEqual(theoretical[0].array(), [
      [3, 0],
      [0, 3],
    ]);
    assert.deepEqual(theoretical[1].array(), [[1], [2]]);
    numerical.forEach((n, i) =>
      values(n).forEach((v, k) => assert.ok(close(v, values(theoretical[i])[k], 1e-6))),
    );
  });
});

describe('errors leave state as it was', () => {
  it('a failing op inside record keeps the tape, variables and registry intact', () => {
    const v = tt.variable([1.0, 2.0]);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => v.mul(v));
    const nodes = tape._nodes.length;
    const seed = getSeed();
    assert.throws(
      () => tape.record(() => tt.add(v, tt.tensor([1, 2, 3]))),
      /add: shapes \[2\] and \[3\] are not broadcastable/,
    );
    assert.throws(
      () => tape.record(() => tt.add(v, tt.tensor([1, 2], undefined, 'float64'))),
      /float32 and float64/,
    );
    assert.throws(() => v.assign([1, 2, 3]), /shape \[2\]/);
    assert.throws(() => tt.registerGradient('Mul', (_op, dy) => dy), /built-in/);
    assert.equal(tape._nodes.length, nodes + 2); // the reads before each failing op, nothing else
    assert.deepEqual(values(v.value()), [1, 2]);
    assert.deepEqual(values(tape.gradient(y, v)), [2, 4]);
    assert.equal(getSeed(), seed);
    assert.equal(tape.recording, false);
  });

  it('bad gradient arguments throw before using up a non-persistent tape', () => {
    const x = tt.tensor(2.0);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return x.mul(x);
    });
    assert.throws(() => tape.gradient(y, [x, 'nope']), /sources\[1\]/);
    assert.throws(
      () => tape.gradient(y, x, { unconnectedGradients: 'nan' as never }),
      /unconnectedGradients/,
    );
    assert.throws(
      () => tape.gradient(y, x, { outputGradients: tt.tensor([1, 2]) }),
      /shape \[2\], target has \[\]/,
    );
    assert.equal(item(tape.gradient(y, x)), 4);
  });
});
