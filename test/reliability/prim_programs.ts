// Random programs composed of primitives on random shapes, for checking derivatives against finite
// differences. A program is a list of steps; each step applies an op to values from a pool (the
// inputs and earlier results) and picks its parameters (axes, permutations, ...) from the shapes,
// so every subsequence of a program is a program and shrinking stays valid. Domains are kept
// smooth by construction (log(1 + x²), a / (1 + b²), ...), and a probe at the base point rejects
// programs that pass within reach of a kink or a tie.
import fc from 'fast-check';
import * as tt from '../../src/index.js';

type T = tt.Tensor;
const ops = tt as unknown as Record<string, any>;

/** One step: an op name, two pool positions (counted from the newest) and a parameter. */
export interface Step {
  readonly op: string;
  readonly a: number;
  readonly b: number;
  readonly p: number;
}
export interface PrimProgram {
  readonly shapes: readonly (readonly number[])[];
  readonly seed: number;
  readonly steps: readonly Step[];
}

/** Runs one step; `guard(x)` asks that x stays away from a kink (|x| >= margin at the base point). */
interface Ctx {
  guard(x: T, what: string): void;
  /** Values reduced by max/min must not tie (within a margin) at the base point. */
  noTies(x: T, axis: number[] | undefined, what: string): void;
}
interface OpSpec {
  /** The public functions it needs (skipped while the op catalogue lacks them). */
  readonly needs: readonly string[];
  /** Applies the op; returns the result and its text, or null when the shapes do not fit. */
  apply(a: T, b: T, p: number, ctx: Ctx): { y: T; text: string } | null;
}

