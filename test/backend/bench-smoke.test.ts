// The benchmark's smoke run (`npm run bench:smoke`): every workload at tiny sizes, every peer in its
// own process, each result checked against its float64 reference. It must finish with tensortape's
// results all correct (peers' own failures are only reported). No timing is asserted.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';

it('npm run bench:smoke checks every workload on every peer', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  for (const w of ['W1', 'W2', 'W3', 'W4', 'W5', 'W6']) {
    const lines = r.stdout.split('\n').filter((l) => l.startsWith(`${w} `));
    assert.ok(lines.length > 0, `${w} ran`);
    for (const line of lines) {
      // tensortape's cells: a measured value, or an op that has not landed yet.
      for (const peer of ['tensortape wasm', 'tensortape js']) {
        const cell = new RegExp(`${peer}: ([^;]*)`).exec(line)?.[1] ?? '';
        assert.match(cell, /^(\d|not available yet)/, `${peer} on ${line.split(':')[0]}: ${cell}`);
      }
    }
  }
  for (const peer of ['tfjs wasm', 'tfjs cpu', 'jax-js eager', 'jax-js jit']) {
    assert.ok(r.stdout.includes(`${peer}: `), `${peer} took part`);
  }
});
