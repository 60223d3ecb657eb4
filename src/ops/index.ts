// Every op, in one namespace: the primitives' op functions and the composites built from them.

export {
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  square,
  sqrt,
  exp,
  log,
  sin,
  cos,
  sigmoid,
  tanh,
  relu,
} from '../prims/elementwise.js';
export {
  greater,
  greaterEqual,
  less,
  lessEqual,
  equal,
  notEqual,
  logicalAnd,
  logicalOr,
  logicalNot,
  where,
} from '../prims/elementwise.js';
export { cast, identity, stopGradient } from '../prims/cast.js';
export { sum, mean } from '../prims/reduce.js';
export {
  reshape,
  expandDims,
  squeeze,
  transpose,
  broadcastTo,
  slice,
  pad,
  concat,
  stack,
  unstack,
} from '../prims/shape.js';
export { matMul } from '../prims/linalg.js';
export { zeros, ones, fill, zerosLike, onesLike, eye, linspace, range } from './creation.js';
export * from './catalogue.js';
export * from './advanced.js';
