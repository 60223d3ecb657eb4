// The 'wasm' backend's kernels: float32 matrix products, elementwise maps and reductions in
// WebAssembly SIMD. Each copies its inputs into the module's memory and its output out into a
// fresh typed array; small problems, other dtypes and unsupported layouts run the pure-TypeScript
// kernel, which is faster there (copying costs more than it saves) and gives identical results.

import type { Aval } from '../../core/primitive.js';
import type { TypedArray } from '../../dtype.js';
import type { Tensor } from '../../tensor.js';
import type { Kernel, Kernels } from '../backend.js';
import { jsKernels } from '../js/index.js';
import { broadcastStrides } from '../js/iterate.js';
import { freshArray, getRuntime, type BinaryExport, type WasmRuntime } from './runtime.js';

/** Work sizes that choose between kernels (measured crossovers). */
export const THRESHOLDS = {
  /**
   * Multiply-adds (m·n·k summed over the batch) above which float32 products accumulate in float32
   * with SIMD; smaller ones accumulate in float64 exactly as the pure-TypeScript backend does (and
   * give identical results), which is still many times faster than it.
   */
  matMul: 65536,
  /** Multiply-adds above which a product is split over threads. */
  matMulThreads: 1 << 18,
  /** Output elements of an elementwise op. */
  elementwise: 2048,
  /** Elements of a transcendental op (exp, log, tanh, sigmoid, sin, cos). */
  transcendental: 64,
  /** Output elements of a strided copy (Transpose, BroadcastTo, Slice). */
  copy: 1024,
  /** Elements per row below which ConcatV2 along an inner axis runs the pure-TypeScript kernel. */
  concatRow: 64,
  /** Input elements of a reduction. */
  reduce: 2048,
};

function fallback(name: keyof Kernels): Kernel {
  return jsKernels[name] as Kernel;
}

/** The runtime when a float32 kernel should run in WebAssembly, else null. */
function runtimeFor(inputs: readonly Tensor[], work: number, min: number): WasmRuntime | null {
  if (work < min) return null;
  for (let i = 0; i < inputs.length; i++) if (inputs[i].dtype !== 'float32') return null;
  return getRuntime();
}

// ---- matrix products --------------------------------------------------------------------------

interface MatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

const jsMatMul = fallback('BatchMatMulV2');

/** BatchMatMulV2 (and MatMul): C = op(A) · op(B) with broadcast batch dimensions. */
export const batchMatMul: Kernel<MatMulAttrs> = (inputs, attrs, out) => {
  const [A, B] = inputs;
  const shape = out[0].shape;
  const r = shape.length;
  const m = shape[r - 2];
  const n = shape[r - 1];
  const k = attrs.transposeA ? A.shape[A.rank - 2] : A.shape[A.rank - 1];
  let batch = 1;
  for (let i = 0; i < r - 2; i++) batch *= shape[i];
  const work = batch * m * n * k;
  const dtype = out[0].dtype;
  if (work === 0 || (dtype !== 'float32' && dtype !== 'float64'))
    return jsMatMul(inputs, attrs, out);
  if (dtype === 'float64' || work <= THRESHOLDS.matMul) {
    return exactMatMul(A, B, attrs, shape, batch, m, n, k) ?? jsMatMul(inputs, attrs, out);
  }
  const rt = getRuntime();
  if (rt === null) return jsMatMul(inputs, attrs, out);
  rt.reset();
  const pa = rt.copyInF32(A.values() as Float32Array);
  const pb = rt.copyInF32(B.values() as Float32Array);
  const pc = rt.alloc(batch * m * n * 4);
  const po = rt.alloc(batch * 8);
  writeBatchOffsets(rt, po, A.shape, B.shape, shape.slice(0, r - 2), m * k, k * n);
  const threads = work >= THRESHOLDS.matMulThreads ? rt.threads : 1;
  const ta = attrs.transposeA ? 1 : 0;
  const tb = attrs.transposeB ? 1 : 0;
  rt.run('gemmBatch', [batch, po, pa, pb, pc, m, n, k, ta, tb, rt.counter()], threads);
  return rt.copyOutF32(pc, batch * m * n);
};

