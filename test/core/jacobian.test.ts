// tape.jacobian and tape.batchJacobian: shapes, values against loops and closed forms, TF's errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { close, primitivesApplied, values } from './util.js';

const f64 = (shape: number[], seed: number) =>
  tt.random.uniform(shape, { minval: -1, maxval: 1, seed, dtype: 'float64' });

describe('jacobian', () => {
  it('has shape target.shape ++ source.shape and matches the looping path', () => {
    const x = f64([2, 3], 1);
    const w = f64([3, 4], 2);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch([x, w]);
      return tt.tanh(tt.matMul(x, w));
    });
    const [jx, jw] = tape.jacobian(y, [x, w]);
    assert.deepEqual(jx.shape, [2, 4, 2, 3]);
    assert.deepEqual(jw.shape, [2, 4, 3, 4]);
    const [lx, lw] = tape.jacobian(y, [x, w], { experimentalUsePfor: false });
    values(jx).forEach((v, i) => assert.ok(close(v, values(lx)[i], 1e-12)));
    values(jw).forEach((v, i) => assert.ok(close(v, values(lw)[i], 1e-12)));
    // d tanh(xw)_{ij} / d x_{ab} = (1 - y²)_{ij} δ_{ia} w_{bj}
    const yv = y.array() as number[][];
    const wv = w.array() as number[][];
    const jxv = jx.array() as number[][][][];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++)
        for (let a = 0; a < 2; a++)
          for (let b = 0; b < 3; b++) {
            const expected = i === a ? (1 - yv[i][j] ** 2) * wv[b][j] : 0;
            assert.ok(close(jxv[i][j][a][b], expected, 1e-12));
          }
  });

  it('runs each recorded gradient function once per call, on per-example shapes', () => {
    const calls: number[][] = [];
    const op = tt.defineOp({
      name: 'JacobianTestSquare',
      forward: ([x]) => ({ data: x.data.map((v) => v * v), shape: x.shape }),
    });
    tt.registerGradient('JacobianTestSquare', (o, dy) => {
      calls.push(dy.shape);
      return dy.mul(o.inputs[0]).mul(2);
    });
    const x = tt.tensor([1, 2, 3]);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return op(x);
    });
    const j = tape.jacobian(y, x);
    assert.deepEqual(calls, [[3]]);
    assert.deepEqual(j.array(), [
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 6],
    ]);
  });

  it('gives null for unconnected sources (zeros with "zero") and needs a persistent tape to loop', () => {
    const x = tt.tensor([1, 2]);
    const u = tt.tensor([3, 4, 5]);
    let tape = new tt.GradientTape();
    let y = tape.record(() => {
      tape.watch([x, u]);
      return x.mul(2);
    });
    const [jx, ju] = tape.jacobian(y, [x, u]);
    assert.deepEqual(jx.shape, [2, 2]);
    assert.equal(ju, null);
    assert.throws(
      () => tape.jacobian(y, x),
      /non-persistent GradientTape can only be used to compute one set/,
    );
    tape = new tt.GradientTape();
    y = tape.record(() => {
      tape.watch([x, u]);
      return x.mul(2);
    });
    assert.throws(() => tape.jacobian(y, x, { experimentalUsePfor: false }), /persistent=True/);
    assert.deepEqual(tape.jacobian(y, u, { unconnectedGradients: 'zero' }).shape, [2, 3]);
  });

  it('nested tapes give a symmetric Hessian matching finite differences', () => {
    const x = f64([4], 3);
    const f = (v: tt.Tensor) => tt.sum(tt.sin(v).mul(tt.sum(v.mul(v))));
    const outer = new tt.GradientTape();
    const g = outer.record(() => {
      outer.watch(x);
      const inner = new tt.GradientTape();
      const y = inner.record(() => {
        inner.watch(x);
        return f(x);
      });
      return inner.gradient(y, x);
    });
    const h = outer.jacobian(g, x).array() as number[][];
    const { numerical } = tt.test.computeGradient(
      (v) => {
        const t = new tt.GradientTape();
        const y = t.record(() => {
          t.watch(v);
          return f(v);
        });
        return t.gradient(y, v);
      },
      [x],
      1e-5,
    );
    const num = numerical[0].array() as number[][];
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        assert.ok(close(h[i][j], h[j][i], 1e-12));
        assert.ok(close(h[i][j], num[i][j], 1e-6));
      }
  });
});

