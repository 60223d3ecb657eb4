// Float32 transcendental functions on four lanes at once, within a few float32 ulps of the
// correctly rounded result (the pure-TypeScript backend rounds the float64 Math functions to
// float32, which is correctly rounded but for rare double-rounding cases). No fused multiply-adds:
// every variant of the module gives the same bits. exp, log and tanh follow Cephes (Moshier's
// expf, logf, tanhf); sin and cos reduce their argument in float64 (exact for |x| < 2^20, scalar
// float64 code beyond) and use musl's float kernels __sindf and __cosdf in float64.

// @inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

// @inline
function poly(p: v128, x: v128, c: f32): v128 {
  return f32x4.add(f32x4.mul(p, x), splat(c));
}

/** e^x: 2^n · e^r with n = round(x / ln 2) and |r| <= ln(2) / 2; inf above ~88.72, 0 below ~-103.97. */
// @inline
export function vexp(x: v128): v128 {
  // Clamping keeps 2^n representable in two factors; pmax and pmin (one instruction each) keep a
  // NaN x, which then gives NaN.
  const xc = f32x4.pmin(f32x4.pmax(x, splat(-104)), splat(89));
  // n = round(x / ln 2) by adding 1.5 · 2^23: the sum's low mantissa bits are n.
  const t = f32x4.add(f32x4.mul(xc, splat(1.4426950408889634)), splat(12582912));
  const n = f32x4.sub(t, splat(12582912));
  // ln 2 in two parts, the first with few enough bits that n · 0.693359375 is exact.
  let r = f32x4.sub(xc, f32x4.mul(n, splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, splat(-2.1219444e-4)));
  // Cephes' polynomial in Estrin's form (shorter dependency chains than Horner's).
  const z = f32x4.mul(r, r);
  const z2 = f32x4.mul(z, z);
  const p01 = poly(splat(1.98756915e-4), r, 1.3981999507e-3);
  const p23 = poly(splat(8.3334519073e-3), r, 4.1665795894e-2);
  const p45 = poly(splat(1.6666665459e-1), r, 5.0000001201e-1);
  const p = f32x4.add(f32x4.add(f32x4.mul(p01, z2), f32x4.mul(p23, z)), p45);
  const y = f32x4.add(f32x4.add(f32x4.mul(p, z), r), splat(1));
  // y · 2^n as y · 2^n1 · 2^n2: the first product is exact, the second rounds once (so results in
  // the subnormal range round correctly, and overflow gives inf).
  const ni = i32x4.sub(t, i32x4.splat(0x4b400000));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, s1), s2);
}

/** ln x: x = m · 2^e with m in [√½, √2), ln m by a polynomial in m - 1. */
// @inline
export function vlog(x: v128): v128 {
  // Subnormals: scale by 2^23 first.
  const tiny = f32x4.lt(x, splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, splat(8388608)), x, tiny);
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  // m in [0.5, 1); below √½ use 2m - 1 (and e - 1), else m - 1: both exact.
  const m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const low = f32x4.lt(m, splat(0.7071067811865476));
  e = i32x4.add(e, low);
  const f = f32x4.sub(f32x4.add(m, v128.and(m, low)), splat(1));
  const z = f32x4.mul(f, f);
  let p = splat(7.0376836292e-2);
  p = poly(p, f, -1.151461031e-1);
  p = poly(p, f, 1.167699874e-1);
  p = poly(p, f, -1.2420140846e-1);
  p = poly(p, f, 1.4249322787e-1);
  p = poly(p, f, -1.6668057665e-1);
  p = poly(p, f, 2.0000714765e-1);
  p = poly(p, f, -2.4999993993e-1);
  p = poly(p, f, 3.3333331174e-1);
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(ef, splat(-2.1219444e-4)));
  y = f32x4.sub(y, f32x4.mul(z, splat(0.5)));
  let r = f32x4.add(f, y);
  r = f32x4.add(r, f32x4.mul(ef, splat(0.693359375)));
  // ln 0 = -inf, ln of a negative = NaN, ln inf = inf, NaN stays NaN.
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0)));
  r = v128.bitselect(splat(NaN), r, f32x4.lt(x, splat(0)));
  return v128.bitselect(x, r, v128.or(f32x4.ne(x, x), f32x4.eq(x, splat(Infinity))));
}

const SIGN = i32x4.splat(0x80000000);

/** tanh x: an odd polynomial below 0.625, else 1 - 2 / (e^{2|x|} + 1) with x's sign. */
// @inline
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = splat(-5.70498872745e-3);
  p = poly(p, z, 2.06390887954e-2);
  p = poly(p, z, -5.37397155531e-2);
  p = poly(p, z, 1.33314422036e-1);
  p = poly(p, z, -3.33332819422e-1);
  // (x · z · p + x keeps the sign of a zero x only through the select below.)
  const small = v128.bitselect(
    x,
    f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x),
    f32x4.eq(x, splat(0)),
  );
  const big = f32x4.ge(ax, splat(0.625));
  if (!v128.any_true(big)) return small;
  const e = vexp(f32x4.add(ax, ax));
  const t = f32x4.sub(splat(1), f32x4.div(splat(2), f32x4.add(e, splat(1))));
  return v128.bitselect(v128.or(t, v128.and(x, SIGN)), small, big);
}

/** 1 / (1 + e^-x) for x >= 0, e^x / (1 + e^x) below (the pure-TypeScript backend's forms). */
// @inline
export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(splat(1), e);
  return v128.bitselect(f32x4.div(splat(1), d), f32x4.div(e, d), f32x4.ge(x, splat(0)));
}

