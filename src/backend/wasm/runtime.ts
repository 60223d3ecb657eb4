// The WebAssembly runtime of the 'wasm' backend: compiles the kernels (synchronously where the
// platform allows), owns their linear memory and a per-kernel bump allocator, and runs parallel
// kernels on a thread pool when one is attached. Tensor storage stays in ordinary JS typed arrays:
// each kernel copies its inputs in and its output out, so the garbage collector reclaims tensors.

import { allocate, type DType, type TypedArray } from '../../dtype.js';
import {
  MAX_PAGES,
  RELAXED,
  RELAXED_PROBE,
  RELAXED_SHARED,
  SIMD,
  SIMD_PROBE,
  SIMD_SHARED,
} from './binary.js';

/** A unary float32 map: y[i] = f(x[i]) for n values. */
export type UnaryExport = (x: number, y: number, n: number) => void;
/**
 * A broadcasting float32 map: y = f(a, b) with `rank` i32 values each at `shape`, `sa` and `sb` (the
 * output's shape and the operands' element strides) and `index` scratch for rank i32.
 */
export type BinaryExport = (
  a: number,
  b: number,
  y: number,
  rank: number,
  shape: number,
  sa: number,
  sb: number,
  index: number,
) => void;

/** Exports of the kernel module (pointers are byte offsets into its memory). */
export interface KernelExports {
  gemmBatch(...args: number[]): void;
  gemmScratchBytes(): number;
  conv2dForward(...args: number[]): void;
  conv2dFilter(...args: number[]): void;
  gemmExact(...args: number[]): void;
  reduceF32(...args: number[]): void;
  stridedCopy32(
    x: number,
    y: number,
    rank: number,
    shape: number,
    strides: number,
    index: number,
  ): void;
  /** unaryNeg, unaryTanh, ...: one export per op. */
  [unary: `unary${string}`]: UnaryExport;
  /** binaryAdd, ..., binaryFirst (y = a, a broadcasting copy). */
  [binary: `binary${string}`]: BinaryExport;
  /** compareGreater, ...: bytes 0 or 1. */
  [compare: `compare${string}`]: BinaryExport;
}

/** Kernels that split their work over threads, by the index workers call them with. */
export const PARALLEL_KERNELS = ['gemmBatch', 'conv2dForward', 'conv2dFilter'] as const;
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

/** Bytes below this offset are left to the module (its stack and static data, if any). */
const RESERVED = 65536;
const PAGE = 65536;
/**
 * Float32 inputs of at least this many bytes, from their second use on, stay in a region of memory
 * between kernels, so a tensor used again and again (a layer's weights, a constant input) is not
 * copied in again. Tensors never change their values, so a kept copy stays right. A first use goes
 * to the kernel's own memory, which is reused by every kernel and so stays in cache: most values
 * (intermediate results) are read once.
 */
const KEEP_MIN = 1 << 16;
/** Bytes of the region that keeps inputs (cleared when full). */
const KEEP_BYTES = 32 << 20;
/** @internal The kept-inputs region's sizes, for tests. */
export const KEPT_INPUTS = { min: KEEP_MIN, bytes: KEEP_BYTES } as const;

/** Runs parallel kernels on worker threads sharing the module's memory. */
export interface ThreadPool {
  /** Threads a kernel may use, the calling thread included (1 until the workers are ready). */
  readonly threads: number;
  /** Threads the pool will have once started, the calling thread included. */
  readonly capacity: number;
  /** Runs `PARALLEL_KERNELS[fn](...args, tid, nthreads)` on `nthreads` threads and waits for all. */
  run(fn: number, args: readonly number[], nthreads: number): void;
}

/** How a platform starts a pool for a runtime (null: no threads here). */
export type PoolFactory = (rt: WasmRuntime) => ThreadPool | null;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 without `atob` or `Buffer` (neither exists in every JavaScript context). */
export function decodeBase64(s: string): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array((len * 3) >> 2);
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const a = lookup[s.charCodeAt(i)];
    const b = lookup[s.charCodeAt(i + 1)];
    const c = i + 2 < len ? lookup[s.charCodeAt(i + 2)] : 0;
    const d = i + 3 < len ? lookup[s.charCodeAt(i + 3)] : 0;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function validates(bytes: Uint8Array): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

