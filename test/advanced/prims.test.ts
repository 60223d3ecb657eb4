// The linalg, einsum, convolution and pooling primitives: values and gradients against TensorFlow
// (fixtures/tf_reference.json), checkGrads at orders 1–3 in both modes (float64), forward mode
// against reverse mode on random directions, and errors that name the op, shapes and dtypes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { builtinPrimitives } from '../../src/core/primitive.js';
import { bind1 } from '../../src/core/stack.js';
import { assertClose, assertFwdRevAgree, f64, fixture } from './util.js';

type Fn = (...xs: tt.Tensor[]) => tt.Tensor;

/** Value and input cotangents (for output cotangent c) of f at xs. */
function valueAndCotangents(f: Fn, xs: tt.Tensor[], c: tt.Tensor): [tt.Tensor, tt.Tensor[]] {
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    tape.watch(xs);
    return f(...xs);
  });
  return [y, tape.gradient(y, xs, { outputGradients: c })];
}

function checkAgainstTF(name: string, f: Fn, inputs: string[], grads: string[], tol = 1e-10): void {
  const { inputs: i, outputs: o } = fixture(name);
  const [y, gs] = valueAndCotangents(
    f,
    inputs.map((k) => i[k]),
    i.c,
  );
  assertClose(y, o.y, tol, `${name} value`);
  grads.forEach((g, k) => assertClose(gs[k], o[g], tol, `${name} ${g}`));
}

const spd = (x: tt.Tensor) =>
  tt.add(
    tt.matMul(x, x, false, true),
    tt.mul(tt.eye(x.shape[x.rank - 1], undefined, 'float64'), 2),
  );
const wellConditioned = (shape: number[], seed: number) =>
  tt.add(f64(shape, seed), tt.mul(tt.eye(shape[shape.length - 1], undefined, 'float64'), 3));

describe('linear algebra primitives', () => {
  it('solve, inv, det and cholesky match TensorFlow (values and gradients)', () => {
    checkAgainstTF('solve', (a, b) => tt.linalg.solve(a, b), ['a', 'b'], ['ga', 'gb']);
    checkAgainstTF('solveAdjoint', (a, b) => tt.linalg.solve(a, b, true), ['a', 'b'], ['ga', 'gb']);
    checkAgainstTF('inv', (a) => tt.linalg.inv(a), ['a'], ['ga']);
    checkAgainstTF('det', (a) => tt.linalg.det(a), ['a'], ['ga']);
    checkAgainstTF('cholesky', (a) => tt.linalg.cholesky(a), ['a'], ['ga']);
  });

  it('pass checkGrads at orders 1-3 in both modes', () => {
    const a = wellConditioned([2, 3, 3], 1);
    const b = f64([3, 2], 2);
    tt.test.checkGrads((x, y) => tt.linalg.solve(x, y), [a, b], { order: 3 });
    tt.test.checkGrads((x, y) => tt.linalg.solve(x, y, true), [a, b], { order: 3 });
    tt.test.checkGrads((x) => tt.linalg.inv(x), [a], { order: 3 });
    tt.test.checkGrads((x) => tt.linalg.det(x), [a], { order: 3 });
    // Cholesky reads a symmetric input: differentiate through a symmetric parametrisation.
    tt.test.checkGrads((x) => tt.linalg.cholesky(spd(x)), [f64([2, 3, 3], 3)], { order: 3 });
  });

  it('forward mode agrees with reverse mode', () => {
    const a = wellConditioned([2, 3, 3], 4);
    assertFwdRevAgree((x, y) => tt.linalg.solve(x, y), [a, f64([2, 3, 1], 5)]);
    assertFwdRevAgree((x) => tt.linalg.inv(x), [a]);
    assertFwdRevAgree((x) => tt.linalg.det(x), [a]);
    assertFwdRevAgree((x) => tt.linalg.cholesky(x), [spd(f64([3, 3], 6))]);
  });

  it('are recorded under TF op types', () => {
    const a = wellConditioned([3, 3], 7);
    const names: string[] = [];
    for (const [op, f] of [
      ['MatrixSolve', (x: tt.Tensor) => tt.linalg.solve(x, tt.ones([3, 1], 'float64'))],
      ['MatrixInverse', (x: tt.Tensor) => tt.linalg.inv(x)],
      ['MatrixDeterminant', (x: tt.Tensor) => tt.linalg.det(x)],
      ['Cholesky', (x: tt.Tensor) => tt.linalg.cholesky(spd(x))],
    ] as const) {
      const tape = new tt.GradientTape();
      const y = tape.record(() => {
        tape.watch(a);
        return tt.gradientOverride({ [op]: 'NoSuchGradient' }, () => f(a));
      });
      assert.throws(
        () => tape.gradient(y, a),
        /gradient registry has no entry for: NoSuchGradient/,
      );
      names.push(op);
    }
    assert.equal(names.length, 4);
  });

  it('errors name the op, the shapes and the dtypes', () => {
    assert.throws(
      () => tt.linalg.inv(tt.ones([2, 3])),
      /linalg\.inv: input must be a square matrix.*\[2, 3\]/,
    );
    assert.throws(
      () => tt.linalg.solve(tt.eye(2), tt.ones([3, 1])),
      /linalg\.solve: rhs must have shape \[\.\.\., 2, k\].*\[3, 1\]/,
    );
    assert.throws(
      () => tt.linalg.solve(tt.eye(2), tt.ones([2, 1], 'float64')),
      /linalg\.solve: matrix has dtype float32 but rhs has dtype float64/,
    );
    assert.throws(
      () => tt.linalg.det(tt.ones([2, 2], 'int32')),
      /linalg\.det: input has dtype int32/,
    );
    assert.throws(
      () =>
        tt.linalg.inv([
          [1, 2],
          [2, 4],
        ]),
      /MatrixInverse.*not invertible/,
    );
    assert.throws(
      () =>
        tt.linalg.cholesky([
          [1, 2],
          [2, 1],
        ]),
      /Cholesky.*positive definite/,
    );
    assert.equal(
      tt.linalg
        .det([
          [1, 2],
          [2, 4],
        ])
        .item(),
      0,
    );
  });
});

