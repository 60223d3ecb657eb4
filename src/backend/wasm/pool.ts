// A pool of worker threads sharing the kernels' memory, driven through a small control block of
// shared integers. The calling thread posts a job (kernel index and arguments), opens it and wakes
// the workers, then works on it itself: every parallel kernel hands out its work from a shared
// counter, so whoever is running takes the next piece. A worker joins a job only while it is open;
// once the caller has run out of work it closes the job and waits just for the workers that
// joined, never for one that is still asleep (which matters on a busy machine).
// Platform code (worker_threads in Node, Web Workers in browsers) only starts the workers.

import { PARALLEL_KERNELS, type ThreadPool } from './runtime.js';

/** Control block layout (Int32 slots). */
const GEN = 0; // job generation: incremented for each job
const OPEN = 1; // the generation workers may join (-1: none)
const JOINED = 2; // workers inside the current job
const FN = 3; // kernel index (-1: shut down)
const FAILED = 4; // set by a worker whose kernel threw
const READY = 5; // workers that have instantiated the module
const NARGS = 6;
const NTHREADS = 7; // threads the job is sized for
const ARGS = 8;
const MAX_ARGS = 24;
export const CONTROL_INTS = ARGS + MAX_ARGS;

/** What every worker receives when it starts. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  tid: number;
  kernels: readonly string[];
  scratchBase: number;
  scratchBytes: number;
}

/**
 * The worker's program, as source text: `run(init)` instantiates the module on the shared memory and
 * serves jobs until shut down. It spins briefly before sleeping, since kernels often come in runs.
 */
export const WORKER_BODY = `
function run(init) {
  const ctl = new Int32Array(init.control);
  const instance = new WebAssembly.Instance(init.module, {
    env: { memory: init.memory, abort() { throw new Error('wasm kernel aborted'); } },
  });
  const fns = init.kernels.map((k) => instance.exports[k]);
  const tid = init.tid;
  const scratch = init.scratchBase + tid * init.scratchBytes;
  let seen = Atomics.load(ctl, ${GEN});
  Atomics.add(ctl, ${READY}, 1);
  for (;;) {
    let g = Atomics.load(ctl, ${GEN});
    for (let spin = 0; g === seen && spin < 20000; spin++) g = Atomics.load(ctl, ${GEN});
    while (g === seen) {
      Atomics.wait(ctl, ${GEN}, seen);
      g = Atomics.load(ctl, ${GEN});
    }
    seen = g;
    Atomics.add(ctl, ${JOINED}, 1);
    if (Atomics.load(ctl, ${OPEN}) === g) {
      const fn = ctl[${FN}];
      if (fn < 0) return;
      const n = ctl[${NARGS}];
      const args = [];
      for (let i = 0; i < n; i++) args.push(ctl[${ARGS} + i]);
      try {
        fns[fn](...args, scratch, tid, ctl[${NTHREADS}]);
      } catch (e) {
        Atomics.store(ctl, ${FAILED}, 1);
      }
    }
    if (Atomics.sub(ctl, ${JOINED}, 1) === 1) Atomics.notify(ctl, ${JOINED});
  }
}
`;

/** Starts one worker running WORKER_BODY with `init`; returns a function that stops it. */
export type SpawnWorker = (init: WorkerInit) => { stop(): void };

/** The kernels' entry points, called by the thread that posts a job for its own share. */
type Local = (fn: number, args: readonly number[], scratch: number, nthreads: number) => void;

export class SharedPool implements ThreadPool {
  private readonly ctl: Int32Array;
  private readonly workers: { stop(): void }[] = [];
  private readonly canBlock: boolean;
  private broken = false;

  constructor(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    private readonly workerCount: number,
    private readonly local: Local,
    private readonly scratchBase: number,
    scratchBytes: number,
    spawn: SpawnWorker,
    canBlock: boolean,
  ) {
    this.canBlock = canBlock;
    const control = new SharedArrayBuffer(CONTROL_INTS * 4);
    this.ctl = new Int32Array(control);
    for (let tid = 1; tid <= workerCount; tid++) {
      this.workers.push(
        spawn({
          module,
          memory,
          control,
          tid,
          kernels: PARALLEL_KERNELS,
          scratchBase,
          scratchBytes,
        }),
      );
    }
  }

  get capacity(): number {
    return 1 + this.workerCount;
  }

  /** 1 + the workers, once all have started (until then kernels run on the calling thread). */
  get threads(): number {
    if (this.broken || Atomics.load(this.ctl, READY) < this.workerCount) return 1;
    return 1 + this.workerCount;
  }

  run(fn: number, args: readonly number[], nthreads: number): void {
    const ctl = this.ctl;
    if (args.length > MAX_ARGS) throw new Error(`thread pool: too many kernel arguments`);
    ctl[FN] = fn;
    ctl[NARGS] = args.length;
    ctl[NTHREADS] = nthreads;
    for (let i = 0; i < args.length; i++) ctl[ARGS + i] = args[i];
    Atomics.store(ctl, FAILED, 0);
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    Atomics.store(ctl, OPEN, gen);
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    let error: unknown = null;
    try {
      this.local(fn, args, this.scratchBase, nthreads);
    } catch (e) {
      error = e;
    }
    // The work is all claimed: close the job, then wait for the workers that joined it.
    Atomics.store(ctl, OPEN, -1);
    this.waitForJoined();
    if (error !== null) throw error;
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('a wasm kernel failed on a worker thread');
  }

  private waitForJoined(): void {
    const ctl = this.ctl;
    let n = Atomics.load(ctl, JOINED);
    for (let spin = 0; n !== 0 && spin < 1_000_000; spin++) n = Atomics.load(ctl, JOINED);
    while (n !== 0) {
      if (this.canBlock) Atomics.wait(ctl, JOINED, n, 1000);
      n = Atomics.load(ctl, JOINED);
    }
  }

  /** Stops the workers (they also stop with the process: they never keep it alive). */
  stop(): void {
    this.broken = true;
    const gen = (Atomics.load(this.ctl, GEN) + 1) | 0;
    Atomics.store(this.ctl, FN, -1);
    Atomics.store(this.ctl, OPEN, gen);
    Atomics.store(this.ctl, GEN, gen);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) w.stop();
  }
}
