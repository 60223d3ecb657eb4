// The pure-TypeScript matmul's contract: every output element is the float64 sum of its products
// in order of the inner index, starting from 0, stored in the output dtype (what the wasm
// backend's small products reproduce bit for bit). Checked bitwise against a direct triple loop
// over shapes around its 4×4 blocking, every transpose form, broadcast batches, special values and
// each dtype.

import { describe, it } from 'node:test';
import { allocate, type DType, type TypedArray } from '../../src/dtype.js';
import { jsKernels } from '../../src/backend/js/index.js';
import { Tensor } from '../../src/tensor.js';
import { assertBitwiseEqual, rng } from './wasm-checks.js';

function tensorOf(shape: number[], dtype: DType, next: () => number, special: boolean): Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const data = allocate(dtype, size);
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e30, -1e-30];
  for (let i = 0; i < size; i++) {
    if (dtype === 'int32') data[i] = Math.floor(next() * 2000) - 1000;
    else data[i] = special && next() < 0.1 ? specials[Math.floor(next() * 7)] : next() * 4 - 2;
  }
  return new Tensor(data, shape, dtype);
}

/** C[t, i, j] = Σ_p A[t, i, p]·B[t, p, j] in order of p, in float64, for [batch, m, k]·[batch, k, n]. */
function naive(
  a: TypedArray,
  b: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
  ta: boolean,
  tb: boolean,
  aShared: boolean,
  bShared: boolean,
  dtype: DType,
): TypedArray {
  const y = allocate(dtype, batch * m * n);
  for (let t = 0; t < batch; t++) {
    const oa = aShared ? 0 : t * m * k;
    const ob = bShared ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = a[oa + (ta ? p * m + i : i * k + p)];
          const bv = b[ob + (tb ? j * k + p : p * n + j)];
          s += av * bv;
        }
        y[t * m * n + i * n + j] = s;
      }
    }
  }
  return y;
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [4, 4, 4],
  [3, 5, 7],
  [5, 0, 6],
  [9, 17, 13],
  [33, 8, 4],
  [2, 40, 31],
  // A single row: the vector-times-matrix path, with B in either layout.
  [1, 9, 13],
  [1, 40, 6],
];

describe('js BatchMatMulV2 is the in-order float64 sum of products', () => {
  let seed = 1;
  for (const dtype of ['float32', 'float64', 'int32'] as const) {
    for (const [m, k, n] of SIZES) {
      it(`${dtype} [${m}×${k}]·[${k}×${n}], every transpose form, alone and batched`, () => {
        for (const ta of [false, true]) {
          for (const tb of [false, true]) {
            for (const [batch, aShared, bShared] of [
              [1, true, true],
              [3, false, false],
              [3, true, false],
              [3, false, true],
            ] as const) {
              const next = rng(seed++);
              const aMat = ta ? [k, m] : [m, k];
              const bMat = tb ? [n, k] : [k, n];
              const A = tensorOf(aShared ? aMat : [batch, ...aMat], dtype, next, true);
              const B = tensorOf(bShared ? bMat : [batch, ...bMat], dtype, next, true);
              const shape = batch === 1 && aShared && bShared ? [m, n] : [batch, m, n];
              const got = jsKernels.BatchMatMulV2([A, B], { transposeA: ta, transposeB: tb }, [
                { shape, dtype },
              ]) as TypedArray;
              const want = naive(
                A.values(),
                B.values(),
                batch,
                m,
                k,
                n,
                ta,
                tb,
                aShared,
                bShared,
                dtype,
              );
              assertBitwiseEqual(got, want, `${dtype} ta=${ta} tb=${tb} batch=${batch}`);
            }
          }
        }
      });
    }
  }
});
