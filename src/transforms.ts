// JAX's function transformations on top of the tape, the forward accumulator and vmap: grad,
// valueAndGrad, vjp, jvp, jacrev, jacfwd, hessian and hvp (each takes a function and returns a
// function, or evaluates at given primals as JAX's vjp/jvp do), plus recomputeGrad (gradient
// checkpointing built from customGradient).

import { convert } from './convert.js';
import { customGradient } from './core/custom_gradient.js';
import { ForwardAccumulator } from './core/forward.js';
import { currentTop } from './core/stack.js';
import { GradientTape, isThenable } from './core/tape.js';
import { vmap } from './core/vmap.js';
import { isFloat, allocate } from './dtype.js';
import { flatten, unflatten } from './nest.js';
import { identity } from './prims/cast.js';
import { shapesEqual } from './shape.js';
import { reshape, slice, transpose } from './prims/shape.js';
import { Tensor } from './tensor.js';
import { Variable } from './variable.js';

/** Which positional arguments to differentiate: one index, or several (negative from the end). */
export type Argnums = number | readonly number[];

export interface TransformOptions {
  /** Which positional arguments to differentiate (default 0). */
  argnums?: Argnums;
  /** `f` returns `[output, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

type AnyFn = (...args: any[]) => any;

const isTensorLeaf = (v: unknown): boolean =>
  v instanceof Tensor || v instanceof Variable || typeof v === 'number';

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;

function describeValue(x: unknown): string {
  if (typeof x === 'string') return `string ${JSON.stringify(x)}`;
  if (x === null || x === undefined || typeof x !== 'object') return String(x);
  return Array.isArray(x) ? `[${x.map(describeValue).join(', ')}]` : 'an object';
}

/** Checks the form of `argnums` (its range is checked per call, against the arguments given). */
function checkArgnums(argnums: unknown, where: string): Argnums {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((a) => typeof a === 'number' && Number.isInteger(a))
  ) {
    throw new TypeError(
      `${where}: argnums must be an integer or a non-empty array of integers, got ${describeValue(argnums)}`,
    );
  }
  return argnums as Argnums;
}

type Opts = { argnums: Argnums; hasAux: boolean };

/** Normalises `(argnums | options)` and `options` into one options object. */
function optionsOf(a: unknown, b: unknown, where: string): Opts {
  if (b !== undefined && !isPlainObject(b))
    throw new TypeError(
      `${where}: options must be an object {argnums?, hasAux?}, got ${describeValue(b)}`,
    );
  const opts = b as TransformOptions | undefined;
  let argnums: unknown;
  let hasAux: unknown;
  if (a === undefined || typeof a === 'number' || Array.isArray(a)) {
    argnums = a ?? opts?.argnums ?? 0;
    hasAux = opts?.hasAux;
  } else if (isPlainObject(a)) {
    argnums = (a as TransformOptions).argnums ?? 0;
    hasAux = (a as TransformOptions).hasAux ?? opts?.hasAux;
  } else {
    throw new TypeError(
      `${where}: argnums must be an integer or a non-empty array of integers (or an options object {argnums?, hasAux?}), got ${describeValue(a)}`,
    );
  }
  return { argnums: checkArgnums(argnums, where), hasAux: Boolean(hasAux) };
}

function argIndices(argnums: Argnums, nArgs: number, where: string): number[] {
  const list = typeof argnums === 'number' ? [argnums] : argnums;
  const seen = new Set<number>();
  return list.map((a) => {
    if (a < -nArgs || a >= nArgs) {
      throw new RangeError(
        `${where}: argnums entry ${String(a)} is out of range for a call with ${nArgs} positional arguments`,
      );
    }
    const i = a < 0 ? a + nArgs : a;
    if (seen.has(i)) throw new RangeError(`${where}: argnums repeats argument ${i}`);
    seen.add(i);
    return i;
  });
}

function checkFunction(f: unknown, where: string): void {
  if (typeof f !== 'function')
    throw new TypeError(`${where}: expected a function f, got ${describeValue(f)}`);
}