/** Products accumulated in float64 in the reference order (float32 or float64); null: no runtime. */
function exactMatMul(
  A: Tensor,
  B: Tensor,
  attrs: MatMulAttrs,
  shape: readonly number[],
  batch: number,
  m: number,
  n: number,
  k: number,
): TypedArray | null {
  const rt = getRuntime();
  if (rt === null) return null;
  const f64 = A.dtype === 'float64';
  rt.reset();
  const pa = f64
    ? rt.copyInF64(A.values() as Float64Array)
    : rt.copyInF32(A.values() as Float32Array);
  const pb = f64
    ? rt.copyInF64(B.values() as Float64Array)
    : rt.copyInF32(B.values() as Float32Array);
  const size = batch * m * n;
  const pc = rt.alloc(size * (f64 ? 8 : 4));
  const po = rt.alloc(batch * 8);
  const r = shape.length;
  writeBatchOffsets(rt, po, A.shape, B.shape, shape.slice(0, r - 2), m * k, k * n);
  const acc = rt.alloc(n * 8 + 16);
  const packed = rt.alloc(k * n * 8 + 16);
  const ta = attrs.transposeA ? 1 : 0;
  const tb = attrs.transposeB ? 1 : 0;
  rt.exports.gemmExact(batch, po, pa, pb, pc, m, n, k, ta, tb, f64 ? 1 : 0, acc, packed);
  return f64 ? rt.copyOutF64(pc, size) : rt.copyOutF32(pc, size);
}

/** Element offsets of A[t] and B[t] for every batch index t (batch dimensions broadcast). */
function writeBatchOffsets(
  rt: WasmRuntime,
  p: number,
  aShape: readonly number[],
  bShape: readonly number[],
  batchShape: readonly number[],
  aSize: number,
  bSize: number,
): void {
  const i32 = rt.i32;
  let o = p >> 2;
  const nd = batchShape.length;
  if (nd === 0) {
    i32[o] = 0;
    i32[o + 1] = 0;
    return;
  }
  const sa = broadcastStrides(aShape.slice(0, -2), batchShape);
  const sb = broadcastStrides(bShape.slice(0, -2), batchShape);
  const idx = new Array<number>(nd).fill(0);
  let batch = 1;
  for (const d of batchShape) batch *= d;
  for (let t = 0; t < batch; t++) {
    let offA = 0;
    let offB = 0;
    for (let d = 0; d < nd; d++) {
      offA += idx[d] * sa[d];
      offB += idx[d] * sb[d];
    }
    i32[o++] = offA * aSize;
    i32[o++] = offB * bSize;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < batchShape[d]) break;
      idx[d] = 0;
    }
  }
}

// ---- convolution ------------------------------------------------------------------------------

interface WindowAttrs {
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
}

/** Writes the geometry struct of wasm/assembly/matmul.ts; returns its byte offset. */
function writeGeometry(
  rt: WasmRuntime,
  [N, H, W, C]: readonly number[],
  [KH, KW, O]: readonly number[],
  [HO, WO]: readonly number[],
  [sh, sw]: readonly number[],
  top: number,
  left: number,
): number {
  const p = rt.alloc(64);
  rt.i32.set([N, H, W, C, KH, KW, O, HO, WO, sh, sw, top, left], p >> 2);
  return p;
}

const jsConv2D = fallback('Conv2D');
const jsConv2DBackpropFilter = fallback('Conv2DBackpropFilter');
const jsConv2DBackpropInput = fallback('Conv2DBackpropInput');

