// Deterministic release for code that wants it (`tt.tidy`, `tt.keep`, `tt.dispose`) and
// `tt.memory()`. None of it is needed to keep memory bounded: tensors are ordinary JS memory the
// garbage collector reclaims, also in long synchronous loops. Releasing early only frees storage
// sooner; it never releases a variable's value or what a live tape or accumulator still needs.

import { ForwardAccumulator } from './core/forward.js';
import { currentTop, type Interpreter } from './core/stack.js';
import { GradientTape } from './core/tape.js';
import { setDisposeHook, setScopeTracker, sharedTensors, Tensor } from './tensor.js';
import { Variable, variableValues } from './variable.js';

/** An open `tidy` scope: the tensors created in it, and the tapes and accumulators that saw them. */
interface Scope {
  readonly tensors: Tensor[];
  readonly interpreters: Set<Interpreter>;
}

const scopes: Scope[] = [];
/** Tensors `keep` exempted from every scope. */
const kept = new WeakSet<Tensor>();

function track(t: Tensor): void {
  const scope = scopes[scopes.length - 1];
  scope.tensors.push(t);
  // A tape or accumulator active now may save this tensor: remember it, to ask at the end.
  for (let f = currentTop(); f !== null; f = f.below) scope.interpreters.add(f.interp);
}

/** The tensors the given tapes (while they still hold a recording) and accumulators need. */
function neededBy(interpreters: Iterable<Interpreter>): Set<Tensor> {
  const needed = new Set<Tensor>();
  const add = (x: unknown) => {
    if (x instanceof Tensor) needed.add(x);
  };
  for (const interp of interpreters) {
    if (interp instanceof GradientTape) {
      for (const node of interp._nodes) {
        for (const x of node.inputs) add(x);
        for (const x of node.outputs) add(x);
      }
      for (const x of interp._leaves) add(x);
    } else if (interp instanceof ForwardAccumulator) {
      const tangents = (interp as unknown as { tangents: Map<unknown, Tensor> }).tangents;
      for (const [p, t] of tangents) {
        add(p);
        add(t);
      }
    }
  }
  return needed;
}

/** Whether releasing `t` would take storage that something still uses. */
function mustKeep(t: Tensor, needed: Set<Tensor>): boolean {
  return (
    sharedTensors.has(t) ||
    t._tapeKey?.live === true ||
    t._savedBy?.live === true ||
    kept.has(t) ||
    variableValues.has(t) ||
    needed.has(t)
  );
}

// `t.dispose()` asks this first: a variable's value, a kept tensor, or one that a tape or
// accumulator now on the stack (or seen by an open scope) needs is not released.
setDisposeHook((t) => {
  if (kept.has(t) || variableValues.has(t)) return true;
  const interpreters = activeInterpreters();
  return interpreters.size > 0 && neededBy(interpreters).has(t);
});

/** The tapes and accumulators on the stack now, and those open scopes have seen. */
function activeInterpreters(): Set<Interpreter> {
  const interpreters = new Set<Interpreter>();
  for (let f = currentTop(); f !== null; f = f.below) interpreters.add(f.interp);
  for (const s of scopes) for (const i of s.interpreters) interpreters.add(i);
  return interpreters;
}

/**
 * Collects every Tensor in a nested structure of arrays, plain objects and Maps (and what a
 * Variable, tape or accumulator in it holds).
 */
function tensorsIn(x: unknown, out: Set<Tensor>, seen = new Set<unknown>()): void {
  if (x instanceof Tensor) {
    out.add(x);
    return;
  }
  if (x instanceof Variable) {
    out.add(x._value);
    return;
  }
  if (x instanceof GradientTape || x instanceof ForwardAccumulator) {
    // A returned tape or accumulator keeps what it holds.
    for (const t of neededBy([x])) out.add(t);
    return;
  }
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  if (Array.isArray(x)) for (const v of x) tensorsIn(v, out, seen);
  else if (x instanceof Map) for (const v of x.values()) tensorsIn(v, out, seen);
  else if (Object.getPrototypeOf(x) === Object.prototype) {
    for (const v of Object.values(x)) tensorsIn(v, out, seen);
  }
}

