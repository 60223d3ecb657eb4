// JAX-style transforms (grad, valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian, hvp), the tape's
// jacobian and batchJacobian against finite differences, Hessian symmetry, and recomputeGrad.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { assertClose, f64 } from './util.js';

/** Central-difference Jacobian [...f(x).shape, ...x.shape] of f with respect to argument `which`. */
function numericJacobian(
  f: (...xs: tt.Tensor[]) => tt.Tensor,
  xs: tt.Tensor[],
  which = 0,
  eps = 1e-6,
): tt.Tensor {
  const x = xs[which];
  const base = x.dataSync();
  const y0 = f(...xs);
  const cols: Float64Array[] = [];
  for (let j = 0; j < x.size; j++) {
    const at = (d: number) => {
      const v = base.slice();
      v[j] += d;
      const args = xs.slice();
      args[which] = tt.tensor(v, x.shape, 'float64');
      return f(...args).dataSync();
    };
    const p = at(eps);
    const m = at(-eps);
    cols.push(Float64Array.from(p, (e, i) => (e - m[i]) / (2 * eps)));
  }
  const out = new Float64Array(y0.size * x.size);
  for (let i = 0; i < y0.size; i++)
    for (let j = 0; j < x.size; j++) out[i * x.size + j] = cols[j][i];
  return tt.tensor(out, [...y0.shape, ...x.shape], 'float64');
}

const w1 = f64([3, 4], 11);
const w2 = f64([4, 2], 12);
/** A small network, per example: x [3] → [2]. */
const net = (x: tt.Tensor, a = w1, b = w2) =>
  tt.tanh(tt.matMul(tt.tanh(tt.matMul(tt.expandDims(x, 0), a)), b)).reshape([2]);
/** The same on a batch: x [n, 3] → [n, 2]. */
const netBatch = (x: tt.Tensor) => tt.tanh(tt.matMul(tt.tanh(tt.matMul(x, w1)), w2));
const scalarLoss = (x: tt.Tensor, a: tt.Tensor) => tt.sum(tt.square(tt.tanh(tt.matMul(x, a))));

