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
import { cast } from './cast.js';

// ---- arithmetic ---------------------------------------------------------------------------------

export const add = binary('AddV2', 'add', {
  vjp: { a: (_, yBar) => yBar, b: (_, yBar) => yBar },
  jvp: { a: (_, aDot) => aDot, b: (_, bDot) => bDot },
});

export const sub = binary('Sub', 'sub', {
  vjp: { a: (_, yBar) => yBar, b: (_, yBar) => neg(yBar) },
  jvp: { a: (_, aDot) => aDot, b: (_, bDot) => neg(bDot) },
});

export const mul = binary('Mul', 'mul', {
  vjp: { a: ({ b }, yBar) => mul(yBar, b), b: ({ a }, yBar) => mul(a, yBar) },
  jvp: { a: ({ b }, aDot) => mul(aDot, b), b: ({ a }, bDot) => mul(a, bDot) },
});

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

export const neg = unary('Neg', 'neg', {
  dtypes: NUMERIC,
  vjp: (_, yBar) => neg(yBar),
  jvp: (_, xDot) => neg(xDot),
});

export const square = unary('Square', 'square', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => mul(yBar, mul(x, 2)),
  jvp: ({ x }, xDot) => mul(xDot, mul(x, 2)),
});

export const sqrt = unary('Sqrt', 'sqrt', {
  vjp: ({ y }, yBar) => div(yBar, mul(y, 2)),
  jvp: ({ y }, xDot) => div(xDot, mul(y, 2)),
});

// ---- exponentials and logarithms ----------------------------------------------------------------

export const exp = unary('Exp', 'exp', {
  vjp: ({ y }, yBar) => mul(yBar, y),
  jvp: ({ y }, xDot) => mul(xDot, y),
});

export const log = unary('Log', 'log', {
  vjp: ({ x }, yBar) => div(yBar, x),
  jvp: ({ x }, xDot) => div(xDot, x),
});

// ---- trigonometric ------------------------------------------------------------------------------

export const sin = unary('Sin', 'sin', {
  vjp: ({ x }, yBar) => mul(yBar, cos(x)),
  jvp: ({ x }, xDot) => mul(xDot, cos(x)),
});

export const cos = unary('Cos', 'cos', {
  vjp: ({ x }, yBar) => neg(mul(yBar, sin(x))),
  jvp: ({ x }, xDot) => neg(mul(xDot, sin(x))),
});

// ---- activations --------------------------------------------------------------------------------

/** d sigmoid = y(1 - y), in terms of the output so that higher orders stay connected. */
export const sigmoid = unary('Sigmoid', 'sigmoid', {
  vjp: ({ y }, yBar) => mul(yBar, mul(y, sub(1, y))),
  jvp: ({ y }, xDot) => mul(xDot, mul(y, sub(1, y))),
});

/** d tanh = 1 - y². */
export const tanh = unary('Tanh', 'tanh', {
  vjp: ({ y }, yBar) => mul(yBar, sub(1, square(y))),
  jvp: ({ y }, xDot) => mul(xDot, sub(1, square(y))),
});

/** relu'(0) = 0, as in TF. */
export const relu = unary('Relu', 'relu', {
  dtypes: NUMERIC,
  vjp: ({ x }, yBar) => mul(yBar, cast(greater(x, 0), x.dtype)),
  jvp: ({ x }, xDot) => mul(xDot, cast(greater(x, 0), x.dtype)),
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

export const greater = comparison('Greater', 'greater');
export const greaterEqual = comparison('GreaterEqual', 'greaterEqual');
export const less = comparison('Less', 'less');
export const lessEqual = comparison('LessEqual', 'lessEqual');
export const equal = comparison('Equal', 'equal');
export const notEqual = comparison('NotEqual', 'notEqual');

export const logicalAnd = binary('LogicalAnd', 'logicalAnd', {
  dtypes: BOOL,
  nonDifferentiable: true,
});
export const logicalOr = binary('LogicalOr', 'logicalOr', {
  dtypes: BOOL,
  nonDifferentiable: true,
});
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

/** `condition ? a : b` elementwise; all three broadcast. */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = convert(condition, 'bool', 'where');
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
