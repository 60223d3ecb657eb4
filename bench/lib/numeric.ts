// Deterministic inputs and float64 helpers shared by the workloads' references and checks.

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` float32 values, uniform in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** `n` float32 values, normal with the given standard deviation (Box-Muller). */
export function normal(n: number, seed: number, stddev = 1): Float32Array {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u)) * stddev;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** C[m, n] = op(A) · op(B) in float64, A and B row-major as stored ([m,k] or [k,m] when transposed). */
export function matMul64(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
  ta = false,
  tb = false,
): Float64Array {
  const c = new Float64Array(m * n);
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const av = ta ? a[p * m + i] : a[i * k + p];
      if (av === 0) continue;
      if (tb) for (let j = 0; j < n; j++) row[j] += av * b[j * k + p];
      else {
        const base = p * n;
        for (let j = 0; j < n; j++) row[j] += av * b[base + j];
      }
    }
    c.set(row, i * n);
  }
  return c;
}

/** The largest |x - y| over all elements, relative to the largest |y| (NaN when lengths differ). */
export function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return NaN;
  let err = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    const d = Math.abs(x[i] - y[i]);
    err = d > err || d !== d ? d : err;
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return err / (scale || 1);
}

/** null when every output is within `tol` (relative to its reference's largest entry). */
export function compareAll(
  out: ArrayLike<number>[],
  ref: ArrayLike<number>[],
  tol: number,
  names: readonly string[],
): string | null {
  if (out.length !== ref.length) return `expected ${ref.length} outputs, got ${out.length}`;
  for (let i = 0; i < ref.length; i++) {
    if (out[i].length !== ref[i].length) {
      return `${names[i]}: expected ${ref[i].length} values, got ${out[i].length}`;
    }
    const e = relativeError(out[i], ref[i]);
    if (!(e <= tol)) return `${names[i]}: relative error ${e.toExponential(2)} > ${tol}`;
  }
  return null;
}

/** `num` evenly spaced float64 values from start to stop inclusive. */
export function linspace64(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  for (let i = 0; i < num; i++)
    out[i] = num === 1 ? start : start + ((stop - start) * i) / (num - 1);
  return out;
}
