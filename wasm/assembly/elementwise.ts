// Elementwise float32 kernels: unary maps and broadcasting binary maps. Each arithmetic op is a
// single IEEE operation (or an exact selection), so results equal the pure-TypeScript backend's bit
// for bit; the transcendental ones (transcendental.ts) are within a few float32 ulps of it.

import { vcos, vexp, vlog, vsigmoid, vsin, vtanh } from './transcendental';

// Unary op codes (kept in sync with src/backend/wasm/kernels.ts).
const NEG: i32 = 0;
const ABS: i32 = 1;
const SQUARE: i32 = 2;
const SQRT: i32 = 3;
const RELU: i32 = 4;
const RECIPROCAL: i32 = 5;
const FLOOR: i32 = 6;
const CEIL: i32 = 7;
const ROUND: i32 = 8;
const SIGN: i32 = 9;
const EXP: i32 = 10;
const LOG: i32 = 11;
const TANH: i32 = 12;
const SIGMOID: i32 = 13;
const SIN: i32 = 14;
const COS: i32 = 15;

// Binary op codes.
const ADD: i32 = 0;
const SUB: i32 = 1;
const MUL: i32 = 2;
const DIV: i32 = 3;
const MAXIMUM: i32 = 4;
const MINIMUM: i32 = 5;
// The gradients of tanh (a = y, b = dy), sigmoid (a = y, b = dy) and relu (a = dy, b = x), each
// step rounded to float32 as the separate ops would be.
const TANH_GRAD: i32 = 6;
const SIGMOID_GRAD: i32 = 7;
const RELU_GRAD: i32 = 8;

// @inline
function vunary(op: i32, x: v128): v128 {
  switch (op) {
    case NEG:
      return f32x4.neg(x);
    case ABS:
      return f32x4.abs(x);
    case SQUARE:
      return f32x4.mul(x, x);
    case SQRT:
      return f32x4.sqrt(x);
    case RELU: {
      // x > 0 ? x : (x is NaN ? x : 0)
      const keep = v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x));
      return v128.and(x, keep);
    }
    case RECIPROCAL:
      return f32x4.div(f32x4.splat(1), x);
    case FLOOR:
      return f32x4.floor(x);
    case CEIL:
      return f32x4.ceil(x);
    case ROUND:
      return f32x4.nearest(x);
    case SIGN: {
      // 1 for x > 0, -1 for x < 0, x itself for zeros and NaN.
      const zero = f32x4.splat(0);
      const pos = f32x4.gt(x, zero);
      const neg = f32x4.lt(x, zero);
      const r = v128.bitselect(f32x4.splat(1), f32x4.splat(-1), pos);
      return v128.bitselect(r, x, v128.or(pos, neg));
    }
    case EXP:
      return vexp(x);
    case LOG:
      return vlog(x);
    case TANH:
      return vtanh(x);
    case SIGMOID:
      return vsigmoid(x);
    case SIN:
      return vsin(x);
    case COS:
      return vcos(x);
    default:
      return unreachable();
  }
}

// @inline
function unaryLoop(op: i32, x: usize, y: usize, n: i32): void {
  const end = <usize>n * 4;
  // Cheap ops two vectors a step; the transcendental ones need every register for one.
  const vend2 = op < EXP ? <usize>(n & ~7) * 4 : 0;
  const vend = <usize>(n & ~3) * 4;
  let i: usize = 0;
  for (; i < vend2; i += 32) {
    const a = vunary(op, v128.load(x + i));
    const b = vunary(op, v128.load(x + i, 16));
    v128.store(y + i, a);
    v128.store(y + i, b, 16);
  }
  for (; i < vend; i += 16) v128.store(y + i, vunary(op, v128.load(x + i)));
  if (i < end) {
    // The last one to three values, as lanes of one vector.
    const rest = end - i;
    let v = f32x4.splat(load<f32>(x + i));
    if (rest > 4) v = f32x4.replace_lane(v, 1, load<f32>(x + i, 4));
    if (rest > 8) v = f32x4.replace_lane(v, 2, load<f32>(x + i, 8));
    const r = vunary(op, v);
    store<f32>(y + i, f32x4.extract_lane(r, 0));
    if (rest > 4) store<f32>(y + i, f32x4.extract_lane(r, 1), 4);
    if (rest > 8) store<f32>(y + i, f32x4.extract_lane(r, 2), 8);
  }
}

