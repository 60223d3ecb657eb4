// Gradient checking: TF's `tf.test.compute_gradient` (theoretical and numerical Jacobians) and
// JAX's `check_grads` (forward and reverse mode against central differences in random directions,
// recursively to any order).

import { convert, tensor } from '../convert.js';
import { ForwardAccumulator } from '../core/forward.js';
import { GradientTape } from '../core/tape.js';
import { allocate, isFloat } from '../dtype.js';
import { normal } from '../random.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';

type Fn = (...xs: Tensor[]) => Tensor;

function toTensors(xs: readonly unknown[], where: string): Tensor[] {
  if (!Array.isArray(xs)) throw new TypeError(`${where}: xs must be an array of tensors`);
  return xs.map((x, i) =>
    x instanceof Variable ? x._value : convert(x, undefined, `${where} (xs[${i}])`),
  );
}

/** Checks the arguments of the jvp/vjp helpers: a function and arrays of tensors. */
function checkHelperArgs(where: string, f: unknown, lists: readonly [string, unknown][]): void {
  if (typeof f !== 'function') throw new TypeError(`${where}: f must be a function`);
  for (const [name, list] of lists) {
    if (!Array.isArray(list) || !list.every((x) => x instanceof Tensor)) {
      throw new TypeError(`${where}: ${name} must be an array of tensors`);
    }
  }
  const [first, second] = lists;
  if (second !== undefined && (second[1] as unknown[]).length !== (first[1] as unknown[]).length) {
    throw new RangeError(
      `${where}: ${first[0]} and ${second[0]} must have one entry each, got ${(first[1] as unknown[]).length} and ${(second[1] as unknown[]).length}`,
    );
  }
}

function callF(f: Fn, xs: Tensor[], where: string): Tensor {
  const y = f(...xs);
  if (!(y instanceof Tensor)) throw new TypeError(`${where}: f must return a Tensor`);
  return y;
}

/**
 * The theoretical (from the tape) and numerical (central differences with step `delta`, default
 * 1/1024) Jacobians of `f` at `xs`: one 2-D tensor `[ySize, xSize]` per argument.
 *
 * @example
 * const { theoretical, numerical } = tt.test.computeGradient((x) => x.mul(x), [tt.tensor([1, 2], [2], 'float64')]);
 * theoretical[0].array(); // [[2, 0], [0, 4]]
 */
export function computeGradient(
  f: Fn,
  xs: readonly unknown[],
  delta = 1 / 1024,
): { theoretical: Tensor[]; numerical: Tensor[] } {
  const where = 'test.computeGradient';
  if (typeof f !== 'function') throw new TypeError(`${where}: f must be a function`);
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new RangeError(`${where}: delta must be a positive finite number, got ${String(delta)}`);
  }
  const args = toTensors(xs, where);
  const y0 = callF(f, args, where);
  const ySize = y0.size;
  const theoretical: Tensor[] = [];
  const numerical: Tensor[] = [];
  args.forEach((x, p) => {
    const jt = allocate(x.dtype, ySize * x.size);
    const jn = allocate(x.dtype, ySize * x.size);
    // Theoretical: one backward pass per output element, seeded with a one-hot cotangent.
    for (let row = 0; row < ySize; row++) {
      const seed = allocate(y0.dtype, ySize);
      seed[row] = 1;
      const tape = new GradientTape();
      const y = tape.record(() => {
        tape.watch(args[p]);
        return callF(f, args, where);
      });
      const g = tape.gradient(y, args[p], { outputGradients: tensor(seed, y0.shape, y0.dtype) });
      if (g !== null) jt.set(g.values(), row * x.size);
    }
    // Numerical: perturb each input element by ±delta in the input's dtype.
    const base = x.values();
    for (let col = 0; col < x.size; col++) {
      const plus = base.slice();
      const minus = base.slice();
      plus[col] += delta;
      minus[col] -= delta;
      const eval_ = (v: typeof base) => {
        const a = args.slice();
        a[p] = new Tensor(v, x.shape, x.dtype);
        return callF(f, a, where).values();
      };
      const yp = eval_(plus);
      const ym = eval_(minus);
      const scale = plus[col] - minus[col];
      for (let row = 0; row < ySize; row++) jn[row * x.size + col] = (yp[row] - ym[row]) / scale;
    }
    theoretical.push(new Tensor(jt, [ySize, x.size], x.dtype));
    numerical.push(new Tensor(jn, [ySize, x.size], x.dtype));
  });
  return { theoretical, numerical };
}

