// A pool of worker threads sharing the kernels' memory, driven through a small control block of
// shared integers: the calling thread posts a job (kernel index and arguments), wakes the workers
// with Atomics.notify, does its own share, then waits until every worker has finished its part.
// Platform code (worker_threads in Node, Web Workers in browsers) only starts the workers.

import { PARALLEL_KERNELS, type ThreadPool } from './runtime.js';

/** Control block layout (Int32 slots). */
const GEN = 0; // job generation: incremented for each job
const LEFT = 1; // workers still busy with the current job
const FN = 2; // kernel index (-1: shut down)
const NTHREADS = 3; // threads taking part in the job
const FAILED = 4; // set by a worker whose kernel threw
const READY = 5; // workers that have instantiated the module
const NARGS = 6;
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
  let gen = Atomics.load(ctl, ${GEN});
  Atomics.add(ctl, ${READY}, 1);
  for (;;) {
    let g = Atomics.load(ctl, ${GEN});
    for (let spin = 0; g === gen && spin < 20000; spin++) g = Atomics.load(ctl, ${GEN});
    while (g === gen) {
      Atomics.wait(ctl, ${GEN}, gen);
      g = Atomics.load(ctl, ${GEN});
    }
    gen = g;
    const fn = Atomics.load(ctl, ${FN});
    if (fn < 0) return;
    const nthreads = ctl[${NTHREADS}];
    if (tid < nthreads) {
      const n = ctl[${NARGS}];
      const args = [];
      for (let i = 0; i < n; i++) args.push(ctl[${ARGS} + i]);
      try {
        fns[fn](...args, init.scratchBase + tid * init.scratchBytes, tid, nthreads);
      } catch (e) {
        Atomics.store(ctl, ${FAILED}, 1);
      }
    }
    // Every worker acknowledges every job, so none can read the next job's parameters early.
    if (Atomics.sub(ctl, ${LEFT}, 1) === 1) Atomics.notify(ctl, ${LEFT});
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
    ctl[NTHREADS] = nthreads;
    ctl[NARGS] = args.length;
    for (let i = 0; i < args.length; i++) ctl[ARGS + i] = args[i];
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, LEFT, this.workerCount);
    Atomics.add(ctl, GEN, 1);
    Atomics.notify(ctl, GEN);
    let error: unknown = null;
    try {
      this.local(fn, args, this.scratchBase, nthreads);
    } catch (e) {
      error = e;
    }
    this.waitForWorkers();
    if (error !== null) throw error;
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('a wasm kernel failed on a worker thread');
  }

  private waitForWorkers(): void {
    const ctl = this.ctl;
    let left = Atomics.load(ctl, LEFT);
    for (let spin = 0; left !== 0 && spin < 1_000_000; spin++) left = Atomics.load(ctl, LEFT);
    while (left !== 0) {
      if (this.canBlock) Atomics.wait(ctl, LEFT, left, 1000);
      left = Atomics.load(ctl, LEFT);
    }
  }

  /** Stops the workers (they also stop with the process: they never keep it alive). */
  stop(): void {
    this.broken = true;
    Atomics.store(this.ctl, FN, -1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) w.stop();
  }
}
