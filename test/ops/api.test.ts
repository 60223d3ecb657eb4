// The catalogue's surface: TF's namespaces and every op as a Tensor/Variable method, variable
// reads (ReadVariableOp), defaults TF fixes (argMax's axis, leakyRelu's alpha), and the errors
// bad arguments get (naming the op, the argument, the shapes or dtypes).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';

const f64 = (v: unknown, shape?: number[]) => tt.tensor(v, shape, 'float64');

/** Elementwise within a few float64 ulps (the same maths in another order of operations). */
function assertNear(actual: tt.Tensor, expected: number[]): void {
  const a = Array.from(actual.dataSync());
  assert.equal(a.length, expected.length);
  a.forEach((x, i) =>
    assert.ok(Math.abs(x - expected[i]) <= 4e-16 * Math.abs(expected[i]), `${x} vs ${expected[i]}`),
  );
}

describe("TF's namespaces alias the same functions", () => {
  it('tt.math, tt.nn, tt.linalg, reduce*, autodiff, UnconnectedGradients', () => {
    const pairs: [unknown, unknown][] = [
      [tt.math.abs, tt.abs],
      [tt.math.erf, tt.erf],
      [tt.math.squaredDifference, tt.squaredDifference],
      [tt.math.reduceLogSumExp, tt.logSumExp],
      [tt.math.reduceMax, tt.max],
      [tt.math.argmax, tt.argMax],
      [tt.math.floordiv, tt.floorDiv],
      [tt.math.floormod, tt.mod],
      [tt.math.isNan, tt.isNaN],
      [tt.math.unsortedSegmentSum, tt.unsortedSegmentSum],
      [tt.math.greater_equal, tt.greaterEqual],
      [tt.nn.softmax, tt.softmax],
      [tt.nn.logSoftmax, tt.logSoftmax],
      [tt.nn.relu6, tt.relu6],
      [tt.nn.leakyRelu, tt.leakyRelu],
      [tt.nn.gelu, tt.gelu],
      [tt.nn.selu, tt.selu],
      [tt.nn.elu, tt.elu],
      [tt.nn.softplus, tt.softplus],
      [tt.linalg.norm, tt.norm],
      [tt.reduceMax, tt.max],
      [tt.reduceMin, tt.min],
      [tt.reduceProd, tt.prod],
      [tt.reduceAny, tt.any],
      [tt.reduceAll, tt.all],
      [tt.reduceLogSumExp, tt.logSumExp],
      [tt.autodiff.GradientTape, tt.GradientTape],
      [tt.autodiff.ForwardAccumulator, tt.ForwardAccumulator],
    ];
    for (const [alias, fn] of pairs) assert.equal(alias, fn);
    assert.equal(tt.UnconnectedGradients.ZERO, 'zero');
    assert.equal(tt.UnconnectedGradients.NONE, 'none');
  });

  it('every op of the catalogue is a Tensor and a Variable method', () => {
    const names = [
      ...'add sub mul div pow neg abs sign square sqrt rsqrt reciprocal exp expm1 log log1p sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh sigmoid softplus relu relu6 elu selu gelu leakyRelu erf erfc floor ceil round maximum minimum squaredDifference clipByValue clipByNorm where equal notEqual greater greaterEqual less lessEqual logicalAnd logicalOr logicalNot cast'.split(
        ' ',
      ),
      ...'sum mean max min prod any all logSumExp norm argMax argMin softmax logSoftmax'.split(' '),
      ...'reshape transpose expandDims squeeze concat stack unstack split slice stridedSlice gather pad tile broadcastTo oneHot reverse index matMul dot'.split(
        ' ',
      ),
    ];
    const v = tt.variable(f64([1, 2]));
    for (const n of names) {
      assert.equal(typeof (tt.Tensor.prototype as any)[n], 'function', `Tensor.${n}`);
      assert.equal(typeof (v as any)[n], 'function', `Variable.${n}`);
    }
    const x = f64([
      [1, -2],
      [3, 4],
    ]);
    assert.deepEqual(x.abs().max(1).array(), [2, 4]);
    assert.deepEqual(x.index(null, 0).array(), [1, 3]);
    assert.deepEqual(
      x.concat(x, 0).shape,
      [4, 2],
      'x.concat(y, axis) joins the receiver with y, as in tfjs',
    );
    assert.deepEqual(x.stack([x, x], 1).shape, [2, 3, 2]);
    assert.deepEqual(v.square().array(), [1, 4]);
  });
});

