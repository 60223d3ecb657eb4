// Elementwise math primitives beyond arithmetic: absolute value and sign, powers and logarithms,
// trigonometric and hyperbolic functions, the error function, rounding, maximum/minimum and the
// other binary functions. Each is declared once with its rules in differentiable ops, recorded
// under TF's op type name, with TF's conventions at kinks and ties.

import type { Tensor } from '../tensor.js';
import { FLOAT, NUMERIC, binary, unary } from './helpers.js';
import {
  add,
  div,
  exp,
  greaterEqual,
  lessEqual,
  mul,
  neg,
  sqrt,
  square,
  sub,
  where,
  zerosLike,
} from './elementwise.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

// ---- absolute value, sign, powers ---------------------------------------------------------------

/**
 * |x| elementwise.
 * abs'(0) = 0, as in TF (the derivative is sign(x)).
 *
 * @example
 * tt.abs([-2, 0, 3]).array(); // [2, 0, 3]
 */
export const abs = unary('Abs', 'abs', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => mul(yBar, sign(x)),
  jvp: ({ x }, xDot) => mul(xDot, sign(x)),
});

/**
 * -1, 0 or 1 by the sign of x (NaN stays NaN).
 * sign's gradient is zeros (not null), as in TF.
 *
 * @example
 * tt.sign([-2, 0, 3]).array(); // [-1, 0, 1]
 */
export const sign = unary('Sign', 'sign', {
  dtypes: NUMERIC,
  vjp: (_, yBar) => zerosLike(yBar),
  jvp: (_, xDot) => zerosLike(xDot),
});

/**
 * 1/√x elementwise.
 * d x^{-1/2} = -y³/2.
 *
 * @example
 * tt.rsqrt([4, 16]).array(); // [0.5, 0.25]
 */
export const rsqrt = unary('Rsqrt', 'rsqrt', {
  vjp: ({ y }, yBar) => mul(yBar, mul(mul(y, square(y)), -0.5)),
  jvp: ({ y }, xDot) => mul(xDot, mul(mul(y, square(y)), -0.5)),
});

/**
 * 1/x elementwise.
 * d (1/x) = -y².
 *
 * @example
 * tt.reciprocal([2, -4]).array(); // [0.5, -0.25]
 */
export const reciprocal = unary('Reciprocal', 'reciprocal', {
  vjp: ({ y }, yBar) => neg(mul(yBar, square(y))),
  jvp: ({ y }, xDot) => neg(mul(xDot, square(y))),
});

// ---- exponentials and logarithms ----------------------------------------------------------------

/**
 * eˣ - 1 elementwise, accurate for small x.
 *
 * @example
 * tt.expm1(tt.tensor([1e-10], [1], 'float64')).array(); // [1.00000000005e-10]
 */
export const expm1 = unary('Expm1', 'expm1', {
  vjp: ({ x }, yBar) => mul(yBar, exp(x)),
  jvp: ({ x }, xDot) => mul(xDot, exp(x)),
});

/**
 * log(1 + x) elementwise, accurate for small x.
 *
 * @example
 * tt.log1p(tt.tensor([1e-10], [1], 'float64')).array(); // [9.9999999995e-11]
 */
export const log1p = unary('Log1p', 'log1p', {
  vjp: ({ x }, yBar) => div(yBar, add(x, 1)),
  jvp: ({ x }, xDot) => div(xDot, add(x, 1)),
});

// ---- trigonometric and hyperbolic ---------------------------------------------------------------

/**
 * The tangent elementwise.
 * d tan = 1 + tan².
 *
 * @example
 * tt.tan([0, Math.PI / 4]).array(); // [0, 1]
 */
export const tan = unary('Tan', 'tan', {
  vjp: ({ y }, yBar) => mul(yBar, add(square(y), 1)),
  jvp: ({ y }, xDot) => mul(xDot, add(square(y), 1)),
});

/** √(1 - x²): asin' = 1/√(1 - x²) = -acos'. */
const sqrtOneMinusSquare = (x: Tensor) => sqrt(sub(1, square(x)));

/**
 * The arcsine elementwise.
 *
 * @example
 * tt.asin([0, 1]).array(); // [0, 1.5707964]
 */
export const asin = unary('Asin', 'asin', {
  vjp: ({ x }, yBar) => div(yBar, sqrtOneMinusSquare(x)),
  jvp: ({ x }, xDot) => div(xDot, sqrtOneMinusSquare(x)),
});

/**
 * The arccosine elementwise.
 *
 * @example
 * tt.acos([1, 0]).array(); // [0, 1.5707964]
 */
export const acos = unary('Acos', 'acos', {
  vjp: ({ x }, yBar) => neg(div(yBar, sqrtOneMinusSquare(x))),
  jvp: ({ x }, xDot) => neg(div(xDot, sqrtOneMinusSquare(x))),
});

/**
 * The arctangent elementwise.
 *
 * @example
 * tt.atan([0, 1]).array(); // [0, 0.7853982]
 */