describe('batchJacobian', () => {
  it('equals the block diagonal of jacobian for per-example functions, in both paths', () => {
    const x = f64([5, 3], 4);
    const w = f64([3, 2], 5);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.sigmoid(tt.matMul(x, w));
    });
    const bj = tape.batchJacobian(y, x);
    assert.deepEqual(bj.shape, [5, 2, 3]);
    const full = tape.jacobian(y, x).array() as number[][][][];
    const b = bj.array() as number[][][];
    const loop = tape.batchJacobian(y, x, { experimentalUsePfor: false }).array() as number[][][];
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 2; j++)
        for (let k = 0; k < 3; k++) {
          assert.ok(close(b[i][j][k], full[i][j][i][k], 1e-12));
          assert.ok(close(loop[i][j][k], b[i][j][k], 1e-12));
        }
  });

  it('handles targets and sources of rank 3, in both paths', () => {
    const x = f64([4, 2, 3], 6);
    const w = f64([3, 5], 7);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.tanh(tt.matMul(x, w)); // [4, 2, 5]
    });
    const bj = tape.batchJacobian(y, x);
    assert.deepEqual(bj.shape, [4, 2, 5, 2, 3]);
    const loop = tape.batchJacobian(y, x, { experimentalUsePfor: false });
    assert.deepEqual(loop.shape, [4, 2, 5, 2, 3]);
    const full = tape.jacobian(y, x).array() as number[][][][][][];
    const b = bj.array() as number[][][][][];
    const l = loop.array() as number[][][][][];
    for (let i = 0; i < 4; i++)
      for (let p = 0; p < 2; p++)
        for (let q = 0; q < 5; q++)
          for (let r = 0; r < 2; r++)
            for (let c = 0; c < 3; c++) {
              assert.ok(close(b[i][p][q][r][c], full[i][p][q][i][r][c], 1e-12));
              assert.ok(close(l[i][p][q][r][c], b[i][p][q][r][c], 1e-12));
            }
  });

  it("runs a dense tanh network without a transpose: the batching rules keep the seeds' axis", () => {
    const x = f64([8, 3], 8);
    const w1 = f64([3, 6], 9);
    const w2 = f64([6, 4], 10);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return tt.tanh(tt.matMul(tt.tanh(tt.add(tt.matMul(x, w1), 0.5)), w2));
    });
    let bj: tt.Tensor | undefined;
    const applied = primitivesApplied(() => (bj = tape.batchJacobian(y, x)));
    assert.deepEqual(bj!.shape, [8, 4, 3]);
    assert.ok(!applied.includes('Transpose'), applied.join(', '));
    // Two products (one per layer) and the two tanh gradients, each run once for all 4 seeds.
    assert.equal(applied.filter((n) => n === 'MatMul').length, 2, applied.join(', '));
    assert.equal(applied.filter((n) => n === 'TanhGrad').length, 2, applied.join(', '));
  });

  it("raises TF's errors and gives zeros when unconnected", () => {
    const x = tt.ones([2, 3]);
    const c = tt.ones([2, 4]);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch([x, c]);
      return x.mul(2);
    });
    assert.throws(
      () => tape.batchJacobian(tt.ones([3]), x),
      /Need first dimension of target shape/,
    );
    assert.throws(
      () => tape.batchJacobian(y, tt.ones([3, 3])),
      /Need first dimension of target shape \(\[2, 3\]\) and source shape \(\[3, 3\]\) to match/,
    );
    const z = tape.batchJacobian(y, c);
    assert.deepEqual(z.shape, [2, 3, 4]);
    assert.ok(values(z).every((v) => v === 0));
  });
});

describe('vmap', () => {
  it('maps over any input axis and composes with itself and with tapes', () => {
    const a = f64([3, 4], 6);
    const outer = tt.vmap((row: tt.Tensor) => tt.sum(row.mul(row)));
    values(outer(a)).forEach((v, i) => assert.ok(close(v, values(tt.sum(a.mul(a), 1))[i])));
    const cols = tt.vmap((col: tt.Tensor) => tt.sum(col), 1)(a);
    values(cols).forEach((v, i) => assert.ok(close(v, values(tt.sum(a, 0))[i])));
    const nested = tt.vmap(tt.vmap((v: tt.Tensor) => v.mul(2)))(a);
    assert.deepEqual(values(nested), values(a.mul(2)));
    const perExampleGrad = tt.vmap((row: tt.Tensor) => {
      const t = new tt.GradientTape();
      const y = t.record(() => {
        t.watch(row);
        return tt.sum(tt.sin(row));
      });
      return t.gradient(y, row);
    })(a);
    values(perExampleGrad).forEach((v, i) => assert.ok(close(v, Math.cos(values(a)[i]))));
  });

  it('reports mismatched batch sizes and values used after vmap returned', () => {
    assert.throws(
      () => tt.vmap((x: tt.Tensor, y: tt.Tensor) => x.add(y))(tt.ones([2]), tt.ones([3])),
      /batch sizes differ: 2 and 3/,
    );
    let leaked: tt.Tensor | null = null;
    tt.vmap((x: tt.Tensor) => {
      leaked = x;
      return x;
    })(tt.ones([2]));
    assert.throws(() => leaked!.add(1), /vmap that has already returned/);
    assert.throws(() => leaked!.dataSync(), /batched by vmap/);
  });
});
