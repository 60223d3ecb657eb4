// The WebAssembly kernels of tensortape's 'wasm' backend (AssemblyScript with SIMD). Memory is
// imported and managed by the host: every pointer is a byte offset the TypeScript side allocated.

export { gemmBatch, gemmScratchBytes, conv2dForward, conv2dFilter } from './matmul';
export { unaryF32, binaryF32, compareF32 } from './elementwise';
export { reduceF32 } from './reduce';
export { gemmExact } from './exact';
