// Runs the @example blocks of the op catalogue's TSDoc: every line `expression; // value` must give
// that value (numbers within float32 precision), and the other lines must run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as tt from '../../src/index.js';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const FILES = [
  'prims/elementwise.ts',
  'prims/math.ts',
  'prims/activations.ts',
  'prims/reduce.ts',
  'prims/shape.ts',
  'prims/indexing.ts',
  'prims/cast.ts',
  'prims/linalg.ts',
  'ops/catalogue.ts',
  'testing/index.ts',
];

/** The @example blocks of a file: the ` * ` lines after ` * @example`, up to the next tag. */
function examples(file: string): { line: number; code: string[] }[] {
  const lines = readFileSync(join(src, file), 'utf8').split('\n');
  const out: { line: number; code: string[] }[] = [];
  lines.forEach((l, i) => {
    if (!/^\s*\* @example\s*$/.test(l)) return;
    const code: string[] = [];
    for (let k = i + 1; k < lines.length && /^\s*\* /.test(lines[k]); k++) {
      if (/^\s*\* @/.test(lines[k])) break;
      code.push(lines[k].replace(/^\s*\* /, ''));
    }
    out.push({ line: i + 1, code });
  });
  return out;
}

/** The value a `// comment` states (JSON after dropping a trailing parenthesis), or undefined. */
function stated(comment: string): unknown {
  const text = comment.replace(/\s*\(.*\)\s*$/, '').trim();
  try {
    return JSON.parse(text.replace(/'/g, '"'));
  } catch {
    return undefined;
  }
}

function same(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number')
    return (
      typeof actual === 'number' &&
      (actual === expected || Math.abs(actual - expected) <= 1e-6 * Math.abs(expected))
    );
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => same(actual[i], e))
    );
  return actual === expected;
}

describe('TSDoc examples of the op catalogue run and give what they say', () => {
  for (const file of FILES) {
    const blocks = examples(file);
    it(`${file} has examples`, () => assert.ok(blocks.length > 0));
    for (const ex of blocks) {
      it(`${file}:${ex.line}`, () => {
        let expected = 0;
        const body = ex.code
          .map((l) => {
            const m = /^(.*?);\s*\/\/\s*(.+)$/.exec(l);
            const value = m === null ? undefined : stated(m[2]);
            if (m === null || value === undefined) return l;
            expected++;
            return `__check(${m[1]}, ${JSON.stringify(value)}, ${JSON.stringify(l)});`;
          })
          .join('\n');
        const js = ts.transpileModule(body, {
          compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        }).outputText;
        let checked = 0;
        const check = (actual: unknown, value: unknown, line: string) => {
          checked++;
          assert.ok(same(actual, value), `${line}\n  gives ${JSON.stringify(actual)}`);
        };
        new Function('tt', '__check', js)(tt, check);
        assert.equal(checked, expected);
      });
    }
  }
});
