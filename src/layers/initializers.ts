// Weight initializers for layers (Keras's names), drawing from tt.random's global generator so that
// `tt.random.setSeed(n)` makes layer weights reproducible.

import { tensor } from '../convert.js';
import { checkDType, type DType } from '../dtype.js';
import { fillTensor } from '../prims/elementwise.js';
import { normal, uniform } from '../random.js';
import type { Tensor } from '../tensor.js';

/** A function making an initial value, or one of Keras's initializer names. */
export type Initializer =
  | ((shape: number[], dtype: DType) => Tensor)
  | 'glorotUniform'
  | 'glorotNormal'
  | 'heUniform'
  | 'heNormal'
  | 'lecunNormal'
  | 'randomNormal'
  | 'randomUniform'
  | 'zeros'
  | 'ones';

/** Fan-in and fan-out of a weight shape (Keras's rule: receptive field times channels). */
function fans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  const receptive = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

/** Normal values truncated to two standard deviations (redrawn), as Keras's variance scaling. */
function truncatedNormal(shape: number[], stddev: number, dtype: DType): Tensor {
  const t = normal(shape, { stddev, dtype: 'float64' });
  const v = t.values();
  for (let i = 0; i < v.length; i++) {
    while (Math.abs(v[i]) > 2 * stddev)
      v[i] = normal([1], { stddev, dtype: 'float64' }).values()[0];
  }
  return dtype === 'float64' ? t : tensor(v, shape, dtype);
}

const snake = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The initializer names, in camelCase (Keras's snake_case spellings are accepted too). */
const NAMES = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunNormal',
  'randomNormal',
  'randomUniform',
  'zeros',
  'ones',
];

/** Throws unless `init` is a function or an initializer name (`option`: the option it came from). */
export function checkInitializer(init: unknown, where: string, option?: string): void {
  if (typeof init === 'function' || (typeof init === 'string' && NAMES.includes(snake(init))))
    return;
  const got = typeof init === 'string' ? JSON.stringify(init) : String(init);
  const of = option === undefined ? '' : ` for ${option}`;
  throw new RangeError(
    `${where}: unknown initializer ${got}${of}; expected a function or one of ${NAMES.join(', ')}`,
  );
}

/** Makes an initial value of `shape` and `dtype` with `init` (a function or a name). */
export function initialize(init: Initializer | string, shape: number[], dtype: DType): Tensor {
  checkDType(dtype, 'initializer');
  if (typeof init === 'function') {
    const t = init(shape.slice(), dtype);
    if (t.dtype !== dtype || t.shape.join() !== shape.join()) {
      throw new TypeError(
        `initializer: expected a ${dtype} tensor of shape [${shape.join(', ')}], got ${t.dtype} [${t.shape.join(', ')}]`,
      );
    }
    return t;
  }
  const [fanIn, fanOut] = fans(shape);
  switch (snake(String(init))) {
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return uniform(shape, { minval: -limit, maxval: limit, dtype });
    }
    case 'glorotNormal':
      return truncatedNormal(shape, Math.sqrt(2 / (fanIn + fanOut)) / 0.8796256610342398, dtype);
    case 'heUniform': {
      const limit = Math.sqrt(6 / fanIn);
      return uniform(shape, { minval: -limit, maxval: limit, dtype });
    }
    case 'heNormal':
      return truncatedNormal(shape, Math.sqrt(2 / fanIn) / 0.8796256610342398, dtype);
    case 'lecunNormal':
      return truncatedNormal(shape, Math.sqrt(1 / fanIn) / 0.8796256610342398, dtype);
    case 'randomNormal':
      return normal(shape, { stddev: 0.05, dtype });
    case 'randomUniform':
      return uniform(shape, { minval: -0.05, maxval: 0.05, dtype });
    case 'zeros':
      return fillTensor(shape, 0, dtype);
    case 'ones':
      return fillTensor(shape, 1, dtype);
    default:
      checkInitializer(init, 'initializer');
      throw new Error(`initializer: ${String(init)} has no implementation`);
  }
}
