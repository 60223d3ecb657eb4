// Web Worker threads for the 'wasm' backend in browsers: only where the page is cross-origin
// isolated (SharedArrayBuffer can be shared with workers). The workers run WORKER_BODY from a
// Blob URL, so no separate script file has to be served.

import { SharedPool, WORKER_BODY, type SpawnWorker } from './pool.js';
import { addPoolFactory } from './runtime.js';

interface WebWorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
}

/** Whether Atomics.wait may block on this thread (not on a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts Web Worker threads for the kernels where a browser allows it; does nothing elsewhere. */
export function startWebWorkers(): void {
  const g = globalThis as {
    Worker?: new (url: string) => WebWorkerLike;
    Blob?: new (parts: string[], opts: { type: string }) => unknown;
    URL?: { createObjectURL(b: unknown): string };
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
    process?: { versions?: { node?: string } };
  };
  if (g.process?.versions?.node !== undefined) return; // Node: see src/node.ts
  if (g.crossOriginIsolated !== true || g.Worker === undefined || g.Blob === undefined) return;
  if (g.URL === undefined) return;
  const Worker = g.Worker;
  const url = g.URL.createObjectURL(
    new g.Blob([`${WORKER_BODY}\nself.onmessage = (e) => run(e.data);`], {
      type: 'text/javascript',
    }),
  );
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  addPoolFactory((rt) => {
    const workers = Math.min(cores, 8) - 1;
    if (workers < 1) return null;
    const spawn: SpawnWorker = (init) => {
      const w = new Worker(url);
      w.postMessage(init);
      return { stop: () => w.terminate() };
    };
    return new SharedPool(
      rt.module,
      rt.memory,
      workers,
      rt.runLocal,
      rt.scratchBase,
      rt.scratchBytes,
      spawn,
      canBlock(),
    );
  });
}
