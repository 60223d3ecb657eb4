// The peers the benchmark compares: each is one library in one mode, run in its own process.

import { build } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Library, Libs } from './types.js';

export interface Peer {
  /** As shown in the report. */
  readonly name: string;
  readonly library: Library;
  readonly mode: string;
}

export const PEERS: readonly Peer[] = [
  { name: 'tensortape wasm', library: 'tensortape', mode: 'wasm' },
  { name: 'tensortape js', library: 'tensortape', mode: 'js' },
  { name: 'tfjs wasm', library: 'tfjs', mode: 'wasm' },
  { name: 'tfjs cpu', library: 'tfjs', mode: 'cpu' },
  { name: 'jax-js eager', library: 'jax', mode: 'eager' },
  { name: 'jax-js jit', library: 'jax', mode: 'jit' },
];

/** The peer every ratio is taken against. */
export const BASELINE = 'tensortape wasm';

/** Loads a peer's library (in the peer's own process) and selects its mode. */
export async function loadPeer(peer: Peer): Promise<Libs> {
  const libs: { tt?: unknown; tf?: unknown; jax?: unknown; mode: string } = { mode: peer.mode };
  if (peer.library === 'tensortape') {
    const tt = await import('../../src/node.js');
    tt.setBackend(peer.mode);
    // Let the worker threads start, as they would in any program that runs for a while.
    await new Promise((r) => setTimeout(r, 300));
    libs.tt = tt;
  } else if (peer.library === 'tfjs') {
    const tf = await import('@tensorflow/tfjs-core');
    await registerTfjsGradients();
    if (peer.mode === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    else await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend(peer.mode);
    await tf.ready();
    libs.tf = tf;
  } else {
    const jax = await import('@jax-js/jax');
    await jax.init('wasm');
    jax.defaultDevice('wasm');
    libs.jax = jax;
  }
  return libs as unknown as Libs;
}

/**
 * tfjs-core registers its gradients only when `register_all_gradients` is imported (the tfjs
 * umbrella package does it for its users), and that file is published as ES modules with directory
 * imports Node cannot resolve: bundle it once here. The registry lives on globalThis, so the
 * bundled copy registers into the same engine the backends use.
 */
async function registerTfjsGradients(): Promise<void> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'silent',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tensortape-bench-')), 'tfjs-gradients.mjs');
  writeFileSync(file, result.outputFiles[0].text);
  await import(pathToFileURL(file).href);
}
