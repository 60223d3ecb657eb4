// Nested structures of tensors (arrays and plain objects, any nesting): flatten and rebuild, as
// TF's `nest` does for tape targets, sources and custom-gradient values.

import { Tensor } from './tensor.js';
import { Variable } from './variable.js';

/** A leaf of a structure: a Tensor or a Variable. */
export type Leaf = Tensor | Variable;

export function isLeaf(x: unknown): x is Leaf {
  return x instanceof Tensor || x instanceof Variable;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Flattens a structure into its leaves (arrays in order, object keys in insertion order). Throws,
 * naming `where` and the path, at anything that is not a leaf, array or plain object; `null` leaves
 * are allowed only when `allowNull`.
 */
export function flatten<L = Leaf>(
  x: unknown,
  where: string,
  isLeafFn: (v: unknown) => boolean = isLeaf,
  allowNull = false,
  rootName = 'argument',
): L[] {
  const out: L[] = [];
  const walk = (v: unknown, path: string): void => {
    if (isLeafFn(v) || (allowNull && v === null)) out.push(v as L);
    else if (Array.isArray(v)) v.forEach((e, i) => walk(e, `${path}[${i}]`));
    else if (isPlainObject(v)) for (const k of Object.keys(v)) walk(v[k], `${path}.${k}`);
    else {
      const what =
        v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
      throw new TypeError(
        `${where}: expected a Tensor or Variable (or arrays/plain objects of them) at ${path}, got ${what}`,
      );
    }
  };
  walk(x, rootName);
  return out;
}

/** Rebuilds `structure` with its leaves replaced, in order, by `leaves`. */
export function unflatten<T>(
  structure: unknown,
  leaves: readonly T[],
  isLeafFn: (v: unknown) => boolean = isLeaf,
  allowNull = false,
): any {
  let i = 0;
  const build = (v: unknown): unknown => {
    if (isLeafFn(v) || (allowNull && v === null)) return leaves[i++];
    if (Array.isArray(v)) return v.map(build);
    if (isPlainObject(v)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = build(v[k]);
      return o;
    }
    throw new TypeError('unflatten: unexpected value in structure');
  };
  return build(structure);
}
