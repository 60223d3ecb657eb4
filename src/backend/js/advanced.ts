// Reference kernels of the linalg and nn primitives (merged into the pure-TypeScript backend).
import type { Kernel } from '../backend.js';

export const advancedKernels: Record<never, Kernel> = {};
