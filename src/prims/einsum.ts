// einsum as a composition of primitives (diagonals by masking, sums, transposes, reshapes and
// batched matrix products), so its reverse, forward and batching rules are those of its parts.
// Supports any number of operands, implicit and explicit (`->`) outputs, repeated labels and `...`.

import { convert, tensor, type TensorLike } from '../convert.js';
import { allocate, type DType } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { mul } from './elementwise.js';
import { matMul } from './linalg.js';
import { sum } from './reduce.js';
import { broadcastTo, reshape, transpose } from './shape.js';

const WHERE = 'einsum';

/** A tensor whose axes carry labels (letters, or `.k` for the k-th broadcast `...` axis). */
interface Labelled {
  x: Tensor;
  labels: string[];
}

function parseTerm(term: string, what: string): { letters: string[]; ellipsis: number } {
  const i = term.indexOf('...');
  if (i >= 0 && term.indexOf('...', i + 1) >= 0)
    throw new SyntaxError(`${WHERE}: '...' appears twice in ${what} '${term}'`);
  const body = term.replace('...', '.');
  const letters: string[] = [];
  let ellipsis = -1;
  for (const c of body) {
    if (c === '.') ellipsis = letters.length;
    else if (/^[a-zA-Z]$/.test(c)) letters.push(c);
    else throw new SyntaxError(`${WHERE}: invalid character '${c}' in ${what} '${term}'`);
  }
  return { letters, ellipsis };
}

/** The labels of an operand's axes, with its `...` axes named after the broadcast axes they fill. */
function expand(
  p: { letters: string[]; ellipsis: number },
  count: number,
  total: number,
): string[] {
  if (p.ellipsis < 0) return p.letters;
  const dots = Array.from({ length: count }, (_, k) => `.${total - count + k}`);
  return [...p.letters.slice(0, p.ellipsis), ...dots, ...p.letters.slice(p.ellipsis)];
}

/** Takes the diagonal over every label repeated within one operand (mask, then sum). */
function diagonals(t: Labelled): Labelled {
  let { x, labels } = t;
  for (;;) {
    const q = labels.findIndex((l, i) => labels.indexOf(l) !== i);
    if (q < 0) return { x, labels };
    const p = labels.indexOf(labels[q]);
    const n = x.shape[p];
    if (x.shape[q] !== n) {
      throw new RangeError(
        `${WHERE}: label '${labels[p]}' repeats in one operand with sizes ${n} and ${x.shape[q]}`,
      );
    }
    const eye = allocate(x.dtype, n * n);
    for (let i = 0; i < n; i++) eye[i * n + i] = 1;
    const maskShape = x.shape.map((d, i) => (i === p || i === q ? d : 1));
    x = sum(mul(x, reshape(tensor(eye, [n, n], x.dtype), maskShape)), q);
    labels = labels.filter((_, i) => i !== q);
  }
}

/** Sums out the axes whose labels are not in `keep`. */
function sumExcept(t: Labelled, keep: ReadonlySet<string>): Labelled {
  const axes = t.labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return t;
  return { x: sum(t.x, axes), labels: t.labels.filter((l) => keep.has(l)) };
}

function permuteTo(t: Labelled, order: readonly string[]): Tensor {
  return transpose(
    t.x,
    order.map((l) => t.labels.indexOf(l)),
  );
}

/** Broadcasts size-1 axes of `t` to the sizes other operands give their labels. */
function fitSizes(t: Labelled, sizes: ReadonlyMap<string, number>): Labelled {
  const target = t.labels.map((l, i) => (t.x.shape[i] === 1 ? (sizes.get(l) ?? 1) : t.x.shape[i]));
  return target.every((d, i) => d === t.x.shape[i])
    ? t
    : { x: broadcastTo(t.x, target), labels: t.labels };
}

const prod = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/** Contracts two labelled operands, keeping the labels in `keep`, with one batched matrix product. */
function contract(a: Labelled, b: Labelled, keep: ReadonlySet<string>): Labelled {
  const inB = new Set(b.labels);
  const inA = new Set(a.labels);
  a = sumExcept(a, new Set([...keep, ...inB]));
  b = sumExcept(b, new Set([...keep, ...inA]));
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const shared = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const freeA = a.labels.filter((l) => !inB.has(l));
  const freeB = b.labels.filter((l) => !inA.has(l));
  const size = (t: Labelled, l: string): number => t.x.shape[t.labels.indexOf(l)];
  const sizeOf = (l: string): number =>
    Math.max(a.labels.includes(l) ? size(a, l) : 1, b.labels.includes(l) ? size(b, l) : 1);
  const dimsOf = (ls: readonly string[], t: Labelled): number[] => ls.map((l) => size(t, l));
  const ax = permuteTo(a, [...batch, ...freeA, ...shared]);
  const bx = permuteTo(b, [...batch, ...shared, ...freeB]);
  const full = new Map([...batch, ...shared].map((l) => [l, sizeOf(l)] as const));
  const A = fitSizes({ x: ax, labels: [...batch, ...freeA, ...shared] }, full);
  const B = fitSizes({ x: bx, labels: [...batch, ...shared, ...freeB] }, full);
  const nb = prod(batch.map((l) => full.get(l)!));
  const nc = prod(shared.map((l) => full.get(l)!));
  const fa = dimsOf(freeA, a);
  const fb = dimsOf(freeB, b);
  const y = matMul(reshape(A.x, [nb, prod(fa), nc]), reshape(B.x, [nb, nc, prod(fb)]));
  return {
    x: reshape(y, [...batch.map((l) => full.get(l)!), ...fa, ...fb]),
    labels: [...batch, ...freeA, ...freeB],
  };
}

