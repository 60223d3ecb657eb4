// Reference kernels of the linalg and nn primitives (merged into the pure-TypeScript backend).
import type { Kernels } from '../backend.js';
import { cholesky, matrixDeterminant, matrixInverse, matrixSolve } from './linalg_advanced.js';

export const advancedKernels: Pick<
  Kernels,
  'MatrixSolve' | 'MatrixInverse' | 'MatrixDeterminant' | 'Cholesky'
> = {
  MatrixSolve: matrixSolve,
  MatrixInverse: matrixInverse,
  MatrixDeterminant: matrixDeterminant,
  Cholesky: cholesky,
};
