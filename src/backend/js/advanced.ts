// Reference kernels of the linalg and nn primitives (merged into the pure-TypeScript backend).
import type { Kernels } from '../backend.js';
import { cholesky, matrixDeterminant, matrixInverse, matrixSolve } from './linalg_advanced.js';
import {
  avgPool,
  avgPoolGrad,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  maxPool,
  maxPoolGrad,
  maxPoolGradGrad,
  softmaxCrossEntropy,
} from './nn.js';

export const advancedKernels: Pick<
  Kernels,
  | 'MatrixSolve'
  | 'MatrixInverse'
  | 'MatrixDeterminant'
  | 'Cholesky'
  | 'Conv2D'
  | 'Conv2DBackpropInput'
  | 'Conv2DBackpropFilter'
  | 'MaxPool'
  | 'MaxPoolGrad'
  | 'MaxPoolGradGrad'
  | 'AvgPool'
  | 'AvgPoolGrad'
  | 'SoftmaxCrossEntropyWithLogits'
> = {
  MatrixSolve: matrixSolve,
  MatrixInverse: matrixInverse,
  MatrixDeterminant: matrixDeterminant,
  Cholesky: cholesky,
  Conv2D: conv2d,
  Conv2DBackpropInput: conv2dBackpropInput,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  MaxPool: maxPool,
  MaxPoolGrad: maxPoolGrad,
  MaxPoolGradGrad: maxPoolGradGrad,
  AvgPool: avgPool,
  AvgPoolGrad: avgPoolGrad,
  SoftmaxCrossEntropyWithLogits: softmaxCrossEntropy,
};