/** Calls `f`, rejecting a Promise (the transforms record synchronously). */
function callSync(f: AnyFn, args: readonly unknown[], where: string): unknown {
  const r = f(...args);
  if (isThenable(r)) {
    throw new TypeError(
      `${where}: f returned a Promise; f must be synchronous (ops after an await would not be differentiated)`,
    );
  }
  return r;
}

/** Splits `[output, aux]` for hasAux functions. */
function splitAux(r: unknown, hasAux: boolean, where: string): [unknown, unknown] {
  if (!hasAux) return [r, undefined];
  if (!Array.isArray(r) || r.length !== 2)
    throw new TypeError(`${where}: with hasAux, f must return a pair [output, aux]`);
  return [r[0], r[1]];
}

/**
 * Fresh tensors standing for the leaves of `arg`: recorded identities, so outer tapes, accumulators
 * and vmaps still see them as their inputs, and an argument passed twice is two sources.
 */
function freshLeaves(
  arg: unknown,
  where: string,
  what: string,
): { leaves: Tensor[]; value: unknown } {
  const raw = flatten<Tensor | Variable | number>(arg, where, isTensorLeaf, false, what);
  const leaves = raw.map((l) => identity(convert(l, undefined, `${where} (${what})`)));
  const value =
    raw.length === 1 && isTensorLeaf(arg) ? leaves[0] : unflatten(arg, leaves, isTensorLeaf);
  return { leaves, value };
}

function checkFloat(leaves: readonly Tensor[], where: string, what: string): void {
  for (const t of leaves) {
    if (!isFloat(t.dtype)) {
      throw new TypeError(
        `${where}: differentiation needs float inputs, but ${what} has dtype ${t.dtype} (cast it with tt.cast)`,
      );
    }
  }
}

function outLeavesOf(out: unknown, where: string): Tensor[] {
  return flatten<Tensor>(out, where, (v) => v instanceof Tensor, false, 'output of f');
}

/** Rebuilds one structure per differentiated argument from a flat list of per-leaf values. */
function perArgument<T>(
  args: readonly unknown[],
  idx: readonly number[],
  counts: readonly number[],
  flat: readonly T[],
  single: boolean,
): any {
  let k = 0;
  const parts = idx.map((i, j) => {
    const leaves = flat.slice(k, k + counts[j]);
    k += counts[j];
    return isTensorLeaf(args[i]) ? leaves[0] : unflatten(args[i], leaves, isTensorLeaf);
  });
  return single ? parts[0] : parts;
}

// ---- grad and valueAndGrad -----------------------------------------------------------------------

function valueAndGradImpl(f: AnyFn, argnums: Argnums, hasAux: boolean, where: string) {
  return (...args: unknown[]): [unknown, unknown] => {
    const idx = argIndices(argnums, args.length, where);
    const tape = new GradientTape();
    const counts: number[] = [];
    const sources: Tensor[] = [];
    const result = tape.record(() => {
      const call = args.slice();
      for (const i of idx) {
        const { leaves, value } = freshLeaves(args[i], where, `argument ${i}`);
        checkFloat(leaves, where, `argument ${i}`);
        tape.watch(leaves);
        sources.push(...leaves);
        counts.push(leaves.length);
        call[i] = value;
      }
      return callSync(f, call, where);
    });
    const [out, aux] = splitAux(result, hasAux, where);
    if (!(out instanceof Tensor) || out.rank !== 0) {
      const shape = out instanceof Tensor ? `[${out.shape.join(', ')}]` : typeof out;
      throw new TypeError(
        `${where}: the gradient is only defined for functions with a scalar (rank-0) output; f returned ${shape}`,
      );
    }
    if (!isFloat(out.dtype))
      throw new TypeError(`${where}: f must return a float tensor, got dtype ${out.dtype}`);
    const grads: Tensor[] = tape.gradient(out, sources, { unconnectedGradients: 'zero' });
    const g = perArgument(args, idx, counts, grads, typeof argnums === 'number');
    return [hasAux ? [out, aux] : out, g];
  };
}

