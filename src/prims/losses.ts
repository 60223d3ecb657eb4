// Cross-entropy losses and dropout. SoftmaxCrossEntropyWithLogits is one TF op (a primitive here,
// numerically stable, with gradients into both labels and logits); sigmoid cross-entropy and
// dropout are compositions written the way TF writes them, so values and gradients match TF's.

import { kernel } from '../backend/backend.js';
import { convert, convertPair, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { broadcastShapes, checkShape, normalizeAxis, shapesEqual } from '../shape.js';
import { uniform } from '../random.js';
import { Tensor } from '../tensor.js';
import { logSoftmax, softmax } from './activations.js';
import { add, exp, greaterEqual, mul, neg, sub, where, zerosLike } from './elementwise.js';
import { checkDtype, FLOAT, moveAxis } from './helpers.js';
import { log1p } from './math.js';
import { sum } from './reduce.js';
import { broadcastTo, expandDims, transpose } from './shape.js';

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

// ---- softmax cross-entropy -----------------------------------------------------------------------

/** loss = -Σ labels · logSoftmax(logits) over the last axis; shapes [..., C] → [...]. */
const SoftmaxCrossEntropyWithLogits: Primitive = declarePrimitive({
  name: 'SoftmaxCrossEntropyWithLogits',
  impl: (inputs) => {
    const op = 'softmaxCrossEntropyWithLogits';
    const [labels, logits] = inputs;
    checkDtype(op, 'logits', logits.dtype, FLOAT);
    if (labels.dtype !== logits.dtype)
      throw new TypeError(
        `${op}: labels have dtype ${labels.dtype} but logits have dtype ${logits.dtype}`,
      );
    if (logits.rank < 1 || !shapesEqual(labels.shape, logits.shape)) {
      throw new RangeError(
        `${op}: labels and logits must have the same shape [..., classes], got ${fmt(labels.shape)} and ${fmt(logits.shape)}`,
      );
    }
    const shape = logits.shape.slice(0, -1);
    const data = kernel('SoftmaxCrossEntropyWithLogits')(inputs, undefined, [
      { shape, dtype: logits.dtype },
    ]);
    return [new Tensor(data, shape, logits.dtype)];
  },
  // d/dlogits = softmax(logits) - labels, d/dlabels = -logSoftmax(logits) (TF's rule for both).
  vjp: (op, yBars, needs) => {
    const [labels, logits] = op.inputs;
    const g = expandDims(yBars[0]!, -1);
    return [
      needs[0] ? mul(g, neg(logSoftmax(logits))) : null,
      needs[1] ? mul(g, sub(softmax(logits), labels)) : null,
    ];
  },
  jvp: (op, xDots) => {
    const [labels, logits] = op.inputs;
    const [lDot, zDot] = xDots;
    const a = lDot === null ? null : neg(sum(mul(lDot, logSoftmax(logits)), -1));
    const b = zDot === null ? null : sum(mul(zDot, sub(softmax(logits), labels)), -1);
    return [a === null ? b : b === null ? a : add(a, b)];
  },
  // The op works on the last axis, so the batch axis can lead (the unbatched operand broadcast).
  batch: (args, axes, _attrs, size) => {
    const xs = args.map((x, i) =>
      axes[i] === null
        ? broadcastTo(expandDims(x, 0), [size, ...x.shape])
        : moveAxis(x, axes[i]!, 0),
    );
    return [[bind1(SoftmaxCrossEntropyWithLogits, xs, undefined)], [0]];
  },
});

/** Moves `axis` of `x` to the end. */
function axisLast(x: Tensor, axis: number): Tensor {
  if (axis === x.rank - 1) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis);
  return transpose(x, [...perm, axis]);
}

/**
 * Softmax cross-entropy between `labels` (a probability distribution per example) and `logits`,
 * over `axis` (default last): one loss per example, as TF's
 * `tf.nn.softmax_cross_entropy_with_logits`; gradients flow into both arguments. Recorded as
 * `SoftmaxCrossEntropyWithLogits`.
 *
 * @example
 * tt.nn.softmaxCrossEntropyWithLogits([[0, 1]], [[0, 0]]).array(); // [0.6931472]
 */
export function softmaxCrossEntropyWithLogits(
  labels: TensorLike,
  logits: TensorLike,
  axis = -1,
): Tensor {
  const op = 'softmaxCrossEntropyWithLogits';
  const [z, l] = convertPair(logits, labels, op, ['logits', 'labels']);
  if (z.rank === 0)
    throw new RangeError(`${op}: logits must have at least one axis (the classes), got a scalar`);
  const a = normalizeAxis(axis, z.rank, op);
  return bind1(SoftmaxCrossEntropyWithLogits, [axisLast(l, a), axisLast(z, a)], undefined);
}

// ---- sigmoid cross-entropy ------------------------------------------------------------------------

/**
 * Sigmoid cross-entropy `max(x, 0) - x·z + log(1 + exp(-|x|))` for logits `x` and labels `z`,
 * elementwise and stable for large |x|, composed as TF composes it (so its gradient at x = 0 is
 * σ(0) - z, and labels get a gradient too).
 *
 * @example
 * tt.nn.sigmoidCrossEntropyWithLogits([1, 0], [0, 0]).array(); // [0.6931472, 0.6931472]
 */
export function sigmoidCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const op = 'sigmoidCrossEntropyWithLogits';
  const [x, z] = convertPair(logits, labels, op, ['logits', 'labels']);
  checkDtype(op, 'logits', x.dtype, FLOAT);
  if (!shapesEqual(x.shape, z.shape)) {
    throw new RangeError(
      `${op}: labels and logits must have the same shape, got ${fmt(z.shape)} and ${fmt(x.shape)}`,
    );
  }
  const zeros = zerosLike(x);
  const cond = greaterEqual(x, zeros);
  const reluLogits = where(cond, x, zeros);
  const negAbsLogits = where(cond, neg(x), x);
  return add(sub(reluLogits, mul(x, z)), log1p(exp(negAbsLogits)));
}

// ---- dropout -------------------------------------------------------------------------------------

/**
 * Zeroes each element of `x` with probability `rate` and scales the rest by `1 / (1 - rate)`, as
 * TF's `tf.nn.dropout`: the mask comes from `tt.random.uniform` (the global generator, or `seed`),
 * with shape `noiseShape` (default `x.shape`; size-1 axes share one draw). Gradients flow through
 * the kept elements. Under vmap the per-example mask is shared by every example.
 *
 * @example
 * tt.random.setSeed(0);
 * tt.nn.dropout(tt.ones([4]), 0.5).shape; // [4] (each element 0 or 2)
 */
export function dropout(
  x: TensorLike,
  rate: number,
  noiseShape?: readonly number[],
  seed?: number,
): Tensor {
  const op = 'dropout';
  const t = convert(x, undefined, op);
  checkDtype(op, 'x', t.dtype, FLOAT);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1))
    throw new RangeError(`${op}: rate must be a number in [0, 1), got ${String(rate)}`);
  const shape = noiseShape === undefined ? t.shape : checkShape(noiseShape, `${op} (noiseShape)`);
  const b = broadcastShapes(shape, t.shape);
  if (b === null || !shapesEqual(b, t.shape)) {
    throw new RangeError(
      `${op}: noiseShape ${fmt(shape)} does not broadcast to the shape of x ${fmt(t.shape)}`,
    );
  }
  if (rate === 0) return t;
  const random = uniform(shape, { seed, dtype: t.dtype });
  const keep = greaterEqual(random, rate);
  return where(keep, mul(t, 1 / (1 - rate)), zerosLike(t));
}
