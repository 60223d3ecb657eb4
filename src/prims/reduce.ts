// Reduction primitives (Sum, Mean, Max, Min, Prod, Any, All, ArgMax, ArgMin) and sumToShape, the
// un-broadcasting the backward walk applies.

import { kernelSlot, type KernelName } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type OpRecord, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { allocate, type DType, type TypedArray } from '../dtype.js';
import { normalizeAxes, normalizeAxis, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { moveAxis, NUMERIC, checkDtype } from './helpers.js';
import { cast } from './cast.js';
import {
  div,
  equal,
  greater,
  logicalAnd,
  logicalOr,
  mul,
  neg,
  notEqual,
  sub,
  where,
} from './elementwise.js';
import { broadcastTo, reshape } from './shape.js';

export interface ReduceAttrs {
  /** Sorted, non-negative, unique. */
  readonly axes: number[];
  readonly keepDims: boolean;
}

function reducedShape(shape: readonly number[], attrs: ReduceAttrs): number[] {
  return attrs.keepDims
    ? shape.map((d, i) => (attrs.axes.includes(i) ? 1 : d))
    : shape.filter((_, i) => !attrs.axes.includes(i));
}

export interface ReductionSpec {
  readonly dtypes?: readonly DType[];
  readonly kernel: KernelName;
  readonly vjp: Primitive<ReduceAttrs>['vjp'];
  readonly jvp: Primitive<ReduceAttrs>['jvp'];
  /** Divide the kernel's result by the number of reduced elements (Mean is Sum's kernel averaged). */
  readonly average?: boolean;
  /** The value of an int32 reduction over no elements (TF's lowest/highest int for Max/Min). */
  readonly emptyInt?: number;
  readonly nonDifferentiable?: boolean;
}

/** Declares a reduction primitive with attrs `{axes, keepDims}`; returns `(x, axis?, keepDims?)`. */
export function reduction(name: string, opName: string, spec: ReductionSpec) {
  const dtypes = spec.dtypes ?? NUMERIC;
  const slot = kernelSlot(spec.kernel);
  const prim: Primitive<ReduceAttrs> = declarePrimitive<ReduceAttrs>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      checkDtype(opName, 'x', x.dtype, dtypes);
      const shape = reducedShape(x.shape, attrs);
      let data: TypedArray;
      if (spec.average) {
        // Sum in float64, then divide and round once.
        const total = slot.run(inputs, attrs, [{ shape, dtype: 'float64' }]);
        const n = countOf(x, attrs.axes);
        data = allocate(x.dtype, total.length);
        const int = x.dtype === 'int32';
        for (let i = 0; i < data.length; i++)
          data[i] = int ? Math.trunc(total[i] / n) : total[i] / n;
      } else {
        data = slot.run(inputs, attrs, [{ shape, dtype: x.dtype }]);
        if (spec.emptyInt !== undefined && x.dtype === 'int32' && countOf(x, attrs.axes) === 0) {
          data.fill(spec.emptyInt);
        }
      }
      return [new Tensor(data, shape, x.dtype)];
    },
    vjp: spec.vjp,
    jvp: spec.jvp,
    batch: (args, axes, attrs) => {
      // Reduce the batched value in place: per-example axis a is value axis a before the batch
      // axis and a + 1 after it; without keepDims the batch axis moves left past reduced ones.
      const b = axes[0]!;
      const valueAxes = attrs.axes.map((a) => (a < b ? a : a + 1));
      const at = attrs.keepDims ? b : b - attrs.axes.filter((a) => a < b).length;
      return [[bind1(prim, [args[0]], { axes: valueAxes, keepDims: attrs.keepDims })], [at]];
    },
    nonDifferentiable: spec.nonDifferentiable,
  });
  const op = (x: TensorLike, axis?: number | number[] | null, keepDims = false): Tensor => {
    const t = convert(x, undefined, opName);
    const axes = normalizeAxes(axis, t.rank, opName);
    return bind1(prim, [t], { axes, keepDims: Boolean(keepDims) });
  };
  return Object.assign(op, { primitive: prim as Primitive });
}

/** The cotangent of a reduction's output, broadcast back over the reduced axes of `x`. */
export function unreduce(yBar: Tensor, x: Tensor, attrs: ReduceAttrs): Tensor {
  const kept = attrs.keepDims
    ? yBar
    : reshape(yBar, reducedShape(x.shape, { axes: attrs.axes, keepDims: true }));
  return broadcastTo(kept, x.shape);
}

function countOf(x: Tensor, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a], 1);
}

/**
 * The sum over `axis` (default all axes), keeping reduced axes as length 1 with `keepDims`.
 *
 * @example
 * tt.sum([[1, 2], [3, 4]], 1).array(); // [3, 7]
 */
