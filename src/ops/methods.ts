// Every op is also a method of Tensor and Variable: `x.mul(y).sum()` calls `mul(x, y)` and so on.

import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';
import * as ops from './index.js';

/** The ops that become methods, with the receiver as their first argument. */
const methodOps = {
  add: ops.add,
  sub: ops.sub,
  mul: ops.mul,
  div: ops.div,
  pow: ops.pow,
  neg: ops.neg,
  square: ops.square,
  sqrt: ops.sqrt,
  exp: ops.exp,
  log: ops.log,
  sin: ops.sin,
  cos: ops.cos,
  sigmoid: ops.sigmoid,
  tanh: ops.tanh,
  relu: ops.relu,
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
  reshape: ops.reshape,
  expandDims: ops.expandDims,
  squeeze: ops.squeeze,
  transpose: ops.transpose,
  broadcastTo: ops.broadcastTo,
  slice: ops.slice,
  pad: ops.pad,
  unstack: ops.unstack,
  matMul: ops.matMul,
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
