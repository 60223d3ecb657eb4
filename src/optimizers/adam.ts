// tt.optimizers.Adam: adaptive moment estimation, with Keras's update and defaults.

import { add, div, mul, pow, sqrt, square, sub } from '../prims/elementwise.js';
import { fillTensor } from '../prims/elementwise.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { Optimizer, optimizerOptions } from './optimizer.js';

export interface AdamOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras's). */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba), as Keras's: `m ← m + (g - m)(1 - β₁)`, `v ← v + (g² - v)(1 - β₂)`,
 * `var ← var - α m / (√v + ε)` with `α = lr √(1 - β₂ᵗ) / (1 - β₁ᵗ)`.
 *
 * @example
 * const w = tt.variable(1.0);
 * const opt = new tt.optimizers.Adam({ learningRate: 0.1 });
 * opt.applyGradients([tt.scalar(2)], [w]);
 * w.value().item(); // ≈ 0.9 (the first step moves by about lr)
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  /** `new Adam(learningRate)` or `new Adam({learningRate, beta1, beta2, epsilon})`, as Keras's. */
  constructor(learningRateOrOptions?: number | AdamOptions) {
    const options = optimizerOptions(learningRateOrOptions, 'Adam');
    super(options.learningRate ?? 0.001);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    for (const [k, b] of [
      ['beta1', this.beta1],
      ['beta2', this.beta2],
    ] as const) {
      if (!(b >= 0 && b < 1)) throw new RangeError(`Adam: ${k} must be in [0, 1), got ${b}`);
    }
  }

  protected update(v: Variable, g: Tensor, step: number): void {
    const slot = this.slots(v, 2, () => fillTensor(v.shape, 0, v.dtype));
    // As Keras computes it: powers of the betas in the variable's dtype, 1 - β in double.
    const c = (x: number): Tensor => fillTensor([], x, v.dtype);
    const b1 = c(this.beta1);
    const b2 = c(this.beta2);
    const t = c(step);
    const alpha = div(mul(c(this.learningRate), sqrt(sub(1, pow(b2, t)))), sub(1, pow(b1, t)));
    slot[0] = add(slot[0], mul(sub(g, slot[0]), c(1 - this.beta1)));
    slot[1] = add(slot[1], mul(sub(square(g), slot[1]), c(1 - this.beta2)));
    v.assign(sub(v._value, div(mul(slot[0], alpha), add(sqrt(slot[1]), c(this.epsilon)))));
  }
}
