// Small helpers shared by the core tests.
import type * as tt from '../../src/index.js';

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