export const sum = reduction('Sum', 'sum', {
  kernel: 'Sum',
  vjp: (op, yBars) => [unreduce(yBars[0]!, op.inputs[0], op.attrs)],
  jvp: (op, xDots) => [xDots[0] === null ? null : sum(xDots[0], op.attrs.axes, op.attrs.keepDims)],
});

/**
 * The mean over `axis` (default all axes); int32 means truncate toward zero, as in TF.
 *
 * @example
 * tt.mean([[1, 2], [3, 4]], 0).array(); // [2, 3]
 */
export const mean = reduction('Mean', 'mean', {
  kernel: 'Sum',
  average: true,
  vjp: (op, yBars) => {
    const x = op.inputs[0];
    return [div(unreduce(yBars[0]!, x, op.attrs), countOf(x, op.attrs.axes))];
  },
  jvp: (op, xDots) => [xDots[0] === null ? null : mean(xDots[0], op.attrs.axes, op.attrs.keepDims)],
});
/** Sums `x` over the axes along which `shape` was broadcast, returning a tensor of `shape`. */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? sum(x, axes, true) : x;
  return reshape(s, shape);
}

// ---- Max, Min, Prod -----------------------------------------------------------------------------

/**
 * The share of a Max/Min cotangent each element gets: 1/k for the k elements tied at the extreme
 * of their slice, 0 elsewhere (TF splits the gradient among ties). Locally constant, so the rule
 * is exact at every order.
 */
function extremeShare(op: OpRecord<ReduceAttrs>): [Tensor, Tensor] {
  const x = op.inputs[0];
  const hits = cast(equal(x, unreduce(op.outputs[0], x, op.attrs)), x.dtype);
  return [hits, sum(hits, op.attrs.axes, true)];
}

const extremeRules: Pick<ReductionSpec, 'vjp' | 'jvp'> = {
  vjp: (op, yBars) => {
    const [hits, count] = extremeShare(op);
    return [mul(div(hits, count), unreduce(yBars[0]!, op.inputs[0], op.attrs))];
  },
  jvp: (op, xDots) => {
    if (xDots[0] === null) return [null];
    const [hits, count] = extremeShare(op);
    const picked = div(sum(mul(hits, xDots[0]), op.attrs.axes, true), count);
    return [op.attrs.keepDims ? picked : reshape(picked, op.outputs[0].shape)];
  },
};

/**
 * The largest element over `axis` (default all axes); the gradient is shared equally among tied maxima, as in TF.
 *
 * @example
 * tt.max([[1, 5], [3, 2]], 1).array(); // [5, 3]
 */
export const max = reduction('Max', 'max', {
  kernel: 'Max',
  emptyInt: -2147483648,
  ...extremeRules,
});
/**
 * The smallest element over `axis` (default all axes); the gradient is shared equally among tied minima, as in TF.
 *
 * @example
 * tt.min([[1, 5], [3, 2]], 1, true).array(); // [[1], [2]]
 */
export const min = reduction('Min', 'min', {
  kernel: 'Min',
  emptyInt: 2147483647,
  ...extremeRules,
});

/**
 * The product of a slice's special elements (zeros, infinities, NaN) from their counts and the
 * sign of its infinities, as IEEE arithmetic gives it: NaN with a NaN or with both a zero and an
 * infinity, else 0 with a zero, else ±inf with an infinity, else 1.
 */
function specialProduct(nZero: Tensor, nNaN: Tensor, nInf: Tensor, infSign: Tensor): Tensor {
  const anyZero = greater(nZero, 0);
  const anyInf = greater(nInf, 0);
  const r = where(anyZero, 0, where(anyInf, mul(infSign, Infinity), 1));
  return where(logicalOr(greater(nNaN, 0), logicalAnd(anyZero, anyInf)), NaN, r);
}

/**
 * ∂ prod / ∂ x_i = Π_{j≠i} x_j, TF's convention (exclusive products) also where elements are zero,
 * infinite or NaN, written without dividing by such an element: an ordinary element gets
 * (product of the ordinary elements) / x_i times the product of the special ones; a special
 * element gets the product of the ordinary elements times that of the other special ones (so
 * `prod([NaN, 2, 3])` has gradient `[6, NaN, NaN]`, one zero gets the product of the others and
 * two zeros give zeros). Away from special elements every order is exact; at them, orders above
 * the first see their pattern as constant.
 */
