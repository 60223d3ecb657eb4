// Shapes: validation, sizes, strides, broadcasting and axis normalisation shared by every op.

export type Shape = number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** The largest number of elements one tensor may hold (a typed array's practical limit). */
export const MAX_SIZE = 2 ** 31 - 1;

/** Throws unless `shape` is an array of non-negative integers whose product is allocatable. */
export function checkShape(shape: unknown, where: string): Shape {
  if (!Array.isArray(shape)) {
    throw new TypeError(
      `${where}: shape must be an array of non-negative integers, got ${String(shape)}`,
    );
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `${where}: shape must be an array of non-negative integers, got [${shape.map(String).join(', ')}]`,
      );
    }
  }
  const size = sizeOf(shape);
  if (size > MAX_SIZE) {
    throw new RangeError(
      `${where}: shape ${formatShape(shape)} has ${size} elements, more than ${MAX_SIZE}`,
    );
  }
  return shape.slice();
}

/** NumPy broadcasting of two shapes, or null when they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): Shape | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

/** Normalises one axis (negative counts from the end) against `rank`, or throws naming the op. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  if (
    typeof axis !== 'number' ||
    !Number.isInteger(axis) ||
    axis < -rank ||
    axis >= Math.max(rank, 0)
  ) {
    throw new RangeError(
      `${where}: axis ${String(axis)} is out of range for a tensor of rank ${rank} (expected an integer in [${-rank}, ${rank - 1}])`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalises an axis argument (undefined = all axes, a number, or an array) to sorted unique
 * non-negative axes.
 */
export function normalizeAxes(
  axis: number | readonly number[] | undefined | null,
  rank: number,
  where: string,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list))
    throw new TypeError(
      `${where}: axis must be a number or an array of numbers, got ${String(axis)}`,
    );
  const out = new Set<number>();
  for (const a of list) {
    const n = normalizeAxis(a, rank, where);
    if (out.has(n)) throw new RangeError(`${where}: axis ${a} is repeated in [${list.join(', ')}]`);
    out.add(n);
  }
  return [...out].sort((x, y) => x - y);
}
