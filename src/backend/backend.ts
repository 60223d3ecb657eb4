// The backend interface: kernels keyed by primitive name, the registry of backends, and the choice
// of the current one. A faster backend may fill only some kernels; the rest fall back to the
// pure-TypeScript backend, which must fill all of them (a missing kernel is a compile error there).

import type { TypedArray } from '../dtype.js';
import type { Aval } from '../core/primitive.js';
import type { Tensor } from '../tensor.js';

/**
 * A kernel computes the storage of a primitive's outputs from concrete inputs. `out` holds the
 * output shapes and dtypes the shape rule computed; inputs are never mutated.
 */
export type Kernel<A = any> = (
  inputs: readonly Tensor[],
  attrs: A,
  out: readonly Aval[],
) => TypedArray;

/**
 * Every kernel, by primitive name (TF's op type). Modules that declare primitives add their
 * kernels here by interface merging (`declare module '.../backend.js' { interface KernelRegistry
 * { Gather: Kernel<GatherAttrs> } }`); the pure-TypeScript backend must then provide them.
 */
export interface KernelRegistry {
  Neg: Kernel;
  Abs: Kernel;
  Sign: Kernel;
  Square: Kernel;
  Sqrt: Kernel;
  Rsqrt: Kernel;
  Reciprocal: Kernel;
  Exp: Kernel;
  Expm1: Kernel;
  Log: Kernel;
  Log1p: Kernel;
  Sin: Kernel;
  Cos: Kernel;
  Tan: Kernel;
  Sigmoid: Kernel;
  Tanh: Kernel;
  Softplus: Kernel;
  Relu: Kernel;
  TanhGrad: Kernel;
  SigmoidGrad: Kernel;
  ReluGrad: Kernel;
  Floor: Kernel;
  Ceil: Kernel;
  Round: Kernel;
  LogicalNot: Kernel;
  AddV2: Kernel;
  Sub: Kernel;
  Mul: Kernel;
  RealDiv: Kernel;
  Pow: Kernel;
  Maximum: Kernel;
  Minimum: Kernel;
  Greater: Kernel;
  GreaterEqual: Kernel;
  Less: Kernel;
  LessEqual: Kernel;
  Equal: Kernel;
  NotEqual: Kernel;
  LogicalAnd: Kernel;
  LogicalOr: Kernel;
  SelectV2: Kernel;
  Sum: Kernel;
  Max: Kernel;
  Min: Kernel;
  Prod: Kernel;
  Cast: Kernel;
  Reshape: Kernel;
  Transpose: Kernel;
  BroadcastTo: Kernel;
  Identity: Kernel;
  Fill: Kernel;
  Slice: Kernel;
  PadV2: Kernel;
  ConcatV2: Kernel;
  BatchMatMulV2: Kernel;
}

export type KernelName = keyof KernelRegistry;

export type Kernels = { readonly [K in KernelName]: KernelRegistry[K] };

export interface Backend {
  readonly name: string;
  /** The kernels this backend implements; others fall back to the pure-TypeScript backend. */
  readonly kernels: Partial<Kernels>;
}

const registry = new Map<string, Backend>();
let reference: Backend & { kernels: Kernels };
let current: Backend;

/**
 * One slot per kernel name holding the current backend's kernel (or the reference one): callers
 * keep the slot and read `slot.run`, a monomorphic property load on the hot path; switching backends
 * rewrites the slots.
 */
export interface KernelSlot<K extends KernelName = KernelName> {
  run: Kernels[K];
}
const slots = new Map<KernelName, KernelSlot>();

function refreshSlots(): void {
  for (const [name, slot] of slots)
    slot.run = (current.kernels[name] ?? reference.kernels[name]) as Kernel;
}

/** The slot of a kernel name (created on first use). */
export function kernelSlot<K extends KernelName>(name: K): KernelSlot<K> {
  let slot = slots.get(name);
  if (slot === undefined) {
    slot = { run: (current?.kernels[name] ?? reference?.kernels[name]) as Kernel };
    slots.set(name, slot);
  }
  return slot as KernelSlot<K>;
}

/** @internal Registers the pure-TypeScript backend (every kernel) and makes it current. */
export function registerReferenceBackend(b: Backend & { kernels: Kernels }): void {
  reference = b;
  registry.set(b.name, b);
  current = b;
  refreshSlots();
}

/** Registers a backend under its name (it does not become current). */
export function registerBackend(b: Backend): void {
  if (b === null || typeof b !== 'object' || typeof b.name !== 'string' || b.name === '') {
    const got =
      b === null || typeof b !== 'object'
        ? String(b)
        : `name ${typeof b.name === 'string' ? JSON.stringify(b.name) : String(b.name)}`;
    throw new TypeError(
      `registerBackend: expected a backend {name: string, kernels: {...}} with a non-empty name, got ${got}`,
    );
  }
  if (b.kernels === null || typeof b.kernels !== 'object') {
    throw new TypeError(
      `registerBackend: backend ${JSON.stringify(b.name)} needs a kernels object`,
    );
  }
  registry.set(b.name, b);
}

/** Switches the backend that runs kernels (synchronous). */
export function setBackend(name: string): void {
  const b = registry.get(name);
  if (b === undefined) {
    throw new Error(
      `setBackend: unknown backend ${JSON.stringify(name)}; available: ${[...registry.keys()].join(', ')}`,
    );
  }
  current = b;
  refreshSlots();
}

/** The name of the backend that runs kernels. */
export function getBackend(): string {
  return current.name;
}

/** Names of the registered backends. */
export function backends(): string[] {
  return [...registry.keys()];
}

const pendingLoads: Promise<unknown>[] = [];

/**
 * Registers work a backend must finish before it can take over (an asynchronous WebAssembly
 * compilation): `ready()` waits for it.
 */
export function registerPendingLoad(load: Promise<unknown>): void {
  pendingLoads.push(load.catch(() => undefined));
}

/**
 * Resolves when the fastest backend available is ready: immediately in Node and wherever
 * WebAssembly compiles synchronously; after the asynchronous compilation elsewhere.
 */
export async function ready(): Promise<void> {
  while (pendingLoads.length > 0) await pendingLoads.shift();
}

/** The kernel for a primitive in the current backend. */
export function kernel<K extends KernelName>(name: K): Kernels[K] {
  return kernelSlot(name).run;
}