function isThenable(x: unknown): boolean {
  return (
    x !== null &&
    (typeof x === 'object' || typeof x === 'function') &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

/**
 * Runs `fn` and then releases every tensor it created, except the ones it returns (in any nesting
 * of arrays and plain objects), those passed to `tt.keep`, variables' values, and whatever a live
 * tape or accumulator still needs. `fn` must be synchronous. Optional: without it the garbage
 * collector reclaims the same tensors a little later.
 *
 * @example
 * const x = tt.tensor([1, 2, 3]);
 * const y = tt.tidy(() => x.mul(2).add(1).sum()); // the intermediate tensors are released
 * y.item(); // 15
 */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function');
  const scope: Scope = { tensors: [], interpreters: new Set() };
  scopes.push(scope);
  setScopeTracker(track);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // Nothing is released on error: the tensors go to the enclosing scope, or to the collector.
    close(scope, new Set(scope.tensors));
    throw e;
  }
  if (isThenable(result)) {
    close(scope, new Set(scope.tensors));
    throw new TypeError(
      'tidy: the function returned a Promise; tidy needs a synchronous function (use tt.keep and dispose() around awaits)',
    );
  }
  const results = new Set<Tensor>();
  tensorsIn(result, results);
  close(scope, results);
  return result;
}

/** Ends `scope`: releases its tensors except `survivors` and what must be kept; the rest move up. */
function close(scope: Scope, survivors: Set<Tensor>): void {
  scopes.pop();
  const parent = scopes.length > 0 ? scopes[scopes.length - 1] : null;
  if (parent === null) setScopeTracker(null);
  const needed = neededBy(scope.interpreters);
  for (const t of scope.tensors) {
    if (survivors.has(t) || needed.has(t)) {
      // Returned, or still needed by a tape: the enclosing scope decides later.
      parent?.tensors.push(t);
    } else if (!mustKeep(t, needed)) {
      t._data = null; // what dispose() does, its checks already made
    }
  }
  if (parent !== null) for (const i of scope.interpreters) parent.interpreters.add(i);
}

/**
 * Exempts a tensor from release by the enclosing `tidy` scopes; returns it.
 *
 * @example
 * let kept: tt.Tensor | null = null;
 * tt.tidy(() => {
 *   kept = tt.keep(tt.tensor([1, 2]).mul(3));
 * });
 * kept!.array(); // [3, 6]
 */
export function keep<T extends Tensor>(t: T): T {
  if (!(t instanceof Tensor)) throw new TypeError('keep: expected a Tensor');
  kept.add(t);
  return t;
}

/**
 * Releases every tensor in a nested structure now (as `t.dispose()` does for one tensor), except a
 * variable's value or a tensor a live tape or accumulator needs.
 *
 * @example
 * const a = tt.tensor([1, 2]);
 * tt.dispose([a, { b: tt.ones([3]) }]);
 * a.isDisposed; // true
 */
export function dispose(x: unknown): void {
  const ts = new Set<Tensor>();
  tensorsIn(x instanceof Variable ? null : x, ts);
  const needed = neededBy(activeInterpreters());
  for (const t of ts) if (!mustKeep(t, needed)) t._data = null;
}

/** What `tt.memory()` reports. */
export interface MemoryInfo {
  /**
   * Tensors tensortape tracks and has not released: those created inside `tt.tidy` scopes that are
   * still open. Tensors outside `tidy` belong to the garbage collector and are not counted.
   */
  readonly numTensors: number;
  /** Bytes of the storage of those tensors (storage shared by several tensors counted once). */
  readonly numBytes: number;
  /** Bytes of all JS ArrayBuffers alive (every tensor's storage included), where the platform says. */
  readonly arrayBufferBytes: number | null;
  /** Always true: the garbage collector's releases are not visible synchronously. */
  readonly unreliable: true;
  readonly reasons: readonly string[];
}

const REASONS = [
  'tensors are reclaimed by the garbage collector; only those inside open tt.tidy scopes are counted',
] as const;

/**
 * Memory tensortape accounts for: the tensors of open `tidy` scopes, and (in Node) the bytes of all
 * ArrayBuffers alive, which include every tensor's storage.
 *
 * @example
 * const n = tt.tidy(() => {
 *   tt.ones([2, 2]);
 *   return tt.memory().numTensors;
 * });
 * n >= 1; // true
 * tt.memory().numTensors; // 0
 */
export function memory(): MemoryInfo {
  let numTensors = 0;
  let numBytes = 0;
  const buffers = new Set<ArrayBufferLike>();
  for (const s of scopes) {
    for (const t of s.tensors) {
      const d = t._data;
      if (d === null) continue;
      numTensors++;
      if (!buffers.has(d.buffer)) {
        buffers.add(d.buffer);
        numBytes += d.byteLength;
      }
    }
  }
  const proc = (globalThis as { process?: { memoryUsage?: () => { arrayBuffers?: number } } })
    .process;
  const arrayBufferBytes = proc?.memoryUsage?.().arrayBuffers ?? null;
  return { numTensors, numBytes, arrayBufferBytes, unreliable: true, reasons: REASONS };
}
