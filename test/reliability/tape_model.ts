// A small reference model of TensorFlow's GradientTape semantics on scalars, random programs that
// interleave record/watch/stopRecording/reset/gradient on persistent and nested tapes, and a
// harness that runs a program on the library and on the model in lockstep and reports the first
// place they disagree (what is watched and connected, value or null, when errors are thrown).
import fc from 'fast-check';
import * as tt from '../../src/index.js';

// ---- programs ------------------------------------------------------------------------------------

/**
 * A value: `val` counts back from the newest value in the pool (0 = newest), `in` is one of the
 * program's inputs, `var` a variable (indices wrap around).
 */
export type Ref =
  | { readonly t: 'val'; readonly i: number }
  | { readonly t: 'in'; readonly i: number }
  | { readonly t: 'var'; readonly i: number };
export type BinaryOp = 'add' | 'sub' | 'mul';
export type UnaryOp = 'neg' | 'stopGradient';

export type Cmd =
  | { readonly k: 'op'; readonly op: BinaryOp; readonly a: Ref; readonly b: Ref }
  | { readonly k: 'op1'; readonly op: UnaryOp; readonly a: Ref }
  | { readonly k: 'watch'; readonly tape: number; readonly xs: readonly Ref[] }
  | { readonly k: 'watchInt'; readonly tape: number }
  | { readonly k: 'reset'; readonly tape: number }
  | { readonly k: 'assign'; readonly v: number; readonly value: number }
  | {
      readonly k: 'gradient';
      readonly tape: number;
      readonly targets: readonly number[];
      readonly sources: readonly Ref[];
      readonly asObject: boolean;
      readonly zero: boolean;
    }
  | { readonly k: 'watched'; readonly tape: number }
  | {
      readonly k: 'record';
      readonly tape: number;
      /** Watched first thing inside the recording. */
      readonly watch: readonly Ref[];
      readonly throws: boolean;
      readonly body: Cmd[];
    }
  | { readonly k: 'recordMany'; readonly tapes: readonly number[]; readonly body: Cmd[] }
  | { readonly k: 'stop'; readonly tape: number; readonly body: Cmd[] };

export interface TapeSpec {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
}
export interface VarSpec {
  readonly trainable: boolean;
  readonly value: number;
}
export interface Program {
  readonly tapes: readonly TapeSpec[];
  readonly vars: readonly VarSpec[];
  readonly inputs: readonly number[];
  readonly body: readonly Cmd[];
}

const refText = (r: Ref): string =>
  r.t === 'var' ? `v${r.i}` : r.t === 'in' ? `input[${r.i}]` : `val[-${r.i + 1}]`;

/** The program as readable pseudo-code (what a failing run prints after shrinking). */
export function programText(p: Program): string {
  const lines: string[] = [];
  p.tapes.forEach((t, i) =>
    lines.push(
      `t${i} = new GradientTape({persistent: ${t.persistent}, watchAccessedVariables: ${t.watchAccessedVariables}})`,
    ),
  );
  p.vars.forEach((v, i) =>
    lines.push(`v${i} = variable(${v.value}, {trainable: ${v.trainable}, dtype: 'float64'})`),
  );
  lines.push(`val = [${p.inputs.join(', ')}] (float64 scalars)`);
  const n = p.tapes.length;
  const walk = (cmds: readonly Cmd[], ind: string): void => {
    for (const c of cmds) {
      switch (c.k) {
        case 'op':
          lines.push(`${ind}val.push(${c.op}(${refText(c.a)}, ${refText(c.b)}))`);
          break;
        case 'op1':
          lines.push(`${ind}val.push(${c.op}(${refText(c.a)}))`);
          break;
        case 'watch':
          lines.push(`${ind}t${c.tape % n}.watch([${c.xs.map(refText).join(', ')}])`);
          break;
        case 'watchInt':
          lines.push(`${ind}t${c.tape % n}.watch(int32 tensor)`);
          break;
        case 'reset':
          lines.push(`${ind}t${c.tape % n}.reset()`);
          break;
        case 'assign':
          lines.push(`${ind}v${c.v}.assign(${c.value})`);
          break;
        case 'watched':
          lines.push(`${ind}t${c.tape % n}.watchedVariables()`);
          break;
        case 'gradient': {
          const src = c.asObject
            ? `{${c.sources.map((s, i) => `s${i}: ${refText(s)}`).join(', ')}}`
            : `[${c.sources.map(refText).join(', ')}]`;
          const tgt = `[${c.targets.map((i) => refText({ t: 'val', i })).join(', ')}]`;
          lines.push(
            `${ind}val.push(...t${c.tape % n}.gradient(${tgt}, ${src}${c.zero ? ", {unconnectedGradients: 'zero'}" : ''}))`,
          );
          break;
        }
        case 'record':
          lines.push(`${ind}t${c.tape % n}.record(() => {`);
          if (c.watch.length > 0)
            lines.push(`${ind}  t${c.tape % n}.watch([${c.watch.map(refText).join(', ')}])`);
          walk(c.body, ind + '  ');
          if (c.throws) lines.push(`${ind}  throw new Error()`);
          lines.push(`${ind}})`);
          break;
        case 'recordMany':
          lines.push(`${ind}tt.record([${c.tapes.map((t) => `t${t % n}`).join(', ')}], () => {`);
          walk(c.body, ind + '  ');
          lines.push(`${ind}})`);
          break;
        case 'stop':
          lines.push(`${ind}t${c.tape % n}.stopRecording(() => {`);
          walk(c.body, ind + '  ');
          lines.push(`${ind}})`);
          break;
      }
    }
  };
  walk(p.body, '');
  return lines.join('\n');
}

