// GradientTape: records the ops applied to watched values while it is on the interpreter stack,
// and differentiates them on request, with TensorFlow's semantics line for line.

import { isFloat } from '../dtype.js';
import { flatten, isLeaf, unflatten } from '../nest.js';
import { onesLike, zerosLike } from '../prims/elementwise.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { backward, ReadVariableOp, type Source, type TapeNode } from './backprop.js';
import { gradientNameFor, overridesActive } from './registry.js';
import type { Primitive } from './primitive.js';
import { bindBelow, popFrame, pushFrame, type Frame, type Interpreter } from './stack.js';
import { callSite, warnOnce } from './warn.js';
import { shapesEqual } from '../shape.js';

export interface GradientTapeOptions {
  /** Allow several gradient/jacobian calls (default false). */
  persistent?: boolean;
  /** Watch trainable variables read while recording (default true). */
  watchAccessedVariables?: boolean;
}

/** TF's `tf.UnconnectedGradients`. */
export const UnconnectedGradients = { NONE: 'none', ZERO: 'zero' } as const;
export type UnconnectedGradientsValue =
  (typeof UnconnectedGradients)[keyof typeof UnconnectedGradients];

export interface GradientOptions {
  /** Cotangents for the targets: one per flattened target, or the same structure as `target`. */
  outputGradients?: unknown;
  /** `'none'` (default) gives null for unconnected sources, `'zero'` gives zeros. */
  unconnectedGradients?: UnconnectedGradientsValue;
}

const NON_PERSISTENT_USED =
  'A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)';

/** A disposable handle returned by `enter()`, for `using _ = tape.enter()`. */
export interface RecordingScope {
  [Symbol.dispose](): void;
  /** Stops recording (what `using` calls at the end of the block). */
  exit(): void;
}

// Symbol.dispose is missing on some runtimes; `using` looks it up, so provide it.
const disposeSymbol: typeof Symbol.dispose =
  (Symbol as { dispose?: typeof Symbol.dispose }).dispose ??
  (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);
if ((Symbol as { dispose?: symbol }).dispose === undefined) {
  Object.defineProperty(Symbol, 'dispose', { value: disposeSymbol });
}