/** Conv2D: NHWC input, HWIO filter, explicit pads (TF's 'same' or 'valid' already resolved). */
export const conv2d: Kernel<WindowAttrs> = (inputs, attrs, out) => {
  const [X, F] = inputs;
  const [N, HO, WO, O] = out[0].shape;
  const [KH, KW, C] = F.shape;
  const work = N * HO * WO * O * KH * KW * C;
  const rt = work === 0 ? null : runtimeFor(inputs, work, THRESHOLDS.matMul);
  if (rt === null) return jsConv2D(inputs, attrs, out);
  rt.reset();
  const px = rt.copyInF32(X.values() as Float32Array);
  const pw = rt.copyInF32(F.values() as Float32Array);
  const py = rt.alloc(N * HO * WO * O * 4);
  const geo = writeGeometry(
    rt,
    X.shape,
    [KH, KW, O],
    [HO, WO],
    attrs.strides,
    attrs.pads[0],
    attrs.pads[2],
  );
  const threads = work >= THRESHOLDS.matMulThreads ? rt.threads : 1;
  rt.run('conv2dForward', [px, pw, py, geo, rt.counter()], threads);
  return rt.copyOutF32(py, N * HO * WO * O);
};

/** Conv2DBackpropFilter: dw = patches(x)ᵀ · dy. */
export const conv2dBackpropFilter: Kernel<WindowAttrs & { filterSize: readonly number[] }> = (
  inputs,
  attrs,
  out,
) => {
  const [X, DY] = inputs;
  const [N, HO, WO, O] = DY.shape;
  const [KH, KW, C] = out[0].shape;
  const work = N * HO * WO * O * KH * KW * C;
  const rt = work === 0 ? null : runtimeFor(inputs, work, THRESHOLDS.matMul);
  if (rt === null) return jsConv2DBackpropFilter(inputs, attrs, out);
  rt.reset();
  const px = rt.copyInF32(X.values() as Float32Array);
  const pdy = rt.copyInF32(DY.values() as Float32Array);
  const pdw = rt.alloc(KH * KW * C * O * 4);
  const geo = writeGeometry(
    rt,
    X.shape,
    [KH, KW, O],
    [HO, WO],
    attrs.strides,
    attrs.pads[0],
    attrs.pads[2],
  );
  const threads = work >= THRESHOLDS.matMulThreads ? rt.threads : 1;
  rt.run('conv2dFilter', [px, pdy, pdw, geo, rt.counter()], threads);
  return rt.copyOutF32(pdw, KH * KW * C * O);
};

/**
 * Conv2DBackpropInput with stride 1: the convolution of dy with the filter flipped in space and with
 * its channels swapped, padded by (KH - 1 - top, KW - 1 - left). Strided ones run the reference kernel.
 */
export const conv2dBackpropInput: Kernel<WindowAttrs & { inputSize: readonly number[] }> = (
  inputs,
  attrs,
  out,
) => {
  const [DY, F] = inputs;
  const [N, H, W, C] = out[0].shape;
  const [KH, KW, , O] = F.shape;
  const work = N * H * W * C * KH * KW * O;
  const strided = attrs.strides[0] !== 1 || attrs.strides[1] !== 1;
  const rt = work === 0 || strided ? null : runtimeFor(inputs, work, THRESHOLDS.matMul);
  if (rt === null) return jsConv2DBackpropInput(inputs, attrs, out);
  const f = F.values() as Float32Array;
  rt.reset();
  const pdy = rt.copyInF32(DY.values() as Float32Array);
  // w'[p, q, o, c] = w[KH-1-p, KW-1-q, c, o]
  const pw = rt.alloc(KH * KW * O * C * 4);
  const w2 = rt.f32;
  const base = pw >> 2;
  for (let p = 0; p < KH; p++)
    for (let q = 0; q < KW; q++) {
      const src = ((KH - 1 - p) * KW + (KW - 1 - q)) * C * O;
      const dst = base + (p * KW + q) * O * C;
      for (let c = 0; c < C; c++)
        for (let o = 0; o < O; o++) w2[dst + o * C + c] = f[src + c * O + o];
    }
  const pdx = rt.alloc(N * H * W * C * 4);
  const geo = writeGeometry(
    rt,
    DY.shape,
    [KH, KW, C],
    [H, W],
    [1, 1],
    KH - 1 - attrs.pads[0],
    KW - 1 - attrs.pads[2],
  );
  const threads = work >= THRESHOLDS.matMulThreads ? rt.threads : 1;
  rt.run('conv2dForward', [pdy, pw, pdx, geo, rt.counter()], threads);
  return rt.copyOutF32(pdx, N * H * W * C);
};