// y[i] = op(x[i]) for n float32 values: one export per op, so no op is tested per value.
export function unaryNeg(x: usize, y: usize, n: i32): void {
  unaryLoop(NEG, x, y, n);
}
export function unaryAbs(x: usize, y: usize, n: i32): void {
  unaryLoop(ABS, x, y, n);
}
export function unarySquare(x: usize, y: usize, n: i32): void {
  unaryLoop(SQUARE, x, y, n);
}
export function unarySqrt(x: usize, y: usize, n: i32): void {
  unaryLoop(SQRT, x, y, n);
}
export function unaryRelu(x: usize, y: usize, n: i32): void {
  unaryLoop(RELU, x, y, n);
}
export function unaryReciprocal(x: usize, y: usize, n: i32): void {
  unaryLoop(RECIPROCAL, x, y, n);
}
export function unaryFloor(x: usize, y: usize, n: i32): void {
  unaryLoop(FLOOR, x, y, n);
}
export function unaryCeil(x: usize, y: usize, n: i32): void {
  unaryLoop(CEIL, x, y, n);
}
export function unaryRound(x: usize, y: usize, n: i32): void {
  unaryLoop(ROUND, x, y, n);
}
export function unarySign(x: usize, y: usize, n: i32): void {
  unaryLoop(SIGN, x, y, n);
}
export function unaryExp(x: usize, y: usize, n: i32): void {
  unaryLoop(EXP, x, y, n);
}
export function unaryLog(x: usize, y: usize, n: i32): void {
  unaryLoop(LOG, x, y, n);
}
export function unaryTanh(x: usize, y: usize, n: i32): void {
  unaryLoop(TANH, x, y, n);
}
export function unarySigmoid(x: usize, y: usize, n: i32): void {
  unaryLoop(SIGMOID, x, y, n);
}
export function unarySin(x: usize, y: usize, n: i32): void {
  unaryLoop(SIN, x, y, n);
}
export function unaryCos(x: usize, y: usize, n: i32): void {
  unaryLoop(COS, x, y, n);
}

// @inline
function vbinary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD:
      return f32x4.add(a, b);
    case SUB:
      return f32x4.sub(a, b);
    case MUL:
      return f32x4.mul(a, b);
    case DIV:
      return f32x4.div(a, b);
    case MAXIMUM:
      // a >= b || a is NaN ? a : b (the pure-TypeScript backend's tie and NaN rules)
      return v128.bitselect(a, b, v128.or(f32x4.ge(a, b), f32x4.ne(a, a)));
    case MINIMUM:
      return v128.bitselect(a, b, v128.or(f32x4.le(a, b), f32x4.ne(a, a)));
    case TANH_GRAD:
      return f32x4.mul(b, f32x4.sub(f32x4.splat(1), f32x4.mul(a, a)));
    case SIGMOID_GRAD:
      return f32x4.mul(b, f32x4.mul(a, f32x4.sub(f32x4.splat(1), a)));
    case RELU_GRAD:
      // dy · (x > 0 ? 1 : 0): the mask of x > 0 selects the bits of 1.0
      return f32x4.mul(a, v128.and(f32x4.gt(b, f32x4.splat(0)), f32x4.splat(1)));
    default:
      return unreachable();
  }
}

