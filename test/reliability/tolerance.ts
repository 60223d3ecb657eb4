// The tolerance within which every backend must agree with the pure-TypeScript one ('js'), shared
// by the determinism and conformance suites.
import type * as tt from '../../src/index.js';

/**
 * Per element: |x - ref| <= rtol·|ref| + atol·scale, where scale is the largest finite |ref| of
 * that output (a faster backend may sum in another order, so an element that cancels to near
 * zero is judged against the magnitude of its output). float32: rtol 1e-4, atol 1e-5; float64:
 * rtol 1e-10, atol 1e-12. int32 and bool must match exactly; NaN matches NaN and infinities
 * match exactly.
 */
export const TOLERANCE = {
  float32: { rtol: 1e-4, atol: 1e-5 },
  float64: { rtol: 1e-10, atol: 1e-12 },
} as const;

/** The first element of `got` outside the tolerance of `ref`, described; null if none. */
export function disagreement(got: tt.Tensor, ref: tt.Tensor): string | null {
  if (got.dtype !== ref.dtype || got.shape.join() !== ref.shape.join())
    return `${got.dtype}[${got.shape}] vs ${ref.dtype}[${ref.shape}]`;
  const x = got.dataSync();
  const y = ref.dataSync();
  const tol = TOLERANCE[ref.dtype as 'float32' | 'float64'] as
    { rtol: number; atol: number } | undefined;
  let scale = 0;
  for (let i = 0; i < y.length; i++)
    if (Number.isFinite(y[i])) scale = Math.max(scale, Math.abs(y[i]));
  for (let i = 0; i < y.length; i++) {
    if (Object.is(x[i], y[i]) || x[i] === y[i] || (Number.isNaN(x[i]) && Number.isNaN(y[i])))
      continue;
    const ok =
      tol !== undefined &&
      Number.isFinite(y[i]) &&
      Math.abs(x[i] - y[i]) <= tol.rtol * Math.abs(y[i]) + tol.atol * scale;
    if (!ok) return `element ${i} is ${x[i]}, js gives ${y[i]}`;
  }
  return null;
}
