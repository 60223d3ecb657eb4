// Both TensorFlow autodiff guides run end to end as examples and print TensorFlow's values for the
// deterministic cells (and the shapes for random ones); their figures are written as SVG and PNG.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GUIDES } from '../../examples/run-all.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(example: string, figures: string[]): string {
  for (const name of figures)
    for (const ext of ['svg', 'png'])
      rmSync(join(root, 'out', 'figures', `${name}.${ext}`), { force: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'examples', example)], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${example} failed:\n${r.stderr}`);
  return r.stdout;
}

/** Asserts that `lines` appear in `out`, in this order. */
function inOrder(out: string, lines: string[]): void {
  let at = 0;
  for (const line of lines) {
    const i = out.indexOf(line, at);
    assert.ok(i >= 0, `missing (in order): ${JSON.stringify(line)}\n--- output ---\n${out}`);
    at = i + line.length;
  }
}

function figure(name: string): void {
  for (const ext of ['svg', 'png']) {
    const p = join(root, 'out', 'figures', `${name}.${ext}`);
    assert.ok(existsSync(p) && statSync(p).size > 1000, `figure ${p} was not written`);
  }
}

describe('guides', () => {
  it('npm start runs the seed, then both guides', () => {
    assert.deepEqual(GUIDES, ['advanced-autodiff.ts', 'autodiff.ts', 'advanced-autodiff-guide.ts']);
  });

  it('Introduction to gradients and automatic differentiation', () => {
    const out = run('autodiff.ts', ['autodiff-sigmoid']);
    inOrder(out, [
      '## Gradient tapes\n6.0\n[3, 2]\n[3, 2]\nTensor([',
      'shape=[2], dtype=float32)',
      'kernel, shape: [3, 2]\nbias, shape: [2]',
      'Tensor(6.0, shape=[], dtype=float32)\nnull\nnull\nnull',
      "['x0']",
      '6.0\ndy/dx0: null\ndy/dx1: 0.9999546',
      '18.0\n[  4.0 108.0]\n[2.0 6.0]',
      '4.0\n-0.25\n3.75\n7.0',
      '## Control flow\nTensor(1.0, shape=[], dtype=float32)\nnull\nnull',
      '## Cases where gradient returns None\nnull',
      'Variable : Tensor(1.0, shape=[], dtype=float32)\nTensor : null\nnull\nnull\nnull',
      'LookupError: gradient registry has no entry for: AdjustContrastv2',
      'Tensor([0.0 0.0], shape=[2], dtype=float32)',
    ]);
    figure('autodiff-sigmoid');
  });

  it('Advanced automatic differentiation', () => {
    const figures = [
      'advanced-jacobian-sigmoid',
      'advanced-hessian',
      'advanced-batch-slice',
      'advanced-batch-patches',
      'advanced-batchnorm-patches',
    ];
    const out = run('advanced-autodiff-guide.ts', figures);
    const four = 'dz/dx: Tensor(4.0, shape=[], dtype=float32)\ndz/dy: null';
    inOrder(out, [
      four,
      four,
      four,
      '## Custom gradients\nTensor(2.0, shape=[], dtype=float32)',
      '## Multiple tapes\n1.0\n0.25',
      'dy_dx: 3.0\nd2y_dx2: 6.0',
      '[TensorShape([5, 10]), TensorShape([10])]',
      '[201]\n[201]',
      '[7, 10]\n[5, 10]\n[7, 10, 5, 10]\ng.shape: [5, 10]\ndelta: ',
      'layer.kernel.shape: [5, 8]\nh.shape: [5, 8, 5, 8]\n[figure] out/figures/advanced-hessian',
      '[7, 6]\n[7, 6, 7, 5]',
      '[7, 6, 5]\n[7, 6, 5]\n[7, 6, 5]\n0.0',
      'j.shape: [7, 6, 7, 5]',
      'jb.shape: [7, 6, 5]',
    ]);
    figures.forEach(figure);
  });
});
