// nn aliases added by the jacobian/guides work (losses, conv2d, pools, dropout).
export {
  conv2d,
  maxPool,
  avgPool,
  softmaxCrossEntropyWithLogits,
  sigmoidCrossEntropyWithLogits,
  dropout,
} from '../ops/advanced.js';
