// Shape primitives: Reshape, ExpandDims, Squeeze, Transpose, BroadcastTo, Slice, Pad/PadV2, ConcatV2,
// Pack, Unpack, Split/SplitV, Tile and ReverseV2, each with its rules and batching rule.

import { kernel } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind, bind1 } from '../core/stack.js';
import {
  broadcastShapes,
  checkShape,
  normalizeAxes,
  normalizeAxis,
  shapesEqual,
  sizeOf,
} from '../shape.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import { moveAxis } from './helpers.js';
import { sum, sumToShape } from './reduce.js';

interface ReshapeAttrs {
  readonly shape: number[];
}

const Reshape: Primitive<ReshapeAttrs> = declarePrimitive<ReshapeAttrs>({
  name: 'Reshape',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return [
      new Tensor(
        kernel('Reshape')(inputs, attrs, [{ shape: attrs.shape, dtype: x.dtype }]),
        attrs.shape,
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars) => [reshape(yBars[0]!, op.inputs[0].shape)],
  jvp: (op, xDots) => [xDots[0] === null ? null : reshape(xDots[0], op.attrs.shape)],
  batch: (args, axes, attrs) => {
    const x = args[0];
    const b = axes[0]!;
    const n = x.shape[b];
    const from = x.shape.filter((_, i) => i !== b);
    const to = attrs.shape;
    // The batch axis stays put when the axes on one side of it keep their shape.
    if (from.slice(0, b).every((d, i) => to[i] === d) && b <= to.length)
      return [[reshape(x, [...to.slice(0, b), n, ...to.slice(b)])], [b]];
    const after = from.length - b;
    const at = to.length - after;
    if (at >= 0 && from.slice(b).every((d, i) => to[at + i] === d))
      return [[reshape(x, [...to.slice(0, at), n, ...to.slice(at)])], [at]];
    return [[reshape(moveAxis(x, b, 0), [n, ...to])], [0]];
  },
});

/** Resolves one -1 entry and checks the element count. */
function resolveShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  const where = 'reshape';
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of integers`);
  const unknown = shape.indexOf(-1);
  if (unknown >= 0 && shape.indexOf(-1, unknown + 1) >= 0) {
    throw new RangeError(`${where}: at most one dimension may be -1, got [${shape.join(', ')}]`);
  }
  if (unknown >= 0) {
    const known = shape.filter((_, i) => i !== unknown);
    checkShape(known, where);
    const rest = sizeOf(known);
    if (rest === 0 || size % rest !== 0) {
      throw new RangeError(
        `${where}: cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}]`,
      );
    }
    const out = shape.slice();
    out[unknown] = size / rest;
    return out;
  }
  const out = checkShape(shape, where);
  if (sizeOf(out) !== size) {
    throw new RangeError(
      `${where}: cannot reshape [${from.join(', ')}] (${size} elements) to [${shape.join(', ')}] (${sizeOf(out)} elements)`,
    );
  }
  return out;
}

/**
 * The same elements in a new shape (one dimension may be -1).
 * The same elements in a new shape (one dimension may be -1).
 *
 * @example
 * tt.reshape([1, 2, 3, 4], [2, -1]).array(); // [[1, 2], [3, 4]]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, undefined, 'reshape');
  const s = resolveShape(shape, t.size, t.shape);
  if (shapesEqual(s, t.shape)) return t;
  return bind1(Reshape, [t], { shape: s });
}

interface ExpandDimsAttrs {
  /** Position of the new axis in the output (non-negative). */
  readonly axis: number;
}

/** Inserts a length-1 axis: a reshape TF records as its own op type. */
const ExpandDims: Primitive<ExpandDimsAttrs> = declarePrimitive<ExpandDimsAttrs>({
  name: 'ExpandDims',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    const shape = x.shape.slice();
    shape.splice(attrs.axis, 0, 1);
    return [
      new Tensor(kernel('Reshape')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars) => [reshape(yBars[0]!, op.inputs[0].shape)],
  jvp: (op, xDots) => [xDots[0] === null ? null : expandDims(xDots[0], op.attrs.axis)],
  batch: (args, axes, attrs) => [
    [bind1(ExpandDims, [moveAxis(args[0], axes[0]!, 0)], { axis: attrs.axis + 1 })],
    [0],
  ],
});

/**
 * Inserts a length-1 axis at `axis` (negative counts from the end of the result).
 *
 * @example
 * tt.expandDims([1, 2], 1).shape; // [2, 1]
 */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, undefined, 'expandDims');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  return bind1(ExpandDims, [t], { axis: a });
}

interface SqueezeAttrs {
  /** Sorted, non-negative, unique; each of length 1. */
  readonly axes: number[];
}

/** Removes length-1 axes: a reshape TF records as its own op type. */
const Squeeze: Primitive<SqueezeAttrs> = declarePrimitive<SqueezeAttrs>({
  name: 'Squeeze',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    const shape = x.shape.filter((_, i) => !attrs.axes.includes(i));
    return [
      new Tensor(kernel('Reshape')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars) => [reshape(yBars[0]!, op.inputs[0].shape)],
  jvp: (op, xDots) => [xDots[0] === null ? null : squeeze(xDots[0], op.attrs.axes)],
  batch: (args, axes, attrs) => [
    [bind1(Squeeze, [moveAxis(args[0], axes[0]!, 0)], { axes: attrs.axes.map((a) => a + 1) })],
    [0],
  ],
});

/**
 * Removes length-1 axes (all of them, or those listed; listing one of another length throws).
 *
 * @example
 * tt.squeeze(tt.zeros([1, 2, 1])).shape; // [2]
 */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = convert(x, undefined, 'squeeze');
  const axes =
    axis === undefined || axis === null
      ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : normalizeAxes(axis, t.rank, 'squeeze');
  for (const a of axes) {
    if (t.shape[a] !== 1)
      throw new RangeError(
        `squeeze: axis ${a} has length ${t.shape[a]}, expected 1 (shape [${t.shape.join(', ')}])`,
      );
  }
  if (axes.length === 0) return t;
  return bind1(Squeeze, [t], { axes });
}

interface TransposeAttrs {
  readonly perm: number[];
}

function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

const Transpose: Primitive<TransposeAttrs> = declarePrimitive<TransposeAttrs>({
  name: 'Transpose',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    const shape = attrs.perm.map((p) => x.shape[p]);
    return [
      new Tensor(kernel('Transpose')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars) => [transpose(yBars[0]!, invertPerm(op.attrs.perm))],
  jvp: (op, xDots) => [xDots[0] === null ? null : transpose(xDots[0], op.attrs.perm)],
  batch: (args, axes, attrs) => {
    // One transpose of the batched value, the batch axis staying where it is.
    const b = axes[0]!;
    const perm = attrs.perm.map((p) => (p < b ? p : p + 1));
    perm.splice(b, 0, b);
    return [[transpose(args[0], perm)], [b]];
  },
});

/**
 * Permutes the axes (default: reversed).
 * Permutes the axes (default: reversed).
 *
 * @example
 * tt.transpose([[1, 2, 3]]).shape; // [3, 1]
 */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = convert(x, undefined, 'transpose');
  const p =
    perm === undefined
      ? t.shape.map((_, i) => t.rank - 1 - i)
      : perm.map((a) => normalizeAxis(a, t.rank, 'transpose'));
  if (p.length !== t.rank || new Set(p).size !== p.length) {
    throw new RangeError(
      `transpose: perm [${perm?.join(', ')}] is not a permutation of the ${t.rank} axes of shape [${t.shape.join(', ')}]`,
    );
  }
  if (p.every((a, i) => a === i)) return t;
  return bind1(Transpose, [t], { perm: p });
}

interface BroadcastAttrs {
  readonly shape: number[];
}

const BroadcastTo: Primitive<BroadcastAttrs> = declarePrimitive<BroadcastAttrs>({
  name: 'BroadcastTo',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return [
      new Tensor(
        kernel('BroadcastTo')(inputs, attrs, [{ shape: attrs.shape, dtype: x.dtype }]),
        attrs.shape,
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars) => [sumToShape(yBars[0]!, op.inputs[0].shape)],
  jvp: (op, xDots) => [xDots[0] === null ? null : broadcastTo(xDots[0], op.attrs.shape)],
  batch: (args, axes, attrs) => {
    // New axes go in front, so the batch axis moves right by their number and stays in place.
    const x = args[0];
    const pad = attrs.shape.length - (x.rank - 1);
    const at = axes[0]! + pad;
    const aligned = pad === 0 ? x : reshape(x, [...new Array<number>(pad).fill(1), ...x.shape]);
    const shape = attrs.shape.slice();
    shape.splice(at, 0, x.shape[axes[0]!]);
    return [[broadcastTo(aligned, shape)], [at]];
  },
});

/**
 * Broadcasts to `shape` with NumPy's rules.
 * Broadcasts to `shape` with NumPy's rules.
 *
 * @example
 * tt.broadcastTo([1, 2], [2, 2]).array(); // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, undefined, 'broadcastTo');
  const s = checkShape(shape, 'broadcastTo');
  const b = broadcastShapes(t.shape, s);
  if (b === null || !shapesEqual(b, s)) {
    throw new RangeError(
      `broadcastTo: shape [${t.shape.join(', ')}] cannot be broadcast to [${s.join(', ')}]`,
    );
  }
  if (shapesEqual(t.shape, s)) return t;
  return bind1(BroadcastTo, [t], { shape: s });
}

// ---- slicing, padding and joining ---------------------------------------------------------------

interface SliceAttrs {
  readonly begin: number[];
  readonly size: number[];
}

const Slice: Primitive<SliceAttrs> = declarePrimitive<SliceAttrs>({
  name: 'Slice',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return [
      new Tensor(
        kernel('Slice')(inputs, attrs, [{ shape: attrs.size, dtype: x.dtype }]),
        attrs.size.slice(),
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars) => {
    const x = op.inputs[0];
    const { begin, size } = op.attrs;
    return [
      pad(
        yBars[0]!,
        x.shape.map((d, i) => [begin[i], d - begin[i] - size[i]] as [number, number]),
      ),
    ];
  },
  jvp: (op, xDots) => [xDots[0] === null ? null : slice(xDots[0], op.attrs.begin, op.attrs.size)],
  batch: (args, axes, attrs) => {
    const b = axes[0]!;
    const begin = attrs.begin.slice();
    const size = attrs.size.slice();
    begin.splice(b, 0, 0);
    size.splice(b, 0, args[0].shape[b]);
    return [[slice(args[0], begin, size)], [b]];
  },
});

/**
 * The box starting at `begin` with extent `size` (as in tfjs: a size of -1 runs to the end; a
 * number applies to the first axis).
 *
 * @example
 * tt.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [2, -1]).array(); // [[2, 3], [5, 6]]
 */
export function slice(
  x: TensorLike,
  begin: number | readonly number[],
  size?: number | readonly number[],
): Tensor {
  const t = convert(x, undefined, 'slice');
  const b =
    typeof begin === 'number'
      ? [begin, ...new Array<number>(Math.max(t.rank - 1, 0)).fill(0)]
      : begin.slice();
  while (b.length < t.rank) b.push(0);
  const s0 = size === undefined ? [] : typeof size === 'number' ? [size] : size.slice();
  const s = t.shape.map((d, i) => (s0[i] === undefined || s0[i] === -1 ? d - b[i] : s0[i]));
  if (b.length !== t.rank)
    throw new RangeError(
      `slice: begin [${b.join(', ')}] has more entries than the rank ${t.rank} of shape [${t.shape.join(', ')}]`,
    );
  for (let i = 0; i < t.rank; i++) {
    if (
      !Number.isInteger(b[i]) ||
      !Number.isInteger(s[i]) ||
      b[i] < 0 ||
      s[i] < 0 ||
      b[i] + s[i] > t.shape[i]
    ) {
      throw new RangeError(
        `slice: begin [${b.join(', ')}] and size [${s.join(', ')}] do not fit in shape [${t.shape.join(', ')}]`,
      );
    }
  }
  if (shapesEqual(s, t.shape)) return t;
  return bind1(Slice, [t], { begin: b, size: s });
}

interface PadAttrs {
  readonly paddings: [number, number][];
  readonly constantValue: number;
}

/** Pad (zeros) and PadV2 (any constant) share their rules; TF records the one it ran. */
function padPrimitive(name: 'Pad' | 'PadV2'): Primitive<PadAttrs> {
  const prim: Primitive<PadAttrs> = declarePrimitive<PadAttrs>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      const shape = x.shape.map((d, i) => d + attrs.paddings[i][0] + attrs.paddings[i][1]);
      return [
        new Tensor(kernel('PadV2')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
      ];
    },
    vjp: (op, yBars) => [
      slice(
        yBars[0]!,
        op.attrs.paddings.map((p) => p[0]),
        op.inputs[0].shape,
      ),
    ],
    jvp: (op, xDots) => [xDots[0] === null ? null : pad(xDots[0], op.attrs.paddings, 0)],
    batch: (args, axes, attrs) => {
      const paddings = attrs.paddings.slice();
      paddings.splice(axes[0]!, 0, [0, 0]);
      return [[pad(args[0], paddings, attrs.constantValue)], [axes[0]!]];
    },
  });
  return prim;
}

const Pad = padPrimitive('Pad');
const PadV2 = padPrimitive('PadV2');

/**
 * Pads each axis with `paddings[i] = [before, after]` copies of `constantValue` (recorded as
 * `Pad` for zeros and `PadV2` otherwise, as in TF).
 *
 * @example
 * tt.pad([1, 2], [[1, 0]]).array(); // [0, 1, 2]
 */
export function pad(
  x: TensorLike,
  paddings: readonly (readonly [number, number])[],
  constantValue = 0,
): Tensor {
  const t = convert(x, undefined, 'pad');
  if (!Array.isArray(paddings) || paddings.length !== t.rank) {
    throw new RangeError(
      `pad: paddings must have one [before, after] pair per axis (${t.rank} for shape [${t.shape.join(', ')}])`,
    );
  }
  const p = paddings.map((q) => {
    if (!Array.isArray(q) || q.length !== 2 || !q.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new RangeError(
        `pad: each padding must be a pair of non-negative integers, got ${JSON.stringify(q)}`,
      );
    }
    return [q[0], q[1]] as [number, number];
  });
  if (typeof constantValue !== 'number') {
    throw new TypeError(`pad: constantValue must be a number, got ${String(constantValue)}`);
  }
  if (t.dtype === 'int32' && !Number.isInteger(constantValue)) {
    throw new TypeError(`pad: constantValue ${constantValue} cannot be int32 without loss`);
  }
  checkShape(
    t.shape.map((d, i) => d + p[i][0] + p[i][1]),
    'pad (padded shape)',
  );
  if (p.every((q) => q[0] === 0 && q[1] === 0)) return t;
  return bind1(constantValue === 0 ? Pad : PadV2, [t], { paddings: p, constantValue });
}

interface ConcatAttrs {
  readonly axis: number;
}

const ConcatV2: Primitive<ConcatAttrs> = declarePrimitive<ConcatAttrs>({
  name: 'ConcatV2',
  impl: (inputs, attrs) => {
    const first = inputs[0];
    const shape = first.shape.slice();
    shape[attrs.axis] = 0;
    for (const x of inputs) {
      if (x.dtype !== first.dtype)
        throw new TypeError(`concat: tensors have different dtypes ${first.dtype} and ${x.dtype}`);
      if (
        x.rank !== first.rank ||
        x.shape.some((d, i) => i !== attrs.axis && d !== first.shape[i])
      ) {
        throw new RangeError(
          `concat: shapes [${first.shape.join(', ')}] and [${x.shape.join(', ')}] differ outside axis ${attrs.axis}`,
        );
      }
      shape[attrs.axis] += x.shape[attrs.axis];
    }
    return [
      new Tensor(
        kernel('ConcatV2')(inputs, attrs, [{ shape, dtype: first.dtype }]),
        shape,
        first.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => {
    const g = yBars[0]!;
    let offset = 0;
    return op.inputs.map((x, i) => {
      const begin = x.shape.map((_, k) => (k === op.attrs.axis ? offset : 0));
      offset += x.shape[op.attrs.axis];
      return needs[i] ? slice(g, begin, x.shape) : null;
    });
  },
  jvp: (op, xDots) => {
    if (xDots.every((d) => d === null)) return [null];
    return [
      concat(
        op.inputs.map((x, i) => xDots[i] ?? zerosLikeOf(x)),
        op.attrs.axis,
      ),
    ];
  },
  batch: (args, axes, attrs) => {
    const size = args[axes.findIndex((a) => a !== null)].shape[axes.find((a) => a !== null)!];
    const parts = args.map((x, i) =>
      axes[i] === null
        ? broadcastTo(expandDims(x, 0), [size, ...x.shape])
        : moveAxis(x, axes[i]!, 0),
    );
    return [[concat(parts, attrs.axis + 1)], [0]];
  },
});

function zerosLikeOf(x: Tensor): Tensor {
  return new Tensor(kernel('Fill')([], { value: 0 }, [x]), x.shape.slice(), x.dtype);
}

/**
 * Joins tensors along an existing axis.
 * Joins tensors along an existing axis.
 *
 * @example
 * tt.concat([[1], [2, 3]]).array(); // [1, 2, 3]
 */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError('concat: expected a non-empty array of tensors');
  const ts = convertAll(tensors, 'concat');
  const a = normalizeAxis(axis, ts[0].rank, 'concat');
  if (ts.length === 1) return ts[0];
  return bind1(ConcatV2, ts, { axis: a });
}

interface PackAttrs {
  /** Position of the new axis in the output (non-negative). */
  readonly axis: number;
}

/** Stacks along a new axis (TF's Pack); the data is ConcatV2's along that axis. */
const Pack: Primitive<PackAttrs> = declarePrimitive<PackAttrs>({
  name: 'Pack',
  impl: (inputs, attrs) => {
    const first = inputs[0];
    for (const x of inputs) {
      if (x.dtype !== first.dtype)
        throw new TypeError(`stack: tensors have different dtypes ${first.dtype} and ${x.dtype}`);
      if (!shapesEqual(x.shape, first.shape)) {
        throw new RangeError(
          `stack: tensors must share one shape, got [${first.shape.join(', ')}] and [${x.shape.join(', ')}]`,
        );
      }
    }
    const shape = first.shape.slice();
    shape.splice(attrs.axis, 0, inputs.length);
    return [
      new Tensor(
        kernel('ConcatV2')(inputs, attrs, [{ shape, dtype: first.dtype }]),
        shape,
        first.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => {
    const parts = unstack(yBars[0]!, op.attrs.axis);
    return parts.map((g, i) => (needs[i] ? g : null));
  },
  jvp: (op, xDots) => {
    if (xDots.every((d) => d === null)) return [null];
    return [
      stack(
        op.inputs.map((x, i) => xDots[i] ?? zerosLikeOf(x)),
        op.attrs.axis,
      ),
    ];
  },
  batch: (args, axes, attrs) => [[stack(batchAllFirst(args, axes), attrs.axis + 1)], [0]],
});

/** Every argument with its batch axis first; unbatched ones broadcast along a new one. */
function batchAllFirst(args: readonly Tensor[], axes: readonly (number | null)[]): Tensor[] {
  const i0 = axes.findIndex((a) => a !== null);
  const size = args[i0].shape[axes[i0]!];
  return args.map((x, i) =>
    axes[i] === null ? broadcastTo(expandDims(x, 0), [size, ...x.shape]) : moveAxis(x, axes[i]!, 0),
  );
}

/**
 * Stacks tensors of one shape along a new axis (TF's Pack).
 *
 * @example
 * tt.stack([[1, 2], [3, 4]], 1).array(); // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError('stack: expected a non-empty array of tensors');
  const ts = convertAll(tensors, 'stack');
  const a = normalizeAxis(axis, ts[0].rank + 1, 'stack');
  return bind1(Pack, ts, { axis: a });
}

/** Converts an array of operands; JS values take the dtype of the first tensor among them. */
function convertAll(xs: readonly TensorLike[], where: string): Tensor[] {
  // Tensors and variables first (each read once), then JS values in their dtype.
  const ts: (Tensor | null)[] = xs.map((x, i) =>
    x instanceof Tensor || x instanceof Variable || ArrayBuffer.isView(x)
      ? convert(x, undefined, where, `tensors[${i}]`)
      : null,
  );
  const dtype = ts.find((t) => t !== null)?.dtype;
  return ts.map((t, i) => t ?? convert(xs[i], dtype, where, `tensors[${i}]`));
}

interface SplitAttrs {
  /** Non-negative. */
  readonly axis: number;
  /** Length of each piece along the axis. */
  readonly sizes: number[];
}

interface UnpackAttrs {
  /** Non-negative. */
  readonly axis: number;
}

/** The pieces of `x` along `axis`, each a Slice kernel call; `squeeze` drops the axis (Unpack). */
function pieces(x: Tensor, axis: number, sizes: readonly number[], squeezeAxis: boolean): Tensor[] {
  const run = kernel('Slice');
  let offset = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, k) => (k === axis ? offset : 0));
    const size = x.shape.map((d, k) => (k === axis ? n : d));
    offset += n;
    const shape = squeezeAxis ? size.filter((_, k) => k !== axis) : size;
    return new Tensor(run([x], { begin, size }, [{ shape: size, dtype: x.dtype }]), shape, x.dtype);
  });
}

/** Zeros where a multi-output op's output received no cotangent or tangent. */
function orZeros(ts: readonly (Tensor | null)[], like: readonly Tensor[]): Tensor[] {
  return ts.map((t, i) => t ?? zerosLikeOf(like[i]));
}

/** Unstacks along an axis (TF's Unpack): one output per index. */
const Unpack: Primitive<UnpackAttrs> = declarePrimitive<UnpackAttrs>({
  name: 'Unpack',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return pieces(x, attrs.axis, new Array<number>(x.shape[attrs.axis]).fill(1), true);
  },
  vjp: (op, yBars) => [stack(orZeros(yBars, op.outputs), op.attrs.axis)],
  jvp: (op, xDots) =>
    xDots[0] === null ? op.outputs.map(() => null) : unstack(xDots[0], op.attrs.axis),
  batch: (args, axes, attrs) => {
    const outs = unstack(moveAxis(args[0], axes[0]!, 0), attrs.axis + 1);
    return [outs, outs.map(() => 0)];
  },
});

/**
 * Splits a tensor along `axis` into rank-1-lower tensors (TF's Unpack).
 *
 * @example
 * tt.unstack([[1, 2], [3, 4]]).map((t) => t.array()); // [[1, 2], [3, 4]]
 */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = convert(x, undefined, 'unstack');
  if (t.rank === 0) throw new RangeError('unstack: x must have rank >= 1, got a scalar');
  const a = normalizeAxis(axis, t.rank, 'unstack');
  if (t.shape[a] === 0) return [];
  return bindMulti(Unpack, [t], { axis: a });
}

function splitPrimitive(name: 'Split' | 'SplitV'): Primitive<SplitAttrs> {
  const prim: Primitive<SplitAttrs> = declarePrimitive<SplitAttrs>({
    name,
    impl: (inputs, attrs) => pieces(inputs[0], attrs.axis, attrs.sizes, false),
    vjp: (op, yBars) => [concatOrOne(orZeros(yBars, op.outputs), op.attrs.axis)],
    jvp: (op, xDots) =>
      xDots[0] === null ? op.outputs.map(() => null) : bindMulti(prim, [xDots[0]], op.attrs),
    batch: (args, axes, attrs) => {
      const outs = bindMulti(prim, [moveAxis(args[0], axes[0]!, 0)], {
        axis: attrs.axis + 1,
        sizes: attrs.sizes,
      });
      return [outs, outs.map(() => 0)];
    },
  });
  return prim;
}

const Split = splitPrimitive('Split');
const SplitV = splitPrimitive('SplitV');

function concatOrOne(ts: readonly Tensor[], axis: number): Tensor {
  return ts.length === 1 ? ts[0] : concat(ts, axis);
}

function bindMulti<A>(prim: Primitive<A>, inputs: Tensor[], attrs: A): Tensor[] {
  return bind(prim, inputs, attrs);
}

/**
 * Splits `x` along `axis` into `numOrSizeSplits` equal pieces (TF's Split), or pieces of the
 * listed sizes, one of which may be -1 for the rest (TF's SplitV).
 *
 * @example
 * tt.split([1, 2, 3, 4], 2).map((t) => t.array()); // [[1, 2], [3, 4]]
 * tt.split([1, 2, 3, 4], [1, -1]).map((t) => t.array()); // [[1], [2, 3, 4]]
 */
export function split(
  x: TensorLike,
  numOrSizeSplits: number | readonly number[],
  axis = 0,
): Tensor[] {
  const where = 'split';
  const t = convert(x, undefined, where);
  if (t.rank === 0) throw new RangeError(`${where}: x must have rank >= 1, got a scalar`);
  const a = normalizeAxis(axis, t.rank, where);
  const d = t.shape[a];
  if (typeof numOrSizeSplits === 'number') {
    const n = numOrSizeSplits;
    if (!Number.isInteger(n) || n < 1 || d % n !== 0) {
      throw new RangeError(
        `${where}: numOrSizeSplits ${n} must be a positive integer dividing the length ${d} of axis ${a} (shape [${t.shape.join(', ')}])`,
      );
    }
    return bindMulti(Split, [t], { axis: a, sizes: new Array<number>(n).fill(d / n) });
  }
  if (!Array.isArray(numOrSizeSplits) || numOrSizeSplits.length === 0) {
    throw new TypeError(
      `${where}: numOrSizeSplits must be a positive integer or a non-empty array`,
    );
  }
  const sizes = numOrSizeSplits.slice();
  const unknown = sizes.indexOf(-1);
  if (unknown >= 0 && sizes.indexOf(-1, unknown + 1) >= 0) {
    throw new RangeError(`${where}: at most one size may be -1, got [${sizes.join(', ')}]`);
  }
  const known = sizes.reduce((s, n, i) => (i === unknown ? s : s + n), 0);
  if (unknown >= 0) sizes[unknown] = d - known;
  if (sizes.some((n) => !Number.isInteger(n) || n < 0) || sizes.reduce((s, n) => s + n, 0) !== d) {
    throw new RangeError(
      `${where}: sizes [${numOrSizeSplits.join(', ')}] must be non-negative integers adding up to the length ${d} of axis ${a} (shape [${t.shape.join(', ')}])`,
    );
  }
  return bindMulti(SplitV, [t], { axis: a, sizes });
}

// ---- tile and reverse ---------------------------------------------------------------------------

interface TileAttrs {
  readonly multiples: number[];
}

const Tile: Primitive<TileAttrs> = declarePrimitive<TileAttrs>({
  name: 'Tile',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    const shape = x.shape.map((d, i) => d * attrs.multiples[i]);
    return [new Tensor(kernel('Tile')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype)];
  },
  // The copies are the blocks of [m0, d0, m1, d1, ...]: sum over the m axes.
  vjp: (op, yBars) => {
    const x = op.inputs[0];
    const m = op.attrs.multiples;
    const blocks = reshape(
      yBars[0]!,
      x.shape.flatMap((d, i) => [m[i], d]),
    );
    return [
      reshape(
        sum(
          blocks,
          x.shape.map((_, i) => 2 * i),
        ),
        x.shape,
      ),
    ];
  },
  jvp: (op, xDots) => [xDots[0] === null ? null : tile(xDots[0], op.attrs.multiples)],
  batch: (args, axes, attrs) => [
    [tile(moveAxis(args[0], axes[0]!, 0), [1, ...attrs.multiples])],
    [0],
  ],
});

/**
 * Repeats `x` `multiples[i]` times along each axis i.
 *
 * @example
 * tt.tile([1, 2], [2]).array(); // [1, 2, 1, 2]
 */
export function tile(x: TensorLike, multiples: readonly number[]): Tensor {
  const t = convert(x, undefined, 'tile');
  if (
    !Array.isArray(multiples) ||
    multiples.length !== t.rank ||
    !multiples.every((m) => Number.isInteger(m) && m >= 0)
  ) {
    throw new RangeError(
      `tile: multiples must be ${t.rank} non-negative integers (one per axis of shape [${t.shape.join(', ')}]), got ${JSON.stringify(multiples)}`,
    );
  }
  checkShape(
    t.shape.map((d, i) => d * multiples[i]),
    'tile',
  );
  if (multiples.every((m) => m === 1)) return t;
  return bind1(Tile, [t], { multiples: multiples.slice() });
}

interface ReverseAttrs {
  /** Sorted, non-negative, unique. */
  readonly axes: number[];
}

const ReverseV2: Primitive<ReverseAttrs> = declarePrimitive<ReverseAttrs>({
  name: 'ReverseV2',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    return [new Tensor(kernel('ReverseV2')(inputs, attrs, [x]), x.shape, x.dtype)];
  },
  vjp: (op, yBars) => [reverse(yBars[0]!, op.attrs.axes)],
  jvp: (op, xDots) => [xDots[0] === null ? null : reverse(xDots[0], op.attrs.axes)],
  batch: (args, axes, attrs) => [
    [bind1(ReverseV2, [moveAxis(args[0], axes[0]!, 0)], { axes: attrs.axes.map((a) => a + 1) })],
    [0],
  ],
});

/**
 * Reverses the order of elements along the given axes (all axes when omitted).
 *
 * @example
 * tt.reverse([[1, 2], [3, 4]], 1).array(); // [[2, 1], [4, 3]]
 */
export function reverse(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = convert(x, undefined, 'reverse');
  const axes = normalizeAxes(axis as number | number[] | undefined, t.rank, 'reverse');
  if (axes.length === 0) return t;
  return bind1(ReverseV2, [t], { axes });
}
