// Elementwise primitives: each declared once with its reverse and forward rules in differentiable
// ops (so every order works), recorded under TF's op type name.

import { convert, convertPair, type TensorLike } from '../convert.js';
import { bind1 } from '../core/stack.js';
import { declarePrimitive, type Primitive } from '../core/primitive.js';
import { kernel } from '../backend/backend.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import {
  ALL,
  BOOL,
  FLOAT,
  NUMERIC,
  batchElementwise,
  binary,
  broadcastOperands,
  checkDtype,
  unary,
} from './helpers.js';

// ---- arithmetic ---------------------------------------------------------------------------------

/**
 * a + b elementwise, with broadcasting (TF's AddV2).
 *
 * @example
 * tt.add([1, 2], 10).array(); // [11, 12]
 */
export const add = binary('AddV2', 'add', {
  vjp: { a: (_, yBar) => yBar, b: (_, yBar) => yBar },
  jvp: { a: (_, aDot) => aDot, b: (_, bDot) => bDot },
});

/**
 * a - b elementwise, with broadcasting.
 *
 * @example
 * tt.sub([[5], [7]], [1, 2]).array(); // [[4, 3], [6, 5]]
 */
export const sub = binary('Sub', 'sub', {
  vjp: { a: (_, yBar) => yBar, b: (_, yBar) => neg(yBar) },
  jvp: { a: (_, aDot) => aDot, b: (_, bDot) => neg(bDot) },
});

/**
 * a · b elementwise, with broadcasting.
 *
 * @example
 * tt.mul([1, 2, 3], 2).array(); // [2, 4, 6]
 */
export const mul = binary('Mul', 'mul', {
  vjp: { a: ({ b }, yBar) => mul(yBar, b), b: ({ a }, yBar) => mul(a, yBar) },
  jvp: { a: ({ b }, aDot) => mul(aDot, b), b: ({ a }, bDot) => mul(a, bDot) },
});

/**
 * a / b elementwise for floats, with broadcasting (TF's RealDiv).
 *
 * @example
 * tt.div([1, 3], 2).array(); // [0.5, 1.5]
 */
export const div = binary('RealDiv', 'div', {
  dtypes: FLOAT,
  vjp: {
    a: ({ b }, yBar) => div(yBar, b),
    b: ({ a, b }, yBar) => neg(mul(yBar, div(div(a, b), b))), // d(a/b)/db = -a/b²
  },
  jvp: {
    a: ({ b }, aDot) => div(aDot, b),
    b: ({ y, b }, bDot) => neg(mul(bDot, div(y, b))),
  },
});

/** Gradient of a**b in the exponent: y·log(a), taken as 0 where a <= 0 (as TF does). */
function powExponentFactor(a: Tensor, y: Tensor): Tensor {
  const positive = greater(a, 0);
  const safeLog = log(where(positive, a, onesLike(a)));
  return where(positive, mul(y, safeLog), zerosLike(y));
}

/**
 * a ** b elementwise, with broadcasting; the gradient in the exponent is 0 where a <= 0, as in TF.
 *
 * @example
 * tt.pow([2, 3], 2).array(); // [4, 9]
 */
export const pow = binary('Pow', 'pow', {
  validate: (a, b) => {
    if (a.dtype !== 'int32') return;
    const e = b.values();
    for (let i = 0; i < e.length; i++) {
      if (e[i] < 0) {
        throw new RangeError(
          `pow: integers to negative integer powers are not allowed (exponent ${e[i]} at ${i})`,
        );
      }
    }
  },
  vjp: {
    a: ({ a, b }, yBar) => mul(yBar, mul(b, pow(a, sub(b, 1)))),
    b: ({ a, y }, yBar) => mul(yBar, powExponentFactor(a, y)),
  },
  jvp: {
    a: ({ a, b }, aDot) => mul(aDot, mul(b, pow(a, sub(b, 1)))),
    b: ({ a, y }, bDot) => mul(bDot, powExponentFactor(a, y)),
  },
});

/**
 * -x elementwise.
 *
 * @example
 * tt.neg([1, -2]).array(); // [-1, 2]
 */
export const neg = unary('Neg', 'neg', {
  dtypes: NUMERIC,
  vjp: (_, yBar) => neg(yBar),
  jvp: (_, xDot) => neg(xDot),
});

/**
 * x² elementwise.
 *
 * @example
 * tt.square([2, -3]).array(); // [4, 9]
 */
export const square = unary('Square', 'square', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => mul(yBar, mul(x, 2)),
  jvp: ({ x }, xDot) => mul(xDot, mul(x, 2)),
});

/**
 * √x elementwise.
 *
 * @example
 * tt.sqrt([4, 9]).array(); // [2, 3]
 */
export const sqrt = unary('Sqrt', 'sqrt', {
  vjp: ({ y }, yBar) => div(yBar, mul(y, 2)),
  jvp: ({ y }, xDot) => div(xDot, mul(y, 2)),
});

// ---- exponentials and logarithms ----------------------------------------------------------------