export const atan = unary('Atan', 'atan', {
  vjp: ({ x }, yBar) => div(yBar, add(square(x), 1)),
  jvp: ({ x }, xDot) => div(xDot, add(square(x), 1)),
});

/**
 * The hyperbolic sine elementwise.
 *
 * @example
 * tt.sinh([0, 1]).array(); // [0, 1.1752012]
 */
export const sinh = unary('Sinh', 'sinh', {
  vjp: ({ x }, yBar) => mul(yBar, cosh(x)),
  jvp: ({ x }, xDot) => mul(xDot, cosh(x)),
});

/**
 * The hyperbolic cosine elementwise.
 *
 * @example
 * tt.cosh([0, 1]).array(); // [1, 1.5430806]
 */
export const cosh = unary('Cosh', 'cosh', {
  vjp: ({ x }, yBar) => mul(yBar, sinh(x)),
  jvp: ({ x }, xDot) => mul(xDot, sinh(x)),
});

/**
 * The inverse hyperbolic sine elementwise.
 * d asinh = 1/cosh(y), in terms of the output as TF writes it.
 *
 * @example
 * tt.asinh([0, 1]).array(); // [0, 0.8813736]
 */
export const asinh = unary('Asinh', 'asinh', {
  vjp: ({ y }, yBar) => div(yBar, cosh(y)),
  jvp: ({ y }, xDot) => div(xDot, cosh(y)),
});

/**
 * The inverse hyperbolic cosine elementwise.
 * d acosh = 1/sinh(y).
 *
 * @example
 * tt.acosh([1, 2]).array(); // [0, 1.316958]
 */
export const acosh = unary('Acosh', 'acosh', {
  vjp: ({ y }, yBar) => div(yBar, sinh(y)),
  jvp: ({ y }, xDot) => div(xDot, sinh(y)),
});

/**
 * The inverse hyperbolic tangent elementwise.
 *
 * @example
 * tt.atanh([0, 0.5]).array(); // [0, 0.54930615]
 */
export const atanh = unary('Atanh', 'atanh', {
  vjp: ({ x }, yBar) => div(yBar, sub(1, square(x))),
  jvp: ({ x }, xDot) => div(xDot, sub(1, square(x))),
});

// ---- error function -----------------------------------------------------------------------------

/** d erf = 2/√π · e^{-x²}. */
const erfDerivative = (x: Tensor) => mul(exp(neg(square(x))), TWO_OVER_SQRT_PI);

/**
 * The error function elementwise.
 *
 * @example
 * tt.erf([0, 1]).array(); // [0, 0.8427008]
 */
export const erf = unary('Erf', 'erf', {
  vjp: ({ x }, yBar) => mul(yBar, erfDerivative(x)),
  jvp: ({ x }, xDot) => mul(xDot, erfDerivative(x)),
});

/**
 * The complementary error function 1 - erf(x), accurate where it is tiny.
 *
 * @example
 * tt.erfc(tt.tensor([0, 10], [2], 'float64')).array(); // [1, 2.088487583762545e-45]
 */
export const erfc = unary('Erfc', 'erfc', {
  vjp: ({ x }, yBar) => neg(mul(yBar, erfDerivative(x))),
  jvp: ({ x }, xDot) => neg(mul(xDot, erfDerivative(x))),
});

// ---- rounding and classification (no gradient, as in TF) ---------------------------------------

/**
 * The largest integer <= x, elementwise (no gradient, as in TF).
 *
 * @example
 * tt.floor([1.5, -1.5]).array(); // [1, -2]
 */
export const floor = unary('Floor', 'floor', { nonDifferentiable: true });
/**
 * The smallest integer >= x, elementwise (no gradient, as in TF).
 *
 * @example
 * tt.ceil([1.5, -1.5]).array(); // [2, -1]
 */
export const ceil = unary('Ceil', 'ceil', { nonDifferentiable: true });
/**
 * Rounds half to even, as TF's Round; integers pass unchanged (no gradient, as in TF).
 * Rounds half to even, as TF's Round (`round(2.5) = 2`); integers pass unchanged.
 *
 * @example
 * tt.round([0.5, 1.5, 2.5, -0.5]).array(); // [0, 2, 2, -0]
 */
export const round = unary('Round', 'round', { dtypes: NUMERIC, nonDifferentiable: true });

/**
 * Whether each element is finite (bool).
 *
 * @example
 * tt.isFinite([1, Infinity, NaN]).array(); // [true, false, false]
 */
export const isFinite = unary('IsFinite', 'isFinite', {
  outDtype: 'bool',
  nonDifferentiable: true,
});
/**
 * Whether each element is NaN (bool).
 *
 * @example
 * tt.isNaN([1, Infinity, NaN]).array(); // [false, false, true]
 */
export const isNaN = unary('IsNan', 'isNaN', { outDtype: 'bool', nonDifferentiable: true });
/**
 * Whether each element is ±infinity (bool).
 *
 * @example
 * tt.isInf([1, -Infinity, NaN]).array(); // [false, true, false]
 */
