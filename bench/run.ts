// `npm run bench`: runs every workload for every peer (tensortape on its WebAssembly and
// pure-TypeScript backends, tfjs-core on its wasm and cpu backends, jax-js eager and jit), one
// process per peer, and writes bench/RESULTS.md with medians and each peer's ratio to tensortape.
// Every result is first checked against a float64 reference: a wrong result is reported, never
// timed. Samples are interleaved across peers, round by round, so that load on a shared machine
// falls on all of them alike; cases compared with each other (the forms of one matmul size) are
// interleaved too.
//
// Options: --smoke (tiny sizes, one untimed-quality sample, correctness only; exits 1 if
// tensortape computes a wrong result), --peers=<names or libraries, comma separated>,
// --workloads=W1,W3, --out=<file> (default bench/RESULTS.md for a full run, none for --smoke).

import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASELINE, PEERS, type Peer } from './lib/peers.js';
import type { Case, Metric } from './lib/types.js';
import type { Reply, Request } from './peer.js';
import { WORKLOADS } from './workloads/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Steps faster than this (ms) are cheap to sample: they get twice the rounds, plus one. */
const FAST_MS = 100;

/**
 * The best of five runs of a fixed single-thread arithmetic loop, in ms, at the start and the end of
 * a run: a rough figure for comparing runs on a shared machine.
 */
function calibrate(): number {
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let x = 0.5;
    for (let i = 0; i < 5_000_000; i++) x = x * 0.999999 + Math.sqrt(x + i);
    const ms = performance.now() - t0;
    if (Number.isNaN(x)) throw new Error('calibration loop produced NaN');
    best = Math.min(best, ms);
  }
  return best;
}

interface Options {
  smoke: boolean;
  peers: Peer[];
  workloads: string[] | null;
  out: string | null;
  rounds: number;
  minMs: number;
  warmupMs: number;
}

function parseOptions(argv: string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const smoke = argv.includes('--smoke');
  const peerFilter = get('peers')?.split(',');
  const peers = peerFilter
    ? PEERS.filter((p) => peerFilter.some((f) => p.name === f || p.library === f))
    : [...PEERS];
  return {
    smoke,
    peers,
    workloads: get('workloads')?.split(',') ?? null,
    out: get('out') ?? (smoke ? null : join(here, 'RESULTS.md')),
    rounds: smoke ? 1 : Number(get('rounds') ?? 7),
    minMs: smoke ? 0 : 40,
    warmupMs: smoke ? 0 : 500,
  };
}

// ---- peer processes -----------------------------------------------------------------------------

class PeerProcess {
  private readonly child: ChildProcess;
  private waiting: ((r: Reply) => void) | null = null;
  /** Replies that arrived while nobody was waiting. */
  private readonly queue: Reply[] = [];
  private stderr = '';
  dead: string | null = null;

  constructor(readonly peer: Peer) {
    this.child = fork(join(here, 'peer.ts'), [peer.name], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.on('data', (d) => (this.stderr = (this.stderr + String(d)).slice(-2000)));
    this.child.on('message', (r: Reply) => {
      const w = this.waiting;
      this.waiting = null;
      if (w) w(r);
      else this.queue.push(r);
    });
    this.child.on('exit', (code) => {
      this.dead ??= `exited with code ${code}: ${this.stderr.trim().split('\n').slice(-3).join(' ')}`;
      const w = this.waiting;
      this.waiting = null;
      w?.({ type: 'failed', detail: this.dead });
    });
  }

  /** The next reply (or a failure after `timeoutMs`). */
  next(timeoutMs: number): Promise<Reply> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.dead !== null) return Promise.resolve({ type: 'failed', detail: this.dead });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.dead = `no answer within ${timeoutMs / 1000} s`;
        this.child.kill();
        resolve({ type: 'failed', detail: this.dead });
      }, timeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
  }

  request(req: Request, timeoutMs: number): Promise<Reply> {
    const reply = this.next(timeoutMs);
    if (this.dead === null) this.child.send(req);
    return reply;
  }

  stop(): void {
    if (this.dead === null) this.child.send({ type: 'exit' } satisfies Request);
    this.dead ??= 'stopped';
  }
}

// ---- measuring -----------------------------------------------------------------------------------