/** Whether shared memory (and so threads) can be used here. */
function sharedMemoryUsable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; window?: unknown };
  // In browsers SharedArrayBuffer can be posted to workers only in cross-origin isolated pages.
  if (g.window !== undefined && g.crossOriginIsolated !== true) return false;
  try {
    new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    return true;
  } catch {
    return false;
  }
}

/** Which compiled variant to use on this platform. */
export interface Features {
  readonly simd: boolean;
  readonly relaxed: boolean;
  readonly shared: boolean;
}

export function detectFeatures(): Features {
  const simd = validates(SIMD_PROBE);
  return {
    simd,
    relaxed: simd && validates(RELAXED_PROBE),
    shared: simd && sharedMemoryUsable(),
  };
}

function variantBytes(f: Features): Uint8Array {
  if (f.relaxed) return decodeBase64(f.shared ? RELAXED_SHARED : RELAXED);
  return decodeBase64(f.shared ? SIMD_SHARED : SIMD);
}

/** The compiled kernels, their memory, and the allocator kernels use for their operands. */
export class WasmRuntime {
  readonly features: Features;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: KernelExports;
  private pool: ThreadPool | null = null;
  private buffer!: ArrayBuffer | SharedArrayBuffer;
  f32!: Float32Array;
  f64!: Float64Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  /** Start of the per-thread scratch areas, and the bytes of each. */
  readonly scratchBase: number;
  readonly scratchBytes: number;
  private heapBase: number;
  private top: number;
  /** The region that keeps inputs: its start, its next free byte, and a count of clearings. */
  private keepBase: number;
  private keepTop: number;
  private keepEpoch = 0;
  /** Where each kept input's copy sits, valid while its epoch is the region's. */
  private kept = new WeakMap<Float32Array, { offset: number; epoch: number }>();
  /** Large inputs seen once: kept from their next use on. */
  private seen = new WeakSet<Float32Array>();
  /** Whether the current kernel uses a kept copy (then the region must not be cleared). */
  private keptInUse = false;
  /** Bytes of memory: only this thread grows it, so it is known without asking the memory. */
  private capacity = 0;

