// Index arithmetic shared by the reference kernels: broadcast strides and an odometer over shapes.

/** Strides of `shape` (right-aligned against a result of rank `rank`), 0 along broadcast axes. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = i + rank - shape.length;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/**
 * Calls `inner(offsets, count, innerStrides)` for each run along the last axis of `outShape`, with
 * the starting offset of every operand; operands are described by their strides against outShape.
 */
export function forEachRow(
  outShape: readonly number[],
  strides: readonly (readonly number[])[],
  inner: (offsets: number[], count: number) => void,
): void {
  const rank = outShape.length;
  const n = strides.length;
  const offsets = new Array<number>(n).fill(0);
  if (rank === 0) {
    inner(offsets, 1);
    return;
  }
  for (let i = 0; i < rank; i++) if (outShape[i] === 0) return;
  const last = outShape[rank - 1];
  const idx = new Array<number>(rank).fill(0);
  for (;;) {
    inner(offsets, last);
    // advance the odometer over axes [0, rank-1)
    let axis = rank - 2;
    while (axis >= 0) {
      idx[axis]++;
      for (let k = 0; k < n; k++) offsets[k] += strides[k][axis];
      if (idx[axis] < outShape[axis]) break;
      for (let k = 0; k < n; k++) offsets[k] -= strides[k][axis] * idx[axis];
      idx[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}
