// Runs the built package (dist/) in a headless Chromium, on two pages: one cross-origin isolated
// (COOP/COEP headers, so SharedArrayBuffer and Web Worker threads are available) and one not.
// Each page checks that the 'wasm' backend took over, how many threads its kernels use, that a
// 384×384 matmul and a batchJacobian agree with the pure-TypeScript backend, and a tape gradient.
//
//   npm run build && node scripts/browser-check.mjs      (needs Chromium: CHROMIUM=/path or on PATH)
//
// Exits 1 if any check fails. Not part of `npm test`: CI machines have no browser.

import { spawn, execFileSync } from 'node:child_process';
import { setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(join(root, 'dist/index.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(1);
}

function findChromium() {
  if (process.env.CHROMIUM) return process.env.CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      /* next */
    }
  }
  console.error('no Chromium found: install it (e.g. apt-get install chromium) or set CHROMIUM');
  process.exit(1);
}

// The page: imports the package as a browser would and reports what it saw.
const PAGE = `<!doctype html><meta charset="utf-8"><title>tensortape browser check</title>
<script type="module">
const report = (r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) });
try {
  const tt = await import('/dist/index.js');
  const { getRuntime } = await import('/dist/backend/wasm/runtime.js');
  await tt.ready();
  const r = { isolated: self.crossOriginIsolated === true, backends: tt.backends(), backend: tt.getBackend() };
  const rt = getRuntime();
  // Worker threads report ready asynchronously: give them a moment.
  for (let i = 0; i < 50 && rt !== null && rt.threads === 1; i++) await new Promise((f) => setTimeout(f, 100));
  r.threads = rt === null ? 0 : rt.threads;
  r.hardwareConcurrency = navigator.hardwareConcurrency;

  const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  const a = tt.random.normal([384, 384], { seed: 1 });
  const b = tt.random.normal([384, 384], { seed: 2 });
  tt.setBackend('wasm');
  let c = tt.matMul(a, b);
  // Speed of the transposed product, best of 5 runs of 20 (informational, not checked).
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) c = tt.matMul(a, b, true, false);
    best = Math.min(best, performance.now() - t0);
  }
  r.matmulGflops = Math.round((20 * 2 * 384 ** 3) / (best * 1e6) * 10) / 10;
  const cw = tt.matMul(a, b).dataSync();
  const ctw = c.dataSync();
  tt.setBackend('js');
  r.matmulMaxDiff = Math.max(maxDiff(cw, tt.matMul(a, b).dataSync()), maxDiff(ctw, tt.matMul(a, b, true, false).dataSync()));

  const x = tt.random.normal([16, 8], { seed: 3 });
  const w = tt.random.normal([8, 8], { seed: 4, stddev: 0.3 });
  const bj = () => {
    const tape = new tt.GradientTape({ persistent: true });
    const y = tape.record(() => { tape.watch(x); return tt.tanh(tt.matMul(x, w)); });
    return tape.batchJacobian(y, x).dataSync();
  };
  tt.setBackend('wasm');
  const jw = bj();
  tt.setBackend('js');
  r.batchJacobianMaxDiff = maxDiff(jw, bj());

  tt.setBackend('wasm');
  const v = tt.scalar(3.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => { tape.watch(v); return tt.mul(v, v); });
  r.gradient = tape.gradient(y, v).toString();
  await report(r);
} catch (e) {
  await report({ error: String(e && e.stack || e) });
}
</script>`;

const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

async function check(isolated) {
  let resolveResult;
  const result = new Promise((f) => (resolveResult = f));
  const headers = isolated
    ? {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      }
    : {};
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'POST' && url.pathname === '/result') {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.end('ok');
      resolveResult(JSON.parse(body));
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html', ...headers });
      res.end(PAGE);
      return;
    }
    const path = normalize(join(root, url.pathname));
    if (!path.startsWith(join(root, 'dist'))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(path);
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'text/plain', ...headers });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((f) => server.listen(0, '127.0.0.1', f));
  const port = server.address().port;
  const profile = mkdtempSync(join(tmpdir(), 'tensortape-chromium-'));
  const browser = spawn(
    findChromium(),
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      `http://127.0.0.1:${port}/`,
    ],
    { stdio: 'ignore' },
  );
  const timeout = new Promise((f) =>
    setTimeout(() => f({ error: 'no report within 60 s' }), 60000),
  );
  const r = await Promise.race([result, timeout]);
  const exited = new Promise((f) => browser.once('exit', f));
  browser.kill();
  await exited;
  server.close();
  try {
    // Chromium's helper processes may still be writing to the profile for a moment.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  } catch (e) {
    console.warn(`could not remove the browser profile ${profile}: ${e.message}`);
  }
  return r;
}

let failed = 0;
for (const isolated of [true, false]) {
  const r = await check(isolated);
  const name = isolated ? 'cross-origin isolated page' : 'page without isolation';
  console.log(`${name}: ${JSON.stringify(r)}`);
  const problems = [];
  if (r.error) problems.push(r.error);
  else {
    if (r.isolated !== isolated) problems.push(`crossOriginIsolated is ${r.isolated}`);
    if (r.backend !== 'wasm') problems.push(`backend after ready() is ${r.backend}, not wasm`);
    const wantThreads = isolated ? Math.min(r.hardwareConcurrency, 8) : 1;
    if (r.threads !== wantThreads)
      problems.push(`${r.threads} kernel threads, expected ${wantThreads}`);
    if (!(r.matmulMaxDiff < 1e-3)) problems.push(`matmul differs from js by ${r.matmulMaxDiff}`);
    if (!(r.batchJacobianMaxDiff < 1e-5))
      problems.push(`batchJacobian differs from js by ${r.batchJacobianMaxDiff}`);
    if (r.gradient !== 'Tensor(6.0, shape=[], dtype=float32)')
      problems.push(`gradient printed as ${r.gradient}`);
  }
  for (const p of problems) console.log(`  FAIL: ${p}`);
  if (problems.length === 0) console.log('  ok');
  failed += problems.length > 0 ? 1 : 0;
}
process.exit(failed > 0 ? 1 : 0);
