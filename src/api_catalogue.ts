// Public exports added by the op catalogue: TF's reduce_* names and the `tt.autodiff` namespace.

export {
  max as reduceMax,
  min as reduceMin,
  prod as reduceProd,
  any as reduceAny,
  all as reduceAll,
  logSumExp as reduceLogSumExp,
} from './ops/index.js';
export * as autodiff from './ns/autodiff.js';
