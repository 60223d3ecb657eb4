// The base of tt.layers: weights created on first use (so their shape can follow the input's),
// tracked as trainable or not, and an `apply(x, {training})` entry point.

import { isFloat, type DType } from '../dtype.js';
import { convert, type TensorLike } from '../convert.js';
import { Tensor } from '../tensor.js';
import { Variable, variable } from '../variable.js';
import { initialize, type Initializer } from './initializers.js';

export interface ApplyOptions {
  /** Training mode (BatchNormalization normalises with the batch's statistics). */
  training?: boolean;
}

let layerCount = 0;

/** A layer: `apply(x)` builds the weights on the first call, then computes the output. */
export abstract class Layer {
  readonly name: string;
  /** Whether the weights exist (after the first `apply`). */
  built = false;
  protected weights: Variable[] = [];
  protected dtypeOption: DType | undefined;

  constructor(name: string | undefined, dtype: DType | undefined) {
    this.name = name ?? `${this.constructor.name.toLowerCase()}_${layerCount++}`;
    this.dtypeOption = dtype;
  }

  /** The trainable weights, in creation order (for Dense: `[kernel, bias]`). */
  get trainableVariables(): Variable[] {
    return this.weights.filter((v) => v.trainable);
  }

  /** The weights that are not trained by gradients (BatchNormalization's moving statistics). */
  get nonTrainableVariables(): Variable[] {
    return this.weights.filter((v) => !v.trainable);
  }

  /** Every weight, trainable first. */
  get variables(): Variable[] {
    return [...this.trainableVariables, ...this.nonTrainableVariables];
  }

  /**
   * Applies the layer to `x` (a Tensor, a Variable, or nested arrays or a typed array, as any op
   * accepts), building its weights on the first call.
   */
  apply(x: TensorLike, options: ApplyOptions = {}): Tensor {
    const where = `${this.constructor.name}.apply`;
    if (options === null || typeof options !== 'object')
      throw new TypeError(`${where}: options must be an object such as {training: true}`);
    const input =
      x instanceof Tensor || x instanceof Variable ? x : convert(x, undefined, where, 'x');
    if (!this.built) {
      const dtype = this.dtypeOption ?? (isFloat(input.dtype) ? input.dtype : 'float32');
      this.build(input.shape, dtype);
      this.built = true;
    }
    return this.call(input, Boolean(options.training));
  }

  /** Creates a weight. */
  protected addWeight(
    name: string,
    shape: number[],
    dtype: DType,
    init: Initializer | string,
    trainable = true,
  ): Variable {
    const v = variable(initialize(init, shape, dtype), { name, trainable });
    this.weights.push(v);
    return v;
  }

  protected abstract build(inputShape: readonly number[], dtype: DType): void;
  protected abstract call(x: Tensor | Variable, training: boolean): Tensor;
}
