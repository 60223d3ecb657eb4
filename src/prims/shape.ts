// Shape primitives: Reshape, Transpose and BroadcastTo, plus expandDims/squeeze built on Reshape.

import { kernel } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { broadcastShapes, checkShape, normalizeAxis, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { moveAxis } from './helpers.js';
import { sumToShape } from './reduce.js';

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
    const x = moveAxis(args[0], axes[0]!, 0);
    return [[reshape(x, [x.shape[0], ...attrs.shape])], [0]];
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

/** The same elements in a new shape (one dimension may be -1). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = convert(x, undefined, 'reshape');
  const s = resolveShape(shape, t.size, t.shape);
  if (shapesEqual(s, t.shape)) return t;
  return bind1(Reshape, [t], { shape: s });
}

/** Inserts a length-1 axis at `axis` (negative counts from the end of the result). */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = convert(x, undefined, 'expandDims');
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const s = t.shape.slice();
  s.splice(a, 0, 1);
  return bind1(Reshape, [t], { shape: s });
}

/** Removes length-1 axes (all of them, or those listed). */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const t = convert(x, undefined, 'squeeze');
  const axes =
    axis === undefined
      ? t.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, t.rank, 'squeeze'));
  for (const a of axes) {
    if (t.shape[a] !== 1)
      throw new RangeError(
        `squeeze: axis ${a} has length ${t.shape[a]}, expected 1 (shape [${t.shape.join(', ')}])`,
      );
  }
  const s = t.shape.filter((_, i) => !axes.includes(i));
  return shapesEqual(s, t.shape) ? t : bind1(Reshape, [t], { shape: s });
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
    const x = moveAxis(args[0], axes[0]!, 0);
    return [[transpose(x, [0, ...attrs.perm.map((p) => p + 1)])], [0]];
  },
});

/** Permutes the axes (default: reversed). */
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
    const x = moveAxis(args[0], axes[0]!, 0);
    const r = x.rank - 1;
    const aligned = reshape(x, [
      x.shape[0],
      ...new Array<number>(attrs.shape.length - r).fill(1),
      ...x.shape.slice(1),
    ]);
    return [[broadcastTo(aligned, [x.shape[0], ...attrs.shape])], [0]];
  },
});

/** Broadcasts to `shape` with NumPy's rules. */
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
    const x = moveAxis(args[0], axes[0]!, 0);
    return [[slice(x, [0, ...attrs.begin], [x.shape[0], ...attrs.size])], [0]];
  },
});

/**
 * The box starting at `begin` with extent `size` (as in tfjs: a size of -1 runs to the end; a
 * number applies to the first axis).
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

const PadV2: Primitive<PadAttrs> = declarePrimitive<PadAttrs>({
  name: 'PadV2',
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
    const x = moveAxis(args[0], axes[0]!, 0);
    return [[pad(x, [[0, 0], ...attrs.paddings], attrs.constantValue)], [0]];
  },
});

/** Pads each axis with `paddings[i] = [before, after]` copies of `constantValue`. */
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
  if (p.every((q) => q[0] === 0 && q[1] === 0)) return t;
  return bind1(PadV2, [t], { paddings: p, constantValue });
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

/** Joins tensors along an existing axis. */
export function concat(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError('concat: expected a non-empty array of tensors');
  const ts = tensors.map((x, i) => convert(x, undefined, `concat (tensor ${i})`));
  const a = normalizeAxis(axis, ts[0].rank, 'concat');
  if (ts.length === 1) return ts[0];
  return bind1(ConcatV2, ts, { axis: a });
}

/** Stacks tensors of one shape along a new axis. */
export function stack(tensors: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0)
    throw new TypeError('stack: expected a non-empty array of tensors');
  const ts = tensors.map((x, i) => convert(x, undefined, `stack (tensor ${i})`));
  const a = normalizeAxis(axis, ts[0].rank + 1, 'stack');
  for (const t of ts) {
    if (!shapesEqual(t.shape, ts[0].shape)) {
      throw new RangeError(
        `stack: tensors must share one shape, got [${ts[0].shape.join(', ')}] and [${t.shape.join(', ')}]`,
      );
    }
  }
  return concat(
    ts.map((t) => expandDims(t, a)),
    a,
  );
}

/** Splits a tensor along `axis` into rank-1-lower tensors. */
export function unstack(x: TensorLike, axis = 0): Tensor[] {
  const t = convert(x, undefined, 'unstack');
  const a = normalizeAxis(axis, t.rank, 'unstack');
  const out: Tensor[] = [];
  const size = t.shape.slice();
  size[a] = 1;
  for (let i = 0; i < t.shape[a]; i++) {
    const begin = t.shape.map((_, k) => (k === a ? i : 0));
    out.push(squeeze(slice(t, begin, size), [a]));
  }
  return out;
}
