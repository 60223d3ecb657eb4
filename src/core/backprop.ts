// The backward walk shared by every tape: which recorded ops lie between the sources and the
// targets, then one reverse sweep that calls each op's reverse rule, sums cotangents back to each
// input's shape (un-broadcasting) and accumulates them with `add`, so fan-out is free. Every step
// is an ordinary op, so tapes that are recording see the gradient computation (higher orders).

import { add } from '../prims/elementwise.js';
import { sumToShape } from '../prims/reduce.js';
import { shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { declarePrimitive, type OpRecord, type Primitive } from './primitive.js';
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
  /** The tape's slot of each input (-1: not watched, or not a float). */
  readonly inSlots: readonly number[];
  /** The tape's slot of each output (-1: not a float). */
  readonly outSlots: readonly number[];
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

/** Adds `g` into the cotangent held in `slot`. */
function accumulate(cot: (Tensor | undefined)[], slot: number, g: Tensor): void {
  const old = cot[slot];
  cot[slot] = old === undefined ? g : add(old, g);
}

/** Brings a rule's cotangent to the input's shape, or throws naming the op. */
function fit(g: Tensor, x: Source, node: TapeNode, index: number): Tensor {
  if (g.dtype !== x.dtype) {
    throw new TypeError(
      `gradient of ${node.gradName}: input ${index} has dtype ${x.dtype} but its gradient has dtype ${g.dtype}`,
    );
  }
  if (shapesEqual(g.shape, x.shape)) return g;
  if (node.prim.user || node.gradName !== node.prim.name) {
    // A user's gradient (custom, registered or overriding) must have its input's shape exactly.
    throw new RangeError(
      `gradient of ${node.gradName}: input ${index} has shape [${x.shape.join(', ')}] but the gradient function returned shape [${g.shape.join(', ')}]`,
    );
  }
  try {
    return sumToShape(g, x.shape);
  } catch {
    throw new RangeError(
      `gradient of ${node.gradName}: input ${index} has shape [${x.shape.join(', ')}] but its gradient has shape [${g.shape.join(', ')}]`,
    );
  }
}

/** Which inputs of a node need a cotangent (reach a source); literals for the common arities. */
function needsOf(ins: readonly number[], reach: Uint8Array): boolean[] {
  const n = ins.length;
  if (n === 1) return [ins[0] >= 0 && reach[ins[0]] === 1];
  if (n === 2) return [ins[0] >= 0 && reach[ins[0]] === 1, ins[1] >= 0 && reach[ins[1]] === 1];
  const needs = new Array<boolean>(n);
  for (let j = 0; j < n; j++) needs[j] = ins[j] >= 0 && reach[ins[j]] === 1;
  return needs;
}

/**
 * Cotangents of the values in `sourceSlots` given cotangents `seeds` of the values in
 * `targetSlots`, through the first `count` nodes of a tape whose values are numbered `0..slots-1`
 * (-1: a value the tape does not watch). The walk works on slot-indexed arrays: no hashing.
 */
export function backward(
  nodes: readonly TapeNode[],
  count: number,
  slots: number,
  targetSlots: readonly number[],
  seeds: readonly Tensor[],
  sourceSlots: readonly number[],
): (Tensor | null)[] {
  // Which values depend on a source, and which ops lie on such a path.
  const reach = new Uint8Array(slots);
  let any = false;
  for (const s of sourceSlots) {
    if (s >= 0) {
      reach[s] = 1;
      any = true;
    }
  }
  if (!any) return sourceSlots.map(() => null);
  const relevant = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const n = nodes[i];
    const ins = n.inSlots;
    for (let j = 0; j < ins.length; j++) {
      const s = ins[j];
      if (s >= 0 && reach[s] === 1) {
        relevant[i] = 1;
        const outs = n.outSlots;
        for (let k = 0; k < outs.length; k++) if (outs[k] >= 0) reach[outs[k]] = 1;
        break;
      }
    }
  }

  const cot = new Array<Tensor | undefined>(slots);
  for (let k = 0; k < targetSlots.length; k++) {
    const s = targetSlots[k];
    if (s >= 0 && reach[s] === 1) accumulate(cot, s, seeds[k]);
  }
  const keep = new Uint8Array(slots);
  for (const s of sourceSlots) if (s >= 0) keep[s] = 1;

  for (let i = count - 1; i >= 0; i--) {
    if (relevant[i] === 0) continue;
    const n = nodes[i];
    const outs = n.outSlots;
    let yBars: (Tensor | null)[];
    if (outs.length === 1) {
      // The common case, kept free of array-building builtins.
      const g = outs[0] >= 0 ? cot[outs[0]] : undefined;
      if (g === undefined) continue;
      yBars = [g];
    } else {
      let any = false;
      yBars = [];
      for (let k = 0; k < outs.length; k++) {
        const g = outs[k] >= 0 ? cot[outs[k]] : undefined;
        if (g !== undefined) any = true;
        yBars.push(g ?? null);
      }
      if (!any) continue;
    }
    const ins = n.inSlots;
    const needs = needsOf(ins, reach);
    const rule = resolveVjp(n.prim, n.gradName);
    if (rule !== 'none') {
      const grads = rule(n as unknown as OpRecord, yBars, needs);
      for (let j = 0; j < ins.length; j++) {
        const g = grads[j];
        if (needs[j] && g !== null && g !== undefined)
          accumulate(cot, ins[j], fit(g, n.inputs[j], n, j));
      }
    }
    for (let k = 0; k < outs.length; k++) {
      const s = outs[k];
      if (s >= 0 && keep[s] === 0) cot[s] = undefined;
    }
  }
  return sourceSlots.map((s) => (s >= 0 ? (cot[s] ?? null) : null));
}
