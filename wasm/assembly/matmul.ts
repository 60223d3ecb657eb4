// Single-precision matrix products (GEMM) with packing and register blocking, in the style of BLIS:
// the operands are copied into panels laid out for a 4x8 register-blocked micro-kernel, so every
// transpose form runs the same inner loop at the same speed.

import { claim } from './parallel';

/** Rows of the micro-kernel's tile (one broadcast A value per row). */
const MR: i32 = 4;
/** Columns of the micro-kernel's tile (two f32x4 vectors). */
const NR: i32 = 8;
/** Depth of a packed panel: a KC x NR sliver of B (8 KiB) stays in L1. */
const KC: i32 = 256;
/** Most rows of a tile: its packed MC x KC block of A (128 KiB) stays in L2. */
const MC: i32 = 128;
/** Most columns of a tile: its packed KC x NC block of B (512 KiB) stays in L2. */
const NC: i32 = 512;

/** Bytes of scratch one thread needs: packed panels, an edge tile, and im2col index tables. */
export function gemmScratchBytes(): i32 {
  return (((MC * KC + KC * NC + MR * NR + 3 * MC) * 4 + 63) >> 6) << 6;
}

/** How a product reads A: a strided matrix, or the patches of a convolution (im2col). */
const A_STRIDED: i32 = 0;
/** A[p, k] = x[n, ho·sh + kh - top, wo·sw + kw - left, c] for pixel p = (n, ho, wo), k = (kh, kw, c). */
const A_PATCHES: i32 = 1;
/** A[k, p]: the transposed patches (for the filter's gradient). */
const A_PATCHES_T: i32 = 2;

// Convolution geometry: i32 fields at `geo`.
const G_N = 0;
const G_H = 4;
const G_W = 8;
const G_C = 12;
const G_KH = 16;
const G_KW = 20;
const G_O = 24;
const G_HO = 28;
const G_WO = 32;
const G_SH = 36;
const G_SW = 40;
const G_TOP = 44;
const G_LEFT = 48;

// @inline
function geo32(geo: usize, field: usize): i32 {
  return load<i32>(geo + field);
}

/**
 * packPatches for the common case (C a multiple of 4, so taps come in groups of four adjacent
 * channels): four pixels at a time, four channels at a time, transposed in registers so every
 * store is a whole vector. Depth [k0, k0+kc) must start and end on multiples of 4.
 */
