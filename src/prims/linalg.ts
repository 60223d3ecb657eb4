// Matrix products: MatMul (rank 2) and BatchMatMulV2 (batch dimensions broadcast), with transposes.

import { kernel } from '../backend/backend.js';
import { convertPair, type TensorLike } from '../convert.js';
import {
  declarePrimitive,
  type Primitive,
  type VjpRule,
  type JvpRule,
  type BatchRule,
} from '../core/primitive.js';
import { bind1 } from '../core/stack.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { checkDtype, moveAxis, NUMERIC } from './helpers.js';
import { reshape } from './shape.js';

interface MatMulAttrs {
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

function matMulShape(a: Tensor, b: Tensor, attrs: MatMulAttrs): number[] {
  const op = 'matMul';
  if (a.dtype !== b.dtype)
    throw new TypeError(`${op}: operands have different dtypes ${a.dtype} and ${b.dtype}`);
  checkDtype(op, 'operands', a.dtype, NUMERIC);
  if (a.rank < 2 || b.rank < 2) {
    throw new RangeError(
      `${op}: both operands need rank >= 2, got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
  const [m, ka] = attrs.transposeA
    ? [a.shape[a.rank - 1], a.shape[a.rank - 2]]
    : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [kb, n] = attrs.transposeB
    ? [b.shape[b.rank - 1], b.shape[b.rank - 2]]
    : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (ka !== kb) {
    throw new RangeError(
      `${op}: inner dimensions differ: [${a.shape.join(', ')}]${attrs.transposeA ? 'ᵀ' : ''} × [${b.shape.join(', ')}]${attrs.transposeB ? 'ᵀ' : ''} (${ka} vs ${kb})`,
    );
  }
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (batch === null) {
    throw new RangeError(
      `${op}: batch dimensions of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] are not broadcastable`,
    );
  }
  return [...batch, m, n];
}

const impl = (inputs: readonly Tensor[], attrs: MatMulAttrs): Tensor[] => {
  const [a, b] = inputs;
  const shape = matMulShape(a, b, attrs);
  return [
    new Tensor(kernel('BatchMatMulV2')(inputs, attrs, [{ shape, dtype: a.dtype }]), shape, a.dtype),
  ];
};

/** Reverse rules for each transpose combination (the walk sums over broadcast batch dims). */
const vjp: VjpRule<MatMulAttrs> = (op, yBars, needs) => {
  const [a, b] = op.inputs;
  const g = yBars[0]!;
  const { transposeA: ta, transposeB: tb } = op.attrs;
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (needs[0]) da = !ta ? matMul(g, b, false, !tb) : matMul(b, g, tb, true);
  if (needs[1]) db = !tb ? matMul(a, g, !ta, false) : matMul(g, a, true, ta);
  return [da, db];
};

const jvp: JvpRule<MatMulAttrs> = (op, xDots) => {
  const [a, b] = op.inputs;
  const { transposeA: ta, transposeB: tb } = op.attrs;
  const ta1 = xDots[0] === null ? null : matMul(xDots[0], b, ta, tb);
  const tb1 = xDots[1] === null ? null : matMul(a, xDots[1], ta, tb);
  return [ta1 === null ? tb1 : tb1 === null ? ta1 : add(ta1, tb1)];
};

/** Batch axis first; a batched operand gets singleton batch dims so per-example batch dims align. */
const batch: BatchRule<MatMulAttrs> = (args, axes, attrs) => {
  const [a, b] = args;
  // Only `a` batched against a matrix `b`, batch axis anywhere but a's contracted (last) axis:
  // every row of every example is a row of one larger product, so fold them into a single matrix
  // product (no copy); the batch axis stays where it is.
  if (axes[1] === null && b.rank === 2 && !attrs.transposeA && axes[0]! < a.rank - 1) {
    const k = a.shape[a.rank - 1];
    const y = matMul(reshape(a, [-1, k]), b, false, attrs.transposeB);
    return [[reshape(y, [...a.shape.slice(0, -1), y.shape[1]])], [axes[0]]];
  }
  // Only `b` batched (a matrix `a`, b's per-example rank 2): put the batch axis between b's two
  // matrix axes and fold it into the columns.
  if (axes[0] === null && a.rank === 2 && b.rank === 3 && !attrs.transposeB) {
    const bb = moveAxis(b, axes[1]!, 1); // [k, B, n]
    const y = matMul(a, reshape(bb, [bb.shape[0], -1]), attrs.transposeA, false); // [m, B·n]
    return [[reshape(y, [y.shape[0], bb.shape[1], bb.shape[2]])], [1]];
  }
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
  return [[bind1(BatchMatMulV2, aligned, attrs)], [0]];
};

const MatMul: Primitive<MatMulAttrs> = declarePrimitive<MatMulAttrs>({
  name: 'MatMul',
  impl,
  vjp,
  jvp,
  batch,
});
const BatchMatMulV2: Primitive<MatMulAttrs> = declarePrimitive<MatMulAttrs>({
  name: 'BatchMatMulV2',
  impl,
  vjp,
  jvp,
  batch,
});

/**
 * Matrix product of the last two axes, with batch dimensions broadcast; recorded as `MatMul` for
 * two matrices and `BatchMatMulV2` otherwise.
 *
 * @example
 * tt.matMul([[1, 2]], [[3], [4]]).array(); // [[11]]
 */
export function matMul(
  a: TensorLike,
  b: TensorLike,
  transposeA = false,
  transposeB = false,
): Tensor {
  const [x, y] = convertPair(a, b, 'matMul');
  const attrs = { transposeA: Boolean(transposeA), transposeB: Boolean(transposeB) };
  return bind1(x.rank === 2 && y.rank === 2 ? MatMul : BatchMatMulV2, [x, y], attrs);
}