/** Pool positions counted from the newest value, small ones more often. */
const idx = fc.oneof(fc.nat({ max: 2 }), fc.nat({ max: 7 }));
const ref: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 3, arbitrary: idx.map((i) => ({ t: 'val' as const, i })) },
  { weight: 2, arbitrary: fc.nat({ max: 2 }).map((i) => ({ t: 'in' as const, i })) },
  { weight: 1, arbitrary: fc.nat({ max: 1 }).map((i) => ({ t: 'var' as const, i })) },
);
const tapeIdx = fc.nat({ max: 2 });

type Weights = Partial<Record<Cmd['k'], number>>;
/** Inside a recording, ops and watches dominate; at top level, recordings and gradients. */
const INNER: Weights = { op: 8, watch: 3, gradient: 2, record: 2 };
const TOP: Weights = { record: 8, gradient: 4, op: 1, watch: 1 };

/** Random programs; every subsequence of a program is a program, so shrinking stays valid. */
export function programArb(maxCommands = 8): fc.Arbitrary<Program> {
  const make = (tie: (key: string) => fc.Arbitrary<unknown>, w: Weights): fc.Arbitrary<Cmd> => {
    const body = tie('inner') as fc.Arbitrary<Cmd[]>;
    const choices: { k: Cmd['k']; arb: fc.Arbitrary<Cmd> }[] = [
      {
        k: 'op',
        arb: fc.record({
          k: fc.constant('op' as const),
          op: fc.constantFrom<BinaryOp>('mul', 'add', 'sub'),
          a: ref,
          b: ref,
        }),
      },
      {
        k: 'op1',
        arb: fc.record({
          k: fc.constant('op1' as const),
          op: fc.constantFrom<UnaryOp>('neg', 'stopGradient'),
          a: ref,
        }),
      },
      {
        k: 'watch',
        arb: fc.record({
          k: fc.constant('watch' as const),
          tape: tapeIdx,
          xs: fc.array(ref, { minLength: 1, maxLength: 2 }),
        }),
      },
      { k: 'watchInt', arb: fc.record({ k: fc.constant('watchInt' as const), tape: tapeIdx }) },
      { k: 'reset', arb: fc.record({ k: fc.constant('reset' as const), tape: tapeIdx }) },
      {
        k: 'assign',
        arb: fc.record({
          k: fc.constant('assign' as const),
          v: fc.nat({ max: 1 }),
          value: fc.constantFrom(-2, 0.5, 3),
        }),
      },
      {
        k: 'gradient',
        arb: fc.record({
          k: fc.constant('gradient' as const),
          tape: tapeIdx,
          targets: fc.array(idx, { minLength: 1, maxLength: 2 }),
          sources: fc.array(ref, { minLength: 1, maxLength: 3 }),
          asObject: fc.boolean(),
          zero: fc.boolean(),
        }),
      },
      { k: 'watched', arb: fc.record({ k: fc.constant('watched' as const), tape: tapeIdx }) },
      {
        k: 'record',
        arb: fc.record({
          k: fc.constant('record' as const),
          tape: tapeIdx,
          watch: fc.array(ref, { maxLength: 2 }),
          throws: fc.constantFrom(false, false, false, true),
          body,
        }),
      },
      {
        k: 'recordMany',
        arb: fc.record({
          k: fc.constant('recordMany' as const),
          tapes: fc.array(tapeIdx, { minLength: 1, maxLength: 2 }),
          body,
        }),
      },
      {
        k: 'stop',
        arb: fc.record({ k: fc.constant('stop' as const), tape: tapeIdx, body }),
      },
    ];
    return fc.oneof(
      { maxDepth: 3, depthIdentifier: 'cmd', withCrossShrink: true },
      ...choices.map((c) => ({ weight: w[c.k] ?? 1, arbitrary: c.arb })),
    );
  };
  const arbs = fc.letrec((tie) => ({
    top: fc.array(make(tie, TOP), { maxLength: maxCommands }),
    inner: fc.array(make(tie, INNER), { maxLength: maxCommands }),
  }));
  return fc
    .record({
      tapes: fc.array(
        fc.record({ persistent: fc.boolean(), watchAccessedVariables: fc.boolean() }),
        { minLength: 1, maxLength: 3 },
      ),
      vars: fc.tuple(
        fc.record({ trainable: fc.boolean(), value: fc.constant(1.25) }),
        fc.record({ trainable: fc.boolean(), value: fc.constant(-0.75) }),
      ),
      inputs: fc.array(fc.constantFrom(0.5, 1.5, -2, 3), { minLength: 1, maxLength: 3 }),
      body: arbs.top as fc.Arbitrary<Cmd[]>,
    })
    .map((p) => Object.assign(p, { [fc.toStringMethod]: () => '\n' + programText(p) }));
}

