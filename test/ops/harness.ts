// The sample machinery shared by the op-catalogue tests and the fixture exporter: argument specs,
// deterministic input values, and the conversion of a sample into tensors of a chosen float dtype.

import * as tt from '../../src/index.js';

/** What kind of value an argument holds; 'float' becomes float64 or float32 as a check needs. */
export type ArgKind = 'float' | 'int32' | 'bool';

export interface ArgSpec {
  readonly kind: ArgKind;
  readonly shape: readonly number[];
  /** Explicit values (row-major); otherwise uniform in `range` (floats) or integers in it. */
  readonly values?: readonly number[];
  readonly range?: readonly [number, number];
}

/** One application of an op to sample inputs, with its TensorFlow counterpart. */
export interface Sample {
  /** Shown in test names: what the sample exercises. */
  readonly label: string;
  readonly args: readonly ArgSpec[];
  /** The op under test, through the public API. */
  readonly f: (...xs: tt.Tensor[]) => tt.Tensor | tt.Tensor[];
  /** The same computation in TensorFlow (Python; arguments x0, x1, ...; `tf` and `np` in scope). */
  readonly tf: string;
  /**
   * Highest order checkGrads runs (default 3). 0 skips finite differences: the sample sits on a
   * kink, tie or singularity, where TF's convention (checked against TF's gradient) is the answer.
   */
  readonly order?: number;
  /** Finite-difference step (default checkGrads's); only for ops linear in their inputs. */
  readonly eps?: number;
  /**
   * float32 forward tolerance in float32 ulps of the largest output (normwise). Absent: every
   * float32 element must be the float64 result rounded to float32 (the op rounds once).
   */
  readonly ulps32?: number;
  /** float32 gradient tolerance in float32 ulps of the largest gradient element (default 8). */
  readonly gradUlps32?: number;
  /**
   * Relative precision of <jvp(t), c> = <t, vjp(c)> (default 1e-12); only ops that round to
   * float32 on the way (a cast) state a coarser one.
   */
  readonly transposeRtol?: number;
}

/** Everything about one op in the table. */
export interface Entry {
  /** The public op name its errors start with. */
  readonly op: string;
  /** Dtypes accepted by its float arguments; int32/bool ones need a sample of that dtype. */
  readonly dtypes: readonly tt.DType[];
  readonly samples: readonly Sample[];
  /** Why the op has no sample of a rank-6, size-0 or scalar input (when it cannot). */
  readonly exempt?: { readonly rank6?: string; readonly empty?: string; readonly scalar?: string };
  /** Why the op has no samples at all and which test covers it instead. */
  readonly special?: string;
}

// ---- argument constructors ----------------------------------------------------------------------

/** Uniform floats in [lo, hi). */
export const F = (shape: readonly number[], lo = -2, hi = 2): ArgSpec => ({
  kind: 'float',
  shape,
  range: [lo, hi],
});
/** Explicit floats. */
export const V = (shape: readonly number[], values: readonly number[]): ArgSpec => ({
  kind: 'float',
  shape,
  values,
});
/** Explicit int32 values. */
export const I = (shape: readonly number[], values: readonly number[]): ArgSpec => ({
  kind: 'int32',
  shape,
  values,
});
/** Uniform int32 values in [lo, hi). */
export const Ir = (shape: readonly number[], lo: number, hi: number): ArgSpec => ({
  kind: 'int32',
  shape,
  range: [lo, hi],
});
/** Booleans (0/1): explicit, or random. */
export const B = (shape: readonly number[], values?: readonly number[]): ArgSpec => ({
  kind: 'bool',
  shape,
  values,
});

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

// ---- deterministic values -----------------------------------------------------------------------

/** A 32-bit hash of a string (FNV-1a). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small PRNG whose stream depends only on the seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The values of argument `spec` of the sample keyed `key` (same on every run and platform). */
export function argValues(spec: ArgSpec, key: string): number[] {
  const n = sizeOf(spec.shape);
  if (spec.values !== undefined) {
    if (spec.values.length !== n) {
      throw new Error(`${key}: ${spec.values.length} values for shape [${spec.shape.join(', ')}]`);
    }
    return spec.values.slice();
  }
  const next = rng(hash(key));
  const [lo, hi] = spec.range ?? (spec.kind === 'bool' ? [0, 2] : [-2, 2]);
  return Array.from({ length: n }, () => {
    const u = next();
    return spec.kind === 'float' ? lo + (hi - lo) * u : Math.floor(lo + (hi - lo) * u);
  });
}

/** The key of argument `i` of sample `n` of `name`, which seeds its values. */
export const argKey = (name: string, n: number, i: number) => `${name}#${n}:${i}`;

/** A sample's inputs as tensors, floats in `floatDtype` (float32 values rounded once). */
export function makeArgs(
  name: string,
  n: number,
  sample: Sample,
  floatDtype: 'float32' | 'float64',
): tt.Tensor[] {
  return sample.args.map((spec, i) => {
    const v = argValues(spec, argKey(name, n, i));
    const dtype = spec.kind === 'float' ? floatDtype : spec.kind;
    return tt.tensor(v, spec.shape.slice(), dtype);
  });
}

/** Outputs of a sample's function as an array. */
export function outputsOf(r: tt.Tensor | tt.Tensor[]): tt.Tensor[] {
  return r instanceof tt.Tensor ? [r] : r;
}

/** Cotangent values for an output of `shape` (keyed like arguments). */
export function cotangentValues(name: string, n: number, j: number, shape: readonly number[]) {
  return argValues({ kind: 'float', shape, range: [-1, 1] }, `${name}#${n}:out${j}`);
}

/** Numbers to JSON (NaN, infinities and -0 as strings) and back. */
export function encode(v: number): number | string {
  return Number.isFinite(v) && !Object.is(v, -0) ? v : Object.is(v, -0) ? '-0' : String(v);
}
export function decode(v: number | string): number {
  return typeof v === 'number' ? v : Number(v);
}
