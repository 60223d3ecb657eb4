// The core runs in browsers: a browser bundle of src/index.ts (no Node built-ins, no `process`)
// runs the seed's computations inside a bare JavaScript context.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';

it('a browser bundle of the library imports nothing Node-only and runs without Node globals', async () => {
  const result = await build({
    entryPoints: ['src/index.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'tt',
    write: false,
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  const code = result.outputFiles[0].text;
  const printed: string[] = [];
  // A context with only what a browser page has that the library might touch.
  const context = vm.createContext({
    console: { log: (s: unknown) => printed.push(String(s)), warn: () => {} },
  });
  vm.runInContext(code, context);
  vm.runInContext(
    `
    const x = tt.variable(2.0), y = tt.variable(3.0);
    const t = new tt.GradientTape();
    const z = t.record(() => x.mul(x).add(t.stopRecording(() => y.mul(y))));
    const g = t.gradient(z, { x, y });
    console.log(String(g.x));
    console.log(String(g.y));
    const x0 = tt.constant(0.0);
    const tape = new tt.GradientTape();
    const s = tape.record(() => { tape.watch(x0); return tt.nn.sigmoid(x0); });
    console.log(tape.gradient(s, x0).item());
    `,
    context,
  );
  assert.deepEqual(printed, ['Tensor(4.0, shape=[], dtype=float32)', 'null', '0.25']);
  assert.equal(typeof (context as { process?: unknown }).process, 'undefined');
});
