// The 'wasm' backend's kernels against the pure-TypeScript ones on random inputs: matrix products
// in every transpose form with broadcast batches, odd and zero sizes, on one thread and on worker
// threads; elementwise maps (bit for bit, NaN, infinities and signed zeros included); reductions
// over every axis pattern. Thresholds are lowered so even tiny problems run in WebAssembly.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { after, before, describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { jsKernels } from '../../src/backend/js/index.js';
import { THRESHOLDS, wasmKernels } from '../../src/backend/wasm/kernels.js';
import { nodePool, spawnNodeWorker } from '../../src/backend/wasm/node_pool.js';
import { SharedPool } from '../../src/backend/wasm/pool.js';
import { addPoolFactory, getRuntime, KEPT_INPUTS } from '../../src/backend/wasm/runtime.js';
import { Tensor } from '../../src/tensor.js';
import {
  assertBitwiseEqual,
  checkMatMul,
  convCases,
  FORMS,
  matMulShape,
  matMulCases,
  randomTensor,
  rng,
  run,
} from './wasm-checks.js';

const saved = { ...THRESHOLDS };
before(() => {
  THRESHOLDS.matMul = 0;
  THRESHOLDS.elementwise = 0;
  THRESHOLDS.reduce = 0;
  THRESHOLDS.matMulThreads = Infinity;
});
after(() => Object.assign(THRESHOLDS, saved));

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

