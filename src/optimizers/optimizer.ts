// The base of tt.optimizers: applyGradients(grads, variables) updates variables in place with
// per-variable state (momenta, moments) kept by the optimizer.

import { convert } from '../convert.js';
import { keep } from '../memory.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';

/** Gradient–variable pairs, as Keras's `apply_gradients(zip(grads, vars))`. */
export type GradsAndVars = readonly (readonly [Tensor | null, Variable])[];

/**
 * An optimizer's constructor argument in Keras's forms: the learning rate alone (`new SGD(0.1)`)
 * or an options object (`new SGD({learningRate: 0.1, momentum: 0.9})`).
 */
export function optimizerOptions<O extends { learningRate?: number }>(
  arg: number | O | undefined,
  where: string,
): O {
  if (arg === undefined) return {} as O;
  if (typeof arg === 'number') return { learningRate: arg } as O;
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) {
    const got =
      typeof arg === 'string' ? JSON.stringify(arg) : Array.isArray(arg) ? 'an array' : String(arg);
    throw new TypeError(
      `${where}: expected a learning rate (a positive number) or an options object such as {learningRate: 0.01}, got ${got}`,
    );
  }
  return arg;
}

export abstract class Optimizer {
  /** Number of `applyGradients` calls so far. */
  iterations = 0;
  protected state = new Map<Variable, Tensor[]>();

  constructor(readonly learningRate: number) {
    if (typeof learningRate !== 'number' || !(learningRate > 0))
      throw new RangeError(
        `${new.target.name}: learningRate must be a positive number, got ${String(learningRate)}`,
      );
  }

  /**
   * Updates each variable from its gradient: `applyGradients(grads, variables)` (two arrays, as
   * from `tape.gradient(loss, variables)`) or `applyGradients([[grad, variable], ...])`. Null
   * gradients (unconnected variables) are skipped.
   */
  applyGradients(
    grads: readonly (Tensor | null)[] | GradsAndVars,
    variables?: readonly Variable[],
  ): void {
    const where = `${this.constructor.name}.applyGradients`;
    let pairs: [Tensor | null, Variable][];
    if (variables === undefined) {
      if (!Array.isArray(grads) || !grads.every((p) => Array.isArray(p) && p.length === 2))
        throw new TypeError(
          `${where}: expected (grads, variables) or an array of [grad, variable] pairs`,
        );
      pairs = (grads as GradsAndVars).map(([g, v]) => [g, v]);
    } else {
      if (!Array.isArray(grads) || !Array.isArray(variables) || grads.length !== variables.length) {
        throw new RangeError(
          `${where}: grads and variables must be arrays of the same length, got ${Array.isArray(grads) ? grads.length : typeof grads} and ${Array.isArray(variables) ? variables.length : typeof variables}`,
        );
      }
      pairs = variables.map((v, i) => [(grads as (Tensor | null)[])[i], v]);
    }
    pairs.forEach(([g, v], i) => {
      if (!(v instanceof Variable)) throw new TypeError(`${where}: entry ${i} is not a Variable`);
      if (g === null || g === undefined) return;
      const t = convert(g, v.dtype, where);
      if (t.dtype !== v.dtype || t.shape.join() !== v.shape.join()) {
        throw new TypeError(
          `${where}: gradient ${i} (${t.dtype} [${t.shape.join(', ')}]) does not match variable '${v.name}' (${v.dtype} [${v.shape.join(', ')}])`,
        );
      }
    });
    const step = this.iterations + 1;
    for (const [g, v] of pairs) {
      if (g === null || g === undefined) continue;
      this.update(v, convert(g, v.dtype, where), step);
    }
    // The state outlives the call: an enclosing tt.tidy must not release it.
    for (const s of this.state.values()) for (const t of s) keep(t);
    this.iterations = step;
  }

  /** The per-variable state tensors, created by `init` on first use. */
  protected slots(v: Variable, count: number, init: () => Tensor): Tensor[] {
    let s = this.state.get(v);
    if (s === undefined) {
      s = Array.from({ length: count }, init);
      this.state.set(v, s);
    }
    return s;
  }

  protected abstract update(v: Variable, g: Tensor, step: number): void;
}
