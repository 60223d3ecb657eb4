// Reduction primitives (Sum, Mean) and sumToShape, the un-broadcasting the backward walk applies.

import { kernel, type KernelName } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { type DType } from '../dtype.js';
import { normalizeAxes, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { moveAxis, NUMERIC, checkDtype } from './helpers.js';
import { div } from './elementwise.js';
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
}

/** Declares a reduction primitive with attrs `{axes, keepDims}`; returns `(x, axis?, keepDims?)`. */
export function reduction(name: string, opName: string, spec: ReductionSpec) {
  const dtypes = spec.dtypes ?? NUMERIC;
  const prim: Primitive<ReduceAttrs> = declarePrimitive<ReduceAttrs>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      checkDtype(opName, 'x', x.dtype, dtypes);
      const shape = reducedShape(x.shape, attrs);
      const data = kernel(spec.kernel)(inputs, attrs, [{ shape, dtype: x.dtype }]);
      if (spec.average) {
        const n = countOf(x, attrs.axes);
        const int = x.dtype === 'int32';
        for (let i = 0; i < data.length; i++) data[i] = int ? Math.trunc(data[i] / n) : data[i] / n;
      }
      return [new Tensor(data, shape, x.dtype)];
    },
    vjp: spec.vjp,
    jvp: spec.jvp,
    batch: (args, axes, attrs) => {
      const x = moveAxis(args[0], axes[0]!, 0);
      return [
        [bind1(prim, [x], { axes: attrs.axes.map((a) => a + 1), keepDims: attrs.keepDims })],
        [0],
      ];
    },
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

export const sum = reduction('Sum', 'sum', {
  kernel: 'Sum',
  vjp: (op, yBars) => [unreduce(yBars[0]!, op.inputs[0], op.attrs)],
  jvp: (op, xDots) => [xDots[0] === null ? null : sum(xDots[0], op.attrs.axes, op.attrs.keepDims)],
});

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
