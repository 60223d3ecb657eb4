// `tt.nn.*`: TF's neural-network namespace (aliases of the same functions).

export { relu, sigmoid, tanh } from '../ops/index.js';
export * from './nn_catalogue.js';
export * from './nn_advanced.js';