// ---- the model -----------------------------------------------------------------------------------

/** A scalar value in the model; identity stands for tensor identity. */
class MVal {
  constructor(readonly value: number) {}
}
/** A variable in the model. */
class MVar {
  constructor(
    readonly id: number,
    readonly trainable: boolean,
    public value: number,
  ) {}
}
type MSource = MVal | MVar;
type MOp = BinaryOp | 'neg' | 'read';
interface MNode {
  readonly op: MOp;
  readonly inputs: readonly MSource[];
  /** Whether each input was watched by the tape when the op ran. */
  readonly watched: readonly boolean[];
  readonly output: MVal;
}

/** TF's tape state machine: one per GradientTape. */
class MTape {
  active = false; // inside its record()
  paused = 0; // inside stopRecording()
  stopped = false; // a non-persistent tape that computed gradients inside its record()
  used = false; // a non-persistent tape that computed gradients
  slots = new Set<MSource>();
  nodes: MNode[] = [];
  vars: MVar[] = [];
  /** TF keeps the watched variables of a used non-persistent tape. */
  varsAtUse: MVar[] = [];
  constructor(readonly spec: TapeSpec) {}
  get recording(): boolean {
    return this.active && this.paused === 0 && !this.stopped;
  }
  clear(): void {
    this.slots = new Set();
    this.nodes = [];
    this.vars = [];
  }
  watchVar(v: MVar): void {
    if (!this.slots.has(v)) {
      this.slots.add(v);
      this.vars.push(v);
    }
  }
}

/** Thrown by the model where TF throws. */
class ModelError extends Error {}

class Model {
  readonly tapes: MTape[];
  readonly vars: MVar[];
  constructor(p: Program) {
    this.tapes = p.tapes.map((s) => new MTape(s));
    this.vars = p.vars.map((v, i) => new MVar(i, v.trainable, v.value));
  }

  /** An op: recorded by every recording tape that watches one of its inputs. */
  apply(op: BinaryOp | 'neg', inputs: MVal[]): MVal {
    const [a, b] = inputs;
    const value =
      op === 'add'
        ? a.value + b.value
        : op === 'sub'
          ? a.value - b.value
          : op === 'mul'
            ? a.value * b.value
            : -a.value;
    const out = new MVal(value);
    for (const t of this.tapes) {
      if (!t.recording || !inputs.some((x) => t.slots.has(x))) continue;
      t.nodes.push({ op, inputs, watched: inputs.map((x) => t.slots.has(x)), output: out });
      t.slots.add(out);
    }
    return out;
  }

