// Small helpers shared by the tests.
import type * as tt from '../../src/index.js';
import type { Primitive } from '../../src/core/primitive.js';
import {
  bindBelow,
  popFrame,
  pushFrame,
  type Frame,
  type Interpreter,
} from '../../src/core/stack.js';

export function item(t: tt.Tensor | null): number {
  if (t === null) throw new Error('expected a tensor, got null');
  return t.item();
}

export function values(t: tt.Tensor | null): number[] {
  if (t === null) throw new Error('expected a tensor, got null');
  return Array.from(t.dataSync());
}

/** Runs fn with console.warn captured; returns the warnings. */
export function captureWarnings(fn: () => void): string[] {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => void seen.push(args.map(String).join(' '));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return seen;
}

export function close(a: number, b: number, tol = 1e-6): boolean {
  return Math.abs(a - b) <= tol * (1 + Math.abs(b));
}

/**
 * The names of the primitives `fn` applies, in order: a frame under every one `fn` pushes (tapes,
 * vmap) sees each primitive as it finally runs.
 */
export function primitivesApplied(fn: () => unknown): string[] {
  const names: string[] = [];
  const spy: Interpreter = {
    interested: () => true,
    process(prim: Primitive, inputs: tt.Tensor[], attrs: unknown, frame: Frame): tt.Tensor[] {
      names.push(prim.name);
      return bindBelow(frame, prim, inputs, attrs);
    },
    variableRead() {},
  };
  const frame = pushFrame(spy);
  try {
    fn();
  } finally {
    popFrame(frame, 'spy');
  }
  return names;
}