export function checkUnconnected(value: unknown, where: string): UnconnectedGradientsValue {
  if (value === undefined) return 'none';
  if (value !== 'none' && value !== 'zero') {
    throw new RangeError(
      `${where}: unconnectedGradients must be 'none' or 'zero', got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function isThenable(x: unknown): boolean {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/**
 * Records operations for automatic differentiation (TF's `tf.GradientTape`).
 *
 * @example
 * const x = tt.variable(3.0);
 * const tape = new tt.GradientTape();
 * const y = tape.record(() => x.mul(x));
 * tape.gradient(y, x)!.item(); // 6
 */
export class GradientTape implements Interpreter {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  /** @internal Values whose ops are recorded: watched tensors, variables and recorded outputs. */
  _watched = new Set<Source>();
  /** @internal Recorded ops, in execution order. */
  _nodes: TapeNode[] = [];
  private variables = new Set<Variable>();
  private frame: Frame | null = null;
  private paused = 0;
  /** A non-persistent tape asked for gradients inside its record() stops recording there. */
  private stopped = false;
  private used = false;

  constructor(options: GradientTapeOptions = {}) {
    if (options === null || typeof options !== 'object')
      throw new TypeError('GradientTape: options must be an object');
    this.persistent = Boolean(options.persistent ?? false);
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  /** Whether ops are being recorded right now. */
  get recording(): boolean {
    return this.frame !== null && this.paused === 0 && !this.stopped;
  }

  // ---- interpreter ----------------------------------------------------------------------------

  /** @internal */
  interested(inputs: readonly Tensor[]): boolean {
    if (this.paused !== 0 || this.stopped) return false;
    const w = this._watched;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (w.has(t) && isFloat(t.dtype)) return true;
    }
    return false;
  }

  /** @internal */
  process(prim: Primitive, inputs: Tensor[], attrs: unknown, frame: Frame): Tensor[] {
    const outputs = bindBelow(frame, prim, inputs, attrs);
    if (prim.nonDifferentiable) return outputs;
    const gradName = overridesActive() ? gradientNameFor(prim) : prim.name;
    this._nodes.push({ prim, gradName, inputs, outputs, attrs });
    for (let i = 0; i < outputs.length; i++) this._watched.add(outputs[i]);
    return outputs;
  }

  /** @internal */
  variableRead(v: Variable, snapshot: Tensor): void {
    if (!this.recording) return;
    if (!this._watched.has(v)) {
      if (!this.watchAccessedVariables || !v.trainable || !isFloat(v.dtype)) return;
      this.watchVariable(v);
    }
    this._nodes.push({
      prim: ReadVariableOp,
      gradName: 'ReadVariableOp',
      inputs: [v],
      outputs: [snapshot],
      attrs: undefined,
    });
    this._watched.add(snapshot);
  }

  private watchVariable(v: Variable): void {
    this._watched.add(v);
    this.variables.add(v);
  }

  // ---- recording control ------------------------------------------------------------------------

  private start(where: string): Frame {
    if (this.frame !== null)
      throw new Error(
        `${where}: this GradientTape is already recording (a tape cannot be entered twice)`,
      );
    if (!this.persistent && this.used) {
      // As in TF, entering a used non-persistent tape again starts a fresh one.
      this.reset_();
      this.used = false;
    }
    this.stopped = false;
    this.paused = 0;
    this.frame = pushFrame(this);
    return this.frame;
  }

  private stop(frame: Frame): void {
    this.frame = null;
    this.stopped = false;
    this.paused = 0;
    popFrame(frame, 'GradientTape');
  }

  /**
   * Runs `fn` with this tape recording (Python's `with tf.GradientTape() as t:`) and returns its
   * result. `fn` must be synchronous.
   */
  record<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new TypeError('GradientTape.record: expected a function');
    const frame = this.start('GradientTape.record');
    let result: T;
    try {
      result = fn();
    } finally {
      this.stop(frame);
    }
    if (isThenable(result)) {
      throw new TypeError(
        'GradientTape.record: the function returned a Promise; record needs a synchronous function (ops after an await would not be recorded)',
      );
    }
    return result;
  }

  /** Starts recording until the returned scope is disposed: `{ using _ = tape.enter(); ... }`. */
  enter(): RecordingScope {
    const frame = this.start('GradientTape.enter');
    let open = true;
    const exit = (): void => {
      if (!open) return;
      open = false;
      this.stop(frame);
    };
    return { [disposeSymbol]: exit, exit } as RecordingScope;
  }

  /**
   * Watches tensors or variables (any nesting of arrays and plain objects) so that ops on them are
   * recorded. Non-float values are not watched (a warning says so).
   */
  watch(x: unknown): void {
    const leaves = flatten<Tensor | Variable>(x, 'GradientTape.watch');
    if (this.frame === null)
      throw new Error('GradientTape.watch: the tape is not recording; call watch inside record()');
    let site: string | null = null;
    for (const t of leaves) {
      if (!isFloat(t.dtype)) {
        site ??= callSite(2);
        warnOnce(
          site,
          'watch-dtype',
          `GradientTape.watch: the dtype of the watched tensor must be floating (e.g. float32), got ${t.dtype}; it will get no gradient`,
        );
        continue;
      }
      if (t instanceof Variable) this.watchVariable(t);
      else this._watched.add(t);
    }
  }

  /** Variables this tape has watched, in order of creation. */
  watchedVariables(): Variable[] {
    return [...this.variables].sort((a, b) => a._id - b._id);
  }

  /** Runs `fn` without recording on this tape and returns its result. */
  stopRecording<T>(fn: () => T): T {
    if (this.frame === null)
      throw new Error(
        'GradientTape.stopRecording: trying to stop recording a tape which is not recording',
      );
    this.paused++;
    try {
      return fn();
    } finally {
      this.paused--;
    }
  }

  /** Forgets everything recorded and watched so far; recording continues. */
  reset(): void {
    if (this.frame === null)
      throw new Error('GradientTape.reset: the tape is not recording; call reset inside record()');
    this.reset_();
  }

  private reset_(): void {
    this._nodes = [];
    this._watched = new Set();
    this.variables = new Set();
  }

  // ---- differentiation -------------------------------------------------------------------------

  /**
   * The gradient of the sum of `target` with respect to `sources` (any nesting of arrays and plain
   * objects of Tensors and Variables); the result has the structure of `sources`.
   */
  gradient(target: unknown, sources: unknown, options: GradientOptions = {}): any {
    const where = 'GradientTape.gradient';
    if (!this.persistent && this.used) throw new Error(NON_PERSISTENT_USED);
    const unconnected = checkUnconnected(options.unconnectedGradients, where);
    const targets = flatten<Source>(target, where, isLeaf, false, 'target');
    const flatSources = flatten<Source>(sources, where, isLeaf, false, 'sources');
    const seeds = this.seeds(targets, options.outputGradients, target, where);
    if (this.frame !== null) {
      if (this.persistent) {
        warnOnce(
          callSite(2),
          'gradient-inside',
          'GradientTape.gradient was called on a persistent tape inside its recording: the gradient computation is recorded too (what higher-order derivatives need, and slower otherwise)',
        );
      } else this.stopped = true;
    }
    const grads = backward(
      this._nodes,
      this._nodes.length,
      targets,
      seeds,
      flatSources,
      this._watched,
    );
    const result = grads.map((g, i) =>
      g === null && unconnected === 'zero' ? zerosLike(asTensorShape(flatSources[i])) : g,
    );
    if (!this.persistent) {
      this.used = true;
      this.reset_();
    }
    return unflatten(sources, result);
  }

  private seeds(
    targets: Source[],
    outputGradients: unknown,
    structure: unknown,
    where: string,
  ): Tensor[] {
    if (outputGradients === undefined || outputGradients === null)
      return targets.map((t) => onesLike(asTensorShape(t)));
    let given: (Tensor | null)[];
    if (outputGradients instanceof Tensor) given = [outputGradients];
    else {
      given = flatten<Tensor | null>(
        outputGradients,
        where,
        (v) => v instanceof Tensor,
        true,
        'outputGradients',
      );
      if (given.length !== targets.length) {
        try {
          given = flatten<Tensor | null>(
            unflatten(structure, given, isLeaf, true),
            where,
            (v) => v instanceof Tensor,
            true,
          );
        } catch {
          /* reported below */
        }
      }
    }
    if (given.length !== targets.length) {
      throw new RangeError(
        `${where}: outputGradients has ${given.length} entries but target has ${targets.length} tensors`,
      );
    }
    return targets.map((t, i) => {
      const g = given[i];
      if (g === null) return onesLike(asTensorShape(t));
      if (g.dtype !== t.dtype)
        throw new TypeError(
          `${where}: outputGradients[${i}] has dtype ${g.dtype}, target has ${t.dtype}`,
        );
      if (!shapesEqual(g.shape, t.shape)) {
        throw new RangeError(
          `${where}: outputGradients[${i}] has shape [${g.shape.join(', ')}], target has [${t.shape.join(', ')}]`,
        );
      }
      return g;
    });
  }
}

/** A Variable stands for its current value where only its shape and dtype matter. */
function asTensorShape(s: Source): Tensor {
  return s instanceof Variable ? s._value : s;
}

/**
 * Runs `fn` with several tapes (and forward accumulators) recording at once, entered in order:
 * Python's `with A as a, B as b:`.
 */
export function record<T>(recorders: readonly { enter(): RecordingScope }[], fn: () => T): T {
  if (!Array.isArray(recorders))
    throw new TypeError('record: expected an array of GradientTapes or ForwardAccumulators');
  const scopes: RecordingScope[] = [];
  try {
    for (const r of recorders) {
      if (r === null || typeof (r as { enter?: unknown }).enter !== 'function') {
        throw new TypeError('record: every entry must be a GradientTape or ForwardAccumulator');
      }
      scopes.push(r.enter());
    }
    const result = fn();
    if (isThenable(result))
      throw new TypeError(
        'record: the function returned a Promise; record needs a synchronous function',
      );
    return result;
  } finally {
    for (let i = scopes.length - 1; i >= 0; i--) scopes[i].exit();
  }
}