// ---- elementwise ------------------------------------------------------------------------------

/** Unary ops with an export `unary<Name>` in wasm/assembly/elementwise.ts. */
type UnaryName =
  | 'Neg'
  | 'Abs'
  | 'Square'
  | 'Sqrt'
  | 'Relu'
  | 'Reciprocal'
  | 'Floor'
  | 'Ceil'
  | 'Round'
  | 'Sign'
  | 'Exp'
  | 'Log'
  | 'Tanh'
  | 'Sigmoid'
  | 'Sin'
  | 'Cos';

/**
 * A float32 unary kernel: copy in, one pass, copy out. `min` is the size below which the
 * pure-TypeScript kernel runs (cheap ops: where copying costs more than it saves; transcendental
 * ones, which cost the pure-TypeScript kernel tens of nanoseconds a value, from a few values on).
 */
function unaryKernel(name: UnaryName, min: () => number): Kernel {
  const js = fallback(name);
  const fn = `unary${name}` as const;
  return (inputs, attrs, out) => {
    const x = inputs[0];
    const n = x.size;
    if (n < min() || x.dtype !== 'float32') return js(inputs, attrs, out);
    const rt = getRuntime();
    if (rt === null) return js(inputs, attrs, out);
    rt.reset();
    const px = rt.copyInF32(x.values() as Float32Array);
    const py = rt.alloc(n * 4);
    rt.exports[fn](px, py, n);
    return rt.copyOutF32(py, n);
  };
}

const elementwiseMin = () => THRESHOLDS.elementwise;
const transcendentalMin = () => THRESHOLDS.transcendental;

/**
 * The output shape and both operands' strides with size-1 axes dropped and adjacent axes merged
 * wherever both operands are laid out contiguously across them (so most cases become rank 1 or 2).
 */
export function collapseBroadcast(
  shape: readonly number[],
  sa: readonly number[],
  sb: readonly number[],
): [number[], number[], number[]] {
  const s: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && a[last] === sa[i] * shape[i] && b[last] === sb[i] * shape[i]) {
      s[last] *= shape[i];
      a[last] = sa[i];
      b[last] = sb[i];
    } else {
      s.push(shape[i]);
      a.push(sa[i]);
      b.push(sb[i]);
    }
  }
  if (s.length === 0) return [[1], [0], [0]];
  return [s, a, b];
}

/** Binary ops with an export `binary<Name>`. */
const BINARY = {
  AddV2: 'binaryAdd',
  Sub: 'binarySub',
  Mul: 'binaryMul',
  RealDiv: 'binaryDiv',
  Maximum: 'binaryMaximum',
  Minimum: 'binaryMinimum',
  TanhGrad: 'binaryTanhGrad',
  SigmoidGrad: 'binarySigmoidGrad',
  ReluGrad: 'binaryReluGrad',
} as const;

/** Comparison ops with an export `compare<Name>` (bool results). */
const COMPARE = {
  Greater: 'compareGreater',
  GreaterEqual: 'compareGreaterEqual',
  Less: 'compareLess',
  LessEqual: 'compareLessEqual',
  Equal: 'compareEqual',
  NotEqual: 'compareNotEqual',
} as const;

/**
 * Runs a broadcasting float32 binary export on inputs copied into the module; returns the output's
 * byte offset. A scalar operand's value goes in with the metadata (no separate copy).
 */
function runBroadcast(
  rt: WasmRuntime,
  fn: BinaryExport,
  A: Tensor,
  B: Tensor,
  shape: readonly number[],
  size: number,
  outBytes: number,
): number {
  let s: number[];
  let sa: number[];
  let sb: number[];
  if (A.size === size && B.size === size) {
    s = [size];
    sa = [1];
    sb = [1];
  } else if (B.size === 1 && A.size === size) {
    s = [size];
    sa = [1];
    sb = [0];
  } else if (A.size === 1 && B.size === size) {
    s = [size];
    sa = [0];
    sb = [1];
  } else {
    [s, sa, sb] = collapseBroadcast(
      shape,
      broadcastStrides(A.shape, shape),
      broadcastStrides(B.shape, shape),
    );
  }
  rt.reset();
  const pa = rt.copyInF32(A.values() as Float32Array);
  const pb = B === A ? pa : rt.copyInF32(B.values() as Float32Array);
  const py = rt.alloc(size * outBytes);
  const rank = s.length;
  const meta = rt.writeI32Rows([s, sa, sb], 1);
  fn(pa, pb, py, rank, meta, meta + rank * 4, meta + rank * 8, meta + rank * 12);
  return py;
}