  /** A variable read: a snapshot, recorded by tapes that watch (or auto-watch) the variable. */
  read(v: MVar): MVal {
    const snap = new MVal(v.value);
    for (const t of this.tapes) {
      if (!t.recording) continue;
      if (!t.slots.has(v)) {
        if (!t.spec.watchAccessedVariables || !v.trainable) continue;
        t.watchVar(v);
      }
      t.nodes.push({ op: 'read', inputs: [v], watched: [true], output: snap });
      t.slots.add(snap);
    }
    return snap;
  }

  enter(t: MTape): void {
    if (t.active) throw new ModelError('already recording');
    if (!t.spec.persistent && t.used) {
      t.clear();
      t.used = false;
    }
    t.active = true;
    t.stopped = false;
    t.paused = 0;
  }

  exit(t: MTape): void {
    t.active = false;
    t.stopped = false;
    t.paused = 0;
  }

  watch(t: MTape, xs: MSource[]): void {
    if (!t.active) throw new ModelError('not recording');
    for (const x of xs) {
      if (x instanceof MVar) t.watchVar(x);
      else t.slots.add(x);
    }
  }

  checkRecording(t: MTape): void {
    if (!t.recording) throw new ModelError('not recording');
  }

  reset(t: MTape): void {
    this.checkRecording(t);
    t.clear();
  }

  watched(t: MTape): MVar[] {
    const vs = !t.spec.persistent && t.used ? t.varsAtUse : t.vars;
    return [...vs].sort((a, b) => a.id - b.id);
  }

  /** TF's backward walk: cotangents accumulated with add; rules are ordinary (recorded) ops. */
  gradient(t: MTape, targets: MVal[], sources: MSource[]): (MVal | null)[] {
    if (!t.spec.persistent && t.used) throw new ModelError('non-persistent');
    if (t.active && !t.spec.persistent) t.stopped = true;
    const count = t.nodes.length;
    const reach = new Set<MSource>(sources.filter((s) => t.slots.has(s)));
    let result: (MVal | null)[];
    if (reach.size === 0) result = sources.map(() => null);
    else {
      const relevant: boolean[] = [];
      for (let i = 0; i < count; i++) {
        const n = t.nodes[i];
        relevant[i] = n.inputs.some((x, j) => n.watched[j] && reach.has(x));
        if (relevant[i]) reach.add(n.output);
      }
      const cot = new Map<MSource, MVal>();
      const accumulate = (x: MSource, g: MVal): void => {
        const old = cot.get(x);
        cot.set(x, old === undefined ? g : this.apply('add', [old, g]));
      };
      for (const x of targets) if (t.slots.has(x) && reach.has(x)) accumulate(x, new MVal(1));
      const keep = new Set<MSource>(sources);
      for (let i = count - 1; i >= 0; i--) {
        if (!relevant[i]) continue;
        const n = t.nodes[i];
        const yBar = cot.get(n.output);
        if (yBar === undefined) continue;
        const needs = n.inputs.map((x, j) => n.watched[j] && reach.has(x));
        const [a, b] = n.inputs as MVal[];
        const rule: (() => MVal)[] =
          n.op === 'add'
            ? [() => yBar, () => yBar]
            : n.op === 'sub'
              ? [() => yBar, () => this.apply('neg', [yBar])]
              : n.op === 'mul'
                ? [() => this.apply('mul', [yBar, b]), () => this.apply('mul', [a, yBar])]
                : n.op === 'neg'
                  ? [() => this.apply('neg', [yBar])]
                  : [() => yBar];
        n.inputs.forEach((x, j) => {
          if (needs[j]) accumulate(x, rule[j]());
        });
        if (!keep.has(n.output)) cot.delete(n.output);
      }
      result = sources.map((s) => (t.slots.has(s) ? (cot.get(s) ?? null) : null));
    }
    if (!t.spec.persistent) {
      t.used = true;
      t.varsAtUse = t.vars;
      t.clear();
    }
    return result;
  }
}

// ---- lockstep harness ----------------------------------------------------------------------------

/** The library and the model disagree: the message says where and how. */
export class Divergence extends Error {}
class Thrown extends Error {}

function fmt(x: unknown): string {
  if (x === null) return 'null';
  if (x instanceof tt.Tensor) return String(x.item());
  if (x instanceof MVal) return String(x.value);
  return String(x);
}

function sameNumber(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
}