function packPatchesBy4(
  dst: usize,
  x: usize,
  geo: usize,
  i0: i32,
  mc: i32,
  k0: i32,
  kc: i32,
): void {
  const H = geo32(geo, G_H);
  const W = geo32(geo, G_W);
  const C = geo32(geo, G_C);
  const KW = geo32(geo, G_KW);
  const HO = geo32(geo, G_HO);
  const WO = geo32(geo, G_WO);
  const sh = geo32(geo, G_SH);
  const sw = geo32(geo, G_SW);
  const top = geo32(geo, G_TOP);
  const left = geo32(geo, G_LEFT);
  const zero = f32x4.splat(0);
  const img = <usize>H * <usize>W * <usize>C * 4;
  for (let s = 0; s < mc; s += MR) {
    // Image, first row and first column of each of the four pixels.
    const p0 = i0 + s;
    const n0 = p0 / (HO * WO);
    const n1 = (p0 + 1) / (HO * WO);
    const n2 = (p0 + 2) / (HO * WO);
    const n3 = (p0 + 3) / (HO * WO);
    const r0 = p0 - n0 * HO * WO;
    const r1 = p0 + 1 - n1 * HO * WO;
    const r2 = p0 + 2 - n2 * HO * WO;
    const r3 = p0 + 3 - n3 * HO * WO;
    const h0 = (r0 / WO) * sh - top;
    const h1 = (r1 / WO) * sh - top;
    const h2 = (r2 / WO) * sh - top;
    const h3 = (r3 / WO) * sh - top;
    const v0 = (r0 % WO) * sw - left;
    const v1 = (r1 % WO) * sw - left;
    const v2 = (r2 % WO) * sw - left;
    const v3 = (r3 % WO) * sw - left;
    const x0 = x + <usize>n0 * img;
    const x1 = x + <usize>n1 * img;
    const x2 = x + <usize>n2 * img;
    const x3 = x + <usize>n3 * img;
    let out = dst + <usize>(s * kc) * 4;
    let c = k0 % C;
    let kw = (k0 / C) % KW;
    let kh = k0 / (C * KW);
    // Source of each pixel's C channels at tap (kh, kw), or 0 where it falls in the padding.
    let a0 = pixelAt(x0, h0 + kh, v0 + kw, H, W, C);
    let a1 = pixelAt(x1, h1 + kh, v1 + kw, H, W, C);
    let a2 = pixelAt(x2, h2 + kh, v2 + kw, H, W, C);
    let a3 = pixelAt(x3, h3 + kh, v3 + kw, H, W, C);
    for (let q = 0; q < kc; q += 4) {
      const o = <usize>c * 4;
      const q0 = a0 != 0 ? v128.load(a0 + o) : zero;
      const q1 = a1 != 0 ? v128.load(a1 + o) : zero;
      const q2 = a2 != 0 ? v128.load(a2 + o) : zero;
      const q3 = a3 != 0 ? v128.load(a3 + o) : zero;
      const t0 = i32x4.shuffle(q0, q1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(q0, q1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(q2, q3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(q2, q3, 2, 6, 3, 7);
      v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(out, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
      v128.store(out, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
      v128.store(out, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
      out += 64;
      c += 4;
      if (c == C) {
        c = 0;
        if (++kw == KW) {
          kw = 0;
          kh++;
        }
        a0 = pixelAt(x0, h0 + kh, v0 + kw, H, W, C);
        a1 = pixelAt(x1, h1 + kh, v1 + kw, H, W, C);
        a2 = pixelAt(x2, h2 + kh, v2 + kw, H, W, C);
        a3 = pixelAt(x3, h3 + kh, v3 + kw, H, W, C);
      }
    }
  }
}

/** Address of pixel (h, v)'s first channel in an image, or 0 when it lies in the padding. */
// @inline
function pixelAt(image: usize, h: i32, v: i32, H: i32, W: i32, C: i32): usize {
  if (<u32>h >= <u32>H || <u32>v >= <u32>W) return 0;
  return image + <usize>(h * W + v) * <usize>C * 4;
}

/**
 * Writes x0[p], x1[p], x2[p], x3[p] side by side at dst + p·step bytes for p < n, reading the four
 * float32 lines contiguously: four values of p at a time, a 4×4 transpose in registers.
 */
// @inline
function interleave4(
  dst: usize,
  x0: usize,
  x1: usize,
  x2: usize,
  x3: usize,
  n: i32,
  step: i32,
): void {
  const n4 = n & ~3;
  const st = <usize>step;
  let p = 0;
  for (; p < n4; p += 4) {
    const o = <usize>p * 4;
    const v0 = v128.load(x0 + o);
    const v1 = v128.load(x1 + o);
    const v2 = v128.load(x2 + o);
    const v3 = v128.load(x3 + o);
    const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
    const t1 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
    const t2 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
    const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
    const out = dst + <usize>p * st;
    v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
    v128.store(out + st, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
    v128.store(out + 2 * st, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
    v128.store(out + 3 * st, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
  }
  for (; p < n; p++) {
    const o = <usize>p * 4;
    const out = dst + <usize>p * st;
    store<f32>(out, load<f32>(x0 + o));
    store<f32>(out, load<f32>(x1 + o), 4);
    store<f32>(out, load<f32>(x2 + o), 8);
    store<f32>(out, load<f32>(x3 + o), 12);
  }
}

/**
 * Packs rows [i0, i0+mc) and depth [p0, p0+kc) of the patch matrix (A_PATCHES) into MR-row slivers.
 * Pixels outside the image read as zero (the padding).
 */
function packPatches(dst: usize, x: usize, geo: usize, i0: i32, mc: i32, p0: i32, kc: i32): void {
  const H = geo32(geo, G_H);
  const W = geo32(geo, G_W);
  const C = geo32(geo, G_C);
  const KW = geo32(geo, G_KW);
  const HO = geo32(geo, G_HO);
  const WO = geo32(geo, G_WO);
  const sh = geo32(geo, G_SH);
  const sw = geo32(geo, G_SW);
  const top = geo32(geo, G_TOP);
  const left = geo32(geo, G_LEFT);
  if (C % 4 == 0 && p0 % 4 == 0 && kc % 4 == 0 && mc % MR == 0) {
    packPatchesBy4(dst, x, geo, i0, mc, p0, kc);
    return;
  }
  const kc0 = p0 % C;
  const kw0 = (p0 / C) % KW;
  const kh0 = p0 / (C * KW);
  for (let s = 0; s < mc; s += MR) {
    const base = dst + <usize>(s * kc) * 4;
    for (let r = 0; r < MR; r++) {
      let out = base + <usize>r * 4;
      if (s + r >= mc) {
        for (let p = 0; p < kc; p++) {
          store<f32>(out, 0);
          out += MR * 4;
        }
        continue;
      }
      const pixel = i0 + s + r;
      const n = pixel / (HO * WO);
      const rem = pixel - n * HO * WO;
      const ho = rem / WO;
      const wo = rem - ho * WO;
      const hBase = ho * sh - top;
      const vBase = wo * sw - left;
      const image = x + <usize>(n * H) * <usize>W * <usize>C * 4;
      let c = kc0;
      let kw = kw0;
      let kh = kh0;
      for (let p = 0; p < kc; p++) {
        const h = hBase + kh;
        const v = vBase + kw;
        let value: f32 = 0;
        if (<u32>h < <u32>H && <u32>v < <u32>W) {
          value = load<f32>(image + (<usize>(h * W + v) * <usize>C + <usize>c) * 4);
        }
        store<f32>(out, value);
        out += MR * 4;
        if (++c == C) {
          c = 0;
          if (++kw == KW) {
            kw = 0;
            kh++;
          }
        }
      }
    }
  }
}

/**
 * Packs rows [i0, i0+mc) (filter taps k) and depth [p0, p0+kc) (pixels) of the transposed patch
 * matrix (A_PATCHES_T) into MR-row slivers; `table` is scratch for 3·MC i32.
 */
function packPatchesT(
  dst: usize,
  x: usize,
  geo: usize,
  i0: i32,
  mc: i32,
  p0: i32,
  kc: i32,
  table: usize,
): void {
  const H = geo32(geo, G_H);
  const W = geo32(geo, G_W);
  const C = geo32(geo, G_C);
  const KW = geo32(geo, G_KW);
  const HO = geo32(geo, G_HO);
  const WO = geo32(geo, G_WO);
  const sh = geo32(geo, G_SH);
  const sw = geo32(geo, G_SW);
  const top = geo32(geo, G_TOP);
  const left = geo32(geo, G_LEFT);
  if (C % 4 == 0 && i0 % 4 == 0 && mc % MR == 0) {
    // Four consecutive taps share (kh, kw) and are four adjacent channels: one vector per pixel.
    const zero = f32x4.splat(0);
    for (let s = 0; s < mc; s += MR) {
      const k = i0 + s;
      const kh = k / (C * KW);
      const kw = (k / C) % KW;
      const c = k % C;
      let out = dst + <usize>(s * kc) * 4;
      const pixel = p0;
      let n = pixel / (HO * WO);
      const rem = pixel - n * HO * WO;
      let ho = rem / WO;
      let wo = rem - ho * WO;
      for (let p = 0; p < kc; p++) {
        const h = ho * sh - top + kh;
        const v = wo * sw - left + kw;
        let q = zero;
        if (<u32>h < <u32>H && <u32>v < <u32>W) {
          q = v128.load(x + ((<usize>(n * H + h) * <usize>W + <usize>v) * <usize>C + <usize>c) * 4);
        }
        v128.store(out, q);
        out += MR * 4;
        if (++wo == WO) {
          wo = 0;
          if (++ho == HO) {
            ho = 0;
            n++;
          }
        }
      }
    }
    return;
  }
  const rows = ((mc + MR - 1) / MR) * MR;
  // (kh, kw, c) of every tap in the block; taps past mc read as zero (kh = -1 marks them).
  for (let i = 0; i < rows; i++) {
    const k = i0 + i;
    const t = table + <usize>i * 12;
    if (i >= mc) {
      store<i32>(t, -1000000);
      store<i32>(t, 0, 4);
      store<i32>(t, 0, 8);
    } else {
      store<i32>(t, k / (C * KW));
      store<i32>(t, (k / C) % KW, 4);
      store<i32>(t, k % C, 8);
    }
  }
  for (let p = 0; p < kc; p++) {
    const pixel = p0 + p;
    const n = pixel / (HO * WO);
    const rem = pixel - n * HO * WO;
    const ho = rem / WO;
    const wo = rem - ho * WO;
    const hBase = ho * sh - top;
    const vBase = wo * sw - left;
    const image = x + <usize>(n * H) * <usize>W * <usize>C * 4;
    for (let i = 0; i < rows; i++) {
      const t = table + <usize>i * 12;
      const h = hBase + load<i32>(t);
      const v = vBase + load<i32>(t, 4);
      let value: f32 = 0;
      if (<u32>h < <u32>H && <u32>v < <u32>W) {
        value = load<f32>(image + (<usize>(h * W + v) * <usize>C + <usize>load<i32>(t, 8)) * 4);
      }
      const s = i - (i % MR);
      store<f32>(dst + <usize>(s * kc + p * MR + (i - s)) * 4, value);
    }
  }
}

/**
 * Packs rows [i0, i0+mc) and depth [p0, p0+kc) of A into MR-row slivers: sliver s holds, for each p,
 * the MR values A[i0+s*MR+r, p0+p] side by side (rows past mc are zero).
 */
function packA(dst: usize, a: usize, rs: i32, cs: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  const full = mc - (mc % MR);
  if (rs == 1) {
    // Column-major A (transposed): walk each stored row once, MR consecutive values per sliver.
    for (let p = 0; p < kc; p++) {
      const src = a + <usize>((p0 + p) * cs + i0) * 4;
      const out = dst + <usize>(p * MR) * 4;
      for (let s = 0; s < full; s += MR) {
        v128.store(out + <usize>(s * kc) * 4, v128.load(src + <usize>s * 4));
      }
    }
  } else if (cs == 1) {
    // Row-major A: four rows at a time.
    for (let s = 0; s < full; s += MR) {
      const base = dst + <usize>(s * kc) * 4;
      const row = <usize>rs * 4;
      const r0 = a + <usize>((i0 + s) * rs + p0) * 4;
      const r1 = r0 + row;
      const r2 = r1 + row;
      const r3 = r2 + row;
      interleave4(base, r0, r1, r2, r3, kc, MR * 4);
    }
  }
  // The last, partial sliver (and any layout the fast paths above do not cover).
  for (let s = rs == 1 || cs == 1 ? full : 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const base = dst + <usize>(s * kc) * 4;
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        const v: f32 = r < rows ? load<f32>(a + <usize>((i0 + s + r) * rs + (p0 + p) * cs) * 4) : 0;
        store<f32>(base + <usize>(p * MR + r) * 4, v);
      }
    }
  }
}

/**
 * Packs depth [p0, p0+kc) and columns [j0, j0+nc) of B into NR-column slivers: sliver s holds, for
 * each p, the NR values B[p0+p, j0+s*NR+j] side by side (columns past nc are zero).
 */
function packB(dst: usize, b: usize, rs: i32, cs: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const base = dst + <usize>(s * kc) * 4;
    if (cs == 1 && cols == NR) {
      // Row-major B: NR consecutive values per p.
      for (let p = 0; p < kc; p++) {
        const src = b + <usize>((p0 + p) * rs + j0 + s) * 4;
        const out = base + <usize>(p * NR) * 4;
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
    } else if (rs == 1 && cols == NR) {
      // Column-major B (transposed): four columns at a time.
      const col = <usize>cs * 4;
      for (let h = 0; h < NR; h += 4) {
        const c0 = b + <usize>((j0 + s + h) * cs + p0) * 4;
        const c1 = c0 + col;
        const c2 = c1 + col;
        const c3 = c2 + col;
        interleave4(base + <usize>h * 4, c0, c1, c2, c3, kc, NR * 4);
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          const v: f32 =
            j < cols ? load<f32>(b + <usize>((p0 + p) * rs + (j0 + s + j) * cs) * 4) : 0;
          store<f32>(base + <usize>(p * NR + j) * 4, v);
        }
      }
    }
  }
}

// @inline
function madd(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * The 4x8 micro-kernel: C[0:4, 0:8] (+)= Apanel · Bpanel over kc steps, with row stride ldc (bytes).
 * Twelve vector registers: eight accumulators, two B vectors, one broadcast A value and a product.
 */
function kernel4x8(kc: i32, pa: usize, pb: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  if (ASC_FEATURE_RELAXED_SIMD) {
    // Fused multiply-adds: broadcast loads keep the shuffle port free.
    for (let p = 0; p < kc; p++) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let a = v128.load32_splat(pa);
      c00 = madd(c00, a, b0);
      c01 = madd(c01, a, b1);
      a = v128.load32_splat(pa, 4);
      c10 = madd(c10, a, b0);
      c11 = madd(c11, a, b1);
      a = v128.load32_splat(pa, 8);
      c20 = madd(c20, a, b0);
      c21 = madd(c21, a, b1);
      a = v128.load32_splat(pa, 12);
      c30 = madd(c30, a, b0);
      c31 = madd(c31, a, b1);
      pa += MR * 4;
      pb += NR * 4;
    }
  } else {
    // Separate multiply and add: one load of A and register shuffles issue fewer instructions.
    const end = pa + <usize>kc * MR * 4;
    for (; pa < end; pa += MR * 4) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const av = v128.load(pa);
      let a = i32x4.shuffle(av, av, 0, 0, 0, 0);
      c00 = madd(c00, a, b0);
      c01 = madd(c01, a, b1);
      a = i32x4.shuffle(av, av, 1, 1, 1, 1);
      c10 = madd(c10, a, b0);
      c11 = madd(c11, a, b1);
      a = i32x4.shuffle(av, av, 2, 2, 2, 2);
      c20 = madd(c20, a, b0);
      c21 = madd(c21, a, b1);
      a = i32x4.shuffle(av, av, 3, 3, 3, 3);
      c30 = madd(c30, a, b0);
      c31 = madd(c31, a, b1);
      pb += NR * 4;
    }
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/**
 * C[i0:i1, j0:j1] = A[i0:i1, :] · B[:, j0:j1] for one matrix, A element (i, p) at a + 4(i·ars + p·acs),
 * B element (p, j) at b + 4(p·brs + j·bcs), C row-major with n columns.
 */
function gemmBlock(
  amode: i32,
  geo: usize,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  n: i32,
  k: i32,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  scratch: usize,
  bPacked: bool,
): void {
  const packedA = scratch;
  const packedB = packedA + <usize>(MC * KC) * 4;
  const edge = packedB + <usize>(KC * NC) * 4;
  const table = edge + <usize>(MR * NR) * 4;
  const ldc = <usize>n * 4;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const accumulate = pc > 0;
      // The caller knows when this thread's last tile packed the same panel (depth within KC).
      if (!bPacked) packB(packedB, b, brs, bcs, pc, kc, jc, nc);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        if (amode == A_STRIDED) packA(packedA, a, ars, acs, ic, mc, pc, kc);
        else if (amode == A_PATCHES) packPatches(packedA, a, geo, ic, mc, pc, kc);
        else packPatchesT(packedA, a, geo, ic, mc, pc, kc, table);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const pb = packedB + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const pa = packedA + <usize>(ir * kc) * 4;
            const cij = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
            if (mr == MR && nr == NR) {
              kernel4x8(kc, pa, pb, cij, ldc, accumulate);
            } else {
              kernel4x8(kc, pa, pb, edge, NR * 4, false);
              for (let r = 0; r < mr; r++) {
                for (let j = 0; j < nr; j++) {
                  const dst = cij + <usize>r * ldc + <usize>j * 4;
                  const v = load<f32>(edge + <usize>(r * NR + j) * 4);
                  store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Tile sizes (rows, columns) for an m x n product: as large as the packing buffers allow, smaller
 * when several threads need enough tiles to share the work evenly.
 */
// @inline
function tileRows(m: i32, n: i32, batch: i32, nthreads: i32): i32 {
  let tm = MC;
  let tn = NC;
  if (nthreads > 1) {
    const want = 6 * nthreads;
    while (tn > 64 && batch * ((m + tm - 1) / tm) * ((n + tn - 1) / tn) < want) tn >>= 1;
    while (tm > 16 && batch * ((m + tm - 1) / tm) * ((n + tn - 1) / tn) < want) tm >>= 1;
  }
  return (tm << 16) | tn;
}

/**
 * C[t] = A[t] · B[t] for a batch of m x n products with depth k, cut into tiles of C that the
 * threads taking part claim from the i32 at `counter` (zero at the start); each thread packs into
 * its own `scratch`. Element offsets of A[t] and B[t] are i32 pairs at `offsets` (0: none).
 */
function runTiles(
  amode: i32,
  geo: usize,
  batch: i32,
  offsets: usize,
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  counter: usize,
  scratch: usize,
  nthreads: i32,
): void {
  const mn = <usize>m * <usize>n * 4;
  const sizes = tileRows(m, n, batch, nthreads);
  const tm = sizes >> 16;
  const tn = sizes & 0xffff;
  const tilesM = (m + tm - 1) / tm;
  const tilesN = (n + tn - 1) / tn;
  const per = tilesM * tilesN;
  const total = batch * per;
  // B's packed panel for the last tile this thread ran: with depth within one KC block, a tile with
  // the same B and columns (the next row tile, or a batch entry sharing B) reuses it.
  let lastB: usize = 0;
  let lastJ0 = -1;
  for (let u = claim(counter); u < total; u = claim(counter)) {
    const t = u / per;
    const r = u - t * per;
    const ti = r / tilesN;
    const tj = r - ti * tilesN;
    let oa: usize = 0;
    let ob: usize = 0;
    if (offsets != 0) {
      oa = <usize>load<i32>(offsets + <usize>t * 8) * 4;
      ob = <usize>load<i32>(offsets + <usize>t * 8 + 4) * 4;
    }
    const i0 = ti * tm;
    const j0 = tj * tn;
    const bt = b + ob;
    const reuse = k <= KC && bt == lastB && j0 == lastJ0;
    lastB = bt;
    lastJ0 = j0;
    gemmBlock(
      amode,
      geo,
      a + oa,
      ars,
      acs,
      bt,
      brs,
      bcs,
      c + <usize>t * mn,
      n,
      k,
      i0,
      min(m, i0 + tm),
      j0,
      min(n, j0 + tn),
      scratch,
      reuse,
    );
  }
}

/**
 * A batch of products C[t] = op(A[t]) · op(B[t]), each m x n with depth k; the element offsets of
 * every A[t] and B[t] are pairs of i32 at `offsets`.
 */
export function gemmBatch(
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
  counter: usize,
  scratch: usize,
  _tid: i32,
  nthreads: i32,
): void {
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  const brs = transB ? 1 : n;
  const bcs = transB ? k : 1;
  runTiles(0, 0, batch, offsets, a, ars, acs, b, brs, bcs, c, m, n, k, counter, scratch, nthreads);
}

/**
 * 2-D convolution, NHWC input x and HWIO filter w into NHWC y: the product of the patch matrix
 * [N·HO·WO, KH·KW·C] with the filter as a [KH·KW·C, O] matrix, the patches gathered while packing.
 */
export function conv2dForward(
  x: usize,
  w: usize,
  y: usize,
  geo: usize,
  counter: usize,
  scratch: usize,
  _tid: i32,
  nthreads: i32,
): void {
  const P = geo32(geo, G_N) * geo32(geo, G_HO) * geo32(geo, G_WO);
  const O = geo32(geo, G_O);
  const K = geo32(geo, G_KH) * geo32(geo, G_KW) * geo32(geo, G_C);
  runTiles(A_PATCHES, geo, 1, 0, x, 0, 0, w, O, 1, y, P, O, K, counter, scratch, nthreads);
}

/**
 * The filter's gradient: dw [KH·KW·C, O] = patchesᵀ · dy, with dy [N·HO·WO, O] (NHWC).
 */
export function conv2dFilter(
  x: usize,
  dy: usize,
  dw: usize,
  geo: usize,
  counter: usize,
  scratch: usize,
  _tid: i32,
  nthreads: i32,
): void {
  const P = geo32(geo, G_N) * geo32(geo, G_HO) * geo32(geo, G_WO);
  const O = geo32(geo, G_O);
  const K = geo32(geo, G_KH) * geo32(geo, G_KW) * geo32(geo, G_C);
  runTiles(A_PATCHES_T, geo, 1, 0, x, 0, 0, dy, O, 1, dw, K, O, P, counter, scratch, nthreads);
}
