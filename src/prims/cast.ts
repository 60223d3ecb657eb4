// Cast, Identity and StopGradient: primitives that change a tensor's dtype or only its role.

import { kernel } from '../backend/backend.js';
import { convert, type TensorLike } from '../convert.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { bind, bind1 } from '../core/stack.js';
import { checkDType, isFloat, type DType } from '../dtype.js';
import { Tensor } from '../tensor.js';

interface CastAttrs {
  readonly dtype: DType;
}

/** Gradients pass through a cast only between float dtypes (as in TF). */
const Cast: Primitive<CastAttrs> = declarePrimitive<CastAttrs>({
  name: 'Cast',
  impl: (inputs, attrs) => {
    const x = inputs[0];
    const out = [{ shape: x.shape, dtype: attrs.dtype }];
    return [new Tensor(kernel('Cast')(inputs, attrs, out), x.shape, attrs.dtype)];
  },
  vjp: (op, yBars) => {
    const x = op.inputs[0];
    return [isFloat(x.dtype) && isFloat(op.attrs.dtype) ? cast(yBars[0]!, x.dtype) : null];
  },
  jvp: (op, xDots) => [
    xDots[0] !== null && isFloat(op.attrs.dtype) ? cast(xDots[0], op.attrs.dtype) : null,
  ],
  batch: (args, axes, attrs) => [bind(Cast, [args[0]], attrs), [axes[0]]],
});

/**
 * Converts to another dtype: float to int truncates toward zero, anything to bool tests for
 * non-zero.
 *
 * @example
 * tt.cast([1.7, -1.7], 'int32').array(); // [1, -1]
 */
export function cast(x: TensorLike, dtype: DType): Tensor {
  checkDType(dtype, 'cast');
  const t = convert(x, undefined, 'cast');
  if (t.dtype === dtype) return t;
  return bind1(Cast, [t], { dtype });
}

const Identity: Primitive = declarePrimitive({
  name: 'Identity',
  impl: (inputs) => {
    const x = inputs[0];
    return [new Tensor(kernel('Identity')(inputs, undefined, [x]), x.shape, x.dtype)];
  },
  vjp: (_op, yBars) => [yBars[0]],
  jvp: (_op, xDots) => [xDots[0]],
  batch: (args, axes) => [bind(Identity, [args[0]], undefined), [axes[0]]],
});

/**
 * A new tensor with the same value (a recorded op, so gradients flow through it).
 *
 * @example
 * tt.identity([1, 2]).array(); // [1, 2]
 */
export function identity(x: TensorLike): Tensor {
  return bind1(Identity, [convert(x, undefined, 'identity')], undefined);
}

const StopGradient: Primitive = declarePrimitive({
  name: 'StopGradient',
  impl: (inputs) => {
    const x = inputs[0];
    return [new Tensor(kernel('Identity')(inputs, undefined, [x]), x.shape, x.dtype)];
  },
  vjp: null,
  jvp: null,
  batch: (args, axes) => [bind(StopGradient, [args[0]], undefined), [axes[0]]],
  nonDifferentiable: true,
});

/**
 * The same value, with no gradient flowing through it (tapes and accumulators treat the result as
 * a constant).
 *
 * @example
 * const x = tt.variable(2.0);
 * const tape = new tt.GradientTape();
 * const y = tape.record(() => tt.stopGradient(x.mul(x)));
 * tape.gradient(y, x); // null
 */
export function stopGradient(x: TensorLike): Tensor {
  return bind1(StopGradient, [convert(x, undefined, 'stopGradient')], undefined);
}
