// Registers the 'wasm' backend (WebAssembly SIMD kernels) and makes it the default where it runs.
// Where the platform compiles WebAssembly only asynchronously, the backend takes over once the
// module is ready (`await tt.ready()`); until then, and wherever SIMD is missing, the pure-TypeScript
// backend runs. Browsers that are cross-origin isolated also get Web Worker threads.

import { getBackend, registerBackend, registerPendingLoad, setBackend } from '../backend.js';
import { wasmKernels } from './kernels.js';
import { detectFeatures, getRuntime, whenLoaded } from './runtime.js';
import { startWebWorkers } from './web_pool.js';

export { THRESHOLDS } from './kernels.js';

const features = detectFeatures();

if (features.simd) {
  registerBackend({ name: 'wasm', kernels: wasmKernels });
  startWebWorkers();
  if (getRuntime() !== null) setBackend('wasm');
  else {
    registerPendingLoad(
      whenLoaded().then(() => {
        if (getRuntime() !== null && getBackend() === 'js') setBackend('wasm');
      }),
    );
  }
}

/** Resolves once the WebAssembly kernels are compiled (immediately where that is synchronous). */
export function wasmReady(): Promise<void> {
  return whenLoaded();
}
