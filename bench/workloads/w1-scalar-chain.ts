// W1: record 1,000 scalar ops (mul, add, sin, exp in turn) and take the gradient: the cost of
// dispatching, recording and differentiating one small op, in µs per op (forward plus gradient).
// The chain y ← exp(sin(a·y + b)) is contracting near its fixed point, so the float32 gradient
// stays well conditioned: the reference is the float64 chain rule.

import type * as TF from '@tensorflow/tfjs-core';
import type { Case, Workload } from '../lib/types.js';

interface Inputs {
  x0: number;
  a: number;
  b: number;
  ops: number;
}

function chainCase(ops: number): Case<Inputs, number> {
  return {
    id: `W1 scalar chain ${ops} ops`,
    metric: 'us/op',
    work: ops,
    inputs: () => ({ x0: 1.35, a: 0.768, b: -0.737, ops }),
    reference({ x0, a, b, ops }) {
      let y = x0;
      let dy = 1;
      for (let i = 0; i < ops; i += 4) {
        const u = a * y + b;
        const s = Math.sin(u);
        const e = Math.exp(s);
        dy *= a * Math.cos(u) * e;
        y = e;
      }
      return dy;
    },
    check(out, ref) {
      const g = out[0][0];
      const err = Math.abs(g - ref) / Math.abs(ref);
      return err <= 1e-3
        ? null
        : `gradient ${g}, expected ${ref} (relative error ${err.toExponential(2)})`;
    },
    impl: {
      tensortape({ tt }, { x0, a, b, ops }) {
        const x = tt.scalar(x0);
        return {
          step() {
            const tape = new tt.GradientTape();
            const y = tape.record(() => {
              tape.watch(x);
              let y = x;
              for (let i = 0; i < ops; i += 4) y = tt.exp(tt.sin(tt.add(tt.mul(y, a), b)));
              return y;
            });
            return [tape.gradient(y, x).dataSync()];
          },
        };
      },
      tfjs({ tf }, { x0, a, b, ops }) {
        const x = tf.scalar(x0);
        const g = tf.grad((x: any) => {
          let y = x;
          for (let i = 0; i < ops; i += 4) y = tf.exp(tf.sin(tf.add(tf.mul(y, a), b)));
          return y;
        });
        return {
          step() {
            const gx = tf.tidy(() => g(x));
            const data = gx.dataSync();
            gx.dispose();
            return [data];
          },
        };
      },
      jax({ jax, mode }, { x0, a, b, ops }) {
        const np = jax.numpy;
        const f = (x: any) => {
          let y = x;
          for (let i = 0; i < ops; i += 4) y = np.exp(np.sin(y.mul(a).add(b)));
          return y;
        };
        const g = mode === 'jit' ? jax.jit(jax.grad(f)) : jax.grad(f);
        const x = np.array(x0);
        return { step: () => [(g(x.ref) as any).dataSync()] };
      },
    },
  };
}

/**
 * The same chain's forward pass alone: with no tape (the cost of an eager op), or recorded on a tape
 * without taking the gradient (tensortape only: the other libraries record only inside their
 * gradient functions). Together with the chain above they split W1 into its parts.
 */
function forwardCase(ops: number, recorded: boolean): Case<Inputs, number> {
  const forward = (x0: number, a: number, b: number): number => {
    let y = x0;
    for (let i = 0; i < ops; i += 4) y = Math.exp(Math.sin(a * y + b));
    return y;
  };
  return {
    id: `W1 forward ${ops} ops, ${recorded ? 'recorded on a tape' : 'no tape'}`,
    metric: 'us/op',
    work: ops,
    inputs: () => ({ x0: 1.35, a: 0.768, b: -0.737, ops }),
    reference: ({ x0, a, b }) => forward(x0, a, b),
    check(out, ref) {
      const y = out[0][0];
      const err = Math.abs(y - ref) / Math.abs(ref);
      return err <= 1e-4 ? null : `value ${y}, expected ${ref}`;
    },
    impl: {
      tensortape({ tt }, { x0, a, b, ops }) {
        const x = tt.scalar(x0);
        const chain = () => {
          let y = x;
          for (let i = 0; i < ops; i += 4) y = tt.exp(tt.sin(tt.add(tt.mul(y, a), b)));
          return y;
        };
        if (!recorded) return { step: () => [chain().dataSync()] };
        return {
          step() {
            const tape = new tt.GradientTape();
            return [
              tape
                .record(() => {
                  tape.watch(x);
                  return chain();
                })
                .dataSync(),
            ];
          },
        };
      },
      tfjs({ tf }, { x0, a, b, ops }) {
        if (recorded) return null;
        const x = tf.scalar(x0);
        return {
          step() {
            return [
              tf.tidy(() => {
                let y: TF.Tensor = x;
                for (let i = 0; i < ops; i += 4) y = tf.exp(tf.sin(tf.add(tf.mul(y, a), b)));
                return y.dataSync();
              }),
            ];
          },
        };
      },
      jax({ jax, mode }, { x0, a, b, ops }) {
        if (recorded) return null;
        const np = jax.numpy;
        const f = (x: any) => {
          let y = x;
          for (let i = 0; i < ops; i += 4) y = np.exp(np.sin(y.mul(a).add(b)));
          return y;
        };
        const g = mode === 'jit' ? jax.jit(f) : f;
        const x = np.array(x0);
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
