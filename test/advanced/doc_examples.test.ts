// Runs the @example blocks of the TSDoc in the transforms, linalg/nn primitives, layers and
// optimizers, checking each `expression; // value` line against the value in its comment.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as tt from '../../src/index.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const FILES = [
  'transforms.ts',
  'prims/linalg_advanced.ts',
  'prims/einsum.ts',
  'prims/nn.ts',
  'prims/losses.ts',
  'layers/dense.ts',
  'layers/batch_norm.ts',
  'optimizers/sgd.ts',
  'optimizers/adam.ts',
];

/** The @example blocks of a file: consecutive ` * ` lines after ` * @example`. */
function examples(file: string): { line: number; code: string[] }[] {
  const lines = readFileSync(join(src, file), 'utf8').split('\n');
  const out: { line: number; code: string[] }[] = [];
  lines.forEach((l, i) => {
    if (!/^\s*\* @example\s*$/.test(l)) return;
    const code: string[] = [];
    for (
      let k = i + 1;
      k < lines.length && /^\s*\* /.test(lines[k]) && !/^\s*\* @/.test(lines[k]);
      k++
    )
      code.push(lines[k].replace(/^\s*\* /, ''));
    out.push({ line: i + 1, code });
  });
  return out;
}

/** The value a `// comment` states: JSON (quotes normalised), `≈ x` for a rough value; else null. */
function stated(comment: string): { value: unknown; approx: boolean } | null {
  let text = comment.replace(/\s*\(.*\)\s*$/, '').trim();
  const approx = text.startsWith('≈');
  if (approx) text = text.slice(1).trim();
  try {
    return { value: JSON.parse(text.replace(/'/g, '"')), approx };
  } catch {
    return null;
  }
}

function same(actual: unknown, expected: unknown, tol: number): boolean {
  if (typeof expected === 'number')
    return (
      typeof actual === 'number' && Math.abs(actual - expected) <= tol * (1 + Math.abs(expected))
    );
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => same(actual[i], e, tol))
    );
  return actual === expected;
}

describe('TSDoc examples run and print what they say', () => {
  for (const file of FILES) {
    for (const ex of examples(file)) {
      it(`${file}:${ex.line}`, () => {
        const checks: string[] = [];
        const body = ex.code
          .map((l) => {
            const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(l);
            const s = m ? stated(m[2]) : null;
            if (m === null || s === null) return l;
            checks.push(l);
            return `__check(${m[1]}, ${JSON.stringify(s.value)}, ${s.approx}, ${JSON.stringify(l)});`;
          })
          .join('\n');
        const js = ts.transpileModule(body, {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        }).outputText;
        let checked = 0;
        const check = (actual: unknown, expected: unknown, approx: boolean, line: string) => {
          checked++;
          assert.ok(
            same(actual, expected, approx ? 2e-2 : 1e-6),
            `${line}\n  gives ${JSON.stringify(actual)}`,
          );
        };
        new Function('tt', '__check', js)(tt, check);
        assert.equal(checked, checks.length);
      });
    }
  }
});
