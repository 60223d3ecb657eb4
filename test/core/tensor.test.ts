// Tensors: creation, dtype rules, broadcasting, conversion, printing (TF's layout), random seeds.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { values } from './util.js';

describe('creation and dtypes', () => {
  it('JS numbers are float32 unless the dtype says otherwise; booleans are bool', () => {
    assert.equal(tt.tensor(1.5).dtype, 'float32');
    assert.equal(tt.tensor(10, [], 'int32').dtype, 'int32');
    assert.equal(tt.tensor([true, false]).dtype, 'bool');
    assert.equal(tt.scalar(2, 'float64').dtype, 'float64');
    assert.equal(tt.constant([[1, 2]]).rank, 2);
  });

  it('typed arrays keep their dtype', () => {
    assert.equal(tt.tensor(new Float64Array([1, 2])).dtype, 'float64');
    assert.equal(tt.tensor(new Int32Array([1, 2])).dtype, 'int32');
    assert.equal(tt.tensor(new Float32Array([1, 2]), [2, 1]).shape.join(), '2,1');
  });

  it('float32 storage rounds like TF (0.1 and overflow to inf)', () => {
    assert.equal(tt.tensor(0.1).item(), Math.fround(0.1));
    assert.equal(tt.exp(100).item(), Infinity);
    assert.equal(tt.exp(tt.tensor(100, [], 'float64')).item(), Math.exp(100));
  });

  it('rejects ragged arrays, unknown dtypes, bad shapes and lossy int32 values, naming the problem', () => {
    assert.throws(() => tt.tensor([[1, 2], [3]]), /ragged/);
    assert.throws(() => tt.tensor([1], undefined, 'int64' as never), /unknown dtype "int64"/);
    assert.throws(() => tt.tensor([1, 2], [3]), /2 values do not fit shape \[3\]/);
    assert.throws(() => tt.zeros([2, -1]), /non-negative integers/);
    assert.throws(() => tt.zeros([2.5]), /non-negative integers/);
    assert.throws(() => tt.zeros([NaN]), /non-negative integers/);
    assert.throws(() => tt.zeros([1e6, 1e6]), /more than/);
    assert.throws(() => tt.tensor(1.5, [], 'int32'), /1.5 to int32/);
    assert.throws(() => tt.tensor(['a'] as never), /expected numbers or booleans/);
  });

  it('ops never mix dtypes silently; JS operands take the other operand dtype', () => {
    const f32 = tt.tensor([1, 2]);
    const f64 = tt.tensor([1, 2], undefined, 'float64');
    assert.throws(() => tt.add(f32, f64), /different dtypes float32 and float64/);
    assert.equal(tt.add(f64, 1).dtype, 'float64');
    assert.equal(tt.mul(2, f64).dtype, 'float64');
    const i = tt.tensor([1, 2], undefined, 'int32');
    assert.equal(tt.mul(i, 3).dtype, 'int32');
    assert.throws(() => tt.mul(i, 0.5), /mul: argument 'b': cannot convert 0.5 to int32/);
    assert.deepEqual(tt.add([[1], [2]], f32).array(), [
      [2, 3],
      [3, 4],
    ]);
  });

  it('broadcasts with NumPy rules and reports incompatible shapes', () => {
    const a = tt.ones([2, 1, 3]);
    const b = tt.ones([4, 1]);
    assert.deepEqual(tt.add(a, b).shape, [2, 4, 3]);
    assert.deepEqual(tt.add(tt.ones([0, 3]), tt.ones([1, 3])).shape, [0, 3]);
    assert.throws(
      () => tt.add(tt.ones([2, 3]), tt.ones([4])),
      /\[2, 3\] and \[4\] are not broadcastable/,
    );
  });

  it('creation ops', () => {
    assert.deepEqual(tt.zeros([2]).array(), [0, 0]);
    assert.deepEqual(tt.ones([1, 2], 'int32').array(), [[1, 1]]);
    assert.deepEqual(tt.fill([2], 7).array(), [7, 7]);
    assert.deepEqual(tt.zerosLike(tt.tensor([1, 2], undefined, 'float64')).dtype, 'float64');
    assert.deepEqual(tt.onesLike(tt.tensor([5])).array(), [1]);
    assert.deepEqual(tt.eye(2, 3).array(), [
      [1, 0, 0],
      [0, 1, 0],
    ]);
    assert.deepEqual(values(tt.linspace(-1, 1, 5)), [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(tt.range(4).array(), [0, 1, 2, 3]);
    assert.equal(tt.range(4).dtype, 'int32');
    assert.deepEqual(values(tt.range(0, 1, 0.25)), [0, 0.25, 0.5, 0.75]);
  });

  it('rank-0 tensors convert to numbers; larger ones throw', () => {
    const x = tt.tensor(3);
    assert.ok((x as unknown as number) > 2);
    assert.equal(+x, 3);
    assert.throws(() => +tt.tensor([1, 2]), /only a rank-0 tensor converts/);
    assert.throws(() => tt.tensor([1, 2]).item(), /exactly one element/);
  });

  it('dataSync copies; array and numpy give nested arrays', () => {
    const t = tt.tensor([[1, 2]]);
    const d = t.dataSync();
    d[0] = 100;
    assert.deepEqual(t.array(), [[1, 2]]);
    assert.equal(tt.tensor(2.5).numpy(), 2.5);
    assert.deepEqual(tt.tensor([true]).array(), [true]);
  });

  it('Tensor and Variable are exported classes and every op is a method of both', () => {
    const v = tt.variable([1, 2], { name: 'v' });
    assert.ok(tt.tensor(1) instanceof tt.Tensor);
    assert.ok(v instanceof tt.Variable);
    assert.deepEqual(v.mul(2).sum().array(), 6);
    assert.equal(v.name, 'v');
    assert.equal(tt.variable(1).name, 'Variable');
  });
});

describe('printing', () => {
  // Expected strings are TensorFlow 2.21's str() of the same tensors, with `Tensor(` for
  // `tf.Tensor(`, TS brackets for shapes, and a digit after every bare decimal point.
  const cases: [tt.Tensor, string][] = [
    [tt.tensor(4.0), 'Tensor(4.0, shape=[], dtype=float32)'],
    [tt.tensor([0, 0]), 'Tensor([0.0 0.0], shape=[2], dtype=float32)'],
    [tt.tensor(0.1), 'Tensor(0.1, shape=[], dtype=float32)'],
    [
      tt.tensor([
        [1, 2],
        [3, 4],
      ]),
      'Tensor(\n[[1.0 2.0]\n [3.0 4.0]], shape=[2, 2], dtype=float32)',
    ],
    [tt.tensor([1, 2.5, 3.25]), 'Tensor([1.0  2.5  3.25], shape=[3], dtype=float32)'],
    [tt.tensor(1 / 3), 'Tensor(0.33333334, shape=[], dtype=float32)'],
    [tt.tensor(1 / 3, [], 'float64'), 'Tensor(0.3333333333333333, shape=[], dtype=float64)'],
    [tt.tensor([NaN, Infinity, -1.5]), 'Tensor([ nan  inf -1.5], shape=[3], dtype=float32)'],
    [
      tt.range(0, 1200, 1, 'float32'),
      'Tensor([0.000e+00 1.000e+00 2.000e+00 ... 1.197e+03 1.198e+03 1.199e+03], shape=[1200], dtype=float32)',
    ],
    [
      tt.tensor([
        [1e-5, 1.5],
        [3, 4],
      ]),
      'Tensor(\n[[1.0e-05 1.5e+00]\n [3.0e+00 4.0e+00]], shape=[2, 2], dtype=float32)',
    ],
    [tt.tensor([true, false]), 'Tensor([ True False], shape=[2], dtype=bool)'],
    [
      tt.tensor(
        [
          [1, -20],
          [3, 4],
        ],
        undefined,
        'int32',
      ),
      'Tensor(\n[[  1 -20]\n [  3   4]], shape=[2, 2], dtype=int32)',
    ],
    [tt.tensor(123456789.0), 'Tensor(1.2345679e+08, shape=[], dtype=float32)'],
    [tt.tensor(1e-5), 'Tensor(1e-05, shape=[], dtype=float32)'],
    [tt.zeros([2, 0]), 'Tensor([], shape=[2, 0], dtype=float32)'],
    [tt.tensor(-0.0), 'Tensor(-0.0, shape=[], dtype=float32)'],
    [tt.tensor([100.5, -2.25]), 'Tensor([100.5   -2.25], shape=[2], dtype=float32)'],
    [
      tt.range(0, 40, 1, 'float32').div(3),
      'Tensor(\n' +
        '[ 0.0         0.33333334  0.6666667   1.0         1.3333334   1.6666666\n' +
        '  2.0         2.3333333   2.6666667   3.0         3.3333333   3.6666667\n' +
        '  4.0         4.3333335   4.6666665   5.0         5.3333335   5.6666665\n' +
        '  6.0         6.3333335   6.6666665   7.0         7.3333335   7.6666665\n' +
        '  8.0         8.333333    8.666667    9.0         9.333333    9.666667\n' +
        ' 10.0        10.333333   10.666667   11.0        11.333333   11.666667\n' +
        ' 12.0        12.333333   12.666667   13.0       ], shape=[40], dtype=float32)',
    ],
  ];
  cases.forEach(([t, expected], i) => {
    it(`case ${i}: ${expected.split('\n')[0]}`, () => {
      assert.equal(String(t), expected);
      assert.equal(inspect(t), expected);
    });
  });

  it('formatValues prints numbers as NumPy prints float32 scalars', () => {
    assert.equal(tt.formatValues(4, 'float32'), '4.0');
    assert.equal(tt.formatValues(0.25), '0.25');
    assert.equal(tt.formatValues(tt.tensor([1, 2.5])), '[1.0 2.5]');
  });
});

describe('random', () => {
  it('the same seed gives the same numbers; a different seed does not', () => {
    tt.random.setSeed(42);
    const a = values(tt.random.normal([5]));
    tt.random.setSeed(42);
    const b = values(tt.random.normal([5]));
    tt.random.setSeed(43);
    const c = values(tt.random.normal([5]));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.deepEqual(
      values(tt.random.uniform([3], { seed: 7 })),
      values(tt.random.uniform([3], { seed: 7 })),
    );
  });

  it('produces fixed numbers for a fixed seed (platform independent integer arithmetic)', () => {
    const u = tt.random.uniform([3], { seed: 1, dtype: 'float64' });
    // Pinned values: a change of generator is a breaking change users would see.
    assert.deepEqual(
      values(u).map((v) => v.toFixed(12)),
      PINNED_UNIFORM,
    );
  });

  it('has plausible moments and respects mean, stddev, minval and maxval', () => {
    const n = tt.random.normal([20000], { mean: 3, stddev: 2, seed: 5, dtype: 'float64' });
    const d = values(n);
    const m = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - m) ** 2, 0) / d.length);
    assert.ok(Math.abs(m - 3) < 0.05 && Math.abs(sd - 2) < 0.05);
    const u = values(tt.random.uniform([1000], { minval: -2, maxval: -1, seed: 3 }));
    assert.ok(u.every((v) => v >= -2 && v < -1));
  });
});

const PINNED_UNIFORM = ['0.568605994835', '0.889393936768', '0.470582418020'];
