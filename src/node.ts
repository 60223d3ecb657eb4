// The entry point under Node's `node` export condition: everything in index.ts, with the
// WebAssembly backend as the default (relaxed SIMD enabled where Node's V8 has it behind a flag)
// and its kernels split over worker threads (one per core; unref'd, so they never keep the process
// alive).

import './backend/wasm/node_features.js';
import './backend/wasm/index.js';
import { addPoolFactory } from './backend/wasm/runtime.js';
import { nodePool } from './backend/wasm/node_pool.js';

export * from './index.js';

addPoolFactory(nodePool());
