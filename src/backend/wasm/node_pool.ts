// worker_threads for the 'wasm' backend in Node: one worker per extra core, sharing the kernels'
// memory. Workers are unref'd, so they never keep a process alive.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SharedPool, WORKER_BODY, type SpawnWorker } from './pool.js';
import type { PoolFactory } from './runtime.js';

/** Threads kernels may use, the main thread included (at most 8). */
export function defaultThreadCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Starts one worker thread (unref'd: it never keeps the process alive). */
export const spawnNodeWorker: SpawnWorker = (init) => {
  const source = `const { workerData } = require('node:worker_threads');\n${WORKER_BODY}\nrun(workerData);`;
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
