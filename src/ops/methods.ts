// Every op is also a method of Tensor and Variable: `x.mul(y).sum()` calls `mul(x, y)` and so on.

import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import type { TensorLike } from '../convert.js';
import * as ops from './index.js';

/** `x.concat(y, axis)` and `x.stack(y, axis)` join the receiver with one tensor or several. */
const joinWith =
  (join: (xs: TensorLike[], axis?: number) => Tensor) =>
  (x: TensorLike, others: TensorLike | readonly TensorLike[], axis?: number): Tensor =>
    join([x, ...(Array.isArray(others) ? (others as TensorLike[]) : [others as TensorLike])], axis);

/** The ops that become methods, with the receiver as their first argument. */
const methodOps = {
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  pow: ops.pow,
  neg: ops.neg,
  abs: ops.abs,
  sign: ops.sign,
  square: ops.square,
  sqrt: ops.sqrt,
  rsqrt: ops.rsqrt,
  reciprocal: ops.reciprocal,
  exp: ops.exp,
  expm1: ops.expm1,
  log: ops.log,
  log1p: ops.log1p,
  sin: ops.sin,
  cos: ops.cos,
  tan: ops.tan,
  asin: ops.asin,
  acos: ops.acos,
  atan: ops.atan,
  atan2: ops.atan2,
  sinh: ops.sinh,
  cosh: ops.cosh,
  tanh: ops.tanh,
  asinh: ops.asinh,
  acosh: ops.acosh,
  atanh: ops.atanh,
  sigmoid: ops.sigmoid,
  softplus: ops.softplus,
  relu: ops.relu,
  relu6: ops.relu6,
  elu: ops.elu,
  selu: ops.selu,
  gelu: ops.gelu,
  leakyRelu: ops.leakyRelu,
  erf: ops.erf,
  erfc: ops.erfc,
  floor: ops.floor,
  ceil: ops.ceil,
  round: ops.round,
  isFinite: ops.isFinite,
  isNaN: ops.isNaN,
  isInf: ops.isInf,
  maximum: ops.maximum,
  minimum: ops.minimum,
  squaredDifference: ops.squaredDifference,
  floorDiv: ops.floorDiv,
  mod: ops.mod,
  clipByValue: ops.clipByValue,
  clipByNorm: ops.clipByNorm,
  where: ops.where,
  greater: ops.greater,
  greaterEqual: ops.greaterEqual,
  less: ops.less,
  lessEqual: ops.lessEqual,
  equal: ops.equal,
  notEqual: ops.notEqual,
  logicalAnd: ops.logicalAnd,
  logicalOr: ops.logicalOr,
  logicalNot: ops.logicalNot,
  cast: ops.cast,
  sum: ops.sum,
  mean: ops.mean,
  max: ops.max,
  min: ops.min,
  prod: ops.prod,
  any: ops.any,
  all: ops.all,
  logSumExp: ops.logSumExp,
  norm: ops.norm,
  argMax: ops.argMax,
  argMin: ops.argMin,
  softmax: ops.softmax,
  logSoftmax: ops.logSoftmax,
  reshape: ops.reshape,
  expandDims: ops.expandDims,
  squeeze: ops.squeeze,
  transpose: ops.transpose,
  broadcastTo: ops.broadcastTo,
  slice: ops.slice,
  stridedSlice: ops.stridedSlice,
  index: ops.index,
  gather: ops.gather,
  pad: ops.pad,
  tile: ops.tile,
  reverse: ops.reverse,
  concat: joinWith(ops.concat),
  stack: joinWith(ops.stack),
  unstack: ops.unstack,
  split: ops.split,
  oneHot: ops.oneHot,
  matMul: ops.matMul,
  dot: ops.dot,
  stopGradient: ops.stopGradient,
};

type MethodsOf<T> = {
  [K in keyof T]: T[K] extends (x: any, ...rest: infer R) => infer O ? (...rest: R) => O : never;
};
type OpMethods = MethodsOf<typeof methodOps>;

declare module '../tensor.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Tensor extends OpMethods {}
}
declare module '../variable.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Variable extends OpMethods {}
}

/** Installs `fns` as methods of Tensor and Variable (used by every module that adds ops). */
export function installMethods(fns: Record<string, (x: any, ...rest: any[]) => unknown>): void {
  for (const [name, fn] of Object.entries(fns)) {
    const method = function (this: unknown, ...rest: unknown[]) {
      return fn(this, ...rest);
    };
    Object.defineProperty(method, 'name', { value: name });
    for (const proto of [Tensor.prototype, Variable.prototype]) {
      Object.defineProperty(proto, name, { value: method, writable: true, configurable: true });
    }
  }
}

installMethods(methodOps);
