// Activation primitives (Softplus, Relu6, Elu, Selu, LeakyRelu) and the softmax family (Softmax,
// LogSoftmax along any axis): each one op in TF, with TF's conventions at the kinks.

import { SELU_ALPHA, SELU_SCALE, type LeakyReluAttrs } from '../backend/js/catalogue.js';
import { kernelSlot } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { normalizeAxis } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, exp, less, mul, sigmoid, sub, where, zerosLike } from './elementwise.js';
import {
  FLOAT,
  NUMERIC,
  binary,
  binaryPrimitive,
  checkDtype,
  moveAxis,
  unary,
  unaryPrimitive,
  withPrimitive,
} from './helpers.js';
import { sum } from './reduce.js';

/**
 * log(1 + eˣ) elementwise, computed without overflow.
 * d softplus = sigmoid.
 *
 * @example
 * tt.softplus([0]).array(); // [0.6931472]
 */
export const softplus = unary('Softplus', 'softplus', {
  vjp: ({ x }, yBar) => mul(yBar, sigmoid(x)),
  jvp: ({ x }, xDot) => mul(xDot, sigmoid(x)),
});

/**
 * min(max(x, 0), 6) elementwise.
 * min(max(x, 0), 6).
 *
 * @example
 * tt.relu6([-1, 3, 8]).array(); // [0, 3, 6]
 */
export const relu6 = unary('Relu6', 'relu6', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => relu6Grad(yBar, x),
  jvp: ({ x }, xDot) => relu6Grad(xDot, x),
});

/**
 * dy where 0 < x < 6, else 0 (dy · [0 < x < 6], so 0 at both kinks): the gradient of relu6 as
 * TF's Relu6Grad, constant in `x` (its gradient there is zeros, as in TF).
 */
const relu6Grad = binary('Relu6Grad', 'relu6Grad', {
  dtypes: NUMERIC,
  vjp: { a: ({ b }, g) => relu6Grad(g, b), b: (_, g) => zerosLike(g) },
  jvp: { a: ({ b }, aDot) => relu6Grad(aDot, b), b: ({ y }) => zerosLike(y) },
});

/**
 * x for x > 0, else eˣ - 1.
 * x for x > 0, else eˣ - 1; elu'(0) = 1, as in TF (its rule tests y < 0).
 *
 * @example
 * tt.elu([1, 0]).array(); // [1, 0]
 */
export const elu = unary('Elu', 'elu', {
  vjp: ({ y }, yBar) => where(less(y, 0), mul(yBar, add(y, 1)), yBar),
  jvp: ({ y }, xDot) => where(less(y, 0), mul(xDot, add(y, 1)), xDot),
});

/**
 * scale·x for x > 0, else scale·alpha·(eˣ - 1), with SELU's constants.
 * scale·x for x > 0, else scale·alpha·(eˣ - 1); selu'(0) = scale, as in TF.
 *
 * @example
 * tt.selu([1]).array(); // [1.050701]
 */
export const selu = unary('Selu', 'selu', {
  vjp: ({ y }, yBar) =>
    where(less(y, 0), mul(yBar, add(y, SELU_SCALE * SELU_ALPHA)), mul(yBar, SELU_SCALE)),
  jvp: ({ y }, xDot) =>
    where(less(y, 0), mul(xDot, add(y, SELU_SCALE * SELU_ALPHA)), mul(xDot, SELU_SCALE)),
});

const LeakyRelu = unaryPrimitive<LeakyReluAttrs>('LeakyRelu', 'leakyRelu', {
  vjp: ({ x, attrs }, yBar) => bind1(LeakyReluGrad, [yBar, x], attrs),
  jvp: ({ x, attrs }, xDot) => bind1(LeakyReluGrad, [xDot, x], attrs),
});

/**
 * dy where x > 0, else alpha·dy: the gradient of leakyRelu as TF's LeakyReluGrad, constant in `x`
 * (its gradient there is zeros, as in TF).
 */
const LeakyReluGrad: Primitive<LeakyReluAttrs> = binaryPrimitive<LeakyReluAttrs>(
  'LeakyReluGrad',
  'leakyReluGrad',
  {
    dtypes: FLOAT,
    vjp: { a: ({ b, attrs }, g) => bind1(LeakyReluGrad, [g, b], attrs), b: (_, g) => zerosLike(g) },
    jvp: {
      a: ({ b, attrs }, aDot) => bind1(LeakyReluGrad, [aDot, b], attrs),
      b: ({ y }) => zerosLike(y),
    },
  },
);

