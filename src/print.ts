// TF-style printing of tensors: NumPy's array layout and float formatting, with TS-style shape brackets.
//
// Floats follow NumPy's `str()` of an array (what TensorFlow prints): the shortest digits that
// round-trip in the tensor's dtype, at most 8 fractional digits in arrays, positional notation unless
// the magnitudes call for scientific, one decimal digit at least (`4.0`, never `4.`), columns padded
// so decimal points align, lines wrapped at 75 characters, and arrays over 1,000 elements elided to
// their first and last three entries per axis.

import type { DType, TypedArray } from './dtype.js';

const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const PRECISION = 8;

/** Shortest decimal digits that round-trip a value of the given float dtype, as JS exponent-free parts. */
function shortest(x: number, dtype: DType): string {
  if (dtype !== 'float32') return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** Splits a JS number string into sign, digit string (no leading zeros) and decimal exponent. */
function decompose(s: string): { neg: boolean; digits: string; exp: number } {
  let neg = false;
  if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let intPart = dot >= 0 ? s.slice(0, dot) : s;
  const fracPart = dot >= 0 ? s.slice(dot + 1) : '';
  let digits = intPart + fracPart;
  // value = 0.digits * 10^(exp + intPart.length)
  let point = exp + intPart.length;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') {
    intPart = '0';
    return { neg, digits: '', exp: 0 };
  }
  return { neg, digits, exp: point - 1 };
}

/** Positional digits: integer part and fractional part (fraction capped at `maxFrac` by rounding). */
function positional(x: number, dtype: DType, maxFrac: number): { int: string; frac: string } {
  const neg = x < 0 || Object.is(x, -0);
  const { digits, exp } = decompose(shortest(Math.abs(x), dtype));
  let int: string;
  let frac: string;
  if (digits === '') {
    int = '0';
    frac = '';
  } else if (exp >= 0) {
    int =
      digits.length > exp + 1
        ? digits.slice(0, exp + 1)
        : digits + '0'.repeat(exp + 1 - digits.length);
    frac = digits.slice(exp + 1);
  } else {
    int = '0';
    frac = '0'.repeat(-exp - 1) + digits;
  }
  if (frac.length > maxFrac) {
    const fixed = Math.abs(x).toFixed(maxFrac);
    const [i, f = ''] = fixed.split('.');
    int = i;
    frac = f.replace(/0+$/, '');
  }
  return { int: (neg ? '-' : '') + int, frac };
}

/** Scientific digits: mantissa integer digit, mantissa fraction and exponent (as NumPy: e+05). */
function scientific(
  x: number,
  dtype: DType,
  maxFrac: number,
): { int: string; frac: string; exp: string } {
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return { int: neg ? '-0' : '0', frac: '', exp: 'e+00' };
  let { digits, exp } = decompose(shortest(Math.abs(x), dtype));
  if (digits.length - 1 > maxFrac) {
    const s = Math.abs(x).toExponential(maxFrac);
    ({ digits, exp } = decompose(s));
  }
  const e = Math.abs(exp);
  return {
    int: (neg ? '-' : '') + digits[0],
    frac: digits.slice(1),
    exp: `e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : String(e)}`,
  };
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/**
 * Formats one float the way NumPy's `str()` of a scalar does: positional for 1e-4 <= |x| < 1e16
 * (1e6 in float32), scientific otherwise (`1e+08`, `1.2345679e+08`).
 */
export function formatFloatScalar(x: number, dtype: DType): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const a = Math.abs(x);
  if (a === 0 || (a >= 1e-4 && a < (dtype === 'float32' ? 1e6 : 1e16))) {
    const { int, frac } = positional(x, dtype, Infinity);
    return `${int}.${frac || '0'}`;
  }
  const { int, frac, exp } = scientific(x, dtype, Infinity);
  return `${int}${frac ? '.' + frac : ''}${exp}`;
}