/**
 * The gradient of a scalar-valued `f` with respect to argument `argnums` (an index, or an array of
 * indices giving an array of gradients), as JAX's `grad`. Arguments may be tensors, numbers, or
 * arrays and plain objects of them; each gradient has its argument's structure. With
 * `{hasAux: true}`, `f` returns `[output, aux]` and the result is `[gradient, aux]`.
 *
 * @example
 * const df = tt.grad((x: tt.Tensor) => x.mul(x).sum());
 * df(tt.tensor([1, 2])).array(); // [2, 4]
 * tt.grad(tt.grad((x: tt.Tensor) => x.pow(3)))(tt.scalar(2)).item(); // 12
 */
export function grad<F extends AnyFn>(
  f: F,
  argnums?: Argnums | TransformOptions,
  options?: TransformOptions,
): (...args: Parameters<F>) => any {
  checkFunction(f, 'grad');
  return gradImpl(f, optionsOf(argnums, options, 'grad'), 'grad');
}

function gradImpl(f: AnyFn, o: Opts, where: string) {
  const vg = valueAndGradImpl(f, o.argnums, o.hasAux, where);
  return (...args: unknown[]): any => {
    const [value, g] = vg(...args);
    return o.hasAux ? [g, (value as unknown[])[1]] : g;
  };
}

/**
 * Like `grad`, returning `[value, gradient]` (with hasAux: `[[value, aux], gradient]`), as JAX's
 * `value_and_grad`.
 *
 * @example
 * const [v, g] = tt.valueAndGrad((x: tt.Tensor) => x.square())(tt.scalar(3));
 * [v.item(), g.item()]; // [9, 6]
 */
export function valueAndGrad<F extends AnyFn>(
  f: F,
  argnums?: Argnums | TransformOptions,
  options?: TransformOptions,
): (...args: Parameters<F>) => [any, any] {
  checkFunction(f, 'valueAndGrad');
  const o = optionsOf(argnums, options, 'valueAndGrad');
  return valueAndGradImpl(f, o.argnums, o.hasAux, 'valueAndGrad');
}

// ---- vjp and jvp ------------------------------------------------------------------------------------

function isAuxOption(x: unknown): x is { hasAux: boolean } {
  return (
    x !== null &&
    typeof x === 'object' &&
    Object.getPrototypeOf(x) === Object.prototype &&
    Object.keys(x).length === 1 &&
    typeof (x as { hasAux?: unknown }).hasAux === 'boolean'
  );
}

interface VjpCore {
  out: unknown;
  aux: unknown;
  outLeaves: Tensor[];
  /** Cotangents of the output leaves to cotangents of the primal leaves (zeros if unconnected). */
  pullback: (cts: readonly Tensor[]) => Tensor[];
  counts: number[];
}

function vjpCore(f: AnyFn, primals: readonly unknown[], hasAux: boolean, where: string): VjpCore {
  const tape = new GradientTape({ persistent: true });
  const sources: Tensor[] = [];
  const counts: number[] = [];
  const result = tape.record(() => {
    const call = primals.map((p, i) => {
      const { leaves, value } = freshLeaves(p, where, `primal ${i}`);
      checkFloat(leaves, where, `primal ${i}`);
      tape.watch(leaves);
      sources.push(...leaves);
      counts.push(leaves.length);
      return value;
    });
    return callSync(f, call, where);
  });
  const [out, aux] = splitAux(result, hasAux, where);
  const outLeaves = outLeavesOf(out, where);
  const pullback = (cts: readonly Tensor[]): Tensor[] =>
    tape.gradient(outLeaves, sources, {
      outputGradients: cts.slice(),
      unconnectedGradients: 'zero',
    });
  return { out, aux, outLeaves, pullback, counts };
}

/**
 * Evaluates `f` at `primals` and returns `[output, vjpFn]` (with a trailing `{hasAux: true}`:
 * `[output, vjpFn, aux]`), as JAX's `vjp`. `vjpFn(cotangent)` takes a cotangent with the output's
 * structure and returns an array with one cotangent per primal; it may be called many times.
 *
 * @example
 * const [y, pullback] = tt.vjp((x: tt.Tensor) => x.mul(3), tt.tensor([1, 2]));
 * pullback(tt.tensor([1, 10]))[0].array(); // [3, 30]
 */
