// The bad-input catalogue: for every public export, calls that must fail, and what the error must
// say (the function, the argument, what was expected). bad_input.test.ts enumerates the exports
// of src/index.ts and fails for any export without an entry here, so new exports cannot go
// unchecked. Entries for families of ops are generated (non-tensor operands, wrong dtypes, bad
// axes, bad shapes); the rest are written out.
import * as tt from '../../src/index.js';

const T = tt as unknown as Record<string, any>;
/** A public function by dotted path, looked up at call time (the catalogue of ops grows). */
const fn = (path: string): any => path.split('.').reduce<any>((o, k) => o?.[k], T);

export type Kind =
  | 'non-tensor'
  | 'dtype'
  | 'shape'
  | 'axis'
  | 'size'
  | 'large'
  | 'value'
  | 'async'
  | 'tape-state'
  | 'callback';

export interface Fixtures {
  f32: tt.Tensor; // [2, 3] float32
  f64: tt.Tensor; // [2, 3] float64
  i32: tt.Tensor; // [2, 3] int32
  b: tt.Tensor; // [2, 3] bool
  v: tt.Variable; // [2, 3] float32, trainable
  img: tt.Tensor; // [1, 4, 4, 1]
  filt: tt.Tensor; // [2, 2, 1, 1]
}

export function makeFixtures(): Fixtures {
  const f32 = tt.tensor([1, -2, 3, 0.5, 2, -1], [2, 3]);
  return {
    f32,
    f64: tt.cast(f32, 'float64'),
    i32: tt.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32'),
    b: tt.greater(f32, 0),
    v: tt.variable(tt.ones([2, 3]), { name: 'catalogueVariable' }),
    img: tt.ones([1, 4, 4, 1]),
    filt: tt.ones([2, 2, 1, 1]),
  };
}

export interface BadCase {
  readonly what: string;
  readonly kind: Kind;
  readonly call: (f: Fixtures) => unknown;
  /** The argument the message must name (omitted where the function takes one tensor). */
  readonly arg?: RegExp;
  /** What the message must say was expected. */
  readonly expect: RegExp;
  /** The function the message must name (default: the export's own name). */
  readonly fn?: RegExp;
  /** A known bug: why this case fails today, and where. The test is kept and reported as todo. */
  readonly todo?: string;
}
export type Entry = { readonly cases: readonly BadCase[] } | { readonly exempt: string };

// ---- families ---------------------------------------------------------------------------------------

const NON_TENSORS: readonly [string, unknown][] = [
  ['a string', 'abc'],
  ['a plain object', { a: 1 }],
  ['undefined', undefined],
  ['null', null],
  ['a symbol', Symbol('s')],
  ['a function', () => 1],
];
const EXPECT_TENSOR = /expected a Tensor|expected a number/;

function nonTensor(
  call: (f: Fixtures, bad: unknown) => unknown,
  opts: { arg?: RegExp; todo?: string; fn?: RegExp; where?: string } = {},
): BadCase[] {
  return NON_TENSORS.map(([what, bad]) => ({
    what: `${opts.where ?? 'x'} is ${what}`,
    kind: 'non-tensor' as const,
    call: (f: Fixtures) => call(f, bad),
    arg: opts.arg,
    fn: opts.fn,
    expect: EXPECT_TENSOR,
    todo: opts.todo,
  }));
}

type Dtypes = 'float' | 'numeric' | 'bool' | 'any';

function dtypeCases(call: (x: tt.Tensor) => unknown, f: Dtypes, argName = 'x'): BadCase[] {
  const arg = new RegExp(`\\b${argName}\\b`);
  const cases: BadCase[] = [];
  if (f === 'float')
    cases.push({
      what: `${argName} is int32`,
      kind: 'dtype',
      call: (x) => call(x.i32),
      arg,
      expect: /int32.*expected float32 or float64/,
    });
  if (f === 'float' || f === 'numeric')
    cases.push({
      what: `${argName} is bool`,
      kind: 'dtype',
      call: (x) => call(x.b),
      arg,
      expect: /bool.*expected float32 or float64/,
    });
  if (f === 'bool')
    cases.push({
      what: `${argName} is float32`,
      kind: 'dtype',
      call: (x) => call(x.f32),
      arg,
      expect: /float32.*expected bool/,
    });
  return cases;
}

function unary(name: string, dtypes: Dtypes, extra: BadCase[] = []): Entry {
  return {
    cases: [
      ...nonTensor((_, bad) => fn(name)(bad)),
      ...dtypeCases((x) => fn(name)(x), dtypes),
      ...extra,
    ],
  };
}

function binary(name: string, dtypes: Dtypes, extra: BadCase[] = []): Entry {
  const cases: BadCase[] = [
    ...nonTensor((f, bad) => fn(name)(f.f32, bad), {
      arg: /\bb\b|second operand/,
      where: 'b',
    }),
    ...nonTensor((f, bad) => fn(name)(bad, f.f32), {
      arg: /\ba\b|first operand/,
      where: 'a',
    }),
    {
      what: 'shapes [2, 3] and [2] do not broadcast',
      kind: 'shape',
      call: (f) =>
        fn(name)(dtypes === 'bool' ? f.b : f.f32, dtypes === 'bool' ? [true, false] : [1, 2]),
      arg: /\[2, 3\].*\[2\]/,
      expect: /broadcast/,
    },
  ];
  if (dtypes !== 'bool')
    cases.push({
      what: 'float32 with float64',
      kind: 'dtype',
      call: (f) => fn(name)(f.f32, f.f64),
      arg: /float32/,
      expect: /different dtypes float32 and float64/,
    });
  if (dtypes === 'numeric')
    cases.push({
      what: 'int32 with 0.5 (lossy)',
      kind: 'dtype',
      call: (f) => fn(name)(f.i32, 0.5),
      arg: /0\.5/,
      expect: /cannot convert 0\.5 to int32/,
    });
  if (dtypes === 'float' || dtypes === 'numeric')
    cases.push({
      what: 'bool operands',
      kind: 'dtype',
      call: (f) => fn(name)(f.b, f.b),
      arg: /operands|\bx\b|\ba\b/,
      expect: /bool.*expected float32 or float64/,
    });
  if (dtypes === 'float')
    cases.push({
      what: 'int32 operands',
      kind: 'dtype',
      call: (f) => fn(name)(f.i32, f.i32),
      arg: /operands|\bx\b|\ba\b/,
      expect: /int32.*expected float32 or float64/,
    });
  if (dtypes === 'bool')
    cases.push({
      what: 'float32 operands',
      kind: 'dtype',
      call: (f) => fn(name)(f.f32, f.f32),
      arg: /operands/,
      expect: /float32.*expected bool/,
    });
  return { cases: [...cases, ...extra] };
}

/** Axis arguments that are out of range, fractional, NaN, infinite, repeated or not numbers. */
function axisCases(call: (f: Fixtures, axis: any) => unknown, rank = 2): BadCase[] {
  const range = new RegExp(`\\[-${rank}, ${rank - 1}\\]`);
  const c = (what: string, axis: unknown, arg: RegExp, expect: RegExp): BadCase => ({
    what: `axis ${what}`,
    kind: 'axis',
    call: (f) => call(f, axis),
    arg,
    expect,
  });
  return [
    c('5 (out of range)', 5, /axis 5/, range),
    c(`-${rank + 1} (out of range)`, -(rank + 1), new RegExp(`axis -${rank + 1}`), range),
    c('0.5 (fractional)', 0.5, /axis 0\.5/, /integer/),
    c('NaN', NaN, /axis NaN/, /integer/),
    c('Infinity', Infinity, /axis Infinity/, /integer/),
    c("'a' (a string)", 'a', /axis/, /integer|number/),
  ];
}

function reduction(name: string, dtypes: Dtypes, opts: { list?: boolean } = {}): Entry {
  const cases = [
    ...nonTensor((_, bad) => fn(name)(bad)),
    ...dtypeCases((x) => fn(name)(x), dtypes),
    ...axisCases((f, axis) => fn(name)(dtypes === 'bool' ? f.b : f.f32, axis)),
  ];
  if (opts.list !== false)
    cases.push({
      what: 'axis [0, 0] (repeated)',
      kind: 'axis',
      call: (f) => fn(name)(dtypes === 'bool' ? f.b : f.f32, [0, 0]),
      arg: /axis/,
      expect: /repeated/,
    });
  return { cases };
}

/** Shapes with negative, fractional, NaN or infinite sizes, non-arrays and absurd sizes. */
function shapeCases(call: (shape: any, f: Fixtures) => unknown, argName = 'shape'): BadCase[] {
  const arg = new RegExp(argName);
  const bad = /non-negative integers/;
  const c = (what: string, shape: unknown, kind: Kind, expect: RegExp): BadCase => ({
    what: `${argName} ${what}`,
    kind,
    call: (f) => call(shape, f),
    arg,
    expect,
  });
  return [
    c('[-1] (negative)', [-1], 'size', bad),
    c('[1.5] (fractional)', [1.5], 'size', bad),
    c('[NaN]', [NaN], 'size', bad),
    c('[Infinity]', [Infinity], 'size', bad),
    c("'abc' (not an array)", 'abc', 'size', bad),
    c('[2, undefined]', [2, undefined], 'size', bad),
    c('[2 ** 31] (too large)', [2 ** 31], 'large', /more than 2147483647/),
    c('[1e6, 1e6, 1e6] (absurdly large)', [1e6, 1e6, 1e6], 'large', /more than 2147483647/),
  ];
}

const dtypeArg = (call: (dtype: any, f: Fixtures) => unknown): BadCase[] =>
  (['float16', 'int64', 'complex64', 1] as const).map((d) => ({
    what: `dtype ${JSON.stringify(d)}`,
    kind: 'dtype' as const,
    call: (f: Fixtures) => call(d, f),
    arg: /dtype/,
    expect: /expected one of float32, float64, int32, bool/,
  }));

