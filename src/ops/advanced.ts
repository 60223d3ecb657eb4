// Ops the jacobian/guides work adds (linalg, nn losses, conv, pools, ...): re-exported by ops/index.ts.
export { solve, inv, det, cholesky } from '../prims/linalg_advanced.js';
export { einsum } from '../prims/einsum.js';
export { conv2d, maxPool, avgPool } from '../prims/nn.js';
export {
  softmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  dropout,
} from '../prims/losses.js';
