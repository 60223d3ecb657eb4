// tt.optimizers.SGD: gradient descent with optional (Nesterov) momentum, as Keras's SGD.

import { add, mul, sub } from '../prims/elementwise.js';
import { fillTensor } from '../prims/elementwise.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { Optimizer, optimizerOptions } from './optimizer.js';

export interface SGDOptions {
  /** Default 0.01. */
  learningRate?: number;
  /** Default 0 (plain gradient descent). */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent: `v ← v - lr · g`, or with momentum `m ← momentum · m - lr · g;
 * v ← v + m` (Nesterov: `v ← v + momentum · m - lr · g`), as Keras's `SGD`.
 *
 * @example
 * const v = tt.variable(1.0);
 * new tt.optimizers.SGD(0.1).applyGradients([tt.scalar(2)], [v]); // or SGD({ learningRate: 0.1 })
 * v.value().item(); // 0.8 (in float32)
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  /** `new SGD(learningRate)` or `new SGD({learningRate, momentum, nesterov})`, as Keras's. */
  constructor(learningRateOrOptions?: number | SGDOptions) {
    const options = optimizerOptions(learningRateOrOptions, 'SGD');
    super(options.learningRate ?? 0.01);
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum <= 1))
      throw new RangeError(`SGD: momentum must be in [0, 1], got ${this.momentum}`);
  }

  protected update(v: Variable, g: Tensor): void {
    const lrG = mul(g, this.learningRate);
    if (this.momentum === 0) {
      v.assign(sub(v._value, lrG));
      return;
    }
    const slot = this.slots(v, 1, () => fillTensor(v.shape, 0, v.dtype));
    const m = sub(mul(slot[0], this.momentum), lrG);
    slot[0] = m;
    v.assign(this.nesterov ? sub(add(v._value, mul(m, this.momentum)), lrG) : add(v._value, m));
  }
}
