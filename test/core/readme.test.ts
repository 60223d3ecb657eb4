// The README's code runs as written (with the package import pointed at the sources).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'node:test';

it("the README's TypeScript example runs", () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0);
  const dir = mkdtempSync(join(resolve('test'), '.readme-'));
  const file = join(dir, 'example.ts');
  const src = resolve('src/index.ts');
  writeFileSync(
    file,
    blocks.join('\n').replace(/from 'tensortape'/g, `from ${JSON.stringify(src)}`),
  );
  try {
    execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
