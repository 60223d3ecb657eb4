// `npm start`: runs the seed notebook, then every other guide, in order.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The guides, in the order they run. */
export const GUIDES = ['advanced-autodiff.ts', 'autodiff.ts', 'advanced-autodiff-guide.ts'];

const here = dirname(fileURLToPath(import.meta.url));
for (const guide of GUIDES) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, guide)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log();
}
