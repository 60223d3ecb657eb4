// Determinism: the same seed gives bit-identical results run to run, in one process and across
// processes; the random stream is pinned; every registered backend agrees with 'js' within a
// stated tolerance (tolerance.ts) on a set of programs (determinism_programs.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as tt from '../../src/node.js';
import { jsKernels } from '../../src/backend/js/index.js';
import { PROGRAMS, fingerprint, run, runAll } from './determinism_programs.js';
import { disagreement } from './tolerance.js';

const CHILD = fileURLToPath(
  new URL('../fixtures/reliability/determinism_child.ts', import.meta.url),
);
/** Backends registered by the library (before this file registers its test backends). */
const BACKENDS = tt.backends();

function bits(t: tt.Tensor): string {
  const d = t.dataSync();
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex');
}

/** The first difference between two results, or null (bit for bit). */
function firstDifference(
  a: Record<string, tt.Tensor>,
  b: Record<string, tt.Tensor>,
): string | null {
  for (const k of Object.keys(a)) {
    if (!(k in b)) return `${k} is missing`;
    if (a[k].dtype !== b[k].dtype || a[k].shape.join() !== b[k].shape.join())
      return `${k}: ${a[k].dtype}[${a[k].shape}] vs ${b[k].dtype}[${b[k].shape}]`;
    if (bits(a[k]) !== bits(b[k])) {
      const x = a[k].dataSync();
      const y = b[k].dataSync();
      const i = x.findIndex((v, j) => !Object.is(v, y[j]));
      return `${k}[${i}]: ${x[i]} vs ${y[i]}`;
    }
  }
  return null;
}

/** Disagreements beyond TOLERANCE, per output. */
function disagreements(got: Record<string, tt.Tensor>, ref: Record<string, tt.Tensor>): string[] {
  return Object.keys(ref).flatMap((k) => {
    const d = disagreement(got[k], ref[k]);
    return d === null ? [] : [`${k}: ${d}`];
  });
}

function child(
  seed: number,
  backend?: string,
): { hash: string; stream: number[]; backend: string } {
  const args = ['--import', 'tsx', CHILD, String(seed), ...(backend ? [backend] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('determinism', () => {
  it('the same seed gives bit-identical results in one process', () => {
    for (const name of Object.keys(PROGRAMS)) {
      const a = run(name, 7);
      const b = run(name, 7);
      assert.equal(firstDifference(a, b), null, name);
    }
  });

  it('a different seed gives different results (the comparison can fail)', () => {
    const a = run('randomness', 7);
    const b = run('randomness', 8);
    assert.notEqual(firstDifference(a, b), null);
    assert.notEqual(fingerprint({ r: a }), fingerprint({ r: b }));
  });

  it('two child processes give the same bits as this process', () => {
    const here = fingerprint(runAll(7));
    const one = child(7);
    const two = child(7);
    assert.equal(one.hash, two.hash);
    assert.equal(one.hash, here);
    assert.notEqual(child(8).hash, here);
  });

  it('the random stream is pinned: uniform bit for bit, normal within 4 ulp', () => {
    // uniform uses integer arithmetic only; normal goes through Math.log/cos/sin, which
    // ECMAScript lets engines approximate, so it is pinned within a few ulp.
    tt.random.setSeed(42);
    const normal = Array.from(tt.random.normal([4], { dtype: 'float64' }).dataSync());
    const uniform = Array.from(tt.random.uniform([4], { dtype: 'float64' }).dataSync());
    const normalBig = Array.from(
      tt.random.normal([3], { seed: 2 ** 40 + 3, dtype: 'float64' }).dataSync(),
    );
    const uniform32 = Array.from(tt.random.uniform([3], { seed: -7 }).dataSync());
    assert.deepEqual(
      uniform,
      [0.8806870827450254, 0.1833730151847529, 0.9688792075315185, 0.7725575551217816],
    );
    assert.deepEqual(uniform32, [0.7974509000778198, 0.960638165473938, 0.06823991239070892]);
    const near = (got: number[], want: number[]): void =>
      got.forEach((g, i) =>
        assert.ok(
          Math.abs(g - want[i]) <= 4 * Number.EPSILON * Math.abs(want[i]),
          `${g} vs ${want[i]}`,
        ),
      );
    near(normal, [1.1226591822802086, 0.9491474351894811, 0.40412785633822706, 0.0387374413085134]);
    near(normalBig, [0.5217103215713185, -0.9190424398901754, -0.12352442194666033]);
  });

  it('an op seed equals a fresh global seed, and does not advance the global stream', () => {
    tt.random.setSeed(5);
    const a = tt.random.normal([6], { dtype: 'float64' });
    const b = tt.random.normal([6], { seed: 5, dtype: 'float64' });
    assert.equal(bits(a), bits(b));
    tt.random.setSeed(9);
    tt.random.uniform([3], { seed: 1 });
    const after = tt.random.uniform([3]);
    tt.random.setSeed(9);
    assert.equal(bits(after), bits(tt.random.uniform([3])));
  });
});

describe('backends agree with js', () => {
  /** A backend that perturbs float results by a couple of ulp, as another summation order does. */
  const perturbed: tt.Backend = {
    name: 'test-reordered',
    kernels: Object.fromEntries(
      Object.entries(jsKernels).map(([k, kern]) => [
        k,
        (inputs: any, attrs: any, out: any) => {
          const r = (kern as any)(inputs, attrs, out);
          if (r instanceof Float32Array || r instanceof Float64Array) {
            const ulp = r instanceof Float32Array ? 2 ** -22 : 2 ** -51;
            for (let i = 0; i < r.length; i += 3) r[i] *= 1 + ulp;
          }
          return r;
        },
      ]),
    ),
  };
  const wrongExp: tt.Backend = {
    name: 'test-wrong-exp',
    kernels: {
      Exp: (inputs: any, attrs: any, out: any) => {
        const r = (jsKernels.Exp as any)(inputs, attrs, out);
        for (let i = 0; i < r.length; i++) r[i] *= 1.001;
        return r;
      },
    },
  };

  const compare = (backend: string): string[] => {
    const problems: string[] = [];
    const original = tt.getBackend();
    for (const name of Object.keys(PROGRAMS)) {
      tt.setBackend('js');
      const ref = run(name, 11);
      tt.setBackend(backend);
      try {
        const got = run(name, 11);
        for (const d of disagreements(got, ref)) problems.push(`${backend} ${name}.${d}`);
      } finally {
        tt.setBackend(original);
      }
    }
    return problems;
  };

  for (const b of BACKENDS.filter((n) => n !== 'js')) {
    it(`${b} agrees with js within the stated tolerance on every program`, () => {
      assert.deepEqual(compare(b), []);
    });
    it(`${b}: the same seed gives the same bits in a child process`, () => {
      const here = (() => {
        const original = tt.getBackend();
        tt.setBackend(b);
        try {
          return fingerprint(runAll(7));
        } finally {
          tt.setBackend(original);
        }
      })();
      assert.equal(child(7, b).hash, here);
    });
  }

  it('the comparison accepts summation-order noise and rejects a wrong kernel', () => {
    const before = tt.getBackend();
    tt.registerBackend(perturbed);
    tt.registerBackend(wrongExp);
    assert.deepEqual(compare('test-reordered'), []);
    const wrong = compare('test-wrong-exp');
    assert.ok(
      wrong.some((p) => /kernels\.exp/.test(p)),
      wrong.join('\n'),
    );
    assert.equal(tt.getBackend(), before);
  });
});
