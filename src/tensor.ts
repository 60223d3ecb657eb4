// The Tensor class: an immutable n-d array of one dtype, held in a typed array the garbage collector
// reclaims by itself, or (inside `vmap`) a batched value that shows its per-example shape.

import { type DType, type TypedArray } from './dtype.js';
import { formatTensor } from './print.js';

/**
 * What a vmap-batched tensor carries instead of storage: the interpreter that batches it, the full
 * value with the batch dimension, and where that dimension sits.
 * @internal
 */
export interface BatchInfo {
  readonly vmap: object;
  readonly value: Tensor;
  readonly axis: number;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** @internal Identifies one recording of a tape; `live` turns false when the tape resets or is used. */
export interface RecordingKey {
  live: boolean;
}

/**
 * An immutable multi-dimensional array. Create one with `tt.tensor`, `tt.scalar`, `tt.zeros`, ...;
 * every op is also a method (`x.mul(y).sum()`).
 *
 * @example
 * const x = tt.tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * String(x.sum()); // 'Tensor(10.0, shape=[], dtype=float32)'
 */
export class Tensor {
  /** The dimensions, outermost first. Do not mutate. */
  readonly shape: number[];
  readonly dtype: DType;
  /** Number of elements. */
  readonly size: number;
  /** @internal Row-major element storage; null once disposed or when this is a vmap batched value. */
  _data: TypedArray | null;
  /** @internal The tape (its current recording's key) that numbered this value first, and the slot. */
  _tapeKey: RecordingKey | null;
  /** @internal The recording that saved this tensor as an op input (dispose keeps it while live). */
  _savedBy: RecordingKey | null;
  /** @internal */
  _slot: number;
  /** @internal Set when this tensor is a value batched by `vmap`. */
  readonly _batch: BatchInfo | null;

  /** @internal Use `tt.tensor` and the ops to create tensors. */
  constructor(
    data: TypedArray | null,
    shape: number[],
    dtype: DType,
    batch: BatchInfo | null = null,
  ) {
    if (!Array.isArray(shape)) {
      throw new TypeError(
        `new Tensor: expected (data, shape, dtype) with shape an array, got shape ${String(shape)}; tensors are created with tt.tensor(values, shape?, dtype?) and the ops, not the constructor`,
      );
    }
    this.shape = shape;
    this.dtype = dtype;
    let size = 1;
    for (let i = 0; i < shape.length; i++) size *= shape[i];
    this.size = size;
    this._data = data;
    this._batch = batch;
    this._tapeKey = null;
    this._savedBy = null;
    this._slot = -1;
    if (scopeTrack !== null) scopeTrack(this);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this._data === null && this._batch === null;
  }

  /** @internal The storage, or a clear error for disposed or vmap-batched tensors. */
  values(): TypedArray {
    const d = this._data;
    if (d !== null) return d;
    if (this._batch !== null) {
      throw new Error(
        `cannot read the values of a tensor batched by vmap (per-example shape [${this.shape.join(', ')}]); ` +
          'inside vmap, use ops on it instead of dataSync/array/item/valueOf',
      );
    }
    throw new Error(`this tensor (shape [${this.shape.join(', ')}], ${this.dtype}) was disposed`);
  }

  /** A copy of the elements as a typed array (`Uint8Array` for bool). */
  dataSync(): TypedArray {
    return this.values().slice();
  }

  /** The elements as nested JS arrays (numbers; booleans for bool), or a number/boolean for rank 0. */
  array(): any {
    const data = this.values();
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    if (this.shape.length === 0) return conv(data[0]);
    const build = (axis: number, offset: number, stride: number): any[] => {
      const n = this.shape[axis];
      const inner = stride / (n || 1);
      const out = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] =
          axis === this.shape.length - 1
            ? conv(data[offset + i])
            : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this.size);
  }

  /** Alias of `array()`: a number for rank 0, nested arrays otherwise. */
  numpy(): any {
    return this.array();
  }

  /** The single element as a number (throws unless the tensor has exactly one element). */
  item(): number {
    if (this.size !== 1) {
      throw new Error(
        `item() needs a tensor with exactly one element, got shape [${this.shape.join(', ')}]`,
      );
    }
    return this.values()[0];
  }

  /** A rank-0 tensor converts to its number, so `if (x > 0)` works as in TF eager. */
  valueOf(): number {
    if (this.shape.length !== 0) {
      throw new TypeError(
        `only a rank-0 tensor converts to a number; this one has shape [${this.shape.join(', ')}] (use .item() or .array())`,
      );
    }
    return this.values()[0];
  }

  toString(): string {
    if (this._batch !== null)
      return `BatchedTensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
    if (this._data === null)
      return `Tensor(<disposed>, shape=[${this.shape.join(', ')}], dtype=${this.dtype})`;
    return formatTensor(this._data, this.shape, this.dtype);
  }

  [INSPECT](): string {
    return this.toString();
  }

  /** Logs the tensor as `String(t)` shows it. */
  print(): void {
    console.log(this.toString());
  }

  /** Releases the storage now (values a live tape saved are kept until the tape is gone). */
  dispose(): void {
    if (sharedTensors.has(this)) return;
    // What a live tape recorded or saved stays: its gradient still needs the values.
    if (this._tapeKey?.live === true || this._savedBy?.live === true) return;
    if (disposeHook !== null && disposeHook(this)) return;
    this._data = null;
  }
}

/** @internal Tensors shared by many users (cached scalar operands): never released by dispose or tidy. */
export const sharedTensors = new WeakSet<Tensor>();

/** @internal Called with every new tensor while a `tidy` scope is open. */
let scopeTrack: ((t: Tensor) => void) | null = null;
/** @internal Returns true when a tensor must not be released (a live tape saved it). */
let disposeHook: ((t: Tensor) => boolean) | null = null;

/** @internal */
export function setScopeTracker(f: ((t: Tensor) => void) | null): void {
  scopeTrack = f;
}
/** @internal */
export function setDisposeHook(f: ((t: Tensor) => boolean) | null): void {
  disposeHook = f;
}
