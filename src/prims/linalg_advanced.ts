// Dense linear-algebra primitives on the last two axes (batch dimensions in front): MatrixSolve,
// MatrixInverse, MatrixDeterminant and Cholesky, each with reverse, forward and batching rules
// written in differentiable ops, so every order of derivative works.

import type { Kernel } from '../backend/backend.js';
import { kernel } from '../backend/backend.js';
import type { MatrixSolveAttrs } from '../backend/js/linalg_advanced.js';
import { convert, convertPair, tensor, type TensorLike } from '../convert.js';
import { declarePrimitive, type BatchRule, type Primitive } from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { allocate } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, mul, neg, sub } from './elementwise.js';
import { checkDtype, FLOAT, moveAxis } from './helpers.js';
import { matMul } from './linalg.js';
import { sum } from './reduce.js';
import { reshape, transpose } from './shape.js';

declare module '../backend/backend.js' {
  interface KernelRegistry {
    MatrixSolve: Kernel;
    MatrixInverse: Kernel;
    MatrixDeterminant: Kernel;
    Cholesky: Kernel;
  }
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Swaps the last two axes. */
export function matrixTranspose(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

function checkSquare(op: string, arg: string, x: Tensor): void {
  checkDtype(op, arg, x.dtype, FLOAT);
  if (x.rank < 2 || x.shape[x.rank - 1] !== x.shape[x.rank - 2]) {
    throw new RangeError(
      `${op}: ${arg} must be a square matrix or a batch of them ([..., n, n]), got shape ${fmt(x.shape)}`,
    );
  }
}

/** Batching for ops on the last two axes of one operand: the batch axis goes first. */
const batchUnary =
  (prim: () => Primitive): BatchRule =>
  (args, axes, attrs) => [[bind1(prim(), [moveAxis(args[0], axes[0]!, 0)], attrs)], [0]];

// ---- MatrixSolve ----------------------------------------------------------------------------------

const MatrixSolve: Primitive<MatrixSolveAttrs> = declarePrimitive<MatrixSolveAttrs>({
  name: 'MatrixSolve',
  impl: (inputs, attrs) => {
    const op = 'linalg.solve';
    const [a, b] = inputs;
    checkSquare(op, 'matrix', a);
    if (a.dtype !== b.dtype)
      throw new TypeError(`${op}: matrix has dtype ${a.dtype} but rhs has dtype ${b.dtype}`);
    if (b.rank < 2 || b.shape[b.rank - 2] !== a.shape[a.rank - 1]) {
      throw new RangeError(
        `${op}: rhs must have shape [..., ${a.shape[a.rank - 1]}, k] to match matrix ${fmt(a.shape)}, got ${fmt(b.shape)}`,
      );
    }
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (batch === null) {
      throw new RangeError(
        `${op}: batch dimensions of matrix ${fmt(a.shape)} and rhs ${fmt(b.shape)} are not broadcastable`,
      );
    }
    const shape = [...batch, b.shape[b.rank - 2], b.shape[b.rank - 1]];
    const data = kernel('MatrixSolve')(inputs, attrs, [{ shape, dtype: a.dtype }]);
    return [new Tensor(data, shape, a.dtype)];
  },
  vjp: (op, yBars, needs) => {
    const [a] = op.inputs;
    const x = op.outputs[0];
    const adj = op.attrs.adjoint;
    const bBar = solve(a, yBars[0]!, !adj); // A⁻ᵀ ȳ
    const aBar = needs[0]
      ? neg(adj ? matMul(x, bBar, false, true) : matMul(bBar, x, false, true))
      : null;
    return [aBar, needs[1] ? bBar : null];
  },
  jvp: (op, xDots) => {
    const a = op.inputs[0];
    const x = op.outputs[0];
    const [aDot, bDot] = xDots;
    let r: Tensor | null = bDot;
    if (aDot !== null) {
      const ax = matMul(aDot, x, op.attrs.adjoint, false);
      r = r === null ? neg(ax) : sub(r, ax);
    }
    if (r === null) return [null];
    return [solve(a, r, op.attrs.adjoint)];
  },
  batch: (args, axes, attrs) => {
    const ranks = args.map((x, i) => x.rank - (axes[i] === null ? 0 : 1));
    const rank = Math.max(...ranks);
    const aligned = args.map((x, i) => {
      if (axes[i] === null) return x;
      const y = moveAxis(x, axes[i]!, 0);
      return ranks[i] === rank
        ? y
        : reshape(y, [
            y.shape[0],
            ...new Array<number>(rank - ranks[i]).fill(1),
            ...y.shape.slice(1),
          ]);
    });
    return [[bind1(MatrixSolve, aligned, attrs)], [0]];
  },
});

/**
 * Solves `matrix · x = rhs` (or `matrixᴴ · x = rhs` with `adjoint`) for `x`; `matrix` is
 * `[..., n, n]`, `rhs` is `[..., n, k]`, batch dimensions broadcast. Recorded as `MatrixSolve`.
 *
 * @example
 * tt.linalg.solve([[2, 0], [0, 4]], [[2], [2]]).array(); // [[1], [0.5]]
 */
export function solve(matrix: TensorLike, rhs: TensorLike, adjoint = false): Tensor {
  const [a, b] = convertPair(matrix, rhs, 'linalg.solve', ['matrix', 'rhs']);
  return bind1(MatrixSolve, [a, b], { adjoint: Boolean(adjoint) });
}

// ---- MatrixInverse --------------------------------------------------------------------------------

const MatrixInverse: Primitive = declarePrimitive({
  name: 'MatrixInverse',
  impl: (inputs) => {
    const a = inputs[0];
    checkSquare('linalg.inv', 'input', a);
    const data = kernel('MatrixInverse')(inputs, undefined, [a]);
    return [new Tensor(data, a.shape.slice(), a.dtype)];
  },
  // d(A⁻¹) = -A⁻¹ dA A⁻¹, so Ā = -A⁻ᵀ ȳ A⁻ᵀ.
  vjp: (op, yBars) => {
    const yT = matrixTranspose(op.outputs[0]);
    return [neg(matMul(matMul(yT, yBars[0]!), yT))];
  },
  jvp: (op, xDots) => {
    const y = op.outputs[0];
    return [xDots[0] === null ? null : neg(matMul(matMul(y, xDots[0]), y))];
  },
  batch: batchUnary(() => MatrixInverse),
});

/**
 * The inverse of a square matrix (or of each in a batch), or of its adjoint with `adjoint`.
 * Recorded as `MatrixInverse`; throws for singular input.
 *
 * @example
 * tt.linalg.inv([[2, 0], [0, 4]]).array(); // [[0.5, 0], [0, 0.25]]
 */
export function inv(x: TensorLike, adjoint = false): Tensor {
  const t = convert(x, undefined, 'linalg.inv');
  const y = bind1(MatrixInverse, [t], undefined);
  return adjoint ? matrixTranspose(y) : y;
}

// ---- MatrixDeterminant ----------------------------------------------------------------------------

const MatrixDeterminant: Primitive = declarePrimitive({
  name: 'MatrixDeterminant',
  impl: (inputs) => {
    const a = inputs[0];
    checkSquare('linalg.det', 'input', a);
    const shape = a.shape.slice(0, -2);
    const data = kernel('MatrixDeterminant')(inputs, undefined, [{ shape, dtype: a.dtype }]);
    return [new Tensor(data, shape, a.dtype)];
  },
  // d det(A) = det(A) tr(A⁻¹ dA), so Ā = ȳ det(A) A⁻ᵀ.
  vjp: (op, yBars) => {
    const [a] = op.inputs;
    const c = reshape(mul(yBars[0]!, op.outputs[0]), [...op.outputs[0].shape, 1, 1]);
    return [mul(c, inv(a, true))];
  },
  jvp: (op, xDots) => {
    const aDot = xDots[0];
    if (aDot === null) return [null];
    const trace = sum(mul(inv(op.inputs[0], true), aDot), [-2, -1]);
    return [mul(op.outputs[0], trace)];
  },
  batch: batchUnary(() => MatrixDeterminant),
});

/**
 * The determinant of a square matrix (or of each in a batch: `[..., n, n]` → `[...]`). Recorded as
 * `MatrixDeterminant`.
 *
 * @example
 * tt.linalg.det([[1, 2], [3, 4]]).item(); // -2
 */
export function det(x: TensorLike): Tensor {
  return bind1(MatrixDeterminant, [convert(x, undefined, 'linalg.det')], undefined);
}

// ---- Cholesky ------------------------------------------------------------------------------------

/** The n×n mask that keeps the strict lower triangle and halves the diagonal (Φ in the rules). */
function phiMask(n: number, like: Tensor): Tensor {
  const m = allocate(like.dtype, n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) m[i * n + j] = 1;
    m[i * n + i] = 0.5;
  }
  return tensor(m, [n, n], like.dtype);
}

const Cholesky: Primitive = declarePrimitive({
  name: 'Cholesky',
  impl: (inputs) => {
    const a = inputs[0];
    checkSquare('linalg.cholesky', 'input', a);
    const data = kernel('Cholesky')(inputs, undefined, [a]);
    return [new Tensor(data, a.shape.slice(), a.dtype)];
  },
  // TF's rule (Murray 2016): Ā = ½ (S + Sᵀ) with S = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹. The input is taken to be
  // symmetric (only its lower triangle is read), so the cotangent is symmetric.
  vjp: (op, yBars) => {
    const l = op.outputs[0];
    const n = l.shape[l.rank - 1];
    const lInv = inv(l);
    const middle = mul(matMul(l, yBars[0]!, true, false), phiMask(n, l));
    const s = matMul(matMul(lInv, middle, true, false), lInv);
    return [mul(add(s, matrixTranspose(s)), 0.5)];
  },
  // L̇ = L Φ(L⁻¹ Ȧ L⁻ᵀ), with Ȧ symmetrised to match the reverse rule.
  jvp: (op, xDots) => {
    const aDot = xDots[0];
    if (aDot === null) return [null];
    const l = op.outputs[0];
    const n = l.shape[l.rank - 1];
    const lInv = inv(l);
    const sym = mul(add(aDot, matrixTranspose(aDot)), 0.5);
    const inner = matMul(matMul(lInv, sym), lInv, false, true);
    return [matMul(l, mul(inner, phiMask(n, l)))];
  },
  batch: batchUnary(() => Cholesky),
});

/**
 * The Cholesky factor `L` (lower triangular, `L Lᵀ = A`) of a symmetric positive-definite matrix
 * or of each in a batch; reads the lower triangle. Recorded as `Cholesky`.
 *
 * @example
 * tt.linalg.cholesky([[4, 2], [2, 2]]).array(); // [[2, 0], [1, 1]]
 */
export function cholesky(x: TensorLike): Tensor {
  return bind1(Cholesky, [convert(x, undefined, 'linalg.cholesky')], undefined);
}