function prodPartials(op: OpRecord<ReduceAttrs>): Tensor {
  const x = op.inputs[0];
  const axes = op.attrs.axes;
  const isZero = equal(x, 0);
  const isNaN = notEqual(x, x); // never true for int32
  const isFloatX = x.dtype !== 'int32';
  const isPosInf = isFloatX ? equal(x, Infinity) : isNaN;
  const isNegInf = isFloatX ? equal(x, -Infinity) : isNaN;
  const isInf = logicalOr(isPosInf, isNegInf);
  const special = logicalOr(logicalOr(isZero, isNaN), isInf);
  const count = (b: Tensor): Tensor => sum(cast(b, x.dtype), axes, true);
  const ones = onesLikeOf(x);
  const negOnes = where(isNegInf, neg(ones), ones);
  const infSign = prod(negOnes, axes, true);
  const [nZero, nNaN, nInf] = [count(isZero), count(isNaN), count(isInf)];
  const all = specialProduct(nZero, nNaN, nInf, infSign);
  const minus = (n: Tensor, b: Tensor): Tensor => sub(n, cast(b, x.dtype));
  const excludingSelf = specialProduct(
    minus(nZero, isZero),
    minus(nNaN, isNaN),
    minus(nInf, isInf),
    mul(infSign, negOnes),
  );
  const ordinary = where(special, ones, x);
  const others = prod(ordinary, axes, true);
  return where(special, mul(others, excludingSelf), mul(div(others, ordinary), all));
}

/**
 * The product over `axis` (default all axes); its gradient is the product of the other elements,
 * also at zeros, infinities and NaN (as TF's).
 *
 * @example
 * tt.prod([[1, 2], [3, 4]], 1).array(); // [2, 12]
 */
export const prod = reduction('Prod', 'prod', {
  kernel: 'Prod',
  vjp: (op, yBars) => [mul(prodPartials(op), unreduce(yBars[0]!, op.inputs[0], op.attrs))],
  jvp: (op, xDots) =>
    xDots[0] === null
      ? [null]
      : [sum(mul(prodPartials(op), xDots[0]), op.attrs.axes, op.attrs.keepDims)],
});

function onesLikeOf(x: Tensor): Tensor {
  return new Tensor(kernelSlot('Fill').run([], { value: 1 }, [x]), x.shape.slice(), x.dtype);
}

// ---- logical reductions -------------------------------------------------------------------------

const logicalRules = { vjp: null, jvp: null, nonDifferentiable: true, dtypes: ['bool'] } as const;

/**
 * Whether any element is true over `axis` (default all axes; TF's reduce_any).
 * Whether any element is true along the axes (TF's reduce_any).
 *
 * @example
 * tt.any([[true, false], [false, false]], 1).array(); // [true, false]
 */
export const any = reduction('Any', 'any', { kernel: 'Any', ...logicalRules });
/**
 * Whether every element is true over `axis` (default all axes; TF's reduce_all).
 * Whether every element is true along the axes (TF's reduce_all).
 *
 * @example
 * tt.all([[true, true], [true, false]], 1).array(); // [true, false]
 */
export const all = reduction('All', 'all', { kernel: 'All', ...logicalRules });

// ---- ArgMax, ArgMin -----------------------------------------------------------------------------

interface ArgAttrs {
  /** Non-negative. */
  readonly axis: number;
}

function argPrimitive(name: 'ArgMax' | 'ArgMin', opName: string) {
  const slot = kernelSlot(name);
  const prim: Primitive<ArgAttrs> = declarePrimitive<ArgAttrs>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      checkDtype(opName, 'x', x.dtype, NUMERIC);
      if (x.shape[attrs.axis] === 0) {
        throw new RangeError(
          `${opName}: reduction axis ${attrs.axis} is empty in shape [${x.shape.join(', ')}]`,
        );
      }
      const shape = x.shape.filter((_, i) => i !== attrs.axis);
      return [new Tensor(slot.run(inputs, attrs, [{ shape, dtype: 'int32' }]), shape, 'int32')];
    },
    vjp: null,
    jvp: null,
    batch: (args, axes, attrs) => [
      [bind1(prim, [moveAxis(args[0], axes[0]!, 0)], { axis: attrs.axis + 1 })],
      [0],
    ],
    nonDifferentiable: true,
  });
  const op = (x: TensorLike, axis = 0): Tensor => {
    const t = convert(x, undefined, opName);
    if (t.rank === 0) throw new RangeError(`${opName}: x must have rank >= 1, got a scalar`);
    return bind1(prim, [t], { axis: normalizeAxis(axis, t.rank, opName) });
  };
  return Object.assign(op, { primitive: prim as Primitive });
}

/**
 * The index of the largest element along `axis` (default 0, as in TF), as int32; the first one
 * on ties.
 *
 * @example
 * tt.argMax([[1, 5], [3, 2]]).array(); // [1, 0]
 */
export const argMax = argPrimitive('ArgMax', 'argMax');

/**
 * The index of the smallest element along `axis` (default 0, as in TF), as int32; the first one
 * on ties.
 *
 * @example
 * tt.argMin([[1, 5], [3, 2]], 1).array(); // [0, 1]
 */
export const argMin = argPrimitive('ArgMin', 'argMin');
