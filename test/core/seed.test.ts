// The seed notebook, reproduced: examples/advanced-autodiff.ts prints TensorFlow's values.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';

it('examples/advanced-autodiff.ts prints the notebook values', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/advanced-autodiff.ts'], {
    encoding: 'utf8',
  });
  const expected = [
    'dz_dx: 4.0',
    'dz_dy: null',
    'dz/dx: Tensor(4.0, shape=[], dtype=float32)',
    'dz/dy: null',
    'dz/dx: Tensor(4.0, shape=[], dtype=float32)',
    'dz/dy: null',
    'Tensor(nan, shape=[], dtype=float32)',
    'Tensor(1.0, shape=[], dtype=float32)',
    'Tensor(2.0, shape=[], dtype=float32)',
    '1.0',
    '0.25',
  ];
  const lines = out
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('In ['));
  assert.deepEqual(lines, expected);
});