function pad(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** Builds the element formatter for an array: NumPy's FloatingFormat in 'maxprec' mode, etc. */
function elementFormatter(values: ArrayLike<number>, dtype: DType): (x: number) => string {
  if (dtype === 'bool') {
    let anyFalse = false;
    for (let i = 0; i < values.length; i++) if (!values[i]) anyFalse = true;
    return (x) => (x ? (anyFalse ? ' True' : 'True') : 'False');
  }
  if (dtype === 'int32') {
    let width = 1;
    for (let i = 0; i < values.length; i++) width = Math.max(width, String(values[i]).length);
    return (x) => pad(String(x), width);
  }
  const finite: number[] = [];
  let anyNonFinite = false;
  let negInf = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) finite.push(v);
    else {
      anyNonFinite = true;
      if (v === -Infinity) negInf = true;
    }
  }
  let maxVal = 0;
  let minVal = Infinity;
  for (const v of finite) {
    const a = Math.abs(v);
    if (a !== 0) {
      maxVal = Math.max(maxVal, a);
      minVal = Math.min(minVal, a);
    }
  }
  const expFormat =
    finite.length > 0 && maxVal > 0 && (maxVal >= 1e8 || minVal < 1e-4 || maxVal / minVal > 1e3);
  if (finite.length === 0) {
    const w = anyNonFinite ? (negInf ? 4 : 3) : 0;
    return (x) => pad(nonFinite(x), w);
  }
  if (!expFormat) {
    const parts = finite.map((v) => positional(v, dtype, PRECISION));
    let padLeft = Math.max(...parts.map((p) => p.int.length));
    const padRight = Math.max(1, ...parts.map((p) => p.frac.length));
    if (anyNonFinite)
      padLeft = Math.max(padLeft, 3 - (padRight + 1), (negInf ? 4 : 3) - (padRight + 1));
    return (x) => {
      if (!Number.isFinite(x)) return pad(nonFinite(x), padLeft + padRight + 1);
      const p = positional(x, dtype, PRECISION);
      return pad(p.int, padLeft) + '.' + (p.frac || '0').padEnd(padRight, ' ');
    };
  }
  const parts = finite.map((v) => scientific(v, dtype, PRECISION));
  const precision = Math.max(1, ...parts.map((p) => p.frac.length));
  const expSize = Math.max(...parts.map((p) => p.exp.length)) - 1;
  const padLeft = Math.max(...parts.map((p) => p.int.length));
  const width = padLeft + 1 + precision + expSize + 1;
  return (x) => {
    if (!Number.isFinite(x)) return pad(nonFinite(x), width);
    const p = scientific(x, dtype, precision);
    const digits = (p.frac + '0'.repeat(precision)).slice(0, precision);
    const e = p.exp.slice(0, 2) + p.exp.slice(2).padStart(expSize - 1, '0');
    return pad(p.int, padLeft) + '.' + digits + e;
  };
}

/** Indices of an axis of length n that are shown (all, or the first and last EDGE_ITEMS). */
function shownIndices(n: number, summarize: boolean): { lead: number; trail: number } {
  if (summarize && n > 2 * EDGE_ITEMS) return { lead: EDGE_ITEMS, trail: EDGE_ITEMS };
  return { lead: n, trail: 0 };
}

/** Formats the values of a tensor (not the `Tensor(...)` wrapper) as NumPy's `str()` does. */
export function formatValues(
  data: TypedArray | ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
): string {
  const size = data.length;
  const rank = shape.length;
  if (rank === 0) {
    const v = data[0];
    if (dtype === 'bool') return v ? 'True' : 'False';
    if (dtype === 'int32') return String(v);
    return formatFloatScalar(v, dtype);
  }
  const summarize = size > THRESHOLD;
  const strides: number[] = new Array(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // The values that will be shown decide the column format, as in NumPy.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === rank) {
      shown.push(data[offset]);
      return;
    }
    const n = shape[axis];
    const { lead, trail } = shownIndices(n, summarize);
    for (let i = 0; i < lead; i++) collect(axis + 1, offset + i * strides[axis]);
    for (let i = n - trail; i < n; i++) collect(axis + 1, offset + i * strides[axis]);
  };
  if (size > 0) collect(0, 0);
  const fmt = elementFormatter(shown, dtype);
  if (size === 0) return '[]';

  const recurse = (axis: number, offset: number, hanging: string, width: number): string => {
    if (axis === rank) return fmt(data[offset]);
    const nextHanging = hanging + ' ';
    const nextWidth = width - 1;
    const n = shape[axis];
    const summary = summarize && n > 2 * EDGE_ITEMS;
    const idx: (number | null)[] = [];
    if (summary) {
      for (let i = 0; i < EDGE_ITEMS; i++) idx.push(i);
      idx.push(null);
      for (let i = n - EDGE_ITEMS; i < n; i++) idx.push(i);
    } else for (let i = 0; i < n; i++) idx.push(i);
    let out = '';
    if (rank - axis === 1) {
      let line = hanging;
      idx.forEach((i, k) => {
        const word =
          i === null
            ? '...'
            : recurse(axis + 1, offset + i * strides[axis], nextHanging, nextWidth);
        if (line.length + word.length > width - 1 && line.length > hanging.length) {
          out += line.trimEnd() + '\n';
          line = hanging;
        }
        line += word;
        if (k < idx.length - 1) line += ' ';
      });
      out += line;
    } else {
      const sep = '\n'.repeat(rank - axis - 1);
      idx.forEach((i, k) => {
        const nested =
          i === null
            ? '...'
            : recurse(axis + 1, offset + i * strides[axis], nextHanging, nextWidth);
        out += hanging + nested + (k < idx.length - 1 ? sep : '');
      });
    }
    return '[' + out.slice(hanging.length) + ']';
  };
  return recurse(0, 0, ' ', LINE_WIDTH);
}

/** `Tensor(<values>, shape=[..], dtype=..)`, continuation lines indented under the values. */
export function formatTensor(
  data: TypedArray | ArrayLike<number>,
  shape: readonly number[],
  dtype: DType,
  prefix = 'Tensor',
): string {
  const values = formatValues(data, shape, dtype);
  const open = values.includes('\n') ? `${prefix}(\n` : `${prefix}(`;
  return `${open}${values}, shape=[${shape.join(', ')}], dtype=${dtype})`;
}
