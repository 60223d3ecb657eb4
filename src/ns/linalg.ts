// `tt.linalg.*`: TF's linear-algebra namespace (aliases of the same functions).

export { matMul as matmul } from '../ops/index.js';
export * from './linalg_catalogue.js';
export * from './linalg_advanced.js';