// ---- check_grads ---------------------------------------------------------------------------------

/** A function of tensors returning a tensor or an array of tensors. */
export type CheckedFunction = (...xs: Tensor[]) => Tensor | Tensor[];

export interface CheckGradsOptions {
  /** Highest derivative order checked (default 2). */
  order?: number;
  /** Which modes to check (default both). */
  modes?: readonly ('fwd' | 'rev')[];
  /** Finite-difference step (default 1e-4 in float64, 1e-2 in float32... see below). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
}

function outputsOf(r: Tensor | Tensor[]): Tensor[] {
  return r instanceof Tensor ? [r] : r;
}

function randomLike(xs: readonly Tensor[], seed: number): Tensor[] {
  return xs.map((x, i) =>
    normal(x.shape, { seed: seed * 7919 + i, dtype: isFloat(x.dtype) ? x.dtype : 'float64' }),
  );
}

function innerProduct(a: readonly Tensor[], b: readonly Tensor[]): number {
  let s = 0;
  a.forEach((x, i) => {
    const u = x.values();
    const v = b[i].values();
    for (let k = 0; k < u.length; k++) s += u[k] * v[k];
  });
  return s;
}

function axpy(xs: readonly Tensor[], ts: readonly Tensor[], alpha: number): Tensor[] {
  return xs.map((x, i) => {
    const d = x.values().slice();
    const t = ts[i].values();
    for (let k = 0; k < d.length; k++) d[k] += alpha * t[k];
    return new Tensor(d, x.shape, x.dtype);
  });
}

/**
 * Directional derivative of f at xs along ts by central differences with steps eps and eps/2,
 * combined by Richardson extrapolation (4·D(eps/2) - D(eps))/3: the step's eps² error cancels,
 * leaving O(eps⁴), so nested derivatives of fast-growing functions (tan, exp) are checked
 * against an accurate reference rather than a loose tolerance.
 *
 * @example
 * const x = tt.tensor([1, 2], [2], 'float64');
 * tt.test.numericalJvp((x) => x.mul(x), [x], [tt.onesLike(x)], 1e-3)[0].array(); // [2, 4]
 */
export function numericalJvp(
  f: CheckedFunction,
  xs: readonly Tensor[],
  ts: readonly Tensor[],
  eps: number,
): Tensor[] {
  checkHelperArgs('test.numericalJvp', f, [
    ['xs', xs],
    ['ts', ts],
  ]);
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new RangeError(
      `test.numericalJvp: eps must be a positive finite number, got ${String(eps)}`,
    );
  }
  let like: Tensor[] = [];
  const central = (h: number): Float64Array[] => {
    const yp = outputsOf(f(...axpy(xs, ts, h)));
    const ym = outputsOf(f(...axpy(xs, ts, -h)));
    like = yp;
    return yp.map((p, i) => {
      const a = p.values();
      const b = ym[i].values();
      const d = new Float64Array(a.length);
      for (let k = 0; k < a.length; k++) d[k] = (a[k] - b[k]) / (2 * h);
      return d;
    });
  };
  const coarse = central(eps);
  const fine = central(eps / 2);
  return like.map((y, i) => {
    const d = allocate(y.dtype, y.size);
    for (let k = 0; k < d.length; k++) {
      const c = coarse[i][k];
      const r = fine[i][k];
      // Where only one is finite (a pole within the step), keep the finer one.
      d[k] = Number.isFinite(c) && Number.isFinite(r) ? r + (r - c) / 3 : r;
    }
    return new Tensor(d, y.shape, y.dtype);
  });
}

