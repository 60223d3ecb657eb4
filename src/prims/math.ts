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

/** abs'(0) = 0, as in TF (the derivative is sign(x)). */
export const abs = unary('Abs', 'abs', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => mul(yBar, sign(x)),
  jvp: ({ x }, xDot) => mul(xDot, sign(x)),
});

/** sign's gradient is zeros (not null), as in TF. */
export const sign = unary('Sign', 'sign', {
  dtypes: NUMERIC,
  vjp: (_, yBar) => zerosLike(yBar),
  jvp: (_, xDot) => zerosLike(xDot),
});

/** d x^{-1/2} = -y³/2. */
export const rsqrt = unary('Rsqrt', 'rsqrt', {
  vjp: ({ y }, yBar) => mul(yBar, mul(mul(y, square(y)), -0.5)),
  jvp: ({ y }, xDot) => mul(xDot, mul(mul(y, square(y)), -0.5)),
});

/** d (1/x) = -y². */
export const reciprocal = unary('Reciprocal', 'reciprocal', {
  vjp: ({ y }, yBar) => neg(mul(yBar, square(y))),
  jvp: ({ y }, xDot) => neg(mul(xDot, square(y))),
});

// ---- exponentials and logarithms ----------------------------------------------------------------

export const expm1 = unary('Expm1', 'expm1', {
  vjp: ({ x }, yBar) => mul(yBar, exp(x)),
  jvp: ({ x }, xDot) => mul(xDot, exp(x)),
});

export const log1p = unary('Log1p', 'log1p', {
  vjp: ({ x }, yBar) => div(yBar, add(x, 1)),
  jvp: ({ x }, xDot) => div(xDot, add(x, 1)),
});

// ---- trigonometric and hyperbolic ---------------------------------------------------------------

/** d tan = 1 + tan². */
export const tan = unary('Tan', 'tan', {
  vjp: ({ y }, yBar) => mul(yBar, add(square(y), 1)),
  jvp: ({ y }, xDot) => mul(xDot, add(square(y), 1)),
});

/** √(1 - x²): asin' = 1/√(1 - x²) = -acos'. */
const sqrtOneMinusSquare = (x: Tensor) => sqrt(sub(1, square(x)));

export const asin = unary('Asin', 'asin', {
  vjp: ({ x }, yBar) => div(yBar, sqrtOneMinusSquare(x)),
  jvp: ({ x }, xDot) => div(xDot, sqrtOneMinusSquare(x)),
});

export const acos = unary('Acos', 'acos', {
  vjp: ({ x }, yBar) => neg(div(yBar, sqrtOneMinusSquare(x))),
  jvp: ({ x }, xDot) => neg(div(xDot, sqrtOneMinusSquare(x))),
});

export const atan = unary('Atan', 'atan', {
  vjp: ({ x }, yBar) => div(yBar, add(square(x), 1)),
  jvp: ({ x }, xDot) => div(xDot, add(square(x), 1)),
});

export const sinh = unary('Sinh', 'sinh', {
  vjp: ({ x }, yBar) => mul(yBar, cosh(x)),
  jvp: ({ x }, xDot) => mul(xDot, cosh(x)),
});

export const cosh = unary('Cosh', 'cosh', {
  vjp: ({ x }, yBar) => mul(yBar, sinh(x)),
  jvp: ({ x }, xDot) => mul(xDot, sinh(x)),
});

/** d asinh = 1/cosh(y), in terms of the output as TF writes it. */
export const asinh = unary('Asinh', 'asinh', {
  vjp: ({ y }, yBar) => div(yBar, cosh(y)),
  jvp: ({ y }, xDot) => div(xDot, cosh(y)),
});

/** d acosh = 1/sinh(y). */
export const acosh = unary('Acosh', 'acosh', {
  vjp: ({ y }, yBar) => div(yBar, sinh(y)),
  jvp: ({ y }, xDot) => div(xDot, sinh(y)),
});

export const atanh = unary('Atanh', 'atanh', {
  vjp: ({ x }, yBar) => div(yBar, sub(1, square(x))),
  jvp: ({ x }, xDot) => div(xDot, sub(1, square(x))),
});

// ---- error function -----------------------------------------------------------------------------

/** d erf = 2/√π · e^{-x²}. */
const erfDerivative = (x: Tensor) => mul(exp(neg(square(x))), TWO_OVER_SQRT_PI);

export const erf = unary('Erf', 'erf', {
  vjp: ({ x }, yBar) => mul(yBar, erfDerivative(x)),
  jvp: ({ x }, xDot) => mul(xDot, erfDerivative(x)),
});

export const erfc = unary('Erfc', 'erfc', {
  vjp: ({ x }, yBar) => neg(mul(yBar, erfDerivative(x))),
  jvp: ({ x }, xDot) => neg(mul(xDot, erfDerivative(x))),
});

// ---- rounding and classification (no gradient, as in TF) ---------------------------------------

export const floor = unary('Floor', 'floor', { nonDifferentiable: true });
export const ceil = unary('Ceil', 'ceil', { nonDifferentiable: true });
/** Rounds half to even, as TF's Round (`round(2.5) = 2`); integers pass unchanged. */
export const round = unary('Round', 'round', { dtypes: NUMERIC, nonDifferentiable: true });

export const isFinite = unary('IsFinite', 'isFinite', {
  outDtype: 'bool',
  nonDifferentiable: true,
});
export const isNaN = unary('IsNan', 'isNaN', { outDtype: 'bool', nonDifferentiable: true });
export const isInf = unary('IsInf', 'isInf', { outDtype: 'bool', nonDifferentiable: true });

// ---- binary functions ---------------------------------------------------------------------------

/** At a tie the gradient goes to `a`, as in TF (its mask is a >= b). */
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

/** At a tie the gradient goes to `a`, as in TF (its mask is a <= b). */
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

/** (a - b)², one op in TF. */
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

/** atan2(a, b) is the angle of the point (b, a); NaN gradient at the origin, as in TF. */
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

/** Division rounded toward -∞ (TF's FloorDiv); no gradient, as in TF. */
export const floorDiv = binary('FloorDiv', 'floorDiv', {
  nonDifferentiable: true,
  validate: checkIntDivisor('floorDiv'),
});

/** The remainder with the divisor's sign (TF's FloorMod, Python's %). */
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
