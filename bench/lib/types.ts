// The shapes shared by the benchmark's workloads, peers and driver.

import type * as TT from '../../src/node.js';
import type * as TF from '@tensorflow/tfjs-core';
import type * as JAX from '@jax-js/jax';

/** The libraries compared; each runs in its own process, in one or two modes. */
export type Library = 'tensortape' | 'tfjs' | 'jax';

/** What a workload's implementation receives: the loaded library and the mode it runs in. */
export interface Libs {
  readonly tt: typeof TT;
  readonly tf: typeof TF;
  readonly jax: typeof JAX;
  /** 'wasm' | 'js' for tensortape, 'wasm' | 'cpu' for tfjs, 'eager' | 'jit' for jax-js. */
  readonly mode: string;
}

/** The host arrays a step returns (what is checked against the reference). */
export type Outputs = ArrayLike<number>[];

/** One implementation, set up on its inputs: `step` runs the timed computation once. */
export interface Impl {
  step(): Outputs;
  /** Maps a step's outputs to the reference's layout (outside the timed step). */
  toReference?(out: Outputs): Outputs;
}

/** An implementation factory; returns null when the library lacks what the case needs. */
export type ImplFactory<I> = (libs: Libs, inputs: I) => Impl | null;

/** Thrown by a tensortape implementation when an op it needs does not exist yet. */
export class NotAvailable extends Error {}

export type Metric = 'us/op' | 'ms' | 'GFLOP/s';

export interface Case<I = any, R = any> {
  /** Unique, e.g. 'W3 matmul 1024 AᵀB'. */
  readonly id: string;
  /**
   * Cases with the same group (e.g. the three forms of one matmul size) are sampled in turn, round
   * by round, so that a change in the machine's speed falls on each of them alike and their ratios
   * hold. Default: the case alone.
   */
  readonly group?: string;
  readonly metric: Metric;
  /** Ops per step (us/op) or floating-point operations per step (GFLOP/s, and shown next to ms). */
  readonly work?: number;
  /** Deterministic inputs (the same in every process). */
  inputs(): I;
  /** The float64 reference (computed once, by the driver; must be structured-cloneable). */
  reference(inputs: I): R;
  /** null when the outputs match the reference, else what is wrong. */
  check(out: Outputs, ref: R): string | null;
  readonly impl: Partial<Record<Library, ImplFactory<I>>>;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  cases(smoke: boolean): Case[];
}
