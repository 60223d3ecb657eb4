// Reference kernels of the op catalogue's primitives (merged into the pure-TypeScript backend).
import type { Kernel } from '../backend.js';

export const catalogueKernels: Record<never, Kernel> = {};
