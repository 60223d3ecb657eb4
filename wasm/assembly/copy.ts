// Strided copies of 32-bit elements (float32 or int32), the data movement of Transpose, BroadcastTo
// and Slice: the output is contiguous, the input is read at any non-negative strides. Runs along
// the last axis are copied as vectors (or filled, where that axis is broadcast); a transpose whose
// last axis is strided in the input but another axis is contiguous there moves 4x4 tiles through
// registers.

/** Copies n contiguous elements. */
// @inline
function copyRun(src: usize, dst: usize, n: i32): void {
  const bytes = <usize>n * 4;
  if (bytes >= 1024) {
    memory.copy(dst, src, bytes);
    return;
  }
  let i: usize = 0;
  for (; i + 32 <= bytes; i += 32) {
    const a = v128.load(src + i);
    const b = v128.load(src + i, 16);
    v128.store(dst + i, a);
    v128.store(dst + i, b, 16);
  }
  if (i + 16 <= bytes) {
    v128.store(dst + i, v128.load(src + i));
    i += 16;
  }
  for (; i < bytes; i += 4) store<u32>(dst + i, load<u32>(src + i));
}

/** n copies of one element. */
// @inline
function fillRun(src: usize, dst: usize, n: i32): void {
  const v = v128.load32_splat(src);
  const bytes = <usize>n * 4;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v);
  for (; i < bytes; i += 4) store<u32>(dst + i, load<u32>(src));
}

/** n elements s apart. */
// @inline
function gatherRun(src: usize, s: i32, dst: usize, n: i32): void {
  const step = <usize>s * 4;
  let p = src;
  for (let i = 0; i < n; i++) {
    store<u32>(dst + <usize>i * 4, load<u32>(p));
    p += step;
  }
}

/**
 * y[i0, ..., i_{r-1}] = x[Σ i_d · strides[d]] for every index of `shape` (rank i32 values each at
 * `shape` and `strides`), y contiguous; `index` is scratch for rank i32.
 */
export function stridedCopy32(
  x: usize,
  y: usize,
  rank: i32,
  shape: usize,
  strides: usize,
  index: usize,
): void {
  const last = rank - 1;
  const n = load<i32>(shape + <usize>last * 4);
  const s = load<i32>(strides + <usize>last * 4);
  if (s > 1 && n >= 4) {
    for (let p = last - 1; p >= 0; p--) {
      if (load<i32>(strides + <usize>p * 4) == 1 && load<i32>(shape + <usize>p * 4) >= 4) {
        transposeTiles(x, y, rank, shape, strides, index, p);
        return;
      }
    }
  }
  let rows = 1;
  for (let d = 0; d < last; d++) rows *= load<i32>(shape + <usize>d * 4);
  for (let d = 0; d < last; d++) store<i32>(index + <usize>d * 4, 0);
  let off = 0;
  let out = y;
  const rowBytes = <usize>n * 4;
  for (let r = 0; r < rows; r++) {
    const src = x + <usize>off * 4;
    if (s == 1) copyRun(src, out, n);
    else if (s == 0) fillRun(src, out, n);
    else gatherRun(src, s, out, n);
    out += rowBytes;
    for (let d = last - 1; d >= 0; d--) {
      const p = index + <usize>d * 4;
      const i = load<i32>(p) + 1;
      const stride = load<i32>(strides + <usize>d * 4);
      if (i < load<i32>(shape + <usize>d * 4)) {
        store<i32>(p, i);
        off += stride;
        break;
      }
      store<i32>(p, 0);
      off -= stride * (i - 1);
    }
  }
}

/**
 * stridedCopy32 where axis p (< the last) has stride 1 in x: for every index of the other axes,
 * the [shape[p], n] block is a transpose, moved in 4x4 tiles. `index` holds y's strides here.
 */
function transposeTiles(
  x: usize,
  y: usize,
  rank: i32,
  shape: usize,
  strides: usize,
  index: usize,
  p: i32,
): void {
  const last = rank - 1;
  const n = load<i32>(shape + <usize>last * 4);
  const s = load<i32>(strides + <usize>last * 4);
  const P = load<i32>(shape + <usize>p * 4);
  // y's strides.
  let os = 1;
  let blocks = 1;
  for (let d = last; d >= 0; d--) {
    store<i32>(index + <usize>d * 4, os);
    const size = load<i32>(shape + <usize>d * 4);
    os *= size;
    if (d != p && d != last) blocks *= size;
  }
  const op = <usize>load<i32>(index + <usize>p * 4) * 4;
  const sb = <usize>s * 4;
  const P4 = P & ~3;
  const n4 = n & ~3;
  for (let b = 0; b < blocks; b++) {
    // The block's origin in x and y.
    let t = b;
    let inBase = 0;
    let outBase = 0;
    for (let d = last - 1; d >= 0; d--) {
      if (d == p) continue;
      const size = load<i32>(shape + <usize>d * 4);
      const i = t % size;
      t /= size;
      inBase += i * load<i32>(strides + <usize>d * 4);
      outBase += i * load<i32>(index + <usize>d * 4);
    }
    const xb = x + <usize>inBase * 4;
    const yb = y + <usize>outBase * 4;
    // Columns in blocks of 64, so the x rows a block reads stay in cache across the row groups.
    for (let jb = 0; jb < n4; jb += 64) {
      const je = min(jb + 64, n4);
      for (let ip = 0; ip < P4; ip += 4) {
        const src = xb + <usize>ip * 4;
        const dst = yb + <usize>ip * op;
        for (let j = jb; j < je; j += 4) {
          const q = src + <usize>j * sb;
          const a0 = v128.load(q);
          const a1 = v128.load(q + sb);
          const a2 = v128.load(q + 2 * sb);
          const a3 = v128.load(q + 3 * sb);
          const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5);
          const t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
          const o = dst + <usize>j * 4;
          v128.store(o, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
          v128.store(o + op, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
          v128.store(o + 2 * op, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
          v128.store(o + 3 * op, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
        }
      }
    }
    for (let ip = 0; ip < P4; ip += 4) {
      const src = xb + <usize>ip * 4;
      const dst = yb + <usize>ip * op;
      for (let j = n4; j < n; j++) {
        const q = src + <usize>j * sb;
        for (let u = 0; u < 4; u++) {
          store<u32>(dst + <usize>u * op + <usize>j * 4, load<u32>(q + <usize>u * 4));
        }
      }
    }
    for (let ip = P4; ip < P; ip++) gatherRun(xb + <usize>ip * 4, s, yb + <usize>ip * op, n);
  }
}
