// customGradient (TF's tf.custom_gradient) and defineOp (user primitives).
//
// A custom gradient runs `f` as usual (tapes record its ops, which is what keeps the gradient
// function differentiable), then applies one op whose outputs are f's values and whose reverse rule
// is the user's `grad`. That op's inputs are f's values (never differentiated: their producers stay
// off the gradient path), then the arguments, then the trainable variables f read.

import { convert, type TensorLike } from '../convert.js';
import {
  allocate,
  checkDType,
  dtypeOfArray,
  isDType,
  type DType,
  type TypedArray,
} from '../dtype.js';
import { flatten, unflatten } from '../nest.js';
import { zerosLike } from '../prims/elementwise.js';
import { checkShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { collectVariableReads, Variable } from '../variable.js';
import { builtinPrimitives, makePrimitive, type Primitive } from './primitive.js';
import { bind } from './stack.js';

/** What `grad` receives besides the upstream gradient. */
export interface CustomGradientContext {
  /** Trainable variables `f` read that were not passed as inputs. */
  readonly variables: Variable[];
}

export interface CustomGradientResult {
  /** A Tensor, or any nesting of arrays and plain objects of Tensors. */
  value: unknown;
  /**
   * The gradient function: one Tensor (or null) per input, a single one for one input; with
   * `ctx.variables` non-empty, `[inputGrads, variableGrads]`.
   */
  grad: (upstream: any, ctx: CustomGradientContext) => unknown;
}

const isTensor = (v: unknown): boolean => v instanceof Tensor;

/**
 * Defines a function with a custom gradient (TF's `@tf.custom_gradient`).
 *
 * @example
 * const log1pexp = tt.customGradient((x) => {
 *   const e = tt.exp(x);
 *   return { value: tt.log(tt.add(1, e)), grad: (dy) => dy.mul(tt.sub(1, tt.div(1, tt.add(1, e)))) };
 * });
 * const x = tt.variable(100.0);
 * const tape = new tt.GradientTape();
 * const y = tape.record(() => log1pexp(x));
 * tape.gradient(y, x)!.item(); // 1
 */
export function customGradient<A extends unknown[]>(
  f: (...args: A) => CustomGradientResult,
): (...args: A) => any {
  if (typeof f !== 'function')
    throw new TypeError('customGradient: expected a function returning {value, grad}');
  const opName = f.name || 'CustomGradient';
  return (...args: A): any => {
    const where = `customGradient(${opName})`;
    const [result, read] = collectVariableReads(() => f(...args));
    if (
      result === null ||
      typeof result !== 'object' ||
      !('value' in result) ||
      typeof result.grad !== 'function'
    ) {
      throw new TypeError(`${where}: f must return {value, grad} with grad a function`);
    }
    const values = flatten<Tensor>(result.value, where, isTensor, false, 'value');
    const argVariables = new Set(args.filter((a): a is Variable => a instanceof Variable));
    const variables = read.filter((v) => !argVariables.has(v));
    const inputs = args.map((a, i) => convert(a, undefined, `${where} argument ${i}`));
    const variableValues = variables.map((v) => v.read());
    const nValues = values.length;
    const nArgs = inputs.length;
    const grad = result.grad;
    const structure = result.value;

    const prim: Primitive = makePrimitive({
      name: opName,
      user: true,
      impl: (ins) => ins.slice(0, nValues).map((t) => new Tensor(t.values(), t.shape, t.dtype)),
      vjp: (op, yBars) => {
        const upstream = yBars.slice(0, nValues).map((g, i) => g ?? zerosLike(op.outputs[i]));
        const up =
          structure instanceof Tensor ? upstream[0] : unflatten(structure, upstream, isTensor);
        const out = grad(up, { variables });
        let inputGrads: unknown = out;
        let variableGrads: unknown[] = [];
        if (variables.length > 0) {
          if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[1])) {
            throw new TypeError(
              `${where}: f reads the trainable variables ${variables.map((v) => `'${v.name}'`).join(', ')}, so grad must return [inputGrads, variableGrads] with one gradient per variable in ctx.variables`,
            );
          }
          [inputGrads, variableGrads] = out as [unknown, unknown[]];
          if (variableGrads.length !== variables.length) {
            throw new RangeError(
              `${where}: grad returned ${variableGrads.length} variable gradients for ${variables.length} variables (ctx.variables)`,
            );
          }
        }
        const flatInputs =
          nArgs === 1 && (inputGrads instanceof Tensor || inputGrads === null)
            ? [inputGrads]
            : flatten<Tensor | null>(inputGrads, where, isTensor, true, 'grad result');
        if (flatInputs.length !== nArgs) {
          throw new RangeError(
            `${where}: grad returned ${flatInputs.length} gradients for ${nArgs} inputs`,
          );
        }
        return [
          ...new Array<null>(nValues).fill(null),
          ...(flatInputs as (Tensor | null)[]),
          ...(variableGrads as (Tensor | null)[]),
        ];
      },
      jvp: null,
      batch: null,
    });
    const outs = bind(prim, [...values, ...inputs, ...variableValues], undefined);
    return structure instanceof Tensor ? outs[0] : unflatten(structure, outs, isTensor);
  };
}

