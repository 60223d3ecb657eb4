// Helpers that turn a few lines of maths into a full primitive: shape and dtype rules, the kernel
// call, un-broadcasting (done by the backward walk), and the batching rule, so each declaration in
// prims/ says only its derivatives.

import { kernelSlot, type KernelName } from '../backend/backend.js';
import { convert, convertPair, type TensorLike } from '../convert.js';
import { bind, bind1 } from '../core/stack.js';
import {
  declarePrimitive,
  type BatchRule,
  type JvpRule,
  type Primitive,
  type VjpRule,
} from '../core/primitive.js';
import { ALL, BOOL, FLOAT, NUMERIC, type DType } from '../dtype.js';
import { add as addOp } from './elementwise.js';
import { reshape as reshapeOp, transpose as transposeOp } from './shape.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';

export { FLOAT, NUMERIC, ALL, BOOL };

/** An op function that also exposes the primitive it applies. */
export type OpWith<F> = F & { readonly primitive: Primitive };

export function withPrimitive<F extends object>(f: F, primitive: Primitive): OpWith<F> {
  Object.defineProperty(f, 'primitive', { value: primitive });
  return f as OpWith<F>;
}

/** `{float32: true, ...}` for a dtype list: a property test on the hot path instead of a search. */
function dtypeFlags(dtypes: readonly DType[]): Partial<Record<DType, true>> {
  const flags: Partial<Record<DType, true>> = {};
  for (const d of dtypes) flags[d] = true;
  return flags;
}