describe('grad and valueAndGrad', () => {
  it('differentiate with respect to argnums, with pytree arguments and aux', () => {
    const x = f64([2, 3], 1);
    const a = f64([3, 4], 2);
    const [gx, ga] = tt.grad(scalarLoss, [0, 1])(x, a);
    assertClose(gx, numericJacobian(scalarLoss, [x, a], 0), 1e-7, 'd/dx');
    assertClose(ga, numericJacobian(scalarLoss, [x, a], 1), 1e-7, 'd/da');
    assertClose(tt.grad(scalarLoss, 1)(x, a), ga, 0, 'argnums 1');
    assertClose(tt.grad(scalarLoss, -1)(x, a), ga, 0, 'argnums -1');
    const g = tt.grad((p: { w: tt.Tensor; bs: tt.Tensor[] }) =>
      p.w.mul(p.bs[0]).add(p.bs[1]).sum(),
    )({
      w: tt.tensor([1, 2], [2], 'float64'),
      bs: [tt.tensor([3, 4], [2], 'float64'), tt.tensor([5, 6], [2], 'float64')],
    });
    assert.deepEqual(g.w.array(), [3, 4]);
    assert.deepEqual(g.bs[0].array(), [1, 2]);
    assert.deepEqual(g.bs[1].array(), [1, 1]);
    const [gAux, aux] = tt.grad((t: tt.Tensor) => [t.square().sum(), t.mul(10)], { hasAux: true })(
      tt.tensor([1, 2]),
    );
    assert.deepEqual(gAux.array(), [2, 4]);
    assert.deepEqual(aux.array(), [10, 20]);
    const [[v, aux2], g2] = tt.valueAndGrad((t: tt.Tensor) => [t.square().sum(), 'label'], 0, {
      hasAux: true,
    })(tt.tensor([3]));
    assert.equal(v.item(), 9);
    assert.equal(aux2, 'label');
    assert.deepEqual(g2.array(), [6]);
  });

  it('give zeros for unconnected arguments, accept numbers, and nest to any order', () => {
    const g = tt.grad((x: tt.Tensor, _y: tt.Tensor) => x.square().sum(), 1)(
      tt.ones([2]),
      tt.ones([3]),
    );
    assert.deepEqual(g.array(), [0, 0, 0]);
    assert.equal(
      tt
        .grad((x: tt.Tensor | number) => tt.mul(x, x))(3)
        .item(),
      6,
    );
    const f = (x: tt.Tensor) => tt.sin(x).mul(x);
    const d3 = tt
      .grad(tt.grad(tt.grad(f)))(tt.scalar(0.7, 'float64'))
      .item();
    // (x sin x)''' = -3 sin x - x cos x
    assert.ok(Math.abs(d3 - (-3 * Math.sin(0.7) - 0.7 * Math.cos(0.7))) < 1e-12);
    // The same tensor passed twice is two arguments.
    const x = tt.scalar(2, 'float64');
    assert.deepEqual(
      tt
        .grad((a: tt.Tensor, b: tt.Tensor) => a.mul(b.square()), [0, 1])(x, x)
        .map((t: tt.Tensor) => t.item()),
      [4, 8],
    );
  });

  it('compose with vmap (per-example gradients) and with tapes', () => {
    const xs = f64([5, 3], 3);
    const per = tt.vmap(tt.grad((x: tt.Tensor) => net(x).sum()))(xs);
    const loop = tt.stack(tt.unstack(xs).map((x) => tt.grad((t: tt.Tensor) => net(t).sum())(x)));
    assertClose(per, loop, 1e-14);
    const v = tt.variable(1.5);
    const tape = new tt.GradientTape();
    const g = tape.record(() => tt.grad((x: tt.Tensor) => x.mul(v).square())(tt.scalar(2)));
    // g = 2 x v² at x = 2; dg/dv = 4 x v = 12
    assert.equal(tape.gradient(g, v).item(), 12);
  });

  it('throw clear errors', () => {
    assert.throws(
      () => tt.grad((x: tt.Tensor) => x.mul(2))(tt.ones([2])),
      /grad: .*scalar \(rank-0\) output; f returned \[2\]/,
    );
    assert.throws(
      () => tt.grad((x: tt.Tensor) => x.sum())(tt.tensor([1, 2], [2], 'int32')),
      /grad: differentiation needs float inputs, but argument 0 has dtype int32/,
    );
    assert.throws(
      () => tt.grad((x: tt.Tensor) => x.sum(), 2)(tt.ones([2])),
      /grad: argnums entry 2 is out of range for a call with 1 positional arguments/,
    );
    assert.throws(
      () => tt.grad((x: tt.Tensor) => x.sum(), { hasAux: true })(tt.ones([2])),
      /grad: with hasAux, f must return a pair/,
    );
    assert.throws(
      () => tt.grad((x: tt.Tensor) => x.sum(), 'a' as never),
      /grad: argnums must be an integer or a non-empty array of integers/,
    );
    assert.throws(
      () => tt.valueAndGrad((x: tt.Tensor) => x.sum(), [0.5]),
      /valueAndGrad: argnums must be an integer or a non-empty array of integers, got \[0\.5\]/,
    );
  });

  it('report errors under the transform the user called', () => {
    const sq = (x: tt.Tensor) => x.square().sum();
    const x = tt.ones([2]);
    assert.throws(() => tt.hessian(1 as never), /^TypeError: hessian: expected a function/);
    assert.throws(() => tt.hvp(1 as never, [x], [x]), /^TypeError: hvp: expected a function/);
    assert.throws(() => tt.hessian(sq, 3)(x), /hessian: argnums entry 3 is out of range/);
    assert.throws(() => tt.hvp(sq, [x], [x], 2), /hvp: argnums entry 2 is out of range/);
    assert.throws(() => tt.hvp(sq, [x], [tt.ones([3])]), /hvp: tangent 0 has shape \[3\]/);
    for (const [name, call] of [
      ['grad', () => tt.grad(async (_: tt.Tensor) => 1)(x)],
      ['valueAndGrad', () => tt.valueAndGrad(async (_: tt.Tensor) => 1)(x)],
      ['vjp', () => tt.vjp(async (_: tt.Tensor) => 1, x)],
      ['jvp', () => tt.jvp(async () => 1, [x], [x])],
      ['jacrev', () => tt.jacrev(async (_: tt.Tensor) => 1)(x)],
      ['jacfwd', () => tt.jacfwd(async (_: tt.Tensor) => 1)(x)],
      ['hessian', () => tt.hessian(async (_: tt.Tensor) => 1)(x)],
      ['hvp', () => tt.hvp(async () => 1, [x], [x])],
    ] as const)
      assert.throws(
        call,
        new RegExp(`^TypeError: ${name}: f returned a Promise; f must be synchronous`),
      );
  });
});

