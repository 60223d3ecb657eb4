// Runs every test file under test/ with node's test runner (TypeScript through tsx), shows the spec
// report, and ends with one summary line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test'];
const files = [];
const walk = (p) => {
  if (statSync(p).isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
  else if (p.endsWith('.test.ts')) files.push(p);
};
roots.forEach(walk);

const tap = join(mkdtempSync(join(tmpdir(), 'tensortape-test-')), 'report.tap');
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
let passed = 0;
let failed = 0;
try {
  const report = readFileSync(tap, 'utf8');
  passed = Number(/^# pass (\d+)/m.exec(report)?.[1] ?? 0);
  failed = Number(/^# fail (\d+)/m.exec(report)?.[1] ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