/** What a user op's forward function receives per input. */
export interface OpInput {
  readonly data: TypedArray;
  readonly shape: number[];
  readonly dtype: DType;
}

export interface OpDefinition {
  /** The op type name: what registerGradient and error messages use. */
  name: string;
  forward: (
    inputs: OpInput[],
    attrs: Record<string, unknown>,
  ) => { data: ArrayLike<number>; shape: readonly number[]; dtype?: DType };
}

const userOps = new Set<string>();

function isAttrs(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * Defines a new primitive from a forward function on typed arrays. It has no gradient until
 * `registerGradient(name, fn)`; under vmap it runs once per example.
 *
 * @example
 * const twice = tt.defineOp({ name: 'Twice', forward: ([x]) => ({ data: x.data.map((v) => 2 * v), shape: x.shape }) });
 * twice(tt.tensor([1, 2])).array(); // [2, 4]
 */
export function defineOp(
  def: OpDefinition,
): (...inputs: (TensorLike | Record<string, unknown>)[]) => Tensor {
  if (
    def === null ||
    typeof def !== 'object' ||
    typeof def.name !== 'string' ||
    def.name === '' ||
    typeof def.forward !== 'function'
  ) {
    throw new TypeError('defineOp: expected {name: string, forward: function}');
  }
  const { name, forward } = def;
  if (builtinPrimitives.has(name))
    throw new Error(`defineOp: ${name} is the name of a built-in op`);
  if (userOps.has(name)) throw new Error(`defineOp: an op named ${name} is already defined`);
  userOps.add(name);
  const prim: Primitive<Record<string, unknown>> = makePrimitive({
    name,
    user: true,
    impl: (inputs, attrs) => {
      const r = forward(
        inputs.map((t) => ({ data: t.values().slice(), shape: t.shape.slice(), dtype: t.dtype })),
        attrs,
      );
      if (r === null || typeof r !== 'object' || r.data === undefined || !Array.isArray(r.shape)) {
        throw new TypeError(`${name}: forward must return {data, shape, dtype?}`);
      }
      const shape = checkShape(r.shape, name);
      const dtype =
        r.dtype ??
        (ArrayBuffer.isView(r.data) ? dtypeOfArray(r.data as TypedArray) : null) ??
        inputs[0]?.dtype ??
        'float32';
      if (!isDType(dtype)) checkDType(dtype, name);
      if (r.data.length !== sizeOf(shape)) {
        throw new RangeError(
          `${name}: forward returned ${r.data.length} values for shape [${shape.join(', ')}]`,
        );
      }
      const data = allocate(dtype, r.data.length);
      for (let i = 0; i < data.length; i++) data[i] = r.data[i];
      return [new Tensor(data, shape, dtype)];
    },
    vjp: null,
    jvp: null,
    batch: null,
  });
  return (...args) => {
    const attrs =
      args.length > 0 && isAttrs(args[args.length - 1])
        ? (args.pop() as Record<string, unknown>)
        : {};
    const inputs = (args as TensorLike[]).map((a, i) =>
      convert(a, undefined, `${name} input ${i}`),
    );
    return bind(prim, inputs, attrs)[0];
  };
}