function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (let i = 0; i < shape.length; i++) size *= shape[i];
  return size;
}

function isFloat32Pair(inputs: readonly Tensor[]): boolean {
  return inputs[0].dtype === 'float32' && inputs[1].dtype === 'float32';
}

function binaryKernel(name: keyof typeof BINARY): Kernel {
  const js = fallback(name);
  const fn = BINARY[name];
  return (inputs, attrs, out) => {
    const { shape } = out[0];
    const size = sizeOf(shape);
    if (size < THRESHOLDS.elementwise || !isFloat32Pair(inputs)) return js(inputs, attrs, out);
    const rt = getRuntime();
    if (rt === null) return js(inputs, attrs, out);
    const py = runBroadcast(rt, rt.exports[fn], inputs[0], inputs[1], shape, size, 4);
    return rt.copyOutF32(py, size);
  };
}

function compareKernel(name: keyof typeof COMPARE): Kernel {
  const js = fallback(name);
  const fn = COMPARE[name];
  return (inputs, attrs, out) => {
    const { shape } = out[0];
    const size = sizeOf(shape);
    if (size < THRESHOLDS.elementwise || !isFloat32Pair(inputs)) return js(inputs, attrs, out);
    const rt = getRuntime();
    if (rt === null) return js(inputs, attrs, out);
    const py = runBroadcast(rt, rt.exports[fn], inputs[0], inputs[1], shape, size, 1);
    return rt.copyOutU8(py, size);
  };
}

// ---- data movement ----------------------------------------------------------------------------

/**
 * `shape` and the input's element `strides` with size-1 axes dropped and adjacent axes merged where
 * the input is laid out contiguously across them (a transpose that keeps runs together, a broadcast
 * of a whole row, and a slice of whole rows all shrink to few axes).
 */
export function collapseStrides(
  shape: readonly number[],
  strides: readonly number[],
): [number[], number[]] {
  const s: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && t[last] === strides[i] * shape[i]) {
      s[last] *= shape[i];
      t[last] = strides[i];
    } else {
      s.push(shape[i]);
      t.push(strides[i]);
    }
  }
  return [s, t];
}

/**
 * A fresh array of `dtype` holding x's elements at `offset + Σ idx[k]·strides[k]` for every index of
 * `shape` in row-major order (strides non-negative), or null where the pure-TypeScript kernel
 * should run. A single run is one typed-array slice for every dtype; float32 and int32 copies large
 * enough to pay for the copies in and out run in WebAssembly.
 */
function stridedCopy(
  X: Tensor,
  offset: number,
  strides: readonly number[],
  shape: readonly number[],
): TypedArray | null {
  const x = X.values();
  const [s, t] = collapseStrides(shape, strides);
  const rank = s.length;
  let size = 1;
  for (let i = 0; i < rank; i++) size *= s[i];
  if (rank === 0) return x.slice(offset, offset + 1);
  if (rank === 1 && t[0] === 1) {
    const y = freshArray(X.dtype, size);
    y.set(offset === 0 && size === x.length ? x : x.subarray(offset, offset + size));
    return y;
  }
  if (size < THRESHOLDS.copy || (X.dtype !== 'float32' && X.dtype !== 'int32')) return null;
  const rt = getRuntime();
  if (rt === null) return null;
  // Only the span the copy reads goes in.
  let span = 1;
  for (let i = 0; i < rank; i++) span += (s[i] - 1) * t[i];
  rt.reset();
  const px = rt.alloc(span * 4);
  const view = X.dtype === 'float32' ? rt.f32 : rt.i32;
  view.set(offset === 0 && span === x.length ? x : x.subarray(offset, offset + span), px >> 2);
  const py = rt.alloc(size * 4);
  const meta = rt.writeI32Rows([s, t], 1);
  rt.exports.stridedCopy32(px, py, rank, meta, meta + rank * 4, meta + rank * 8);
  return X.dtype === 'float32' ? rt.copyOutF32(py, size) : rt.copyOutI32(py, size);
}

