// W1: record 1,000 scalar ops (mul, add, sin, exp in turn) and take the gradient: the cost of
// dispatching, recording and differentiating one small op, in µs per op (forward plus gradient).
// The chain y ← exp(sin(a·y + b)) is contracting near its fixed point, so the float32 gradient
// stays well conditioned: the reference is the float64 chain rule. Two more cases time the forward
// pass alone, with no tape (an eager op) and recorded on a tape, to split W1 into its parts.

import type * as TF from '@tensorflow/tfjs-core';
import type * as TT from '../../src/node.js';
import type { Case, Libs, Workload } from '../lib/types.js';

interface Inputs {
  x0: number;
  a: number;
  b: number;
  ops: number;
}

const INPUTS = { x0: 1.35, a: 0.768, b: -0.737 };

/** The chain in each library: `ops` ops from x (in groups of four). */
function ttChain(tt: Libs['tt'], x: TT.Tensor, { a, b, ops }: Inputs): TT.Tensor {
  let y = x;
  for (let i = 0; i < ops; i += 4) y = tt.exp(tt.sin(tt.add(tt.mul(y, a), b)));
  return y;
}

/** The chain recorded on a fresh tape that watches x. */
function ttRecorded(tt: Libs['tt'], x: TT.Tensor, inputs: Inputs) {
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    tape.watch(x);
    return ttChain(tt, x, inputs);
  });
  return { tape, y };
}

function tfChain(tf: Libs['tf'], x: TF.Tensor, { a, b, ops }: Inputs): TF.Tensor {
  let y = x;
  for (let i = 0; i < ops; i += 4) y = tf.exp(tf.sin(tf.add(tf.mul(y, a), b)));
  return y;
}

function jaxChain(np: Libs['jax']['numpy'], x: any, { a, b, ops }: Inputs): any {
  let y = x;
  for (let i = 0; i < ops; i += 4) y = np.exp(np.sin(y.mul(a).add(b)));
  return y;
}

/** The float64 chain: its value and its derivative with respect to x0. */
function reference({ x0, a, b, ops }: Inputs): { y: number; dy: number } {
  let y = x0;
  let dy = 1;
  for (let i = 0; i < ops; i += 4) {
    const u = a * y + b;
    const e = Math.exp(Math.sin(u));
    dy *= a * Math.cos(u) * e;
    y = e;
  }
  return { y, dy };
}

function relativeError(got: number, want: number): number {
  return Math.abs(got - want) / Math.abs(want);
}

function chainCase(ops: number): Case<Inputs, number> {
  return {
    id: `W1 scalar chain ${ops} ops`,
    metric: 'us/op',
    work: ops,
    inputs: () => ({ ...INPUTS, ops }),
    reference: (inputs) => reference(inputs).dy,
    check(out, ref) {
      const g = out[0][0];
      const err = relativeError(g, ref);
      return err <= 1e-3
        ? null
        : `gradient ${g}, expected ${ref} (relative error ${err.toExponential(2)})`;
    },
    impl: {
      tensortape({ tt }, inputs) {
        const x = tt.scalar(inputs.x0);
        return {
          step() {
            const { tape, y } = ttRecorded(tt, x, inputs);
            return [tape.gradient(y, x).dataSync()];
          },
        };
      },
      tfjs({ tf }, inputs) {
        const x = tf.scalar(inputs.x0);
        const g = tf.grad((x: TF.Tensor) => tfChain(tf, x, inputs));
        return {
          step() {
            const gx = tf.tidy(() => g(x));
            const data = gx.dataSync();
            gx.dispose();
            return [data];
          },
        };
      },
      jax({ jax, mode }, inputs) {
        const f = (x: any) => jaxChain(jax.numpy, x, inputs);
        const g = mode === 'jit' ? jax.jit(jax.grad(f)) : jax.grad(f);
        const x = jax.numpy.array(inputs.x0);
        return { step: () => [(g(x.ref) as any).dataSync()] };
      },
    },
  };
}

/**
 * The chain's forward pass alone: with no tape (the cost of an eager op), or recorded on a tape
 * without taking the gradient (tensortape only: the other libraries record only inside their
 * gradient functions).
 */
function forwardCase(ops: number, recorded: boolean): Case<Inputs, number> {
  return {
    id: `W1 forward ${ops} ops, ${recorded ? 'recorded on a tape' : 'no tape'}`,
    metric: 'us/op',
    work: ops,
    inputs: () => ({ ...INPUTS, ops }),
    reference: (inputs) => reference(inputs).y,
    check(out, ref) {
      const y = out[0][0];
      return relativeError(y, ref) <= 1e-4 ? null : `value ${y}, expected ${ref}`;
    },
    impl: {
      tensortape({ tt }, inputs) {
        const x = tt.scalar(inputs.x0);
        const forward = recorded ? () => ttRecorded(tt, x, inputs).y : () => ttChain(tt, x, inputs);
        return { step: () => [forward().dataSync()] };
      },
      tfjs({ tf }, inputs) {
        if (recorded) return null;
        const x = tf.scalar(inputs.x0);
        return { step: () => [tf.tidy(() => tfChain(tf, x, inputs).dataSync())] };
      },
      jax({ jax, mode }, inputs) {
        if (recorded) return null;
        const f = (x: any) => jaxChain(jax.numpy, x, inputs);
        const g = mode === 'jit' ? jax.jit(f) : f;
        const x = jax.numpy.array(inputs.x0);
        return { step: () => [(g(x.ref) as any).dataSync()] };
      },
    },
  };
}

export const w1: Workload = {
  id: 'W1',
  title:
    'W1: record 1,000 scalar ops (mul, add, sin, exp) and take the gradient; the forward pass alone, with and without a tape (µs per op)',
  cases: (smoke) => {
    const ops = smoke ? 40 : 1000;
    return [chainCase(ops), forwardCase(ops, false), forwardCase(ops, true)];
  },
};