/**
 * Forward mode: outputs and tangents of f at xs along ts (zeros where unconnected).
 *
 * @example
 * const x = tt.tensor([1, 2], [2], 'float64');
 * tt.test.jvpOf((x) => x.mul(x), [x], [tt.onesLike(x)])[1][0].array(); // [2, 4]
 */
export function jvpOf(
  f: CheckedFunction,
  xs: readonly Tensor[],
  ts: readonly Tensor[],
): [Tensor[], Tensor[]] {
  checkHelperArgs('test.jvpOf', f, [
    ['xs', xs],
    ['ts', ts],
  ]);
  const acc = new ForwardAccumulator(xs.slice(), ts.slice());
  const ys = outputsOf(acc.record(() => f(...xs)));
  return [ys, acc.jvp(ys, { unconnectedGradients: 'zero' })];
}

/**
 * Reverse mode: outputs of f at xs and the cotangents of xs for output cotangents `cs` (default:
 * the outputs themselves, as JAX's check does).
 *
 * @example
 * const x = tt.tensor([1, 2], [2], 'float64');
 * tt.test.vjpOf((x) => x.mul(x), [x], [tt.onesLike(x)])[1][0].array(); // [2, 4]
 */
export function vjpOf(
  f: CheckedFunction,
  xs: readonly Tensor[],
  cs?: readonly Tensor[],
): [Tensor[], Tensor[]] {
  checkHelperArgs('test.vjpOf', f, [['xs', xs]]);
  if (cs !== undefined) checkHelperArgs('test.vjpOf', f, [['cs', cs]]);
  const tape = new GradientTape();
  const ys = outputsOf(
    tape.record(() => {
      tape.watch(xs.slice());
      return f(...xs);
    }),
  );
  const seeds = cs ?? ys;
  return [
    ys,
    tape.gradient(ys, xs.slice(), { outputGradients: seeds.slice(), unconnectedGradients: 'zero' }),
  ];
}

function close(
  actual: readonly Tensor[],
  expected: readonly Tensor[],
  atol: number,
  rtol: number,
  what: string,
): void {
  actual.forEach((a, i) => {
    const e = expected[i];
    if (a.shape.join() !== e.shape.join()) {
      throw new Error(
        `${what}: output ${i} has shape [${a.shape.join(', ')}], expected [${e.shape.join(', ')}]`,
      );
    }
    const u = a.values();
    const v = e.values();
    for (let k = 0; k < u.length; k++) {
      const ok =
        Math.abs(u[k] - v[k]) <= atol + rtol * Math.abs(v[k]) ||
        (Number.isNaN(u[k]) && Number.isNaN(v[k])) ||
        u[k] === v[k];
      if (!ok)
        throw new Error(
          `${what}: output ${i} element ${k}: got ${u[k]}, expected ${v[k]} (atol ${atol}, rtol ${rtol})`,
        );
    }
  });
}

