// tt.layers.BatchNormalization: normalises with the batch's moments in training mode (updating
// moving averages) and with the moving averages otherwise, as Keras's BatchNormalization.

import type { DType } from '../dtype.js';
import * as ops from '../ops/index.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { checkInitializer, type Initializer } from './initializers.js';
import { Layer } from './layer.js';

export interface BatchNormalizationOptions {
  /** The feature axis (default -1); statistics are taken over every other axis. */
  axis?: number;
  /** Moving-average decay (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 0.001). */
  epsilon?: number;
  /** Learn an offset beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  betaInitializer?: Initializer | string;
  gammaInitializer?: Initializer | string;
  dtype?: DType;
  name?: string;
}

/**
 * Batch normalization (Keras's `BatchNormalization`): `gamma · (x - mean) / sqrt(var + epsilon) +
 * beta`, with the batch's mean and variance when `apply(x, {training: true})` (and the moving
 * averages updated), the moving averages otherwise. Its output for one example depends on the
 * whole batch in training mode, so a batch jacobian through it is not block diagonal.
 *
 * @example
 * const bn = new tt.layers.BatchNormalization();
 * const y = bn.apply(tt.tensor([[1, 2], [3, 6]]), { training: true });
 * y.shape; // [2, 2]
 */
export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private betaInit: Initializer | string;
  private gammaInit: Initializer | string;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  private featureAxis = -1;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options.name, options.dtype);
    this.axis = options.axis ?? -1;
    this.momentum = options.momentum ?? 0.99;
    this.epsilon = options.epsilon ?? 0.001;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    this.betaInit = options.betaInitializer ?? 'zeros';
    this.gammaInit = options.gammaInitializer ?? 'ones';
    checkInitializer(this.betaInit, 'BatchNormalization', 'betaInitializer');
    checkInitializer(this.gammaInit, 'BatchNormalization', 'gammaInitializer');
  }

  protected build(inputShape: readonly number[], dtype: DType): void {
    this.featureAxis = normalizeAxis(this.axis, inputShape.length, 'BatchNormalization');
    const n = [inputShape[this.featureAxis]];
    if (this.scale) this.gamma = this.addWeight('gamma', n, dtype, this.gammaInit);
    if (this.center) this.beta = this.addWeight('beta', n, dtype, this.betaInit);
    this.movingMean = this.addWeight('moving_mean', n, dtype, 'zeros', false);
    this.movingVariance = this.addWeight('moving_variance', n, dtype, 'ones', false);
  }

  protected call(x: Tensor | Variable, training: boolean): Tensor {
    const a = this.featureAxis;
    if (x.shape.length <= a || x.shape[a] !== this.movingMean!.shape[0]) {
      throw new RangeError(
        `BatchNormalization.apply: expected ${this.movingMean!.shape[0]} features on axis ${a}, got shape [${x.shape.join(', ')}]`,
      );
    }
    const axes = x.shape.map((_, i) => i).filter((i) => i !== a);
    const bshape = x.shape.map((d, i) => (i === a ? d : 1));
    const asFeature = (v: Tensor | Variable): Tensor => ops.reshape(v, bshape);
    let mean: Tensor;
    let variance: Tensor;
    if (training) {
      // tf.nn.moments: the variance's shift is the mean with its gradient stopped (exact, since
      // the variance's derivative with respect to its shift vanishes at the mean).
      mean = ops.mean(x, axes, true);
      variance = ops.mean(ops.square(ops.sub(x, ops.stopGradient(mean))), axes, true);
      this.updateMoving(this.movingMean!, mean);
      this.updateMoving(this.movingVariance!, variance);
    } else {
      mean = asFeature(this.movingMean!);
      variance = asFeature(this.movingVariance!);
    }
    // tf.nn.batch_normalization: x · inv + (beta - mean · inv), inv = gamma / sqrt(var + ε).
    let inv = ops.div(1, ops.sqrt(ops.add(variance, this.epsilon)));
    if (this.gamma !== null) inv = ops.mul(inv, asFeature(this.gamma));
    const shift = ops.mul(mean, inv);
    return ops.add(
      ops.mul(x, inv),
      this.beta !== null ? ops.sub(asFeature(this.beta), shift) : ops.neg(shift),
    );
  }

  /** moving ← moving · momentum + batch · (1 - momentum), from the batch values (not recorded). */
  private updateMoving(moving: Variable, batch: Tensor): void {
    // Inside vmap the statistics are per-example views without storage: nothing to average.
    if (batch._batch !== null) return;
    const b = ops.reshape(ops.stopGradient(batch), moving.shape);
    const m = moving._value;
    moving.assign(ops.add(ops.mul(m, this.momentum), ops.mul(b, 1 - this.momentum)));
  }
}
