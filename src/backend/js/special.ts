// Special functions JS lacks (erf, erfc), accurate to a few float64 ulps, so float32 results are
// correctly rounded in practice.
//
// - |x| < 0.5: erf by its everywhere-positive series
//     erf(x) = 2x/√π · e^{-x²} · Σ_n (2x²)^n / (1·3·5···(2n+1))   (no cancellation).
// - 0.5 <= x < 6.125: erfc by its Taylor series around the nearest multiple c of 1/4,
//     erfc(c + h) = erfc(c) - 2/√π · e^{-c²} · Σ_{n>=1} (-1)^{n-1} H_{n-1}(c) hⁿ / n!,
//   with H the Hermite polynomials and erfc(c) from a table (scripts/fixtures/erfc_table.py).
// - x >= 6.125: erfc by Legendre's continued fraction for Q(1/2, x²) (modified Lentz), which
//   converges in a few terms there.
// erf = 1 - erfc and erfc(-x) = 2 - erfc(x) cover the rest. e^{-x²} is e^{-h²}·e^{-(x-h)(x+h)}
// with h = x rounded to 24 bits, so h² is exact and the large exponent carries no rounding error.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erfc(k/4) for k = 2..24, correctly rounded (scripts/fixtures/erfc_table.py). */
const ERFC_QUARTERS = [
  0.4795001221869535, 0.28884436634648486, 0.15729920705028513, 0.07709987174354177,
  0.033894853524689274, 0.013328328780817557, 0.004677734981047266, 0.0014627165866811518,
  0.0004069520174449589, 0.00010062192211963683, 2.209049699858544e-5, 4.302779463675122e-6,
  7.430983723414128e-7, 1.1372725656979665e-7, 1.541725790028002e-8, 1.8505741373867425e-9,
  1.9661604415428876e-10, 1.8485047721485312e-11, 1.537459794428035e-12, 1.1310313266887154e-13,
  7.357847917974398e-15, 4.232136617425738e-16, 2.1519736712498913e-17,
];

/** e^{-x²} without the rounding error of forming x² first. */
function expMinusSquare(x: number): number {
  const h = Math.fround(x);
  return Math.exp(-h * h) * Math.exp(-(x - h) * (x + h));
}

/** erf(x) by the positive series (|x| < 0.5). */
function erfSeries(x: number): number {
  const t = 2 * x * x;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 60; n++) {
    term *= t / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return TWO_OVER_SQRT_PI * x * expMinusSquare(x) * sum;
}

/** erfc(x) by Taylor series around the nearest quarter (0.5 <= x < 6.125). */
function erfcTaylor(x: number): number {
  const k = Math.round(x * 4);
  const c = k / 4;
  const h = x - c;
  // Σ (-1)^{n-1} H_{n-1}(c) hⁿ/n!, with H_{n+1} = 2c·H_n - 2n·H_{n-1}.
  let hPrev = 0; // H_{-1} (unused: the recurrence's first step has n = 0)
  let hCur = 1; // H_0
  let power = h; // hⁿ/n! for n = 1
  let sum = 0;
  for (let n = 1; n < 60; n++) {
    const term = (n % 2 === 1 ? 1 : -1) * hCur * power;
    sum += term;
    if (Math.abs(term) <= Math.abs(sum) * 1e-17) break;
    const hNext = 2 * c * hCur - 2 * (n - 1) * hPrev;
    hPrev = hCur;
    hCur = hNext;
    power *= h / (n + 1);
  }
  return ERFC_QUARTERS[k - 2] - TWO_OVER_SQRT_PI * Math.exp(-c * c) * sum;
}

/** erfc(x) for x >= 6.125 by the continued fraction of Q(1/2, x²). */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let b = x * x + 0.5;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 100; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return ONE_OVER_SQRT_PI * x * expMinusSquare(x) * f;
}

/** erfc for x >= 0.5. */
function erfcPositive(x: number): number {
  if (x < 6.125) return erfcTaylor(x);
  if (x > 27.3) return 0;
  return erfcFraction(x);
}

/** The error function. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.5) return erfSeries(x);
  const r = 1 - erfcPositive(a);
  return x > 0 ? r : -r;
}

/** The complementary error function 1 - erf(x), accurate also where it is tiny. */
export function erfc(x: number): number {
  if (x !== x) return x;
  if (x >= 0.5) return erfcPositive(x);
  if (x > -0.5) return 1 - erfSeries(x);
  return 2 - erfcPositive(-x);
}