/**
 * eˣ elementwise.
 *
 * @example
 * tt.exp([0, 1]).array(); // [1, 2.7182817]
 */
export const exp = unary('Exp', 'exp', {
  vjp: ({ y }, yBar) => mul(yBar, y),
  jvp: ({ y }, xDot) => mul(xDot, y),
});

/**
 * The natural logarithm elementwise.
 *
 * @example
 * tt.log([1, Math.E]).array(); // [0, 1]
 */
export const log = unary('Log', 'log', {
  vjp: ({ x }, yBar) => div(yBar, x),
  jvp: ({ x }, xDot) => div(xDot, x),
});

// ---- trigonometric ------------------------------------------------------------------------------

/**
 * The sine elementwise.
 *
 * @example
 * tt.sin([0, Math.PI / 2]).array(); // [0, 1]
 */
export const sin = unary('Sin', 'sin', {
  vjp: ({ x }, yBar) => mul(yBar, cos(x)),
  jvp: ({ x }, xDot) => mul(xDot, cos(x)),
});

/**
 * The cosine elementwise.
 *
 * @example
 * tt.cos([0, Math.PI]).array(); // [1, -1]
 */
export const cos = unary('Cos', 'cos', {
  vjp: ({ x }, yBar) => neg(mul(yBar, sin(x))),
  jvp: ({ x }, xDot) => neg(mul(xDot, sin(x))),
});

// ---- activations --------------------------------------------------------------------------------

/**
 * 1 / (1 + e⁻ˣ) elementwise.
 * d sigmoid = y(1 - y), in terms of the output so that higher orders stay connected.
 *
 * @example
 * tt.sigmoid([0]).array(); // [0.5]
 */
export const sigmoid = unary('Sigmoid', 'sigmoid', {
  vjp: ({ y }, yBar) => sigmoidGrad(y, yBar),
  jvp: ({ y }, xDot) => sigmoidGrad(y, xDot),
});

/**
 * The hyperbolic tangent elementwise.
 * d tanh = 1 - y².
 *
 * @example
 * tt.tanh([0, 100]).array(); // [0, 1]
 */
export const tanh = unary('Tanh', 'tanh', {
  vjp: ({ y }, yBar) => tanhGrad(y, yBar),
  jvp: ({ y }, xDot) => tanhGrad(y, xDot),
});

/**
 * max(x, 0) elementwise.
 * relu'(0) = 0, as in TF.
 *
 * @example
 * tt.relu([-1, 0, 2]).array(); // [0, 0, 2]
 */
export const relu = unary('Relu', 'relu', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => reluGrad(yBar, x),
  jvp: ({ x }, xDot) => reluGrad(xDot, x),
});

// The gradients of sigmoid, tanh and relu as primitives of their own (TF's SigmoidGrad, TanhGrad
// and ReluGrad): one pass instead of three ops in every backward (and forward-mode) step through
// them. Their own rules keep every higher order exact.

/** dy · y(1 - y): the gradient of sigmoid from its output `y` and the output's cotangent `dy`. */
const sigmoidGrad = binary('SigmoidGrad', 'sigmoidGrad', {
  dtypes: FLOAT,
  vjp: { a: ({ a, b }, g) => sigmoidGradY(a, b, g), b: ({ a }, g) => sigmoidGrad(a, g) },
  jvp: {
    a: ({ a, b }, aDot) => sigmoidGradY(a, b, aDot),
    b: ({ a }, bDot) => sigmoidGrad(a, bDot),
  },
});

/** t · d/dy [dy · y(1 - y)] = t·dy - 2·t·dy·y, in TF's order of operations. */
function sigmoidGradY(y: Tensor, dy: Tensor, t: Tensor): Tensor {
  const tdy = mul(t, dy);
  return sub(tdy, mul(mul(2, tdy), y));
}

/** dy · (1 - y²): the gradient of tanh from its output `y` and the output's cotangent `dy`. */
const tanhGrad = binary('TanhGrad', 'tanhGrad', {
  dtypes: FLOAT,
  vjp: { a: ({ a, b }, g) => tanhGradY(a, b, g), b: ({ a }, g) => tanhGrad(a, g) },
  jvp: { a: ({ a, b }, aDot) => tanhGradY(a, b, aDot), b: ({ a }, bDot) => tanhGrad(a, bDot) },
});

/** t · d/dy [dy · (1 - y²)] = t·(-2)·dy·y, in TF's order of operations. */
function tanhGradY(y: Tensor, dy: Tensor, t: Tensor): Tensor {
  return mul(mul(mul(t, -2), dy), y);
}

/** dy where x > 0, else 0 (dy · [x > 0]): the gradient of relu; constant in `x`, as in TF. */
const reluGrad = binary('ReluGrad', 'reluGrad', {
  dtypes: NUMERIC,
  vjp: { a: ({ b }, g) => reluGrad(g, b), b: (_, g) => zerosLike(g) },
  jvp: { a: ({ b }, aDot) => reluGrad(aDot, b), b: ({ y }) => zerosLike(y) },
});

// ---- comparisons (no gradient) ------------------------------------------------------------------