// π/2 as PIO2_1 (33 bits, so j · PIO2_1 is exact for |j| < 2^20) plus PIO2_1T (fdlibm's).
const PIO2_1: f64 = 1.57079632673412561417;
const PIO2_1T: f64 = 6.07710050650619224932e-11;
// musl's __sindf: |sin(r)/r - s(r)| < 2^-37.5 for |r| <= π/4.
const S1: f64 = -0.166666666416265235595;
const S2: f64 = 0.0083333293858894631756;
const S3: f64 = -0.000198393348360966317347;
const S4: f64 = 0.0000027183114939898219064;
// musl's __cosdf: |cos(r) - c(r)| < 2^-34.1 for |r| <= π/4.
const C0: f64 = -0.49999999725103100312;
const C1: f64 = 0.0416666233237390631894;
const C2: f64 = -0.00138867637746099294692;
const C3: f64 = 0.0000243904487962774090654;

// @inline
function dsplat(v: f64): v128 {
  return f64x2.splat(v);
}

/**
 * sin r and cos r (float64 lanes, demoted) for the two float32 values x - j·π/2 of float64 lanes x
 * and j, |j| < 2^20: the reduction is exact enough for float32 results (to about 2^-86 · j).
 */
// @inline
function sinCosHalf(x: v128, j: v128, cos: bool): v128 {
  let r = f64x2.sub(x, f64x2.mul(j, dsplat(PIO2_1)));
  r = f64x2.sub(r, f64x2.mul(j, dsplat(PIO2_1T)));
  const z = f64x2.mul(r, r);
  const w = f64x2.mul(z, z);
  if (cos) {
    return f32x4.demote_f64x2_zero(
      f64x2.add(
        f64x2.add(f64x2.add(dsplat(1), f64x2.mul(z, dsplat(C0))), f64x2.mul(w, dsplat(C1))),
        f64x2.mul(f64x2.mul(w, z), f64x2.add(dsplat(C2), f64x2.mul(z, dsplat(C3)))),
      ),
    );
  }
  const s = f64x2.mul(z, r);
  return f32x4.demote_f64x2_zero(
    f64x2.add(
      f64x2.add(r, f64x2.mul(s, f64x2.add(dsplat(S1), f64x2.mul(z, dsplat(S2))))),
      f64x2.mul(f64x2.mul(s, w), f64x2.add(dsplat(S3), f64x2.mul(z, dsplat(S4)))),
    ),
  );
}

/** Lanes of x with 2^20 <= |x| < inf, whose reduction needs more than two parts of π/2. */
// @inline
function hugeLanes(x: v128): v128 {
  const ax = f32x4.abs(x);
  return v128.and(f32x4.ge(ax, splat(1048576)), f32x4.lt(ax, splat(Infinity)));
}

/** sin or cos (quarter 0 or 1) of four float32 lanes. */
function sinCos(x: v128, quarter: i32): v128 {
  // j = round(x · 2/π) in float32 (within one of the exact quotient: |r| stays about π/4).
  const jt = f32x4.add(f32x4.mul(x, splat(0.6366197723675814)), splat(12582912));
  const j = f32x4.sub(jt, splat(12582912));
  const xlo = f64x2.promote_low_f32x4(x);
  const xhi = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
  const jlo = f64x2.promote_low_f32x4(j);
  const jhi = f64x2.promote_low_f32x4(i32x4.shuffle(j, j, 2, 3, 0, 1));
  const s = i32x4.shuffle(sinCosHalf(xlo, jlo, false), sinCosHalf(xhi, jhi, false), 0, 1, 4, 5);
  const c = i32x4.shuffle(sinCosHalf(xlo, jlo, true), sinCosHalf(xhi, jhi, true), 0, 1, 4, 5);
  // Quadrant q = (j + quarter) mod 4 (j's low bits in jt): sin r, cos r, -sin r, -cos r.
  const q = i32x4.add(jt, i32x4.splat(quarter));
  const odd = i32x4.shr_s(i32x4.shl(q, 31), 31);
  let r = v128.xor(v128.bitselect(c, s, odd), v128.and(i32x4.shl(q, 30), SIGN));
  if (v128.any_true(hugeLanes(x))) {
    // Rare: full float64 reduction (Payne-Hanek) lane by lane.
    const cos = quarter != 0;
    const x0 = <f64>f32x4.extract_lane(x, 0);
    const x1 = <f64>f32x4.extract_lane(x, 1);
    const x2 = <f64>f32x4.extract_lane(x, 2);
    const x3 = <f64>f32x4.extract_lane(x, 3);
    let h = f32x4.splat(<f32>(cos ? Math.cos(x0) : Math.sin(x0)));
    h = f32x4.replace_lane(h, 1, <f32>(cos ? Math.cos(x1) : Math.sin(x1)));
    h = f32x4.replace_lane(h, 2, <f32>(cos ? Math.cos(x2) : Math.sin(x2)));
    h = f32x4.replace_lane(h, 3, <f32>(cos ? Math.cos(x3) : Math.sin(x3)));
    r = v128.bitselect(h, r, hugeLanes(x));
  }
  return r;
}

// @inline
export function vsin(x: v128): v128 {
  // sin(±0) = ±0 (the reduction would lose the sign of zero).
  return v128.bitselect(x, sinCos(x, 0), f32x4.eq(x, splat(0)));
}

// @inline
export function vcos(x: v128): v128 {
  return sinCos(x, 1);
}