export function vjp(f: AnyFn, ...primals: unknown[]): any[] {
  const where = 'vjp';
  checkFunction(f, where);
  let hasAux = false;
  if (primals.length > 0 && isAuxOption(primals[primals.length - 1]))
    hasAux = (primals.pop() as { hasAux: boolean }).hasAux;
  const core = vjpCore(f, primals, hasAux, where);
  const vjpFn = (cotangent: unknown): unknown[] => {
    const cts =
      cotangent instanceof Tensor && core.out instanceof Tensor
        ? [cotangent]
        : flatten<Tensor>(
            cotangent,
            `${where} (vjpFn)`,
            (v) => v instanceof Tensor,
            false,
            'cotangent',
          );
    if (cts.length !== core.outLeaves.length) {
      throw new RangeError(
        `${where}: the cotangent has ${cts.length} tensors but f's output has ${core.outLeaves.length}`,
      );
    }
    const grads = core.pullback(cts);
    return perArgument(
      primals,
      primals.map((_, i) => i),
      core.counts,
      grads,
      false,
    );
  };
  return hasAux ? [core.out, vjpFn, core.aux] : [core.out, vjpFn];
}

interface JvpCore {
  out: unknown;
  aux: unknown;
  tangentLeaves: Tensor[];
}

function jvpCore(
  f: AnyFn,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  hasAux: boolean,
  where: string,
): JvpCore {
  if (!Array.isArray(primals) || !Array.isArray(tangents))
    throw new TypeError(`${where}: primals and tangents must be arrays (one entry per argument)`);
  if (primals.length !== tangents.length) {
    throw new RangeError(
      `${where}: got ${primals.length} primals but ${tangents.length} tangents; they must match one to one`,
    );
  }
  const ps: Tensor[] = [];
  const ts: Tensor[] = [];
  const call = primals.map((p, i) => {
    const { leaves, value } = freshLeaves(p, where, `primal ${i}`);
    const tl = flatten<Tensor | Variable | number>(
      tangents[i],
      where,
      isTensorLeaf,
      false,
      `tangent ${i}`,
    );
    if (tl.length !== leaves.length) {
      throw new RangeError(
        `${where}: tangent ${i} has ${tl.length} tensors but primal ${i} has ${leaves.length}`,
      );
    }
    ps.push(...leaves);
    tl.forEach((t, k) => {
      const tangent = convert(t, leaves[k].dtype, `${where} (tangent ${i})`);
      if (!shapesEqual(tangent.shape, leaves[k].shape)) {
        const part = leaves.length === 1 ? '' : ` (leaf ${k})`;
        throw new RangeError(
          `${where}: tangent ${i}${part} has shape [${tangent.shape.join(', ')}] but primal ${i}${part} has shape [${leaves[k].shape.join(', ')}]; they must match`,
        );
      }
      ts.push(tangent);
    });
    return value;
  });
  const acc = new ForwardAccumulator(ps, ts);
  const [out, aux] = splitAux(
    acc.record(() => callSync(f, call, where)),
    hasAux,
    where,
  );
  const outLeaves = outLeavesOf(out, where);
  return { out, aux, tangentLeaves: acc.jvp(outLeaves, { unconnectedGradients: 'zero' }) };
}

/**
 * Evaluates `f` at `primals` along `tangents` (arrays with one entry per argument) and returns
 * `[output, tangentOut]` (with `{hasAux: true}`: `[output, tangentOut, aux]`), as JAX's `jvp`.
 * Outputs that do not depend on the primals get zero tangents.
 *
 * @example
 * const [y, yDot] = tt.jvp((x: tt.Tensor) => x.square(), [tt.scalar(3)], [tt.scalar(1)]);
 * [y.item(), yDot.item()]; // [9, 6]
 */
export function jvp(
  f: AnyFn,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  options: { hasAux?: boolean } = {},
): any[] {
  const where = 'jvp';
  checkFunction(f, where);
  if (!isPlainObject(options))
    throw new TypeError(
      `${where}: options must be an object {hasAux?}, got ${describeValue(options)}`,
    );
  return jvpImpl(f, primals, tangents, Boolean(options.hasAux), where);
}

