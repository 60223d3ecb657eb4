// The entry point under Node's `node` export condition: everything in index.ts, plus Node-only
// backends once they are registered here (worker threads for the WebAssembly backend).
export * from './index.js';
