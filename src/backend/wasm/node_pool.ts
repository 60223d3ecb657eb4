// worker_threads for the 'wasm' backend in Node: one worker per extra core, sharing the kernels'
// memory. Workers are unref'd, so they never keep a process alive.

import { createRequire } from 'node:module';
import { SharedPool, WORKER_BODY, type SpawnWorker } from './pool.js';
import type { PoolFactory } from './runtime.js';

/** The parts of node:worker_threads and node:os used here. */
interface NodeWorker {
  unref(): void;
  on(event: 'error', listener: (e: unknown) => void): void;
  terminate(): Promise<number>;
}
interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}
interface Os {
  availableParallelism?: () => number;
  cpus(): unknown[];
}

const require = createRequire(import.meta.url);
const { Worker } = require('node:worker_threads') as WorkerThreads;
const os = require('node:os') as Os;

/** Threads kernels may use, the main thread included (at most 8). */
export function defaultThreadCount(): number {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return Math.max(1, Math.min(8, cores));
}

/** Starts one worker thread (unref'd: it never keeps the process alive). */
export const spawnNodeWorker: SpawnWorker = (init) => {
  // A dynamic import works whether Node evaluates the source as a script or as a module.
  const source = `${WORKER_BODY}\nimport('node:worker_threads').then((m) => run(m.workerData));`;
  const w = new Worker(source, { eval: true, workerData: init });
  w.unref();
  // A worker that fails to start leaves the pool single-threaded (it never reports ready).
  w.on('error', () => {});
  return { stop: () => void w.terminate() };
};

/** A pool factory starting `threads - 1` worker threads. */
export function nodePool(threads = defaultThreadCount()): PoolFactory {
  return (rt) => {
    const workers = threads - 1;
    if (workers < 1) return null;
    return new SharedPool(
      rt.module,
      rt.memory,
      workers,
      rt.runLocal,
      rt.scratchBase,
      rt.scratchBytes,
      spawnNodeWorker,
      true,
    );
  };
}
