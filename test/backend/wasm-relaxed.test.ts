// The relaxed-SIMD variant of the 'wasm' kernels (fused multiply-add), which src/node.ts selects on
// Node 20 by enabling V8's flag: the same products and convolutions as the plain SIMD variant,
// against the pure-TypeScript kernels.

import '../../src/backend/wasm/node_features.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { THRESHOLDS } from '../../src/backend/wasm/kernels.js';
import { getRuntime } from '../../src/backend/wasm/runtime.js';
import { convCases, matMulCases } from './wasm-checks.js';

const saved = { ...THRESHOLDS };
before(() => {
  THRESHOLDS.matMul = 0;
  THRESHOLDS.matMulThreads = Infinity;
});
after(() => Object.assign(THRESHOLDS, saved));

describe('wasm kernels, relaxed SIMD variant', () => {
  it('is the variant in use', () => {
    assert.equal(getRuntime()?.features.relaxed, true);
  });
  describe('BatchMatMulV2', () => matMulCases(7000));
  describe('Conv2D and its gradients', () => convCases());
});