/** Row-major strides of a shape. */
function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i];
  }
  return st;
}

const jsTranspose = fallback('Transpose');
const jsBroadcastTo = fallback('BroadcastTo');
const jsSlice = fallback('Slice');
const jsConcat = fallback('ConcatV2');

/** Transpose: a strided copy with the input's strides permuted. */
export const transpose: Kernel<{ readonly perm: readonly number[] }> = (inputs, attrs, out) => {
  const X = inputs[0];
  const st = stridesOf(X.shape);
  const perm = attrs.perm;
  const strides = new Array<number>(perm.length);
  for (let i = 0; i < perm.length; i++) strides[i] = st[perm[i]];
  return stridedCopy(X, 0, strides, out[0].shape) ?? jsTranspose(inputs, attrs, out);
};

/** BroadcastTo: a strided copy with stride 0 along broadcast axes. */
export const broadcastTo: Kernel = (inputs, attrs, out) => {
  const X = inputs[0];
  const shape = out[0].shape;
  return (
    stridedCopy(X, 0, broadcastStrides(X.shape, shape), shape) ?? jsBroadcastTo(inputs, attrs, out)
  );
};

/** Slice: a strided copy of the box from `begin`. */
export const slice: Kernel<{
  readonly begin: readonly number[];
  readonly size: readonly number[];
}> = (inputs, attrs, out) => {
  const X = inputs[0];
  const st = stridesOf(X.shape);
  let offset = 0;
  for (let i = 0; i < st.length; i++) offset += attrs.begin[i] * st[i];
  return stridedCopy(X, offset, st, attrs.size) ?? jsSlice(inputs, attrs, out);
};

/**
 * ConcatV2: each input's rows are copied with typed-array `set` (any dtype) when the rows are long
 * enough for that to beat an element loop; otherwise the pure-TypeScript kernel runs.
 */
export const concat: Kernel<{ readonly axis: number }> = (inputs, attrs, out) => {
  const { shape, dtype } = out[0];
  const axis = attrs.axis;
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let rowOut = 1;
  for (let i = axis; i < shape.length; i++) rowOut *= shape[i];
  const minRow = outer === 1 ? 0 : THRESHOLDS.concatRow;
  for (const X of inputs) {
    if (X.dtype !== dtype || (X.size > 0 && X.size / outer < minRow)) {
      return jsConcat(inputs, attrs, out);
    }
  }
  const y = freshArray(dtype, outer * rowOut);
  let col = 0;
  for (const X of inputs) {
    const x = X.values();
    const row = x.length / (outer || 1);
    if (outer === 1) y.set(x, col);
    else if (row > 0) {
      for (let o = 0; o < outer; o++) {
        y.set(x.subarray(o * row, (o + 1) * row), o * rowOut + col);
      }
    }
    col += row;
  }
  return y;
};

// ---- reductions -------------------------------------------------------------------------------

interface ReduceAttrs {
  readonly axes: readonly number[];
}

const REDUCE = { Sum: 0, Prod: 1, Max: 2, Min: 3 } as const;

/**
 * [outer, reduced, inner] sizes when the reduced axes (ignoring size-1 axes) form one contiguous
 * run, else null.
 */
export function reductionView(
  shape: readonly number[],
  axes: readonly number[],
): [number, number, number] | null {
  let outer = 1;
  let red = 1;
  let inner = 1;
  let phase = 0; // 0: before the reduced run, 1: inside it, 2: after it
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    const reduced = axes.includes(i);
    if (d === 1) continue;
    if (reduced) {
      if (phase === 2) return null;
      phase = 1;
      red *= d;
    } else if (phase === 0) outer *= d;
    else {
      phase = 2;
      inner *= d;
    }
  }
  return [outer, red, inner];
}