describe('defaults TF fixes', () => {
  it('argMax and argMin default to axis 0', () => {
    const x = tt.tensor([
      [1, 5, 2],
      [3, 2, 7],
    ]);
    assert.deepEqual(tt.argMax(x).array(), [1, 0, 1]);
    assert.deepEqual(tt.argMin(x).array(), [0, 1, 0]);
    assert.equal(tt.argMax(x).dtype, 'int32');
  });

  it("leakyRelu's alpha defaults to 0.2", () => {
    const x = f64([-1, 2]);
    assert.deepEqual(tt.leakyRelu(x).array(), [-0.2, 2]);
  });

  it('oneHot defaults to float32 ones and zeros on a new last axis', () => {
    const y = tt.oneHot([1, 0], 2);
    assert.equal(y.dtype, 'float32');
    assert.deepEqual(y.array(), [
      [0, 1],
      [1, 0],
    ]);
  });

  it('norm defaults to the euclidean norm of all elements', () => {
    assert.equal(tt.norm(f64([[3], [4]])).item(), 5);
  });
});

describe('variable reads (ReadVariableOp)', () => {
  it('carry gradients and tangents to the variable, at every order', () => {
    const v = tt.variable(f64([0.5, -1.5]));
    const outer = new tt.GradientTape();
    const inner = new tt.GradientTape();
    const [g, h] = outer.record(() => {
      const g1 = inner.record(() => tt.sum(tt.mul(tt.sin(v), v)));
      const d = inner.gradient(g1, v) as tt.Tensor; // sin v + v cos v
      return [d, outer.gradient(tt.sum(d), v) as tt.Tensor]; // 2 cos v - v sin v
    });
    const x = [0.5, -1.5];
    assertNear(
      g,
      x.map((a) => Math.sin(a) + a * Math.cos(a)),
    );
    assertNear(
      h,
      x.map((a) => 2 * Math.cos(a) - a * Math.sin(a)),
    );
    const acc = new tt.ForwardAccumulator(v, f64([1, 2]));
    const y = acc.record(() => tt.mul(v, v));
    assert.deepEqual(Array.from((acc.jvp(y) as tt.Tensor).dataSync()), [1, -6]);
  });

  it('snapshot the value: a later assign does not change what the tape saved', () => {
    const v = tt.variable(f64(3));
    const tape = new tt.GradientTape();
    const y = tape.record(() => tt.square(v));
    v.assign(f64(10));
    assert.equal((tape.gradient(y, v) as tt.Tensor).item(), 6);
  });
});