describe('wasm exact products (float64 accumulation in the reference order)', () => {
  it('float32 and float64 products equal the pure-TypeScript ones bit for bit', () => {
    const saved = THRESHOLDS.matMul;
    THRESHOLDS.matMul = Infinity;
    try {
      let seed = 8000;
      const shapes: [number[], number[]][] = [
        [
          [3, 5],
          [5, 7],
        ],
        [
          [17, 33],
          [33, 9],
        ],
        [
          [2, 1, 5, 6],
          [3, 6, 4],
        ],
        [
          [9, 4, 3],
          [9, 3, 5],
        ],
        [
          [1, 1],
          [1, 1],
        ],
        [
          [40, 64],
          [64, 31],
        ],
      ];
      for (const dtype of ['float32', 'float64'] as const) {
        for (const [sa, sb] of shapes) {
          for (const [ta, tb] of FORMS) {
            const next = rng(seed++);
            const T = (shape: number[]) => {
              const x = randomTensor(shape, next, true);
              return dtype === 'float32'
                ? x
                : new Tensor(Float64Array.from(x.values()), shape, 'float64');
            };
            const tr = (s: number[], t: boolean) =>
              t ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s;
            const A = T(tr(sa, ta));
            const B = T(tr(sb, tb));
            const shape = matMulShape(A.shape, B.shape, ta, tb);
            const attrs = { transposeA: ta, transposeB: tb };
            const got = run(wasmKernels.BatchMatMulV2, [A, B], attrs, shape, dtype);
            assert.equal(got.constructor, dtype === 'float32' ? Float32Array : Float64Array);
            assertBitwiseEqual(
              got,
              run(jsKernels.BatchMatMulV2, [A, B], attrs, shape, dtype),
              `${dtype} [${A.shape}]${ta ? 'ᵀ' : ''}·[${B.shape}]${tb ? 'ᵀ' : ''}`,
            );
          }
        }
      }
    } finally {
      THRESHOLDS.matMul = saved;
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

const BINARY = [
  'AddV2',
  'Sub',
  'Mul',
  'RealDiv',
  'Maximum',
  'Minimum',
  'TanhGrad',
  'SigmoidGrad',
  'ReluGrad',
] as const;

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
  for (const name of [
    'Greater',
    'GreaterEqual',
    'Less',
    'LessEqual',
    'Equal',
    'NotEqual',
  ] as const) {
    it(name, () => {
      const next = rng(name.length * 7727);
      for (const [sa, sb] of BROADCASTS) {
        const a = randomTensor(sa, next, true);
        // Ties are what comparisons are about: b shares many of a's values.
        const b = randomTensor(sb, next, true);
        const ad = a.values();
        const bd = b.values();
        for (let i = 0; i < bd.length; i++)
          if (next() < 0.3 && ad.length > 0) bd[i] = ad[i % ad.length];
        const shape = broadcastShape(sa, sb);
        const got = run(wasmKernels[name], [a, b], {}, shape, 'bool');
        assert.ok(got instanceof Uint8Array);
        assertBitwiseEqual(
          got,
          run(jsKernels[name], [a, b], {}, shape, 'bool'),
          `${name} [${sa}] with [${sb}]`,
        );
      }
    });
  }
  it('BroadcastTo', () => {
    const next = rng(4242);
    for (const [sa, sb] of BROADCASTS) {
      const shape = broadcastShape(sa, sb);
      const x = randomTensor(sa, next, true);
      assertBitwiseEqual(
        run(wasmKernels.BroadcastTo, [x], { shape }, shape),
        run(jsKernels.BroadcastTo, [x], { shape }, shape),
        `BroadcastTo [${sa}] to [${shape}]`,
      );
    }
  });
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

describe('wasm inputs kept in memory between kernels', () => {
  // Tensors of 4 MiB: eight fill the region exactly.
  const n = KEPT_INPUTS.bytes / 8 / 4;
  const fill = KEPT_INPUTS.bytes / (n * 4);
  const tensors = Array.from({ length: 2 * fill + 1 }, (_, i) => randomTensor([n], rng(7000 + i)));
  const neg = (t: Tensor) => {
    const got = run(wasmKernels.Neg, [t], undefined, [n]);
    assertBitwiseEqual(got, run(jsKernels.Neg, [t], undefined, [n]), 'Neg');
  };
  const mul = (a: Tensor, b: Tensor) => {
    const got = run(wasmKernels.Mul, [a, b], undefined, [n]);
    assertBitwiseEqual(got, run(jsKernels.Mul, [a, b], undefined, [n]), 'Mul');
  };

  it('gives the same results when a tensor is used again (read from its kept copy)', () => {
    const a = tensors[0];
    for (let i = 1; i < 4; i++) {
      neg(a);
      mul(a, tensors[i]);
      mul(tensors[i], a);
      mul(a, a);
    }
  });

  it('copies a tensor again after the region starts over, and keeps what a kernel uses', () => {
    // A tensor is kept from its second use on. The last one is seen once (not kept) here.
    neg(tensors[2 * fill]);
    // Fill the region, then one more starts it over (tensors[fill] first in it); fill it again.
    for (let i = 0; i <= 2 * fill - 1; i++) {
      neg(tensors[i]);
      neg(tensors[i]);
    }
    // tensors[fill] is kept and this kernel uses it: the new operand must not start the region
    // over (that would overwrite the kept copy the kernel reads).
    mul(tensors[fill], tensors[2 * fill]);
    mul(tensors[2 * fill], tensors[fill]);
    // Copies made before the region started over are not used: these are copied again.
    for (let i = 0; i < fill; i++) mul(tensors[i], tensors[fill + 1]);
  });
});

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

  it('worker threads start under the Node entry and do not keep the process alive', () => {
    const script =
      "const tt = await import('./src/node.ts');" +
      "const { getRuntime } = await import('./src/backend/wasm/runtime.ts');" +
      'for (let i = 0; i < 100 && getRuntime().threads < 2; i++) await new Promise((r) => setTimeout(r, 20));' +
      'const a = tt.random.normal([256, 256]);' +
      'console.log(tt.getBackend(), getRuntime().threads, tt.matMul(a, a).shape.join("x"));';
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20000,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const threads = Math.min(8, availableParallelism());
    assert.equal(r.stdout.trim(), `wasm ${threads} 256x256`);
  });
});
