// Indexing primitives: GatherV2 and its transpose UnsortedSegmentSum, OneHot, and StridedSlice
// (TF's full begin/end/strides/mask semantics) with its transpose StridedSliceGrad. Each pair's
// rules are each other, so every order of derivative works.

import { kernel } from '../backend/backend.js';
import type { GatherAttrs, OneHotAttrs, StridedSliceAttrs } from '../backend/js/indexing.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { checkDType, type DType } from '../dtype.js';
import { checkShape, normalizeAxis, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { add, greaterEqual, mul, where } from './elementwise.js';
import { checkDtype, moveAxis } from './helpers.js';
import { broadcastTo, expandDims, reshape, transpose } from './shape.js';

const INT = ['int32'] as const;

function describeShape(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** Every argument with its batch axis first; unbatched ones broadcast along a new one. */
function batchAllFirst(args: readonly Tensor[], axes: readonly (number | null)[]): Tensor[] {
  const i0 = axes.findIndex((a) => a !== null);
  const size = args[i0].shape[axes[i0]!];
  return args.map((x, i) =>
    axes[i] === null ? broadcastTo(expandDims(x, 0), [size, ...x.shape]) : moveAxis(x, axes[i]!, 0),
  );
}

// ---- GatherV2 -----------------------------------------------------------------------------------

const GatherV2: Primitive<GatherAttrs> = declarePrimitive<GatherAttrs>({
  name: 'GatherV2',
  impl: (inputs, attrs) => {
    const [x, indices] = inputs;
    const { axis, batchDims } = attrs;
    checkDtype('gather', 'indices', indices.dtype, INT);
    for (let i = 0; i < batchDims; i++) {
      if (x.shape[i] !== indices.shape[i]) {
        throw new RangeError(
          `gather: with batchDims ${batchDims}, x ${describeShape(x.shape)} and indices ${describeShape(indices.shape)} must agree on their first ${batchDims} dimensions`,
        );
      }
    }
    const n = x.shape[axis];
    const idx = indices.values();
    for (let i = 0; i < idx.length; i++) {
      if (idx[i] < 0 || idx[i] >= n) {
        throw new RangeError(`gather: indices[${i}] = ${idx[i]} is not in [0, ${n})`);
      }
    }
    const shape = [
      ...x.shape.slice(0, axis),
      ...indices.shape.slice(batchDims),
      ...x.shape.slice(axis + 1),
    ];
    return [
      new Tensor(kernel('GatherV2')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars) => [gatherTranspose(yBars[0]!, op.inputs[1], op.inputs[0].shape, op.attrs)],
  jvp: (op, xDots) => [
    xDots[0] === null ? null : bind1(GatherV2, [xDots[0], op.inputs[1]], op.attrs),
  ],
  batch: (args, axes, attrs) => {
    const [x, indices] = args;
    if (axes[1] === null && attrs.batchDims === 0) {
      // Only x is batched: gather along the shifted axis.
      const xb = moveAxis(x, axes[0]!, 0);
      return [[bind1(GatherV2, [xb, indices], { axis: attrs.axis + 1, batchDims: 0 })], [0]];
    }
    if (axes[0] === null && attrs.batchDims === 0) {
      // Only the indices are batched: the batch axis lands where the indices' axes go.
      const ib = moveAxis(indices, axes[1]!, 0);
      return [[bind1(GatherV2, [x, ib], attrs)], [attrs.axis]];
    }
    const [xb, ib] = batchAllFirst(args, axes);
    return [
      [bind1(GatherV2, [xb, ib], { axis: attrs.axis + 1, batchDims: attrs.batchDims + 1 })],
      [0],
    ];
  },
});

/**
 * The transpose of gather: scatters `yBar` (shape B ++ P ++ I ++ Q) back into zeros of
 * `xShape` (B ++ P ++ [A] ++ Q), adding where indices repeat. Batch dimensions become part of the
 * segment id, so one UnsortedSegmentSum does it.
 */
function gatherTranspose(
  yBar: Tensor,
  indices: Tensor,
  xShape: readonly number[],
  attrs: GatherAttrs,
): Tensor {
  const { axis, batchDims } = attrs;
  const B = xShape.slice(0, batchDims);
  const P = xShape.slice(batchDims, axis);
  const A = xShape[axis];
  const Q = xShape.slice(axis + 1);
  const I = indices.shape.slice(batchDims);
  const nB = sizeOf(B);
  const nI = sizeOf(I);
  // yBar: B ++ P ++ I ++ Q  ->  B ++ I ++ P ++ Q  ->  [nB·nI, nP, nQ]
  const nb = B.length;
  const np = P.length;
  const ni = I.length;
  const range = (from: number, n: number) => Array.from({ length: n }, (_, k) => from + k);
  const perm = [
    ...range(0, nb),
    ...range(nb + np, ni),
    ...range(nb, np),
    ...range(nb + np + ni, Q.length),
  ];
  const rows = reshape(transpose(yBar, perm), [nB * nI, sizeOf(P), sizeOf(Q)]);
  // Segment of (b, i): b·A + indices[b, i].
  const offsets = reshape(mul(tensorRange(nB, indices.dtype), A), [
    nB,
    ...new Array<number>(ni).fill(1),
  ]);
  const ids = reshape(add(reshape(indices, [nB, ...I]), offsets), [nB * nI]);
  const summed = unsortedSegmentSum(rows, ids, nB * A); // [nB·A, nP, nQ]
  // -> B ++ [A] ++ P ++ Q  ->  B ++ P ++ [A] ++ Q
  const unflat = reshape(summed, [...B, A, ...P, ...Q]);
  const back = [...range(0, nb), ...range(nb + 1, np), nb, ...range(nb + 1 + np, Q.length)];
  return transpose(unflat, back);
}

/** [0, 1, ..., n-1] as a constant. */
function tensorRange(n: number, dtype: DType): Tensor {
  const t = new Tensor(kernel('Fill')([], { value: 0 }, [{ shape: [n], dtype }]), [n], dtype);
  const d = t.values();
  for (let i = 0; i < n; i++) d[i] = i;
  return t;
}

/**
 * Gathers slices of `x` along `axis` at `indices` (int32, each in [0, x.shape[axis])): the
 * result has shape `x.shape[:axis] ++ indices.shape[batchDims:] ++ x.shape[axis+1:]`. With
 * `batchDims` b, the first b dimensions of `x` and `indices` are batch dimensions gathered in
 * lockstep. Gradients flow into `x` (repeated indices add up).
 *
 * @example
 * tt.gather([10, 20, 30], [2, 0]).array(); // [30, 10]
 * tt.gather([[1, 2], [3, 4]], [1], 1).array(); // [[2], [4]]
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  const where = 'gather';
  const t = convert(x, undefined, where);
  const i = convert(indices, 'int32', `${where} (indices)`);
  checkDtype(where, 'indices', i.dtype, INT);
  const b = batchDims < 0 ? batchDims + i.rank : batchDims;
  if (!Number.isInteger(b) || b < 0 || b > i.rank || b > t.rank) {
    throw new RangeError(
      `${where}: batchDims ${batchDims} is out of range for indices of rank ${i.rank} and x of rank ${t.rank}`,
    );
  }
  if (t.rank === 0) throw new RangeError(`${where}: x must have rank >= 1, got a scalar`);
  const a = normalizeAxis(axis, t.rank, where);
  if (a < b) {
    throw new RangeError(`${where}: axis ${axis} must not be less than batchDims ${batchDims}`);
  }
  return bind1(GatherV2, [t, i], { axis: a, batchDims: b });
}

// ---- UnsortedSegmentSum -------------------------------------------------------------------------

interface SegmentAttrs {
  readonly numSegments: number;
}

const UnsortedSegmentSum: Primitive<SegmentAttrs> = declarePrimitive<SegmentAttrs>({
  name: 'UnsortedSegmentSum',
  impl: (inputs, attrs) => {
    const [data, ids] = inputs;
    checkDtype('unsortedSegmentSum', 'segmentIds', ids.dtype, INT);
    checkDtype('unsortedSegmentSum', 'data', data.dtype, ['float32', 'float64', 'int32']);
    if (ids.rank > data.rank || ids.shape.some((d, i) => d !== data.shape[i])) {
      throw new RangeError(
        `unsortedSegmentSum: segmentIds shape ${describeShape(ids.shape)} must be a prefix of data shape ${describeShape(data.shape)}`,
      );
    }
    const v = ids.values();
    for (let i = 0; i < v.length; i++) {
      if (v[i] >= attrs.numSegments) {
        throw new RangeError(
          `unsortedSegmentSum: segmentIds[${i}] = ${v[i]} is out of range [0, ${attrs.numSegments})`,
        );
      }
    }
    const shape = [attrs.numSegments, ...data.shape.slice(ids.rank)];
    return [
      new Tensor(
        kernel('UnsortedSegmentSum')(inputs, attrs, [{ shape, dtype: data.dtype }]),
        shape,
        data.dtype,
      ),
    ];
  },
  // The transpose is a gather that reads 0 for dropped (negative) ids.
  vjp: (op, yBars) => [gatherDropNegatives(yBars[0]!, op.inputs[1])],
  jvp: (op, xDots) => [
    xDots[0] === null ? null : bind1(UnsortedSegmentSum, [xDots[0], op.inputs[1]], op.attrs),
  ],
  batch: (args, axes, attrs) => {
    const [data, ids] = args;
    if (axes[1] === null) {
      // Only data is batched: put its batch axis right after the segmented ones.
      const d = moveAxis(data, axes[0]!, ids.rank);
      return [[bind1(UnsortedSegmentSum, [d, ids], attrs)], [1]];
    }
    // Batched ids: example b uses segments [b·n, (b+1)·n) of one sum of size·n segments.
    const [d, s] = batchAllFirst(args, axes);
    const size = s.shape[0];
    const n = attrs.numSegments;
    const offsets = reshape(mul(tensorRange(size, s.dtype), n), [
      size,
      ...new Array<number>(s.rank - 1).fill(1),
    ]);
    const shifted = where(greaterEqual(s, 0), add(s, offsets), s);
    const summed = bind1(UnsortedSegmentSum, [d, shifted], { numSegments: size * n });
    return [[reshape(summed, [size, n, ...summed.shape.slice(1)])], [0]];
  },
});

function gatherDropNegatives(x: Tensor, ids: Tensor): Tensor {
  const valid = greaterEqual(ids, 0);
  const safe = where(valid, ids, zerosInt(ids.shape));
  const g = bind1(GatherV2, [x, safe], { axis: 0, batchDims: 0 });
  const mask = reshape(valid, [...valid.shape, ...new Array<number>(g.rank - valid.rank).fill(1)]);
  return mul(g, cast(mask, g.dtype));
}

function zerosInt(shape: number[]): Tensor {
  return new Tensor(
    kernel('Fill')([], { value: 0 }, [{ shape, dtype: 'int32' }]),
    shape.slice(),
    'int32',
  );
}

/**
 * Sums the rows of `data` that share a segment id: `out[k] = Σ_{ids[i] = k} data[i]`, for
 * `segmentIds` (int32, shape a prefix of data's) below `numSegments`; negative ids are dropped.
 *
 * @example
 * tt.math.unsortedSegmentSum([1, 2, 3], [0, 1, 0], 2).array(); // [4, 2]
 */
export function unsortedSegmentSum(
  data: TensorLike,
  segmentIds: TensorLike,
  numSegments: number,
): Tensor {
  const where_ = 'unsortedSegmentSum';
  const d = convert(data, undefined, where_, 'data');
  const s = convert(segmentIds, 'int32', where_, 'segmentIds');
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new RangeError(
      `${where_}: numSegments must be a non-negative integer, got ${String(numSegments)}`,
    );
  }
  checkShape([numSegments, ...d.shape.slice(s.rank)], where_);
  return bind1(UnsortedSegmentSum, [d, s], { numSegments });
}

// ---- OneHot -------------------------------------------------------------------------------------

const OneHot: Primitive<OneHotAttrs & { dtype: DType }> = declarePrimitive({
  name: 'OneHot',
  impl: (inputs, attrs) => {
    const i = inputs[0];
    checkDtype('oneHot', 'indices', i.dtype, INT);
    const shape = i.shape.slice();
    shape.splice(attrs.axis, 0, attrs.depth);
    return [
      new Tensor(
        kernel('OneHot')(inputs, attrs, [{ shape, dtype: attrs.dtype }]),
        shape,
        attrs.dtype,
      ),
    ];
  },
  vjp: null,
  jvp: null,
  batch: (args, axes, attrs) => [
    [bind1(OneHot, [moveAxis(args[0], axes[0]!, 0)], { ...attrs, axis: attrs.axis + 1 })],
    [0],
  ],
  nonDifferentiable: true,
});

export interface OneHotOptions {
  /** Value where the index matches (default 1). */
  onValue?: number;
  /** Value elsewhere (default 0). */
  offValue?: number;
  /** Output dtype (default float32). */
  dtype?: DType;
  /** Where the new axis goes (default -1: last). */
  axis?: number;
}

/**
 * One-hot encoding: a new axis of length `depth` holding `onValue` at each index and `offValue`
 * elsewhere (indices outside [0, depth) give a row of `offValue`).
 *
 * @example
 * tt.oneHot([0, 2], 3).array(); // [[1, 0, 0], [0, 0, 1]]
 */
export function oneHot(indices: TensorLike, depth: number, options: OneHotOptions = {}): Tensor {
  const where_ = 'oneHot';
  const i = convert(indices, 'int32', `${where_} (indices)`);
  checkDtype(where_, 'indices', i.dtype, INT);
  if (!Number.isInteger(depth) || depth < 0) {
    throw new RangeError(`${where_}: depth must be a non-negative integer, got ${String(depth)}`);
  }
  const dtype = checkDType(options.dtype ?? 'float32', where_);
  const onValue = options.onValue ?? 1;
  const offValue = options.offValue ?? 0;
  for (const [k, v] of [
    ['onValue', onValue],
    ['offValue', offValue],
  ] as const) {
    if (typeof v !== 'number') throw new TypeError(`${where_}: ${k} must be a number`);
    if (dtype === 'int32' && !Number.isInteger(v))
      throw new TypeError(`${where_}: ${k} ${v} cannot be int32 without loss`);
    if (dtype === 'bool' && v !== 0 && v !== 1)
      throw new TypeError(`${where_}: ${k} ${v} cannot be bool`);
  }
  const axis = normalizeAxis(options.axis ?? -1, i.rank + 1, where_);
  checkShape([...i.shape, depth], where_);
  return bind1(OneHot, [i], { depth, axis, onValue, offValue, dtype });
}

// ---- StridedSlice -------------------------------------------------------------------------------

interface SliceSpecAttrs extends StridedSliceAttrs {
  /** The output's shape (size with shrunk axes removed and new axes inserted). */
  readonly shape: number[];
  /** The sliced tensor's shape (StridedSliceGrad's output). */
  readonly inputShape: number[];
}

const StridedSlice: Primitive<SliceSpecAttrs> = declarePrimitive<SliceSpecAttrs>({
  name: 'StridedSlice',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return [
      new Tensor(
        kernel('StridedSlice')(inputs, attrs, [{ shape: attrs.shape, dtype: x.dtype }]),
        attrs.shape.slice(),
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars) => [bind1(StridedSliceGrad, [yBars[0]!], op.attrs)],
  jvp: (op, xDots) => [xDots[0] === null ? null : bind1(StridedSlice, [xDots[0]], op.attrs)],
  batch: (args, axes, attrs) => [
    [
      bind1(
        StridedSlice,
        [moveAxis(args[0], axes[0]!, 0)],
        batchSpec(attrs, args[0].shape[axes[0]!]),
      ),
    ],
    [0],
  ],
});

/** The transpose of StridedSlice: the slice written into zeros of the input's shape. */
const StridedSliceGrad: Primitive<SliceSpecAttrs> = declarePrimitive<SliceSpecAttrs>({
  name: 'StridedSliceGrad',
  impl: (inputs, attrs) => {
    const g = inputs[0];
    return [
      new Tensor(
        kernel('StridedSliceGrad')(inputs, attrs, [{ shape: attrs.inputShape, dtype: g.dtype }]),
        attrs.inputShape.slice(),
        g.dtype,
      ),
    ];
  },
  vjp: (op, yBars) => [bind1(StridedSlice, [yBars[0]!], op.attrs)],
  jvp: (op, xDots) => [xDots[0] === null ? null : bind1(StridedSliceGrad, [xDots[0]], op.attrs)],
  batch: (args, axes, attrs) => [
    [
      bind1(
        StridedSliceGrad,
        [moveAxis(args[0], axes[0]!, 0)],
        batchSpec(attrs, args[0].shape[axes[0]!]),
      ),
    ],
    [0],
  ],
});

/** The same slice with a leading batch axis taken whole. */
function batchSpec(attrs: SliceSpecAttrs, size: number): SliceSpecAttrs {
  return {
    begin: [0, ...attrs.begin],
    strides: [1, ...attrs.strides],
    size: [size, ...attrs.size],
    shape: [size, ...attrs.shape],
    inputShape: [size, ...attrs.inputShape],
  };
}

/** The masks of TF's strided_slice, bit i for entry i of begin/end/strides. */
export interface StridedSliceMasks {
  beginMask?: number;
  endMask?: number;
  ellipsisMask?: number;
  newAxisMask?: number;
  shrinkAxisMask?: number;
}

/**
 * Resolves TF's sparse slice spec (begin/end/strides with masks, at most one ellipsis) against a
 * shape into one (begin, stride, size) per axis and the output shape, following TF's
 * ValidateStridedSliceOp: out-of-range bounds clamp, a shrunk index must be in range.
 */
function resolveStridedSlice(
  shape: readonly number[],
  begin: readonly number[],
  end: readonly number[],
  strides: readonly number[],
  masks: Required<StridedSliceMasks>,
  where: string,
): SliceSpecAttrs {
  const n = begin.length;
  if (end.length !== n || strides.length !== n) {
    throw new RangeError(
      `${where}: begin, end and strides must have the same length, got ${begin.length}, ${end.length} and ${strides.length}`,
    );
  }
  const { beginMask, endMask, newAxisMask, shrinkAxisMask } = masks;
  let ellipsisMask = masks.ellipsisMask;
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0) {
    throw new RangeError(`${where}: multiple ellipses in slice spec are not allowed`);
  }
  // Count new axes after the ellipsis; without an ellipsis, one is implied at the end.
  let sparseDims = n;
  let seen = false;
  let newAfterEllipsis = 0;
  for (let i = 0; i < n; i++) {
    if (seen && (newAxisMask >> i) & 1) newAfterEllipsis++;
    if ((ellipsisMask >> i) & 1) seen = true;
  }
  if (!seen) {
    ellipsisMask |= 1 << n;
    sparseDims++;
  }
  const rank = shape.length;
  // Dense spec: one entry per input axis.
  const dBegin = new Array<number>(rank).fill(0);
  const dEnd = new Array<number>(rank).fill(0);
  const dStride = new Array<number>(rank).fill(1);
  const dBeginMasked = new Array<boolean>(rank).fill(false);
  const dEndMasked = new Array<boolean>(rank).fill(false);
  const dShrink = new Array<boolean>(rank).fill(false);
  // Final shape recipe: an input axis, or -1 for a new axis (shrunk axes are left out).
  const finalFrom: number[] = [];
  let full = 0;
  for (let i = 0; i < sparseDims; i++) {
    if ((ellipsisMask >> i) & 1) {
      const next = Math.min(rank - (sparseDims - i) + 1 + newAfterEllipsis, rank);
      for (; full < next; full++) {
        dBeginMasked[full] = true;
        dEndMasked[full] = true;
        finalFrom.push(full);
      }
    } else if ((newAxisMask >> i) & 1) {
      finalFrom.push(-1);
    } else {
      if (full === rank) {
        throw new RangeError(
          `${where}: index ${i} of the slice spec is out of range for a tensor of rank ${rank} (shape ${describeShape(shape)})`,
        );
      }
      for (const [k, v] of [
        ['begin', begin[i]],
        ['end', end[i]],
        ['strides', strides[i]],
      ] as const) {
        if (!Number.isInteger(v)) {
          throw new TypeError(`${where}: ${k}[${i}] must be an integer, got ${String(v)}`);
        }
      }
      dBegin[full] = begin[i];
      dEnd[full] = end[i];
      dStride[full] = strides[i];
      dBeginMasked[full] = ((beginMask >> i) & 1) === 1;
      dEndMasked[full] = ((endMask >> i) & 1) === 1;
      if ((shrinkAxisMask >> i) & 1) dShrink[full] = true;
      else finalFrom.push(full);
      full++;
    }
  }
  const outBegin: number[] = [];
  const outSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = shape[i];
    const s = dStride[i];
    if (s === 0) throw new RangeError(`${where}: strides[${i}] must be non-zero`);
    let b: number;
    let e: number;
    if (dShrink[i]) {
      if (s <= 0) {
        throw new RangeError(`${where}: only stride 1 is allowed on an index (axis ${i})`);
      }
      b = dBegin[i] < 0 ? d + dBegin[i] : dBegin[i];
      if (b < 0 || b >= d) {
        throw new RangeError(
          `${where}: index ${dBegin[i]} is out of bounds for axis ${i} of length ${d}`,
        );
      }
      e = b + 1;
    } else {
      const lo = s > 0 ? 0 : -1;
      const hi = s > 0 ? d : d - 1;
      const canonical = (x: number, masked: boolean, isEnd: boolean): number => {
        if (masked) return s > 0 === !isEnd ? lo : hi;
        const fwd = x < 0 ? d + x : x;
        return fwd < lo ? lo : fwd > hi ? hi : fwd;
      };
      b = canonical(dBegin[i], dBeginMasked[i], false);
      e = canonical(dEnd[i], dEndMasked[i], true);
    }
    const len = e - b;
    const size = len === 0 || len < 0 !== s < 0 ? 0 : Math.floor(len / s) + (len % s !== 0 ? 1 : 0);
    outBegin.push(b);
    outSize.push(size);
  }
  return {
    begin: outBegin,
    strides: dStride,
    size: outSize,
    shape: finalFrom.map((a) => (a < 0 ? 1 : outSize[a])),
    inputShape: shape.slice(),
  };
}

function applyStridedSlice(x: Tensor, attrs: SliceSpecAttrs): Tensor {
  return bind1(StridedSlice, [x], attrs);
}

/**
 * TF's strided slice, in tfjs's argument order: for each entry i, elements `begin[i]`,
 * `begin[i] + strides[i]`, ... before `end[i]` (negative values count from the end; out-of-range
 * bounds clamp), with TF's masks: `beginMask`/`endMask` bits ignore begin/end, `ellipsisMask`
 * marks one entry standing for all remaining axes, `newAxisMask` inserts a length-1 axis,
 * `shrinkAxisMask` takes the single index `begin[i]` and drops the axis.
 *
 * @example
 * tt.stridedSlice([0, 1, 2, 3, 4], [1], [5], [2]).array(); // [1, 3]
 * tt.stridedSlice([[1, 2], [3, 4]], [0, 1], [2, 2], [1, 1], 0, 0, 0, 0, 2).array(); // [2, 4]
 */
export function stridedSlice(
  x: TensorLike,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor {
  const where_ = 'stridedSlice';
  const t = convert(x, undefined, where_);
  if (!Array.isArray(begin) || !Array.isArray(end)) {
    throw new TypeError(`${where_}: begin and end must be arrays of integers`);
  }
  const s = strides ?? new Array<number>(begin.length).fill(1);
  for (const [k, m] of Object.entries({
    beginMask,
    endMask,
    ellipsisMask,
    newAxisMask,
    shrinkAxisMask,
  })) {
    if (!Number.isInteger(m) || m < 0) {
      throw new TypeError(
        `${where_}: ${k} must be a non-negative integer bit mask, got ${String(m)}`,
      );
    }
  }
  const attrs = resolveStridedSlice(
    t.shape,
    begin,
    end,
    s,
    { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask },
    where_,
  );
  return applyStridedSlice(t, attrs);
}

/** One entry of `x.index(...)`. */
export type IndexEntry = number | null | string;

const SLICE_RE = /^\s*(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?$/;

/**
 * NumPy-style indexing, one entry per leading axis: an integer (negative from the end) takes that
 * index and drops the axis, `null` keeps the whole axis, a string slice `'start:stop:step'` (any
 * part may be empty) slices it, `'...'` stands for all the axes it skips, and `'newaxis'` inserts
 * a length-1 axis. Remaining axes are kept whole. Recorded as one StridedSlice, as in TF.
 *
 * @example
 * const j = tt.zeros([2, 3, 4, 5]);
 * j.index(null, 0, null, 0).shape; // [2, 4]   (j[:, 0, :, 0])
 * tt.tensor([1, 2, 3, 4]).index('::-1').array(); // [4, 3, 2, 1]
 */
export function index(x: TensorLike, ...entries: IndexEntry[]): Tensor {
  const where_ = 'index';
  const t = convert(x, undefined, where_);
  const begin: number[] = [];
  const end: number[] = [];
  const strides: number[] = [];
  let beginMask = 0;
  let endMask = 0;
  let ellipsisMask = 0;
  let newAxisMask = 0;
  let shrinkAxisMask = 0;
  entries.forEach((e, i) => {
    const bit = 1 << i;
    let b = 0;
    let en = 0;
    let s = 1;
    if (e === null || e === undefined) {
      beginMask |= bit;
      endMask |= bit;
    } else if (typeof e === 'number') {
      if (!Number.isInteger(e)) {
        throw new TypeError(
          `${where_}: entry ${i} must be an integer, null or a slice string, got ${e}`,
        );
      }
      b = e;
      en = e + 1;
      shrinkAxisMask |= bit;
    } else if (e === '...') {
      if (ellipsisMask !== 0) throw new RangeError(`${where_}: at most one '...' is allowed`);
      ellipsisMask |= bit;
    } else if (e === 'newaxis') {
      newAxisMask |= bit;
    } else if (typeof e === 'string' && SLICE_RE.test(e)) {
      const [, start, stop, step] = SLICE_RE.exec(e)!;
      s = step === undefined ? 1 : Number(step);
      if (s === 0) throw new RangeError(`${where_}: slice ${JSON.stringify(e)} has step 0`);
      if (start === undefined) beginMask |= bit;
      else b = Number(start);
      if (stop === undefined) endMask |= bit;
      else en = Number(stop);
    } else {
      throw new TypeError(
        `${where_}: entry ${i} must be an integer, null, a slice string such as '1:3' or '::-1', '...' or 'newaxis', got ${JSON.stringify(e)}`,
      );
    }
    begin.push(b);
    end.push(en);
    strides.push(s);
  });
  const counted = entries.filter((e) => e !== '...' && e !== 'newaxis').length;
  if (ellipsisMask === 0 && counted > t.rank) {
    throw new RangeError(
      `${where_}: ${counted} indices given for a tensor of rank ${t.rank} (shape ${describeShape(t.shape)})`,
    );
  }
  const attrs = resolveStridedSlice(
    t.shape,
    begin,
    end,
    strides,
    { beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask },
    where_,
  );
  return applyStridedSlice(t, attrs);
}
