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

type Elements = { [i: number]: number; readonly length: number };

/**
 * Copies the elements of `src` at `offset + Σ idx[k]·strides[k]`, for every index of `shape` in
 * row-major order, into `dst` from position 0: transpose, broadcast and slice in one loop with no
 * per-row closure (a strided gather).
 */
export function stridedCopy(
  src: Elements,
  offset: number,
  stridesIn: readonly number[],
  shapeIn: readonly number[],
  dst: Elements,
): void {
  const [shape, [strides]] = coalesce(shapeIn, [stridesIn]);
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[offset];
    return;
  }
  let size = 1;
  for (let i = 0; i < rank; i++) size *= shape[i];
  if (size === 0) return;
  const last = shape[rank - 1];
  const inc = strides[rank - 1];
  const rows = size / last;
  const idx = new Int32Array(rank);
  let base = offset;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    let p = base;
    if (inc === 1) for (let j = 0; j < last; j++) dst[o++] = src[p++];
    else if (inc === 0) {
      const v = src[p];
      for (let j = 0; j < last; j++) dst[o++] = v;
    } else for (let j = 0; j < last; j++, p += inc) dst[o++] = src[p];
    for (let ax = rank - 2; ax >= 0; ax--) {
      base += strides[ax];
      if (++idx[ax] < shape[ax]) break;
      base -= strides[ax] * shape[ax];
      idx[ax] = 0;
    }
  }
}

/**
 * Merges adjacent axes that are contiguous in every operand (stride[k-1] = stride[k]·shape[k]),
 * so loops run over long rows: `[32, 64, 32]` against a broadcast `[64, 32]` becomes `[32, 2048]`.
 * Returns the merged shape and the operands' merged strides.
 */
export function coalesce(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
): [number[], number[][]] {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 1) continue; // a length-1 axis adds nothing to any offset
    const m = outShape.length;
    if (m > 0 && strides.every((s, i) => outStrides[i][m - 1] === s[k] * shape[k])) {
      outShape[m - 1] *= shape[k];
      strides.forEach((s, i) => (outStrides[i][m - 1] = s[k]));
    } else {
      outShape.push(shape[k]);
      strides.forEach((s, i) => outStrides[i].push(s[k]));
    }
  }
  return [outShape, outStrides];
}