describe('einsum', () => {
  it('matches TensorFlow: explicit, implicit, repeated labels, ..., three operands', () => {
    const { inputs: i, outputs: o } = fixture('einsum');
    const e = tt.einsum;
    assertClose(e('bij,jk->bik', i.p, i.q), o.bij_jk, 1e-12, 'bij,jk->bik');
    assertClose(e('ii', i.r), o.trace, 1e-12, 'ii');
    assertClose(e('ii->i', i.r), o.diag, 1e-12, 'ii->i');
    assertClose(e('bxby->bxy', i.s), o.bxby, 1e-12, 'bxby->bxy');
    assertClose(e('bij,jk', i.p, i.q), o.implicit, 1e-12, 'implicit');
    assertClose(e('...j,jk->...k', i.p, i.q), o.ellipsis, 1e-12, '...j,jk->...k');
    const m = tt.tensor(
      Float64Array.from({ length: 6 }, (_, k) => Math.sin(k + 1)),
      [2, 3],
      'float64',
    );
    assert.deepEqual(e('bij,jk,bi->bk', i.p, i.q, m).shape, o.three.shape);
    assertClose(
      e(
        'i,j->ij',
        tt.slice(i.r, [0, 0], [1, 3]).reshape([3]),
        tt.slice(i.q, [0, 0], [1, 5]).reshape([5]),
      ),
      o.outer,
      1e-12,
      'outer',
    );
  });

  it('three operands agree with two nested contractions; broadcasting ... works', () => {
    const a = f64([2, 3, 4], 1);
    const b = f64([4, 5], 2);
    const c = f64([2, 3], 3);
    assertClose(
      tt.einsum('bij,jk,bi->bk', a, b, c),
      tt.einsum('bik,bi->bk', tt.einsum('bij,jk->bik', a, b), c),
      1e-12,
    );
    assert.deepEqual(
      tt.einsum('...ij,...jk->...ik', f64([5, 2, 3], 4), f64([3, 4], 5)).shape,
      [5, 2, 4],
    );
    assert.deepEqual(
      tt.einsum('...ij,...jk', f64([5, 1, 2, 3], 4), f64([4, 3, 4], 5)).shape,
      [5, 4, 2, 4],
    );
  });

  it('differentiates to order 3 and agrees in both modes', () => {
    const a = f64([2, 3], 6);
    const b = f64([3, 3], 7);
    tt.test.checkGrads((x, y) => tt.einsum('ij,jk->ik', x, y), [a, b], { order: 3 });
    tt.test.checkGrads((y) => tt.einsum('ii->i', y), [b], { order: 2 });
    tt.test.checkGrads((x, y) => tt.einsum('ij,jj,ik', x, y, x), [a, b], { order: 2 });
    assertFwdRevAgree((x, y) => tt.einsum('ij,jk->ki', x, y), [a, b]);
  });

  it('rejects malformed equations with clear errors', () => {
    assert.throws(
      () => tt.einsum('ij,jk->ik', tt.ones([2, 3])),
      /einsum: equation 'ij,jk->ik' has 2 operand terms but 1/,
    );
    assert.throws(() => tt.einsum('ij->ik', tt.ones([2, 3])), /output label 'k' does not appear/);
    assert.throws(
      () => tt.einsum('ij,jk', tt.ones([2, 3]), tt.ones([4, 2])),
      /label 'j' has size 3 .* and 4/,
    );
    assert.throws(
      () => tt.einsum('ijk', tt.ones([2, 3])),
      /term 'ijk' names 3 axes but operand 0 has shape \[2, 3\]/,
    );
  });
});

