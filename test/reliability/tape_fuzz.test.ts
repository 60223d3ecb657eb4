// Random interleavings of record, watch, stopRecording, reset and gradient on persistent, nested
// and multi-tape recordings, run on the library and on a reference model of TF's tape semantics
// (tape_model.ts) in lockstep: what is watched and connected, value or null, when errors are thrown.
// A failure prints the shrunk program as pseudo-code.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { fcParams } from './config.js';
import * as tt from '../../src/index.js';
import { Divergence, programArb, runProgram, type Program, type RunStats } from './tape_model.js';

const newStats = (): RunStats => ({
  commands: 0,
  gradients: 0,
  errors: 0,
  values: 0,
  higherOrder: 0,
});
const stats = newStats();
let programs = 0;

describe('GradientTape against a reference model of TF tape semantics', () => {
  it('random programs agree with the model', () => {
    fc.assert(
      fc.property(programArb(), (p: Program) => {
        programs++;
        runProgram(p, stats);
      }),
      fcParams(1500),
    );
  });

  it('a program: d(x·x)/dx, then the second gradient of a non-persistent tape throws', () => {
    const p: Program = {
      tapes: [{ persistent: false, watchAccessedVariables: true }],
      vars: [
        { trainable: true, value: 1 },
        { trainable: true, value: 2 },
      ],
      inputs: [2],
      body: [
        {
          k: 'record',
          tape: 0,
          watch: [{ t: 'in', i: 0 }],
          throws: false,
          body: [{ k: 'op', op: 'mul', a: { t: 'in', i: 0 }, b: { t: 'in', i: 0 } }],
        },
        {
          k: 'gradient',
          tape: 0,
          targets: [0],
          sources: [{ t: 'in', i: 0 }],
          asObject: false,
          zero: false,
        },
      ],
    };
    const s = newStats();
    runProgram(p, s); // 4, as the model says
    assert.equal(s.values, 1);
    runProgram({ ...p, body: [...p.body, p.body[1]] }, s);
    assert.equal(s.errors, 1);
  });

  it('the harness reports a library that disagrees with the model', () => {
    const p: Program = {
      tapes: [{ persistent: true, watchAccessedVariables: true }],
      vars: [
        { trainable: true, value: 1 },
        { trainable: false, value: 2 },
      ],
      inputs: [3],
      body: [
        {
          k: 'record',
          tape: 0,
          watch: [],
          throws: false,
          body: [{ k: 'op', op: 'mul', a: { t: 'var', i: 0 }, b: { t: 'in', i: 0 } }],
        },
        {
          k: 'gradient',
          tape: 0,
          targets: [0],
          sources: [{ t: 'var', i: 0 }],
          asObject: true,
          zero: false,
        },
        { k: 'watched', tape: 0 },
      ],
    };
    runProgram(p, newStats());
    const proto = tt.GradientTape.prototype as any;
    const patch = (name: string, fn: (orig: any) => any, expected: RegExp): void => {
      const orig = proto[name];
      proto[name] = fn(orig);
      try {
        assert.throws(
          () => runProgram(p, newStats()),
          (e: unknown) => {
            assert.ok(e instanceof Divergence, String(e));
            assert.match(e.message, expected);
            return true;
          },
        );
      } finally {
        proto[name] = orig;
      }
    };
    patch('watchedVariables', () => () => [], /watchedVariables\(\) gave \[\], expected \[v0\]/);
    patch(
      'gradient',
      (orig) =>
        function (this: unknown, ...a: unknown[]) {
          const g = orig.apply(this, a);
          return { s0: g.s0.mul(2) };
        },
      /is 6, expected 3/,
    );
    patch('gradient', () => () => ({ s0: null }), /is null, expected 3/);
  });
});

after(() => {
  console.log(
    `# tape model: ${programs} programs, ${stats.commands} commands, ${stats.gradients} gradient calls (${stats.values} tensor entries, ${stats.higherOrder} of a gradient), ${stats.errors} expected errors`,
  );
});