export function checkDtype(op: string, arg: string, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    const verb = arg === 'operands' ? 'have' : 'has';
    throw new TypeError(`${op}: ${arg} ${verb} dtype ${dtype}; expected ${allowed.join(' or ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Batching helpers (used by batching rules; they run below the vmap that called the rule).

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis(x: Tensor, from: number, to: number): Tensor {
  if (from === to) return x;
  const perm = Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transposeOp(x, perm);
}

/** `x` with its batch axis (if any) moved to 0. */
export function batchFirst(x: Tensor, axis: number | null): Tensor {
  return axis === null ? x : moveAxis(x, axis, 0);
}

/**
 * Elementwise batching. Per-example dims line up from the right, as broadcasting has them. When
 * every batched operand has its batch axis at the same place in that alignment, operands keep their
 * layout (unbatched ones get a singleton axis there) and so does the result: no transposes, so a
 * batch axis that is not first stays where it is through a chain of elementwise ops. Otherwise
 * batched operands get their batch axis first and unbatched ones broadcast as they are.
 */
export function batchElementwise(prim: Primitive): BatchRule {
  return (args, axes, attrs) => {
    let rank = 0;
    args.forEach((a, i) => (rank = Math.max(rank, a.rank - (axes[i] === null ? 0 : 1))));
    // The batch axis's place among the output's rank + 1 axes, if all batched operands agree.
    let at = -1;
    for (let i = 0; i < args.length; i++) {
      const ax = axes[i];
      if (ax === null) continue;
      const q = ax + rank - (args[i].rank - 1);
      at = at === -1 || at === q ? q : -2;
    }
    if (at > 0) {
      const aligned = args.map((a, i) => {
        const r = axes[i] === null ? a.rank : a.rank - 1;
        if (axes[i] === null && r <= rank - at) return a; // its axes all lie after the batch axis
        const shape = [...new Array<number>(rank - r).fill(1), ...a.shape];
        if (axes[i] === null) shape.splice(at, 0, 1);
        return shape.length === a.rank ? a : reshapeOp(a, shape);
      });
      return [bind(prim, aligned, attrs), [at]];
    }
    const aligned = args.map((a, i) => {
      const ax = axes[i];
      if (ax === null) return a;
      const x = moveAxis(a, ax, 0);
      const r = x.rank - 1;
      return r === rank
        ? x
        : reshapeOp(x, [x.shape[0], ...new Array<number>(rank - r).fill(1), ...x.shape.slice(1)]);
    });
    return [bind(prim, aligned, attrs), [0]];
  };
}

// ---------------------------------------------------------------------------------------------
// Unary elementwise primitives.

/** What a unary rule sees: the input and the output of the op, and its attributes. */
export interface UnaryIO<A = undefined> {
  readonly x: Tensor;
  readonly y: Tensor;
  readonly attrs: A;
}

export interface UnarySpec<A = undefined> {
  /** Input dtypes accepted (default: float32 and float64). */
  readonly dtypes?: readonly DType[];
  /** Output dtype (default: the input's). */
  readonly outDtype?: DType;
  readonly vjp?: (io: UnaryIO<A>, yBar: Tensor) => Tensor;
  readonly jvp?: (io: UnaryIO<A>, xDot: Tensor) => Tensor;
  /** The output carries no gradient (floor, comparisons, ...): `null` in both modes. */
  readonly nonDifferentiable?: boolean;
}

export type UnaryOp = OpWith<(x: TensorLike) => Tensor>;

/**
 * Declares a unary elementwise primitive under TF's op type `name` (also its kernel's name), with
 * attributes `A` passed to the kernel and the rules; `opName` names it in error messages.
 */
export function unaryPrimitive<A = undefined>(
  name: KernelName,
  opName: string,
  spec: UnarySpec<A>,
): Primitive<A> {
  const dtypes = spec.dtypes ?? FLOAT;
  const allowed = dtypeFlags(dtypes);
  const slot = kernelSlot(name);
  const prim: Primitive<A> = declarePrimitive<A>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      if (allowed[x.dtype] !== true) checkDtype(opName, 'x', x.dtype, dtypes);
      const dtype = spec.outDtype ?? x.dtype;
      const out = [{ shape: x.shape, dtype }];
      return [new Tensor(slot.run(inputs, attrs, out), x.shape, dtype)];
    },
    vjp: spec.vjp
      ? (op, yBars) => [
          spec.vjp!({ x: op.inputs[0], y: op.outputs[0], attrs: op.attrs }, yBars[0]!),
        ]
      : null,
    jvp: spec.jvp
      ? (op, xDots) => [
          xDots[0] === null
            ? null
            : spec.jvp!({ x: op.inputs[0], y: op.outputs[0], attrs: op.attrs }, xDots[0]),
        ]
      : null,
    batch: (args, axes, attrs) => [bind(prim, [args[0]], attrs), [axes[0]]],
    nonDifferentiable: spec.nonDifferentiable,
  });
  return prim;
}

/**
 * Declares a unary elementwise primitive without attributes and returns its op function, named
 * `opName` in error messages.
 */
export function unary(name: KernelName, opName: string, spec: UnarySpec): UnaryOp {
  const prim = unaryPrimitive(name, opName, spec);
  return withPrimitive(
    (x: TensorLike) => bind1(prim, [convert(x, undefined, opName, 'x')], undefined),
    prim,
  );
}

// ---------------------------------------------------------------------------------------------
// Binary elementwise primitives with broadcasting.

/** What a binary rule sees: both inputs, the output, and the op's attributes. */
export interface BinaryIO<A = undefined> {
  readonly a: Tensor;
  readonly b: Tensor;
  readonly y: Tensor;
  readonly attrs: A;
}

export interface BinarySpec<A = undefined> {
  /** Operand dtypes accepted (default: float32, float64, int32); both operands share one. */
  readonly dtypes?: readonly DType[];
  /** Output dtype (default: the operands'). */
  readonly outDtype?: DType;
  /** Reverse rule per operand, returning a cotangent of the output's (broadcast) shape. */
  readonly vjp?: {
    readonly a?: (io: BinaryIO<A>, yBar: Tensor) => Tensor;
    readonly b?: (io: BinaryIO<A>, yBar: Tensor) => Tensor;
  };
  /** Forward rule per operand: that operand's contribution to the output tangent. */
  readonly jvp?: {
    readonly a?: (io: BinaryIO<A>, aDot: Tensor) => Tensor;
    readonly b?: (io: BinaryIO<A>, bDot: Tensor) => Tensor;
  };
  readonly nonDifferentiable?: boolean;
  /** Checks the operands' values before the kernel runs (e.g. integer division by zero). */
  readonly validate?: (a: Tensor, b: Tensor) => void;
}

export type BinaryOp = OpWith<(a: TensorLike, b: TensorLike) => Tensor>;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks two operands for a broadcasting op and returns the output shape. */
export function broadcastOperands(op: string, a: Tensor, b: Tensor): number[] {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${op}: operands have different dtypes ${a.dtype} and ${b.dtype}; cast one with tt.cast`,
    );
  }
  const shape = broadcastShapes(a.shape, b.shape);
  if (shape === null) {
    throw new RangeError(
      `${op}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] are not broadcastable`,
    );
  }
  return shape;
}