const sh = (x: T): string => `[${x.shape.join(',')}]`;
const one = (x: T): T => tt.add(tt.square(x), 1); // 1 + x², positive and smooth
const squash = (x: T, s = 0.9): T => tt.mul(tt.tanh(x), s); // into (-s, s)
const broadcastable = (a: T, b: T): boolean => {
  const n = Math.max(a.rank, b.rank);
  for (let i = 1; i <= n; i++) {
    const x = a.shape[a.rank - i] ?? 1;
    const y = b.shape[b.rank - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
};
/** A subset of axes (or all) from a parameter. */
const axesFrom = (x: T, p: number): number[] | undefined => {
  if (x.rank === 0 || p % 4 === 0) return undefined;
  const axes = [];
  for (let i = 0; i < x.rank; i++) if (((p >> 2) >> i) & 1) axes.push(i);
  if (axes.length === 0) axes.push(p % x.rank);
  return axes;
};
const permFrom = (rank: number, p: number): number[] => {
  const rest = Array.from({ length: rank }, (_, i) => i);
  const perm: number[] = [];
  let q = p;
  while (rest.length > 0) {
    perm.push(rest.splice(q % rest.length, 1)[0]);
    q = Math.floor(q / 3) + 1;
  }
  return perm;
};

const unary = (name: string, f: (x: T) => T, text = `${name}(%)`, needs = [name]): OpSpec => ({
  needs,
  apply: (a) => ({ y: f(a), text: text.replace('%', 'a') }),
});
const kinked = (name: string, f: (x: T) => T, at = 0, needs = [name]): OpSpec => ({
  needs,
  apply: (a, _b, _p, ctx) => {
    ctx.guard(at === 0 ? a : tt.sub(a, at), `${name}(a)`);
    return { y: f(a), text: `${name}(a)` };
  },
});
const binaryOp = (
  name: string,
  f: (x: T, y: T) => T,
  text = `${name}(a, b)`,
  needs = [name],
): OpSpec => ({
  needs,
  apply: (a, b) => (broadcastable(a, b) ? { y: f(a, b), text } : null),
});

/** The ops programs are made of (smooth on their domains, or guarded). */
export const OPS: Record<string, OpSpec> = {
  neg: unary('neg', tt.neg),
  square: unary('square', tt.square),
  sin: unary('sin', tt.sin),
  cos: unary('cos', tt.cos),
  tanh: unary('tanh', tt.tanh),
  sigmoid: unary('sigmoid', tt.sigmoid),
  exp: unary('exp', (x) => tt.exp(squash(x, 2)), 'exp(2·tanh(%))'),
  expm1: unary('expm1', (x) => ops.expm1(squash(x, 2)), 'expm1(2·tanh(%))'),
  log: unary('log', (x) => tt.log(one(x)), 'log(1 + %²)'),
  log1p: unary('log1p', (x) => ops.log1p(tt.square(x)), 'log1p(%²)'),
  sqrt: unary('sqrt', (x) => tt.sqrt(one(x)), 'sqrt(1 + %²)'),
  rsqrt: unary('rsqrt', (x) => ops.rsqrt(one(x)), 'rsqrt(1 + %²)'),
  reciprocal: unary('reciprocal', (x) => ops.reciprocal(one(x)), 'reciprocal(1 + %²)'),
  tan: unary('tan', (x) => ops.tan(tt.tanh(x)), 'tan(tanh(%))'),
  asin: unary('asin', (x) => ops.asin(squash(x)), 'asin(0.9·tanh(%))'),
  acos: unary('acos', (x) => ops.acos(squash(x)), 'acos(0.9·tanh(%))'),
  atan: unary('atan', (x) => ops.atan(x)),
  sinh: unary('sinh', (x) => ops.sinh(x)),
  cosh: unary('cosh', (x) => ops.cosh(x)),
  asinh: unary('asinh', (x) => ops.asinh(x)),
  acosh: unary('acosh', (x) => ops.acosh(tt.add(one(x), 0.5)), 'acosh(1.5 + %²)'),
  atanh: unary('atanh', (x) => ops.atanh(squash(x)), 'atanh(0.9·tanh(%))'),
  erf: unary('erf', (x) => ops.erf(x)),
  erfc: unary('erfc', (x) => ops.erfc(x)),
  softplus: unary('softplus', (x) => ops.softplus(x)),
  elu: kinked('elu', (x) => ops.elu(x)),
  selu: kinked('selu', (x) => ops.selu(x)),
  gelu: unary('gelu', (x) => ops.gelu(x)),
  relu: kinked('relu', tt.relu),
  relu6: {
    needs: ['relu6'],
    apply: (a, _b, _p, ctx) => {
      const x = tt.mul(a, 8);
      ctx.guard(x, 'relu6(8a)');
      ctx.guard(tt.sub(x, 6), 'relu6(8a)');
      return { y: ops.relu6(x), text: 'relu6(8·a)' };
    },
  },
  leakyRelu: kinked('leakyRelu', (x) => ops.leakyRelu(x, 0.3)),
  abs: kinked('abs', (x) => ops.abs(x)),
  add: binaryOp('add', tt.add),
  sub: binaryOp('sub', tt.sub),
  mul: binaryOp('mul', tt.mul),
  div: binaryOp('div', (a, b) => tt.div(a, one(b)), 'div(a, 1 + b²)'),
  pow: binaryOp('pow', (a, b) => tt.pow(one(a), b), 'pow(1 + a², b)'),
  squaredDifference: binaryOp('squaredDifference', (a, b) => ops.squaredDifference(a, b)),
  atan2: binaryOp('atan2', (a, b) => ops.atan2(a, one(b)), 'atan2(a, 1 + b²)'),
  maximum: {
    needs: ['maximum'],
    apply: (a, b, _p, ctx) => {
      if (!broadcastable(a, b)) return null;
      ctx.guard(tt.sub(a, b), 'maximum(a, b)');
      return { y: ops.maximum(a, b), text: 'maximum(a, b)' };
    },
  },
  minimum: {
    needs: ['minimum'],
    apply: (a, b, _p, ctx) => {
      if (!broadcastable(a, b)) return null;
      ctx.guard(tt.sub(a, b), 'minimum(a, b)');
      return { y: ops.minimum(a, b), text: 'minimum(a, b)' };
    },
  },
  where: {
    needs: ['where', 'greater'],
    apply: (a, b, _p, ctx) => {
      if (!broadcastable(a, b)) return null;
      ctx.guard(a, 'where(a > 0, ...)');
      return { y: tt.where(tt.greater(a, 0), a, tt.mul(b, 2)), text: 'where(a > 0, a, 2b)' };
    },
  },
  clipByValue: {
    needs: ['clipByValue'],
    apply: (a, _b, _p, ctx) => {
      ctx.guard(tt.sub(a, 0.3), 'clipByValue');
      ctx.guard(tt.add(a, 0.2), 'clipByValue');
      return { y: ops.clipByValue(a, -0.2, 0.3), text: 'clipByValue(a, -0.2, 0.3)' };
    },
  },
  sum: reduce('sum'),
  mean: reduce('mean'),
  prod: reduce('prod'),
  max: reduce('max', true),
  min: reduce('min', true),
  logSumExp: reduce('logSumExp'),
  norm: {
    needs: ['norm'],
    apply: (a, _b, p, ctx) => {
      const axis = a.rank === 0 ? undefined : p % 2 === 0 ? undefined : p % a.rank;
      ctx.guard(ops.norm(a, 'euclidean', axis), 'norm(a) (not differentiable at 0)');
      return { y: ops.norm(a, 'euclidean', axis), text: `norm(a, 'euclidean', ${axis})` };
    },
  },
  softmax: softmaxLike('softmax'),
  logSoftmax: softmaxLike('logSoftmax'),
  reshape: {
    needs: ['reshape'],
    apply: (a, _b, p) => {
      const choices = [[a.size], [...a.shape].reverse(), [1, ...a.shape], [-1, 1]];
      const s = choices[p % choices.length];
      return { y: tt.reshape(a, s), text: `reshape(a, [${s}])` };
    },
  },
  transpose: {
    needs: ['transpose'],
    apply: (a, _b, p) => {
      const perm = permFrom(a.rank, p);
      return { y: tt.transpose(a, perm), text: `transpose(a, [${perm}])` };
    },
  },
  expandDims: {
    needs: ['expandDims'],
    apply: (a, _b, p) => {
      const axis = (p % (a.rank + 1)) - (p % 2 === 0 ? 0 : a.rank + 1);
      return { y: tt.expandDims(a, axis), text: `expandDims(a, ${axis})` };
    },
  },
  squeeze: {
    needs: ['squeeze'],
    apply: (a) => (a.shape.includes(1) ? { y: tt.squeeze(a), text: 'squeeze(a)' } : null),
  },
  broadcastTo: {
    needs: ['broadcastTo'],
    apply: (a) =>
      a.size > 32
        ? null
        : { y: tt.broadcastTo(a, [2, ...a.shape]), text: 'broadcastTo(a, [2, ...])' },
  },
  tile: {
    needs: ['tile'],
    apply: (a, _b, p) => {
      if (a.rank === 0 || a.size > 32) return null;
      const m = a.shape.map((_, i) => 1 + ((p >> i) & 1));
      return { y: ops.tile(a, m), text: `tile(a, [${m}])` };
    },
  },
  reverse: {
    needs: ['reverse'],
    apply: (a, _b, p) =>
      a.rank === 0 ? null : { y: ops.reverse(a, p % a.rank), text: `reverse(a, ${p % a.rank})` },
  },
  slice: {
    needs: ['slice'],
    apply: (a, _b, p) => {
      if (a.rank === 0) return null;
      const begin = a.shape.map((d, i) => (d > 1 && (p >> i) & 1 ? 1 : 0));
      const size = a.shape.map((d, i) => (i === p % a.rank ? -1 : d - begin[i]));
      return { y: tt.slice(a, begin, size), text: `slice(a, [${begin}], [${size}])` };
    },
  },
  pad: {
    needs: ['pad'],
    apply: (a, _b, p) => {
      if (a.rank === 0 || a.size > 32) return null;
      const pads = a.shape.map((_, i): [number, number] => [(p >> i) & 1, (p >> (i + 1)) & 1]);
      return { y: tt.pad(a, pads, 0.5), text: `pad(a, ${JSON.stringify(pads)}, 0.5)` };
    },
  },
  concat: {
    needs: ['concat'],
    apply: (a, b, p) => {
      if (a.rank === 0 || a.size + b.size > 48) return null;
      const axis = p % a.rank;
      const fits = b.rank === a.rank && a.shape.every((d, i) => i === axis || d === b.shape[i]);
      return fits
        ? { y: tt.concat([a, b], axis), text: `concat([a, b], ${axis})` }
        : { y: tt.concat([a, a], axis), text: `concat([a, a], ${axis})` };
    },
  },
  stack: {
    needs: ['stack'],
    apply: (a, b, p) => {
      if (a.size > 24) return null;
      const axis = p % (a.rank + 1);
      const same = a.shape.join() === b.shape.join();
      return {
        y: tt.stack(same ? [a, b] : [a, tt.neg(a)], axis),
        text: same ? `stack([a, b], ${axis})` : `stack([a, -a], ${axis})`,
      };
    },
  },
  unstack: {
    needs: ['unstack'],
    apply: (a, _b, p) => {
      if (a.rank === 0) return null;
      const axis = p % a.rank;
      const parts = tt.unstack(a, axis);
      if (parts.length === 0) return null;
      const k = (p >> 2) % parts.length;
      return { y: parts[k], text: `unstack(a, ${axis})[${k}]` };
    },
  },
  split: {
    needs: ['split'],
    apply: (a, _b, p) => {
      const axis = a.rank === 0 ? -1 : p % a.rank;
      if (axis < 0 || a.shape[axis] < 2) return null;
      const d = a.shape[axis];
      const parts: T[] = ops.split(a, [1, d - 1], axis);
      const k = (p >> 2) % 2;
      return { y: parts[k], text: `split(a, [1, ${d - 1}], ${axis})[${k}]` };
    },
  },
  gather: {
    needs: ['gather'],
    apply: (a, _b, p) => {
      if (a.rank === 0) return null;
      const axis = p % a.rank;
      const d = a.shape[axis];
      if (d === 0) return null;
      const idx = [d - 1, 0, Math.floor(d / 2)];
      return {
        y: ops.gather(a, tt.tensor(idx, [3], 'int32'), axis),
        text: `gather(a, [${idx}], ${axis})`,
      };
    },
  },
  matMul: {
    needs: ['matMul'],
    apply: (a, b) => {
      if (a.rank < 2) return null;
      const k = a.shape[a.rank - 1];
      if (b.rank === 2 && b.shape[0] === k) return { y: tt.matMul(a, b), text: 'matMul(a, b)' };
      if (a.rank === 2)
        return { y: tt.matMul(a, a, false, true), text: 'matMul(a, a, false, true)' };
      return null;
    },
  },
  einsum: {
    needs: ['einsum'],
    apply: (a, b) => {
      if (a.rank !== 2 || b.rank !== 2 || a.shape[1] !== b.shape[1]) return null;
      return { y: ops.einsum('ij,kj->ik', a, b), text: "einsum('ij,kj->ik', a, b)" };
    },
  },
};

function reduce(name: string, ties = false): OpSpec {
  return {
    needs: [name],
    apply: (a, _b, p, ctx) => {
      const axis = axesFrom(a, p);
      const keepDims = ((p >> 1) & 1) === 1;
      if (ties) ctx.noTies(a, axis, `${name}(a)`);
      return {
        y: ops[name](a, axis, keepDims),
        text: `${name}(a, ${axis === undefined ? 'undefined' : `[${axis}]`}, ${keepDims})`,
      };
    },
  };
}

function softmaxLike(name: string): OpSpec {
  return {
    needs: [name],
    apply: (a, _b, p) => {
      if (a.rank === 0) return null;
      const axis = p % 2 === 0 ? -1 : p % a.rank;
      return { y: ops[name](a, axis), text: `${name}(a, ${axis})` };
    },
  };
}

/** The op names whose public functions exist now (the catalogue grows). */
export function availableOps(): string[] {
  return Object.keys(OPS).filter((k) =>
    OPS[k].needs.every((n) => n.split('.').reduce<any>((o, s) => o?.[s], ops) !== undefined),
  );
}

export const MAX_SIZE = 96;

/** The inputs of a program: uniform in [-1, 1) (float64), seeded. */
export function inputsOf(p: PrimProgram, dtype: tt.DType = 'float64'): T[] {
  return p.shapes.map((s, i) =>
    tt.random.uniform([...s], { minval: -1, maxval: 1, seed: p.seed * 31 + i, dtype }),
  );
}

/**
 * The program as a function of its inputs. Which op runs, and with which parameters, depends only
 * on shapes, so the function is the same at every point; steps that do not fit are skipped.
 * With `probe`, kinks and ties near the base point and oversized intermediate values are reported.
 */
export function compile(
  p: PrimProgram,
  probe?: { problems: string[]; text: string[] },
): (...xs: T[]) => T {
  return (...xs: T[]): T => {
    const pool: T[] = xs.slice();
    const names = xs.map((_, i) => `x${i}`);
    const used = new Set<number>();
    const ctx: Ctx = {
      guard: (x, what) => {
        if (probe === undefined) return;
        const m = minAbs(x);
        if (m < 1e-2) probe.problems.push(`${what} within ${m} of a kink`);
      },
      noTies: (x, axis, what) => {
        if (probe === undefined || x.size === 0) return;
        // Count values within a margin of the group maximum (and minimum); more than one is a tie.
        for (const y of [x, tt.neg(x)]) {
          const m = tt.max(y, axis, true);
          const near = tt.cast(tt.greater(y, tt.sub(m, 1e-2)), 'float64');
          if (tt.max(tt.sum(near, axis)).item() > 1) probe.problems.push(`${what}: a tie`);
        }
      },
    };
    for (const s of p.steps) {
      const spec = OPS[s.op];
      if (spec === undefined) continue;
      const ia = pool.length - 1 - (s.a % pool.length);
      const ib = pool.length - 1 - (s.b % pool.length);
      const r = spec.apply(pool[ia], pool[ib], s.p, ctx);
      if (r === null || r.y.size > MAX_SIZE) continue;
      used.add(ia);
      if (/\bb\b/.test(r.text)) used.add(ib);
      if (probe !== undefined) {
        const v = r.y.dataSync();
        for (let k = 0; k < v.length; k++)
          if (!(Math.abs(v[k]) < 1e4)) {
            probe.problems.push(`${s.op} gives ${v[k]}`);
            break;
          }
        const name = `y${pool.length}`;
        probe.text.push(
          `${name} = ${r.text.replace(/\ba\b/g, names[ia]).replace(/\bb\b/g, names[ib])}  // ${sh(r.y)}`,
        );
        names.push(name);
      }
      pool.push(r.y);
    }
    // Values no step used join the output (summed), so every input and step counts.
    let out = pool[pool.length - 1];
    for (let i = 0; i < pool.length - 1; i++) if (!used.has(i)) out = tt.add(out, tt.sum(pool[i]));
    if (probe !== undefined && out !== pool[pool.length - 1])
      probe.text.push(`out = y${pool.length - 1} + sum of each unused value  // ${sh(out)}`);
    return out;
  };
}

function minAbs(x: T): number {
  const v = x.dataSync();
  let m = Infinity;
  for (let k = 0; k < v.length; k++) m = Math.min(m, Math.abs(v[k]));
  return m;
}

/** Runs the probe: the program's text and what keeps it from being checked at its base point. */
export function describe(p: PrimProgram): { text: string; problems: string[] } {
  const probe = { problems: [] as string[], text: [] as string[] };
  const xs = inputsOf(p);
  try {
    compile(p, probe)(...xs);
  } catch (e) {
    probe.text.push(`  threw ${String(e)}`);
  }
  const head = p.shapes.map((s, i) => `x${i} = uniform([${s}], -1, 1, seed ${p.seed * 31 + i})`);
  return { text: [...head, ...probe.text].join('\n'), problems: probe.problems };
}

const dim = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const shape = fc.array(dim, { maxLength: 3 });

/** Random programs over the ops available now. */
export function primProgramArb(names = availableOps(), maxSteps = 10): fc.Arbitrary<PrimProgram> {
  const step = fc.record({
    op: fc.constantFrom(...names),
    a: fc.oneof(fc.nat({ max: 1 }), fc.nat({ max: 5 })),
    b: fc.nat({ max: 5 }),
    p: fc.nat({ max: 63 }),
  });
  return fc
    .record({
      shapes: fc.array(shape, { minLength: 1, maxLength: 3 }),
      seed: fc.nat({ max: 1000 }),
      steps: fc.array(step, { minLength: 2, maxLength: maxSteps }),
    })
    .map((p) => Object.assign(p, { [fc.toStringMethod]: () => '\n' + describe(p).text }));
}
