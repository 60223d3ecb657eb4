// Variables: mutable named state whose every use by an op is a recorded read producing an
// immutable snapshot (TF's ReadVariableOp), so a later assign never changes values a tape saved.

import { notifyVariableRead } from './core/stack.js';
import { checkDType, type DType } from './dtype.js';
import { formatValues } from './print.js';
import { Tensor, type RecordingKey } from './tensor.js';
import { convert } from './convert.js';
import { add, sub } from './prims/elementwise.js';

let nextVariableId = 0;

/** @internal Every tensor that is (or was) a variable's value: `tt.tidy` never releases these. */
export const variableValues = new WeakSet<Tensor>();

/** Variables read while a customGradient's function runs are collected here (innermost last). */
const readCollectors: Set<Variable>[] = [];

/** @internal Runs `fn`, returning its result and the trainable variables it read. */
export function collectVariableReads<T>(fn: () => T): [T, Variable[]] {
  const seen = new Set<Variable>();
  readCollectors.push(seen);
  try {
    return [fn(), [...seen]];
  } finally {
    readCollectors.pop();
  }
}

export interface VariableOptions {
  name?: string;
  trainable?: boolean;
  dtype?: DType;
}

/**
 * A mutable tensor-valued variable. Accepted wherever a Tensor is: each use is a read recorded by
 * active tapes, which watch trainable variables automatically.
 *
 * @example
 * const v = tt.variable(2.0);
 * v.assignAdd(1);
 * v.value().item(); // 3
 */
export class Variable {
  readonly name: string;
  readonly trainable: boolean;
  /** @internal Creation order, for `watchedVariables()`. */
  readonly _id: number;
  /** @internal The tape (its current recording's key) that numbered this variable first, and the slot. */
  _tapeKey: RecordingKey | null = null;
  /** @internal */
  _slot = -1;
  /** @internal The current value (concrete, never recorded by a tape). */
  _value: Tensor;

  /** @internal Use `tt.variable(init, options)`. */
  constructor(init: Tensor, options: VariableOptions = {}) {
    if (!(init instanceof Tensor)) {
      throw new TypeError(
        `new Variable: expected an initial value Tensor, got ${init === null || typeof init !== 'object' ? String(init) : ((init as object).constructor?.name ?? 'object')}; variables are created with tt.variable(initialValue, {name, trainable, dtype})`,
      );
    }
    if (init._data === null) {
      throw new TypeError(
        'variable: the initial value must be a concrete tensor (not disposed, not batched by vmap)',
      );
    }
    this._value = init;
    variableValues.add(init);
    this.name = options.name ?? 'Variable';
    this.trainable = options.trainable ?? true;
    this._id = nextVariableId++;
  }

  get shape(): number[] {
    return this._value.shape;
  }
  get dtype(): DType {
    return this._value.dtype;
  }
  get rank(): number {
    return this._value.shape.length;
  }
  get size(): number {
    return this._value.size;
  }

  /** A snapshot of the current value; recorded as a read by active tapes and accumulators. */
  read(): Tensor {
    const v = this._value;
    const snapshot = new Tensor(v._data, v.shape, v.dtype);
    if (this.trainable) for (const c of readCollectors) c.add(this);
    notifyVariableRead(this, snapshot);
    return snapshot;
  }

  /** The current value as a Tensor (a recorded read). */
  value(): Tensor {
    return this.read();
  }

  /** Replaces the value (same shape and dtype). Returns this variable. */
  assign(value: Tensor | number | boolean | ArrayLike<unknown> | Variable): this {
    const t = toValue(value, this, 'assign');
    this._value = t;
    variableValues.add(t);
    return this;
  }

  /** Adds to the value in place. */
  assignAdd(delta: Tensor | number | ArrayLike<unknown> | Variable): this {
    return this.assign(add(this._value, toValue(delta, this, 'assignAdd')));
  }

  /** Subtracts from the value in place. */
  assignSub(delta: Tensor | number | ArrayLike<unknown> | Variable): this {
    return this.assign(sub(this._value, toValue(delta, this, 'assignSub')));
  }

  /** The values as nested arrays (not a recorded read). */
  array(): any {
    return this._value.array();
  }
  numpy(): any {
    return this._value.array();
  }
  dataSync() {
    return this._value.dataSync();
  }

  toString(): string {
    const v = this._value;
    return `<Variable '${this.name}' shape=[${v.shape.join(', ')}] dtype=${v.dtype}, numpy=${formatValues(v.values(), v.shape, v.dtype)}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function toValue(value: unknown, v: Variable, method: string): Tensor {
  const where = `Variable.${method}`;
  const t = value instanceof Variable ? value._value : convert(value, v.dtype, where);
  if (t._data === null)
    throw new TypeError(
      `${where}: the value must be a concrete tensor (not disposed, not batched by vmap)`,
    );
  if (t.dtype !== v.dtype)
    throw new TypeError(
      `${where}: variable '${v.name}' has dtype ${v.dtype}, got a value of dtype ${t.dtype}`,
    );
  if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
    throw new RangeError(
      `${where}: variable '${v.name}' has shape [${v.shape.join(', ')}], got a value of shape [${t.shape.join(', ')}]`,
    );
  }
  return t;
}

/** Creates a Variable from an initial value. */
export function variable(init: unknown, options: VariableOptions = {}): Variable {
  if (options.dtype !== undefined) checkDType(options.dtype, 'variable');
  const t = init instanceof Variable ? init._value : convert(init, options.dtype, 'variable');
  if (options.dtype !== undefined && t.dtype !== options.dtype) {
    throw new TypeError(
      `variable: initial value has dtype ${t.dtype}, but dtype ${options.dtype} was requested`,
    );
  }
  return new Variable(t, options);
}