  constructor(features: Features, module: WebAssembly.Module) {
    this.features = features;
    this.module = module;
    this.memory = features.shared
      ? new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: 2 });
    const instance = new WebAssembly.Instance(module, {
      env: {
        memory: this.memory,
        abort: () => {
          throw new Error('wasm kernel aborted');
        },
      },
    });
    this.exports = instance.exports as unknown as KernelExports;
    this.scratchBytes = align(this.exports.gemmScratchBytes(), 64);
    this.scratchBase = RESERVED;
    this.keepBase = this.scratchBase + this.scratchBytes;
    this.keepTop = this.keepBase;
    this.heapBase = this.keepBase + KEEP_BYTES;
    this.top = this.heapBase;
    this.refresh();
  }

  /** Attaches a thread pool; kernels then split their work over `pool.threads` threads. */
  attachPool(factory: PoolFactory): void {
    if (!this.features.shared || this.pool !== null) return;
    const pool = factory(this);
    if (pool === null) return;
    this.pool = pool;
    // Scratch for the workers sits after the calling thread's.
    this.keepBase = this.scratchBase + this.scratchBytes * Math.max(1, pool.capacity);
    this.keepTop = this.keepBase;
    this.keepEpoch++;
    this.heapBase = this.keepBase + KEEP_BYTES;
    this.top = this.heapBase;
    this.ensure(this.heapBase);
  }

  /** Threads a kernel can use now. */
  get threads(): number {
    return this.pool === null ? 1 : this.pool.threads;
  }

  /** Runs the calling thread's share of a parallel kernel (thread 0 of `nthreads`). */
  runLocal = (fn: number, args: readonly number[], scratch: number, nthreads: number): void => {
    const f = this.exports[PARALLEL_KERNELS[fn]] as (...a: number[]) => void;
    f(...args, scratch, 0, nthreads);
  };

  /** Forgets every allocation: call at the start of each kernel. */
  reset(): void {
    this.top = this.heapBase;
    this.keptInUse = false;
  }

  /** Allocates `bytes` (64-byte aligned) and returns the byte offset; grows the memory if needed. */
  alloc(bytes: number): number {
    const p = this.top;
    const end = align(p + bytes, 64);
    this.top = end;
    if (end > this.capacity) this.ensure(end);
    return p;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(Math.max(pages, Math.ceil(have / PAGE / 4)));
      } catch {
        this.memory.grow(pages);
      }
    }
    if (this.memory.buffer.byteLength !== this.buffer?.byteLength) this.refresh();
  }

  private refresh(): void {
    this.buffer = this.memory.buffer;
    this.capacity = this.buffer.byteLength;
    this.f32 = new Float32Array(this.buffer);
    this.f64 = new Float64Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
  }

  /** A fresh work counter for a parallel kernel (an i32 set to 0); returns its byte offset. */
  counter(): number {
    const p = this.alloc(4);
    this.i32[p >> 2] = 0;
    return p;
  }

  /**
   * The byte offset of a copy of `x` for the current kernel: the kept copy when an earlier kernel
   * made one, else a fresh copy (kept too when `x` is large and was seen before). Kernels never
   * write to their inputs.
   */
  copyInF32(x: Float32Array): number {
    const bytes = x.length * 4;
    if (bytes >= KEEP_MIN && bytes <= KEEP_BYTES / 4) {
      const k = this.kept.get(x);
      if (k !== undefined && k.epoch === this.keepEpoch) {
        this.keptInUse = true;
        return k.offset;
      }
      if (this.seen.has(x)) {
        const p = this.keepSlot(bytes);
        if (p >= 0) {
          this.f32.set(x, p >> 2);
          this.kept.set(x, { offset: p, epoch: this.keepEpoch });
          return p;
        }
      } else this.seen.add(x);
    }
    const p = this.alloc(bytes);
    this.f32.set(x, p >> 2);
    return p;
  }

  /**
   * `bytes` in the kept region for the current kernel, or -1. When the region is full it starts
   * over (older copies are no longer used), unless this kernel already uses a kept copy.
   */
  private keepSlot(bytes: number): number {
    let p = this.keepTop;
    if (p + bytes > this.heapBase) {
      if (this.keptInUse) return -1;
      this.keepEpoch++;
      p = this.keepBase;
    }
    this.keepTop = align(p + bytes, 64);
    if (this.keepTop > this.capacity) this.ensure(this.keepTop);
    this.keptInUse = true;
    return p;
  }

  /** Copies float64 values into fresh memory (8-byte aligned); returns the byte offset. */
  copyInF64(x: Float64Array): number {
    const p = this.alloc(x.length * 8);
    this.f64.set(x, p >> 3);
    return p;
  }

  /** A fresh Float64Array holding `n` values at byte offset `p`. */
  copyOutF64(p: number, n: number): Float64Array {
    return copyOut(this.f64, Float64Array, p >> 3, n);
  }

  /** A fresh Float32Array holding `n` values at byte offset `p` (the tensor's own storage). */
  copyOutF32(p: number, n: number): Float32Array {
    return copyOut(this.f32, Float32Array, p >> 2, n);
  }

  /** A fresh Int32Array holding `n` values at byte offset `p`. */
  copyOutI32(p: number, n: number): Int32Array {
    return copyOut(this.i32, Int32Array, p >> 2, n);
  }

  /** A fresh Uint8Array holding `n` bytes at byte offset `p`. */
  copyOutU8(p: number, n: number): Uint8Array {
    return copyOut(this.u8, Uint8Array, p, n);
  }

  /**
   * Allocates `rows.length + scratchRows` rows of `rows[0].length` i32 values, writes `rows` into
   * the first ones (a kernel's shape and strides) and returns the byte offset; the scratch rows are
   * the kernel's to use.
   */
  writeI32Rows(rows: readonly (readonly number[])[], scratchRows: number): number {
    const len = rows[0].length;
    const p = this.alloc((rows.length + scratchRows) * len * 4);
    const i32 = this.i32;
    let o = p >> 2;
    for (const row of rows) {
      for (let i = 0; i < len; i++) i32[o + i] = row[i];
      o += len;
    }
    return p;
  }

  /** Runs a parallel kernel on up to `nthreads` threads (1: here, without waking the pool). */
  run(fn: ParallelKernel, args: number[], nthreads: number): void {
    const t = Math.max(1, Math.min(nthreads, this.threads));
    if (t > 1 && this.pool !== null) {
      this.pool.run(PARALLEL_KERNELS.indexOf(fn), args, t);
      return;
    }
    const f = this.exports[fn] as (...a: number[]) => void;
    f(...args, this.scratchBase, 0, 1);
  }
}

