// Shared checks of the 'wasm' backend's kernels against the pure-TypeScript ones (used by the
// test files for each compiled variant): random inputs, and tolerances within float32 rounding.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kernel } from '../../src/backend/backend.js';
import { jsKernels } from '../../src/backend/js/index.js';
import { wasmKernels } from '../../src/backend/wasm/kernels.js';
import { Tensor } from '../../src/tensor.js';

/** A deterministic generator (mulberry32). */
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

export function randomTensor(shape: number[], next: () => number, special = false): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const data = new Float32Array(size);
  const specials = [NaN, Infinity, -Infinity, 0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 1e-40];
  for (let i = 0; i < size; i++) {
    data[i] =
      special && next() < 0.2 ? specials[Math.floor(next() * specials.length)] : next() * 4 - 2;
  }
  return new Tensor(data, shape, 'float32');
}

export function run(
  k: Kernel | undefined,
  inputs: Tensor[],
  attrs: unknown,
  shape: number[],
  dtype = 'float32',
) {
  assert.ok(k, 'kernel exists');
  return k(inputs, attrs, [{ shape, dtype: dtype as 'float32' }]);
}

export function assertBitwiseEqual(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

// ---- matrix products --------------------------------------------------------------------------

export function matMulShape(a: number[], b: number[], ta: boolean, tb: boolean): number[] {
  const m = ta ? a[a.length - 1] : a[a.length - 2];
  const n = tb ? b[b.length - 2] : b[b.length - 1];
  const ba = a.slice(0, -2);
  const bb = b.slice(0, -2);
  const r = Math.max(ba.length, bb.length);
  const batch: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = ba[ba.length - r + i] ?? 1;
    const y = bb[bb.length - r + i] ?? 1;
    batch.push(x === 1 ? y : x);
  }
  return [...batch, m, n];
}

/** |op(A)|·|op(B)| in float64, the scale of each product's rounding error. */
function absProduct(A: Tensor, B: Tensor, ta: boolean, tb: boolean, shape: number[]): Float64Array {
  const absA = new Tensor(Float64Array.from(A.values(), Math.abs), A.shape, 'float64');
  const absB = new Tensor(Float64Array.from(B.values(), Math.abs), B.shape, 'float64');
  return run(
    jsKernels.BatchMatMulV2,
    [absA, absB],
    { transposeA: ta, transposeB: tb },
    shape,
    'float64',
  ) as Float64Array;
}

export function checkMatMul(
  aShape: number[],
  bShape: number[],
  ta: boolean,
  tb: boolean,
  seed: number,
) {
  const next = rng(seed);
  const A = randomTensor(aShape, next);
  const B = randomTensor(bShape, next);
  const shape = matMulShape(aShape, bShape, ta, tb);
  const attrs = { transposeA: ta, transposeB: tb };
  const want = run(jsKernels.BatchMatMulV2, [A, B], attrs, shape);
  const got = run(wasmKernels.BatchMatMulV2, [A, B], attrs, shape);
  assert.ok(got instanceof Float32Array);
  assert.equal(got.length, want.length);
  const scale = absProduct(A, B, ta, tb, shape);
  const k = ta ? aShape[aShape.length - 2] : aShape[aShape.length - 1];
  for (let i = 0; i < want.length; i++) {
    // float32 accumulation in another order: within k roundings of the absolute products.
    const tol = (k + 2) * 2 ** -24 * scale[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      assert.fail(
        `matMul [${aShape}]${ta ? 'ᵀ' : ''}·[${bShape}]${tb ? 'ᵀ' : ''}: element ${i} is ${got[i]}, expected ${want[i]} ± ${tol}`,
      );
    }
  }
}

export const FORMS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** [m, k, n] cases: tile-aligned, odd, thin, and across the packing block sizes. */
const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [4, 8, 8],
  [3, 5, 7],
  [17, 33, 9],
  [1, 300, 1],
  [64, 1, 64],
  [129, 257, 130],
  [5, 600, 11],
  [200, 20, 1100],
];

export function matMulCases(seed0: number) {
  let seed = seed0;
  for (const [m, k, n] of SIZES) {
    for (const [ta, tb] of FORMS) {
      it(`[${m}×${k}]·[${k}×${n}] transposeA=${ta} transposeB=${tb}`, () => {
        checkMatMul(ta ? [k, m] : [m, k], tb ? [n, k] : [k, n], ta, tb, seed++);
      });
    }
  }
  it('broadcasts batch dimensions', () => {
    checkMatMul([2, 1, 5, 6], [3, 6, 4], false, false, seed++);
    checkMatMul([3, 6, 5], [6, 4], true, false, seed++);
    checkMatMul([7, 9], [2, 4, 5, 9], false, true, seed++);
    checkMatMul([1, 3, 8, 8], [2, 1, 8, 8], true, true, seed++);
    checkMatMul([9, 4, 3], [9, 3, 5], false, false, seed++);
  });
  it('reuses a packed B panel across row tiles and batch entries (depth within one block)', () => {
    for (const [ta, tb] of FORMS) {
      checkMatMul(ta ? [64, 300] : [300, 64], tb ? [530, 64] : [64, 530], ta, tb, seed++);
      checkMatMul(ta ? [3, 200, 260] : [3, 260, 200], tb ? [70, 200] : [200, 70], ta, tb, seed++);
    }
  });
  it('handles zero sizes (empty output, or zeros when the inner dimension is 0)', () => {
    checkMatMul([0, 5], [5, 4], false, false, seed++);
    checkMatMul([3, 5], [5, 0], false, false, seed++);
    checkMatMul([3, 0], [0, 4], false, false, seed++);
    checkMatMul([0, 3, 4], [4, 2], false, false, seed++);
    const A = randomTensor([3, 0], rng(1));
    const B = randomTensor([0, 4], rng(2));
    const got = run(
      wasmKernels.BatchMatMulV2,
      [A, B],
      { transposeA: false, transposeB: false },
      [3, 4],
    );
    assertBitwiseEqual(got, new Float32Array(12), 'k = 0');
  });
}