function reduceKernel(name: keyof typeof REDUCE): Kernel<ReduceAttrs> {
  const js = fallback(name) as Kernel<ReduceAttrs>;
  const op = REDUCE[name];
  return (inputs, attrs, out: readonly Aval[]): TypedArray => {
    const x = inputs[0];
    const rt = runtimeFor(inputs, x.size, THRESHOLDS.reduce);
    const view = rt === null ? null : reductionView(x.shape, attrs.axes);
    if (rt === null || view === null) return js(inputs, attrs, out);
    const [outer, red, inner] = view;
    rt.reset();
    const px = rt.copyInF32(x.values() as Float32Array);
    const py = rt.alloc(outer * inner * 4);
    const acc = rt.alloc(inner * 8 + 16);
    rt.exports.reduceF32(op, px, py, outer, red, inner, acc);
    return rt.copyOutF32(py, outer * inner);
  };
}

/** The kernels in WebAssembly, by primitive name. */
const kernels: Partial<Kernels> = {
  BatchMatMulV2: batchMatMul,
  Conv2D: conv2d,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  Neg: unaryKernel('Neg', elementwiseMin),
  Abs: unaryKernel('Abs', elementwiseMin),
  Square: unaryKernel('Square', elementwiseMin),
  Sqrt: unaryKernel('Sqrt', elementwiseMin),
  Relu: unaryKernel('Relu', elementwiseMin),
  Reciprocal: unaryKernel('Reciprocal', elementwiseMin),
  Floor: unaryKernel('Floor', elementwiseMin),
  Ceil: unaryKernel('Ceil', elementwiseMin),
  Round: unaryKernel('Round', elementwiseMin),
  Sign: unaryKernel('Sign', elementwiseMin),
  Exp: unaryKernel('Exp', transcendentalMin),
  Log: unaryKernel('Log', transcendentalMin),
  Tanh: unaryKernel('Tanh', transcendentalMin),
  Sigmoid: unaryKernel('Sigmoid', transcendentalMin),
  Sin: unaryKernel('Sin', transcendentalMin),
  Cos: unaryKernel('Cos', transcendentalMin),
  AddV2: binaryKernel('AddV2'),
  Sub: binaryKernel('Sub'),
  Mul: binaryKernel('Mul'),
  RealDiv: binaryKernel('RealDiv'),
  Maximum: binaryKernel('Maximum'),
  Minimum: binaryKernel('Minimum'),
  TanhGrad: binaryKernel('TanhGrad'),
  SigmoidGrad: binaryKernel('SigmoidGrad'),
  ReluGrad: binaryKernel('ReluGrad'),
  Greater: compareKernel('Greater'),
  GreaterEqual: compareKernel('GreaterEqual'),
  Less: compareKernel('Less'),
  LessEqual: compareKernel('LessEqual'),
  Equal: compareKernel('Equal'),
  NotEqual: compareKernel('NotEqual'),
  Transpose: transpose,
  BroadcastTo: broadcastTo,
  Slice: slice,
  ConcatV2: concat,
  Sum: reduceKernel('Sum'),
  Prod: reduceKernel('Prod'),
  Max: reduceKernel('Max'),
  Min: reduceKernel('Min'),
};

/**
 * Each kernel falls back to the pure-TypeScript one when the module's memory cannot grow enough
 * (a RangeError from WebAssembly.Memory.grow): the result is then merely slower.
 */
function withFallback(name: keyof Kernels, k: Kernel): Kernel {
  const js = fallback(name);
  return (inputs, attrs, out) => {
    try {
      return k(inputs, attrs, out);
    } catch (e) {
      if (e instanceof RangeError && /memory/i.test(e.message)) return js(inputs, attrs, out);
      throw e;
    }
  };
}

/** The kernels this backend implements; the others fall back to the pure-TypeScript backend. */
export const wasmKernels: Partial<Kernels> = Object.fromEntries(
  Object.entries(kernels).map(([name, k]) => [
    name,
    withFallback(name as keyof Kernels, k as Kernel),
  ]),
);