/**
 * x for x > 0, else alpha·x (default alpha 0.2, as in TF); the slope at 0 is alpha.
 *
 * @example
 * tt.leakyRelu([-1, 2], 0.1).array(); // [-0.1, 2]
 */
export const leakyRelu = withPrimitive((x: TensorLike, alpha = 0.2): Tensor => {
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new TypeError(`leakyRelu: alpha must be a finite number, got ${String(alpha)}`);
  }
  return bind1(LeakyRelu, [convert(x, undefined, 'leakyRelu')], { alpha });
}, LeakyRelu);

// ---- softmax ------------------------------------------------------------------------------------

interface SoftmaxAttrs {
  /** Non-negative. */
  readonly axis: number;
}

function softmaxPrimitive(
  name: 'Softmax' | 'LogSoftmax',
  opName: string,
  rules: Pick<Primitive<SoftmaxAttrs>, 'vjp' | 'jvp'>,
): Primitive<SoftmaxAttrs> {
  const slot = kernelSlot(name);
  const prim: Primitive<SoftmaxAttrs> = declarePrimitive<SoftmaxAttrs>({
    name,
    impl: (inputs, attrs) => {
      const x = inputs[0];
      checkDtype(opName, 'logits', x.dtype, FLOAT);
      return [new Tensor(slot.run(inputs, attrs, [x]), x.shape, x.dtype)];
    },
    ...rules,
    batch: (args, axes, attrs) => [
      [bind1(prim, [moveAxis(args[0], axes[0]!, 0)], { axis: attrs.axis + 1 })],
      [0],
    ],
  });
  return prim;
}

/** Sum along the softmax axis, kept for broadcasting. */
const sumAlong = (x: Tensor, axis: number) => sum(x, axis, true);

const Softmax = softmaxPrimitive('Softmax', 'softmax', {
  // y ⊙ (ȳ - <ȳ, y>) along the axis.
  vjp: (op, yBars) => {
    const y = op.outputs[0];
    const yBar = yBars[0]!;
    return [mul(y, sub(yBar, sumAlong(mul(yBar, y), op.attrs.axis)))];
  },
  jvp: (op, xDots) => {
    const y = op.outputs[0];
    const xDot = xDots[0];
    return [xDot === null ? null : mul(y, sub(xDot, sumAlong(mul(xDot, y), op.attrs.axis)))];
  },
});

const LogSoftmax = softmaxPrimitive('LogSoftmax', 'logSoftmax', {
  // ȳ - softmax ⊙ Σȳ along the axis.
  vjp: (op, yBars) => {
    const y = op.outputs[0];
    const yBar = yBars[0]!;
    return [sub(yBar, mul(exp(y), sumAlong(yBar, op.attrs.axis)))];
  },
  jvp: (op, xDots) => {
    const y = op.outputs[0];
    const xDot = xDots[0];
    return [xDot === null ? null : sub(xDot, sumAlong(mul(exp(y), xDot), op.attrs.axis))];
  },
});

function softmaxOp(prim: Primitive<SoftmaxAttrs>, opName: string) {
  return withPrimitive((logits: TensorLike, axis = -1): Tensor => {
    const x = convert(logits, undefined, opName);
    if (x.rank === 0) {
      throw new RangeError(`${opName}: logits must have rank >= 1, got a scalar`);
    }
    return bind1(prim, [x], { axis: normalizeAxis(axis, x.rank, opName) });
  }, prim);
}

/**
 * exp(x) / Σ exp(x) along `axis` (default the last), computed stably.
 *
 * @example
 * tt.nn.softmax([0, Math.log(3)]).array(); // [0.25, 0.75]
 */
export const softmax = softmaxOp(Softmax, 'softmax');

/**
 * log(softmax(x)) along `axis` (default the last), computed stably.
 *
 * @example
 * tt.nn.logSoftmax([0, 0]).array(); // [-0.6931472, -0.6931472]
 */
export const logSoftmax = softmaxOp(LogSoftmax, 'logSoftmax');
