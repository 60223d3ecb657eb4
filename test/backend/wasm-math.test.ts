// The 'wasm' backend's transcendental kernels (Exp, Log, Tanh, Sigmoid, Sin, Cos) against the
// pure-TypeScript ones within a stated number of float32 ulps, on random inputs and on the edge
// values (zeros of both signs, infinities, NaN, subnormals, large magnitudes, the ends of each
// function's range); and its data-movement kernels (Transpose, BroadcastTo, Slice, ConcatV2), which
// must equal the pure-TypeScript ones bit for bit. Thresholds are lowered so even tiny problems run
// in WebAssembly.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsKernels } from '../../src/backend/js/index.js';
import { THRESHOLDS, wasmKernels } from '../../src/backend/wasm/kernels.js';
import { getRuntime } from '../../src/backend/wasm/runtime.js';
import { Tensor } from '../../src/tensor.js';
import { assertBitwiseEqual, randomTensor, rng, run } from './wasm-checks.js';

const saved = { ...THRESHOLDS };
before(() => {
  THRESHOLDS.transcendental = 0;
  THRESHOLDS.elementwise = 0;
  THRESHOLDS.copy = 0;
  THRESHOLDS.concatRow = 0;
});
after(() => Object.assign(THRESHOLDS, saved));

// ---- transcendental functions -----------------------------------------------------------------

/**
 * The most float32 ulps each kernel may differ from the pure-TypeScript one, which rounds the
 * float64 Math function to float32 (correctly rounded, but for rare double roundings). The wasm
 * kernels evaluate Cephes' float32 polynomials (exp, log, tanh) or musl's float kernels in float64
 * after a float64 argument reduction (sin, cos), each within one ulp of the exact value, so one
 * ulp of disagreement is expected and two leaves a margin; sigmoid adds a division (and for
 * x < 0 a sum) to exp, each rounding once more, so it gets one ulp more. Measured on 4M random
 * inputs (random bit patterns, each function's range, [-2, 2] and 2^-30..2^10): at most 1 ulp for
 * exp, log, tanh, sin and cos, 2 for sigmoid.
 */
const ULPS = { Exp: 2, Log: 2, Tanh: 2, Sigmoid: 3, Sin: 2, Cos: 2 } as const;

const bits = new Int32Array(1);
const f32 = new Float32Array(bits.buffer);

/** The float32 value's position on the integer line ordered like the floats (±0 both at 0). */
function ordinal(v: number): number {
  f32[0] = v;
  return bits[0] < 0 ? -(bits[0] & 0x7fffffff) : bits[0];
}

/** Ulps between two float32 values; NaN only matches NaN, and zeros must agree in sign. */
function ulpDistance(got: number, want: number): number {
  if (Number.isNaN(got) || Number.isNaN(want))
    return Number.isNaN(got) && Number.isNaN(want) ? 0 : Infinity;
  if (got === want) return Object.is(got, want) ? 0 : Infinity;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return Infinity;
  return Math.abs(ordinal(got) - ordinal(want));
}

/** Edge values of every function, and values near the ends of their ranges and branches. */
const EDGES = [
  0,
  -0,
  Infinity,
  -Infinity,
  NaN,
  1e-45,
  -1e-45,
  1e-40,
  -1e-40,
  1.1754942e-38,
  1.17549435e-38,
  1e-30,
  -1e-30,
  1e-8,
  -1e-8,
  0.5,
  -0.5,
  1,
  -1,
  2,
  -2,
  0.625,
  -0.625,
  0.6249999,
  0.62500006,
  3,
  -3,
  9,
  -9,
  9.1,
  -9.1,
  10,
  -10,
  15,
  -15,
  44,
  -44,
  45,
  -45,
  80,
  -80,
  87.3,
  -87.3,
  88.72,
  88.7228,
  88.72284,
  88.73,
  89,
  90,
  -100,
  -103.9,
  -103.97,
  -103.98,
  -104,
  -105,
  -150,
  200,
  -200,
  1e4,
  -1e4,
  Math.PI,
  -Math.PI,
  Math.PI / 2,
  Math.PI / 4,
  355,
  710,
  1048575,
  1048576,
  -1048576,
  1048577,
  3e6,
  1e7,
  16777216,
  1e10,
  -1e10,
  1e20,
  1e30,
  -1e30,
  3.4028235e38,
  -3.4028235e38,
  3e38,
  1e38,
];

/** Random float32 values: any bit pattern (every magnitude, subnormals, NaN payloads, infinities). */
function randomBits(n: number, next: () => number): Float32Array {
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = Math.floor(next() * 2 ** 32) >>> 0;
  return new Float32Array(u.buffer);
}

