// Node only: enables WebAssembly relaxed SIMD (fused multiply-add) where V8 implements it but ships
// it behind a flag. Node 20's V8 (11.3) has the finished implementation that V8 11.4 (Chrome 114,
// Node 22) enables by default; with it the matrix kernels run about 1.4x faster. The flag only adds
// opcodes that modules may use; it changes nothing for modules that do not. Must be imported before
// the kernels are compiled. Also lets the kernels allocate large outputs without zeroing them first
// (Buffer.allocUnsafeSlow: each output is a whole ArrayBuffer of its own, filled by the kernel).

import { createRequire } from 'node:module';
import { RELAXED_PROBE, SIMD_PROBE } from './binary.js';
import { setUninitializedAllocator } from './runtime.js';

interface BufferModule {
  Buffer: { allocUnsafeSlow(size: number): { buffer: ArrayBuffer; byteOffset: number } };
}

interface V8Module {
  setFlagsFromString(flags: string): void;
}

function validates(bytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

const versions = (globalThis as { process?: { versions?: { v8?: string } } }).process?.versions;
const major = Number(versions?.v8?.split('.')[0]);
const require = createRequire(import.meta.url);
if (major === 11 && validates(SIMD_PROBE) && !validates(RELAXED_PROBE)) {
  const v8 = require('node:v8') as V8Module;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

const { Buffer } = require('node:buffer') as BufferModule;
setUninitializedAllocator((bytes) => {
  const b = Buffer.allocUnsafeSlow(bytes);
  // allocUnsafeSlow never hands out part of a shared pool, but check rather than assume.
  return b.byteOffset === 0 && b.buffer.byteLength === bytes ? b.buffer : new ArrayBuffer(bytes);
});