const comparison = (
  name: 'Greater' | 'GreaterEqual' | 'Less' | 'LessEqual' | 'Equal' | 'NotEqual',
  opName: string,
) =>
  binary(name, opName, {
    dtypes: name === 'Equal' || name === 'NotEqual' ? ALL : NUMERIC,
    outDtype: 'bool',
    nonDifferentiable: true,
  });

/**
 * a > b elementwise (bool; no gradient).
 *
 * @example
 * tt.greater([1, 2, 3], 2).array(); // [false, false, true]
 */
export const greater = comparison('Greater', 'greater');
/**
 * a >= b elementwise (bool; no gradient).
 *
 * @example
 * tt.greaterEqual([1, 2, 3], 2).array(); // [false, true, true]
 */
export const greaterEqual = comparison('GreaterEqual', 'greaterEqual');
/**
 * a < b elementwise (bool; no gradient).
 *
 * @example
 * tt.less([1, 2, 3], 2).array(); // [true, false, false]
 */
export const less = comparison('Less', 'less');
/**
 * a <= b elementwise (bool; no gradient).
 *
 * @example
 * tt.lessEqual([1, 2, 3], 2).array(); // [true, true, false]
 */
export const lessEqual = comparison('LessEqual', 'lessEqual');
/**
 * a == b elementwise (bool; any dtype; no gradient).
 *
 * @example
 * tt.equal([1, 2], [1, 3]).array(); // [true, false]
 */
export const equal = comparison('Equal', 'equal');
/**
 * a != b elementwise (bool; any dtype; no gradient).
 *
 * @example
 * tt.notEqual([1, 2], [1, 3]).array(); // [false, true]
 */
export const notEqual = comparison('NotEqual', 'notEqual');

/**
 * a && b elementwise on bool tensors.
 *
 * @example
 * tt.logicalAnd([true, true], [true, false]).array(); // [true, false]
 */
export const logicalAnd = binary('LogicalAnd', 'logicalAnd', {
  dtypes: BOOL,
  nonDifferentiable: true,
});
/**
 * a || b elementwise on bool tensors.
 *
 * @example
 * tt.logicalOr([true, false], [false, false]).array(); // [true, false]
 */
export const logicalOr = binary('LogicalOr', 'logicalOr', {
  dtypes: BOOL,
  nonDifferentiable: true,
});
/**
 * !x elementwise on a bool tensor.
 *
 * @example
 * tt.logicalNot([true, false]).array(); // [false, true]
 */
export const logicalNot = unary('LogicalNot', 'logicalNot', {
  dtypes: BOOL,
  nonDifferentiable: true,
});

// ---- selection ----------------------------------------------------------------------------------

const SelectV2: Primitive = declarePrimitive({
  name: 'SelectV2',
  impl: (inputs) => {
    const [c, a, b] = inputs;
    checkDtype('where', 'condition', c.dtype, BOOL);
    const ab = broadcastOperands('where', a, b);
    const shape = broadcastShapes(c.shape, ab);
    if (shape === null) {
      throw new RangeError(
        `where: condition shape [${c.shape.join(', ')}] does not broadcast with [${ab.join(', ')}]`,
      );
    }
    return [
      new Tensor(
        kernel('SelectV2')(inputs, undefined, [{ shape, dtype: a.dtype }]),
        shape,
        a.dtype,
      ),
    ];
  },
  vjp: (op, yBars, needs) => {
    const [c] = op.inputs;
    const yBar = yBars[0]!;
    const zero = zerosLike(yBar);
    return [null, needs[1] ? where(c, yBar, zero) : null, needs[2] ? where(c, zero, yBar) : null];
  },
  jvp: (op, xDots) => {
    const [c, a, b] = op.inputs;
    const [, aDot, bDot] = xDots;
    if (aDot === null && bDot === null) return [null];
    return [where(c, aDot ?? zerosLike(a), bDot ?? zerosLike(b))];
  },
  batch: null,
});
SelectV2.batch = batchElementwise(SelectV2);

/**
 * `condition ? a : b` elementwise; all three broadcast (TF's SelectV2).
 * `condition ? a : b` elementwise; all three broadcast.
 *
 * @example
 * tt.where([true, false], [1, 2], [10, 20]).array(); // [1, 20]
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = convert(condition, 'bool', 'where', 'condition');
  const [x, y] = convertPair(a, b, 'where');
  return bind1(SelectV2, [c, x, y], undefined);
}

// ---- creation helpers used by rules ------------------------------------------------------------

/** Zeros with the shape and dtype of `x` (a batched `x` gives unbatched zeros of its per-example shape). */
export function zerosLike(x: Tensor): Tensor {
  return fillTensor(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return fillTensor(x.shape, 1, x.dtype);
}

export function fillTensor(
  shape: readonly number[],
  value: number,
  dtype: Tensor['dtype'],
): Tensor {
  const s = shape.slice();
  return new Tensor(kernel('Fill')([], { value }, [{ shape: s, dtype }]), s, dtype);
}

export const FLOAT_DTYPES = FLOAT;
