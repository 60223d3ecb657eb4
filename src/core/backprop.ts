// The backward walk shared by every tape: which recorded ops lie between the sources and the
// targets, then one reverse sweep that calls each op's reverse rule, sums cotangents back to each
// input's shape (un-broadcasting) and accumulates them with `add`, so fan-out is free. Every step
// is an ordinary op, so tapes that are recording see the gradient computation (higher orders).

import { isFloat } from '../dtype.js';
import { add } from '../prims/elementwise.js';
import { sumToShape } from '../prims/reduce.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { declarePrimitive, type Primitive } from './primitive.js';
import { resolveVjp } from './registry.js';

/** Something gradients can be taken with respect to. */
export type Source = Tensor | Variable;

/** One recorded application of a primitive (or a variable read). */
export interface TapeNode {
  readonly prim: Primitive;
  /** The gradient to use: the op type, or the name an override mapped it to. */
  readonly gradName: string;
  readonly inputs: readonly Source[];
  readonly outputs: readonly Tensor[];
  readonly attrs: unknown;
}

/** A variable read recorded on a tape: the snapshot's cotangent is the variable's. */
export const ReadVariableOp: Primitive = declarePrimitive({
  name: 'ReadVariableOp',
  impl: () => {
    throw new Error('ReadVariableOp is recorded by Variable.read, never bound');
  },
  vjp: (_op, yBars) => [yBars[0]],
  jvp: (_op, xDots) => [xDots[0]],
  batch: null,
});

/** Adds `g` into the cotangent of `x`. */
function accumulate(cot: Map<Source, Tensor>, x: Source, g: Tensor): void {
  const old = cot.get(x);
  cot.set(x, old === undefined ? g : add(old, g));
}

/** Brings a rule's cotangent to the input's shape, or throws naming the op. */
function fit(g: Tensor, x: Source, node: TapeNode, index: number): Tensor {
  if (g.dtype !== x.dtype) {
    throw new TypeError(
      `gradient of ${node.gradName}: input ${index} has dtype ${x.dtype} but its gradient has dtype ${g.dtype}`,
    );
  }
  if (shapesEqual(g.shape, x.shape)) return g;
  try {
    return sumToShape(g, x.shape);
  } catch {
    throw new RangeError(
      `gradient of ${node.gradName}: input ${index} has shape [${x.shape.join(', ')}] but its gradient has shape [${g.shape.join(', ')}]`,
    );
  }
}

/**
 * Cotangents of `sources` given cotangents `seeds` of `targets`, through the first `count` nodes.
 * Only sources in `watched` can receive a gradient; the result is null where none arrives.
 */
export function backward(
  nodes: readonly TapeNode[],
  count: number,
  targets: readonly Source[],
  seeds: readonly Tensor[],
  sources: readonly Source[],
  watched: ReadonlySet<Source>,
): (Tensor | null)[] {
  // Which values depend on a source, and which ops lie on such a path.
  const reach = new Set<Source>();
  for (const s of sources) if (watched.has(s) && isFloat(s.dtype)) reach.add(s);
  if (reach.size === 0) return sources.map(() => null);
  const relevant = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    for (const x of n.inputs) {
      if (reach.has(x)) {
        relevant[i] = 1;
        for (const o of n.outputs) if (isFloat(o.dtype)) reach.add(o);
        break;
      }
    }
  }

  const cot = new Map<Source, Tensor>();
  for (let k = 0; k < targets.length; k++)
    if (reach.has(targets[k])) accumulate(cot, targets[k], seeds[k]);
  const keep = new Set<Source>(sources);

  for (let i = count - 1; i >= 0; i--) {
    if (relevant[i] === 0) continue;
    const n = nodes[i];
    let any = false;
    const yBars = n.outputs.map((o) => {
      const g = cot.get(o) ?? null;
      if (g !== null) any = true;
      return g;
    });
    if (!any) continue;
    const needs = n.inputs.map((x) => reach.has(x));
    const rule = resolveVjp(n.prim, n.gradName);
    if (rule !== 'none') {
      const grads = rule(
        { inputs: n.inputs as Tensor[], outputs: n.outputs, attrs: n.attrs },
        yBars,
        needs,
      );
      for (let j = 0; j < n.inputs.length; j++) {
        const g = grads[j];
        if (needs[j] && g !== null && g !== undefined)
          accumulate(cot, n.inputs[j], fit(g, n.inputs[j], n, j));
      }
    }
    for (const o of n.outputs) if (!keep.has(o)) cot.delete(o);
  }
  return sources.map((s) => cot.get(s) ?? null);
}
