// GradientTape: records the ops applied to watched values while it is on the interpreter stack,
// and differentiates them on request, with TensorFlow's semantics line for line.

import { isFloat } from '../dtype.js';
import { flatten, isLeaf, unflatten } from '../nest.js';
import { onesLike, zerosLike } from '../prims/elementwise.js';
import { cast } from '../prims/cast.js';
import { broadcastTo, expandDims, reshape, slice, stack, transpose } from '../prims/shape.js';
import { eye, zeros } from '../ops/creation.js';
import { BatchInterpreter } from './vmap.js';
import { Tensor, type RecordingKey } from '../tensor.js';
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

export interface JacobianOptions {
  unconnectedGradients?: UnconnectedGradientsValue;
  /** Vectorize over the target's elements (default true); false loops and needs a persistent tape. */
  experimentalUsePfor?: boolean;
  /** Accepted for TF compatibility; the vectorized path computes all rows at once. */
  parallelIterations?: number;
}

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

export function isThenable(x: unknown): boolean {
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
  /**
   * @internal Values whose ops are recorded (watched tensors and variables, recorded float outputs),
   * each numbered with a slot the backward walk indexes its arrays by.
   */
  _slots = new Map<Source, number>();
  /**
   * @internal The key of the current recording. A value this tape numbers first carries the key
   * and its slot on itself (no hashing on the hot path); values another tape numbered first go in
   * `_slots`. Reset gives a fresh key, which makes every old stamp stale at once.
   */
  _key: RecordingKey = { live: true };
  /** @internal Values watched directly (tensors and variables), in order. */
  _leaves: Source[] = [];
  /** @internal Number of slots handed out. */
  _nslots = 0;
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
    const key = this._key;
    const w = this._slots;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (t._tapeKey === key || (w.size !== 0 && w.has(t))) return true;
    }
    return false;
  }

  /** @internal */
  process(prim: Primitive, inputs: Tensor[], attrs: unknown, frame: Frame): Tensor[] {
    const outputs = bindBelow(frame, prim, inputs, attrs);
    if (prim.nonDifferentiable) return outputs;
    const gradName = overridesActive() ? gradientNameFor(prim) : prim.name;
    const key = this._key;
    const inSlots = new Array<number>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      inSlots[i] = this._slotOf(t);
      if (t._savedBy === null || !t._savedBy.live) t._savedBy = key;
    }
    const outSlots = new Array<number>(outputs.length);
    for (let i = 0; i < outputs.length; i++) {
      const o = outputs[i];
      outSlots[i] = isFloat(o.dtype) ? this.newSlot(o) : -1;
    }
    this._nodes.push({ prim, gradName, inputs, outputs, attrs, inSlots, outSlots });
    return outputs;
  }

  /** @internal */
  variableRead(v: Variable, snapshot: Tensor): void {
    if (!this.recording) return;
    let vs = this._slotOf(v);
    if (vs < 0) {
      if (!this.watchAccessedVariables || !v.trainable || !isFloat(v.dtype)) return;
      vs = this.watchVariable(v);
    }
    const snapSlot = this.slotOf(snapshot);
    this._nodes.push({
      prim: ReadVariableOp,
      gradName: 'ReadVariableOp',
      inputs: [v],
      outputs: [snapshot],
      attrs: undefined,
      inSlots: [vs],
      outSlots: [snapSlot],
    });
  }

  /** @internal The slot of a value this tape numbered (only float values are numbered), or -1. */
  _slotOf(x: Source): number {
    if (x._tapeKey === this._key) return x._slot;
    if (this._slots.size === 0) return -1;
    const s = this._slots.get(x);
    return s === undefined ? -1 : s;
  }

  /** Numbers a value: on the value itself if no tape numbered it yet, else in `_slots`. */
  private newSlot(x: Source): number {
    const s = this._nslots++;
    if (x._tapeKey === null) {
      x._tapeKey = this._key;
      x._slot = s;
    } else this._slots.set(x, s);
    return s;
  }

  /** The slot of a value, numbering it if needed. */
  private slotOf(x: Source): number {
    const s = this._slotOf(x);
    return s >= 0 ? s : this.newSlot(x);
  }

  private watchVariable(v: Variable): number {
    this.variables.add(v);
    if (this._slotOf(v) < 0) this._leaves.push(v);
    return this.slotOf(v);
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
        site ??= callSite();
        warnOnce(
          site,
          'watch-dtype',
          `GradientTape.watch: the dtype of the watched tensor must be floating (e.g. float32), got ${t.dtype}; it will get no gradient`,
        );
        continue;
      }
      if (t instanceof Variable) this.watchVariable(t);
      else if (this._slotOf(t) < 0) {
        this._leaves.push(t);
        this.newSlot(t);
      }
    }
  }

  /** Variables this tape has watched, in order of creation. */
  watchedVariables(): Variable[] {
    return [...this.variables].sort((a, b) => a._id - b._id);
  }

  /** Runs `fn` without recording on this tape and returns its result. */
  stopRecording<T>(fn: () => T): T {
    if (!this.recording)
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
    if (!this.recording)
      throw new Error('GradientTape.reset: the tape is not recording; call reset inside record()');
    this.reset_();
  }

  private reset_(): void {
    this._nodes = [];
    this._slots = new Map();
    this._nslots = 0;
    this._key.live = false;
    this._key = { live: true };
    this._leaves = [];
    this.variables = new Set();
  }

  // ---- differentiation -------------------------------------------------------------------------

  /**
   * The gradient of the sum of `target` with respect to `sources` (any nesting of arrays and plain
   * objects of Tensors and Variables); the result has the structure of `sources`.
   */
  gradient(target: unknown, sources: unknown, options: GradientOptions = {}): any {
    const where = 'GradientTape.gradient';
    this.checkUsable();
    const unconnected = checkUnconnected(options.unconnectedGradients, where);
    const targets = flatten<Source>(target, where, isLeaf, false, 'target');
    const flatSources = flatten<Source>(sources, where, isLeaf, false, 'sources');
    const seeds = this.seeds(targets, options.outputGradients, target, where);
    const grads = this.differentiate(targets, seeds, flatSources);
    const result = grads.map((g, i) =>
      g === null && unconnected === 'zero' ? zerosLike(asTensorShape(flatSources[i])) : g,
    );
    return unflatten(sources, result);
  }

  /**
   * The Jacobian of `target` with respect to each source: shape `target.shape ++ source.shape`.
   * Vectorized by default: one backward pass under vmap over the target's elements, so each
   * recorded op's gradient runs once per call; `experimentalUsePfor: false` loops over the
   * elements instead and needs a persistent tape, as in TF.
   *
   * @example
   * const x = tt.tensor([1, 2, 3]);
   * const tape = new tt.GradientTape();
   * const y = tape.record(() => { tape.watch(x); return x.mul(x); });
   * tape.jacobian(y, x).shape; // [3, 3]
   */
  jacobian(target: unknown, sources: unknown, options: JacobianOptions = {}): any {
    const where = 'GradientTape.jacobian';
    this.checkUsable();
    const unconnected = checkUnconnected(options.unconnectedGradients, where);
    const t = asTarget(target, where);
    const flatSources = flatten<Source>(sources, where, isLeaf, false, 'sources');
    const pfor = options.experimentalUsePfor ?? true;
    if (!pfor && !this.persistent) {
      throw new Error(
        'GradientTape must be created with persistent=True to compute the jacobian with eager execution enabled and with experimentalUsePfor set to false.',
      );
    }
    const n = t.size;
    // Seeds: row i of the identity, shaped like the target.
    const eye = identitySeeds(n, t.dtype);
    const rows = pfor
      ? this.vectorizedRows(t, reshape(eye, [n, ...t.shape]), flatSources)
      : this.loopRows(t, eye, flatSources);
    const result = flatSources.map((s, i) => {
      const shape = [...t.shape, ...s.shape];
      const g = rows[i];
      if (g === null) return unconnected === 'zero' ? zeros(shape, s.dtype) : null;
      return reshape(g, shape);
    });
    return unflatten(sources, result);
  }

  /**
   * Per-example Jacobians: `target [b, ...t]` and `source [b, ...s]` give `[b, ...t, ...s]`, the
   * Jacobian of each `target[i]` with respect to `source[i]` (exact when examples do not interact).
   * Unconnected gives zeros.
   */
  batchJacobian(target: unknown, source: unknown, options: JacobianOptions = {}): Tensor {
    const where = 'GradientTape.batchJacobian';
    this.checkUsable();
    checkUnconnected(options.unconnectedGradients, where);
    const t = asTarget(target, where);
    if (!isLeaf(source)) throw new TypeError(`${where}: source must be a Tensor or Variable`);
    const s = source;
    if (t.rank < 2 || s.rank < 2 || t.shape[0] !== s.shape[0]) {
      throw new RangeError(
        `${where}: Need first dimension of target shape ([${t.shape.join(', ')}]) and source shape ([${s.shape.join(', ')}]) to match.` +
          (t.rank < 2 || s.rank < 2
            ? ' (batchJacobian needs target and source of rank at least 2)'
            : ''),
      );
    }
    const pfor = options.experimentalUsePfor ?? true;
    if (!pfor && !this.persistent) {
      throw new Error(
        'GradientTape must be created with persistent=True to compute the batch_jacobian with eager execution enabled and with experimentalUsePfor set to false.',
      );
    }
    const b = t.shape[0];
    const rowSize = t.shape.slice(1).reduce((a, d) => a * d, 1); // not t.size / b: b may be 0
    const outShape = [...t.shape, ...s.shape.slice(1)];
    const eye = identitySeeds(rowSize, t.dtype);
    if (pfor) {
      // Seed j selects element j of every example: E[i, j, k] = (j == k), batched along j (axis 1),
      // so the gradient comes out as [b, rowSize, ...s_rest] where the batching rules keep that axis.
      const seeds = reshape(
        broadcastTo(reshape(eye, [1, rowSize, rowSize]), [b, rowSize, rowSize]),
        [b, rowSize, ...t.shape.slice(1)],
      );
      const [g] = this.vectorizedRows(t, seeds, [s], 1);
      return g === null ? zeros(outShape, s.dtype) : reshape(g, outShape);
    }
    // Row j of the seeds selects element j of every example: E[j, i, k] = (j == k).
    const seeds = broadcastTo(reshape(eye, [rowSize, 1, rowSize]), [rowSize, b, rowSize]);
    const [g] = this.loopRows(t, reshape(seeds, [rowSize, t.size]), [s]);
    if (g === null) return zeros(outShape, s.dtype);
    // [rowSize, b, ...s_rest] -> [b, rowSize, ...s_rest] -> [b, ...t_rest, ...s_rest]
    const perm = [1, 0, ...Array.from({ length: s.rank - 1 }, (_, i) => i + 2)];
    return reshape(transpose(reshape(g, [rowSize, ...s.shape]), perm), outShape);
  }

  /**
   * One backward pass under vmap over axis `axis` of `seeds`; each source's rows stacked on that
   * axis.
   */
  private vectorizedRows(
    target: Tensor,
    seeds: Tensor,
    sources: Source[],
    axis = 0,
  ): (Tensor | null)[] {
    const n = seeds.shape[axis];
    if (n === 0)
      return this.differentiate([target], [zerosLike(target)], sources).map((g) => {
        if (g === null) return null;
        const shape = g.shape.slice();
        shape.splice(axis, 0, 0);
        return broadcastTo(expandDims(g, axis), shape);
      });
    const interp = new BatchInterpreter(n);
    const frame = pushFrame(interp);
    let grads: (Tensor | null)[];
    try {
      grads = this.differentiate([target], [interp.wrap(seeds, axis)], sources);
    } finally {
      popFrame(frame, 'GradientTape.jacobian');
    }
    return grads.map((g) => (g === null ? null : interp.unwrap(g, axis)));
  }

  /** One backward pass per row of `seeds` ([n, target.size]), stacked. */
  private loopRows(target: Tensor, seeds: Tensor, sources: Source[]): (Tensor | null)[] {
    const n = seeds.shape[0];
    if (n === 0) return this.vectorizedRows(target, reshape(seeds, [0, ...target.shape]), sources);
    const rows: (Tensor | null)[][] = sources.map(() => []);
    for (let i = 0; i < n; i++) {
      const seed = reshape(slice(seeds, [i, 0], [1, seeds.shape[1]]), target.shape);
      const gs = this.differentiate([target], [seed], sources, true);
      gs.forEach((g, k) => rows[k].push(g));
    }
    return rows.map((r, k) => {
      if (r.every((g) => g === null)) return null;
      const s = asTensorShape(sources[k]);
      return stack(
        r.map((g) => g ?? zerosLike(s)),
        0,
      );
    });
  }

  private checkUsable(): void {
    if (!this.persistent && this.used) throw new Error(NON_PERSISTENT_USED);
  }

  /** Runs the backward walk, with TF's rules for a tape that is still recording. */
  private differentiate(
    targets: Source[],
    seeds: Tensor[],
    sources: Source[],
    keep = false,
  ): (Tensor | null)[] {
    if (this.frame !== null) {
      if (this.persistent) {
        warnOnce(
          callSite(),
          'gradient-inside',
          'GradientTape.gradient was called on a persistent tape inside its recording: the gradient computation is recorded too (what higher-order derivatives need, and slower otherwise)',
        );
      } else this.stopped = true;
    }
    const slot = (x: Source): number => (isFloat(x.dtype) ? this._slotOf(x) : -1);
    const grads = backward(
      this._nodes,
      this._nodes.length,
      this._nslots,
      targets.map(slot),
      seeds,
      sources.map(slot),
    );
    if (!this.persistent && !keep) {
      this.used = true;
      const watched = this.variables; // TF keeps watchedVariables() of a used tape
      this.reset_();
      this.variables = watched;
    }
    return grads;
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

/** Row i of the n×n identity, the seeds of a Jacobian's rows. */
function identitySeeds(n: number, dtype: Tensor['dtype']): Tensor {
  return cast(eye(n), dtype);
}

function asTarget(target: unknown, where: string): Tensor {
  if (target instanceof Variable) return target._value;
  if (!(target instanceof Tensor)) throw new TypeError(`${where}: target must be a Tensor`);
  return target;
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
  if (typeof fn !== 'function')
    throw new TypeError(`record: expected a function fn, got ${fn === null ? 'null' : typeof fn}`);
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