const notAFunction = (call: (bad: unknown) => unknown, arg = /function|\bf\b|\bfn\b/): BadCase[] =>
  [1, 'f', undefined, {}].map((bad) => ({
    what: `f is ${bad === undefined ? 'undefined' : JSON.stringify(bad)}`,
    kind: 'callback' as const,
    call: () => call(bad),
    arg,
    expect: /expected a function|must be a function/,
  }));

const c = (
  what: string,
  kind: Kind,
  call: (f: Fixtures) => unknown,
  arg: RegExp | undefined,
  expect: RegExp,
  more: Partial<BadCase> = {},
): BadCase => ({ what, kind, call, arg, expect, ...more });

// ---- the catalogue ------------------------------------------------------------------------------------

const FLOAT_UNARY = [
  'sqrt',
  'rsqrt',
  'reciprocal',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'asinh',
  'acosh',
  'atanh',
  'sigmoid',
  'tanh',
  'softplus',
  'elu',
  'selu',
  'gelu',
  'leakyRelu',
  'erf',
  'erfc',
  'floor',
  'ceil',
  'isFinite',
  'isNaN',
  'isInf',
];
const NUMERIC_UNARY = ['abs', 'neg', 'square', 'sign', 'relu', 'relu6', 'round'];
const FLOAT_BINARY = ['div', 'atan2'];
const NUMERIC_BINARY = [
  'add',
  'sub',
  'mul',
  'pow',
  'maximum',
  'minimum',
  'squaredDifference',
  'floorDiv',
  'mod',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
];

