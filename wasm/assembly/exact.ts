// Matrix products that accumulate in float64, in the same order as the pure-TypeScript backend
// (each output a sequential sum over the inner dimension, separate multiply and add), so their
// results are identical to it bit for bit: used for small float32 products and for float64 ones.

/**
 * A batch of products C[t] = op(A[t]) · op(B[t]) (m x n, depth k); element offsets of A[t] and B[t]
 * are i32 pairs at `offsets`. `f64` says whether A, B and C hold float64 (else float32). `acc` is
 * scratch for n float64 and `packed` for k·n float64.
 */
export function gemmExact(
  batch: i32,
  offsets: usize,
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  transA: i32,
  transB: i32,
  f64: i32,
  acc: usize,
  packed: usize,
): void {
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  const brs = transB ? 1 : n;
  const bcs = transB ? k : 1;
  const width: usize = f64 ? 8 : 4;
  const vn = n & ~1;
  for (let t = 0; t < batch; t++) {
    const at = a + <usize>load<i32>(offsets + <usize>t * 8) * width;
    const bt = b + <usize>load<i32>(offsets + <usize>t * 8 + 4) * width;
    const ct = c + <usize>t * <usize>m * <usize>n * width;
    // B[t] as contiguous float64 rows.
    for (let p = 0; p < k; p++) {
      const row = packed + <usize>p * <usize>n * 8;
      for (let j = 0; j < n; j++) {
        const src = bt + <usize>(p * brs + j * bcs) * width;
        store<f64>(row + <usize>j * 8, f64 ? load<f64>(src) : <f64>load<f32>(src));
      }
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) store<f64>(acc + <usize>j * 8, 0);
      for (let p = 0; p < k; p++) {
        const src = at + <usize>(i * ars + p * acs) * width;
        const av: f64 = f64 ? load<f64>(src) : <f64>load<f32>(src);
        const avv = f64x2.splat(av);
        const row = packed + <usize>p * <usize>n * 8;
        let j = 0;
        for (; j < vn; j += 2) {
          const q = acc + <usize>j * 8;
          v128.store(q, f64x2.add(v128.load(q), f64x2.mul(avv, v128.load(row + <usize>j * 8))));
        }
        if (j < n) {
          const q = acc + <usize>j * 8;
          store<f64>(q, load<f64>(q) + av * load<f64>(row + <usize>j * 8));
        }
      }
      const out = ct + <usize>i * <usize>n * width;
      for (let j = 0; j < n; j++) {
        const v = load<f64>(acc + <usize>j * 8);
        if (f64) store<f64>(out + <usize>j * 8, v);
        else store<f32>(out + <usize>j * 4, <f32>v);
      }
    }
  }
}