export const isInf = unary('IsInf', 'isInf', { outDtype: 'bool', nonDifferentiable: true });

// ---- binary functions ---------------------------------------------------------------------------

/**
 * The larger of a and b elementwise, with broadcasting; NaN propagates.
 * At a tie the gradient goes to `a`, as in TF (its mask is a >= b).
 *
 * @example
 * tt.maximum([1, 5], [3, 2]).array(); // [3, 5]
 */
export const maximum = binary('Maximum', 'maximum', {
  vjp: {
    a: ({ a, b }, yBar) => where(greaterEqual(a, b), yBar, zerosLike(yBar)),
    b: ({ a, b }, yBar) => where(greaterEqual(a, b), zerosLike(yBar), yBar),
  },
  jvp: {
    a: ({ a, b }, aDot) => where(greaterEqual(a, b), aDot, zerosLike(aDot)),
    b: ({ a, b }, bDot) => where(greaterEqual(a, b), zerosLike(bDot), bDot),
  },
});

/**
 * The smaller of a and b elementwise, with broadcasting; NaN propagates.
 * At a tie the gradient goes to `a`, as in TF (its mask is a <= b).
 *
 * @example
 * tt.minimum([1, 5], [3, 2]).array(); // [1, 2]
 */
export const minimum = binary('Minimum', 'minimum', {
  vjp: {
    a: ({ a, b }, yBar) => where(lessEqual(a, b), yBar, zerosLike(yBar)),
    b: ({ a, b }, yBar) => where(lessEqual(a, b), zerosLike(yBar), yBar),
  },
  jvp: {
    a: ({ a, b }, aDot) => where(lessEqual(a, b), aDot, zerosLike(aDot)),
    b: ({ a, b }, bDot) => where(lessEqual(a, b), zerosLike(bDot), bDot),
  },
});

/**
 * (a - b)² elementwise, with broadcasting (one op in TF).
 * (a - b)², one op in TF.
 *
 * @example
 * tt.squaredDifference([1, 5], 2).array(); // [1, 9]
 */
export const squaredDifference = binary('SquaredDifference', 'squaredDifference', {
  vjp: {
    a: ({ a, b }, yBar) => mul(yBar, mul(sub(a, b), 2)),
    b: ({ a, b }, yBar) => mul(yBar, mul(sub(b, a), 2)),
  },
  jvp: {
    a: ({ a, b }, aDot) => mul(aDot, mul(sub(a, b), 2)),
    b: ({ a, b }, bDot) => mul(bDot, mul(sub(b, a), 2)),
  },
});

/**
 * The angle of the point (b, a) elementwise, in (-π, π].
 * atan2(a, b) is the angle of the point (b, a); NaN gradient at the origin, as in TF.
 *
 * @example
 * tt.atan2([1, 1], [1, -1]).array(); // [0.7853982, 2.3561945]
 */
export const atan2 = binary('Atan2', 'atan2', {
  dtypes: FLOAT,
  vjp: {
    a: ({ a, b }, yBar) => mul(yBar, div(b, add(square(a), square(b)))),
    b: ({ a, b }, yBar) => mul(yBar, div(neg(a), add(square(a), square(b)))),
  },
  jvp: {
    a: ({ a, b }, aDot) => mul(aDot, div(b, add(square(a), square(b)))),
    b: ({ a, b }, bDot) => mul(bDot, div(neg(a), add(square(a), square(b)))),
  },
});

/** Throws on an integer division by zero, as TF does. */
function checkIntDivisor(op: string) {
  return (a: Tensor, b: Tensor): void => {
    if (a.dtype !== 'int32') return;
    const d = b.values();
    for (let i = 0; i < d.length; i++) {
      if (d[i] === 0) throw new RangeError(`${op}: integer division by zero (b has a 0 at ${i})`);
    }
  };
}

/**
 * a / b rounded toward -∞, elementwise with broadcasting (integer division by zero throws).
 * Division rounded toward -∞ (TF's FloorDiv); no gradient, as in TF.
 *
 * @example
 * tt.floorDiv(tt.tensor([7, -7], [2], 'int32'), 2).array(); // [3, -4]
 */
export const floorDiv = binary('FloorDiv', 'floorDiv', {
  nonDifferentiable: true,
  validate: checkIntDivisor('floorDiv'),
});

/**
 * The remainder of a / b with the divisor's sign (TF's FloorMod, Python's %).
 * The remainder with the divisor's sign (TF's FloorMod, Python's %).
 *
 * @example
 * tt.mod(tt.tensor([7, -7], [2], 'int32'), 3).array(); // [1, 2]
 */
export const mod = binary('FloorMod', 'mod', {
  validate: checkIntDivisor('mod'),
  vjp: {
    a: (_, yBar) => yBar,
    b: ({ a, b }, yBar) => neg(mul(yBar, floorDiv(a, b))),
  },
  jvp: {
    a: (_, aDot) => aDot,
    b: ({ a, b }, bDot) => neg(mul(bDot, floorDiv(a, b))),
  },
});
