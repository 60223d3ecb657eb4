// The primitive declaration: one object per op carrying its shape rule, kernel, reverse rule,
// forward rule and batching rule, and the registry of primitives by TF op type name.

import type { DType, TypedArray } from '../dtype.js';
import type { Tensor } from '../tensor.js';

/** An abstract value: what a shape rule knows about a tensor. */
export interface Aval {
  readonly shape: number[];
  readonly dtype: DType;
}

/** What a rule sees of one application of a primitive. */
export interface OpRecord<A = any> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
}

/**
 * Reverse rule: cotangents of the outputs (null where an output received none; single-output
 * primitives always receive one) to cotangents of the inputs, computed only where `needs[i]` and
 * written in differentiable ops. A cotangent may have the output's broadcast shape: the backward
 * walk sums it back to the input's shape.
 */
export type VjpRule<A = any> = (
  op: OpRecord<A>,
  yBars: readonly (Tensor | null)[],
  needs: readonly boolean[],
) => (Tensor | null)[];

/**
 * Forward rule: tangents of the inputs (null = zero) to tangents of the outputs (null = zero), in
 * differentiable ops. A tangent may have a shape that broadcasts to the output's.
 */
export type JvpRule<A = any> = (
  op: OpRecord<A>,
  xDots: readonly (Tensor | null)[],
) => (Tensor | null)[];

/**
 * Batching rule: the primitive applied to values that carry a batch dimension at `axes[i]` (null:
 * not batched), returning the outputs and where their batch dimension is. `size` is the batch size.
 */
export type BatchRule<A = any> = (
  args: readonly Tensor[],
  axes: readonly (number | null)[],
  attrs: A,
  size: number,
) => [Tensor[], (number | null)[]];

/** The concrete evaluation of a primitive on tensors with storage. */
export type Impl<A = any> = (inputs: readonly Tensor[], attrs: A) => Tensor[];

export interface Primitive<A = any> {
  /** TF's op type name, used by the gradient registry, overrides and error messages. */
  readonly name: string;
  readonly impl: Impl<A>;
  /** null: the gradient comes from the registry (user ops) or the op has none. */
  readonly vjp: VjpRule<A> | null;
  /** null: derived from the reverse rule by the double-VJP trick. */
  readonly jvp: JvpRule<A> | null;
  /** null: vmap runs the primitive once per example. */
  batch: BatchRule<A> | null;
  /** True for primitives whose outputs carry no gradient (comparisons, floor, argMax, ...). */
  readonly nonDifferentiable?: boolean;
  /** Produces outputs of a float dtype that do not depend differentiably on inputs (e.g. StopGradient). */
  readonly stopsGradient?: boolean;
  /** True for user-defined ops (`defineOp`) and custom gradients. */
  readonly user?: boolean;
}

/** Every built-in primitive by op type name: registering a gradient under one of these throws. */
export const builtinPrimitives = new Map<string, Primitive>();

/**
 * A primitive object with every field present, in one order: the backward walk and the dispatch
 * read these fields for every op, and one object shape keeps those reads monomorphic (fast).
 */
export function makePrimitive<A>(p: Primitive<A>): Primitive<A> {
  return {
    name: p.name,
    impl: p.impl,
    vjp: p.vjp,
    jvp: p.jvp,
    batch: p.batch,
    nonDifferentiable: p.nonDifferentiable === true,
    stopsGradient: p.stopsGradient === true,
    user: p.user === true,
  };
}

export function declarePrimitive<A>(spec: Primitive<A>): Primitive<A> {
  if (builtinPrimitives.has(spec.name)) throw new Error(`primitive ${spec.name} is declared twice`);
  const p = makePrimitive(spec);
  builtinPrimitives.set(p.name, p);
  return p;
}

/** Kernel output storage for one output, or several. */
export type KernelResult = TypedArray | TypedArray[];