describe('bad arguments get errors naming the op and what was expected', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['axis out of range', () => tt.max(tt.zeros([2, 3]), 2), /^max: axis 2 is out of range/],
    ['repeated axis', () => tt.sum(tt.zeros([2, 3]), [1, -1]), /^sum: axis -1 is repeated/],
    ['argMax on an empty axis', () => tt.argMax(tt.zeros([0, 2])), /^argMax: .*empty/],
    ['argMax of a scalar', () => tt.argMax(tt.scalar(1)), /^argMax: .*rank >= 1/],
    [
      'int pow to a negative power',
      () => tt.pow(tt.tensor([2], [1], 'int32'), -1),
      /^pow: .*negative/,
    ],
    [
      'int floorDiv by zero',
      () => tt.floorDiv(tt.tensor([2], [1], 'int32'), 0),
      /^floorDiv: integer division by zero/,
    ],
    [
      'int mod by zero',
      () => tt.mod(tt.tensor([2], [1], 'int32'), 0),
      /^mod: integer division by zero/,
    ],
    [
      'mixed dtypes',
      () => tt.maximum(tt.zeros([2]), f64([1, 2])),
      /^maximum: .*float32 and float64/,
    ],
    [
      'int32 with a fraction',
      () => tt.minimum(tt.tensor([1], [1], 'int32'), 0.5),
      /^minimum: .*0\.5.*int32/,
    ],
    [
      'gather index out of range',
      () => tt.gather([1, 2, 3], [3]),
      /^gather: indices\[0\] = 3 is not in \[0, 3\)/,
    ],
    ['gather negative index', () => tt.gather([1, 2, 3], [-1]), /^gather: indices\[0\] = -1/],
    [
      'gather float indices',
      () => tt.gather([1, 2], tt.tensor([0.5])),
      /^gather: indices has dtype float32; expected int32/,
    ],
    [
      'gather axis before batchDims',
      () => tt.gather(tt.zeros([2, 3]), tt.zeros([2, 1], 'int32'), 0, 1),
      /^gather: axis 0 must not be less than batchDims 1/,
    ],
    [
      'gather batch dims differ',
      () => tt.gather(tt.zeros([2, 3]), tt.zeros([3, 1], 'int32'), 1, 1),
      /^gather: .*first 1 dimensions/,
    ],
    [
      'segment id too large',
      () => tt.unsortedSegmentSum([1, 2], [0, 2], 2),
      /^unsortedSegmentSum: segmentIds\[1\] = 2 is out of range \[0, 2\)/,
    ],
    [
      'segment ids not a prefix',
      () => tt.unsortedSegmentSum(tt.zeros([2, 3]), [0, 1, 0], 2),
      /^unsortedSegmentSum: segmentIds shape \[3\] must be a prefix of data shape \[2, 3\]/,
    ],
    [
      'oneHot negative depth',
      () => tt.oneHot([1], -1),
      /^oneHot: depth must be a non-negative integer/,
    ],
    [
      'oneHot fractional int32 onValue',
      () => tt.oneHot([1], 2, { dtype: 'int32', onValue: 0.5 }),
      /^oneHot: onValue 0\.5 cannot be int32/,
    ],
    [
      'split does not divide',
      () => tt.split(tt.zeros([5]), 2),
      /^split: numOrSizeSplits 2 must .* dividing the length 5/,
    ],
    [
      'split sizes do not add up',
      () => tt.split(tt.zeros([5]), [1, 2]),
      /^split: sizes \[1, 2\] must be non-negative integers adding up to the length 5/,
    ],
    [
      'split with two -1',
      () => tt.split(tt.zeros([5]), [-1, -1]),
      /^split: at most one size may be -1/,
    ],
    [
      'stack of different shapes',
      () => tt.stack([tt.zeros([2]), tt.zeros([3])]),
      /^stack: tensors must share one shape, got \[2\] and \[3\]/,
    ],
    [
      'stack of different dtypes',
      () => tt.stack([tt.zeros([2]), f64([1, 2])]),
      /^stack: tensors have different dtypes float32 and float64/,
    ],
    ['unstack a scalar', () => tt.unstack(tt.scalar(1)), /^unstack: x must have rank >= 1/],
    [
      'tile with the wrong length',
      () => tt.tile(tt.zeros([2, 2]), [2]),
      /^tile: multiples must be 2 non-negative integers/,
    ],
    [
      'reverse axis out of range',
      () => tt.reverse(tt.zeros([2]), 1),
      /^reverse: axis 1 is out of range/,
    ],
    [
      'squeeze a long axis',
      () => tt.squeeze(tt.zeros([2, 1]), 0),
      /^squeeze: axis 0 has length 2, expected 1/,
    ],
    [
      'pad of the wrong rank',
      () =>
        tt.pad(tt.zeros([2]), [
          [1, 1],
          [0, 0],
        ]),
      /^pad: paddings must have one \[before, after\] pair per axis/,
    ],
    [
      'stridedSlice stride 0',
      () => tt.stridedSlice(tt.zeros([3]), [0], [3], [0]),
      /^stridedSlice: strides\[0\] must be non-zero/,
    ],
    [
      'stridedSlice two ellipses',
      () => tt.stridedSlice(tt.zeros([3]), [0, 0], [1, 1], [1, 1], 0, 0, 3),
      /^stridedSlice: multiple ellipses/,
    ],
    [
      'stridedSlice ragged spec',
      () => tt.stridedSlice(tt.zeros([3]), [0, 0], [1], [1]),
      /^stridedSlice: begin, end and strides must have the same length/,
    ],
    [
      'index out of bounds',
      () => tt.zeros([2, 3]).index(0, 3),
      /^index: index 3 is out of bounds for axis 1 of length 3/,
    ],
    [
      'too many indices',
      () => tt.zeros([2]).index(0, 0),
      /^index: 2 indices given for a tensor of rank 1/,
    ],
    [
      'a bad index entry',
      () => tt.zeros([2]).index('a:b' as never),
      /^index: entry 0 must be an integer, null, a slice string/,
    ],
    ['softmax of a scalar', () => tt.softmax(tt.scalar(1)), /^softmax: logits must have rank >= 1/],
    [
      'softmax of ints',
      () => tt.softmax(tt.tensor([1, 2], [2], 'int32')),
      /^softmax: logits has dtype int32; expected float32 or float64/,
    ],
    ['leakyRelu alpha', () => tt.leakyRelu([1], NaN), /^leakyRelu: alpha must be a finite number/],
    ['norm ord 0', () => tt.norm([1, 2], 0), /^norm: ord 0 is not a supported vector norm/],
    [
      'matrix 2-norm',
      () => tt.norm(tt.zeros([2, 2]), 2, [0, 1]),
      /^norm: the matrix 2-norm needs singular values/,
    ],
    [
      'norm with three axes',
      () => tt.norm(tt.zeros([2, 2, 2]), 'euclidean', [0, 1, 2]),
      /^norm: axis must be null, a number or a pair/,
    ],
    ['norm of ints', () => tt.norm(tt.tensor([1], [1], 'int32')), /^norm: x has dtype int32/],
    [
      'clipByValue that would broadcast x',
      () => tt.clipByValue(tt.zeros([2]), tt.zeros([3, 2]), 1),
      /^clipByValue: clipValueMin of shape \[3, 2\] does not broadcast to x's shape \[2\]/,
    ],
    [
      'clipByNorm of ints',
      () => tt.clipByNorm(tt.tensor([1], [1], 'int32'), 1),
      /^clipByNorm: x has dtype int32/,
    ],
    [
      'logSumExp of ints',
      () => tt.logSumExp(tt.tensor([1], [1], 'int32')),
      /^logSumExp: x has dtype int32/,
    ],
    ['gelu of ints', () => tt.gelu(tt.tensor([1], [1], 'int32')), /^gelu: x has dtype int32/],
    [
      'dot of rank 3',
      () => tt.dot(tt.zeros([1, 1, 1]), tt.zeros([1])),
      /^dot: operands must be vectors or matrices, got shapes \[1, 1, 1\] and \[1\]/,
    ],
    [
      'dot inner sizes',
      () => tt.dot(tt.zeros([2]), tt.zeros([3])),
      /^dot: inner dimensions of shapes \[2\] and \[3\] differ \(2 vs 3\)/,
    ],
    [
      'an int op without ints',
      () => tt.sqrt(tt.tensor([4], [1], 'int32')),
      /^sqrt: x has dtype int32; expected float32 or float64/,
    ],
    [
      'a logical op on floats',
      () => tt.logicalAnd(tt.zeros([1]), tt.zeros([1])),
      /^logicalAnd: operands have dtype float32; expected bool/,
    ],
    ['any on floats', () => tt.any(tt.zeros([1])), /^any: x has dtype float32; expected bool/],
  ];
  for (const [what, fn, re] of cases) {
    it(what, () => assert.throws(fn, (e: Error) => re.test(e.message), String(re)));
  }

  it('leave tapes recording and unchanged', () => {
    const x = tt.variable(f64([1, 2]));
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      const a = tt.square(x);
      assert.throws(() => tt.gather(a, [5]));
      return tt.sum(a);
    });
    assert.deepEqual(Array.from((tape.gradient(y, x) as tt.Tensor).dataSync()), [2, 4]);
  });
});
