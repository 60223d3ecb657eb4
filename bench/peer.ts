// One peer's process: loads its library, then serves the driver's requests over IPC: `prepare` a
// case (build inputs, run once, check against the reference, warm up) and `sample` its time. The
// cases of one group stay prepared together, so the driver can sample them in turn.

import { loadPeer, PEERS } from './lib/peers.js';
import { NotAvailable, type Case, type Impl, type Libs } from './lib/types.js';
import { WORKLOADS } from './workloads/index.js';

export type Request =
  | {
      type: 'prepare';
      caseId: string;
      smoke: boolean;
      reference: unknown;
      warmupMs: number;
      /** Forget the cases prepared before (the first case of a group). */
      fresh: boolean;
    }
  | { type: 'sample'; caseId: string; minMs: number }
  | { type: 'exit' };

export type Reply =
  | { type: 'ready' }
  | { type: 'prepared'; status: 'ok'; firstMs: number }
  | { type: 'prepared'; status: 'unavailable' | 'unsupported' | 'wrong' | 'error'; detail: string }
  | { type: 'sampled'; msPerRun: number; runs: number }
  | { type: 'failed'; detail: string };

const peer = PEERS.find((p) => p.name === process.argv[2]);
if (peer === undefined) throw new Error(`unknown peer ${process.argv[2]}`);

const send = (r: Reply) => process.send!(r);
const libs: Libs = await loadPeer(peer);
/** The prepared cases of the current group, by id. */
const impls = new Map<string, Impl>();

function findCase(id: string, smoke: boolean): Case {
  for (const w of WORKLOADS) for (const c of w.cases(smoke)) if (c.id === id) return c;
  throw new Error(`unknown case ${id}`);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function prepare(req: Extract<Request, { type: 'prepare' }>): Reply {
  if (req.fresh) impls.clear();
  impls.delete(req.caseId);
  const c = findCase(req.caseId, req.smoke);
  const factory = c.impl[peer!.library];
  if (factory === undefined) {
    return { type: 'prepared', status: 'unsupported', detail: 'the library has no such operation' };
  }
  let candidate: Impl | null;
  try {
    candidate = factory(libs, c.inputs());
  } catch (e) {
    if (e instanceof NotAvailable) {
      return { type: 'prepared', status: 'unavailable', detail: `needs ${e.message}` };
    }
    return { type: 'prepared', status: 'error', detail: describe(e) };
  }
  if (candidate === null) {
    return { type: 'prepared', status: 'unsupported', detail: 'the library has no such operation' };
  }
  let firstMs: number;
  try {
    const t0 = performance.now();
    const out = candidate.step();
    firstMs = performance.now() - t0;
    const wrong = c.check(candidate.toReference ? candidate.toReference(out) : out, req.reference);
    if (wrong !== null) return { type: 'prepared', status: 'wrong', detail: wrong };
    // Warm up (JIT tiers, caches) without timing; a step slower than the warm-up is its own.
    const end = performance.now() + req.warmupMs;
    while (firstMs < req.warmupMs && performance.now() < end) candidate.step();
  } catch (e) {
    return { type: 'prepared', status: 'error', detail: describe(e) };
  }
  impls.set(req.caseId, candidate);
  return { type: 'prepared', status: 'ok', firstMs };
}

function sample(caseId: string, minMs: number): Reply {
  const impl = impls.get(caseId);
  if (impl === undefined) return { type: 'failed', detail: `case ${caseId} is not prepared` };
  let runs = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    impl.step();
    runs++;
    t = performance.now();
  } while (t - t0 < minMs);
  return { type: 'sampled', msPerRun: (t - t0) / runs, runs };
}

process.on('message', (req: Request) => {
  try {
    if (req.type === 'prepare') send(prepare(req));
    else if (req.type === 'sample') send(sample(req.caseId, req.minMs));
    else process.exit(0);
  } catch (e) {
    send({ type: 'failed', detail: describe(e) });
  }
});

send({ type: 'ready' });