describe('vjp and jvp', () => {
  it('vjp returns the output and a reusable pullback over structured outputs', () => {
    const x = f64([3], 1);
    const [out, pullback] = tt.vjp((t: tt.Tensor) => ({ a: t.square(), b: [t.sum()] }), x);
    assert.deepEqual(out.a.shape, [3]);
    const ct = { a: tt.tensor([1, 0, 2], [3], 'float64'), b: [tt.scalar(1, 'float64')] };
    const [g1] = pullback(ct);
    const [g2] = pullback(ct);
    const xv = x.dataSync();
    assert.deepEqual(Array.from(g1.dataSync()), [2 * xv[0] + 1, 1, 4 * xv[2] + 1]);
    assert.deepEqual(g2.dataSync(), g1.dataSync());
    const [, pb, aux] = tt.vjp((t: tt.Tensor) => [t.mul(2), 'aux'], x, { hasAux: true });
    assert.equal(aux, 'aux');
    assert.deepEqual(pb(tt.ones([3], 'float64'))[0].array(), [2, 2, 2]);
  });

  it('jvp gives the directional derivative, zeros where unconnected', () => {
    const x = f64([2, 3], 2);
    const a = f64([3, 4], 3);
    const t = f64([2, 3], 4);
    const [y, yDot] = tt.jvp((u: tt.Tensor) => scalarLoss(u, a), [x], [t]);
    assert.equal(y.item(), scalarLoss(x, a).item());
    const gx = tt.grad(scalarLoss)(x, a);
    assert.ok(Math.abs(yDot.item() - tt.sum(tt.mul(gx, t)).item()) < 1e-12);
    const [, z] = tt.jvp((u: tt.Tensor) => [u.mul(2), tt.ones([2])], [x], [t]);
    assert.deepEqual(z[1].array(), [0, 0]);
    const [, , aux] = tt.jvp((u: tt.Tensor) => [u, 7], [x], [t], { hasAux: true });
    assert.equal(aux, 7);
    assert.throws(() => tt.jvp((u: tt.Tensor) => u, [x], []), /jvp: got 1 primals but 0 tangents/);
  });
});

describe('Jacobians and Hessians', () => {
  it('jacrev and jacfwd equal finite differences, with JAX layout [...out, ...in]', () => {
    const x = f64([3], 5);
    const jr = tt.jacrev(net)(x);
    const jf = tt.jacfwd(net)(x);
    assert.deepEqual(jr.shape, [2, 3]);
    assertClose(jr, numericJacobian(net, [x]), 1e-8, 'jacrev');
    assertClose(jf, jr, 1e-14, 'jacfwd');
    // Several arguments and a matrix input.
    const xb = f64([2, 3], 6);
    const f = (u: tt.Tensor, a: tt.Tensor) => tt.tanh(tt.matMul(u, a));
    const [rx, ra] = tt.jacrev(f, [0, 1])(xb, w1);
    const [fx, fa] = tt.jacfwd(f, [0, 1])(xb, w1);
    assert.deepEqual(ra.shape, [2, 4, 3, 4]);
    assertClose(rx, numericJacobian(f, [xb, w1], 0), 1e-8, 'jacrev x');
    assertClose(ra, numericJacobian(f, [xb, w1], 1), 1e-8, 'jacrev a');
    assertClose(fx, rx, 1e-14, 'jacfwd x');
    assertClose(fa, ra, 1e-14, 'jacfwd a');
  });

  it('nest structured outputs and arguments as JAX does', () => {
    const f = (p: { u: tt.Tensor; v: tt.Tensor }) => [p.u.mul(p.v), p.u.sum()];
    const p = { u: f64([2], 1), v: f64([2], 2) };
    for (const jac of [tt.jacrev(f)(p), tt.jacfwd(f)(p)]) {
      assert.deepEqual(jac[0].u.shape, [2, 2]);
      assert.deepEqual(jac[1].v.shape, [2]);
      assert.deepEqual(jac[1].u.array(), [1, 1]);
      assert.deepEqual(jac[1].v.array(), [0, 0]);
      assertClose(
        jac[0].u,
        tt.linalg.inv(tt.linalg.inv(tt.mul(tt.eye(2, 2, 'float64'), p.v))),
        1e-12,
      );
    }
  });

  it('hessian equals finite differences of the gradient, is symmetric, and hvp = H v', () => {
    const x = f64([2, 3], 7);
    const f = (u: tt.Tensor) => scalarLoss(u, w1);
    const h = tt.hessian(f)(x);
    assert.deepEqual(h.shape, [2, 3, 2, 3]);
    assertClose(h, numericJacobian(tt.grad(f), [x]), 1e-7, 'hessian');
    const hm = h.reshape([6, 6]);
    assertClose(hm, tt.transpose(hm), 1e-14, 'symmetry');
    const v = f64([2, 3], 8);
    const hv = tt.hvp(f, [x], [v]);
    assertClose(hv, tt.matMul(hm, v.reshape([6, 1])).reshape([2, 3]), 1e-12, 'hvp');
    assertClose(tt.jacrev(tt.jacrev(f))(x), h, 1e-12, 'reverse over reverse');
    assertClose(tt.jacfwd(tt.jacfwd(f))(x), h, 1e-12, 'forward over forward');
  });

  it('tape.jacobian (vectorized and looping) and a tape Hessian equal finite differences', () => {
    const x = f64([2, 3], 9);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return netBatch(x);
    });
    const numeric = numericJacobian(netBatch, [x]);
    assertClose(tape.jacobian(y, x), numeric, 1e-8, 'jacobian');
    assertClose(
      tape.jacobian(y, x, { experimentalUsePfor: false }),
      numeric,
      1e-8,
      'looping jacobian',
    );
    const outer = new tt.GradientTape();
    const h = outer.record(() => {
      outer.watch(x);
      const inner = new tt.GradientTape();
      const loss = inner.record(() => {
        inner.watch(x);
        return tt.sum(tt.square(netBatch(x)));
      });
      return inner.gradient(loss, x);
    });
    const hess = outer.jacobian(h, x);
    assertClose(
      hess,
      numericJacobian(
        tt.grad((u: tt.Tensor) => tt.sum(tt.square(netBatch(u)))),
        [x],
      ),
      1e-7,
      'tape hessian',
    );
    const hm = hess.reshape([6, 6]);
    assertClose(hm, tt.transpose(hm), 1e-14, 'tape hessian symmetry');
  });

  it('batchJacobian equals the block diagonal of jacobian for a per-example function', () => {
    const x = f64([5, 3], 10);
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => {
      tape.watch(x);
      return netBatch(x);
    });
    const j = tape.jacobian(y, x); // [5, 2, 5, 3]
    const jb = tape.batchJacobian(y, x); // [5, 2, 3]
    assert.deepEqual(jb.shape, [5, 2, 3]);
    assertClose(jb, tt.einsum('bxby->bxy', j), 0, 'block diagonal');
    const off = tt.sub(tt.sum(j, 2), tt.einsum('bxby->bxy', j));
    assert.ok(tt.max(tt.abs(off)).item() === 0, 'off-diagonal blocks are zero');
    // And per example, with vmap over jacrev.
    assertClose(tt.vmap(tt.jacrev(net))(x), jb, 1e-14, 'vmap(jacrev)');
  });
});

