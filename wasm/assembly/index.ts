// The WebAssembly kernels of tensortape's 'wasm' backend (AssemblyScript with SIMD). Memory is
// imported and managed by the host: every pointer is a byte offset the TypeScript side allocated.

export { gemmBatch, gemmScratchBytes, conv2dForward, conv2dFilter } from './matmul';
export {
  unaryNeg,
  unaryAbs,
  unarySquare,
  unarySqrt,
  unaryRelu,
  unaryReciprocal,
  unaryFloor,
  unaryCeil,
  unaryRound,
  unarySign,
  unaryExp,
  unaryLog,
  unaryTanh,
  unarySigmoid,
  unarySin,
  unaryCos,
  binaryAdd,
  binarySub,
  binaryMul,
  binaryDiv,
  binaryMaximum,
  binaryMinimum,
  binaryTanhGrad,
  binarySigmoidGrad,
  binaryReluGrad,
  compareGreater,
  compareGreaterEqual,
  compareLess,
  compareLessEqual,
  compareEqual,
  compareNotEqual,
} from './elementwise';
export { reduceF32 } from './reduce';
export { stridedCopy32 } from './copy';
export { gemmExact } from './exact';
