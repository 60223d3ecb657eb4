// Float32 reductions over the middle axis of an [outer, reduced, inner] view: Sum and Prod
// accumulate in float64 (as the pure-TypeScript backend does), Max and Min propagate NaN.

const SUM: i32 = 0;
const PROD: i32 = 1;
const MAX: i32 = 2;
const MIN: i32 = 3;

// @inline
function vmax(m: v128, v: v128): v128 {
  return v128.bitselect(v, m, v128.or(f32x4.gt(v, m), f32x4.ne(v, v)));
}

// @inline
function vmin(m: v128, v: v128): v128 {
  return v128.bitselect(v, m, v128.or(f32x4.lt(v, m), f32x4.ne(v, v)));
}

// @inline
function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @inline
function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

/** Reduces n contiguous values. */
function reduceRow(op: i32, x: usize, n: i32): f32 {
  const vn = n & ~3;
  let i = 0;
  if (op == SUM || op == PROD) {
    const prod = op == PROD;
    let a0 = prod ? f64x2.splat(1) : f64x2.splat(0);
    let a1 = a0;
    for (; i < vn; i += 4) {
      const v = v128.load(x + <usize>i * 4);
      if (prod) {
        a0 = f64x2.mul(a0, lo(v));
        a1 = f64x2.mul(a1, hi(v));
      } else {
        a0 = f64x2.add(a0, lo(v));
        a1 = f64x2.add(a1, hi(v));
      }
    }
    const a = prod ? f64x2.mul(a0, a1) : f64x2.add(a0, a1);
    let s = prod
      ? f64x2.extract_lane(a, 0) * f64x2.extract_lane(a, 1)
      : f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
    for (; i < n; i++) {
      const v = <f64>load<f32>(x + <usize>i * 4);
      s = prod ? s * v : s + v;
    }
    return <f32>s;
  }
  const isMax = op != MIN;
  let m = f32x4.splat(isMax ? -Infinity : Infinity);
  for (; i < vn; i += 4) {
    const v = v128.load(x + <usize>i * 4);
    m = isMax ? vmax(m, v) : vmin(m, v);
  }
  for (; i < n; i++) {
    const v = v128.load32_splat(x + <usize>i * 4);
    m = isMax ? vmax(m, v) : vmin(m, v);
  }
  m = isMax ? vmax(m, i32x4.shuffle(m, m, 2, 3, 0, 1)) : vmin(m, i32x4.shuffle(m, m, 2, 3, 0, 1));
  m = isMax ? vmax(m, i32x4.shuffle(m, m, 1, 0, 3, 2)) : vmin(m, i32x4.shuffle(m, m, 1, 0, 3, 2));
  return f32x4.extract_lane(m, 0);
}

/**
 * y[o, j] = reduce over r of x[o, r, j], for an [outer, red, inner] view of x. `acc` is scratch for
 * `inner` float64 values.
 */
export function reduceF32(
  op: i32,
  x: usize,
  y: usize,
  outer: i32,
  red: i32,
  inner: i32,
  acc: usize,
): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      store<f32>(y + <usize>o * 4, reduceRow(op, x + <usize>o * <usize>red * 4, red));
    }
    return;
  }
  const vn = inner & ~3;
  const rowBytes = <usize>inner * 4;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>red * rowBytes;
    const yo = y + <usize>o * rowBytes;
    if (op == SUM || op == PROD) {
      const prod = op == PROD;
      const init = prod ? f64x2.splat(1) : f64x2.splat(0);
      for (let j = 0; j < inner; j += 2) v128.store(acc + <usize>j * 8, init);
      for (let r = 0; r < red; r++) {
        const row = xo + <usize>r * rowBytes;
        let j = 0;
        for (; j < vn; j += 4) {
          const v = v128.load(row + <usize>j * 4);
          const p = acc + <usize>j * 8;
          if (prod) {
            v128.store(p, f64x2.mul(v128.load(p), lo(v)));
            v128.store(p, f64x2.mul(v128.load(p, 16), hi(v)), 16);
          } else {
            v128.store(p, f64x2.add(v128.load(p), lo(v)));
            v128.store(p, f64x2.add(v128.load(p, 16), hi(v)), 16);
          }
        }
        for (; j < inner; j++) {
          const p = acc + <usize>j * 8;
          const v = <f64>load<f32>(row + <usize>j * 4);
          store<f64>(p, prod ? load<f64>(p) * v : load<f64>(p) + v);
        }
      }
      for (let j = 0; j < inner; j++)
        store<f32>(yo + <usize>j * 4, <f32>load<f64>(acc + <usize>j * 8));
    } else {
      // The output row is the accumulator: one pass over the rows, in order.
      const isMax = op == MAX;
      const init = f32x4.splat(isMax ? -Infinity : Infinity);
      let j = 0;
      for (; j < vn; j += 4) v128.store(yo + <usize>j * 4, init);
      for (; j < inner; j++) store<f32>(yo + <usize>j * 4, isMax ? -Infinity : Infinity);
      for (let r = 0; r < red; r++) {
        const row = xo + <usize>r * rowBytes;
        j = 0;
        for (; j < vn; j += 4) {
          const p = yo + <usize>j * 4;
          const v = v128.load(row + <usize>j * 4);
          v128.store(p, isMax ? vmax(v128.load(p), v) : vmin(v128.load(p), v));
        }
        for (; j < inner; j++) {
          const p = yo + <usize>j * 4;
          const m = v128.load32_splat(p);
          const v = v128.load32_splat(row + <usize>j * 4);
          store<f32>(p, f32x4.extract_lane(isMax ? vmax(m, v) : vmin(m, v), 0));
        }
      }
    }
  }
}