// @inline
function sbinary(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(vbinary(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

/** One run of n outputs: a and b advance by ia and ib elements (0 or 1 take fast paths). */
// @inline
function binaryRow(op: i32, a: usize, ia: i32, b: usize, ib: i32, y: usize, n: i32): void {
  const vn = n & ~3;
  const vn2 = n & ~7;
  let i = 0;
  if (ia == 1 && ib == 1) {
    for (; i < vn2; i += 8) {
      const o = <usize>i * 4;
      const r0 = vbinary(op, v128.load(a + o), v128.load(b + o));
      const r1 = vbinary(op, v128.load(a + o, 16), v128.load(b + o, 16));
      v128.store(y + o, r0);
      v128.store(y + o, r1, 16);
    }
    for (; i < vn; i += 4) {
      const o = <usize>i * 4;
      v128.store(y + o, vbinary(op, v128.load(a + o), v128.load(b + o)));
    }
  } else if (ia == 1 && ib == 0) {
    const bv = v128.load32_splat(b);
    for (; i < vn2; i += 8) {
      const o = <usize>i * 4;
      const r0 = vbinary(op, v128.load(a + o), bv);
      const r1 = vbinary(op, v128.load(a + o, 16), bv);
      v128.store(y + o, r0);
      v128.store(y + o, r1, 16);
    }
    for (; i < vn; i += 4) {
      const o = <usize>i * 4;
      v128.store(y + o, vbinary(op, v128.load(a + o), bv));
    }
  } else if (ia == 0 && ib == 1) {
    const av = v128.load32_splat(a);
    for (; i < vn2; i += 8) {
      const o = <usize>i * 4;
      const r0 = vbinary(op, av, v128.load(b + o));
      const r1 = vbinary(op, av, v128.load(b + o, 16));
      v128.store(y + o, r0);
      v128.store(y + o, r1, 16);
    }
    for (; i < vn; i += 4) {
      const o = <usize>i * 4;
      v128.store(y + o, vbinary(op, av, v128.load(b + o)));
    }
  } else if (ia == 0 && ib == 0) {
    // One value for the whole run: compute it once, then fill.
    const v = vbinary(op, v128.load32_splat(a), v128.load32_splat(b));
    for (; i < vn; i += 4) v128.store(y + <usize>i * 4, v);
  }
  for (; i < n; i++) {
    const av = load<f32>(a + <usize>(i * ia) * 4);
    const bv = load<f32>(b + <usize>(i * ib) * 4);
    store<f32>(y + <usize>i * 4, sbinary(op, av, bv));
  }
}

/** binaryF32 for one op (inlined with a constant op, so each op gets its own loops). */
// @inline
function binaryLoops(
  op: i32,
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  const last = rank - 1;
  const n = load<i32>(shape + <usize>last * 4);
  const ia = load<i32>(sa + <usize>last * 4);
  const ib = load<i32>(sb + <usize>last * 4);
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(shape + <usize>d * 4);
  for (let d = 0; d < last; d++) store<i32>(index + <usize>d * 4, 0);
  let offA = 0;
  let offB = 0;
  let out = y;
  for (let r = 0; r < rows; r++) {
    binaryRow(op, a + <usize>offA * 4, ia, b + <usize>offB * 4, ib, out, n);
    out += <usize>n * 4;
    // Advance the odometer over the outer axes.
    for (let d = last - 1; d >= 0; d--) {
      const p = index + <usize>d * 4;
      const i = load<i32>(p) + 1;
      const strideA = load<i32>(sa + <usize>d * 4);
      const strideB = load<i32>(sb + <usize>d * 4);
      if (i < load<i32>(shape + <usize>d * 4)) {
        store<i32>(p, i);
        offA += strideA;
        offB += strideB;
        break;
      }
      store<i32>(p, 0);
      offA -= strideA * (i - 1);
      offB -= strideB * (i - 1);
    }
  }
}

// y = op(a, b) with broadcasting: `shape` (rank i32 values) is the output's shape, `sa` and `sb` the
// operands' element strides along each axis (0 along broadcast axes), `index` scratch for rank i32;
// y is contiguous. One export per op, so no op is tested per value.
export function binaryAdd(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(ADD, a, b, y, rank, shape, sa, sb, index);
}
export function binarySub(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(SUB, a, b, y, rank, shape, sa, sb, index);
}
export function binaryMul(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(MUL, a, b, y, rank, shape, sa, sb, index);
}
export function binaryDiv(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(DIV, a, b, y, rank, shape, sa, sb, index);
}
export function binaryMaximum(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(MAXIMUM, a, b, y, rank, shape, sa, sb, index);
}
export function binaryMinimum(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(MINIMUM, a, b, y, rank, shape, sa, sb, index);
}
export function binaryTanhGrad(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(TANH_GRAD, a, b, y, rank, shape, sa, sb, index);
}
export function binarySigmoidGrad(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(SIGMOID_GRAD, a, b, y, rank, shape, sa, sb, index);
}
export function binaryReluGrad(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  binaryLoops(RELU_GRAD, a, b, y, rank, shape, sa, sb, index);
}

// Comparison op codes: results are bytes, 1 for true and 0 for false (IEEE: NaN compares unequal).
const GREATER: i32 = 0;
const GREATER_EQUAL: i32 = 1;
const LESS: i32 = 2;
const LESS_EQUAL: i32 = 3;
const EQUAL: i32 = 4;
const NOT_EQUAL: i32 = 5;

// @inline
function vcompare(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case GREATER:
      return f32x4.gt(a, b);
    case GREATER_EQUAL:
      return f32x4.ge(a, b);
    case LESS:
      return f32x4.lt(a, b);
    case LESS_EQUAL:
      return f32x4.le(a, b);
    case EQUAL:
      return f32x4.eq(a, b);
    case NOT_EQUAL:
      return f32x4.ne(a, b);
    default:
      return unreachable();
  }
}

/** Sixteen lane masks (four vectors of i32 0 / -1) as sixteen bytes 0 / 1. */
// @inline
function masksToBytes(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const lo = i16x8.narrow_i32x4_s(m0, m1);
  const hi = i16x8.narrow_i32x4_s(m2, m3);
  return v128.and(i8x16.narrow_i16x8_s(lo, hi), i8x16.splat(1));
}

/** One run of n comparisons into bytes at y: a and b advance by ia and ib elements. */
// @inline
function compareRow(op: i32, a: usize, ia: i32, b: usize, ib: i32, y: usize, n: i32): void {
  let i = 0;
  if ((ia == 0 || ia == 1) && (ib == 0 || ib == 1) && (ia | ib) != 0) {
    const vn = n & ~15;
    const sa: usize = ia == 1 ? 16 : 0;
    const sb: usize = ib == 1 ? 16 : 0;
    const av = v128.load32_splat(a);
    const bv = v128.load32_splat(b);
    let pa = a;
    let pb = b;
    for (; i < vn; i += 16) {
      const a0 = ia == 1 ? v128.load(pa) : av;
      const a1 = ia == 1 ? v128.load(pa, 16) : av;
      const a2 = ia == 1 ? v128.load(pa, 32) : av;
      const a3 = ia == 1 ? v128.load(pa, 48) : av;
      const b0 = ib == 1 ? v128.load(pb) : bv;
      const b1 = ib == 1 ? v128.load(pb, 16) : bv;
      const b2 = ib == 1 ? v128.load(pb, 32) : bv;
      const b3 = ib == 1 ? v128.load(pb, 48) : bv;
      v128.store(
        y + <usize>i,
        masksToBytes(
          vcompare(op, a0, b0),
          vcompare(op, a1, b1),
          vcompare(op, a2, b2),
          vcompare(op, a3, b3),
        ),
      );
      pa += sa * 4;
      pb += sb * 4;
    }
  }
  for (; i < n; i++) {
    const av = v128.load32_splat(a + <usize>(i * ia) * 4);
    const bv = v128.load32_splat(b + <usize>(i * ib) * 4);
    store<u8>(y + <usize>i, <u8>(i32x4.extract_lane(vcompare(op, av, bv), 0) & 1));
  }
}

/** compareF32 for one op (inlined with a constant op). */
// @inline
function compareLoops(
  op: i32,
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  const last = rank - 1;
  const n = load<i32>(shape + <usize>last * 4);
  const ia = load<i32>(sa + <usize>last * 4);
  const ib = load<i32>(sb + <usize>last * 4);
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(shape + <usize>d * 4);
  for (let d = 0; d < last; d++) store<i32>(index + <usize>d * 4, 0);
  let offA = 0;
  let offB = 0;
  let out = y;
  for (let r = 0; r < rows; r++) {
    compareRow(op, a + <usize>offA * 4, ia, b + <usize>offB * 4, ib, out, n);
    out += <usize>n;
    for (let d = last - 1; d >= 0; d--) {
      const p = index + <usize>d * 4;
      const i = load<i32>(p) + 1;
      const strideA = load<i32>(sa + <usize>d * 4);
      const strideB = load<i32>(sb + <usize>d * 4);
      if (i < load<i32>(shape + <usize>d * 4)) {
        store<i32>(p, i);
        offA += strideA;
        offB += strideB;
        break;
      }
      store<i32>(p, 0);
      offA -= strideA * (i - 1);
      offB -= strideB * (i - 1);
    }
  }
}

// y = (a op b) as bytes, with broadcasting (the arguments of the binary exports).
export function compareGreater(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(GREATER, a, b, y, rank, shape, sa, sb, index);
}
export function compareGreaterEqual(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(GREATER_EQUAL, a, b, y, rank, shape, sa, sb, index);
}
export function compareLess(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(LESS, a, b, y, rank, shape, sa, sb, index);
}
export function compareLessEqual(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(LESS_EQUAL, a, b, y, rank, shape, sa, sb, index);
}
export function compareEqual(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(EQUAL, a, b, y, rank, shape, sa, sb, index);
}
export function compareNotEqual(
  a: usize,
  b: usize,
  y: usize,
  rank: i32,
  shape: usize,
  sa: usize,
  sb: usize,
  index: usize,
): void {
  compareLoops(NOT_EQUAL, a, b, y, rank, shape, sa, sb, index);
}
