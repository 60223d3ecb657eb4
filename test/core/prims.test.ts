// The core primitives in float64 against central finite differences: forward and reverse mode,
// orders 1-3 (every mix of modes, as JAX's check_grads), on random inputs with broadcasting,
// scalars and size-0 axes; and the second and third derivatives of tanh, sigmoid and exp against
// their closed forms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { close } from './util.js';

const f64 = (shape: number[], seed: number, lo = -1.5, hi = 1.5) =>
  tt.random.uniform(shape, { minval: lo, maxval: hi, seed, dtype: 'float64' });
const positive = (shape: number[], seed: number) => f64(shape, seed, 0.3, 2);

type Case = [string, (...xs: tt.Tensor[]) => tt.Tensor, () => tt.Tensor[]];

/** Shape variants every case runs on: plain, broadcasting, scalar, size-0. */
const cases: Case[] = [
  ['add (broadcast)', (a, b) => tt.add(a, b), () => [f64([2, 3], 1), f64([3], 2)]],
  ['sub (broadcast)', (a, b) => tt.sub(a, b), () => [f64([2, 1], 3), f64([1, 3], 4)]],
  ['mul (scalar)', (a, b) => tt.mul(a, b), () => [f64([2, 3], 5), f64([], 6)]],
  ['div (broadcast)', (a, b) => tt.div(a, b), () => [f64([3], 7), positive([2, 1], 8)]],
  ['pow', (a, b) => tt.pow(a, b), () => [positive([2, 2], 9), f64([2], 10)]],
  ['neg', (a) => tt.neg(a), () => [f64([3], 11)]],
  ['square', (a) => tt.square(a), () => [f64([2, 2], 12)]],
  ['sqrt', (a) => tt.sqrt(a), () => [positive([3], 13)]],
  ['exp', (a) => tt.exp(a), () => [f64([3], 14)]],
  ['log', (a) => tt.log(a), () => [positive([3], 15)]],
  ['sin', (a) => tt.sin(a), () => [f64([2, 2], 16)]],
  ['cos', (a) => tt.cos(a), () => [f64([], 17)]],
  ['sigmoid', (a) => tt.sigmoid(a), () => [f64([4], 18)]],
  ['tanh', (a) => tt.tanh(a), () => [f64([4], 19)]],
  [
    'relu (away from 0)',
    (a) => tt.relu(a),
    () => [tt.tensor([-1.2, -0.3, 0.4, 1.1], [4], 'float64')],
  ],
  ['sum (axis)', (a) => tt.sum(tt.mul(a, a), 1), () => [f64([2, 3], 20)]],
  ['sum (all, keepDims)', (a) => tt.sum(tt.sin(a), null, true), () => [f64([2, 3], 21)]],
  ['mean', (a) => tt.mean(tt.mul(a, a), [0, 2]), () => [f64([2, 2, 2], 22)]],
  ['reshape', (a) => tt.reshape(a, [3, 2]).mul(tt.reshape(a, [3, 2])), () => [f64([2, 3], 23)]],
  [
    'transpose',
    (a) => tt.transpose(a, [1, 0, 2]).mul(tt.transpose(a, [1, 0, 2]).sin()),
    () => [f64([2, 3, 2], 24)],
  ],
  [
    'broadcastTo',
    (a) => tt.broadcastTo(a, [2, 3]).mul(tt.broadcastTo(a, [2, 3])),
    () => [f64([3], 25)],
  ],
  ['matMul', (a, b) => tt.matMul(a, b), () => [f64([2, 3], 26), f64([3, 2], 27)]],
  [
    'matMul (transposes)',
    (a, b) => tt.matMul(a, b, true, true),
    () => [f64([3, 2], 28), f64([4, 3], 29)],
  ],
  [
    'matMul (batched, broadcast)',
    (a, b) => tt.matMul(a, b),
    () => [f64([2, 2, 3], 30), f64([3, 2], 31)],
  ],
  [
    'where',
    (a, b) => tt.where(tt.greater(a, 0), a.mul(b), b.sin()),
    () => [f64([3], 32), f64([3], 33)],
  ],
  [
    'slice/pad/concat',
    (a) =>
      tt
        .concat(
          [
            tt.slice(a, [0, 1], [2, 2]),
            tt.pad(a, [
              [0, 0],
              [1, 0],
            ]),
          ],
          1,
        )
        .square(),
    () => [f64([2, 3], 34)],
  ],
  [
    'size-0 axis',
    (a, b) => tt.add(tt.mul(a, b), tt.sum(a, 0)),
    () => [f64([0, 3], 35), f64([3], 36)],
  ],
];