// ---- convolution ------------------------------------------------------------------------------

interface ConvCase {
  x: [number, number, number, number]; // N, H, W, C
  k: [number, number]; // KH, KW
  o: number;
  strides: [number, number];
  padding: 'same' | 'valid';
}

/** TF's output size and [top, bottom, left, right] pads. */
function convGeometry(c: ConvCase) {
  const axis = (size: number, k: number, s: number): [number, number, number] => {
    if (c.padding === 'valid') return [Math.ceil((size - k + 1) / s), 0, 0];
    const out = Math.ceil(size / s);
    const total = Math.max((out - 1) * s + k - size, 0);
    return [out, Math.floor(total / 2), total - Math.floor(total / 2)];
  };
  const [ho, top, bottom] = axis(c.x[1], c.k[0], c.strides[0]);
  const [wo, left, right] = axis(c.x[2], c.k[1], c.strides[1]);
  return { ho, wo, attrs: { strides: c.strides, pads: [top, bottom, left, right] as const } };
}

const absOf = (t: Tensor) =>
  new Tensor(Float32Array.from(t.values(), Math.abs), t.shape, 'float32');

function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
  terms: number,
  what: string,
) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const tol = (terms + 2) * 2 ** -23 * scale[i] + 1e-30;
    if (!(Math.abs(got[i] - want[i]) <= tol)) {
      assert.fail(`${what}: element ${i} is ${got[i]}, expected ${want[i]} ± ${tol}`);
    }
  }
}

const CONVS: ConvCase[] = [
  { x: [2, 7, 6, 3], k: [3, 3], o: 5, strides: [1, 1], padding: 'same' },
  { x: [1, 8, 8, 4], k: [3, 3], o: 8, strides: [1, 1], padding: 'valid' },
  { x: [3, 9, 7, 2], k: [2, 4], o: 3, strides: [1, 1], padding: 'same' },
  { x: [2, 10, 9, 3], k: [3, 3], o: 4, strides: [2, 2], padding: 'same' },
  { x: [1, 11, 8, 5], k: [5, 3], o: 9, strides: [3, 2], padding: 'valid' },
  { x: [4, 5, 5, 1], k: [1, 1], o: 1, strides: [1, 1], padding: 'valid' },
  { x: [2, 14, 13, 16], k: [3, 3], o: 32, strides: [1, 1], padding: 'same' },
];

export function convCases() {
  let seed = 3000;
  for (const c of CONVS) {
    const label = `x [${c.x}] filter [${c.k},${c.x[3]},${c.o}] strides [${c.strides}] ${c.padding}`;
    it(label, () => {
      const next = rng(seed++);
      const [N, , , C] = c.x;
      const [KH, KW] = c.k;
      const { ho, wo, attrs } = convGeometry(c);
      const X = randomTensor(c.x, next);
      const F = randomTensor([KH, KW, C, c.o], next);
      const DY = randomTensor([N, ho, wo, c.o], next);
      const yShape = [N, ho, wo, c.o];
      const terms = KH * KW * Math.max(C, c.o);
      assertClose(
        run(wasmKernels.Conv2D, [X, F], attrs, yShape),
        run(jsKernels.Conv2D, [X, F], attrs, yShape),
        run(jsKernels.Conv2D, [absOf(X), absOf(F)], attrs, yShape),
        terms,
        `Conv2D ${label}`,
      );
      const fAttrs = { ...attrs, filterSize: [KH, KW] };
      const fShape = [KH, KW, C, c.o];
      assertClose(
        run(wasmKernels.Conv2DBackpropFilter, [X, DY], fAttrs, fShape),
        run(jsKernels.Conv2DBackpropFilter, [X, DY], fAttrs, fShape),
        run(jsKernels.Conv2DBackpropFilter, [absOf(X), absOf(DY)], fAttrs, fShape),
        N * ho * wo,
        `Conv2DBackpropFilter ${label}`,
      );
      const iAttrs = { ...attrs, inputSize: [c.x[1], c.x[2]] };
      assertClose(
        run(wasmKernels.Conv2DBackpropInput, [DY, F], iAttrs, c.x),
        run(jsKernels.Conv2DBackpropInput, [DY, F], iAttrs, c.x),
        run(jsKernels.Conv2DBackpropInput, [absOf(DY), absOf(F)], iAttrs, c.x),
        terms,
        `Conv2DBackpropInput ${label}`,
      );
    });
  }
}