function jvpImpl(
  f: AnyFn,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  hasAux: boolean,
  where: string,
): any[] {
  const core = jvpCore(f, primals, tangents, hasAux, where);
  const tOut =
    core.out instanceof Tensor
      ? core.tangentLeaves[0]
      : unflatten(core.out, core.tangentLeaves, (v) => v instanceof Tensor);
  return hasAux ? [core.out, tOut, core.aux] : [core.out, tOut];
}

// ---- Jacobians -------------------------------------------------------------------------------------

const sizeOfShape = (s: readonly number[]): number => s.reduce((p, d) => p * d, 1);

/** Rows [offset, offset + count) of `x` ([N, ...]), as [...lead, ...x.shape.slice(1)]. */
function rowsAs(x: Tensor, offset: number, count: number, lead: readonly number[]): Tensor {
  const begin = x.shape.map((_, i) => (i === 0 ? offset : 0));
  const size = x.shape.map((d, i) => (i === 0 ? count : d));
  return reshape(slice(x, begin, size), [...lead, ...x.shape.slice(1)]);
}

/** `count` one-hot rows for the leaves of a flat basis of size `total`, each shaped [total, ...shape]. */
function basisFor(shapes: readonly number[][], dtypes: readonly Tensor['dtype'][]): Tensor[] {
  const total = shapes.reduce((n, s) => n + sizeOfShape(s), 0);
  let offset = 0;
  return shapes.map((s, k) => {
    const n = sizeOfShape(s);
    const data = allocate(dtypes[k], total * n);
    for (let i = 0; i < n; i++) data[(offset + i) * n + i] = 1;
    offset += n;
    return new Tensor(data, [total, ...s], dtypes[k]);
  });
}

/** Builds JAX's nesting: the output's structure, each leaf holding the arguments' structure. */
function nestJacobian(out: unknown, perOut: readonly unknown[]): any {
  return out instanceof Tensor ? perOut[0] : unflatten(out, perOut, (v) => v instanceof Tensor);
}

/**
 * The Jacobian of `f` by reverse mode (one vectorized backward pass over all output elements), as
 * JAX's `jacrev`: for an output of shape `O` and an argument of shape `I`, a tensor `[...O, ...I]`.
 * Structured outputs and arguments nest as in JAX (the output's structure, then the argument's).
 *
 * @example
 * tt.jacrev((x: tt.Tensor) => x.square())(tt.tensor([1, 2])).array(); // [[2, 0], [0, 4]]
 */
export function jacrev<F extends AnyFn>(
  f: F,
  argnums?: Argnums | TransformOptions,
  options?: TransformOptions,
): (...args: Parameters<F>) => any {
  checkFunction(f, 'jacrev');
  return jacrevImpl(f, optionsOf(argnums, options, 'jacrev'), 'jacrev');
}

function jacrevImpl(f: AnyFn, o: Opts, where: string): (...args: unknown[]) => any {
  return (...args) => {
    const idx = argIndices(o.argnums, args.length, where);
    const core = vjpCore(
      (...sel: unknown[]) => {
        const call = args.slice();
        idx.forEach((i, k) => (call[i] = sel[k]));
        return f(...call);
      },
      idx.map((i) => args[i]),
      o.hasAux,
      where,
    );
    const outShapes = core.outLeaves.map((t) => t.shape);
    const total = outShapes.reduce((n, s) => n + sizeOfShape(s), 0);
    const argLeaves = idx.flatMap((i) =>
      flatten<Tensor | Variable | number>(args[i], where, isTensorLeaf, false, `argument ${i}`).map(
        (l) => convert(l, undefined, where),
      ),
    );
    // rows[j]: [total, ...argShape_j], the cotangent of argument leaf j for each output element.
    let rows: Tensor[];
    if (total === 0)
      rows = argLeaves.map((a) => new Tensor(allocate(a.dtype, 0), [0, ...a.shape], a.dtype));
    else {
      const basis = basisFor(
        outShapes,
        core.outLeaves.map((t) => t.dtype),
      );
      rows = vmap((...cts: Tensor[]) => core.pullback(cts))(...basis) as Tensor[];
    }
    let offset = 0;
    const perOut = outShapes.map((s) => {
      const n = sizeOfShape(s);
      const jac = rows.map((r) => rowsAs(r, offset, n, s));
      offset += n;
      return perArgument(args, idx, core.counts, jac, typeof o.argnums === 'number');
    });
    const j = nestJacobian(core.out, perOut);
    return o.hasAux ? [j, core.aux] : j;
  };
}

