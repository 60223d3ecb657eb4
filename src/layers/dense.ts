// tt.layers.Dense: y = activation(x · kernel + bias) over the last axis, as Keras's Dense.

import type { DType } from '../dtype.js';
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import type { Variable } from '../variable.js';
import { checkInitializer, type Initializer } from './initializers.js';
import { Layer } from './layer.js';

/** An activation: a function of a tensor, or a Keras name such as `'relu'`. */
export type Activation = ((x: Tensor) => Tensor) | string | null;

const ACTIVATIONS: Record<string, string> = {
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  softplus: 'softplus',
  softsign: 'softsign',
  elu: 'elu',
  selu: 'selu',
  gelu: 'gelu',
  relu6: 'relu6',
  leaky_relu: 'leakyRelu',
  leakyRelu: 'leakyRelu',
  exponential: 'exp',
  swish: 'swish',
  silu: 'swish',
  log_softmax: 'logSoftmax',
  logSoftmax: 'logSoftmax',
};

/** Resolves an activation given by function or by name (`'linear'` or null: none). */
export function resolveActivation(a: Activation | undefined, where: string): (x: Tensor) => Tensor {
  if (a === undefined || a === null || a === 'linear') return (x) => x;
  if (typeof a === 'function') return a;
  const opName = ACTIVATIONS[a];
  const table = ops as unknown as Record<string, unknown>;
  if (opName === 'swish' && typeof table.swish !== 'function')
    return (x) => ops.mul(x, ops.sigmoid(x));
  const fn = opName === undefined ? undefined : table[opName];
  if (typeof fn !== 'function') {
    throw new RangeError(
      `${where}: unknown activation ${JSON.stringify(a)}; use a function or one of ${Object.keys(
        ACTIVATIONS,
      )
        .filter((k) => typeof table[ACTIVATIONS[k]] === 'function')
        .join(', ')}, linear`,
    );
  }
  return (x) => (fn as (t: Tensor) => Tensor)(x);
}

export interface DenseOptions {
  /** Applied to the output: a function such as `tt.nn.relu`, or a name such as `'relu'`. */
  activation?: Activation;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Default `'glorotUniform'` (Keras's). */
  kernelInitializer?: Initializer | string;
  /** Default `'zeros'`. */
  biasInitializer?: Initializer | string;
  /** Weight dtype (default: the first input's float dtype, else float32). */
  dtype?: DType;
  name?: string;
}

/**
 * A densely connected layer (Keras's `Dense`): `activation(x · kernel + bias)` over the last axis
 * of `x`. The weights are created on the first `apply`, drawn from `tt.random`'s generator.
 *
 * @example
 * tt.random.setSeed(0);
 * const layer = new tt.layers.Dense(2, { activation: 'relu' });
 * const y = layer.apply(tt.tensor([[1, 2, 3]]));
 * y.shape; // [1, 2]
 * layer.kernel.shape; // [3, 2]
 */
export class Dense extends Layer {
  readonly units: number;
  readonly activation: (x: Tensor) => Tensor;
  readonly useBias: boolean;
  private kernelInit: Initializer | string;
  private biasInit: Initializer | string;
  private kernelVar: Variable | null = null;
  private biasVar: Variable | null = null;

  constructor(units: number, options: DenseOptions = {}) {
    super(options.name, options.dtype);
    if (!Number.isInteger(units) || units < 1)
      throw new RangeError(`Dense: units must be a positive integer, got ${String(units)}`);
    this.units = units;
    this.activation = resolveActivation(options.activation, 'Dense');
    this.useBias = options.useBias ?? true;
    this.kernelInit = options.kernelInitializer ?? 'glorotUniform';
    this.biasInit = options.biasInitializer ?? 'zeros';
    checkInitializer(this.kernelInit, 'Dense', 'kernelInitializer');
    checkInitializer(this.biasInit, 'Dense', 'biasInitializer');
  }

  /** The `[inputDim, units]` weight matrix (throws before the first `apply`). */
  get kernel(): Variable {
    if (this.kernelVar === null)
      throw new Error('Dense.kernel: the layer is not built yet; call apply(x) first');
    return this.kernelVar;
  }

  /** The `[units]` bias (null with `useBias: false`; throws before the first `apply`). */
  get bias(): Variable | null {
    if (!this.built) throw new Error('Dense.bias: the layer is not built yet; call apply(x) first');
    return this.biasVar;
  }

  protected build(inputShape: readonly number[], dtype: DType): void {
    if (inputShape.length < 1)
      throw new RangeError('Dense.apply: the input must have at least one axis (features last)');
    const inDim = inputShape[inputShape.length - 1];
    this.kernelVar = this.addWeight('kernel', [inDim, this.units], dtype, this.kernelInit);
    if (this.useBias) this.biasVar = this.addWeight('bias', [this.units], dtype, this.biasInit);
  }

  protected call(x: Tensor | Variable, _training: boolean): Tensor {
    const kernel = this.kernelVar!;
    const inDim = kernel.shape[0];
    if (x.shape[x.shape.length - 1] !== inDim) {
      throw new RangeError(
        `Dense.apply: the input's last axis has size ${x.shape[x.shape.length - 1]} but the layer was built for ${inDim} (shape [${x.shape.join(', ')}])`,
      );
    }
    const lead = x.shape.slice(0, -1);
    let y =
      x.shape.length === 2
        ? ops.matMul(x, kernel)
        : ops.reshape(ops.matMul(ops.reshape(x, [-1, inDim]), kernel), [...lead, this.units]);
    if (this.biasVar !== null) y = ops.add(y, this.biasVar);
    return this.activation(y);
  }
}