describe('core primitives against finite differences (float64, orders 1-3, forward and reverse)', () => {
  for (const [name, f, args] of cases) {
    it(name, () => {
      tt.test.checkGrads(f, args(), { order: 3 });
    });
  }

  it('cast passes gradients between float dtypes only', () => {
    const x = tt.tensor([0.5, 1.5], [2], 'float64');
    const tape = new tt.GradientTape({ persistent: true });
    const [y, z] = tape.record(() => {
      tape.watch(x);
      return [tt.cast(x, 'float32').mul(3), tt.cast(x, 'int32')];
    });
    const g = tape.gradient(y, x);
    assert.equal(g.dtype, 'float64');
    assert.deepEqual(Array.from(g.dataSync()), [3, 3]);
    assert.equal(tape.gradient(z, x), null);
    const acc = new tt.ForwardAccumulator(x, tt.onesLike(x));
    const w = acc.record(() => tt.cast(x, 'float32'));
    assert.equal(acc.jvp(w).dtype, 'float32');
  });

  it('checkGrads can fail: a wrong gradient is caught', () => {
    tt.registerGradient('PrimsTestWrong', (_op, dy) => dy.mul(3));
    const wrong = tt.defineOp({
      name: 'PrimsTestWrong',
      forward: ([x]) => ({ data: x.data.map((v) => 2 * v), shape: x.shape }),
    });
    assert.throws(
      () => tt.test.checkGrads((x) => wrong(x), [f64([3], 40)], { order: 1, modes: ['rev'] }),
      /cotangent projection/,
    );
    assert.throws(
      () => tt.test.checkGrads((x) => wrong(x), [f64([3], 41)], { order: 1, modes: ['fwd'] }),
      /tangent/,
    );
  });
});

describe('higher derivatives of tanh, sigmoid and exp against closed forms', () => {
  /** d^k/dx^k of f at points, by nested tapes (reverse) and nested accumulators (forward). */
  const derivatives = (f: (x: tt.Tensor) => tt.Tensor, x: tt.Tensor, order: number) => {
    const rev = (k: number): tt.Tensor => {
      if (k === 0) return f(x);
      const tape = new tt.GradientTape();
      const y = tape.record(() => {
        tape.watch(x);
        return rev(k - 1);
      });
      return tape.gradient(y, x);
    };
    const fwd = (k: number, p: tt.Tensor): tt.Tensor => {
      if (k === 0) return f(p);
      const acc = new tt.ForwardAccumulator(p, tt.onesLike(p));
      const y = acc.record(() => fwd(k - 1, p));
      return acc.jvp(y);
    };
    return { rev: Array.from(rev(order).dataSync()), fwd: Array.from(fwd(order, x).dataSync()) };
  };
  const points = [-2, -0.5, 0, 0.7, 3];
  const x = tt.tensor(points, [5], 'float64');
  const closedForms: [string, (x: tt.Tensor) => tt.Tensor, ((v: number) => number)[]][] = [
    [
      'tanh',
      tt.tanh,
      [
        (v) => -2 * Math.tanh(v) * (1 - Math.tanh(v) ** 2),
        (v) => {
          const t = Math.tanh(v);
          return (1 - t * t) * (6 * t * t - 2);
        },
      ],
    ],
    [
      'sigmoid',
      tt.sigmoid,
      [
        (v) => {
          const s = 1 / (1 + Math.exp(-v));
          return s * (1 - s) * (1 - 2 * s);
        },
        (v) => {
          const s = 1 / (1 + Math.exp(-v));
          return s * (1 - s) * (1 - 6 * s + 6 * s * s);
        },
      ],
    ],
    ['exp', tt.exp, [Math.exp, Math.exp]],
  ];
  for (const [name, f, [second, third]] of closedForms) {
    it(`${name}'' and ${name}''' in both modes`, () => {
      const d2 = derivatives(f, x, 2);
      const d3 = derivatives(f, x, 3);
      points.forEach((v, i) => {
        assert.ok(
          close(d2.rev[i], second(v), 1e-12),
          `${name}'' reverse at ${v}: ${d2.rev[i]} vs ${second(v)}`,
        );
        assert.ok(close(d2.fwd[i], second(v), 1e-12), `${name}'' forward at ${v}`);
        assert.ok(
          close(d3.rev[i], third(v), 1e-12),
          `${name}''' reverse at ${v}: ${d3.rev[i]} vs ${third(v)}`,
        );
        assert.ok(close(d3.fwd[i], third(v), 1e-12), `${name}''' forward at ${v}`);
      });
    });
  }

  it("relu'', relu6'' and leakyRelu'' are zeros in both modes, not unconnected, as in TF", () => {
    // Their gradient ops (ReluGrad, Relu6Grad, LeakyReluGrad) have a zero gradient in x.
    const fs: [string, (x: tt.Tensor) => tt.Tensor][] = [
      ['relu', tt.relu],
      ['relu6', tt.relu6],
      ['leakyRelu', (v) => tt.leakyRelu(v, 0.25)],
    ];
    for (const [name, f] of fs) {
      const d2 = derivatives(f, x, 2);
      assert.deepEqual(d2.rev, [0, 0, 0, 0, 0], `${name}'' reverse`);
      assert.deepEqual(d2.fwd, [0, 0, 0, 0, 0], `${name}'' forward`);
    }
  });
});
