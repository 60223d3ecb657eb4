// The interpreter stack shared by gradient tapes, forward accumulators and vmap, and `bind`, the one
// entry point through which every primitive application passes.
//
// Each active tape, accumulator or vmap is a frame on a linked stack. `bind` offers an op to the
// topmost frame interested in its inputs; that frame computes the primal by binding below itself,
// then does its own work (a tape records, an accumulator computes tangents, vmap applies the
// batching rule). Work a frame derives (tangent or batching computations) runs with the stack cut
// just below it, so only the frames beneath see it: an outer tape records an inner accumulator's
// JVP ops (reverse-over-forward), and an inner accumulator never sees an outer one's.

import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import type { Primitive } from './primitive.js';

export interface Interpreter {
  /** Whether this interpreter acts on an op applied to these inputs. */
  interested(inputs: readonly Tensor[]): boolean;
  /** Apply `prim`: compute the primal via `bindBelow(frame, ...)`, then do this interpreter's work. */
  process(prim: Primitive, inputs: Tensor[], attrs: unknown, frame: Frame): Tensor[];
  /** A variable was read into `snapshot` while this interpreter was on the stack. */
  variableRead(v: Variable, snapshot: Tensor, frame: Frame): void;
}

export interface Frame {
  readonly interp: Interpreter;
  readonly below: Frame | null;
}

let top: Frame | null = null;

/** The topmost frame (null when nothing records, batches or accumulates). */
export function currentTop(): Frame | null {
  return top;
}

/** Pushes an interpreter; returns its frame. */
export function pushFrame(interp: Interpreter): Frame {
  top = { interp, below: top };
  return top;
}

/** Pops `frame`, which must be the top of the stack. */
export function popFrame(frame: Frame, what: string): void {
  if (top !== frame) {
    throw new Error(`${what}: contexts must be exited in the reverse order they were entered`);
  }
  top = frame.below;
}

/** Runs `fn` with the stack cut to `frame` (derived computations of the frame above it). */
export function withTop<T>(frame: Frame | null, fn: () => T): T {
  const saved = top;
  top = frame;
  try {
    return fn();
  } finally {
    top = saved;
  }
}

/** Applies a primitive through the stack. */
export function bind(prim: Primitive, inputs: Tensor[], attrs: unknown): Tensor[] {
  for (let f = top; f !== null; f = f.below) {
    if (f.interp.interested(inputs)) return f.interp.process(prim, inputs, attrs, f);
  }
  return evaluate(prim, inputs, attrs);
}

/** Applies a primitive through the frames below `frame` only. */
export function bindBelow(
  frame: Frame,
  prim: Primitive,
  inputs: Tensor[],
  attrs: unknown,
): Tensor[] {
  for (let f = frame.below; f !== null; f = f.below) {
    if (f.interp.interested(inputs)) return f.interp.process(prim, inputs, attrs, f);
  }
  return evaluate(prim, inputs, attrs);
}

/** Applies a single-output primitive through the stack. */
export function bind1(prim: Primitive, inputs: Tensor[], attrs: unknown): Tensor {
  return bind(prim, inputs, attrs)[0];
}

function evaluate(prim: Primitive, inputs: Tensor[], attrs: unknown): Tensor[] {
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    if (t._data === null) {
      if (t._batch !== null) {
        throw new Error(
          `${prim.name}: an input is a value batched by a vmap that has already returned (a leaked batched value)`,
        );
      }
      throw new Error(
        `${prim.name}: input ${i} (shape [${t.shape.join(', ')}], ${t.dtype}) was disposed`,
      );
    }
  }
  return prim.impl(inputs, attrs);
}

/** Tells every frame on the stack (top down) that a variable was read. */
export function notifyVariableRead(v: Variable, snapshot: Tensor): void {
  for (let f = top; f !== null; f = f.below) f.interp.variableRead(v, snapshot, f);
}
