// W3: square float32 matrix products at 256, 512 and 1024, plain and in the two transposed forms a
// backward pass uses (AᵀB and ABᵀ), in GFLOP/s. Checked against float64 at sampled entries and
// with a random projection of the whole product (C·v against op(A)·(op(B)·v)).

import { normal, rng } from '../lib/numeric.js';
import type { Case, Workload } from '../lib/types.js';

interface Inputs {
  n: number;
  a: Float32Array;
  b: Float32Array;
}

interface Ref {
  entries: number[]; // flat indices into C
  values: number[];
  scales: number[]; // Σ|a||b| of each sampled entry
  v: number[];
  cv: number[]; // C·v in float64
  cvScale: number[]; // |op(A)|·(|op(B)|·|v|)
}

type Form = 'AB' | 'AᵀB' | 'ABᵀ';

function matMulCase(n: number, form: Form): Case<Inputs, Ref> {
  const ta = form === 'AᵀB';
  const tb = form === 'ABᵀ';
  // Element (i, p) of op(A) and (p, j) of op(B), stored row-major as n x n.
  const at = (a: ArrayLike<number>, i: number, p: number) => (ta ? a[p * n + i] : a[i * n + p]);
  const bt = (b: ArrayLike<number>, p: number, j: number) => (tb ? b[j * n + p] : b[p * n + j]);
  const matVec = (x: ArrayLike<number>, v: ArrayLike<number>, op: typeof at, abs: boolean) => {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < n; p++) {
        const e = op(x, i, p);
        s += (abs ? Math.abs(e) : e) * v[p];
      }
      y[i] = s;
    }
    return y;
  };
  return {
    id: `W3 matmul ${n} ${form}`,
    group: `W3 matmul ${n}`,
    metric: 'GFLOP/s',
    work: 2 * n * n * n,
    inputs: () => ({ n, a: normal(n * n, 100 + n), b: normal(n * n, 200 + n) }),
    reference({ a, b }) {
      const next = rng(n * 31 + form.length);
      const entries: number[] = [];
      const values: number[] = [];
      const scales: number[] = [];
      for (let s = 0; s < 64; s++) {
        const i = Math.floor(next() * n);
        const j = Math.floor(next() * n);
        let sum = 0;
        let scale = 0;
        for (let p = 0; p < n; p++) {
          sum += at(a, i, p) * bt(b, p, j);
          scale += Math.abs(at(a, i, p) * bt(b, p, j));
        }
        entries.push(i * n + j);
        values.push(sum);
        scales.push(scale);
      }
      const v = Array.from({ length: n }, () => next() * 2 - 1);
      const bv = matVec(b, v, bt, false);
      const cv = matVec(a, bv, at, false);
      const absV = v.map(Math.abs);
      const cvScale = matVec(a, matVec(b, absV, bt, true), at, true);
      return { entries, values, scales, v, cv, cvScale };
    },
    check([c], ref) {
      if (c.length !== n * n) return `expected ${n * n} values, got ${c.length}`;
      const eps = 2 ** -24 * (n + 2) * 4;
      for (let s = 0; s < ref.entries.length; s++) {
        const got = c[ref.entries[s]];
        if (!(Math.abs(got - ref.values[s]) <= eps * ref.scales[s] + 1e-30)) {
          return `entry ${ref.entries[s]}: ${got}, expected ${ref.values[s]}`;
        }
      }
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += c[i * n + j] * ref.v[j];
        if (!(Math.abs(s - ref.cv[i]) <= eps * ref.cvScale[i] + 1e-30)) {
          return `row ${i} of C·v: ${s}, expected ${ref.cv[i]}`;
        }
      }
      return null;
    },
    impl: {
      tensortape({ tt }, { a, b }) {
        const A = tt.tensor(a, [n, n]);
        const B = tt.tensor(b, [n, n]);
        return { step: () => [tt.matMul(A, B, ta, tb).dataSync()] };
      },
      tfjs({ tf }, { a, b }) {
        const A = tf.tensor2d(a, [n, n]);
        const B = tf.tensor2d(b, [n, n]);
        return {
          step() {
            const c = tf.matMul(A, B, ta, tb);
            const out = c.dataSync();
            c.dispose();
            return [out];
          },
        };
      },
      jax({ jax, mode }, { a, b }) {
        const np = jax.numpy;
        const A = np.array(a).reshape([n, n]);
        const B = np.array(b).reshape([n, n]);
        const f = (x: any, y: any) => np.matmul(ta ? x.transpose() : x, tb ? y.transpose() : y);
        const g = mode === 'jit' ? jax.jit(f) : f;
        return { step: () => [(g(A.ref, B.ref) as any).dataSync()] };
      },
    },
  };
}

export const w3: Workload = {
  id: 'W3',
  title: 'W3: square float32 matmul, plain and transposed (GFLOP/s)',
  cases(smoke) {
    const sizes = smoke ? [67] : [256, 512, 1024];
    const forms: Form[] = ['AB', 'AᵀB', 'ABᵀ'];
    return sizes.flatMap((n) => forms.map((f) => matMulCase(n, f)));
  },
};
