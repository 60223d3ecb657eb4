// Seeded random numbers, identical on every platform: a 32-bit generator (xoshiro128**, seeded by
// splitmix32) using only integer operations, normals by Box-Muller in float64.

import { checkDType, type DType } from './dtype.js';
import { checkShape, sizeOf } from './shape.js';
import { tensor } from './convert.js';
import type { Tensor } from './tensor.js';

/** A deterministic stream of 32-bit integers. */
class Generator {
  private s = new Uint32Array(4);

  constructor(seed: number) {
    let x = seed >>> 0;
    let hi = Math.floor(seed / 2 ** 32) >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 over the seed's low and high words
      x = (x + 0x9e3779b9 + hi) >>> 0;
      hi = 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalSeed = 0;
let global = new Generator(globalSeed);

/** Resets the global generator: the same seed gives the same numbers on every platform. */
export function setSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new TypeError(`random.setSeed: seed must be an integer, got ${String(seed)}`);
  globalSeed = seed;
  global = new Generator(seed);
}

/** @internal The global seed (tests check it is untouched by failing calls). */
export function getSeed(): number {
  return globalSeed;
}

function generatorFor(seed: number | undefined, where: string): Generator {
  if (seed === undefined) return global;
  if (typeof seed !== 'number' || !Number.isInteger(seed))
    throw new TypeError(`${where}: seed must be an integer, got ${String(seed)}`);
  return new Generator(seed);
}

function floatDtype(dtype: DType | undefined, where: string): DType {
  const dt = dtype === undefined ? 'float32' : checkDType(dtype, where);
  if (dt !== 'float32' && dt !== 'float64')
    throw new TypeError(`${where}: dtype must be float32 or float64, got ${dt}`);
  return dt;
}

function checkFinite(where: string, values: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(
        `${where}: ${k} must be a finite number, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`,
      );
    }
  }
}

export interface NormalOptions {
  mean?: number;
  stddev?: number;
  seed?: number;
  dtype?: DType;
}

/** Normally distributed values. A `seed` makes the call reproducible on its own. */
export function normal(shape: readonly number[], options: NormalOptions = {}): Tensor {
  const where = 'random.normal';
  const s = checkShape(shape, where);
  const dtype = floatDtype(options.dtype, where);
  const { mean = 0, stddev = 1 } = options;
  checkFinite(where, { mean, stddev });
  const g = generatorFor(options.seed, where);
  const n = sizeOf(s);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u1 = 1 - g.nextDouble();
    const u2 = g.nextDouble();
    const r = Math.sqrt(-2 * Math.log(u1));
    values[i] = mean + stddev * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < n) values[i + 1] = mean + stddev * r * Math.sin(2 * Math.PI * u2);
  }
  return tensor(values, s, dtype);
}

export interface UniformOptions {
  minval?: number;
  maxval?: number;
  seed?: number;
  dtype?: DType;
}

/** Uniform values in [minval, maxval). */
export function uniform(shape: readonly number[], options: UniformOptions = {}): Tensor {
  const where = 'random.uniform';
  const s = checkShape(shape, where);
  const dtype = floatDtype(options.dtype, where);
  const { minval = 0, maxval = 1 } = options;
  checkFinite(where, { minval, maxval });
  if (!(maxval > minval))
    throw new RangeError(`${where}: maxval (${maxval}) must be greater than minval (${minval})`);
  const g = generatorFor(options.seed, where);
  const n = sizeOf(s);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = minval + (maxval - minval) * g.nextDouble();
  return tensor(values, s, dtype);
}