function checkTranscendental(name: keyof typeof ULPS, data: Float32Array, what: string): void {
  const x = new Tensor(data, [data.length], 'float32');
  const got = run(wasmKernels[name], [x], {}, [data.length]);
  const want = run(jsKernels[name], [x], {}, [data.length]);
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const d = ulpDistance(got[i], want[i]);
    if (d > ULPS[name]) {
      assert.fail(
        `${name}(${data[i]}) (${what}) is ${got[i]}, the pure-TypeScript kernel gives ${want[i]}: ${d} ulps apart (at most ${ULPS[name]})`,
      );
    }
  }
}

describe('wasm transcendental kernels are within the stated ulps of the pure-TypeScript ones', () => {
  it('runs them in WebAssembly', () => {
    assert.ok(getRuntime(), 'WebAssembly SIMD is available in Node');
  });
  for (const name of Object.keys(ULPS) as (keyof typeof ULPS)[]) {
    it(name, () => {
      const next = rng(name.length * 8191 + name.charCodeAt(0));
      checkTranscendental(name, Float32Array.from(EDGES), 'edge values');
      checkTranscendental(
        name,
        Float32Array.from(EDGES, (v) => -v),
        'negated edge values',
      );
      checkTranscendental(name, randomBits(20000, next), 'random bit patterns');
      // Each function's interesting range, and small magnitudes on a log scale.
      const ranges = { Exp: 100, Log: 1e3, Tanh: 12, Sigmoid: 110, Sin: 1e5, Cos: 1e5 };
      const r = ranges[name];
      checkTranscendental(
        name,
        Float32Array.from({ length: 20000 }, () => (next() * 2 - 1) * r),
        `uniform in ±${r}`,
      );
      checkTranscendental(
        name,
        Float32Array.from(
          { length: 20000 },
          () => (next() < 0.5 ? -1 : 1) * 2 ** (next() * 50 - 40),
        ),
        'log-uniform magnitudes',
      );
      // Every length mod 4, so the tails run too.
      for (const size of [0, 1, 2, 3, 4, 5, 7, 17]) {
        const d = randomTensor([size], next, true).values() as Float32Array;
        checkTranscendental(name, d, `size ${size}`);
      }
    });
  }
  it('float64 runs the pure-TypeScript kernel (identical results)', () => {
    const x = new Tensor(Float64Array.from(EDGES), [EDGES.length], 'float64');
    for (const name of Object.keys(ULPS) as (keyof typeof ULPS)[]) {
      assertBitwiseEqual(
        run(wasmKernels[name], [x], {}, [EDGES.length], 'float64'),
        run(jsKernels[name], [x], {}, [EDGES.length], 'float64'),
        `${name} float64`,
      );
    }
  });
});

// ---- data movement ----------------------------------------------------------------------------

function typed(shape: number[], dtype: 'float32' | 'int32' | 'float64' | 'bool', seed: number) {
  const next = rng(seed);
  let size = 1;
  for (const d of shape) size *= d;
  if (dtype === 'float32') return randomTensor(shape, next, true);
  if (dtype === 'float64')
    return new Tensor(
      Float64Array.from({ length: size }, () => next() - 0.5),
      shape,
      'float64',
    );
  if (dtype === 'int32')
    return new Tensor(
      Int32Array.from({ length: size }, () => Math.floor(next() * 2 ** 32) | 0),
      shape,
      'int32',
    );
  return new Tensor(
    Uint8Array.from({ length: size }, () => (next() < 0.5 ? 1 : 0)),
    shape,
    'bool',
  );
}

const DTYPES = ['float32', 'int32', 'float64', 'bool'] as const;

const TRANSPOSES: [number[], number[]][] = [
  [
    [32, 64, 32],
    [1, 0, 2],
  ],
  [
    [37, 41],
    [1, 0],
  ],
  [
    [8, 12],
    [1, 0],
  ],
  [
    [3, 5],
    [1, 0],
  ],
  [
    [2, 3, 4, 5],
    [3, 2, 1, 0],
  ],
  [
    [2, 3, 4, 5],
    [0, 2, 3, 1],
  ],
  [
    [2, 3, 4, 5],
    [1, 3, 0, 2],
  ],
  [
    [6, 1, 9, 4],
    [2, 0, 3, 1],
  ],
  [
    [5, 7, 9],
    [2, 1, 0],
  ],
  [
    [5, 7, 9],
    [0, 2, 1],
  ],
  [
    [4, 6, 130],
    [2, 0, 1],
  ],
  [
    [9, 130, 5],
    [1, 2, 0],
  ],
  [
    [1, 1],
    [1, 0],
  ],
  [
    [0, 3],
    [1, 0],
  ],
  [[7], [0]],
  [[], []],
];

