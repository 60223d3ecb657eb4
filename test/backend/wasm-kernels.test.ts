// The 'wasm' backend's kernels against the pure-TypeScript ones on random inputs: matrix products
// in every transpose form with broadcast batches, odd and zero sizes, on one thread and on worker
// threads; elementwise maps (bit for bit, NaN, infinities and signed zeros included); reductions
// over every axis pattern. Thresholds are lowered so even tiny problems run in WebAssembly.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import type { Kernel } from '../../src/backend/backend.js';
import { jsKernels } from '../../src/backend/js/index.js';
import { THRESHOLDS, wasmKernels } from '../../src/backend/wasm/kernels.js';
import { nodePool, spawnNodeWorker } from '../../src/backend/wasm/node_pool.js';
import { SharedPool } from '../../src/backend/wasm/pool.js';
import { addPoolFactory, getRuntime } from '../../src/backend/wasm/runtime.js';
import { Tensor } from '../../src/tensor.js';

const saved = { ...THRESHOLDS };
before(() => {
  THRESHOLDS.matMul = 0;
  THRESHOLDS.elementwise = 0;
  THRESHOLDS.reduce = 0;
  THRESHOLDS.matMulThreads = Infinity;
});
after(() => Object.assign(THRESHOLDS, saved));

/** A deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTensor(shape: number[], next: () => number, special = false): Tensor {
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

function run(
  k: Kernel | undefined,
  inputs: Tensor[],
  attrs: unknown,
  shape: number[],
  dtype = 'float32',
) {
  assert.ok(k, 'kernel exists');
  return k(inputs, attrs, [{ shape, dtype: dtype as 'float32' }]);
}

function assertBitwiseEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

// ---- matrix products --------------------------------------------------------------------------

function matMulShape(a: number[], b: number[], ta: boolean, tb: boolean): number[] {
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

function checkMatMul(aShape: number[], bShape: number[], ta: boolean, tb: boolean, seed: number) {
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

const FORMS: [boolean, boolean][] = [
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

function matMulCases(seed0: number) {
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

describe('wasm BatchMatMulV2 (one thread)', () => {
  matMulCases(100);
});

describe('wasm BatchMatMulV2 (worker threads)', () => {
  before(async () => {
    addPoolFactory(nodePool(3));
    const rt = getRuntime();
    assert.ok(rt, 'WebAssembly SIMD is available in Node');
    for (let i = 0; i < 500 && rt.threads === 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(rt.threads, 3, 'the workers started');
    THRESHOLDS.matMulThreads = 0;
  });
  after(() => {
    THRESHOLDS.matMulThreads = Infinity;
  });
  matMulCases(500);
  it('runs many small products in a row', () => {
    for (let s = 0; s < 200; s++) {
      const ta = s % 2 === 0;
      const tb = s % 3 === 0;
      checkMatMul(ta ? [7, 9] : [9, 7], tb ? [13, 7] : [7, 13], ta, tb, 900 + s);
    }
  });
});

describe('wasm thread pool', () => {
  it('workers alone compute a whole product (the calling thread only waits)', async () => {
    const rt = getRuntime()!;
    // Scratch for two more threads, past everything the kernels use.
    rt.reset();
    const scratchBase = rt.alloc(rt.scratchBytes * 3 + 64) + 64;
    let counterAt = 0;
    const pool = new SharedPool(
      rt.module,
      rt.memory,
      2,
      (_fn, args) => {
        // Leave the work to the workers: return once one of them has claimed a tile.
        counterAt = args[10] >> 2;
        const end = Date.now() + 10_000;
        while (Atomics.load(rt.i32, counterAt) === 0 && Date.now() < end);
      },
      scratchBase - rt.scratchBytes,
      rt.scratchBytes,
      spawnNodeWorker,
      true,
    );
    try {
      for (let i = 0; i < 500 && pool.threads < 3; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(pool.threads, 3);
      const [m, k, n] = [70, 45, 90];
      const next = rng(77);
      const A = randomTensor([m, k], next);
      const B = randomTensor([k, n], next);
      const attrs = { transposeA: false, transposeB: false };
      const want = run(jsKernels.BatchMatMulV2, [A, B], attrs, [m, n]);
      const pa = rt.copyInF32(A.values() as Float32Array);
      const pb = rt.copyInF32(B.values() as Float32Array);
      const pc = rt.alloc(m * n * 4);
      const po = rt.alloc(8);
      rt.i32[po >> 2] = 0;
      rt.i32[(po >> 2) + 1] = 0;
      rt.f32.fill(NaN, pc >> 2, (pc >> 2) + m * n);
      pool.run(0, [1, po, pa, pb, pc, m, n, k, 0, 0, rt.counter()], 3);
      const got = rt.copyOutF32(pc, m * n);
      for (let i = 0; i < want.length; i++) {
        assert.ok(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `element ${i}`);
      }
      assert.ok(Atomics.load(rt.i32, counterAt) > 0);
    } finally {
      pool.stop();
      rt.reset();
    }
  });
});

describe('wasm kernels fall back for other dtypes', () => {
  it('float64 and int32 products equal the pure-TypeScript ones', () => {
    const A = new Tensor(
      Float64Array.from({ length: 12 }, (_, i) => i / 3),
      [3, 4],
      'float64',
    );
    const B = new Tensor(
      Float64Array.from({ length: 8 }, (_, i) => i - 2.5),
      [4, 2],
      'float64',
    );
    const attrs = { transposeA: false, transposeB: false };
    assertBitwiseEqual(
      run(wasmKernels.BatchMatMulV2, [A, B], attrs, [3, 2], 'float64'),
      run(jsKernels.BatchMatMulV2, [A, B], attrs, [3, 2], 'float64'),
      'float64',
    );
    const I = new Tensor(
      Int32Array.from({ length: 6 }, (_, i) => i - 3),
      [6],
      'int32',
    );
    assertBitwiseEqual(
      run(wasmKernels.Neg, [I], {}, [6], 'int32'),
      run(jsKernels.Neg, [I], {}, [6], 'int32'),
      'int32',
    );
  });
});

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

function convCases() {
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

describe('wasm Conv2D and its gradients (one thread)', () => {
  convCases();
});

describe('wasm Conv2D and its gradients (worker threads)', () => {
  before(() => {
    THRESHOLDS.matMulThreads = 0;
  });
  after(() => {
    THRESHOLDS.matMulThreads = Infinity;
  });
  convCases();
});

// ---- elementwise ------------------------------------------------------------------------------

const UNARY = [
  'Neg',
  'Abs',
  'Square',
  'Sqrt',
  'Relu',
  'Reciprocal',
  'Floor',
  'Ceil',
  'Round',
  'Sign',
] as const;

describe('wasm unary kernels equal the pure-TypeScript ones bit for bit', () => {
  for (const name of UNARY) {
    it(name, () => {
      const next = rng(name.length * 7919);
      for (const size of [0, 1, 3, 4, 5, 17, 1000]) {
        const x = randomTensor([size], next, true);
        assertBitwiseEqual(
          run(wasmKernels[name], [x], {}, [size]),
          run(jsKernels[name], [x], {}, [size]),
          `${name} size ${size}`,
        );
      }
    });
  }
});

const BINARY = ['AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum'] as const;

const BROADCASTS: [number[], number[]][] = [
  [[5], [5]],
  [[37], [37]],
  [[3, 4], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [
    [2, 3, 4],
    [3, 1],
  ],
  [[13], []],
  [[], [13]],
  [[], []],
  [[0, 3], [3]],
  [
    [7, 1, 5],
    [1, 6, 1],
  ],
  [
    [2, 1, 3, 1, 9],
    [4, 1, 1, 9],
  ],
  [
    [1, 1],
    [6, 1, 7],
  ],
  [
    [5, 6],
    [5, 1],
  ],
  [
    [4, 9, 2],
    [4, 9, 2],
  ],
];

function broadcastShape(a: number[], b: number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    out.push(x === 1 ? y : x);
  }
  return out;
}

describe('wasm binary kernels equal the pure-TypeScript ones bit for bit, broadcasting', () => {
  for (const name of BINARY) {
    it(name, () => {
      const next = rng(name.length * 104729);
      for (const [sa, sb] of BROADCASTS) {
        const a = randomTensor(sa, next, true);
        const b = randomTensor(sb, next, true);
        const shape = broadcastShape(sa, sb);
        assertBitwiseEqual(
          run(wasmKernels[name], [a, b], {}, shape),
          run(jsKernels[name], [a, b], {}, shape),
          `${name} [${sa}] with [${sb}]`,
        );
      }
    });
  }
  it('ties and NaN in Maximum and Minimum follow the pure-TypeScript backend', () => {
    const a = new Tensor(new Float32Array([0, -0, NaN, 1, NaN, 2, -0, 0]), [8], 'float32');
    const b = new Tensor(new Float32Array([-0, 0, 1, NaN, NaN, 2, -0, 0]), [8], 'float32');
    for (const name of ['Maximum', 'Minimum'] as const) {
      assertBitwiseEqual(
        run(wasmKernels[name], [a, b], {}, [8]),
        run(jsKernels[name], [a, b], {}, [8]),
        name,
      );
    }
  });
});

// ---- reductions -------------------------------------------------------------------------------

const REDUCTIONS = ['Sum', 'Prod', 'Max', 'Min'] as const;

const REDUCE_CASES: [number[], number[]][] = [
  [[10], [0]],
  [[1000], [0]],
  [[7, 9], [0]],
  [[7, 9], [1]],
  [
    [7, 9],
    [0, 1],
  ],
  [[128, 512], [0]],
  [[3, 4, 5], [1]],
  [
    [3, 4, 5],
    [0, 1],
  ],
  [
    [3, 4, 5],
    [1, 2],
  ],
  [
    [3, 4, 5],
    [0, 2],
  ],
  [
    [3, 1, 5],
    [0, 2],
  ],
  [
    [2, 3, 4, 5],
    [1, 2],
  ],
  [[4, 0, 3], [1]],
  [[4, 0, 3], [0]],
  [[5, 6], []],
  [[], []],
];

function reducedShape(shape: number[], axes: number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

describe('wasm reduction kernels agree with the pure-TypeScript ones', () => {
  for (const name of REDUCTIONS) {
    it(name, () => {
      const next = rng(name.length * 31337);
      for (const [shape, axes] of REDUCE_CASES) {
        for (const special of [false, true]) {
          // Products of many values overflow: keep them near 1.
          const x = randomTensor(shape, next, special);
          if (name === 'Prod' && !special) {
            const d = x.values();
            for (let i = 0; i < d.length; i++) d[i] = 1 + (d[i] as number) / 64;
          }
          const out = reducedShape(shape, axes);
          const got = run(wasmKernels[name], [x], { axes, keepDims: false }, out);
          const want = run(jsKernels[name], [x], { axes, keepDims: false }, out);
          const what = `${name} of [${shape}] over [${axes}]${special ? ' with special values' : ''}`;
          if (name === 'Max' || name === 'Min') {
            // Selections are exact; only the sign of a zero may differ where zeros tie.
            assert.equal(got.length, want.length);
            for (let i = 0; i < want.length; i++) {
              const ok = Object.is(got[i], want[i]) || (got[i] === 0 && want[i] === 0);
              assert.ok(ok, `${what}: element ${i} is ${got[i]}, expected ${want[i]}`);
            }
          } else {
            // float64 accumulation in another order: equal up to the final float32 rounding.
            assert.equal(got.length, want.length);
            for (let i = 0; i < want.length; i++) {
              const g = got[i];
              const w = want[i];
              const ok =
                Object.is(g, w) ||
                (Number.isNaN(g) && Number.isNaN(w)) ||
                Math.abs(g - w) <= 2 ** -22 * Math.abs(w);
              assert.ok(ok, `${what}: element ${i} is ${g}, expected ${w}`);
            }
          }
        }
      }
    });
  }
});

// ---- the backend as a whole -------------------------------------------------------------------

describe('the wasm backend', () => {
  it('is registered and selectable by name', async () => {
    await import('../../src/backend/wasm/index.js');
    assert.ok(tt.backends().includes('wasm'));
    const before = tt.getBackend();
    try {
      tt.setBackend('wasm');
      assert.equal(tt.getBackend(), 'wasm');
      const x = tt.tensor([
        [1, 2],
        [3, 4],
      ]);
      assert.deepEqual(tt.matMul(x, x, false, true).array(), [
        [5, 11],
        [11, 25],
      ]);
    } finally {
      tt.setBackend(before);
    }
  });

  it('its generated module is up to date with wasm/assembly/', () => {
    const r = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  });

  it('worker threads do not keep a Node process alive', () => {
    const script =
      "const tt = await import('./src/node.ts');" +
      'await new Promise((r) => setTimeout(r, 200));' +
      'const a = tt.random.normal([256, 256]);' +
      'console.log(tt.getBackend(), tt.matMul(a, a).shape.join("x"));';
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'wasm 256x256');
    assert.ok(Date.now() - t0 < 20000);
  });
});