/**
 * The Jacobian of `f` by forward mode (one vectorized forward pass over all input elements), as
 * JAX's `jacfwd`; same layout as `jacrev`: `[...outputShape, ...argumentShape]`.
 *
 * @example
 * tt.jacfwd((x: tt.Tensor) => x.sum())(tt.tensor([1, 2])).array(); // [1, 1]
 */
export function jacfwd<F extends AnyFn>(
  f: F,
  argnums?: Argnums | TransformOptions,
  options?: TransformOptions,
): (...args: Parameters<F>) => any {
  checkFunction(f, 'jacfwd');
  return jacfwdImpl(f, optionsOf(argnums, options, 'jacfwd'), 'jacfwd');
}

function jacfwdImpl(f: AnyFn, o: Opts, where: string): (...args: unknown[]) => any {
  return (...args) => {
    const idx = argIndices(o.argnums, args.length, where);
    const counts: number[] = [];
    const argLeaves: Tensor[] = [];
    for (const i of idx) {
      const ls = flatten<Tensor | Variable | number>(
        args[i],
        where,
        isTensorLeaf,
        false,
        `argument ${i}`,
      );
      counts.push(ls.length);
      // Shapes and dtypes only: the values are read (once) inside jvpCore.
      argLeaves.push(
        ...ls.map((l) => (l instanceof Variable ? l._value : convert(l, undefined, where))),
      );
    }
    checkFloat(argLeaves, where, 'a differentiated argument');
    const shapes = argLeaves.map((t) => t.shape);
    const total = shapes.reduce((n, s) => n + sizeOfShape(s), 0);
    const run = (tangentLeaves: readonly Tensor[]): JvpCore => {
      let k = 0;
      const tangents = idx.map((i, j) => {
        const ts = tangentLeaves.slice(k, k + counts[j]);
        k += counts[j];
        return isTensorLeaf(args[i]) ? ts[0] : unflatten(args[i], ts, isTensorLeaf);
      });
      return jvpCore(
        (...sel: unknown[]) => {
          const call = args.slice();
          idx.forEach((i, m) => (call[i] = sel[m]));
          return f(...call);
        },
        idx.map((i) => args[i]),
        tangents,
        o.hasAux,
        where,
      );
    };
    let core: JvpCore | null = null;
    let cols: Tensor[];
    if (total === 0) {
      core = run(argLeaves.map((a) => new Tensor(allocate(a.dtype, a.size), a.shape, a.dtype)));
      cols = core.tangentLeaves.map(
        (t) => new Tensor(allocate(t.dtype, 0), [0, ...t.shape], t.dtype),
      );
    } else {
      const basis = basisFor(
        shapes,
        argLeaves.map((t) => t.dtype),
      );
      // The primal output and aux do not vary along the basis: they leave vmap unbatched.
      cols = vmap((...ts: Tensor[]) => {
        core = run(ts);
        return core.tangentLeaves;
      })(...basis) as Tensor[];
    }
    const c = core as JvpCore | null;
    if (c === null) throw new Error(`${where}: internal error: f was not evaluated`);
    const outLeaves = outLeavesOf(c.out, where);
    const perOut = outLeaves.map((out, k) => {
      let offset = 0;
      const jac = shapes.map((s) => {
        const n = sizeOfShape(s);
        // cols[k]: [total, ...outShape] → [...argShape, ...outShape] → [...outShape, ...argShape]
        const block = rowsAs(cols[k], offset, n, s);
        offset += n;
        const perm = [...out.shape.map((_, i) => s.length + i), ...s.map((_, i) => i)];
        return transpose(block, perm);
      });
      return perArgument(args, idx, counts, jac, typeof o.argnums === 'number');
    });
    const j = nestJacobian(c.out, perOut);
    return o.hasAux ? [j, c.aux] : j;
  };
}

