// ForwardAccumulator: forward-mode differentiation (TF's tf.autodiff.ForwardAccumulator). While it
// records, every op on a value with a tangent also computes the output's tangent with the op's
// forward rule; those computations run below the accumulator on the stack, so outer tapes record
// them (reverse-over-forward) and inner accumulators do not see them.

import { isFloat } from '../dtype.js';
import { flatten, isLeaf, unflatten } from '../nest.js';
import { zerosLike } from '../prims/elementwise.js';
import { broadcastTo } from '../prims/shape.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import type { Source } from './backprop.js';
import { jvpOf } from './jvp.js';
import type { Primitive } from './primitive.js';
import { bindBelow, popFrame, pushFrame, withTop, type Frame, type Interpreter } from './stack.js';
import {
  checkUnconnected,
  isThenable,
  type RecordingScope,
  type UnconnectedGradientsValue,
} from './tape.js';

/**
 * Computes Jacobian-vector products of everything computed from `primals` while it records.
 *
 * @example
 * const x = tt.tensor(2.0);
 * const acc = new tt.ForwardAccumulator(x, tt.tensor(1.0));
 * const y = acc.record(() => x.mul(x));
 * acc.jvp(y)!.item(); // 4
 */
export class ForwardAccumulator implements Interpreter {
  private tangents = new Map<Source, Tensor>();
  private frame: Frame | null = null;

  constructor(primals: unknown, tangents: unknown) {
    const where = 'ForwardAccumulator';
    const ps = flatten<Source>(primals, where, isLeaf, false, 'primals');
    const ts = flatten<Source>(tangents, where, isLeaf, false, 'tangents');
    if (ps.length !== ts.length) {
      throw new RangeError(
        `${where}: got ${ps.length} primals but ${ts.length} tangents; they must match one to one`,
      );
    }
    ps.forEach((p, i) => {
      const t = ts[i] instanceof Variable ? (ts[i] as Variable)._value : (ts[i] as Tensor);
      if (!isFloat(p.dtype))
        throw new TypeError(
          `${where}: primal ${i} has dtype ${p.dtype}; forward mode needs float primals`,
        );
      if (t.dtype !== p.dtype)
        throw new TypeError(
          `${where}: tangent ${i} has dtype ${t.dtype}, its primal has ${p.dtype}`,
        );
      if (!shapesEqual(t.shape, p.shape)) {
        throw new RangeError(
          `${where}: tangent ${i} has shape [${t.shape.join(', ')}], its primal has [${p.shape.join(', ')}]`,
        );
      }
      this.tangents.set(p, t);
    });
  }

  /** @internal */
  interested(inputs: readonly Tensor[]): boolean {
    for (let i = 0; i < inputs.length; i++) if (this.tangents.has(inputs[i])) return true;
    return false;
  }

  /** @internal */
  process(prim: Primitive, inputs: Tensor[], attrs: unknown, frame: Frame): Tensor[] {
    const outputs = bindBelow(frame, prim, inputs, attrs);
    if (prim.nonDifferentiable) return outputs;
    const xDots = inputs.map((t) => (isFloat(t.dtype) ? (this.tangents.get(t) ?? null) : null));
    const yDots = withTop(frame.below, () => {
      const ds = jvpOf(prim, { inputs, outputs, attrs }, xDots);
      return ds.map((d, i) =>
        d === null || shapesEqual(d.shape, outputs[i].shape) ? d : broadcastTo(d, outputs[i].shape),
      );
    });
    for (let i = 0; i < outputs.length; i++) {
      const d = yDots[i];
      if (d !== null && d !== undefined && isFloat(outputs[i].dtype))
        this.tangents.set(outputs[i], d);
    }
    return outputs;
  }

  /** @internal */
  variableRead(v: Variable, snapshot: Tensor): void {
    const t = this.tangents.get(v);
    if (t !== undefined && this.frame !== null) this.tangents.set(snapshot, t);
  }

  /** Runs `fn` with this accumulator recording and returns its result. */
  record<T>(fn: () => T): T {
    if (typeof fn !== 'function')
      throw new TypeError('ForwardAccumulator.record: expected a function');
    const scope = this.enter();
    let result: T;
    try {
      result = fn();
    } finally {
      scope.exit();
    }
    if (isThenable(result)) {
      throw new TypeError(
        'ForwardAccumulator.record: the function returned a Promise; record needs a synchronous function (ops after an await would not be recorded)',
      );
    }
    return result;
  }

  /** Starts recording until the returned scope is disposed (`using _ = acc.enter()`). */
  enter(): RecordingScope {
    if (this.frame !== null)
      throw new Error(
        'ForwardAccumulator: already recording (an accumulator cannot be entered twice)',
      );
    const frame = pushFrame(this);
    this.frame = frame;
    let open = true;
    const exit = (): void => {
      if (!open) return;
      open = false;
      this.frame = null;
      popFrame(frame, 'ForwardAccumulator');
    };
    return { [Symbol.dispose]: exit, exit } as RecordingScope;
  }

  /**
   * The tangent of `x` (any nesting of arrays and plain objects of tensors): null where `x` does
   * not depend on the primals, or zeros with `unconnectedGradients: 'zero'`.
   */
  jvp(x: unknown, options: { unconnectedGradients?: UnconnectedGradientsValue } = {}): any {
    const unconnected = checkUnconnected(options.unconnectedGradients, 'ForwardAccumulator.jvp');
    const leaves = flatten<Source>(x, 'ForwardAccumulator.jvp');
    const out = leaves.map((l) => {
      const t = this.tangents.get(l);
      if (t !== undefined) return t;
      return unconnected === 'zero' ? zerosLike(l instanceof Variable ? l._value : l) : null;
    });
    return unflatten(x, out);
  }
}