describe('recomputeGrad', () => {
  it('runs f once forward and once more in the backward pass, with the same gradients', () => {
    let calls = 0;
    const block = (x: tt.Tensor) => {
      calls++;
      return tt.tanh(tt.matMul(x, w1)).square();
    };
    const checkpointed = tt.recomputeGrad(block);
    const x = f64([2, 3], 11);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return checkpointed(x);
    });
    assert.equal(calls, 1, 'one forward evaluation');
    const g = tape.gradient(y, x);
    assert.equal(calls, 2, 'recomputed once in the backward pass');
    calls = 0;
    const plain = tt.grad((u: tt.Tensor) => block(u).sum())(x);
    assertClose(g, plain, 1e-15);
  });

  it('records nothing of f on the tapes during the forward pass', () => {
    const x = f64([3], 12);
    const tape = new tt.GradientTape();
    tape.record(() => {
      tape.watch(x);
      tt.recomputeGrad((u: tt.Tensor) => u.exp().sin().square())(x);
    });
    // One recorded op: the custom-gradient op standing for f.
    assert.equal((tape as unknown as { _nodes: unknown[] })._nodes.length, 1);
  });

  it('gives gradients to variables read inside f, and differentiates twice', () => {
    const v = tt.variable(f64([3, 4], 13));
    const block = tt.recomputeGrad((x: tt.Tensor) => tt.tanh(tt.matMul(x, v)));
    const x = f64([2, 3], 14);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return block(x).sum();
    });
    const [gx, gv] = tape.gradient(y, [x, v]);
    const ref = new tt.GradientTape();
    const y2 = ref.record(() => {
      ref.watch(x);
      return tt.tanh(tt.matMul(x, v)).sum();
    });
    const [rx, rv] = ref.gradient(y2, [x, v]);
    assertClose(gx, rx, 1e-15, 'input gradient');
    assertClose(gv, rv, 1e-15, 'variable gradient');
    const d2 = tt.grad(tt.grad((u: tt.Tensor) => tt.recomputeGrad((t: tt.Tensor) => t.pow(3))(u)))(
      tt.scalar(2, 'float64'),
    );
    assert.equal(d2.item(), 12);
  });
});
