// `tt.math.*`: TF's names for the elementwise math ops (aliases of the same functions).

export {
  add,
  sub as subtract,
  mul as multiply,
  div as divide,
  pow,
  neg as negative,
  square,
  sqrt,
  exp,
  log,
  sin,
  cos,
  sigmoid,
  tanh,
  greater,
  greaterEqual as greater_equal,
  less,
  lessEqual as less_equal,
  equal,
  notEqual as not_equal,
  logicalAnd as logical_and,
  logicalOr as logical_or,
  logicalNot as logical_not,
} from '../ops/index.js';
export { sum as reduceSum, mean as reduceMean } from '../ops/index.js';