export const CATALOGUE: Record<string, Entry> = {
  ...Object.fromEntries(FLOAT_UNARY.map((n) => [n, unary(n, 'float')])),
  ...Object.fromEntries(NUMERIC_UNARY.map((n) => [n, unary(n, 'numeric')])),
  logicalNot: unary('logicalNot', 'bool'),
  identity: unary('identity', 'any'),
  stopGradient: unary('stopGradient', 'any'),
  zerosLike: unary('zerosLike', 'any'),
  onesLike: unary('onesLike', 'any'),
  ...Object.fromEntries(FLOAT_BINARY.map((n) => [n, binary(n, 'float')])),
  ...Object.fromEntries(NUMERIC_BINARY.map((n) => [n, binary(n, 'numeric')])),
  equal: binary('equal', 'any'),
  notEqual: binary('notEqual', 'any'),
  logicalAnd: binary('logicalAnd', 'bool'),
  logicalOr: binary('logicalOr', 'bool'),
  sum: reduction('sum', 'numeric'),
  mean: reduction('mean', 'numeric'),
  max: reduction('max', 'numeric'),
  min: reduction('min', 'numeric'),
  prod: reduction('prod', 'numeric'),
  any: reduction('any', 'bool'),
  all: reduction('all', 'bool'),
  logSumExp: reduction('logSumExp', 'float'),
  argMax: reduction('argMax', 'numeric', { list: false }),
  argMin: reduction('argMin', 'numeric', { list: false }),
  softmax: {
    cases: [
      ...nonTensor((_, bad) => fn('softmax')(bad)),
      ...dtypeCases((x) => fn('softmax')(x), 'float', 'logits'),
      ...axisCases((f, axis) => fn('softmax')(f.f32, axis)),
    ],
  },
  logSoftmax: {
    cases: [
      ...nonTensor((_, bad) => fn('logSoftmax')(bad)),
      ...dtypeCases((x) => fn('logSoftmax')(x), 'float', 'logits'),
      ...axisCases((f, axis) => fn('logSoftmax')(f.f32, axis)),
    ],
  },
  norm: {
    cases: [
      ...nonTensor((_, bad) => fn('norm')(bad)),
      ...dtypeCases((x) => fn('norm')(x), 'float'),
      ...axisCases((f, axis) => fn('norm')(f.f32, 'euclidean', axis)),
      c("ord 'bogus'", 'value', (f) => fn('norm')(f.f32, 'bogus'), /ord/, /supported/),
      c('ord -1', 'value', (f) => fn('norm')(f.f32, -1), /ord/, /supported|positive/),
      c("ord 'fro' with one axis", 'value', (f) => fn('norm')(f.f32, 'fro', 0), /ord|fro/, /matri/),
    ],
  },
  clipByValue: {
    cases: [
      ...nonTensor((_, bad) => fn('clipByValue')(bad, 0, 1)),
      ...nonTensor((f, bad) => fn('clipByValue')(f.f32, bad, 1), {
        arg: /clipValueMin/,
        where: 'clipValueMin',
      }),
      c(
        'bounds of shape [3, 3] do not broadcast to x [2, 3]',
        'shape',
        (f) => fn('clipByValue')(f.f32, tt.zeros([3, 3]), 1),
        /clipValueMin|bound/,
        /broadcast/,
        { fn: /clipByValue/ },
      ),
    ],
  },
  clipByNorm: {
    cases: [
      ...nonTensor((_, bad) => fn('clipByNorm')(bad, 1)),
      ...axisCases((f, axis) => fn('clipByNorm')(f.f32, 1, axis)),
    ],
  },
  squaredDifference: binary('squaredDifference', 'numeric'),
  where: {
    cases: [
      ...nonTensor((f, bad) => fn('where')(bad, f.f32, f.f32), {
        arg: /condition/,
        where: 'condition',
      }),
      c(
        'float32 condition',
        'dtype',
        (f) => fn('where')(f.f32, f.f32, f.f32),
        /condition/,
        /expected bool/,
      ),
      c(
        'branches [2, 3] and [3, 3] do not broadcast',
        'shape',
        (f) => fn('where')(f.b, f.f32, tt.ones([3, 3])),
        /\[2, 3\].*\[3, 3\]/,
        /broadcast/,
      ),
      c(
        'condition [3] does not broadcast',
        'shape',
        (f) => fn('where')([true, false, true, false], f.f32, f.f32),
        /condition/,
        /broadcast/,
      ),
      c(
        'float32 and float64 branches',
        'dtype',
        (f) => fn('where')(f.b, f.f32, f.f64),
        /float32/,
        /different dtypes/,
      ),
    ],
  },
  cast: {
    cases: [
      ...nonTensor((_, bad) => fn('cast')(bad, 'float32')),
      ...dtypeArg((d, f) => fn('cast')(f.f32, d)),
    ],
  },
  gelu: unary('gelu', 'float'),
  leakyRelu: unary('leakyRelu', 'float', [
    c("alpha 'a'", 'value', (f) => fn('leakyRelu')(f.f32, 'a'), /alpha/, /number/),
  ]),

  // ---- creation ----
  tensor: {
    cases: [
      c(
        'a string',
        'non-tensor',
        () => fn('tensor')('abc'),
        /values|got string/,
        /expected a number/,
      ),
      c(
        'a symbol',
        'non-tensor',
        () => fn('tensor')(Symbol('s')),
        /values|got symbol/,
        /expected a number/,
      ),
      c(
        'ragged [[1, 2], [3]]',
        'shape',
        () => fn('tensor')([[1, 2], [3]]),
        /values\[1\]/,
        /expected length 2/,
      ),
      c(
        "['a'] inside an array",
        'non-tensor',
        () => fn('tensor')([1, 'a']),
        /values\[1\]/,
        /expected numbers/,
      ),
      c(
        '3 values for shape [2]',
        'shape',
        () => fn('tensor')([1, 2, 3], [2]),
        /shape \[2\]/,
        /do not fit/,
      ),
      c(
        '1.5 as int32',
        'dtype',
        () => fn('tensor')(1.5, [], 'int32'),
        /1\.5/,
        /cannot convert 1\.5 to int32/,
      ),
      c(
        '2 as bool',
        'dtype',
        () => fn('tensor')([2], [1], 'bool'),
        /2/,
        /cannot convert 2 to bool/,
      ),
      c(
        '2 ** 31 as int32',
        'dtype',
        () => fn('tensor')(2 ** 31, [], 'int32'),
        /2147483648/,
        /int32/,
      ),
      c(
        'booleans mixed into float32',
        'dtype',
        () => fn('tensor')([true, 1]),
        /booleans/,
        /cannot be mixed/,
      ),
      ...shapeCases((s) => fn('tensor')(0, s)),
      ...dtypeArg((d) => fn('tensor')([1], [1], d)),
    ],
  },
  scalar: {
    cases: [
      ...nonTensor((_, bad) => fn('scalar')(bad)),
      c(
        'an array [1, 2]',
        'non-tensor',
        () => fn('scalar')([1, 2]),
        /got Array/,
        /expected a number or boolean/,
      ),
      ...dtypeArg((d) => fn('scalar')(1, d)),
    ],
  },
  zeros: {
    cases: [...shapeCases((s) => fn('zeros')(s)), ...dtypeArg((d) => fn('zeros')([2], d))],
  },
  ones: {
    cases: [...shapeCases((s) => fn('ones')(s)), ...dtypeArg((d) => fn('ones')([2], d))],
  },
  fill: {
    cases: [
      ...shapeCases((s) => fn('fill')(s, 1)),
      ...nonTensor((_, bad) => fn('fill')([2], bad), { where: 'value' }),
      ...dtypeArg((d) => fn('fill')([2], 1, d)),
    ],
  },
  eye: {
    cases: [
      c('n = -1', 'size', () => fn('eye')(-1), /-1/, /non-negative integers/),
      c('n = 1.5', 'size', () => fn('eye')(1.5), /1\.5/, /non-negative integers/),
      c('n = NaN', 'size', () => fn('eye')(NaN), /NaN/, /non-negative integers/),
      c('n = Infinity', 'size', () => fn('eye')(Infinity), /Infinity/, /non-negative integers/),
      c('m = -1', 'size', () => fn('eye')(2, -1), /-1/, /non-negative integers/),
      c(
        'n = 1e9 (absurdly large)',
        'large',
        () => fn('eye')(1e9),
        /1000000000/,
        /more than 2147483647/,
      ),
    ],
  },
  linspace: {
    cases: [
      c('num = -1', 'size', () => fn('linspace')(0, 1, -1), /-1/, /non-negative integers/),
      c('num = 1.5', 'size', () => fn('linspace')(0, 1, 1.5), /1\.5/, /non-negative integers/),
      c('num = NaN', 'size', () => fn('linspace')(0, 1, NaN), /NaN/, /non-negative integers/),
      c(
        'num = 1e10 (absurdly large)',
        'large',
        () => fn('linspace')(0, 1, 1e10),
        /10000000000/,
        /more than/,
      ),
      c("start 'a'", 'value', () => fn('linspace')('a', 1, 3), /start/, /number/),
    ],
  },
  range: {
    cases: [
      c('delta 0', 'value', () => fn('range')(0, 10, 0), /delta/, /must not be 0/),
      c('limit Infinity', 'size', () => fn('range')(0, Infinity), /limit/, /finite number/),
      c('limit NaN', 'size', () => fn('range')(NaN), /limit/, /finite number/),
      c("limit 'a'", 'value', () => fn('range')('a'), /limit/, /finite number/),
      c(
        '1e12 elements (absurdly large)',
        'large',
        () => fn('range')(0, 1e12),
        /1000000000000/,
        /more than/,
      ),
    ],
  },

  // ---- shape ops ----
  reshape: {
    cases: [
      ...nonTensor((_, bad) => fn('reshape')(bad, [2])),
      ...shapeCases((s, f) => fn('reshape')(f.f32, s))
        .filter((k) => k.kind !== 'large' && !k.what.includes('[-1]')) // -1 infers a size
        .map((k) => ({ ...k, expect: /integers/ })),
      c('[-2, 3] (negative)', 'size', (f) => fn('reshape')(f.f32, [-2, 3]), /shape/, /integers/),
      c(
        '[4] for 6 elements',
        'shape',
        (f) => fn('reshape')(f.f32, [4]),
        /\[2, 3\].*\[4\]/,
        /cannot reshape/,
      ),
      c('two -1', 'shape', (f) => fn('reshape')(f.f32, [-1, -1]), /-1/, /at most one/),
      c(
        '[1e6, 1e6, 1e6]',
        'large',
        (f) => fn('reshape')(f.f32, [1e6, 1e6, 1e6]),
        /shape|1000000/,
        /more than|cannot reshape/,
      ),
    ],
  },
  transpose: {
    cases: [
      ...nonTensor((_, bad) => fn('transpose')(bad)),
      c('perm [0]', 'axis', (f) => fn('transpose')(f.f32, [0]), /perm \[0\]/, /not a permutation/),
      c(
        'perm [0, 0]',
        'axis',
        (f) => fn('transpose')(f.f32, [0, 0]),
        /perm \[0, 0\]/,
        /not a permutation/,
      ),
      c(
        'perm [0, 2]',
        'axis',
        (f) => fn('transpose')(f.f32, [0, 2]),
        /perm \[0, 2\]|axis 2/,
        /not a permutation|\[-2, 1\]/,
      ),
      c(
        'perm [0.5, 1]',
        'axis',
        (f) => fn('transpose')(f.f32, [0.5, 1]),
        /perm|axis 0\.5/,
        /not a permutation|integer/,
      ),
    ],
  },
  expandDims: {
    cases: [
      ...nonTensor((_, bad) => fn('expandDims')(bad, 0)),
      ...axisCases((f, axis) => fn('expandDims')(f.f32, axis), 3),
    ],
  },
  squeeze: {
    cases: [
      ...nonTensor((_, bad) => fn('squeeze')(bad)),
      ...axisCases((f, axis) => fn('squeeze')(f.f32, axis)),
      c('axis 0 of length 2', 'axis', (f) => fn('squeeze')(f.f32, 0), /axis 0/, /expected 1/),
    ],
  },
  broadcastTo: {
    cases: [
      ...nonTensor((_, bad) => fn('broadcastTo')(bad, [2, 3])),
      ...shapeCases((s, f) => fn('broadcastTo')(f.f32, s)).filter((k) => k.kind !== 'large'),
      c(
        '[3, 3]',
        'shape',
        (f) => fn('broadcastTo')(f.f32, [3, 3]),
        /\[2, 3\].*\[3, 3\]/,
        /cannot be broadcast/,
      ),
      c(
        '[1e9, 1e9, 3] (absurdly large)',
        'large',
        (f) => fn('broadcastTo')(f.f32, [1e9, 1e9, 3]),
        /shape/,
        /more than 2147483647/,
      ),
    ],
  },
  slice: {
    cases: [
      ...nonTensor((_, bad) => fn('slice')(bad, [0], [1])),
      c(
        'size past the end',
        'shape',
        (f) => fn('slice')(f.f32, [0, 0], [3, 3]),
        /begin.*size/,
        /do not fit/,
      ),
      c(
        'begin -1',
        'size',
        (f) => fn('slice')(f.f32, [-1, 0], [1, 1]),
        /begin \[-1, 0\]/,
        /do not fit/,
      ),
      c(
        'begin 0.5',
        'size',
        (f) => fn('slice')(f.f32, [0.5, 0], [1, 1]),
        /begin \[0\.5, 0\]/,
        /do not fit|integer/,
      ),
      c(
        'begin NaN',
        'size',
        (f) => fn('slice')(f.f32, [NaN, 0], [1, 1]),
        /begin \[NaN, 0\]/,
        /do not fit|integer/,
      ),
      c(
        'size -2',
        'size',
        (f) => fn('slice')(f.f32, [0, 0], [-2, 1]),
        /size/,
        /do not fit|integer/,
      ),
    ],
  },
  pad: {
    cases: [
      ...nonTensor((_, bad) => fn('pad')(bad, [[0, 0]])),
      c(
        'one pair for rank 2',
        'shape',
        (f) => fn('pad')(f.f32, [[1, 1]]),
        /paddings/,
        /one \[before, after\] pair per axis/,
      ),
      c(
        'negative padding',
        'size',
        (f) =>
          fn('pad')(f.f32, [
            [-1, 1],
            [0, 0],
          ]),
        /padding/,
        /non-negative integers/,
      ),
      c(
        'fractional padding',
        'size',
        (f) =>
          fn('pad')(f.f32, [
            [0.5, 1],
            [0, 0],
          ]),
        /padding/,
        /non-negative integers/,
      ),
      c(
        'NaN padding',
        'size',
        (f) =>
          fn('pad')(f.f32, [
            [NaN, 1],
            [0, 0],
          ]),
        /padding/,
        /non-negative integers/,
      ),
      c(
        "constantValue 'a'",
        'value',
        (f) =>
          fn('pad')(
            f.f32,
            [
              [0, 0],
              [0, 0],
            ],
            'a',
          ),
        /constantValue/,
        /number/,
      ),
      c(
        'paddings of 1e9 (absurdly large)',
        'large',
        (f) =>
          fn('pad')(f.f32, [
            [1e9, 1e9],
            [1e9, 1e9],
          ]),
        /shape|padding/,
        /more than 2147483647/,
      ),
    ],
  },
  concat: {
    cases: [
      ...nonTensor((f, bad) => fn('concat')([f.f32, bad], 0), {
        where: 'tensors[1]',
        arg: /tensors\[1\]/,
      }),
      c('an empty list', 'non-tensor', () => fn('concat')([], 0), /tensors/, /non-empty array/),
      c(
        'not an array',
        'non-tensor',
        (f) => fn('concat')(f.f32, 0),
        /tensors|array/,
        /array of tensors|non-empty array/,
      ),
      c(
        'shapes [2, 3] and [2]',
        'shape',
        (f) => fn('concat')([f.f32, tt.ones([2])], 0),
        /\[2, 3\].*\[2\]/,
        /differ/,
      ),
      c(
        'float32 and float64',
        'dtype',
        (f) => fn('concat')([f.f32, f.f64], 0),
        /float32.*float64/,
        /different dtypes/,
      ),
      ...axisCases((f, axis) => fn('concat')([f.f32, f.f32], axis)),
    ],
  },
  stack: {
    cases: [
      ...nonTensor((f, bad) => fn('stack')([f.f32, bad]), {
        where: 'tensors[1]',
        arg: /tensors\[1\]/,
      }),
      c('an empty list', 'non-tensor', () => fn('stack')([]), /tensors/, /non-empty array/),
      c(
        'shapes [2, 3] and [2, 2]',
        'shape',
        (f) => fn('stack')([f.f32, tt.ones([2, 2])]),
        /\[2, 3\].*\[2, 2\]/,
        /share one shape/,
      ),
      c(
        'float32 and float64',
        'dtype',
        (f) => fn('stack')([f.f32, f.f64]),
        /float32.*float64/,
        /different dtypes/,
      ),
      ...axisCases((f, axis) => fn('stack')([f.f32, f.f32], axis), 3),
    ],
  },
  unstack: {
    cases: [
      ...nonTensor((_, bad) => fn('unstack')(bad)),
      ...axisCases((f, axis) => fn('unstack')(f.f32, axis)),
    ],
  },
  split: {
    cases: [
      ...nonTensor((_, bad) => fn('split')(bad, 2)),
      ...axisCases((f, axis) => fn('split')(f.f32, 1, axis)),
      c(
        '2 parts of an axis of 3',
        'shape',
        (f) => fn('split')(f.f32, 2, 1),
        /numOrSizeSplits 2/,
        /dividing the length 3/,
      ),
      c(
        'sizes [1, 1] for 3',
        'shape',
        (f) => fn('split')(f.f32, [1, 1], 1),
        /sizes \[1, 1\]/,
        /adding up to the length 3/,
      ),
      c(
        '0 parts',
        'size',
        (f) => fn('split')(f.f32, 0, 1),
        /numOrSizeSplits 0/,
        /positive integer/,
      ),
      c(
        '1.5 parts',
        'size',
        (f) => fn('split')(f.f32, 1.5, 1),
        /numOrSizeSplits 1\.5/,
        /positive integer/,
      ),
    ],
  },
  tile: {
    cases: [
      ...nonTensor((_, bad) => fn('tile')(bad, [1])),
      c(
        'one multiple for rank 2',
        'shape',
        (f) => fn('tile')(f.f32, [2]),
        /multiples/,
        /2 non-negative integers/,
      ),
      c(
        'negative multiple',
        'size',
        (f) => fn('tile')(f.f32, [-1, 1]),
        /multiples/,
        /non-negative integers/,
      ),
      c(
        'fractional multiple',
        'size',
        (f) => fn('tile')(f.f32, [1.5, 1]),
        /multiples/,
        /non-negative integers/,
      ),
      c(
        '[1e9, 1e9] (absurdly large)',
        'large',
        (f) => fn('tile')(f.f32, [1e9, 1e9]),
        /shape/,
        /more than 2147483647/,
      ),
    ],
  },
  reverse: {
    cases: [
      ...nonTensor((_, bad) => fn('reverse')(bad)),
      ...axisCases((f, axis) => fn('reverse')(f.f32, axis)),
    ],
  },
  gather: {
    cases: [
      ...nonTensor((_, bad) => fn('gather')(bad, [0])),
      c(
        'index 5 of 2',
        'value',
        (f) => fn('gather')(f.f32, tt.tensor([5], [1], 'int32')),
        /indices\[0\] = 5/,
        /not in \[0, 2\)/,
      ),
      c(
        'index -1',
        'value',
        (f) => fn('gather')(f.f32, tt.tensor([-1], [1], 'int32')),
        /indices\[0\] = -1/,
        /not in \[0, 2\)/,
      ),
      c(
        'float32 indices',
        'dtype',
        (f) => fn('gather')(f.f32, tt.tensor([0.5], [1])),
        /indices/,
        /expected int32/,
      ),
      ...axisCases((f, axis) => fn('gather')(f.f32, tt.tensor([0], [1], 'int32'), axis)),
    ],
  },
  oneHot: {
    cases: [
      ...nonTensor((_, bad) => fn('oneHot')(bad, 3), { arg: /indices/, where: 'indices' }),
      c(
        'float32 indices',
        'dtype',
        () => fn('oneHot')(tt.tensor([0.5], [1]), 3),
        /indices/,
        /expected int32/,
      ),
      c(
        'depth -1',
        'size',
        () => fn('oneHot')(tt.tensor([0], [1], 'int32'), -1),
        /depth/,
        /non-negative integer/,
      ),
      c(
        'depth 1.5',
        'size',
        () => fn('oneHot')(tt.tensor([0], [1], 'int32'), 1.5),
        /depth/,
        /non-negative integer/,
      ),
      c(
        'depth NaN',
        'size',
        () => fn('oneHot')(tt.tensor([0], [1], 'int32'), NaN),
        /depth/,
        /non-negative integer/,
      ),
      c(
        'depth 1e10 (absurdly large)',
        'large',
        () => fn('oneHot')(tt.tensor([0], [1], 'int32'), 1e10),
        /shape|depth/,
        /more than/,
      ),
    ],
  },
  stridedSlice: {
    cases: [
      ...nonTensor((_, bad) => fn('stridedSlice')(bad, [0], [1])),
      c(
        'begin/end/strides lengths 1, 2, 2',
        'shape',
        (f) => fn('stridedSlice')(f.f32, [0], [1, 1], [1, 1]),
        /begin, end and strides/,
        /same length/,
      ),
      c(
        'stride 0',
        'value',
        (f) => fn('stridedSlice')(f.f32, [0, 0], [1, 1], [0, 1]),
        /strides\[0\]/,
        /non-zero/,
      ),
    ],
  },
  index: {
    cases: [
      ...nonTensor((_, bad) => fn('index')(bad, 0)),
      c('index 5 of 2', 'value', (f) => fn('index')(f.f32, 5), /index 5.*axis 0/, /out of bounds/),
      c('index 0.5', 'value', (f) => fn('index')(f.f32, 0.5), /entry 0/, /must be an integer/),
      c(
        'three entries for rank 2',
        'shape',
        (f) => fn('index')(f.f32, 0, 0, 0),
        /3 indices/,
        /rank 2/,
      ),
      c("entry 'a'", 'value', (f) => fn('index')(f.f32, 'a'), /entry 0/, /must be an integer/),
    ],
  },
  unsortedSegmentSum: {
    cases: [
      ...nonTensor((_, bad) => fn('unsortedSegmentSum')(bad, [0, 1], 2), {
        where: 'data',
        arg: /data/,
      }),
      c(
        'numSegments -1',
        'size',
        (f) => fn('unsortedSegmentSum')(f.f32, tt.tensor([0, 1], [2], 'int32'), -1),
        /numSegments/,
        /non-negative integer/,
      ),
      c(
        'segment id 5 of 2',
        'value',
        (f) => fn('unsortedSegmentSum')(f.f32, tt.tensor([0, 5], [2], 'int32'), 2),
        /segmentIds\[1\] = 5/,
        /out of range/,
      ),
      c(
        'segmentIds [3] for data [2, 3]',
        'shape',
        (f) => fn('unsortedSegmentSum')(f.f32, tt.tensor([0, 1, 1], [3], 'int32'), 2),
        /segmentIds shape \[3\]/,
        /prefix/,
      ),
      c(
        'float32 segmentIds',
        'dtype',
        (f) => fn('unsortedSegmentSum')(f.f32, tt.tensor([0, 1], [2]), 2),
        /segmentIds/,
        /expected int32/,
      ),
    ],
  },

  // ---- linear algebra ----
  matMul: {
    cases: [
      ...nonTensor((f, bad) => fn('matMul')(f.f32, bad), {
        where: 'b',
        arg: /\bb\b/,
      }),
      c(
        'inner dimensions 3 and 2',
        'shape',
        (f) => fn('matMul')(f.f32, f.f32),
        /\[2, 3\].*\[2, 3\]/,
        /inner dimensions differ/,
      ),
      c(
        'rank-1 operands',
        'shape',
        () => fn('matMul')(tt.ones([3]), tt.ones([3])),
        /\[3\]/,
        /rank >= 2/,
      ),
      c(
        'batch [2] and [3]',
        'shape',
        () => fn('matMul')(tt.ones([2, 2, 3]), tt.ones([3, 3, 2])),
        /batch dimensions/,
        /not broadcastable/,
      ),
      c(
        'float32 and float64',
        'dtype',
        (f) => fn('matMul')(f.f32, tt.transpose(f.f64)),
        /float32.*float64/,
        /different dtypes/,
      ),
      c('bool operands', 'dtype', (f) => fn('matMul')(f.b, tt.transpose(f.b)), /bool/, /expected/),
    ],
  },
  dot: {
    cases: [
      ...nonTensor((f, bad) => fn('dot')(f.f32, bad), {
        where: 'b',
        arg: /\bb\b/,
      }),
      c(
        'rank 3',
        'shape',
        () => fn('dot')(tt.ones([2, 2, 2]), tt.ones([2])),
        /\[2, 2, 2\]/,
        /vectors or matrices/,
      ),
      c(
        'inner 3 and 2',
        'shape',
        () => fn('dot')(tt.ones([3]), tt.ones([2])),
        /\[3\].*\[2\]/,
        /differ/,
      ),
      c(
        'float32 and float64',
        'dtype',
        (f) => fn('dot')(f.f32, tt.transpose(f.f64)),
        /float32.*float64|dtype/,
        /different|same|expected/,
      ),
    ],
  },
  einsum: {
    cases: [
      c('equation 1', 'value', (f) => fn('einsum')(1, f.f32), /equation/, /must be a string/),
      c(
        'two terms, one operand',
        'shape',
        (f) => fn('einsum')('ij,jk->ik', f.f32),
        /2 operand terms but 1 operands/,
        /has/,
      ),
      c(
        "invalid character '!'",
        'value',
        (f) => fn('einsum')('i!j', f.f32),
        /'!'/,
        /invalid character/,
      ),
      c(
        'label j of sizes 3 and 2',
        'shape',
        (f) => fn('einsum')('ij,jk->ik', f.f32, f.f32),
        /label 'j'/,
        /size 3.*2/,
      ),
      c(
        "output label 'k' not in the inputs",
        'value',
        (f) => fn('einsum')('ij->ijk', f.f32),
        /'k'/,
        /does not appear/,
      ),
      ...nonTensor((_, bad) => fn('einsum')('ij->ji', bad), { arg: /operand/ }),
    ],
  },
  solve: {
    cases: [
      c(
        'matrix [2, 3]',
        'shape',
        (f) => fn('solve')(f.f32, tt.ones([2, 1])),
        /matrix|\[2, 3\]/,
        /square/,
      ),
      c(
        'rhs [3] for a 2x2 matrix',
        'shape',
        () => fn('solve')(tt.eye(2), tt.ones([3])),
        /rhs/,
        /must have shape/,
      ),
      c(
        'int32 matrix',
        'dtype',
        () => fn('solve')(tt.cast(tt.eye(2), 'int32'), tt.ones([2, 1], 'int32')),
        /matrix/,
        /expected float32 or float64/,
      ),
      ...nonTensor((_, bad) => fn('solve')(bad, tt.ones([2, 1])), {
        where: 'matrix',
        arg: /matrix/,
      }),
    ],
  },
  inv: {
    cases: [
      ...nonTensor((_, bad) => fn('inv')(bad)),
      c('[2, 3]', 'shape', (f) => fn('inv')(f.f32), /\[2, 3\]/, /square/),
      c(
        'int32',
        'dtype',
        () => fn('inv')(tt.cast(tt.eye(2), 'int32')),
        /int32/,
        /expected float32 or float64/,
      ),
    ],
  },
  det: {
    cases: [
      ...nonTensor((_, bad) => fn('det')(bad)),
      c('[2, 3]', 'shape', (f) => fn('det')(f.f32), /\[2, 3\]/, /square/),
      c(
        'int32',
        'dtype',
        () => fn('det')(tt.cast(tt.eye(2), 'int32')),
        /int32/,
        /expected float32 or float64/,
      ),
    ],
  },
  cholesky: {
    cases: [
      ...nonTensor((_, bad) => fn('cholesky')(bad)),
      c('[2, 3]', 'shape', (f) => fn('cholesky')(f.f32), /\[2, 3\]/, /square/),
      c(
        'int32',
        'dtype',
        () => fn('cholesky')(tt.cast(tt.eye(2), 'int32')),
        /int32/,
        /expected float32 or float64/,
      ),
    ],
  },

  // ---- neural nets ----
  conv2d: {
    cases: [
      ...nonTensor((f, bad) => fn('conv2d')(bad, f.filt, 1, 'same'), {
        where: 'x',
        arg: /\bx\b/,
      }),
      c('x of rank 2', 'shape', (f) => fn('conv2d')(f.f32, f.filt, 1, 'same'), /\bx\b/, /rank 4/),
      c(
        'filter of rank 2',
        'shape',
        (f) => fn('conv2d')(f.img, tt.ones([2, 2]), 1, 'same'),
        /filter/,
        /rank 4/,
      ),
      c(
        '3 input channels for 1',
        'shape',
        (f) => fn('conv2d')(f.img, tt.ones([2, 2, 3, 1]), 1, 'same'),
        /filter/,
        /must have shape/,
      ),
      c(
        "padding 'bogus'",
        'value',
        (f) => fn('conv2d')(f.img, f.filt, 1, 'bogus'),
        /padding/,
        /'same' or 'valid'/,
      ),
      c(
        'stride 0',
        'size',
        (f) => fn('conv2d')(f.img, f.filt, 0, 'same'),
        /strides/,
        /positive integer/,
      ),
      c(
        'stride 1.5',
        'size',
        (f) => fn('conv2d')(f.img, f.filt, 1.5, 'same'),
        /strides/,
        /positive integer/,
      ),
      c(
        '5x5 filter on 4x4 valid',
        'shape',
        (f) => fn('conv2d')(f.img, tt.ones([5, 5, 1, 1]), 1, 'valid'),
        /window|filter/,
        /does not fit/,
      ),
      c(
        'int32 x',
        'dtype',
        (f) => fn('conv2d')(tt.cast(f.img, 'int32'), tt.cast(f.filt, 'int32'), 1, 'same'),
        /\bx\b|int32/,
        /expected float/,
      ),
    ],
  },
  maxPool: {
    cases: [
      ...nonTensor((_, bad) => fn('maxPool')(bad, 2, 1, 'same')),
      c('x of rank 2', 'shape', (f) => fn('maxPool')(f.f32, 2, 1, 'same'), /\bx\b/, /rank 4/),
      c('window 0', 'size', (f) => fn('maxPool')(f.img, 0, 1, 'same'), /ksize/, /positive integer/),
      c(
        'stride -1',
        'size',
        (f) => fn('maxPool')(f.img, 2, -1, 'same'),
        /strides/,
        /positive integer/,
      ),
      c(
        "padding 'bogus'",
        'value',
        (f) => fn('maxPool')(f.img, 2, 1, 'bogus'),
        /padding/,
        /'same' or 'valid'/,
      ),
      c(
        'window 5 on 4 valid',
        'shape',
        (f) => fn('maxPool')(f.img, 5, 1, 'valid'),
        /window/,
        /does not fit/,
      ),
    ],
  },
  avgPool: {
    cases: [
      ...nonTensor((_, bad) => fn('avgPool')(bad, 2, 1, 'same')),
      c('x of rank 2', 'shape', (f) => fn('avgPool')(f.f32, 2, 1, 'same'), /\bx\b/, /rank 4/),
      c('window 0', 'size', (f) => fn('avgPool')(f.img, 0, 1, 'same'), /ksize/, /positive integer/),
      c(
        "padding 'bogus'",
        'value',
        (f) => fn('avgPool')(f.img, 2, 1, 'bogus'),
        /padding/,
        /'same' or 'valid'/,
      ),
      c(
        'window 5 on 4 valid',
        'shape',
        (f) => fn('avgPool')(f.img, 5, 1, 'valid'),
        /window/,
        /does not fit/,
      ),
    ],
  },
  dropout: {
    cases: [
      ...nonTensor((_, bad) => fn('dropout')(bad, 0.5)),
      c('rate 1.5', 'value', (f) => fn('dropout')(f.f32, 1.5), /rate/, /\[0, 1\)/),
      c('rate -0.1', 'value', (f) => fn('dropout')(f.f32, -0.1), /rate/, /\[0, 1\)/),
      c('rate NaN', 'value', (f) => fn('dropout')(f.f32, NaN), /rate/, /\[0, 1\)/),
      c(
        'noiseShape [5] for [2, 3]',
        'shape',
        (f) => fn('dropout')(f.f32, 0.5, [5]),
        /noiseShape/,
        /broadcast/,
        { fn: /dropout/ },
      ),
    ],
  },
  sigmoidCrossEntropyWithLogits: {
    cases: [
      c(
        'labels [2] for logits [2, 3]',
        'shape',
        (f) => fn('sigmoidCrossEntropyWithLogits')(tt.ones([2]), f.f32),
        /labels and logits/,
        /same shape/,
      ),
      c(
        'int32 logits',
        'dtype',
        (f) => fn('sigmoidCrossEntropyWithLogits')(f.i32, f.i32),
        /logits/,
        /expected float/,
      ),
      ...nonTensor((f, bad) => fn('sigmoidCrossEntropyWithLogits')(f.f32, bad), {
        where: 'logits',
        arg: /logits/,
      }),
    ],
  },
  softmaxCrossEntropyWithLogits: {
    cases: [
      c(
        'labels [2, 2] for logits [2, 3]',
        'shape',
        (f) => fn('softmaxCrossEntropyWithLogits')(tt.ones([2, 2]), f.f32),
        /labels and logits/,
        /same shape/,
      ),
      c(
        'float64 labels, float32 logits',
        'dtype',
        (f) => fn('softmaxCrossEntropyWithLogits')(f.f64, f.f32),
        /labels.*logits/,
        /dtype/,
      ),
      ...nonTensor((f, bad) => fn('softmaxCrossEntropyWithLogits')(f.f32, bad), {
        where: 'logits',
        arg: /logits/,
      }),
    ],
  },

  // ---- variables ----
  variable: {
    cases: [
      ...nonTensor((_, bad) => fn('variable')(bad), { where: 'initialValue' }),
      ...dtypeArg((d) => fn('variable')(1, { dtype: d })),
    ],
  },
  Variable: {
    cases: [
      c(
        'assign shape [2] to a scalar',
        'shape',
        () => tt.variable(1).assign([1, 2]),
        /shape \[\].*\[2\]/,
        /has shape/,
        { fn: /assign/ },
      ),
      c(
        'assign float64 to float32',
        'dtype',
        () => tt.variable(1).assign(tt.scalar(1, 'float64')),
        /dtype float32.*float64/,
        /has dtype/,
        { fn: /assign/ },
      ),
      c(
        "assign 'a'",
        'non-tensor',
        () => tt.variable(1).assign('a' as never),
        /got string/,
        EXPECT_TENSOR,
        { fn: /assign/ },
      ),
      c(
        'assign 0.5 to int32',
        'dtype',
        () => tt.variable(tt.scalar(1, 'int32')).assign(0.5),
        /0\.5/,
        /cannot convert 0\.5 to int32/,
        { fn: /assign/ },
      ),
      c(
        'assignAdd shape [2] to a scalar',
        'shape',
        () => tt.variable(1).assignAdd([1, 2]),
        /shape \[\].*\[2\]/,
        /has shape/,
        { fn: /assignAdd/ },
      ),
      c(
        'assignSub float64 to float32',
        'dtype',
        () => tt.variable(1).assignSub(tt.scalar(1, 'float64')),
        /float64/,
        /dtype/,
        { fn: /assignSub/ },
      ),
      c(
        'new Variable() with no value',
        'non-tensor',
        () => new (tt.Variable as any)(),
        /value|initial/,
        /expected/,
      ),
    ],
  },
  Tensor: {
    cases: [
      c(
        'item() of a [2, 3] tensor',
        'shape',
        (f) => f.f32.item(),
        /shape \[2, 3\]/,
        /exactly one element/,
        { fn: /item/ },
      ),
      c(
        'Number() of a [2, 3] tensor',
        'shape',
        (f) => Number(f.f32),
        /shape \[2, 3\]/,
        /only a rank-0 tensor/,
        { fn: /tensor|number/ },
      ),
      c(
        'new Tensor() with no storage',
        'non-tensor',
        () => new (tt.Tensor as any)(),
        /data|shape/,
        /expected/,
      ),
      c('x.reshape([4])', 'shape', (f) => f.f32.reshape([4]), /\[2, 3\].*\[4\]/, /cannot reshape/, {
        fn: /reshape/,
      }),
      c('x.sum(5)', 'axis', (f) => f.f32.sum(5), /axis 5/, /\[-2, 1\]/, { fn: /sum/ }),
    ],
  },

  // ---- tapes and accumulators ----
  GradientTape: {
    cases: [
      c(
        "options 'x'",
        'value',
        () => new tt.GradientTape('x' as never),
        /options/,
        /must be an object/,
      ),
      c(
        'record(1)',
        'callback',
        () => new tt.GradientTape().record(1 as never),
        /function/,
        /expected a function/,
        { fn: /record/ },
      ),
      c(
        'record(async fn)',
        'async',
        () => new tt.GradientTape().record(async () => 1),
        /Promise/,
        /synchronous/,
        { fn: /record/ },
      ),
      c(
        'record while recording',
        'tape-state',
        () => {
          const t = new tt.GradientTape();
          t.record(() => t.record(() => 1));
        },
        /already recording/,
        /cannot be entered twice/,
        { fn: /record/ },
      ),
      c(
        'enter() twice',
        'tape-state',
        () => {
          const t = new tt.GradientTape();
          const s = t.enter();
          try {
            t.enter();
          } finally {
            s.exit();
          }
        },
        /already recording/,
        /cannot be entered twice/,
        { fn: /enter/ },
      ),
      c(
        'watch outside record',
        'tape-state',
        (f) => new tt.GradientTape().watch(f.f32),
        /not recording/,
        /inside record/,
        { fn: /watch/ },
      ),
      c(
        "watch('abc')",
        'non-tensor',
        () => {
          const t = new tt.GradientTape();
          t.record(() => t.watch('abc'));
        },
        /argument|got string/,
        /expected a Tensor or Variable/,
        { fn: /watch/ },
      ),
      c(
        'stopRecording outside record',
        'tape-state',
        () => new tt.GradientTape().stopRecording(() => 0),
        /not recording/,
        /stop recording/,
        { fn: /stopRecording/ },
      ),
      c(
        'reset outside record',
        'tape-state',
        () => new tt.GradientTape().reset(),
        /not recording/,
        /inside record/,
        { fn: /reset/ },
      ),
      c(
        'gradient twice on a non-persistent tape',
        'tape-state',
        (f) => {
          const t = new tt.GradientTape();
          const y = t.record(() => {
            t.watch(f.f32);
            return tt.mul(f.f32, 2);
          });
          t.gradient(y, f.f32);
          t.gradient(y, f.f32);
        },
        /non-persistent GradientTape/,
        /only be used to compute one set/,
        { fn: /GradientTape/ },
      ),
      c(
        'jacobian after gradient on a non-persistent tape',
        'tape-state',
        (f) => {
          const t = new tt.GradientTape();
          const y = t.record(() => {
            t.watch(f.f32);
            return tt.mul(f.f32, 2);
          });
          t.gradient(y, f.f32);
          t.jacobian(y, f.f32);
        },
        /non-persistent GradientTape/,
        /only be used to compute one set/,
        { fn: /GradientTape/ },
      ),
      c(
        "gradient('abc', x)",
        'non-tensor',
        (f) => new tt.GradientTape().gradient('abc', f.f32),
        /target/,
        /expected a Tensor or Variable/,
        { fn: /gradient/ },
      ),
      c(
        "gradient(y, 'abc')",
        'non-tensor',
        (f) => new tt.GradientTape().gradient(f.f32, 'abc'),
        /sources/,
        /expected a Tensor or Variable/,
        { fn: /gradient/ },
      ),
      c(
        "gradient(y, x, {unconnectedGradients: 'x'})",
        'value',
        (f) => new tt.GradientTape().gradient(f.f32, f.f32, { unconnectedGradients: 'x' as never }),
        /unconnectedGradients/,
        /'none' or 'zero'/,
        { fn: /gradient/ },
      ),
      c(
        'outputGradients of dtype float64 for float32',
        'dtype',
        (f) => new tt.GradientTape().gradient(f.f32, f.f32, { outputGradients: f.f64 }),
        /outputGradients\[0\]/,
        /dtype float64, target has float32/,
        { fn: /gradient/ },
      ),
      c(
        'outputGradients of shape [3] for [2, 3]',
        'shape',
        (f) => new tt.GradientTape().gradient(f.f32, f.f32, { outputGradients: tt.ones([3]) }),
        /outputGradients\[0\]/,
        /shape \[3\], target has \[2, 3\]/,
        { fn: /gradient/ },
      ),
      c(
        'one outputGradient for two targets',
        'shape',
        (f) => new tt.GradientTape().gradient([f.f32, f.f32], f.f32, { outputGradients: [f.f32] }),
        /outputGradients/,
        /1 entries but target has 2/,
        { fn: /gradient/ },
      ),
      c(
        'looping jacobian on a non-persistent tape',
        'tape-state',
        (f) => new tt.GradientTape().jacobian(f.f32, f.f32, { experimentalUsePfor: false }),
        /persistent/,
        /must be created with persistent=True/,
        { fn: /jacobian/ },
      ),
      c(
        "jacobian('abc', x)",
        'non-tensor',
        (f) => new tt.GradientTape().jacobian('abc', f.f32),
        /target/,
        /must be a Tensor/,
        { fn: /jacobian/ },
      ),
      c(
        'batchJacobian of rank-1 tensors',
        'shape',
        () => new tt.GradientTape().batchJacobian(tt.ones([2]), tt.ones([2])),
        /target shape \(\[2\]\)/,
        /rank at least 2/,
        { fn: /batchJacobian/ },
      ),
      c(
        'batchJacobian of batches 2 and 3',
        'shape',
        () => new tt.GradientTape().batchJacobian(tt.ones([2, 2]), tt.ones([3, 2])),
        /\[2, 2\].*\[3, 2\]/,
        /to match/,
        { fn: /batchJacobian/ },
      ),
    ],
  },
  ForwardAccumulator: {
    cases: [
      c(
        '1 primal, 0 tangents',
        'shape',
        (f) => new tt.ForwardAccumulator([f.f32], []),
        /1 primals but 0 tangents/,
        /match one to one/,
      ),
      c(
        "primals 'a'",
        'non-tensor',
        () => new tt.ForwardAccumulator('a', 'b'),
        /primals/,
        /expected a Tensor or Variable/,
      ),
      c(
        'tangent float64 for a float32 primal',
        'dtype',
        (f) => new tt.ForwardAccumulator(f.f32, f.f64),
        /tangent 0/,
        /dtype float64, its primal has float32/,
      ),
      c(
        'tangent [3] for a [2, 3] primal',
        'shape',
        (f) => new tt.ForwardAccumulator(f.f32, tt.ones([3])),
        /tangent 0/,
        /shape \[3\], its primal has \[2, 3\]/,
      ),
      c(
        'int32 primal',
        'dtype',
        (f) => new tt.ForwardAccumulator(f.i32, f.i32),
        /primal 0/,
        /float primals/,
      ),
      c(
        "jvp('a')",
        'non-tensor',
        (f) => new tt.ForwardAccumulator(f.f32, f.f32).jvp('a'),
        /argument|got string/,
        /expected a Tensor or Variable/,
        { fn: /jvp/ },
      ),
      c(
        "jvp(x, {unconnectedGradients: 'q'})",
        'value',
        (f) =>
          new tt.ForwardAccumulator(f.f32, f.f32).jvp(f.f32, {
            unconnectedGradients: 'q' as never,
          }),
        /unconnectedGradients/,
        /'none' or 'zero'/,
        { fn: /jvp/ },
      ),
      c(
        'record(async fn)',
        'async',
        (f) => new tt.ForwardAccumulator(f.f32, f.f32).record(async () => 1),
        /Promise/,
        /synchronous/,
        { fn: /record/ },
      ),
    ],
  },
  record: {
    cases: [
      c(
        "record('a', fn)",
        'non-tensor',
        () => tt.record('a' as never, () => 1),
        /array/,
        /expected an array of GradientTapes/,
      ),
      c(
        'record([1], fn)',
        'non-tensor',
        () => tt.record([1] as never, () => 1),
        /entry/,
        /must be a GradientTape or ForwardAccumulator/,
      ),
      c(
        'record([tape], async fn)',
        'async',
        () => tt.record([new tt.GradientTape()], async () => 1),
        /Promise/,
        /synchronous/,
      ),
      c(
        'record([tape], 1)',
        'callback',
        () => tt.record([new tt.GradientTape()], 1 as never),
        /fn|function/,
        /expected a function/,
      ),
      c(
        'record([t, t], fn)',
        'tape-state',
        () => {
          const t = new tt.GradientTape();
          tt.record([t, t], () => 1);
        },
        /already recording/,
        /cannot be entered twice/,
        { fn: /GradientTape/ },
      ),
    ],
  },
  customGradient: {
    cases: [
      ...notAFunction((bad) => tt.customGradient(bad as never)),
      c(
        'f returns 1',
        'callback',
        (f) => tt.customGradient((() => 1) as never)(f.f32),
        /f must return/,
        /\{value, grad\}/,
      ),
      c(
        'grad returns two gradients for one input',
        'callback',
        () => {
          const g = tt.customGradient((x: tt.Tensor) => ({
            value: x.mul(2),
            grad: (dy: tt.Tensor) => [dy, dy],
          }));
          const x = tt.scalar(1);
          const t = new tt.GradientTape();
          const y = t.record(() => {
            t.watch(x);
            return g(x);
          });
          t.gradient(y, x);
        },
        /grad returned 2 gradients for 1 inputs/,
        /gradients/,
      ),
      c(
        "grad returns 'a'",
        'callback',
        () => {
          const g = tt.customGradient((x: tt.Tensor) => ({
            value: x.mul(2),
            grad: () => 'a' as never,
          }));
          const x = tt.scalar(1);
          const t = new tt.GradientTape();
          const y = t.record(() => {
            t.watch(x);
            return g(x);
          });
          t.gradient(y, x);
        },
        /grad result/,
        /expected a Tensor or Variable/,
      ),
    ],
  },
  registerGradient: {
    cases: [
      c(
        "opType ''",
        'value',
        () => tt.registerGradient('', () => null),
        /opType/,
        /non-empty string/,
      ),
      c(
        'opType 1',
        'value',
        () => tt.registerGradient(1 as never, () => null),
        /opType/,
        /non-empty string/,
      ),
      c(
        'fn 1',
        'callback',
        () => tt.registerGradient('CatalogueBadFn', 1 as never),
        /fn for CatalogueBadFn/,
        /must be a function/,
      ),
      c(
        "the built-in 'Sin'",
        'value',
        () => tt.registerGradient('Sin', () => null),
        /Sin/,
        /built-in op/,
      ),
    ],
  },
  noGradient: {
    cases: [
      c("opType ''", 'value', () => tt.noGradient(''), /opType/, /non-empty string/),
      c('opType 1', 'value', () => tt.noGradient(1 as never), /opType/, /non-empty string/),
      c("the built-in 'Sin'", 'value', () => tt.noGradient('Sin'), /Sin/, /built-in op/),
    ],
  },
  gradientOverride: {
    cases: [
      c(
        "map 'a'",
        'value',
        () => tt.gradientOverride('a' as never, () => 1),
        /map/,
        /must be an object/,
      ),
      c(
        'map {Sin: 1}',
        'value',
        () => tt.gradientOverride({ Sin: 1 } as never, () => 1),
        /opType|gradient name/,
        /non-empty string/,
      ),
      c(
        'fn 1',
        'callback',
        () => tt.gradientOverride({ Sin: 'X' }, 1 as never),
        /fn|function/,
        /expected a function|must be a function/,
      ),
      c(
        'async fn',
        'async',
        () => tt.gradientOverride({ Sin: 'X' }, async () => 1),
        /Promise/,
        /synchronous/,
      ),
    ],
  },
  defineOp: {
    cases: [
      c(
        '{}',
        'value',
        () => tt.defineOp({} as never),
        /name.*forward/,
        /expected \{name: string, forward: function\}/,
      ),
      c(
        "name 'Sin' (built-in)",
        'value',
        () => tt.defineOp({ name: 'Sin', forward: (x: any) => x[0] } as never),
        /Sin/,
        /built-in op/,
      ),
      c(
        'forward returns 2 values for shape [3]',
        'callback',
        (f) =>
          tt.defineOp({
            name: 'CatalogueBadForward',
            forward: () => ({ data: new Float32Array(2), shape: [3] }),
          } as never)(f.f32),
        /2 values for shape \[3\]/,
        /forward returned/,
        { fn: /CatalogueBadForward/ },
      ),
      c(
        'forward returns 1',
        'callback',
        (f) => tt.defineOp({ name: 'CatalogueBadForward2', forward: () => 1 } as never)(f.f32),
        /forward/,
        /must return \{data, shape, dtype\?\}/,
        { fn: /CatalogueBadForward2/ },
      ),
    ],
  },
  vmap: {
    cases: [
      ...notAFunction((bad) => tt.vmap(bad as never)),
      c(
        'batch sizes 2 and 3',
        'shape',
        () => tt.vmap((a: tt.Tensor, b: tt.Tensor) => a.add(b))(tt.ones([2]), tt.ones([3])),
        /argument 1/,
        /batch sizes differ/,
      ),
      c(
        'inAxes 5',
        'axis',
        () => tt.vmap((a: tt.Tensor) => a, 5)(tt.ones([2])),
        /inAxes/,
        /out of range/,
      ),
      c(
        'two inAxes for one argument',
        'shape',
        (f) => tt.vmap((a: tt.Tensor) => a, [0, 0])(f.f32),
        /inAxes/,
        /2 entries but the function got 1/,
      ),
      c(
        'outAxes null for a batched output',
        'axis',
        (f) => tt.vmap((a: tt.Tensor) => a, 0, null)(f.f32),
        /outAxes/,
        /varies along the batch/,
      ),
      c(
        "f returns 'a'",
        'callback',
        (f) => (tt.vmap as any)(() => 'a')(f.f32),
        /outputs of f/,
        /expected a Tensor or Variable/,
      ),
      c(
        'async f',
        'async',
        (f) => (tt.vmap as any)(async () => 1)(f.f32),
        /outputs of f|Promise/,
        /expected a Tensor|synchronous/,
      ),
      c(
        'no batched argument',
        'axis',
        (f) => tt.vmap((a: tt.Tensor) => a, null)(f.f32),
        /inAxes/,
        /no argument is batched/,
      ),
    ],
  },
  grad: {
    cases: [
      ...notAFunction((bad) => fn('grad')(bad)),
      c(
        'a vector output',
        'shape',
        () => fn('grad')((x: tt.Tensor) => x)(tt.ones([2])),
        /f returned \[2\]/,
        /scalar/,
      ),
      c(
        'argnums 3 for one argument',
        'axis',
        () => fn('grad')((x: tt.Tensor) => x.sum(), 3)(tt.ones([2])),
        /argnums entry 3/,
        /out of range/,
      ),
      c(
        "argnums 'a'",
        'value',
        () => fn('grad')((x: tt.Tensor) => x.sum(), 'a')(tt.ones([2])),
        /argnums/,
        /integer/,
      ),
      c(
        'an int32 argument',
        'dtype',
        (f) => fn('grad')((x: tt.Tensor) => x.sum())(f.i32),
        /argument 0/,
        /float inputs/,
      ),
      c(
        "f returns 'a'",
        'callback',
        (f) => fn('grad')(() => 'a')(f.f32),
        /f returned string/,
        /scalar/,
      ),
      c(
        'async f',
        'async',
        (f) => fn('grad')(async () => 1)(f.f32),
        /Promise/,
        /scalar|synchronous/,
      ),
    ],
  },
  valueAndGrad: {
    cases: [
      ...notAFunction((bad) => fn('valueAndGrad')(bad)),
      c(
        'a vector output',
        'shape',
        () => fn('valueAndGrad')((x: tt.Tensor) => x)(tt.ones([2])),
        /\[2\]/,
        /scalar/,
      ),
    ],
  },
  vjp: {
    cases: [
      ...notAFunction((bad) => fn('vjp')(bad, tt.ones([2]))),
      c('an int32 primal', 'dtype', (f) => fn('vjp')((x: tt.Tensor) => x, f.i32), /int32/, /float/),
    ],
  },
  jvp: {
    cases: [
      ...notAFunction((bad) => fn('jvp')(bad, [tt.ones([2])], [tt.ones([2])])),
      c(
        '1 primal, 0 tangents',
        'shape',
        (f) => fn('jvp')((x: tt.Tensor) => x, [f.f32], []),
        /1 primals but 0 tangents/,
        /match one to one/,
      ),
      c(
        'primals not an array',
        'non-tensor',
        (f) => fn('jvp')((x: tt.Tensor) => x, f.f32, f.f32),
        /primals and tangents/,
        /must be arrays/,
      ),
      c(
        'tangent [3] for [2, 3]',
        'shape',
        (f) => fn('jvp')((x: tt.Tensor) => x, [f.f32], [tt.ones([3])]),
        /tangent 0/,
        /shape \[3\]/,
        { fn: /jvp|ForwardAccumulator/ },
      ),
    ],
  },
  jacrev: { cases: notAFunction((bad) => fn('jacrev')(bad)) },
  jacfwd: { cases: notAFunction((bad) => fn('jacfwd')(bad)) },
  hessian: {
    cases: notAFunction((bad) => fn('hessian')(bad)),
  },
  hvp: {
    cases: [
      ...notAFunction((bad) => fn('hvp')(bad, [tt.ones([2])], [tt.ones([2])])),
      c(
        'tangent [3] for [2, 3]',
        'shape',
        (f) => fn('hvp')((x: tt.Tensor) => x.sum(), [f.f32], [tt.ones([3])]),
        /tangent 0/,
        /shape \[3\]/,
        { fn: /hvp|ForwardAccumulator/ },
      ),
    ],
  },
  recomputeGrad: { cases: notAFunction((bad) => fn('recomputeGrad')(bad)) },
  'test.checkGrads': {
    cases: [
      c(
        "xs 'a'",
        'non-tensor',
        () => fn('test.checkGrads')((x: tt.Tensor) => x, 'a'),
        /xs/,
        /must be an array of tensors/,
        { fn: /checkGrads/ },
      ),
      c('f 1', 'callback', (f) => fn('test.checkGrads')(1, [f.f64]), /\bf\b/, /function/, {
        fn: /checkGrads/,
      }),
      c(
        'order 0',
        'value',
        (f) => fn('test.checkGrads')((x: tt.Tensor) => x, [f.f64], { order: 0 }),
        /order/,
        /positive integer|>= 1/,
        { fn: /checkGrads/ },
      ),
      c(
        "modes ['x']",
        'value',
        (f) => fn('test.checkGrads')((x: tt.Tensor) => x, [f.f64], { modes: ['x'] }),
        /modes/,
        /'fwd'.*'rev'/,
        { fn: /checkGrads/ },
      ),
    ],
  },
  'test.computeGradient': {
    cases: [
      c(
        'f 1',
        'callback',
        (f) => fn('test.computeGradient')(1, [f.f64]),
        /\bf\b/,
        /must be a function/,
        { fn: /computeGradient/ },
      ),
      c(
        "xs 'a'",
        'non-tensor',
        () => fn('test.computeGradient')((x: tt.Tensor) => x, 'a'),
        /xs/,
        /array of tensors/,
        { fn: /computeGradient/ },
      ),
      c(
        'f returns 1',
        'callback',
        (f) => fn('test.computeGradient')(() => 1, [f.f64]),
        /f must return/,
        /a Tensor/,
        { fn: /computeGradient/ },
      ),
      c(
        'delta 0',
        'value',
        (f) => fn('test.computeGradient')((x: tt.Tensor) => x, [f.f64], 0),
        /delta/,
        /positive/,
        { fn: /computeGradient/ },
      ),
    ],
  },
  'test.jvpOf': {
    cases: [
      c(
        "xs 'a'",
        'non-tensor',
        () => fn('test.jvpOf')((x: tt.Tensor) => x, 'a', 'a'),
        /xs/,
        /array/,
        { fn: /jvpOf/ },
      ),
    ],
  },
  'test.vjpOf': {
    cases: [
      c("xs 'a'", 'non-tensor', () => fn('test.vjpOf')((x: tt.Tensor) => x, 'a'), /xs/, /array/, {
        fn: /vjpOf/,
      }),
    ],
  },
  'test.numericalJvp': {
    cases: [
      c(
        "xs 'a'",
        'non-tensor',
        () => fn('test.numericalJvp')((x: tt.Tensor) => x, 'a', 'a', 1e-3),
        /xs/,
        /array/,
        { fn: /numericalJvp/ },
      ),
    ],
  },

  // ---- random ----
  'random.setSeed': {
    cases: [
      c('seed 1.5', 'value', () => tt.random.setSeed(1.5), /seed/, /must be an integer/, {
        fn: /setSeed/,
      }),
      c('seed NaN', 'value', () => tt.random.setSeed(NaN), /seed/, /must be an integer/, {
        fn: /setSeed/,
      }),
      c("seed 'a'", 'value', () => tt.random.setSeed('a' as never), /seed/, /must be an integer/, {
        fn: /setSeed/,
      }),
      c('seed Infinity', 'value', () => tt.random.setSeed(Infinity), /seed/, /must be an integer/, {
        fn: /setSeed/,
      }),
    ],
  },
  'random.normal': {
    cases: [
      ...shapeCases((s) => tt.random.normal(s)).map((k) => ({ ...k, fn: /random\.normal/ })),
      c(
        'seed 1.5',
        'value',
        () => tt.random.normal([2], { seed: 1.5 }),
        /seed/,
        /must be an integer/,
        { fn: /normal/ },
      ),
      c(
        'dtype int32',
        'dtype',
        () => tt.random.normal([2], { dtype: 'int32' }),
        /dtype/,
        /float32 or float64/,
        { fn: /normal/ },
      ),
      c(
        "mean 'a'",
        'value',
        () => tt.random.normal([2], { mean: 'a' as never }),
        /mean/,
        /number/,
        { fn: /normal/ },
      ),
    ],
  },
  'random.uniform': {
    cases: [
      ...shapeCases((s) => tt.random.uniform(s)).map((k) => ({ ...k, fn: /random\.uniform/ })),
      c(
        'minval > maxval',
        'value',
        () => tt.random.uniform([2], { minval: 1, maxval: 0 }),
        /maxval.*minval/,
        /must be greater/,
        { fn: /uniform/ },
      ),
      c(
        'minval NaN',
        'value',
        () => tt.random.uniform([2], { minval: NaN }),
        /minval/,
        /finite number/,
        { fn: /uniform/ },
      ),
      c(
        'dtype bool',
        'dtype',
        () => tt.random.uniform([2], { dtype: 'bool' }),
        /dtype/,
        /float32 or float64/,
        { fn: /uniform/ },
      ),
      c(
        "minval 'a'",
        'value',
        () => tt.random.uniform([2], { minval: 'a' as never, maxval: 'b' as never }),
        /minval/,
        /number/,
        { fn: /uniform/ },
      ),
    ],
  },

  // ---- backends ----
  setBackend: {
    cases: [
      c("'nope'", 'value', () => tt.setBackend('nope'), /"nope"/, /unknown backend.*available/),
      c(
        'undefined',
        'value',
        () => tt.setBackend(undefined as never),
        /undefined|name/,
        /unknown backend|must be a string/,
      ),
    ],
  },
  registerBackend: {
    cases: [
      c('undefined', 'value', () => tt.registerBackend(undefined as never), /backend/, /expected/),
      c('{} (no name)', 'value', () => tt.registerBackend({} as never), /name/, /string/),
      c('{name: 5}', 'value', () => tt.registerBackend({ name: 5 } as never), /name/, /string/),
    ],
  },
  formatValues: {
    cases: [
      c("'a'", 'non-tensor', () => fn('formatValues')('a'), /got string/, /expected a number/),
    ],
  },

  // ---- layers and optimizers ----
  'layers.Dense': {
    cases: [
      c('units -1', 'size', () => new (fn('layers.Dense'))(-1), /units/, /positive integer/),
      c('units 1.5', 'size', () => new (fn('layers.Dense'))(1.5), /units/, /positive integer/),
      c("units 'a'", 'size', () => new (fn('layers.Dense'))('a'), /units/, /positive integer/),
      c(
        "activation 'bogus'",
        'value',
        () => new (fn('layers.Dense'))(2, { activation: 'bogus' }),
        /activation "bogus"/,
        /use a function or one of/,
      ),
      c(
        "kernelInitializer 'bogus'",
        'value',
        () => new (fn('layers.Dense'))(2, { kernelInitializer: 'bogus' }),
        /kernelInitializer/,
        /expected/,
      ),
      c(
        'apply(scalar)',
        'shape',
        () => new (fn('layers.Dense'))(2).apply(tt.scalar(1)),
        /input/,
        /at least one axis/,
        { fn: /Dense/ },
      ),
      c(
        "apply('abc')",
        'non-tensor',
        () => new (fn('layers.Dense'))(2).apply('abc'),
        /input|\bx\b/,
        /expected a Tensor/,
        { fn: /Dense/ },
      ),
      c(
        'apply with 4 features after building for 3',
        'shape',
        () => {
          const d = new (fn('layers.Dense'))(2, { kernelInitializer: 'ones' });
          d.apply(tt.ones([1, 3]));
          d.apply(tt.ones([1, 4]));
        },
        /last axis has size 4/,
        /built for 3/,
        { fn: /Dense/ },
      ),
    ],
  },
  'layers.BatchNormalization': {
    cases: [
      c(
        'axis 5',
        'axis',
        (f) => new (fn('layers.BatchNormalization'))({ axis: 5 }).apply(f.f32, { training: true }),
        /axis 5/,
        /out of range/,
        { fn: /BatchNormalization/ },
      ),
    ],
  },
  'optimizers.SGD': {
    cases: [
      c(
        'learningRate -1',
        'value',
        () => new (fn('optimizers.SGD'))({ learningRate: -1 }),
        /learningRate/,
        /positive number/,
        { fn: /optimizer|SGD/ },
      ),
      c(
        "learningRate 'x'",
        'value',
        () => new (fn('optimizers.SGD'))({ learningRate: 'x' }),
        /learningRate/,
        /positive number/,
        { fn: /optimizer|SGD/ },
      ),
      c(
        'momentum -1',
        'value',
        () => new (fn('optimizers.SGD'))({ momentum: -1 }),
        /momentum/,
        /\[0, 1\]/,
      ),
      c(
        'a number (Keras passes learning_rate first)',
        'value',
        () => new (fn('optimizers.SGD'))(-1),
        /learningRate|options/,
        /positive number|object/,
        { fn: /optimizer|SGD/ },
      ),
      c(
        "a string '0.1'",
        'value',
        () => new (fn('optimizers.SGD'))('0.1'),
        /learning rate|options/,
        /positive number|object/,
      ),
      c(
        'applyGradients with 1 gradient for 2 variables',
        'shape',
        (f) =>
          new (fn('optimizers.SGD'))().applyGradients(
            [f.f32],
            [tt.variable(f.f32), tt.variable(f.f32)],
          ),
        /grads and variables/,
        /same length/,
        { fn: /applyGradients/ },
      ),
      c(
        'applyGradients to a Tensor',
        'non-tensor',
        (f) => new (fn('optimizers.SGD'))().applyGradients([f.f32], [f.f32]),
        /entry 0/,
        /not a Variable/,
        { fn: /applyGradients/ },
      ),
      c(
        'applyGradients shape [3] to [2, 3]',
        'shape',
        (f) => new (fn('optimizers.SGD'))().applyGradients([tt.ones([3])], [tt.variable(f.f32)]),
        /gradient 0.*\[3\]/,
        /does not match/,
        { fn: /applyGradients/ },
      ),
      c(
        'applyGradients float64 to float32',
        'dtype',
        (f) => new (fn('optimizers.SGD'))().applyGradients([f.f64], [tt.variable(f.f32)]),
        /gradient 0.*float64/,
        /does not match/,
        { fn: /applyGradients/ },
      ),
    ],
  },
  'optimizers.Adam': {
    cases: [
      c('beta1 2', 'value', () => new (fn('optimizers.Adam'))({ beta1: 2 }), /beta1/, /\[0, 1\)/),
      c(
        'learningRate 0',
        'value',
        () => new (fn('optimizers.Adam'))({ learningRate: 0 }),
        /learningRate/,
        /positive number/,
        { fn: /optimizer|Adam/ },
      ),
      c(
        'a number (Keras passes learning_rate first)',
        'value',
        () => new (fn('optimizers.Adam'))(-1),
        /learningRate|options/,
        /positive number|object/,
        { fn: /optimizer|Adam/ },
      ),
      c(
        "a string '0.1'",
        'value',
        () => new (fn('optimizers.Adam'))('0.1'),
        /learning rate|options/,
        /positive number|object/,
      ),
    ],
  },

  // ---- memory ----
  tidy: {
    cases: [
      ...notAFunction((bad) => fn('tidy')(bad)),
      ...notAFunction((bad) => fn('tidy')('scope', bad)).map((k) => ({
        ...k,
        what: `named, ${k.what}`,
      })),
      c('async fn', 'async', () => fn('tidy')(async () => 1), /Promise/, /synchronous/),
    ],
  },
  keep: {
    cases: nonTensor((_, bad) => fn('keep')(bad)).map((k) => ({
      ...k,
      expect: /expected a Tensor/,
    })),
  },
  dispose: {
    cases: (
      [
        ['add', (t: tt.Tensor) => tt.add(t, 1), /AddV2/],
        ['sum', (t: tt.Tensor) => tt.sum(t), /Sum/],
        ['reshape', (t: tt.Tensor) => tt.reshape(t, [3, 1]), /Reshape/],
        ['dataSync', (t: tt.Tensor) => t.dataSync(), /tensor/],
      ] as const
    ).map(([op, use, fnRe]) =>
      c(
        `a disposed tensor passed to ${op}`,
        'value' as const,
        () => {
          const t = tt.ones([3]);
          fn('dispose')(t);
          return use(t);
        },
        /input 0|this tensor/,
        /was disposed/,
        { fn: fnRe },
      ),
    ),
  },
  memory: { exempt: 'takes no arguments' },

  // ---- exempt (no argument a user can get wrong, or not a function) ----
  getBackend: { exempt: 'takes no arguments' },
  backends: { exempt: 'takes no arguments' },
  ready: { exempt: 'takes no arguments' },
  'random.getSeed': { exempt: 'takes no arguments (internal: read by these tests)' },
  LookupError: { exempt: 'an error class, thrown by the library' },
  UnconnectedGradients: { exempt: 'a constant' },
  'layers.Layer': { exempt: 'the abstract base class of layers' },
  'optimizers.Optimizer': {
    exempt: 'the base class of optimizers (its constructor is checked through SGD and Adam)',
  },
};