/** One peer's outcome on one case. */
type Cell =
  | { kind: 'time'; ms: number; samples: number }
  | { kind: 'unavailable' | 'unsupported' | 'wrong' | 'error'; detail: string };

interface Row {
  c: Case;
  cells: Map<string, Cell>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Measures a group of cases on every peer: each case is prepared (checked, warmed up) on each peer,
 * then sampled round by round, every case of the group in each round and the peers in a rotating
 * order, so that load on a shared machine falls on all of them alike.
 */
async function measureGroup(group: Case[], procs: PeerProcess[], opt: Options): Promise<Row[]> {
  const rows = group.map((c) => ({ c, cells: new Map<string, Cell>() }));
  const timed: { row: Row; proc: PeerProcess; samples: number[]; rounds: number }[][] = [];
  for (const [i, c] of group.entries()) {
    const row = rows[i];
    const reference = c.reference(c.inputs());
    const forCase: (typeof timed)[number] = [];
    for (const proc of procs) {
      const r = await proc.request(
        {
          type: 'prepare',
          caseId: c.id,
          smoke: opt.smoke,
          reference,
          warmupMs: opt.warmupMs,
          fresh: i === 0,
        },
        600_000,
      );
      if (r.type === 'prepared' && r.status === 'ok') {
        // Slow peers get fewer rounds, so a full run stays within minutes; a step slower than 5 s
        // is timed once, by its checked first run.
        if (r.firstMs > 5000 && !opt.smoke) {
          row.cells.set(proc.peer.name, { kind: 'time', ms: r.firstMs, samples: 1 });
          continue;
        }
        const rounds =
          r.firstMs > 2000
            ? 1
            : r.firstMs > 500
              ? Math.min(3, opt.rounds)
              : r.firstMs < FAST_MS && !opt.smoke
                ? 2 * opt.rounds + 1
                : opt.rounds;
        forCase.push({ row, proc, samples: [], rounds });
      } else if (r.type === 'prepared') {
        row.cells.set(proc.peer.name, { kind: r.status as 'wrong', detail: r.detail });
      } else {
        row.cells.set(proc.peer.name, { kind: 'error', detail: 'detail' in r ? r.detail : r.type });
      }
    }
    timed.push(forCase);
  }
  const most = Math.max(0, ...timed.flat().map((t) => t.rounds));
  for (let round = 0; round < most; round++) {
    for (const [i, forCase] of timed.entries()) {
      // Rotate the order of the peers each round.
      for (let k = 0; k < forCase.length; k++) {
        const t = forCase[(k + round) % forCase.length];
        if (t.samples.length >= t.rounds || t.proc.dead !== null) continue;
        const r = await t.proc.request(
          { type: 'sample', caseId: group[i].id, minMs: opt.minMs },
          600_000,
        );
        if (r.type === 'sampled') t.samples.push(r.msPerRun);
        else
          t.row.cells.set(t.proc.peer.name, {
            kind: 'error',
            detail: 'detail' in r ? r.detail : r.type,
          });
      }
    }
  }
  for (const t of timed.flat()) {
    if (!t.row.cells.has(t.proc.peer.name) && t.samples.length > 0) {
      t.row.cells.set(t.proc.peer.name, {
        kind: 'time',
        ms: median(t.samples),
        samples: t.samples.length,
      });
    }
  }
  return rows;
}

/** Cases in order, those sharing a group gathered where the group's first case stands. */
function groups(cases: Case[]): Case[][] {
  const out: Case[][] = [];
  const byKey = new Map<string, Case[]>();
  for (const c of cases) {
    if (c.group === undefined) {
      out.push([c]);
      continue;
    }
    let g = byKey.get(c.group);
    if (g === undefined) {
      g = [];
      byKey.set(c.group, g);
      out.push(g);
    }
    g.push(c);
  }
  return out;
}

// ---- reporting -------------------------------------------------------------------------------------

function value(c: Case, ms: number): number {
  if (c.metric === 'us/op') return (ms * 1000) / c.work!;
  if (c.metric === 'GFLOP/s') return c.work! / ms / 1e6;
  return ms;
}

function fmt(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

const UNIT: Record<Metric, string> = { 'us/op': 'µs/op', ms: 'ms', 'GFLOP/s': 'GFLOP/s' };

function cellText(row: Row, peer: string): string {
  const cell = row.cells.get(peer);
  if (cell === undefined) return '';
  if (cell.kind !== 'time') {
    if (cell.kind === 'unavailable') return 'not available yet';
    if (cell.kind === 'unsupported') return '—';
    if (cell.kind === 'wrong') return `**wrong**: ${cell.detail}`;
    return `error: ${cell.detail.slice(0, 120)}`;
  }
  const c = row.c;
  let text = `${fmt(value(c, cell.ms))} ${UNIT[c.metric]}`;
  if (c.metric === 'ms' && c.work !== undefined)
    text += ` (${fmt(c.work / cell.ms / 1e6)} GFLOP/s)`;
  const base = row.cells.get(BASELINE);
  if (peer !== BASELINE && base?.kind === 'time') text += ` ×${fmt(cell.ms / base.ms)}`;
  return text;
}

function table(rows: Row[], peers: Peer[]): string {
  const lines = [`| case | ${peers.map((p) => p.name).join(' | ')} |`];
  lines.push(`|---|${peers.map(() => '---').join('|')}|`);
  for (const row of rows) {
    lines.push(`| ${row.c.id} | ${peers.map((p) => cellText(row, p.name)).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Time of a peer on the case with this id, when it was timed. */
function timeOf(rows: Row[], id: string, peer: string): number | null {
  const cell = rows.find((r) => r.c.id === id)?.cells.get(peer);
  return cell?.kind === 'time' ? cell.ms : null;
}

function targets(rows: Row[]): string[] {
  const out: string[] = [];
  const tt = BASELINE;
  const ratio = (id: string, peer: string) => {
    const a = timeOf(rows, id, peer);
    const b = timeOf(rows, id, tt);
    return a !== null && b !== null ? a / b : null;
  };
  const show = (r: number | null) => (r === null ? 'n/a' : `×${r.toFixed(2)}`);
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  const jaxBest = (id: string) => {
    const rs = [ratio(id, 'jax-js eager'), ratio(id, 'jax-js jit')].filter((r) => r !== null);
    return rs.length > 0 ? Math.min(...rs) : null;
  };
  const w3 = 'W3 matmul 1024 AB';
  const tf3 = ratio(w3, 'tfjs wasm');
  const jx3 = jaxBest(w3);
  out.push(
    `- W3 1024 matmul ≥ 2× tfjs-wasm (${show(tf3)}) and ≥ 2× jax-js (best mode ${show(jx3)}): ` +
      verdict(tf3 === null || jx3 === null ? null : tf3 >= 2 && jx3 >= 2),
  );
  const plain = timeOf(rows, w3, tt);
  const forms = ['W3 matmul 1024 AᵀB', 'W3 matmul 1024 ABᵀ'].map((id) => timeOf(rows, id, tt));
  const rel = forms.map((f) => (f === null || plain === null ? null : plain / f));
  out.push(
    `- no transposed form slower than 0.8× the plain one (1024: AᵀB ${rel[0]?.toFixed(2) ?? 'n/a'}×, ABᵀ ${rel[1]?.toFixed(2) ?? 'n/a'}×): ` +
      verdict(rel.includes(null) ? null : rel.every((r) => r! >= 0.8)),
  );
  const w2 = rows.find((r) => r.c.id.startsWith('W2'))?.c.id ?? '';
  const jx2 = ratio(w2, 'jax-js jit');
  const tf2 = ratio(w2, 'tfjs wasm');
  out.push(
    `- W2 step ≥ 1.5× faster than jax-js jit (${show(jx2)}) and ≥ 10× faster than tfjs-wasm (${show(tf2)}): ` +
      verdict(jx2 === null || tf2 === null ? null : jx2 >= 1.5 && tf2 >= 10),
  );
  const w1row = rows.find((r) => r.c.id.startsWith('W1 scalar chain'));
  const w1 = w1row ? timeOf(rows, w1row.c.id, tt) : null;
  const w1us = w1 === null || !w1row ? null : value(w1row.c, w1);
  out.push(
    `- W1 under 1 µs per op (${w1us === null ? 'n/a' : `${w1us.toFixed(2)} µs`}): ${verdict(w1us === null ? null : w1us < 1)}`,
  );
  for (const w of ['W4', 'W5']) {
    const ids = rows.filter((r) => r.c.id.startsWith(w));
    let ok: boolean | null = ids.length > 0 ? true : null;
    const slower: string[] = [];
    for (const r of ids) {
      const mine = timeOf(rows, r.c.id, tt);
      if (mine === null) {
        ok = null;
        break;
      }
      for (const [peer, cell] of r.cells) {
        if (peer === tt || cell.kind !== 'time') continue;
        if (cell.ms < mine) {
          ok = false;
          slower.push(`${r.c.id}: ${peer} ×${(cell.ms / mine).toFixed(2)}`);
        }
      }
    }
    out.push(
      `- ${w} faster than every peer that computes it correctly: ${verdict(ok)}${slower.length ? ` (${slower.join('; ')})` : ''}`,
    );
  }
  return out;
}

function report(
  rows: Row[],
  opt: Options,
  started: Date,
  load: number[][],
  speed: number[],
): string {
  const cpu = cpus();
  const lines = [
    '# tensortape benchmark results',
    '',
    `Generated by \`npm run bench\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ` +
      `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.versions.node}; ` +
      `load average ${load[0].map((l) => l.toFixed(1)).join(' / ')} at the start, ` +
      `${load[1].map((l) => l.toFixed(1)).join(' / ')} at the end. ` +
      `A fixed single-thread arithmetic loop took ${speed[0].toFixed(1)} ms at the start and ` +
      `${speed[1].toFixed(1)} ms at the end, for comparing runs: this shared machine's speed varies ` +
      'by up to 2× over minutes, and the loop does not show contention for the second core.',
    '',
    `Each cell is the median of ${opt.rounds} samples (each at least ${opt.minMs} ms of repeated ` +
      'steps, after a warm-up), taken round by round across the peers (and across the three forms ' +
      'of one matmul size) so that load on a shared machine falls on all of them alike; steps ' +
      `faster than ${FAST_MS} ms get ${2 * opt.rounds + 1} samples, slower than 0.5 s 3, slower ` +
      'than 2 s one, and slower than 5 s are timed by their first (checked) run alone. ' +
      `×r is the peer's time divided by ${BASELINE}'s (r > 1: tensortape is faster). ` +
      'Every result was checked against a float64 reference first; "—": the library has no such ' +
      'operation; "not available yet": tensortape lacks an op the workload needs.',
    '',
    '## Targets',
    '',
    ...targets(rows),
    '',
  ];
  for (const w of WORKLOADS) {
    const wr = rows.filter((r) => r.c.id.startsWith(`${w.id} `));
    if (wr.length === 0) continue;
    lines.push(`## ${w.title}`, '', table(wr, opt.peers), '');
  }
  return lines.join('\n');
}

// ---- main ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const opt = parseOptions(process.argv.slice(2));
  const started = new Date();
  const load0 = loadavg();
  const speed0 = calibrate();
  const cases = WORKLOADS.filter(
    (w) => opt.workloads === null || opt.workloads.includes(w.id),
  ).flatMap((w) => w.cases(opt.smoke));
  const procs = opt.peers.map((p) => new PeerProcess(p));
  const live: PeerProcess[] = [];
  for (const p of procs) {
    const r = await p.next(120_000);
    if (r.type === 'ready') live.push(p);
    else console.error(`${p.peer.name}: failed to start: ${'detail' in r ? r.detail : r.type}`);
  }
  const rows: Row[] = [];
  try {
    for (const group of groups(cases)) {
      for (const row of await measureGroup(group, live, opt)) {
        rows.push(row);
        console.log(
          `${row.c.id}: ${opt.peers.map((p) => `${p.name}: ${cellText(row, p.name) || 'n/a'}`).join('; ')}`,
        );
      }
    }
  } finally {
    for (const p of procs) p.stop();
  }
  const text = report(rows, opt, started, [load0, loadavg()], [speed0, calibrate()]);
  if (opt.out !== null) {
    writeFileSync(opt.out, text);
    console.log(`\nwrote ${opt.out}`);
  }
  console.log(`\n${targets(rows).join('\n')}`);
  // tensortape computing a wrong result (or failing) is an error; peers' problems are only reported.
  let failed = 0;
  for (const row of rows) {
    for (const [peer, cell] of row.cells) {
      if (!peer.startsWith('tensortape')) continue;
      if (cell.kind === 'wrong' || cell.kind === 'error') {
        console.error(`FAILED ${row.c.id} on ${peer}: ${cell.detail}`);
        failed++;
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
