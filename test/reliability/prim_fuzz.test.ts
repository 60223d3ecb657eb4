// Random programs composed of primitives on random shapes (prim_programs.ts), checked in float64:
// forward and reverse mode against finite differences at orders 1 and 2 (checkGrads), the
// vectorized jacobian against the looping one, and vmap against a loop over examples. A failure
// prints the shrunk program with every intermediate shape.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import * as tt from '../../src/index.js';
import { fcParams } from './config.js';
import {
  availableOps,
  compile,
  describe as describeProgram,
  inputsOf,
  primProgramArb,
  type PrimProgram,
} from './prim_programs.js';

const seen = { programs: 0, rejected: 0, steps: new Map<string, number>() };

function close(got: tt.Tensor, want: tt.Tensor, tol: number, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const a = got.dataSync();
  const b = want.dataSync();
  for (let k = 0; k < a.length; k++) {
    const ok =
      Math.abs(a[k] - b[k]) <= tol * (1 + Math.abs(b[k])) ||
      (Number.isNaN(a[k]) && Number.isNaN(b[k]));
    if (!ok) assert.fail(`${what}: element ${k} is ${a[k]}, expected ${b[k]}`);
  }
}

/** The program's checkable form, or null when the probe finds a kink, a tie or a huge value. */
function prepare(p: PrimProgram): ((...xs: tt.Tensor[]) => tt.Tensor) | null {
  const d = describeProgram(p);
  if (d.problems.length > 0) {
    seen.rejected++;
    return null;
  }
  seen.programs++;
  for (const s of p.steps) seen.steps.set(s.op, (seen.steps.get(s.op) ?? 0) + 1);
  return compile(p);
}

describe('random programs of primitives (float64)', () => {
  it('forward and reverse mode agree with finite differences at orders 1 and 2', () => {
    fc.assert(
      fc.property(primProgramArb(), (p) => {
        const f = prepare(p);
        fc.pre(f !== null);
        // Central differences with step 1e-5, near the float64 optimum (cube root of the machine
        // epsilon): truncation error eps²·f'''/6 stays well inside the 1e-5 tolerance for the
        // compositions drawn here (the default 1e-4 step is not: second derivatives of values up to
        // 1e4 have third derivatives in the thousands).
        tt.test.checkGrads(f!, inputsOf(p), { order: 2, modes: ['fwd', 'rev'], eps: 1e-5 });
      }),
      { ...fcParams(120), maxSkipsPerRun: 1000 },
    );
  });

  it('the vectorized jacobian equals the looping one', () => {
    fc.assert(
      fc.property(primProgramArb(), (p) => {
        const f = prepare(p);
        fc.pre(f !== null);
        const xs = inputsOf(p);
        const tape = new tt.GradientTape({ persistent: true });
        const y = tape.record(() => {
          tape.watch(xs);
          return f!(...xs);
        });
        const fast: (tt.Tensor | null)[] = tape.jacobian(y, xs);
        const slow: (tt.Tensor | null)[] = tape.jacobian(y, xs, { experimentalUsePfor: false });
        fast.forEach((g, i) => {
          if (g === null || slow[i] === null) assert.equal(g, slow[i], `jacobian ${i}: null`);
          else close(g, slow[i]!, 1e-12, `jacobian ${i}`);
        });
      }),
      { ...fcParams(60), maxSkipsPerRun: 1000 },
    );
  });

  it('third derivatives of short programs, forward and reverse', () => {
    fc.assert(
      fc.property(primProgramArb(availableOps(), 3), (p) => {
        const f = prepare(p);
        fc.pre(f !== null);
        tt.test.checkGrads(f!, inputsOf(p), { order: 3, modes: ['fwd', 'rev'], eps: 1e-5 });
      }),
      { ...fcParams(25), maxSkipsPerRun: 1000 },
    );
  });

  it('vmap over a batch of 3 (batch axis first or last) equals a loop over the examples', () => {
    fc.assert(
      fc.property(
        primProgramArb(),
        fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
        (p, last) => {
          const f = prepare(p);
          fc.pre(f !== null);
          const batch = [0, 1, 2].map((k) => inputsOf({ ...p, seed: p.seed + 1000 * k }));
          const inAxes = p.shapes.map((s, i) => (last[i] ? s.length : 0));
          const stacked = p.shapes.map((_, i) =>
            tt.stack(
              batch.map((xs) => xs[i]),
              inAxes[i],
            ),
          );
          const want = tt.stack(batch.map((xs) => f!(...xs)));
          close(tt.vmap(f!, inAxes)(...stacked), want, 1e-12, `vmap with inAxes [${inAxes}]`);
        },
      ),
      { ...fcParams(80), maxSkipsPerRun: 1000 },
    );
  });

  it('a wrong derivative is caught (the check can fail)', () => {
    // sin with a deliberately wrong gradient must fail checkGrads in both modes.
    const badSin = tt.customGradient((x: tt.Tensor) => ({
      value: tt.sin(x),
      grad: (dy: tt.Tensor) => tt.mul(dy, tt.cos(x)).mul(1.01),
    }));
    const x = tt.tensor([0.3, -0.7], [2], 'float64');
    assert.throws(() => tt.test.checkGrads(badSin, [x], { order: 1, modes: ['rev'] }), /VJP/);
    assert.throws(() => tt.test.checkGrads(badSin, [x], { order: 1, modes: ['fwd'] }), /JVP/);
  });
});

after(() => {
  const missing = Object.keys(Object.fromEntries(availableOps().map((k) => [k, 1]))).filter(
    (k) => !seen.steps.has(k),
  );
  console.log(
    `# primitive programs: ${seen.programs} checked, ${seen.rejected} rejected by the probe; ` +
      `ops used: ${[...seen.steps].map(([k, v]) => `${k} ${v}`).join(', ')}` +
      (missing.length > 0 ? `; never drawn: ${missing.join(', ')}` : ''),
  );
});