describe('wasm data-movement kernels equal the pure-TypeScript ones bit for bit', () => {
  it('Transpose', () => {
    let seed = 1;
    for (const dtype of DTYPES) {
      for (const [shape, perm] of TRANSPOSES) {
        const x = typed(shape, dtype, seed++);
        const out = perm.map((p) => shape[p]);
        assertBitwiseEqual(
          run(wasmKernels.Transpose, [x], { perm }, out, dtype),
          run(jsKernels.Transpose, [x], { perm }, out, dtype),
          `${dtype} [${shape}] perm [${perm}]`,
        );
      }
    }
  });

  it('BroadcastTo', () => {
    const cases: [number[], number[]][] = [
      [
        [32, 1, 32],
        [32, 64, 32],
      ],
      [[1], [100]],
      [
        [3, 1],
        [3, 40],
      ],
      [
        [1, 5],
        [6, 5],
      ],
      [
        [7, 1, 5],
        [2, 7, 6, 5],
      ],
      [[], [4, 3]],
      [
        [2, 1, 3, 1],
        [2, 4, 3, 9],
      ],
      [[4], [4]],
      [
        [1, 3],
        [0, 3],
      ],
    ];
    let seed = 100;
    for (const dtype of DTYPES) {
      for (const [from, to] of cases) {
        const x = typed(from, dtype, seed++);
        assertBitwiseEqual(
          run(wasmKernels.BroadcastTo, [x], { shape: to }, to, dtype),
          run(jsKernels.BroadcastTo, [x], { shape: to }, to, dtype),
          `${dtype} [${from}] to [${to}]`,
        );
      }
    }
  });

  it('Slice', () => {
    const cases: [number[], number[], number[]][] = [
      [
        [32, 2048],
        [3, 0],
        [1, 2048],
      ],
      [
        [32, 2048],
        [3, 5],
        [4, 100],
      ],
      [
        [10, 11, 12],
        [1, 2, 3],
        [8, 7, 6],
      ],
      [
        [10, 11, 12],
        [0, 0, 0],
        [10, 11, 12],
      ],
      [
        [10, 11, 12],
        [9, 10, 11],
        [1, 1, 1],
      ],
      [
        [10, 11, 12],
        [2, 0, 0],
        [3, 11, 12],
      ],
      [
        [10, 11, 12],
        [0, 4, 0],
        [10, 1, 12],
      ],
      [
        [5, 6],
        [1, 2],
        [0, 3],
      ],
      [[100], [17], [50]],
    ];
    let seed = 200;
    for (const dtype of DTYPES) {
      for (const [shape, begin, size] of cases) {
        const x = typed(shape, dtype, seed++);
        const attrs = { begin, size };
        assertBitwiseEqual(
          run(wasmKernels.Slice, [x], attrs, size, dtype),
          run(jsKernels.Slice, [x], attrs, size, dtype),
          `${dtype} [${shape}] from [${begin}] size [${size}]`,
        );
      }
    }
  });

  it('ConcatV2', () => {
    const cases: [number[][], number][] = [
      [
        [
          [64, 32],
          [64, 32],
          [64, 32],
        ],
        0,
      ],
      [
        [
          [3, 100],
          [3, 70],
        ],
        1,
      ],
      [
        [
          [3, 4, 5],
          [3, 2, 5],
          [3, 0, 5],
          [3, 7, 5],
        ],
        1,
      ],
      [
        [
          [2, 3],
          [2, 1],
        ],
        1,
      ],
      [[[4], [0], [5]], 0],
      [[[2, 2, 2]], 2],
    ];
    let seed = 300;
    for (const dtype of DTYPES) {
      for (const [shapes, axis] of cases) {
        const xs = shapes.map((s) => typed(s, dtype, seed++));
        const out = shapes[0].slice();
        out[axis] = shapes.reduce((n, s) => n + s[axis], 0);
        const got = run(wasmKernels.ConcatV2, xs, { axis }, out, dtype);
        assert.equal(
          got.constructor,
          run(jsKernels.ConcatV2, xs, { axis }, out, dtype).constructor,
        );
        assertBitwiseEqual(
          got,
          run(jsKernels.ConcatV2, xs, { axis }, out, dtype),
          `${dtype} ${shapes.map((s) => `[${s}]`).join(' ')} axis ${axis}`,
        );
      }
    }
  });
});