/**
 * Einstein summation over any number of operands: `'ij,jk->ik'` (explicit output), `'ij,jk'`
 * (implicit: labels seen once, in alphabetical order), repeated labels (`'ii->i'` is the diagonal,
 * `'ii'` the trace) and `...` for broadcast dimensions. A composition of primitives (transposes,
 * reshapes, sums and batched matrix products), so it differentiates to any order and batches.
 *
 * @example
 * tt.einsum('ij,jk->ik', [[1, 2]], [[3], [4]]).array(); // [[11]]
 * tt.einsum('bxby->bxy', tt.ones([2, 3, 2, 4])).shape; // [2, 3, 4]
 */
export function einsum(equation: string, ...operands: TensorLike[]): Tensor {
  if (typeof equation !== 'string') throw new TypeError(`${WHERE}: equation must be a string`);
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const rhs = arrow >= 0 ? eq.slice(arrow + 2) : null;
  const terms = lhs.split(',');
  if (terms.length !== operands.length) {
    throw new RangeError(
      `${WHERE}: equation '${equation}' has ${terms.length} operand terms but ${operands.length} operands were given`,
    );
  }
  let dtype: DType | undefined;
  const xs = operands.map((o, i) => {
    const t = convert(o, dtype, `${WHERE} (operand ${i})`);
    if (dtype !== undefined && t.dtype !== dtype)
      throw new TypeError(`${WHERE}: operands have different dtypes ${dtype} and ${t.dtype}`);
    dtype = t.dtype;
    return t;
  });
  const parsed = terms.map((t, i) => parseTerm(t, `operand term ${i}`));
  const counts = parsed.map((p, i) => {
    const c = xs[i].rank - p.letters.length;
    if (c < 0 || (p.ellipsis < 0 && c !== 0)) {
      throw new RangeError(
        `${WHERE}: term '${terms[i]}' names ${p.letters.length} axes but operand ${i} has shape [${xs[i].shape.join(', ')}]`,
      );
    }
    return c;
  });
  const nDots = Math.max(0, ...counts);
  const ops: Labelled[] = xs.map((x, i) => ({
    x,
    labels: expand(parsed[i], counts[i], nDots),
  }));
  // Label sizes must agree (size 1 broadcasts only along `...` axes).
  const sizes = new Map<string, number>();
  ops.forEach((o, i) =>
    o.labels.forEach((l, k) => {
      const d = o.x.shape[k];
      const prev = sizes.get(l);
      if (prev === undefined || prev === 1) sizes.set(l, d);
      else if (d !== prev && !(d === 1 && l.startsWith('.'))) {
        throw new RangeError(
          `${WHERE}: label '${l.startsWith('.') ? '...' : l}' has size ${prev} in one operand and ${d} in operand ${i}`,
        );
      }
    }),
  );
  const dots = Array.from({ length: nDots }, (_, k) => `.${k}`);
  let out: string[];
  if (rhs === null) {
    const seen = new Map<string, number>();
    for (const p of parsed) for (const l of p.letters) seen.set(l, (seen.get(l) ?? 0) + 1);
    out = [...dots, ...[...seen.keys()].filter((l) => seen.get(l) === 1).sort()];
  } else {
    const p = parseTerm(rhs, 'output term');
    out = expand(p, p.ellipsis >= 0 ? nDots : 0, nDots);
    for (const l of out) {
      if (!sizes.has(l))
        throw new RangeError(`${WHERE}: output label '${l}' does not appear in any operand`);
    }
    if (new Set(out).size !== out.length)
      throw new RangeError(`${WHERE}: output term '${rhs}' repeats a label`);
  }
  const outSet = new Set(out);
  let acc: Labelled | null = null;
  ops.forEach((o, i) => {
    const later = new Set(ops.slice(i + 1).flatMap((r) => r.labels));
    const keep = new Set([...outSet, ...later]);
    const d = diagonals(o);
    acc = acc === null ? sumExcept(d, keep) : contract(acc, d, keep);
  });
  const result = fitSizes(sumExcept(acc!, outSet), sizes);
  return permuteTo(result, out);
}
