// Forward rules of recorded ops: the primitive's own, or, where an op has only a reverse rule
// (custom gradients, registered gradients, user ops), one derived from it by the double-VJP trick:
// the VJP is linear in its cotangent u, so J·t = d/du <VJP(u), t>.

import { isFloat } from '../dtype.js';
import { add, mul, zerosLike } from '../prims/elementwise.js';
import { sum, sumToShape } from '../prims/reduce.js';
import type { Tensor } from '../tensor.js';
import type { OpRecord, Primitive } from './primitive.js';
import { resolveVjp } from './registry.js';
import { GradientTape } from './tape.js';

type Vjp = (
  op: OpRecord,
  yBars: readonly (Tensor | null)[],
  needs: readonly boolean[],
) => (Tensor | null)[];

/** Tangents of an op's outputs (null = zero) from its inputs' tangents. */
export function jvpOf(
  prim: Primitive,
  op: OpRecord,
  xDots: readonly (Tensor | null)[],
): (Tensor | null)[] {
  if (prim.jvp !== null) return prim.jvp(op, xDots);
  const rule = resolveVjp(prim, prim.name);
  if (rule === 'none') return op.outputs.map(() => null);
  return jvpFromVjp(rule, op, xDots);
}

/** J·t from a reverse rule: differentiate <VJP(u), t> with respect to u (taken at zero). */
export function jvpFromVjp(
  vjp: Vjp,
  op: OpRecord,
  xDots: readonly (Tensor | null)[],
): (Tensor | null)[] {
  const tape = new GradientTape();
  let us: (Tensor | null)[] = [];
  let total: Tensor | null = null;
  tape.record(() => {
    us = op.outputs.map((o) => (isFloat(o.dtype) ? zerosLike(o) : null));
    tape.watch(us.filter((u): u is Tensor => u !== null));
    const needs = op.inputs.map((_, i) => xDots[i] !== null);
    const grads = vjp(op, us, needs);
    op.inputs.forEach((x, i) => {
      const g = grads[i];
      const t = xDots[i];
      if (g === null || g === undefined || t === null) return;
      const term = sum(mul(sumToShape(g, x.shape), t));
      total = total === null ? term : add(total, term);
    });
  });
  if (total === null) return op.outputs.map(() => null);
  const present = us.filter((u): u is Tensor => u !== null);
  const grads: (Tensor | null)[] = tape.gradient(total, present);
  let k = 0;
  return us.map((u) => (u === null ? null : grads[k++]));
}
