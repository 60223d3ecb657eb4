// The gradient registry (TF's RegisterGradient): gradients of op types by name, overrides in force
// while ops are recorded (gradient_override_map), and op types declared to have no gradient.

import { zerosLike } from '../prims/elementwise.js';
import type { Tensor } from '../tensor.js';
import { builtinPrimitives, type OpRecord, type Primitive } from './primitive.js';

/** What a registered gradient function receives, as TF's `op`. */
export interface GradientOp {
  readonly type: string;
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Record<string, unknown>;
}

/** `fn(op, ...upstream)` returns one gradient (or null) per input; a single Tensor for one input. */
export type GradientFunction = (
  op: GradientOp,
  ...upstream: Tensor[]
) => Tensor | null | readonly (Tensor | null)[];

const registered = new Map<string, GradientFunction>();
const noGradients = new Set<string>();
const overrides: Record<string, string>[] = [];

function checkOpType(opType: unknown, where: string): string {
  if (typeof opType !== 'string' || opType.length === 0) {
    throw new TypeError(`${where}: opType must be a non-empty string, got ${String(opType)}`);
  }
  return opType;
}

/**
 * Registers the gradient of an op type. Registering a name twice, or a built-in op's name, throws.
 *
 * @example
 * const myOp = tt.defineOp({ name: 'MyDouble', forward: ([x]) => ({ data: x.data.map((v) => 2 * v), shape: x.shape }) });
 * tt.registerGradient('MyDouble', (_op, dy) => dy.mul(2));
 */
export function registerGradient(opType: string, fn: GradientFunction): void {
  checkOpType(opType, 'registerGradient');
  if (typeof fn !== 'function')
    throw new TypeError(`registerGradient: fn for ${opType} must be a function`);
  if (builtinPrimitives.has(opType)) {
    throw new Error(
      `registerGradient: ${opType} is a built-in op whose gradient is already defined; use tt.gradientOverride to replace it`,
    );
  }
  if (registered.has(opType) || noGradients.has(opType)) {
    throw new Error(`registerGradient: a gradient for ${opType} is already registered`);
  }
  registered.set(opType, fn);
}

/** Declares that an op type has no gradient: the backward pass gives `null` through it. */
export function noGradient(opType: string): void {
  checkOpType(opType, 'noGradient');
  if (builtinPrimitives.has(opType))
    throw new Error(`noGradient: ${opType} is a built-in op whose gradient is already defined`);
  if (registered.has(opType) || noGradients.has(opType))
    throw new Error(`noGradient: a gradient for ${opType} is already registered`);
  noGradients.add(opType);
}

/**
 * Runs `fn` with the gradients of some op types replaced, for the ops recorded inside it (TF's
 * `gradient_override_map`): `{Square: 'MyCustomSquare'}` makes recorded Square ops use the
 * gradient registered as MyCustomSquare.
 */
export function gradientOverride<T>(map: Record<string, string>, fn: () => T): T {
  if (map === null || typeof map !== 'object')
    throw new TypeError('gradientOverride: map must be an object {opType: gradientName}');
  for (const [k, v] of Object.entries(map)) {
    checkOpType(k, 'gradientOverride');
    checkOpType(v, 'gradientOverride');
  }
  if (typeof fn !== 'function') throw new TypeError('gradientOverride: fn must be a function');
  overrides.push({ ...map });
  let result: T;
  try {
    result = fn();
  } finally {
    overrides.pop();
  }
  if (result !== null && typeof (result as { then?: unknown })?.then === 'function') {
    throw new TypeError(
      'gradientOverride: fn returned a Promise; fn must be synchronous (ops after an await would run without the override)',
    );
  }
  return result;
}

/** The gradient name an op recorded now will use (its type, unless an override is in force). */
export function gradientNameFor(prim: Primitive): string {
  for (let i = overrides.length - 1; i >= 0; i--) {
    const o = overrides[i][prim.name];
    if (o !== undefined) return o;
  }
  return prim.name;
}

/** Whether any override is in force (the fast path skips the lookup when none is). */
export function overridesActive(): boolean {
  return overrides.length > 0;
}

/**
 * Resolves the reverse rule of a recorded op: the primitive's own, or a registered one by name, or
 * none (null gradients); throws `gradient registry has no entry for: <name>` when there is none.
 */
export function resolveVjp(
  prim: Primitive,
  gradName: string,
):
  | ((
      op: OpRecord,
      yBars: readonly (Tensor | null)[],
      needs: readonly boolean[],
    ) => (Tensor | null)[])
  | 'none' {
  if (gradName === prim.name && prim.vjp !== null) return prim.vjp;
  const fn = registered.get(gradName);
  if (fn !== undefined) return registeredAsVjp(gradName, fn);
  if (noGradients.has(gradName)) return 'none';
  throw new LookupError(`gradient registry has no entry for: ${gradName}`);
}

/** Thrown when an op on the gradient path has no registered gradient (TF's LookupError). */
export class LookupError extends Error {
  override name = 'LookupError';
}

function registeredAsVjp(name: string, fn: GradientFunction) {
  return (op: OpRecord, yBars: readonly (Tensor | null)[]): (Tensor | null)[] => {
    const upstream = yBars.map((g, i) => g ?? zerosLike(op.outputs[i]));
    const result = fn(
      { type: name, inputs: op.inputs, outputs: op.outputs, attrs: { ...(op.attrs ?? {}) } },
      ...upstream,
    );
    const list = Array.isArray(result) ? result : [result];
    if (list.length !== op.inputs.length) {
      throw new Error(
        `gradient registered for ${name} returned ${list.length} gradients for an op with ${op.inputs.length} inputs`,
      );
    }
    return list as (Tensor | null)[];
  };
}
