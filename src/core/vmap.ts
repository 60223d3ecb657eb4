// vmap: vectorizing map. Inside `vmap(f)`, tensors carrying a batch dimension appear with their
// per-example shape; every op on them goes through the primitive's batching rule (or, lacking one,
// runs once per example). The interpreter sits on the same stack as tapes and accumulators, so
// vmap composes with both, and with itself.

import { moveAxis } from '../prims/helpers.js';
import { broadcastTo, concat, expandDims, slice, squeeze } from '../prims/shape.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { flatten, unflatten } from '../nest.js';
import { convert } from '../convert.js';
import type { Primitive } from './primitive.js';
import { bind, popFrame, pushFrame, withTop, type Frame, type Interpreter } from './stack.js';

/** @internal The interpreter of one `vmap` call. */
export class BatchInterpreter implements Interpreter {
  constructor(readonly size: number) {}

  interested(inputs: readonly Tensor[]): boolean {
    for (let i = 0; i < inputs.length; i++) if (inputs[i]._batch?.vmap === this) return true;
    return false;
  }

  process(prim: Primitive, inputs: Tensor[], attrs: unknown, frame: Frame): Tensor[] {
    const args: Tensor[] = [];
    const axes: (number | null)[] = [];
    for (const t of inputs) {
      const b = t._batch;
      if (b !== null && b.vmap === this) {
        args.push(b.value);
        axes.push(b.axis);
      } else {
        args.push(t);
        axes.push(null);
      }
    }
    const [outs, outAxes] = withTop(frame.below, () =>
      prim.batch !== null
        ? prim.batch(args, axes, attrs, this.size)
        : loopBatch(prim, args, axes, attrs, this.size),
    );
    return outs.map((o, i) => (outAxes[i] === null ? o : this.wrap(o, outAxes[i]!)));
  }

  variableRead(): void {}

  /** A per-example view of `value`, whose axis `axis` is the batch. */
  wrap(value: Tensor, axis: number): Tensor {
    const shape = value.shape.filter((_, i) => i !== axis);
    return new Tensor(null, shape, value.dtype, { vmap: this, value, axis });
  }

  /** The full value of `t` with the batch axis at `axis` (broadcast when `t` is not batched here). */
  unwrap(t: Tensor, axis: number): Tensor {
    const b = t._batch;
    if (b !== null && b.vmap === this) return moveAxis(b.value, b.axis, axis);
    return broadcastTo(expandDims(t, axis), insertAt(t.shape, axis, this.size));
  }
}

function insertAt(shape: readonly number[], axis: number, d: number): number[] {
  const s = shape.slice();
  s.splice(axis, 0, d);
  return s;
}

/** The fallback batching rule: apply the primitive to each example and stack the results. */
function loopBatch(
  prim: Primitive,
  args: readonly Tensor[],
  axes: readonly (number | null)[],
  attrs: unknown,
  size: number,
): [Tensor[], (number | null)[]] {
  const perExample: Tensor[][] = [];
  for (let b = 0; b < size; b++) {
    const xs = args.map((x, i) => {
      const ax = axes[i];
      if (ax === null) return x;
      const begin = x.shape.map((_, k) => (k === ax ? b : 0));
      const extent = x.shape.map((d, k) => (k === ax ? 1 : d));
      return squeeze(slice(x, begin, extent), [ax]);
    });
    perExample.push(bind(prim, xs, attrs));
  }
  const nOut = perExample[0]?.length ?? 0;
  const outs: Tensor[] = [];
  for (let j = 0; j < nOut; j++)
    outs.push(
      concat(
        perExample.map((r) => expandDims(r[j], 0)),
        0,
      ),
    );
  return [outs, outs.map(() => 0)];
}

export type AxisSpec = number | null;

const isTensorLeaf = (v: unknown): boolean => v instanceof Tensor || v instanceof Variable;

