// The benchmark's workloads, in the order the report lists them.

import type { Workload } from '../lib/types.js';
import { w1 } from './w1-scalar-chain.js';
import { w2 } from './w2-mlp.js';
import { w3 } from './w3-matmul.js';
import { w4 } from './w4-jacobians.js';
import { w5 } from './w5-hessian.js';
import { w6 } from './w6-conv2d.js';

export const WORKLOADS: readonly Workload[] = [w1, w2, w3, w4, w5, w6];