/**
 * The Hessian of a scalar-valued `f` (forward over reverse: `jacfwd(jacrev(f))`), as JAX's
 * `hessian`: `[...argShape, ...argShape]` for one argument.
 *
 * @example
 * tt.hessian((x: tt.Tensor) => x.pow(3).sum())(tt.tensor([1, 2])).array(); // [[6, 0], [0, 12]]
 */
export function hessian<F extends AnyFn>(
  f: F,
  argnums?: Argnums | TransformOptions,
  options?: TransformOptions,
): (...args: Parameters<F>) => any {
  checkFunction(f, 'hessian');
  const o = optionsOf(argnums, options, 'hessian');
  return jacfwdImpl(jacrevImpl(f, o, 'hessian'), o, 'hessian');
}

/**
 * The Hessian-vector product of a scalar-valued `f` at `primals` along `tangents` (forward over
 * reverse, without forming the Hessian), as JAX's cookbook `hvp`: `jvp(grad(f, argnums), primals,
 * tangents)[1]`.
 *
 * @example
 * const f = (x: tt.Tensor) => x.pow(3).sum();
 * tt.hvp(f, [tt.tensor([1, 2])], [tt.tensor([1, 1])]).array(); // [6, 12]
 */
export function hvp(
  f: AnyFn,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  argnums: Argnums = 0,
): any {
  checkFunction(f, 'hvp');
  const o = { argnums: checkArgnums(argnums, 'hvp'), hasAux: false };
  return jvpImpl(gradImpl(f, o, 'hvp'), primals, tangents, false, 'hvp')[1];
}

// ---- gradient checkpointing ----------------------------------------------------------------------

/** Runs `fn` with every recording tape on the stack paused (TF's `stop_recording` for all tapes). */
function withoutTapes<T>(fn: () => T): T {
  const tapes: GradientTape[] = [];
  for (let fr = currentTop(); fr !== null; fr = fr.below)
    if (fr.interp instanceof GradientTape && fr.interp.recording) tapes.push(fr.interp);
  const run = (k: number): T =>
    k === tapes.length ? fn() : tapes[k].stopRecording(() => run(k + 1));
  return run(0);
}

/**
 * Gradient checkpointing (TF's `tf.recompute_grad`): `f` runs once forward without being recorded,
 * and again during the backward pass to rebuild what its gradient needs, trading compute for
 * memory. Gradients reach `f`'s tensor arguments and the trainable variables it reads.
 *
 * @example
 * const block = tt.recomputeGrad((x: tt.Tensor) => tt.tanh(x).square());
 * const x = tt.variable(0.5);
 * const tape = new tt.GradientTape();
 * const y = tape.record(() => block(x));
 * tape.gradient(y, x); // the same as without recomputeGrad
 */
export function recomputeGrad<F extends (...args: any[]) => any>(
  f: F,
): (...args: Parameters<F>) => any {
  checkFunction(f, 'recomputeGrad');
  const name = f.name || 'RecomputeGrad';
  const wrapped = customGradient(
    {
      [name]: (...args: unknown[]) => {
        const value = withoutTapes(() => f(...args));
        const grad = (upstream: unknown, ctx: { variables: Variable[] }) => {
          const tape = new GradientTape();
          const inputs = args.map((a) => identity(convert(a, undefined, 'recomputeGrad')));
          const out = tape.record(() => {
            tape.watch(inputs);
            if (ctx.variables.length > 0) tape.watch(ctx.variables);
            return f(...inputs);
          });
          const outLeaves = outLeavesOf(out, 'recomputeGrad');
          const ups =
            upstream instanceof Tensor
              ? [upstream]
              : flatten<Tensor>(upstream, 'recomputeGrad', (v) => v instanceof Tensor, false);
          const grads: Tensor[] = tape.gradient(outLeaves, [...inputs, ...ctx.variables], {
            outputGradients: ups,
            unconnectedGradients: 'zero',
          });
          const inputGrads = args.length === 1 ? grads[0] : grads.slice(0, args.length);
          return ctx.variables.length > 0 ? [inputGrads, grads.slice(args.length)] : inputGrads;
        };
        return { value, grad };
      },
    }[name],
  );
  return wrapped as (...args: Parameters<F>) => any;
}
