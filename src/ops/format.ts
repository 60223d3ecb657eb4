// `tt.formatValues`: values printed as NumPy prints them (what TF's `.numpy()` shows in Python).

import { tensor } from '../convert.js';
import type { DType } from '../dtype.js';
import { formatValues as format } from '../print.js';
import { Tensor } from '../tensor.js';

/**
 * Formats a tensor's values, or JS numbers/nested arrays read as `dtype` (default float32), the way
 * NumPy prints them: `formatValues(4, 'float32')` is `'4.0'`, as Python prints `t.numpy()`.
 *
 * @example
 * tt.formatValues(tt.tensor([1, 2.5])); // '[1.0 2.5]'
 * tt.formatValues(0.25); // '0.25'
 */
export function formatValues(value: unknown, dtype?: DType): string {
  let t: Tensor;
  try {
    t = value instanceof Tensor ? value : tensor(value, undefined, dtype);
  } catch (e) {
    throw new TypeError(`formatValues: ${(e as Error).message.replace(/^tensor: /, '')}`);
  }
  return format(t.values(), t.shape, t.dtype);
}