/**
 * Vectorizes `f` over a batch axis of its arguments (JAX's `vmap`). `inAxes` is one axis (or null:
 * not batched) for all arguments, or one per argument; `outAxes` likewise for the outputs.
 *
 * @example
 * const dots = tt.vmap((a: tt.Tensor, b: tt.Tensor) => tt.sum(tt.mul(a, b)));
 * dots(tt.ones([5, 3]), tt.ones([5, 3])).shape; // [5]
 */
export function vmap<F extends (...args: any[]) => any>(
  f: F,
  inAxes: AxisSpec | readonly AxisSpec[] = 0,
  outAxes: AxisSpec | readonly AxisSpec[] = 0,
): (...args: Parameters<F>) => ReturnType<F> {
  if (typeof f !== 'function') throw new TypeError('vmap: expected a function');
  return ((...args: unknown[]) => {
    const where = 'vmap';
    const axesPerArg = Array.isArray(inAxes)
      ? (inAxes as AxisSpec[])
      : args.map(() => inAxes as AxisSpec);
    if (axesPerArg.length !== args.length) {
      throw new RangeError(
        `${where}: inAxes has ${axesPerArg.length} entries but the function got ${args.length} arguments`,
      );
    }
    // Convert and find the batch size.
    let size: number | null = null;
    const converted = args.map((a, i) => {
      const ax = axesPerArg[i];
      if (ax === null) return a;
      const leaves = flatten<Tensor | Variable>(
        Array.isArray(a) || isPlain(a) ? a : [a],
        where,
        isTensorLeaf,
        false,
        `argument ${i}`,
      );
      for (const l of leaves) {
        const t = l instanceof Variable ? l._value : l;
        const axis = normalizeAxis(ax, t.rank, `${where} (inAxes for argument ${i})`);
        const n = t.shape[axis];
        if (size === null) size = n;
        else if (size !== n) {
          throw new RangeError(
            `${where}: batch sizes differ: ${size} and ${n} (argument ${i}, axis ${ax}, shape [${t.shape.join(', ')}])`,
          );
        }
      }
      return a;
    });
    if (size === null)
      throw new Error(`${where}: no argument is batched (every inAxes entry is null)`);
    const interp = new BatchInterpreter(size);
    const frame = pushFrame(interp);
    let result: unknown;
    try {
      const wrapped = converted.map((a, i) => {
        const ax = axesPerArg[i];
        if (ax === null) return a;
        const wrapLeaf = (l: unknown): Tensor => {
          const t = l instanceof Variable ? l._value : convert(l, undefined, where);
          return interp.wrap(t, normalizeAxis(ax, t.rank, where));
        };
        if (isTensorLeaf(a) || typeof a === 'number' || ArrayBuffer.isView(a)) return wrapLeaf(a);
        const leaves = flatten(a, where, isTensorLeaf, false, `argument ${i}`);
        return unflatten(a, leaves.map(wrapLeaf), isTensorLeaf);
      });
      result = f(...wrapped);
    } finally {
      popFrame(frame, 'vmap');
    }
    const outLeaves = flatten<Tensor>(
      result instanceof Tensor ? [result] : result,
      `${where} (outputs of f)`,
      (v) => v instanceof Tensor,
      false,
      'output',
    );
    const outAxesList = Array.isArray(outAxes)
      ? (outAxes as AxisSpec[])
      : outLeaves.map(() => outAxes as AxisSpec);
    if (outAxesList.length !== outLeaves.length) {
      throw new RangeError(
        `${where}: outAxes has ${outAxesList.length} entries but f returned ${outLeaves.length} tensors`,
      );
    }
    const unwrapped = outLeaves.map((t, i) => {
      const ax = outAxesList[i];
      if (ax === null) {
        if (t._batch?.vmap === interp)
          throw new Error(
            `${where}: output ${i} varies along the batch but its outAxes entry is null`,
          );
        return t;
      }
      return withTop(frame.below, () => interp.unwrap(t, normalizeAxis(ax, t.rank + 1, where)));
    });
    return result instanceof Tensor
      ? unwrapped[0]
      : unflatten(result, unwrapped, (v) => v instanceof Tensor);
  }) as (...args: Parameters<F>) => ReturnType<F>;
}

function isPlain(x: unknown): boolean {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}