function closeScalar(a: number, e: number, atol: number, rtol: number, what: string): void {
  if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
    throw new Error(`${what}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
  }
}

/**
 * Checks the derivatives of `f` at `args` as JAX's `check_grads` does: forward mode against central
 * differences along a random direction, reverse mode by `<t, vjp(c)> == <jvp_numerical(t), c>`,
 * and, for order > 1, the same checks of the derivative functions (every mix of modes). Integer
 * and bool arguments are held fixed, and only float outputs are checked. Throws with the failing
 * path (e.g. `VJP of JVP tangent`) on a mismatch.
 *
 * @example
 * tt.test.checkGrads((x) => tt.sin(x), [tt.tensor([0.5, 1], [2], 'float64')], { order: 2 });
 */
export function checkGrads(
  f: CheckedFunction,
  args: readonly unknown[],
  options: CheckGradsOptions = {},
): void {
  const where = 'test.checkGrads';
  if (typeof f !== 'function') throw new TypeError(`${where}: f must be a function`);
  const all = toTensors(args, where);
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: options must be an object`);
  }
  const { order: o, modes: m } = options;
  if (o !== undefined && (!Number.isInteger(o) || o < 1)) {
    throw new RangeError(`${where}: order must be a positive integer (>= 1), got ${String(o)}`);
  }
  if (
    m !== undefined &&
    (!Array.isArray(m) || m.length === 0 || !m.every((k) => k === 'fwd' || k === 'rev'))
  ) {
    throw new RangeError(
      `${where}: modes must be a non-empty array of 'fwd' and 'rev', got ${JSON.stringify(m)}`,
    );
  }
  for (const k of ['eps', 'atol', 'rtol'] as const) {
    const v = options[k];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v))) {
      throw new RangeError(`${where}: ${k} must be a non-negative finite number, got ${String(v)}`);
    }
  }
  // Integer and bool arguments (indices, masks) are held fixed; the float ones are checked.
  const floatAt = all.flatMap((x, i) => (isFloat(x.dtype) ? [i] : []));
  if (floatAt.length === 0) throw new TypeError(`${where}: no float argument to differentiate`);
  const xs = floatAt.map((i) => all[i]);
  const user = f;
  f = (...floats) => {
    const full = all.slice();
    floatAt.forEach((p, k) => (full[p] = floats[k]));
    const r = user(...full);
    // Only float outputs have derivatives.
    return r instanceof Tensor ? r : r.filter((y) => isFloat(y.dtype));
  };
  const order = options.order ?? 2;
  const modes = options.modes ?? ['fwd', 'rev'];
  const f64 = xs.every((x) => x.dtype === 'float64');
  const eps = options.eps ?? (f64 ? 1e-4 : 1e-2);
  const atol = options.atol ?? (f64 ? 1e-5 : 1e-2);
  const rtol = options.rtol ?? (f64 ? 1e-5 : 1e-2);
  let seed = options.seed ?? 0;

  const checkJvp = (g: CheckedFunction, x: Tensor[], msg: string): void => {
    const t = randomLike(x, seed++);
    const [ys, tOut] = jvpOf(g, x, t);
    close(ys, outputsOf(g(...x)), atol, rtol, `${msg} primal`);
    close(tOut, numericalJvp(g, x, t, eps), atol, rtol, `${msg} tangent`);
  };
  const checkVjp = (g: CheckedFunction, x: Tensor[], msg: string): void => {
    const ys0 = outputsOf(g(...x));
    const c = randomLike(ys0, seed++);
    const [ys, cOut] = vjpOf(g, x, c);
    close(ys, ys0, atol, rtol, `${msg} primal`);
    const t = randomLike(x, seed++);
    const tOut = numericalJvp(g, x, t, eps);
    closeScalar(
      innerProduct(t, cOut),
      innerProduct(tOut, c),
      atol,
      rtol,
      `${msg} cotangent projection`,
    );
  };
  const recurse = (g: CheckedFunction, x: Tensor[], k: number, msg: string): void => {
    if (modes.includes('fwd')) {
      const m = msg ? `JVP of ${msg}` : 'JVP';
      checkJvp(g, x, m);
      if (k > 1) {
        const n = x.length;
        // (x, t) -> [outputs, tangents], checked at (x, x) as JAX does.
        const gJvp: CheckedFunction = (...xt) => {
          const [ys, ts] = jvpOf(g, xt.slice(0, n), xt.slice(n));
          return [...ys, ...ts];
        };
        // Distinct tensor objects: tapes and accumulators track values by identity.
        recurse(gJvp, [...x, ...x.map((t) => new Tensor(t.values(), t.shape, t.dtype))], k - 1, m);
      }
    }
    if (modes.includes('rev')) {
      const m = msg ? `VJP of ${msg}` : 'VJP';
      checkVjp(g, x, m);
      if (k > 1) {
        // x -> vjp(g at x)(g(x)), as JAX does.
        const gVjp: CheckedFunction = (...xx) => vjpOf(g, xx)[1];
        recurse(gVjp, x, k - 1, m);
      }
    }
  };
  recurse(f, xs, order, '');
}