/** What a run checked, for the figures the suite reports. */
export interface RunStats {
  commands: number;
  gradients: number;
  errors: number;
  /** Gradient entries that were tensors (not null), and those of second or higher order. */
  values: number;
  higherOrder: number;
}

/** Runs `p` on the library and the model; throws Divergence at the first disagreement. */
export function runProgram(p: Program, stats: RunStats): void {
  const model = new Model(p);
  const tapes = p.tapes.map(
    (s) =>
      new tt.GradientTape({
        persistent: s.persistent,
        watchAccessedVariables: s.watchAccessedVariables,
      }),
  );
  const vars = p.vars.map((v) =>
    tt.variable(tt.scalar(v.value, 'float64'), { trainable: v.trainable }),
  );
  const pool: tt.Tensor[] = p.inputs.map((x) => tt.scalar(x, 'float64'));
  const mpool: MVal[] = p.inputs.map((x) => new MVal(x));
  const intTensor = tt.scalar(1, 'int32');
  // The executed program with every value named, printed with a divergence.
  const names: string[] = p.inputs.map((_, i) => `x${i}`);
  const trace: string[] = [
    ...p.tapes.map(
      (t, i) =>
        `t${i} = new GradientTape({persistent: ${t.persistent}, watchAccessedVariables: ${t.watchAccessedVariables}})`,
    ),
    ...p.vars.map(
      (v, i) => `v${i} = variable(scalar(${v.value}, 'float64'), {trainable: ${v.trainable}})`,
    ),
    ...p.inputs.map((x, i) => `x${i} = scalar(${x}, 'float64')`),
  ];
  let depth = 0;
  const line = (text: string): void => void trace.push('  '.repeat(depth) + text);
  const diverge = (msg: string): never => {
    throw new Divergence(`${msg}\nafter running:\n${trace.join('\n')}\n  <-- here`);
  };
  const fresh = (prefix: string): string => `${prefix}${names.length}`;

  const pick = (i: number): number => pool.length - 1 - (i % pool.length);
  const tapeOf = (i: number): number => i % tapes.length;
  // Library value and model value of a reference; a variable reference reads the variable in the
  // model only when the library reads it (inside an op).
  const at = (r: Ref): number => (r.t === 'in' ? r.i % p.inputs.length : pick(r.i));
  const libRef = (r: Ref): tt.Tensor | tt.Variable =>
    r.t === 'var' ? vars[r.i % vars.length] : pool[at(r)];
  const modelSource = (r: Ref): MSource =>
    r.t === 'var' ? model.vars[r.i % vars.length] : mpool[at(r)];
  const refName = (r: Ref): string => (r.t === 'var' ? `v${r.i % vars.length}` : names[at(r)]);
  const modelRead = (r: Ref): MVal => {
    const s = modelSource(r);
    return s instanceof MVar ? model.read(s) : s;
  };

  /** Runs `lib` and `mod` side by side: both throw, or neither does. */
  const both = <L, M>(what: string, lib: () => L, mod: () => M): [L, M] | null => {
    let m: M | undefined;
    let mErr: unknown = null;
    try {
      m = mod();
    } catch (e) {
      if (!(e instanceof ModelError)) throw e;
      mErr = e;
    }
    let l: L | undefined;
    let lErr: unknown = null;
    try {
      l = lib();
    } catch (e) {
      if (e instanceof Divergence || e instanceof Thrown) throw e;
      lErr = e;
    }
    if (mErr !== null && lErr === null)
      diverge(`${what} should throw (${String(mErr)}) but did not`);
    if (mErr === null && lErr !== null) diverge(`${what} threw unexpectedly: ${String(lErr)}`);
    if (mErr !== null) {
      stats.errors++;
      return null;
    }
    return [l as L, m as M];
  };

  const push = (name: string, t: tt.Tensor, m: MVal): void => {
    pool.push(t);
    mpool.push(m);
    names.push(name);
  };
  const tn = (i: number): string => `t${tapeOf(i)}`;
  /** Gradient outputs (a gradient of one of them is a second-order derivative). */
  const gradOrder = new Map<MVal, number>();

  const exec = (c: Cmd): void => {
    stats.commands++;
    switch (c.k) {
      case 'op': {
        const fn = { add: tt.add, sub: tt.sub, mul: tt.mul }[c.op];
        const name = fresh('y');
        line(`${name} = ${c.op}(${refName(c.a)}, ${refName(c.b)})`);
        // The library reads variables operand by operand, as the model does.
        const r = both(
          c.op,
          () => fn(libRef(c.a) as tt.Tensor, libRef(c.b) as tt.Tensor),
          () => {
            const a = modelRead(c.a);
            return model.apply(c.op, [a, modelRead(c.b)]);
          },
        )!;
        push(name, r[0], r[1]);
        if (!sameNumber(r[0].item(), r[1].value))
          diverge(`${c.op} gave ${r[0].item()}, expected ${r[1].value}`);
        break;
      }
      case 'op1': {
        const name = fresh('y');
        line(`${name} = ${c.op}(${refName(c.a)})`);
        const r = both(
          c.op,
          () => (c.op === 'neg' ? tt.neg : tt.stopGradient)(libRef(c.a) as tt.Tensor),
          () => {
            const a = modelRead(c.a);
            return c.op === 'neg' ? model.apply('neg', [a]) : new MVal(a.value);
          },
        )!;
        push(name, r[0], r[1]);
        break;
      }
      case 'watch': {
        const t = model.tapes[tapeOf(c.tape)];
        // Watching a tape that stopped (non-persistent, after its gradient) is unspecified.
        if (t.active && t.stopped) break;
        line(`${tn(c.tape)}.watch([${c.xs.map(refName).join(', ')}])`);
        both(
          'watch',
          () => tapes[tapeOf(c.tape)].watch(c.xs.map(libRef)),
          () => model.watch(t, c.xs.map(modelSource)),
        );
        break;
      }
      case 'watchInt': {
        const t = model.tapes[tapeOf(c.tape)];
        if (t.active && t.stopped) break;
        line(`${tn(c.tape)}.watch(scalar(1, 'int32'))`);
        both(
          'watch(int32)',
          () => tapes[tapeOf(c.tape)].watch(intTensor),
          () => model.watch(t, []),
        );
        break;
      }
      case 'reset':
        line(`${tn(c.tape)}.reset()`);
        both(
          'reset',
          () => tapes[tapeOf(c.tape)].reset(),
          () => model.reset(model.tapes[tapeOf(c.tape)]),
        );
        break;
      case 'assign':
        line(`v${c.v % vars.length}.assign(${c.value})`);
        vars[c.v % vars.length].assign(tt.scalar(c.value, 'float64'));
        model.vars[c.v % vars.length].value = c.value;
        break;
      case 'watched': {
        line(`${tn(c.tape)}.watchedVariables()`);
        const r = both(
          'watchedVariables',
          () => tapes[tapeOf(c.tape)].watchedVariables(),
          () => model.watched(model.tapes[tapeOf(c.tape)]),
        )!;
        const got = r[0].map((v) => `v${vars.indexOf(v)}`);
        const want = r[1].map((v) => `v${v.id}`);
        if (got.join() !== want.join())
          diverge(`watchedVariables() gave [${got.join(', ')}], expected [${want.join(', ')}]`);
        break;
      }
      case 'gradient': {
        stats.gradients++;
        const targets = c.targets.map((i) => pool[pick(i)]);
        const mTargets = c.targets.map((i) => mpool[pick(i)]);
        const sources = c.sources.map(libRef);
        const libSources = c.asObject
          ? Object.fromEntries(sources.map((s, i) => [`s${i}`, s]))
          : sources;
        const opts = c.zero ? { unconnectedGradients: 'zero' as const } : {};
        const outNames = c.sources.map((_, i) => fresh('g') + String.fromCharCode(97 + i));
        const srcText = c.asObject
          ? `{${c.sources.map((s, i) => `s${i}: ${refName(s)}`).join(', ')}}`
          : `[${c.sources.map(refName).join(', ')}]`;
        line(
          `${c.asObject ? `{${outNames.map((n, i) => `s${i}: ${n}`).join(', ')}}` : `[${outNames.join(', ')}]`} = ` +
            `${tn(c.tape)}.gradient([${c.targets.map((i) => names[pick(i)]).join(', ')}], ${srcText}` +
            `${c.zero ? ", {unconnectedGradients: 'zero'}" : ''})`,
        );
        const r = both(
          'gradient',
          () => tapes[tapeOf(c.tape)].gradient(targets, libSources, opts),
          () => model.gradient(model.tapes[tapeOf(c.tape)], mTargets, c.sources.map(modelSource)),
        );
        if (r === null) break;
        const [lib, mod] = r;
        const got: unknown[] = c.asObject ? sources.map((_, i) => lib[`s${i}`]) : lib;
        if (c.asObject ? Array.isArray(lib) : !Array.isArray(lib) || lib.length !== sources.length)
          diverge(`gradient result has the wrong structure`);
        mod.forEach((m, i) => {
          const g = got[i];
          const name = outNames[i];
          const expected = m === null && c.zero ? new MVal(0) : m;
          if (expected === null) {
            if (g !== null) diverge(`${name} is ${fmt(g)}, expected null`);
            return;
          }
          if (!(g instanceof tt.Tensor))
            diverge(`${name} is ${fmt(g)}, expected ${expected.value}`);
          const t = g as tt.Tensor;
          if (t.dtype !== 'float64' || t.rank !== 0)
            diverge(`${name} has dtype ${t.dtype} and rank ${t.rank}, expected float64 scalar`);
          if (!sameNumber(t.item(), expected.value))
            diverge(`${name} is ${t.item()}, expected ${expected.value}`);
          // Gradients join the pool: later ops and nested tapes differentiate them again.
          if (m !== null) {
            stats.values++;
            if (c.targets.some((k) => gradOrder.get(mpool[pick(k)]) !== undefined)) {
              stats.higherOrder++;
              gradOrder.set(m, 2);
            } else gradOrder.set(m, 1);
            push(name, t, m);
          }
        });
        break;
      }
      case 'record': {
        const i = tapeOf(c.tape);
        let modelEntered = false;
        line(`t${i}.record(() => {`);
        try {
          both(
            'record',
            () =>
              tapes[i].record(() => {
                if (!modelEntered) diverge('record ran its function but should throw');
                depth++;
                if (c.watch.length > 0) exec({ k: 'watch', tape: i, xs: c.watch });
                block(c.body);
                if (c.throws) {
                  line('throw new Error()');
                  throw new Thrown('thrown by the program');
                }
              }),
            () => {
              model.enter(model.tapes[i]);
              modelEntered = true;
            },
          );
        } catch (e) {
          if (!(e instanceof Thrown)) throw e;
        } finally {
          if (modelEntered) depth--;
        }
        line('})');
        if (modelEntered) model.exit(model.tapes[i]);
        if (tapes[i].recording !== model.tapes[i].recording)
          diverge(`after record, t${i}.recording is ${tapes[i].recording}`);
        break;
      }
      case 'recordMany': {
        const idxs = c.tapes.map(tapeOf);
        let modelEntered: MTape[] | null = null;
        const what = `record([${idxs.map((i) => `t${i}`).join(', ')}]`;
        line(`${what}, () => {`);
        try {
          both(
            what + ')',
            () =>
              tt.record(
                idxs.map((i) => tapes[i]),
                () => {
                  if (modelEntered === null) diverge('record ran its function but should throw');
                  depth++;
                  block(c.body);
                },
              ),
            () => {
              const entered: MTape[] = [];
              try {
                for (const i of idxs) {
                  model.enter(model.tapes[i]);
                  entered.push(model.tapes[i]);
                }
              } catch (e) {
                for (const t of entered.reverse()) model.exit(t);
                throw e;
              }
              modelEntered = entered;
            },
          );
        } finally {
          if (modelEntered !== null) depth--;
        }
        line('})');
        if (modelEntered !== null)
          for (const t of (modelEntered as MTape[]).reverse()) model.exit(t);
        break;
      }
      case 'stop': {
        const i = tapeOf(c.tape);
        let modelPaused = false;
        line(`t${i}.stopRecording(() => {`);
        try {
          both(
            'stopRecording',
            () =>
              tapes[i].stopRecording(() => {
                if (!modelPaused) diverge('stopRecording ran its function but should throw');
                depth++;
                block(c.body);
              }),
            () => {
              model.checkRecording(model.tapes[i]);
              model.tapes[i].paused++;
              modelPaused = true;
            },
          );
        } finally {
          if (modelPaused) depth--;
        }
        line('})');
        if (modelPaused) model.tapes[i].paused--;
        break;
      }
    }
  };
  const block = (cmds: readonly Cmd[]): void => {
    for (const c of cmds) exec(c);
  };

  const warn = console.warn;
  console.warn = () => {};
  try {
    block(p.body);
  } finally {
    console.warn = warn;
  }
}