describe('convolution and pooling', () => {
  for (const s of ['1', '2', '2x3']) {
    for (const p of ['SAME', 'VALID']) {
      const strides = s === '2x3' ? [2, 3] : Number(s);
      const padding = p.toLowerCase() as 'same' | 'valid';
      it(`conv2d, maxPool and avgPool match TensorFlow (strides ${s}, ${p})`, () => {
        checkAgainstTF(
          `conv2d_${s}_${p}`,
          (x, w) => tt.nn.conv2d(x, w, strides, padding),
          ['x', 'w'],
          ['gx', 'gw'],
        );
        checkAgainstTF(
          `maxPool_${s}_${p}`,
          (x) => tt.nn.maxPool(x, [2, 3], strides, padding),
          ['x'],
          ['gx'],
        );
        checkAgainstTF(
          `avgPool_${s}_${p}`,
          (x) => tt.nn.avgPool(x, [2, 3], strides, padding),
          ['x'],
          ['gx'],
        );
      });
    }
  }

  it('maxPool gives the gradient to the first maximum of each window (TF)', () => {
    checkAgainstTF('maxPool_ties', (x) => tt.nn.maxPool(x, 2, 2, 'valid'), ['x'], ['gx'], 0);
    checkAgainstTF('maxPool_ties_same', (x) => tt.nn.maxPool(x, 3, 1, 'same'), ['x'], ['gx'], 0);
  });

  it('pass checkGrads at orders 1-3 in both modes and agree forward/reverse', () => {
    const x = f64([2, 4, 5, 2], 1);
    const w = f64([2, 3, 2, 3], 2);
    for (const padding of ['same', 'valid'] as const) {
      tt.test.checkGrads((a, b) => tt.nn.conv2d(a, b, [2, 1], padding), [x, w], { order: 3 });
      tt.test.checkGrads((a) => tt.nn.maxPool(a, [2, 2], [1, 2], padding), [x], { order: 3 });
      tt.test.checkGrads((a) => tt.nn.avgPool(a, [3, 2], 2, padding), [x], { order: 3 });
      assertFwdRevAgree((a, b) => tt.nn.conv2d(a, b, 1, padding), [x, w]);
      assertFwdRevAgree((a) => tt.nn.maxPool(a, 2, 1, padding), [x]);
      assertFwdRevAgree((a) => tt.nn.avgPool(a, 2, 1, padding), [x]);
    }
  });

  it("the gradient ops' own rules pass checkGrads at orders 1-3 and agree forward/reverse", () => {
    const op =
      (name: string, attrs: unknown) =>
      (...xs: tt.Tensor[]) =>
        bind1(builtinPrimitives.get(name)!, xs, attrs);
    const geometry = { strides: [2, 1], pads: [1, 1, 0, 1] };
    const pool = { ksize: [2, 2], strides: [1, 2], pads: [0, 1, 0, 1] };
    const cases: [string, unknown, tt.Tensor[]][] = [
      [
        'Conv2DBackpropInput',
        { ...geometry, inputSize: [5, 4] },
        [f64([2, 3, 4, 2], 1), f64([3, 2, 3, 2], 2)],
      ],
      [
        'Conv2DBackpropFilter',
        { ...geometry, filterSize: [3, 2] },
        [f64([2, 5, 4, 3], 3), f64([2, 3, 4, 2], 4)],
      ],
      ['MaxPoolGrad', pool, [f64([1, 4, 5, 2], 5), f64([1, 4, 3, 2], 6)]],
      ['MaxPoolGradGrad', pool, [f64([1, 4, 5, 2], 7), f64([1, 4, 5, 2], 8)]],
      ['AvgPoolGrad', { ...pool, inputSize: [4, 5] }, [f64([1, 4, 3, 2], 9)]],
    ];
    for (const [name, attrs, xs] of cases) {
      tt.test.checkGrads(op(name, attrs), xs, { order: 3 });
      assertFwdRevAgree(op(name, attrs), xs);
    }
  });

  it('accept a single HWC image and [1, h, w, 1] strides', () => {
    const img = f64([5, 5, 2], 3);
    const w = f64([3, 3, 2, 4], 4);
    const batched = tt.nn.conv2d(tt.expandDims(img, 0), w, [1, 2, 2, 1], 'same');
    assertClose(tt.nn.conv2d(img, w, 2, 'same'), tt.squeeze(batched, [0]), 0);
    assert.deepEqual(tt.nn.maxPool(img, 2).shape, [2, 2, 2]);
  });

  it('errors name the op and the shapes', () => {
    assert.throws(
      () => tt.nn.conv2d(tt.ones([1, 4, 4, 2]), tt.ones([3, 3, 3, 1]), 1, 'same'),
      /conv2d: filter must have shape \[height, width, 2, outChannels\]/,
    );
    assert.throws(
      () => tt.nn.conv2d(tt.ones([4, 4]), tt.ones([3, 3, 1, 1])),
      /conv2d: x must have rank 4 \(NHWC\), got shape \[4, 4\]/,
    );
    assert.throws(
      () => tt.nn.conv2d(tt.ones([1, 2, 2, 1]), tt.ones([3, 3, 1, 1]), 1, 'valid'),
      /conv2d: window of size 3 does not fit an input of size 2/,
    );
    assert.throws(
      () => tt.nn.maxPool(tt.ones([1, 4, 4, 1]), 2, 0),
      /maxPool: strides must be a positive integer/,
    );
    assert.throws(
      () => tt.nn.avgPool(tt.ones([1, 4, 4, 1]), 2, 2, 'full' as 'same'),
      /avgPool: padding must be 'same' or 'valid'/,
    );
  });
});