/**
 * Allocates an ArrayBuffer of `bytes` bytes without zeroing it, for storage the caller overwrites
 * entirely before anyone sees it (null: the platform has no such allocation).
 */
export type UninitializedAllocator = (bytes: number) => ArrayBuffer;

let uninitialized: UninitializedAllocator | null = null;

/**
 * Outputs of at least this many bytes use the uninitialized allocator where there is one: zeroing
 * a large buffer costs about as much as copying into it.
 */
const UNINITIALIZED_MIN = 16384;

type Storage = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A fresh array holding `n` elements of `view` from element `i` (a tensor's own storage). */
function copyOut<T extends Storage>(
  view: T,
  Ctor: new (buffer: ArrayBuffer, offset: number, length: number) => T,
  i: number,
  n: number,
): T {
  const bytes = n * view.BYTES_PER_ELEMENT;
  if (bytes < UNINITIALIZED_MIN || uninitialized === null) return view.slice(i, i + n) as T;
  const y = new Ctor(uninitialized(bytes), 0, n);
  y.set(view.subarray(i, i + n));
  return y;
}

/** Sets how large kernel outputs are allocated (Node: Buffer.allocUnsafeSlow's ArrayBuffer). */
export function setUninitializedAllocator(f: UninitializedAllocator | null): void {
  uninitialized = f;
}

/**
 * A fresh typed array of `n` elements of `dtype` that the caller fills entirely: uninitialized where
 * that is possible and the array is large.
 */
export function freshArray(dtype: DType, n: number): TypedArray {
  if (uninitialized !== null) {
    const width = dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
    if (n * width >= UNINITIALIZED_MIN) {
      const buffer = uninitialized(n * width);
      if (dtype === 'float32') return new Float32Array(buffer, 0, n);
      if (dtype === 'float64') return new Float64Array(buffer, 0, n);
      if (dtype === 'int32') return new Int32Array(buffer, 0, n);
      return new Uint8Array(buffer, 0, n);
    }
  }
  return allocate(dtype, n);
}

function align(n: number, a: number): number {
  const r = n % a;
  return r === 0 ? n : n + a - r;
}

let runtime: WasmRuntime | null | undefined;
let pending: Promise<void> | null = null;
const poolFactories: PoolFactory[] = [];

function create(module: WebAssembly.Module, f: Features): WasmRuntime {
  const rt = new WasmRuntime(f, module);
  for (const factory of poolFactories) rt.attachPool(factory);
  return rt;
}

/**
 * The runtime, compiling the module synchronously on first use; null where WebAssembly SIMD is
 * missing or only asynchronous compilation is allowed (then `load()` compiles in the background).
 */
export function getRuntime(): WasmRuntime | null {
  if (runtime !== undefined) return runtime;
  const f = detectFeatures();
  if (!f.simd) return (runtime = null);
  const bytes = variantBytes(f) as BufferSource;
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch {
    // Browsers refuse synchronous compilation of large modules on the main thread.
    runtime = null;
    pending ??= WebAssembly.compile(bytes).then(
      (m) => {
        runtime = create(m, f);
      },
      () => {},
    );
    return null;
  }
  try {
    runtime = create(module, f);
  } catch {
    runtime = null; // e.g. memory refused: the pure-TypeScript backend runs
  }
  return runtime;
}

/** Resolves once an asynchronous compilation (if any) has finished. */
export function whenLoaded(): Promise<void> {
  getRuntime();
  return pending ?? Promise.resolve();
}

/** Registers a way to start worker threads; applied to the runtime now and whenever it is created. */
export function addPoolFactory(factory: PoolFactory): void {
  poolFactories.push(factory);
  if (runtime) runtime.attachPool(factory);
}