/**
 * Declares a broadcasting binary elementwise primitive with attributes `A` (its op function binds
 * it with them); `binary` covers the common case without attributes.
 */
export function binaryPrimitive<A = undefined>(
  name: KernelName,
  opName: string,
  spec: BinarySpec<A>,
): Primitive<A> {
  const dtypes = spec.dtypes ?? NUMERIC;
  const slot = kernelSlot(name);
  const validate = spec.validate;
  const allowed = dtypeFlags(dtypes);
  const vjpA = spec.vjp?.a;
  const vjpB = spec.vjp?.b;
  const jvpA = spec.jvp?.a;
  const jvpB = spec.jvp?.b;
  const prim: Primitive<A> = declarePrimitive<A>({
    name,
    impl: (inputs, attrs) => {
      const a = inputs[0];
      const b = inputs[1];
      const shape =
        a.dtype === b.dtype && (a.shape === b.shape || sameShape(a.shape, b.shape))
          ? a.shape
          : broadcastOperands(opName, a, b);
      if (allowed[a.dtype] !== true) checkDtype(opName, 'operands', a.dtype, dtypes);
      if (validate !== undefined) validate(a, b);
      const dtype = spec.outDtype ?? a.dtype;
      return [new Tensor(slot.run(inputs, attrs, [{ shape, dtype }]), shape, dtype)];
    },
    vjp: spec.vjp
      ? (op, yBars, needs) => {
          const io = { a: op.inputs[0], b: op.inputs[1], y: op.outputs[0], attrs: op.attrs };
          const yBar = yBars[0]!;
          return [
            needs[0] && vjpA ? vjpA(io, yBar) : null,
            needs[1] && vjpB ? vjpB(io, yBar) : null,
          ];
        }
      : null,
    jvp: spec.jvp
      ? (op, xDots) => {
          const io = { a: op.inputs[0], b: op.inputs[1], y: op.outputs[0], attrs: op.attrs };
          const ta = xDots[0] !== null && jvpA ? jvpA(io, xDots[0]) : null;
          const tb = xDots[1] !== null && jvpB ? jvpB(io, xDots[1]) : null;
          return [ta === null ? tb : tb === null ? ta : addOp(ta, tb)];
        }
      : null,
    batch: null,
    nonDifferentiable: spec.nonDifferentiable,
  });
  prim.batch = batchElementwise(prim as Primitive);
  return prim;
}

/** Declares a binary elementwise primitive without attributes and returns its op function. */
export function binary(name: KernelName, opName: string, spec: BinarySpec): BinaryOp {
  const prim = binaryPrimitive(name, opName, spec);
  return withPrimitive(
    (a: TensorLike, b: TensorLike) => bind1(prim, convertPair(a, b, opName), undefined),
    prim,
  );
}

export type { VjpRule, JvpRule };
