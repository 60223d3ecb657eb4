// Neural-network primitives: Conv2D with its two transposes (Conv2DBackpropInput and
// Conv2DBackpropFilter), MaxPool with MaxPoolGrad and MaxPoolGradGrad, AvgPool with AvgPoolGrad,
// and SoftmaxCrossEntropyWithLogits. Each family is closed under differentiation: the rules of
// one op are written with the others, so every order of derivative works in both modes.

import { kernel, type Kernel } from '../backend/backend.js';
import type { FilterSizeAttrs, InputSizeAttrs, PoolAttrs, WindowAttrs } from '../backend/js/nn.js';
import { convert, convertPair, type TensorLike } from '../convert.js';
import { declarePrimitive, type BatchRule, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { checkDtype, FLOAT, moveAxis } from './helpers.js';
import { broadcastTo, concat, expandDims, reshape, slice, squeeze } from './shape.js';

declare module '../backend/backend.js' {
  interface KernelRegistry {
    Conv2D: Kernel;
    Conv2DBackpropInput: Kernel;
    Conv2DBackpropFilter: Kernel;
    MaxPool: Kernel;
    MaxPoolGrad: Kernel;
    MaxPoolGradGrad: Kernel;
    AvgPool: Kernel;
    AvgPoolGrad: Kernel;
    SoftmaxCrossEntropyWithLogits: Kernel;
  }
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

// ---- batching helpers -------------------------------------------------------------------------

/** Runs `prim` once per example and stacks the results (for operand combinations with no fold). */
function perExample(
  prim: Primitive,
  args: readonly Tensor[],
  axes: readonly (number | null)[],
  attrs: unknown,
  size: number,
): [Tensor[], number[]] {
  const rows: Tensor[] = [];
  for (let b = 0; b < size; b++) {
    const xs = args.map((x, i) => {
      const ax = axes[i];
      if (ax === null) return x;
      const begin = x.shape.map((_, k) => (k === ax ? b : 0));
      const extent = x.shape.map((d, k) => (k === ax ? 1 : d));
      return squeeze(slice(x, begin, extent), [ax]);
    });
    rows.push(expandDims(bind1(prim, xs, attrs), 0));
  }
  return [[concat(rows, 0)], [0]];
}

/** `x` with its batch axis first, or broadcast along a new first axis of `size` when unbatched. */
function batchedFirst(x: Tensor, axis: number | null, size: number): Tensor {
  return axis === null ? broadcastTo(expandDims(x, 0), [size, ...x.shape]) : moveAxis(x, axis, 0);
}

/** Merges the first two axes ([B, N, ...] → [B·N, ...]). */
const foldFirst = (x: Tensor): Tensor => reshape(x, [x.shape[0] * x.shape[1], ...x.shape.slice(2)]);
/** Splits the first axis into [B, N]. */
const unfoldFirst = (y: Tensor, b: number): Tensor =>
  reshape(y, [b, y.shape[0] / b, ...y.shape.slice(1)]);

/** Batches an op whose operands all share the image axis N by folding the batch into N. */
function foldIntoImages(prim: () => Primitive): BatchRule {
  return (args, axes, attrs, size) => {
    const xs = args.map((x, i) => foldFirst(batchedFirst(x, axes[i], size)));
    return [[unfoldFirst(bind1(prim(), xs, attrs), size)], [0]];
  };
}

/**
 * Folds a batch axis (moved to `at` in operand `x`) into the neighbouring axis `at + 1` of that
 * operand: [..., B, D, ...] → [..., B·D, ...].
 */
function foldAt(x: Tensor, axis: number, at: number): Tensor {
  const y = moveAxis(x, axis, at);
  const s = y.shape;
  return reshape(y, [...s.slice(0, at), s[at] * s[at + 1], ...s.slice(at + 2)]);
}
/** Splits axis `at` of `y` into [B, D]; the batch then sits at `at`. */
function unfoldAt(y: Tensor, at: number, b: number): Tensor {
  const s = y.shape;
  return reshape(y, [...s.slice(0, at), b, s[at] / b, ...s.slice(at + 1)]);
}

// ---- window geometry ----------------------------------------------------------------------------

export type Padding = 'same' | 'valid' | 'SAME' | 'VALID';

function pair(v: number | readonly number[], what: string, op: string): [number, number] {
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (ok(v)) return [v, v];
  if (Array.isArray(v)) {
    if (v.length === 2 && ok(v[0]) && ok(v[1])) return [v[0], v[1]];
    if (v.length === 4 && v[0] === 1 && v[3] === 1 && ok(v[1]) && ok(v[2])) return [v[1], v[2]];
  }
  throw new RangeError(
    `${op}: ${what} must be a positive integer, a pair [h, w] or [1, h, w, 1], got ${JSON.stringify(v)}`,
  );
}

function checkPadding(p: unknown, op: string): 'same' | 'valid' {
  const s = typeof p === 'string' ? p.toLowerCase() : p;
  if (s !== 'same' && s !== 'valid')
    throw new RangeError(`${op}: padding must be 'same' or 'valid', got ${JSON.stringify(p)}`);
  return s;
}

/** TF's output size and explicit pads for one spatial axis. */
function axisGeometry(
  size: number,
  k: number,
  s: number,
  padding: 'same' | 'valid',
  op: string,
): [number, number, number] {
  if (padding === 'valid') {
    const out = Math.ceil((size - k + 1) / s);
    if (out < 0 || size < k) {
      throw new RangeError(
        `${op}: window of size ${k} does not fit an input of size ${size} with 'valid' padding`,
      );
    }
    return [out, 0, 0];
  }
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  const before = Math.floor(total / 2);
  return [out, before, total - before];
}

function geometry(
  h: number,
  w: number,
  k: readonly [number, number],
  strides: readonly [number, number],
  padding: 'same' | 'valid',
  op: string,
): { out: [number, number]; pads: [number, number, number, number] } {
  const [ho, top, bottom] = axisGeometry(h, k[0], strides[0], padding, op);
  const [wo, left, right] = axisGeometry(w, k[1], strides[1], padding, op);
  return { out: [ho, wo], pads: [top, bottom, left, right] };
}

function checkImages(op: string, arg: string, x: Tensor): void {
  checkDtype(op, arg, x.dtype, FLOAT);
  if (x.rank !== 4)
    throw new RangeError(`${op}: ${arg} must have rank 4 (NHWC), got shape ${fmt(x.shape)}`);
}

function sameDtype(op: string, a: Tensor, b: Tensor, an: string, bn: string): void {
  if (a.dtype !== b.dtype)
    throw new TypeError(`${op}: ${an} has dtype ${a.dtype} but ${bn} has dtype ${b.dtype}`);
}

/** Output size of a strided window pass over an input (for the gradient ops' checks). */
function windowOut(h: number, w: number, k: readonly number[], a: WindowAttrs): [number, number] {
  const [sh, sw] = a.strides;
  const [top, bottom, left, right] = a.pads;
  return [
    Math.floor((h + top + bottom - k[0]) / sh) + 1,
    Math.floor((w + left + right - k[1]) / sw) + 1,
  ];
}

// ---- Conv2D and its transposes -------------------------------------------------------------------

type ConvAttrs = WindowAttrs;
type ConvInputAttrs = WindowAttrs & InputSizeAttrs;
type ConvFilterAttrs = WindowAttrs & FilterSizeAttrs;

const Conv2D: Primitive<ConvAttrs> = declarePrimitive<ConvAttrs>({
  name: 'Conv2D',
  impl: (inputs, attrs) => {
    const op = 'conv2d';
    const [x, w] = inputs;
    checkImages(op, 'x', x);
    sameDtype(op, x, w, 'x', 'filter');
    if (w.rank !== 4 || w.shape[2] !== x.shape[3]) {
      throw new RangeError(
        `${op}: filter must have shape [height, width, ${x.shape[3]}, outChannels] (HWIO) for x ${fmt(x.shape)}, got ${fmt(w.shape)}`,
      );
    }
    const [ho, wo] = windowOut(x.shape[1], x.shape[2], w.shape, attrs);
    const shape = [x.shape[0], ho, wo, w.shape[3]];
    return [
      new Tensor(kernel('Conv2D')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars, needs) => {
    const [x, w] = op.inputs;
    const g = yBars[0]!;
    const { strides, pads } = op.attrs;
    return [
      needs[0]
        ? convBackpropInput(g, w, { strides, pads, inputSize: [x.shape[1], x.shape[2]] })
        : null,
      needs[1]
        ? convBackpropFilter(x, g, { strides, pads, filterSize: [w.shape[0], w.shape[1]] })
        : null,
    ];
  },
  jvp: (op, xDots) => {
    const [x, w] = op.inputs;
    const [xDot, wDot] = xDots;
    const a = xDot === null ? null : bind1(Conv2D, [xDot, w], op.attrs);
    const b = wDot === null ? null : bind1(Conv2D, [x, wDot], op.attrs);
    return [a === null ? b : b === null ? a : add(a, b)];
  },
  batch: (args, axes, attrs, size) => {
    const [x, w] = args;
    const [ax, aw] = axes;
    if (aw === null) {
      const y = bind1(Conv2D, [foldFirst(moveAxis(x, ax!, 0)), w], attrs);
      return [[unfoldFirst(y, size)], [0]];
    }
    if (ax === null) {
      // Per-example filters become extra output channels: [kh, kw, ci, B·co].
      const y = bind1(Conv2D, [x, foldAt(w, aw, 3)], attrs);
      return [[unfoldAt(y, 3, size)], [3]];
    }
    return perExample(Conv2D, args, axes, attrs, size);
  },
});

// Conv2D(x, w) read with fixed w is linear in x: this is its transpose, dx = Bi(dy, w).
const Conv2DBackpropInput: Primitive<ConvInputAttrs> = declarePrimitive<ConvInputAttrs>({
  name: 'Conv2DBackpropInput',
  impl: (inputs, attrs) => {
    const op = 'conv2d (Conv2DBackpropInput)';
    const [dy, w] = inputs;
    checkImages(op, 'outputGradient', dy);
    sameDtype(op, dy, w, 'outputGradient', 'filter');
    const [h, wi] = attrs.inputSize;
    const expected = windowOut(h, wi, w.shape, attrs);
    if (
      w.rank !== 4 ||
      w.shape[3] !== dy.shape[3] ||
      !shapesEqual(expected, dy.shape.slice(1, 3))
    ) {
      throw new RangeError(
        `${op}: outputGradient ${fmt(dy.shape)} and filter ${fmt(w.shape)} do not match an input of size ${fmt(attrs.inputSize)}`,
      );
    }
    const shape = [dy.shape[0], h, wi, w.shape[2]];
    return [
      new Tensor(
        kernel('Conv2DBackpropInput')(inputs, attrs, [{ shape, dtype: dy.dtype }]),
        shape,
        dy.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => {
    const [dy, w] = op.inputs;
    const g = yBars[0]!;
    const { strides, pads } = op.attrs;
    return [
      needs[0] ? bind1(Conv2D, [g, w], { strides, pads }) : null,
      needs[1]
        ? convBackpropFilter(g, dy, { strides, pads, filterSize: [w.shape[0], w.shape[1]] })
        : null,
    ];
  },
  jvp: (op, xDots) => {
    const [dy, w] = op.inputs;
    const [dyDot, wDot] = xDots;
    const a = dyDot === null ? null : bind1(Conv2DBackpropInput, [dyDot, w], op.attrs);
    const b = wDot === null ? null : bind1(Conv2DBackpropInput, [dy, wDot], op.attrs);
    return [a === null ? b : b === null ? a : add(a, b)];
  },
  batch: (args, axes, attrs, size) => {
    const [dy, w] = args;
    const [ad, aw] = axes;
    if (aw === null) {
      const y = bind1(Conv2DBackpropInput, [foldFirst(moveAxis(dy, ad!, 0)), w], attrs);
      return [[unfoldFirst(y, size)], [0]];
    }
    if (ad === null) {
      // Per-example filters become extra input channels: [kh, kw, B·ci, co].
      const y = bind1(Conv2DBackpropInput, [dy, foldAt(w, aw, 2)], attrs);
      return [[unfoldAt(y, 3, size)], [3]];
    }
    return perExample(Conv2DBackpropInput, args, axes, attrs, size);
  },
});

// Conv2D(x, w) read with fixed x is linear in w: this is its transpose, dw = Bf(x, dy).
const Conv2DBackpropFilter: Primitive<ConvFilterAttrs> = declarePrimitive<ConvFilterAttrs>({
  name: 'Conv2DBackpropFilter',
  impl: (inputs, attrs) => {
    const op = 'conv2d (Conv2DBackpropFilter)';
    const [x, dy] = inputs;
    checkImages(op, 'x', x);
    checkImages(op, 'outputGradient', dy);
    sameDtype(op, x, dy, 'x', 'outputGradient');
    const expected = windowOut(x.shape[1], x.shape[2], attrs.filterSize, attrs);
    if (dy.shape[0] !== x.shape[0] || !shapesEqual(expected, dy.shape.slice(1, 3))) {
      throw new RangeError(
        `${op}: outputGradient ${fmt(dy.shape)} does not match x ${fmt(x.shape)} with a ${fmt(attrs.filterSize)} filter`,
      );
    }
    const shape = [...attrs.filterSize, x.shape[3], dy.shape[3]];
    return [
      new Tensor(
        kernel('Conv2DBackpropFilter')(inputs, attrs, [{ shape, dtype: x.dtype }]),
        shape,
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => {
    const [x, dy] = op.inputs;
    const g = yBars[0]!;
    const { strides, pads } = op.attrs;
    return [
      needs[0]
        ? convBackpropInput(dy, g, { strides, pads, inputSize: [x.shape[1], x.shape[2]] })
        : null,
      needs[1] ? bind1(Conv2D, [x, g], { strides, pads }) : null,
    ];
  },
  jvp: (op, xDots) => {
    const [x, dy] = op.inputs;
    const [xDot, dyDot] = xDots;
    const a = xDot === null ? null : bind1(Conv2DBackpropFilter, [xDot, dy], op.attrs);
    const b = dyDot === null ? null : bind1(Conv2DBackpropFilter, [x, dyDot], op.attrs);
    return [a === null ? b : b === null ? a : add(a, b)];
  },
  batch: (args, axes, attrs, size) => {
    const [x, dy] = args;
    const [ax, ad] = axes;
    if (ad === null) {
      // Per-example inputs become extra input channels of the filter gradient.
      const y = bind1(Conv2DBackpropFilter, [foldAt(x, ax!, 3), dy], attrs);
      return [[unfoldAt(y, 2, size)], [2]];
    }
    if (ax === null) {
      const y = bind1(Conv2DBackpropFilter, [x, foldAt(dy, ad, 3)], attrs);
      return [[unfoldAt(y, 3, size)], [3]];
    }
    return perExample(Conv2DBackpropFilter, args, axes, attrs, size);
  },
});

function convBackpropInput(dy: Tensor, w: Tensor, attrs: ConvInputAttrs): Tensor {
  return bind1(Conv2DBackpropInput, [dy, w], attrs);
}

function convBackpropFilter(x: Tensor, dy: Tensor, attrs: ConvFilterAttrs): Tensor {
  return bind1(Conv2DBackpropFilter, [x, dy], attrs);
}

/** Adds a leading image axis to a single HWC image (undone on the result). */
function asBatch(x: Tensor): [Tensor, (y: Tensor) => Tensor] {
  if (x.rank === 3) return [expandDims(x, 0), (y) => squeeze(y, [0])];
  return [x, (y) => y];
}

/**
 * 2-D convolution: `x` is NHWC (or a single HWC image), `filter` is HWIO; `strides` is a number or
 * `[h, w]`; `padding` `'same'` or `'valid'` as in TF. Recorded as `Conv2D`; its gradients are
 * `Conv2DBackpropInput` and `Conv2DBackpropFilter`.
 *
 * @example
 * const x = tt.ones([1, 4, 4, 1]);
 * tt.nn.conv2d(x, tt.ones([3, 3, 1, 2]), 1, 'same').shape; // [1, 4, 4, 2]
 */
export function conv2d(
  x: TensorLike,
  filter: TensorLike,
  strides: number | readonly number[] = 1,
  padding: Padding = 'valid',
): Tensor {
  const op = 'conv2d';
  const [xt, wt] = convertPair(x, filter, op, ['x', 'filter']);
  const [xb, unbatch] = asBatch(xt);
  checkImages(op, 'x', xb);
  if (wt.rank !== 4)
    throw new RangeError(`${op}: filter must have rank 4 (HWIO), got shape ${fmt(wt.shape)}`);
  const s = pair(strides, 'strides', op);
  const g = geometry(
    xb.shape[1],
    xb.shape[2],
    [wt.shape[0], wt.shape[1]],
    s,
    checkPadding(padding, op),
    op,
  );
  return unbatch(bind1(Conv2D, [xb, wt], { strides: s, pads: g.pads }));
}

// ---- MaxPool -------------------------------------------------------------------------------------

function checkPoolPair(
  op: string,
  x: Tensor,
  g: Tensor,
  attrs: PoolAttrs,
  gIsPooled: boolean,
): void {
  checkImages(op, 'x', x);
  checkImages(op, 'gradient', g);
  sameDtype(op, x, g, 'x', 'gradient');
  const [ho, wo] = windowOut(x.shape[1], x.shape[2], attrs.ksize, attrs);
  const expected = gIsPooled ? [x.shape[0], ho, wo, x.shape[3]] : x.shape;
  if (!shapesEqual(g.shape, expected))
    throw new RangeError(`${op}: gradient must have shape ${fmt(expected)}, got ${fmt(g.shape)}`);
}

const MaxPool: Primitive<PoolAttrs> = declarePrimitive<PoolAttrs>({
  name: 'MaxPool',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    checkImages('maxPool', 'x', x);
    const [ho, wo] = windowOut(x.shape[1], x.shape[2], attrs.ksize, attrs);
    const shape = [x.shape[0], ho, wo, x.shape[3]];
    return [
      new Tensor(kernel('MaxPool')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  // The gradient goes to the first maximum of each window (TF's convention).
  vjp: (op, yBars) => [bind1(MaxPoolGrad, [op.inputs[0], yBars[0]!], op.attrs)],
  jvp: (op, xDots) => [
    xDots[0] === null ? null : bind1(MaxPoolGradGrad, [op.inputs[0], xDots[0]], op.attrs),
  ],
  batch: foldIntoImages(() => MaxPool),
});

/** MaxPoolGrad(x, g): linear in g (the window choice is piecewise constant in x). */
const MaxPoolGrad: Primitive<PoolAttrs> = declarePrimitive<PoolAttrs>({
  name: 'MaxPoolGrad',
  impl: (inputs, attrs) => {
    const [x, g] = inputs;
    checkPoolPair('maxPool (MaxPoolGrad)', x, g, attrs, true);
    return [new Tensor(kernel('MaxPoolGrad')(inputs, attrs, [x]), x.shape.slice(), x.dtype)];
  },
  vjp: (op, yBars, needs) => [
    null,
    needs[1] ? bind1(MaxPoolGradGrad, [op.inputs[0], yBars[0]!], op.attrs) : null,
  ],
  jvp: (op, xDots) => [
    xDots[1] === null ? null : bind1(MaxPoolGrad, [op.inputs[0], xDots[1]], op.attrs),
  ],
  batch: foldIntoImages(() => MaxPoolGrad),
});

/** MaxPoolGradGrad(x, u): u read at each window's first maximum of x; linear in u. */
const MaxPoolGradGrad: Primitive<PoolAttrs> = declarePrimitive<PoolAttrs>({
  name: 'MaxPoolGradGrad',
  impl: (inputs, attrs) => {
    const [x, u] = inputs;
    checkPoolPair('maxPool (MaxPoolGradGrad)', x, u, attrs, false);
    const [ho, wo] = windowOut(x.shape[1], x.shape[2], attrs.ksize, attrs);
    const shape = [x.shape[0], ho, wo, x.shape[3]];
    return [
      new Tensor(
        kernel('MaxPoolGradGrad')(inputs, attrs, [{ shape, dtype: x.dtype }]),
        shape,
        x.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => [
    null,
    needs[1] ? bind1(MaxPoolGrad, [op.inputs[0], yBars[0]!], op.attrs) : null,
  ],
  jvp: (op, xDots) => [
    xDots[1] === null ? null : bind1(MaxPoolGradGrad, [op.inputs[0], xDots[1]], op.attrs),
  ],
  batch: foldIntoImages(() => MaxPoolGradGrad),
});

function poolAttrs(
  x: Tensor,
  ksize: number | readonly number[],
  strides: number | readonly number[] | undefined,
  padding: Padding,
  op: string,
): PoolAttrs {
  checkImages(op, 'x', x);
  const k = pair(ksize, 'ksize', op);
  const s = strides === undefined ? k : pair(strides, 'strides', op);
  const g = geometry(x.shape[1], x.shape[2], k, s, checkPadding(padding, op), op);
  return { ksize: k, strides: s, pads: g.pads };
}

/**
 * Max pooling over NHWC windows (`ksize` and `strides` a number or a pair; strides default to the
 * window). Its gradient goes to the first maximum of each window. Recorded as `MaxPool`.
 *
 * @example
 * tt.nn.maxPool(tt.tensor([1, 3, 2, 4], [1, 2, 2, 1]), 2, 2, 'valid').item(); // 4
 */
export function maxPool(
  x: TensorLike,
  ksize: number | readonly number[],
  strides?: number | readonly number[],
  padding: Padding = 'valid',
): Tensor {
  const [xb, unbatch] = asBatch(convert(x, undefined, 'maxPool'));
  return unbatch(bind1(MaxPool, [xb], poolAttrs(xb, ksize, strides, padding, 'maxPool')));
}

// ---- AvgPool -------------------------------------------------------------------------------------

type AvgGradAttrs = PoolAttrs & InputSizeAttrs;

const AvgPool: Primitive<PoolAttrs> = declarePrimitive<PoolAttrs>({
  name: 'AvgPool',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    checkImages('avgPool', 'x', x);
    const [ho, wo] = windowOut(x.shape[1], x.shape[2], attrs.ksize, attrs);
    const shape = [x.shape[0], ho, wo, x.shape[3]];
    return [
      new Tensor(kernel('AvgPool')(inputs, attrs, [{ shape, dtype: x.dtype }]), shape, x.dtype),
    ];
  },
  vjp: (op, yBars) => {
    const x = op.inputs[0];
    return [bind1(AvgPoolGrad, [yBars[0]!], { ...op.attrs, inputSize: [x.shape[1], x.shape[2]] })];
  },
  jvp: (op, xDots) => [xDots[0] === null ? null : bind1(AvgPool, [xDots[0]], op.attrs)],
  batch: foldIntoImages(() => AvgPool),
});

const AvgPoolGrad: Primitive<AvgGradAttrs> = declarePrimitive<AvgGradAttrs>({
  name: 'AvgPoolGrad',
  impl: (inputs, attrs) => {
    const g = inputs[0];
    checkImages('avgPool (AvgPoolGrad)', 'gradient', g);
    const [h, w] = attrs.inputSize;
    const expected = windowOut(h, w, attrs.ksize, attrs);
    if (!shapesEqual(expected, g.shape.slice(1, 3))) {
      throw new RangeError(
        `avgPool (AvgPoolGrad): gradient ${fmt(g.shape)} does not match an input of size ${fmt(attrs.inputSize)}`,
      );
    }
    const shape = [g.shape[0], h, w, g.shape[3]];
    return [
      new Tensor(kernel('AvgPoolGrad')(inputs, attrs, [{ shape, dtype: g.dtype }]), shape, g.dtype),
    ];
  },
  vjp: (op, yBars) => {
    const { ksize, strides, pads } = op.attrs;
    return [bind1(AvgPool, [yBars[0]!], { ksize, strides, pads })];
  },
  jvp: (op, xDots) => [xDots[0] === null ? null : bind1(AvgPoolGrad, [xDots[0]], op.attrs)],
  batch: foldIntoImages(() => AvgPoolGrad),
});

/**
 * Average pooling over NHWC windows (padding cells are not counted, as in TF). Recorded as
 * `AvgPool`.
 *
 * @example
 * tt.nn.avgPool(tt.tensor([1, 3, 2, 4], [1, 2, 2, 1]), 2, 2, 'valid').item(); // 2.5
 */
export function avgPool(
  x: TensorLike,
  ksize: number | readonly number[],
  strides?: number | readonly number[],
  padding: Padding = 'valid',
): Tensor {
  const [xb, unbatch] = asBatch(convert(x, undefined, 'avgPool'));
  return unbatch(bind1(AvgPool, [xb], poolAttrs(xb, ksize, strides, padding, 'avgPool')));
}
