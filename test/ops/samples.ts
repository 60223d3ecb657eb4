// The op catalogue's table of sample inputs: one entry per built-in primitive (typed by the tuple
// of their names, so a primitive without an entry fails to compile) and one per op TF composes.
// Each sample carries its TensorFlow expression; scripts/fixtures/export_op_samples.ts and
// scripts/fixtures/ops_tf.py turn the table into test/fixtures/ops_tf.json, and
// catalogue.test.ts drives every check from it.

import * as tt from '../../src/index.js';
import { builtinPrimitives } from '../../src/core/primitive.js';
import { bind1, bindBelow, popFrame, pushFrame, type Interpreter } from '../../src/core/stack.js';
import { B, F, I, Ir, V, type ArgSpec, type Entry, type Sample } from './harness.js';

/** Every primitive the catalogue and the core declare, by TF op type. */
export const CATALOGUE_PRIMITIVES = [
  'Cast',
  'Identity',
  'StopGradient',
  'ReadVariableOp',
  'Sum',
  'Mean',
  'Max',
  'Min',
  'Prod',
  'Any',
  'All',
  'ArgMax',
  'ArgMin',
  'Reshape',
  'ExpandDims',
  'Squeeze',
  'Transpose',
  'BroadcastTo',
  'Slice',
  'Pad',
  'PadV2',
  'ConcatV2',
  'Pack',
  'Unpack',
  'Split',
  'SplitV',
  'Tile',
  'ReverseV2',
  'AddV2',
  'Sub',
  'Mul',
  'RealDiv',
  'Pow',
  'Neg',
  'Square',
  'Sqrt',
  'Exp',
  'Log',
  'Sin',
  'Cos',
  'Sigmoid',
  'Tanh',
  'Relu',
  'TanhGrad',
  'SigmoidGrad',
  'ReluGrad',
  'Relu6Grad',
  'LeakyReluGrad',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'Equal',
  'NotEqual',
  'LogicalAnd',
  'LogicalOr',
  'LogicalNot',
  'SelectV2',
  'MatMul',
  'BatchMatMulV2',
  'Abs',
  'Sign',
  'Rsqrt',
  'Reciprocal',
  'Expm1',
  'Log1p',
  'Tan',
  'Asin',
  'Acos',
  'Atan',
  'Sinh',
  'Cosh',
  'Asinh',
  'Acosh',
  'Atanh',
  'Erf',
  'Erfc',
  'Floor',
  'Ceil',
  'Round',
  'IsFinite',
  'IsNan',
  'IsInf',
  'Maximum',
  'Minimum',
  'SquaredDifference',
  'Atan2',
  'FloorDiv',
  'FloorMod',
  'Softplus',
  'Relu6',
  'Elu',
  'Selu',
  'LeakyRelu',
  'Softmax',
  'LogSoftmax',
  'GatherV2',
  'UnsortedSegmentSum',
  'OneHot',
  'StridedSlice',
  'StridedSliceGrad',
] as const;
export type CataloguePrimitive = (typeof CATALOGUE_PRIMITIVES)[number];

/**
 * Primitives declared by the linear-algebra and neural-net work, sampled by
 * test/advanced/samples.ts (and checked against TF there); listed so that the registry test
 * still notices any primitive nobody samples.
 */
export const OTHER_PRIMITIVES = [
  'MatrixSolve',
  'MatrixInverse',
  'MatrixDeterminant',
  'Cholesky',
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'MaxPool',
  'MaxPoolGrad',
  'MaxPoolGradGrad',
  'AvgPool',
  'AvgPoolGrad',
  'SoftmaxCrossEntropyWithLogits',
] as const;

/** The ops TF composes from primitives (no rules of their own). */
export const COMPOSITE_OPS = [
  'clipByValue',
  'clipByNorm',
  'norm',
  'logSumExp',
  'gelu',
  'dot',
] as const;
export type CompositeOp = (typeof COMPOSITE_OPS)[number];

// ---- sample builders ----------------------------------------------------------------------------

type Fn = Sample['f'];
type Opts = Pick<Sample, 'order' | 'eps' | 'ulps32' | 'gradUlps32' | 'transposeRtol'>;

const S = (label: string, args: ArgSpec[], f: Fn, tf: string, opts: Opts = {}): Sample => ({
  label,
  args,
  f,
  tf,
  ...opts,
});

const FLOAT: tt.DType[] = ['float32', 'float64'];
const NUMERIC: tt.DType[] = ['float32', 'float64', 'int32'];
const ALL: tt.DType[] = ['float32', 'float64', 'int32', 'bool'];

const RANK6 = [2, 1, 2, 1, 2, 1];

interface UnaryOpts {
  /** Extra TF arguments after x0 (e.g. `, alpha=0.25`). */
  tfArgs?: string;
  lo?: number;
  hi?: number;
  dtypes?: tt.DType[];
  extra?: Sample[];
}

/** An elementwise unary op: a matrix, a scalar, a size-0 and a rank-6 input, int32 if allowed. */
function unaryEntry(op: string, f: (x: tt.Tensor) => tt.Tensor, tfFn: string, o: UnaryOpts = {}) {
  const lo = o.lo ?? -2;
  const hi = o.hi ?? 2;
  const dtypes = o.dtypes ?? FLOAT;
  const g: Fn = (x) => f(x);
  const tf = `${tfFn}(x0${o.tfArgs ?? ''})`;
  const samples = [
    S('[2, 3]', [F([2, 3], lo, hi)], g, tf),
    S('scalar', [F([], lo, hi)], g, tf),
    S('size 0', [F([2, 0, 3], lo, hi)], g, tf),
    S('rank 6', [F(RANK6, lo, hi)], g, tf),
  ];
  if (dtypes.includes('int32')) samples.push(S('int32', [Ir([2, 3], -4, 5)], g, tf));
  return { op, dtypes, samples: [...samples, ...(o.extra ?? [])] } satisfies Entry;
}

interface BinaryOpts {
  a?: [number, number];
  b?: [number, number];
  dtypes?: tt.DType[];
  extra?: Sample[];
  int?: [number, number, number, number];
}

/** A broadcasting binary op: equal shapes, broadcasts, a scalar, size 0, rank 6, int32. */
function binaryEntry(
  op: string,
  f: (a: tt.Tensor, b: tt.Tensor) => tt.Tensor,
  tfFn: string,
  o: BinaryOpts = {},
) {
  const [alo, ahi] = o.a ?? [-2, 2];
  const [blo, bhi] = o.b ?? o.a ?? [-2, 2];
  const dtypes = o.dtypes ?? NUMERIC;
  const g: Fn = (a, b) => f(a, b);
  const tf = `${tfFn}(x0, x1)`;
  const A = (s: number[]) => F(s, alo, ahi);
  const Bf = (s: number[]) => F(s, blo, bhi);
  const samples = [
    S('[2, 3] and [2, 3]', [A([2, 3]), Bf([2, 3])], g, tf),
    S('[2, 3] and [3]', [A([2, 3]), Bf([3])], g, tf),
    S('scalar and [2, 3]', [A([]), Bf([2, 3])], g, tf),
    S('[2, 1, 3] and [4, 1]', [A([2, 1, 3]), Bf([4, 1])], g, tf),
    S('size 0', [A([0, 3]), Bf([1, 3])], g, tf),
    S('rank 6', [A([2, 1, 1, 2, 1, 2]), Bf([1, 2, 1, 1, 2, 1])], g, tf),
  ];
  if (dtypes.includes('int32')) {
    const [l1, h1, l2, h2] = o.int ?? [-5, 6, -5, 6];
    samples.push(S('int32', [Ir([2, 3], l1, h1), Ir([3], l2, h2)], g, tf));
  }
  return { op, dtypes, samples: [...samples, ...(o.extra ?? [])] } satisfies Entry;
}

/** Rounds three times in float32 (a square or product, a difference, a product), as TF does. */
const ROUNDS_THRICE = { ulps32: 3 } as const;

/**
 * The gradient primitive of an activation (TF's TanhGrad, SigmoidGrad, ReluGrad, ...), applied
 * directly: TF's raw ops take two operands of one shape, so every sample does. `a` and `b` are the
 * operands' ranges (`scalarB` the second's in the scalar sample).
 */
function activationGradEntry(
  name: string,
  tfCall: (a: string, b: string) => string,
  o: {
    a: [number, number];
    b?: [number, number];
    scalarB?: [number, number];
    attrs?: unknown;
    dtypes?: tt.DType[];
    opts?: Opts;
  },
) {
  const prim = builtinPrimitives.get(name)!;
  const g: Fn = (x, y) => bind1(prim, [x, y], o.attrs);
  const tf = tfCall('x0', 'x1');
  const dtypes = o.dtypes ?? FLOAT;
  const [lo, hi] = o.a;
  const both = (shape: number[], b: [number, number] = o.b ?? [-2, 2]) => [
    F(shape, lo, hi),
    F(shape, b[0], b[1]),
  ];
  const samples = [
    S('[2, 3]', both([2, 3]), g, tf, o.opts),
    S('scalar', both([], o.scalarB), g, tf, o.opts),
    S('size 0', both([2, 0, 3]), g, tf, o.opts),
    S('rank 6', both(RANK6), g, tf, o.opts),
  ];
  if (dtypes.includes('int32'))
    samples.push(S('int32', [Ir([2, 3], -4, 5), Ir([2, 3], -4, 9)], g, tf));
  const op = name[0].toLowerCase() + name.slice(1);
  return { op, dtypes, samples } satisfies Entry;
}

/** A comparison: floats (bool output, no gradient), int32, and bool where allowed. */
function comparisonEntry(op: string, f: (a: tt.Tensor, b: tt.Tensor) => tt.Tensor, tfFn: string) {
  const withBool = op === 'equal' || op === 'notEqual';
  const g: Fn = (a, b) => f(a, b);
  const tf = `${tfFn}(x0, x1)`;
  const samples = [
    S('[2, 3] and [3]', [F([2, 3]), F([3])], g, tf),
    S('ties and NaN', [V([5], [1, 2, NaN, 3, -0]), V([5], [1, 3, NaN, 2, 0])], g, tf),
    S('scalar and size 0', [F([]), F([0, 2])], g, tf),
    S('rank 6', [F(RANK6), F([1, 2, 1, 1, 2, 1])], g, tf),
    S('int32', [Ir([2, 3], -2, 3), Ir([2, 1], -2, 3)], g, tf),
  ];
  if (withBool) samples.push(S('bool', [B([2, 3]), B([3])], g, tf));
  return { op, dtypes: withBool ? ALL : NUMERIC, samples } satisfies Entry;
}

/** A reduction with TF's reduce_* counterpart. */
function reductionEntry(
  op: string,
  f: (x: tt.Tensor, axis?: number | number[] | null, keepDims?: boolean) => tt.Tensor,
  tfFn: string,
  o: {
    lo?: number;
    hi?: number;
    dtypes?: tt.DType[];
    extra?: Sample[];
    emptyIsConstant?: boolean;
  } = {},
) {
  const lo = o.lo ?? -2;
  const hi = o.hi ?? 2;
  const dtypes = o.dtypes ?? NUMERIC;
  const kind = (s: number[]) =>
    dtypes.includes('bool') && !dtypes.includes('float32') ? B(s) : F(s, lo, hi);
  const samples = [
    S('axis 1', [kind([2, 3, 4])], (x) => f(x, 1), `${tfFn}(x0, axis=1)`),
    S(
      'axes [0, 2] keepDims',
      [kind([2, 3, 4])],
      (x) => f(x, [0, 2], true),
      `${tfFn}(x0, axis=[0, 2], keepdims=True)`,
    ),
    S('all axes', [kind([3, 2])], (x) => f(x), `${tfFn}(x0)`),
    S('negative axis', [kind([2, 3])], (x) => f(x, -1), `${tfFn}(x0, axis=-1)`),
    S('scalar', [kind([])], (x) => f(x), `${tfFn}(x0)`),
    // Over nothing, mean, max and min are the constants NaN, -inf and inf: no derivative to check.
    S(
      'size-0 axis',
      [kind([2, 0, 3])],
      (x) => f(x, 1),
      `${tfFn}(x0, axis=1)`,
      o.emptyIsConstant ? NO_GRAD : {},
    ),
    S('size-0 kept axis', [kind([0, 3])], (x) => f(x, 1), `${tfFn}(x0, axis=1)`),
    S('rank 6', [kind(RANK6)], (x) => f(x, [0, 2, 5]), `${tfFn}(x0, axis=[0, 2, 5])`),
  ];
  if (dtypes.includes('int32'))
    samples.push(S('int32', [Ir([2, 3], -5, 6)], (x) => f(x, 1), `${tfFn}(x0, axis=1)`));
  return { op, dtypes, samples: [...samples, ...(o.extra ?? [])] } satisfies Entry;
}

const NO_GRAD = { order: 0 } as const;

// ---- the table ----------------------------------------------------------------------------------

export const SAMPLES: Record<CataloguePrimitive, Entry> = {
  // ---- dtype and identity
  Cast: {
    op: 'cast',
    dtypes: ALL,
    samples: [
      // Linear up to float32 rounding: a large finite-difference step is exact to that precision,
      // and tangents and cotangents are rounded to float32 on the way.
      S(
        'float64 → float32 → float64',
        [F([2, 3])],
        (x) => tt.cast(tt.cast(x, 'float32'), 'float64'),
        'tf.cast(tf.cast(x0, tf.float32), tf.float64)',
        { eps: 0.25, transposeRtol: 2 ** -23 },
      ),
      S(
        'float → int32 truncates',
        [V([6], [1.7, -1.7, 0.5, -0.5, 2, -3])],
        (x) => tt.cast(x, 'int32'),
        'tf.cast(x0, tf.int32)',
      ),
      S(
        'float → bool',
        [V([4], [0, -0, 2, -0.5])],
        (x) => tt.cast(x, 'bool'),
        'tf.cast(x0, tf.bool)',
      ),
      S(
        'int32 → float64',
        [Ir([2, 3], -5, 5)],
        (x) => tt.cast(x, 'float64'),
        'tf.cast(x0, tf.float64)',
      ),
      S('bool → float32', [B([2, 3])], (x) => tt.cast(x, 'float32'), 'tf.cast(x0, tf.float32)'),
      S('int32 → bool', [I([4], [0, 1, -2, 0])], (x) => tt.cast(x, 'bool'), 'tf.cast(x0, tf.bool)'),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0, 2]), F(RANK6)],
        (a, b, c) => [tt.cast(a, 'int32'), tt.cast(b, 'int32'), tt.cast(c, 'int32')],
        '[tf.cast(x0, tf.int32), tf.cast(x1, tf.int32), tf.cast(x2, tf.int32)]',
      ),
    ],
  },
  Identity: unaryEntry('identity', (x) => tt.identity(x), 'tf.identity', {
    dtypes: ALL,
    extra: [S('bool', [B([3])], (x) => tt.identity(x), 'tf.identity(x0)')],
  }),
  StopGradient: {
    op: 'stopGradient',
    dtypes: ALL,
    samples: [
      // The gradient is null by design; finite differences would see the identity.
      S(
        '[2, 3]',
        [F([2, 3])],
        (x) => tt.mul(tt.stopGradient(x), x),
        'tf.stop_gradient(x0) * x0',
        NO_GRAD,
      ),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0, 3]), F(RANK6)],
        (a, b, c) => [tt.stopGradient(a), tt.stopGradient(b), tt.stopGradient(c)],
        '[tf.stop_gradient(x0), tf.stop_gradient(x1), tf.stop_gradient(x2)]',
        NO_GRAD,
      ),
      S(
        'int32 and bool',
        [Ir([3], 0, 5), B([2])],
        (a, b) => [tt.stopGradient(a), tt.stopGradient(b)],
        '[tf.stop_gradient(x0), tf.stop_gradient(x1)]',
      ),
    ],
  },
  ReadVariableOp: {
    op: 'variable',
    dtypes: ALL,
    samples: [],
    special:
      'a variable read is not a function of tensors; catalogue.test.ts checks its gradients and tangents directly',
  },
  // ---- reductions
  Sum: reductionEntry('sum', tt.sum, 'tf.reduce_sum'),
  Mean: reductionEntry('mean', tt.mean, 'tf.reduce_mean', {
    emptyIsConstant: true,
    extra: [
      S(
        'int32 truncates toward zero',
        [I([2, 2], [-1, -2, 3, 4])],
        (x) => tt.mean(x, 1),
        'tf.reduce_mean(x0, axis=1)',
      ),
    ],
  }),
  Max: reductionEntry('max', tt.max, 'tf.reduce_max', {
    emptyIsConstant: true,
    extra: [
      S(
        'ties split the gradient',
        [V([2, 3], [1, 3, 3, 2, 2, 2])],
        (x) => tt.max(x, 1),
        'tf.reduce_max(x0, axis=1)',
        NO_GRAD,
      ),
      S(
        'NaN propagates',
        [V([2, 2], [NaN, 1, 2, 3])],
        (x) => tt.max(x, 1),
        'tf.reduce_max(x0, axis=1)',
        NO_GRAD,
      ),
      S('int32 over nothing', [Ir([2, 0], 0, 5)], (x) => tt.max(x, 1), 'tf.reduce_max(x0, axis=1)'),
    ],
  }),
  Min: reductionEntry('min', tt.min, 'tf.reduce_min', {
    emptyIsConstant: true,
    extra: [
      S(
        'ties split the gradient',
        [V([2, 3], [1, 1, 3, 2, 2, 2])],
        (x) => tt.min(x, 1, true),
        'tf.reduce_min(x0, axis=1, keepdims=True)',
        NO_GRAD,
      ),
      S('int32 over nothing', [Ir([2, 0], 0, 5)], (x) => tt.min(x, 1), 'tf.reduce_min(x0, axis=1)'),
    ],
  }),
  Prod: reductionEntry('prod', tt.prod, 'tf.reduce_prod', {
    lo: 0.5,
    hi: 1.5,
    extra: [
      S('negative values', [F([3, 4], -2, 2)], (x) => tt.prod(x, 0), 'tf.reduce_prod(x0, axis=0)'),
      // At exact zeros the first derivative is exact (and TF's); higher orders see the zero
      // pattern as constant there.
      S(
        'one and two zeros',
        [V([3, 3], [0, 2, 3, 0, 0, 4, 1, 2, 3])],
        (x) => tt.prod(x, 1),
        'tf.reduce_prod(x0, axis=1)',
        { order: 1 },
      ),
    ],
  }),
  Any: reductionEntry('any', tt.any, 'tf.reduce_any', { dtypes: ['bool'] }),
  All: reductionEntry('all', tt.all, 'tf.reduce_all', { dtypes: ['bool'] }),
  ArgMax: {
    op: 'argMax',
    dtypes: NUMERIC,
    exempt: { scalar: 'argMax needs an axis, as in TF' },
    samples: [
      S('default axis 0', [F([3, 4])], (x) => tt.argMax(x), 'tf.argmax(x0)'),
      S('axis -1', [F([2, 3, 4])], (x) => tt.argMax(x, -1), 'tf.argmax(x0, axis=-1)'),
      S(
        'ties give the first',
        [V([2, 3], [1, 3, 3, 2, 2, 2])],
        (x) => tt.argMax(x, 1),
        'tf.argmax(x0, axis=1)',
      ),
      S(
        'NaN is skipped (an all-NaN slice gives 0)',
        [V([3, 4], [1, NaN, 3, 2, NaN, 1, 3, 2, NaN, NaN, NaN, NaN])],
        (x) => tt.argMax(x, 1),
        'tf.argmax(x0, axis=1)',
      ),
      S('size-0 other axis', [F([0, 3])], (x) => tt.argMax(x, 1), 'tf.argmax(x0, axis=1)'),
      S('rank 6', [F(RANK6)], (x) => tt.argMax(x, 2), 'tf.argmax(x0, axis=2)'),
      S('int32', [Ir([3, 4], -5, 5)], (x) => tt.argMax(x, 1), 'tf.argmax(x0, axis=1)'),
    ],
  },
  ArgMin: {
    op: 'argMin',
    dtypes: NUMERIC,
    exempt: { scalar: 'argMin needs an axis, as in TF' },
    samples: [
      S('default axis 0', [F([3, 4])], (x) => tt.argMin(x), 'tf.argmin(x0)'),
      S(
        'ties give the first',
        [V([2, 3], [1, 1, 3, 2, 2, 2])],
        (x) => tt.argMin(x, 1),
        'tf.argmin(x0, axis=1)',
      ),
      S(
        'NaN is skipped (an all-NaN slice gives 0)',
        [V([3, 4], [1, NaN, -3, 2, NaN, 1, -3, 2, NaN, NaN, NaN, NaN])],
        (x) => tt.argMin(x, 1),
        'tf.argmin(x0, axis=1)',
      ),
      S('size-0 other axis', [F([0, 3])], (x) => tt.argMin(x, 1), 'tf.argmin(x0, axis=1)'),
      S('rank 6', [F(RANK6)], (x) => tt.argMin(x, -2), 'tf.argmin(x0, axis=-2)'),
      S('int32', [Ir([3, 4], -5, 5)], (x) => tt.argMin(x, 1), 'tf.argmin(x0, axis=1)'),
    ],
  },
  // ---- shapes
  Reshape: {
    op: 'reshape',
    dtypes: ALL,
    samples: [
      S(
        '[2, 3, 2] → [3, -1]',
        [F([2, 3, 2])],
        (x) => tt.reshape(x, [3, -1]),
        'tf.reshape(x0, [3, -1])',
      ),
      S('scalar → [1, 1]', [F([])], (x) => tt.reshape(x, [1, 1]), 'tf.reshape(x0, [1, 1])'),
      S('size 0', [F([2, 0])], (x) => tt.reshape(x, [0, 5]), 'tf.reshape(x0, [0, 5])'),
      S(
        'rank 6',
        [F([4, 2])],
        (x) => tt.reshape(x, RANK6),
        `tf.reshape(x0, ${JSON.stringify(RANK6)})`,
      ),
      S('int32', [Ir([2, 3], 0, 9)], (x) => tt.reshape(x, [6]), 'tf.reshape(x0, [6])'),
      S('bool', [B([2, 2])], (x) => tt.reshape(x, [4]), 'tf.reshape(x0, [4])'),
    ],
  },
  ExpandDims: {
    op: 'expandDims',
    dtypes: ALL,
    samples: [
      S('axis 1', [F([2, 3])], (x) => tt.expandDims(x, 1), 'tf.expand_dims(x0, 1)'),
      S('axis -1', [F([2, 3])], (x) => tt.expandDims(x, -1), 'tf.expand_dims(x0, -1)'),
      S('scalar', [F([])], (x) => tt.expandDims(x), 'tf.expand_dims(x0, 0)'),
      S('size 0', [F([0, 2])], (x) => tt.expandDims(x, 2), 'tf.expand_dims(x0, 2)'),
      S('rank 5 → 6', [F([2, 1, 2, 1, 2])], (x) => tt.expandDims(x, 3), 'tf.expand_dims(x0, 3)'),
      S('int32', [Ir([3], 0, 9)], (x) => tt.expandDims(x, 0), 'tf.expand_dims(x0, 0)'),
      S('bool', [B([3])], (x) => tt.expandDims(x, 1), 'tf.expand_dims(x0, 1)'),
    ],
  },
  Squeeze: {
    op: 'squeeze',
    dtypes: ALL,
    exempt: { scalar: 'a scalar has no axis to squeeze (squeeze returns it unchanged, no op)' },
    samples: [
      S('all', [F([1, 2, 1, 3])], (x) => tt.squeeze(x), 'tf.squeeze(x0)'),
      S('axis [2]', [F([1, 2, 1, 3])], (x) => tt.squeeze(x, [2]), 'tf.squeeze(x0, axis=[2])'),
      S('to a scalar', [F([1, 1])], (x) => tt.squeeze(x), 'tf.squeeze(x0)'),
      S('size 0', [F([0, 1])], (x) => tt.squeeze(x, 1), 'tf.squeeze(x0, axis=1)'),
      S('rank 6', [F(RANK6)], (x) => tt.squeeze(x, [1, -1]), 'tf.squeeze(x0, axis=[1, -1])'),
      S('int32', [Ir([1, 3], 0, 9)], (x) => tt.squeeze(x), 'tf.squeeze(x0)'),
      S('bool', [B([3, 1])], (x) => tt.squeeze(x), 'tf.squeeze(x0)'),
    ],
  },
  Transpose: {
    op: 'transpose',
    dtypes: ALL,
    exempt: { scalar: 'transposing a scalar is no op' },
    samples: [
      S('default reverses', [F([2, 3])], (x) => tt.transpose(x), 'tf.transpose(x0)'),
      S(
        'perm [2, 0, 1]',
        [F([2, 3, 4])],
        (x) => tt.transpose(x, [2, 0, 1]),
        'tf.transpose(x0, [2, 0, 1])',
      ),
      S('size 0', [F([0, 3])], (x) => tt.transpose(x), 'tf.transpose(x0)'),
      S(
        'rank 6',
        [F([2, 1, 3, 1, 2, 1])],
        (x) => tt.transpose(x, [5, 2, 0, 4, 1, 3]),
        'tf.transpose(x0, [5, 2, 0, 4, 1, 3])',
      ),
      S('int32', [Ir([2, 3], 0, 9)], (x) => tt.transpose(x), 'tf.transpose(x0)'),
      S('bool', [B([2, 3])], (x) => tt.transpose(x), 'tf.transpose(x0)'),
    ],
  },
  BroadcastTo: {
    op: 'broadcastTo',
    dtypes: ALL,
    samples: [
      S(
        '[3, 1] → [2, 3, 4]',
        [F([3, 1])],
        (x) => tt.broadcastTo(x, [2, 3, 4]),
        'tf.broadcast_to(x0, [2, 3, 4])',
      ),
      S('scalar', [F([])], (x) => tt.broadcastTo(x, [2, 2]), 'tf.broadcast_to(x0, [2, 2])'),
      S('size 0', [F([1, 3])], (x) => tt.broadcastTo(x, [0, 3]), 'tf.broadcast_to(x0, [0, 3])'),
      S(
        'rank 6',
        [F([2, 1])],
        (x) => tt.broadcastTo(x, [2, 1, 2, 1, 2, 3]),
        'tf.broadcast_to(x0, [2, 1, 2, 1, 2, 3])',
      ),
      S('int32', [Ir([3], 0, 9)], (x) => tt.broadcastTo(x, [2, 3]), 'tf.broadcast_to(x0, [2, 3])'),
      S('bool', [B([2, 1])], (x) => tt.broadcastTo(x, [2, 2]), 'tf.broadcast_to(x0, [2, 2])'),
    ],
  },
  Slice: {
    op: 'slice',
    dtypes: ALL,
    exempt: { scalar: 'a scalar has no box to slice (slice returns it unchanged, no op)' },
    samples: [
      S(
        'begin [1, 0] size [2, 3]',
        [F([3, 4])],
        (x) => tt.slice(x, [1, 0], [2, 3]),
        'tf.slice(x0, [1, 0], [2, 3])',
      ),
      S(
        'size -1',
        [F([3, 4])],
        (x) => tt.slice(x, [1, 2], [-1, -1]),
        'tf.slice(x0, [1, 2], [-1, -1])',
      ),
      S('size 0', [F([3, 4])], (x) => tt.slice(x, [1, 1], [0, 2]), 'tf.slice(x0, [1, 1], [0, 2])'),
      S(
        'rank 6',
        [F([2, 2, 2, 1, 2, 1])],
        (x) => tt.slice(x, [1, 0, 1, 0, 0, 0], [1, 2, 1, 1, 1, 1]),
        'tf.slice(x0, [1, 0, 1, 0, 0, 0], [1, 2, 1, 1, 1, 1])',
      ),
      S('int32', [Ir([4], 0, 9)], (x) => tt.slice(x, 1, 2), 'tf.slice(x0, [1], [2])'),
      S('bool', [B([4])], (x) => tt.slice(x, [2]), 'tf.slice(x0, [2], [-1])'),
    ],
  },
  Pad: {
    op: 'pad',
    dtypes: ALL,
    exempt: { scalar: 'a scalar has no axis to pad' },
    samples: [
      S(
        '[[1, 0], [0, 2]]',
        [F([2, 3])],
        (x) =>
          tt.pad(x, [
            [1, 0],
            [0, 2],
          ]),
        'tf.pad(x0, [[1, 0], [0, 2]])',
      ),
      S(
        'size 0',
        [F([0, 2])],
        (x) =>
          tt.pad(x, [
            [1, 1],
            [0, 0],
          ]),
        'tf.pad(x0, [[1, 1], [0, 0]])',
      ),
      S(
        'rank 6',
        [F(RANK6)],
        (x) =>
          tt.pad(x, [
            [0, 1],
            [1, 0],
            [0, 0],
            [0, 0],
            [0, 0],
            [2, 0],
          ]),
        'tf.pad(x0, [[0, 1], [1, 0], [0, 0], [0, 0], [0, 0], [2, 0]])',
      ),
      S('int32', [Ir([3], 0, 9)], (x) => tt.pad(x, [[2, 1]]), 'tf.pad(x0, [[2, 1]])'),
      S('bool', [B([2])], (x) => tt.pad(x, [[1, 1]]), 'tf.pad(x0, [[1, 1]])'),
    ],
  },
  PadV2: {
    op: 'pad',
    dtypes: ALL,
    exempt: { scalar: 'a scalar has no axis to pad' },
    samples: [
      S(
        'constant 5',
        [F([2, 3])],
        (x) =>
          tt.pad(
            x,
            [
              [1, 0],
              [0, 2],
            ],
            5,
          ),
        'tf.pad(x0, [[1, 0], [0, 2]], constant_values=5)',
      ),
      S(
        'size 0',
        [F([0, 2])],
        (x) =>
          tt.pad(
            x,
            [
              [1, 1],
              [1, 0],
            ],
            -1.5,
          ),
        'tf.pad(x0, [[1, 1], [1, 0]], constant_values=-1.5)',
      ),
      S(
        'rank 6',
        [F(RANK6)],
        (x) =>
          tt.pad(
            x,
            [
              [0, 1],
              [0, 0],
              [0, 0],
              [1, 0],
              [0, 0],
              [0, 1],
            ],
            2,
          ),
        'tf.pad(x0, [[0, 1], [0, 0], [0, 0], [1, 0], [0, 0], [0, 1]], constant_values=2)',
      ),
      S(
        'int32',
        [Ir([3], 0, 9)],
        (x) => tt.pad(x, [[2, 1]], 7),
        'tf.pad(x0, [[2, 1]], constant_values=7)',
      ),
      S(
        'bool',
        [B([2])],
        (x) => tt.pad(x, [[1, 1]], 1),
        'tf.pad(x0, [[1, 1]], constant_values=True)',
      ),
    ],
  },
  ConcatV2: {
    op: 'concat',
    dtypes: ALL,
    exempt: { scalar: 'scalars cannot be concatenated, as in TF' },
    samples: [
      S(
        'axis 1',
        [F([2, 3]), F([2, 1])],
        (a, b) => tt.concat([a, b], 1),
        'tf.concat([x0, x1], axis=1)',
      ),
      S(
        'three on axis 0',
        [F([2, 3]), F([1, 3]), F([2, 3])],
        (a, b, c) => tt.concat([a, b, c], 0),
        'tf.concat([x0, x1, x2], axis=0)',
      ),
      S(
        'with a size-0 part',
        [F([2, 0]), F([2, 2])],
        (a, b) => tt.concat([a, b], -1),
        'tf.concat([x0, x1], axis=-1)',
      ),
      S(
        'rank 6',
        [F(RANK6), F([2, 1, 2, 1, 1, 1])],
        (a, b) => tt.concat([a, b], 4),
        'tf.concat([x0, x1], axis=4)',
      ),
      S(
        'int32',
        [Ir([2], 0, 9), Ir([3], 0, 9)],
        (a, b) => tt.concat([a, b]),
        'tf.concat([x0, x1], axis=0)',
      ),
      S('bool', [B([2]), B([1])], (a, b) => tt.concat([a, b]), 'tf.concat([x0, x1], axis=0)'),
    ],
  },
  Pack: {
    op: 'stack',
    dtypes: ALL,
    samples: [
      S(
        'axis 1',
        [F([2, 3]), F([2, 3])],
        (a, b) => tt.stack([a, b], 1),
        'tf.stack([x0, x1], axis=1)',
      ),
      S(
        'scalars',
        [F([]), F([]), F([])],
        (a, b, c) => tt.stack([a, b, c]),
        'tf.stack([x0, x1, x2])',
      ),
      S(
        'size 0',
        [F([0, 2]), F([0, 2])],
        (a, b) => tt.stack([a, b], -1),
        'tf.stack([x0, x1], axis=-1)',
      ),
      S(
        'rank 5 → 6',
        [F([2, 1, 2, 1, 2]), F([2, 1, 2, 1, 2])],
        (a, b) => tt.stack([a, b], 2),
        'tf.stack([x0, x1], axis=2)',
      ),
      S('int32', [Ir([2], 0, 9), Ir([2], 0, 9)], (a, b) => tt.stack([a, b]), 'tf.stack([x0, x1])'),
      S('bool', [B([2]), B([2])], (a, b) => tt.stack([a, b], 1), 'tf.stack([x0, x1], axis=1)'),
    ],
  },
  Unpack: {
    op: 'unstack',
    dtypes: ALL,
    exempt: { scalar: 'a scalar cannot be unstacked, as in TF' },
    samples: [
      S('axis 0', [F([3, 2])], (x) => tt.unstack(x), 'tf.unstack(x0)'),
      S('axis 1', [F([2, 3, 2])], (x) => tt.unstack(x, 1), 'tf.unstack(x0, axis=1)'),
      S('only the first output used', [F([3, 2])], (x) => tt.unstack(x)[0], 'tf.unstack(x0)[0]'),
      S('size-0 other axis', [F([2, 0])], (x) => tt.unstack(x), 'tf.unstack(x0)'),
      S('rank 6', [F(RANK6)], (x) => tt.unstack(x, 4), 'tf.unstack(x0, axis=4)'),
      S('int32', [Ir([2, 2], 0, 9)], (x) => tt.unstack(x, 1), 'tf.unstack(x0, axis=1)'),
      S('bool', [B([2, 2])], (x) => tt.unstack(x), 'tf.unstack(x0)'),
    ],
  },
  Split: {
    op: 'split',
    dtypes: ALL,
    exempt: { scalar: 'a scalar cannot be split, as in TF' },
    samples: [
      S('2 pieces on axis 0', [F([4, 3])], (x) => tt.split(x, 2), 'tf.split(x0, 2)'),
      S('3 pieces on axis -1', [F([2, 6])], (x) => tt.split(x, 3, -1), 'tf.split(x0, 3, axis=-1)'),
      S('size-0 pieces', [F([2, 0])], (x) => tt.split(x, 2, 0), 'tf.split(x0, 2, axis=0)'),
      S('rank 6', [F(RANK6)], (x) => tt.split(x, 2, 2), 'tf.split(x0, 2, axis=2)'),
      S('int32', [Ir([4], 0, 9)], (x) => tt.split(x, 2), 'tf.split(x0, 2)'),
      S('bool', [B([2, 2])], (x) => tt.split(x, 2, 1), 'tf.split(x0, 2, axis=1)'),
    ],
  },
  SplitV: {
    op: 'split',
    dtypes: ALL,
    exempt: { scalar: 'a scalar cannot be split, as in TF' },
    samples: [
      S('sizes [1, 4]', [F([2, 5])], (x) => tt.split(x, [1, 4], 1), 'tf.split(x0, [1, 4], axis=1)'),
      S(
        'sizes [2, -1, 0]',
        [F([5, 2])],
        (x) => tt.split(x, [2, -1, 0]),
        'tf.split(x0, [2, -1, 0])',
      ),
      S('size 0', [F([0, 3])], (x) => tt.split(x, [1, 2], 1), 'tf.split(x0, [1, 2], axis=1)'),
      S('rank 6', [F(RANK6)], (x) => tt.split(x, [1, 1], 0), 'tf.split(x0, [1, 1], axis=0)'),
      S('int32', [Ir([3], 0, 9)], (x) => tt.split(x, [2, 1]), 'tf.split(x0, [2, 1])'),
      S('bool', [B([3])], (x) => tt.split(x, [1, 2]), 'tf.split(x0, [1, 2])'),
    ],
  },
  Tile: {
    op: 'tile',
    dtypes: ALL,
    exempt: { scalar: 'tiling a scalar is no op' },
    samples: [
      S('[2, 1]', [F([2, 3])], (x) => tt.tile(x, [2, 1]), 'tf.tile(x0, [2, 1])'),
      S('[2, 3]', [F([2, 2])], (x) => tt.tile(x, [2, 3]), 'tf.tile(x0, [2, 3])'),
      S('a multiple of 0', [F([2, 2])], (x) => tt.tile(x, [0, 2]), 'tf.tile(x0, [0, 2])'),
      S(
        'rank 6',
        [F(RANK6)],
        (x) => tt.tile(x, [1, 2, 1, 1, 1, 2]),
        'tf.tile(x0, [1, 2, 1, 1, 1, 2])',
      ),
      S('int32', [Ir([2], 0, 9)], (x) => tt.tile(x, [3]), 'tf.tile(x0, [3])'),
      S('bool', [B([2])], (x) => tt.tile(x, [2]), 'tf.tile(x0, [2])'),
    ],
  },
  ReverseV2: {
    op: 'reverse',
    dtypes: ALL,
    exempt: { scalar: 'a scalar has no axis to reverse (no op)' },
    samples: [
      S('axis 1', [F([2, 3])], (x) => tt.reverse(x, 1), 'tf.reverse(x0, [1])'),
      S('all axes', [F([2, 3, 2])], (x) => tt.reverse(x), 'tf.reverse(x0, [0, 1, 2])'),
      S('size 0', [F([0, 3])], (x) => tt.reverse(x, [0, -1]), 'tf.reverse(x0, [0, -1])'),
      S('rank 6', [F(RANK6)], (x) => tt.reverse(x, [0, 4]), 'tf.reverse(x0, [0, 4])'),
      S('int32', [Ir([4], 0, 9)], (x) => tt.reverse(x), 'tf.reverse(x0, [0])'),
      S('bool', [B([3])], (x) => tt.reverse(x), 'tf.reverse(x0, [0])'),
    ],
  },
  // ---- arithmetic
  AddV2: binaryEntry('add', tt.add, 'tf.math.add'),
  Sub: binaryEntry('sub', tt.sub, 'tf.math.subtract'),
  Mul: binaryEntry('mul', tt.mul, 'tf.math.multiply'),
  RealDiv: binaryEntry('div', tt.div, 'tf.math.divide', {
    b: [0.5, 2],
    dtypes: FLOAT,
    extra: [
      S(
        'division by zero',
        [V([3], [1, 0, -1]), V([3], [0, 0, 0])],
        (a, b) => tt.div(a, b),
        'tf.math.divide(x0, x1)',
        NO_GRAD,
      ),
      S(
        'negative divisor',
        [F([3]), F([3], -2, -0.5)],
        (a, b) => tt.div(a, b),
        'tf.math.divide(x0, x1)',
      ),
    ],
  }),
  Pow: binaryEntry('pow', tt.pow, 'tf.math.pow', {
    a: [0.2, 2],
    b: [-2, 2],
    int: [-3, 4, 0, 4],
    extra: [
      // pow's exponent gradient is 0 where the base is <= 0 (TF); 0^0 gives NaN as in TF.
      S(
        'base <= 0',
        [V([5], [0, -2, 0, -1.5, 2]), V([5], [2, 3, 0, 2, 0.5])],
        (a, b) => tt.pow(a, b),
        'tf.math.pow(x0, x1)',
        NO_GRAD,
      ),
      // Finite differences in the exponent leave the reals at a negative base: TF's gradient only.
      S(
        'negative base, integer exponents',
        [F([4], -2, -0.5), V([4], [1, 2, 3, -2])],
        (a, b) => tt.pow(a, b),
        'tf.math.pow(x0, x1)',
        NO_GRAD,
      ),
    ],
  }),
  Neg: unaryEntry('neg', tt.neg, 'tf.math.negative', { dtypes: NUMERIC }),
  Square: unaryEntry('square', tt.square, 'tf.math.square', { dtypes: NUMERIC }),
  Sqrt: unaryEntry('sqrt', tt.sqrt, 'tf.math.sqrt', {
    lo: 0.1,
    hi: 3,
    extra: [
      S(
        'zero, infinity, negative',
        [V([4], [0, 4, Infinity, -1])],
        (x) => tt.sqrt(x),
        'tf.math.sqrt(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Exp: unaryEntry('exp', tt.exp, 'tf.math.exp', {
    extra: [
      S(
        'overflow and -inf',
        [V([4], [-Infinity, 0, 800, -800])],
        (x) => tt.exp(x),
        'tf.math.exp(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Log: unaryEntry('log', tt.log, 'tf.math.log', {
    lo: 0.1,
    hi: 3,
    extra: [
      S(
        'zero, infinity, negative',
        [V([4], [0, 1, Infinity, -1])],
        (x) => tt.log(x),
        'tf.math.log(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Sin: unaryEntry('sin', tt.sin, 'tf.math.sin', { lo: -4, hi: 4 }),
  Cos: unaryEntry('cos', tt.cos, 'tf.math.cos', { lo: -4, hi: 4 }),
  Sigmoid: unaryEntry('sigmoid', tt.sigmoid, 'tf.math.sigmoid', {
    lo: -4,
    hi: 4,
    extra: [
      S(
        'saturation',
        [V([5], [-800, -40, 0, 40, 800])],
        (x) => tt.sigmoid(x),
        'tf.math.sigmoid(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Tanh: unaryEntry('tanh', tt.tanh, 'tf.math.tanh', {
    extra: [
      S(
        'saturation',
        [V([4], [-800, -20, 20, 800])],
        (x) => tt.tanh(x),
        'tf.math.tanh(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Relu: unaryEntry('relu', tt.relu, 'tf.nn.relu', {
    dtypes: NUMERIC,
    extra: [
      S(
        "relu'(0) = 0; NaN",
        [V([5], [-1, 0, 2, -0, NaN])],
        (x) => tt.relu(x),
        'tf.nn.relu(x0)',
        NO_GRAD,
      ),
    ],
  }),
  TanhGrad: activationGradEntry('TanhGrad', (y, dy) => `tf.raw_ops.TanhGrad(y=${y}, dy=${dy})`, {
    a: [-0.95, 0.95],
    opts: ROUNDS_THRICE,
  }),
  SigmoidGrad: activationGradEntry(
    'SigmoidGrad',
    (y, dy) => `tf.raw_ops.SigmoidGrad(y=${y}, dy=${dy})`,
    { a: [0.05, 0.95], opts: ROUNDS_THRICE },
  ),
  ReluGrad: activationGradEntry(
    'ReluGrad',
    (dy, x) => `tf.raw_ops.ReluGrad(gradients=${dy}, features=${x})`,
    // The scalar sample takes x > 0: at x <= 0 no finite dy moves its output, yet NaN·0 is NaN
    // there (as in TF), which the conformance test would read as NaN reaching what it should not.
    { a: [-2, 2], dtypes: NUMERIC, scalarB: [0.5, 2] },
  ),
  Relu6Grad: activationGradEntry(
    'Relu6Grad',
    (dy, x) => `tf.raw_ops.Relu6Grad(gradients=${dy}, features=${x})`,
    // x on both sides of both kinks; the scalar sample inside them, as for ReluGrad.
    { a: [-2, 2], b: [-2, 8], dtypes: NUMERIC, scalarB: [0.5, 5.5] },
  ),
  LeakyReluGrad: activationGradEntry(
    'LeakyReluGrad',
    (dy, x) => `tf.raw_ops.LeakyReluGrad(gradients=${dy}, features=${x}, alpha=0.25)`,
    { a: [-2, 2], attrs: { alpha: 0.25 } },
  ),
  // ---- comparisons and logic
  Greater: comparisonEntry('greater', tt.greater, 'tf.math.greater'),
  GreaterEqual: comparisonEntry('greaterEqual', tt.greaterEqual, 'tf.math.greater_equal'),
  Less: comparisonEntry('less', tt.less, 'tf.math.less'),
  LessEqual: comparisonEntry('lessEqual', tt.lessEqual, 'tf.math.less_equal'),
  Equal: comparisonEntry('equal', tt.equal, 'tf.math.equal'),
  NotEqual: comparisonEntry('notEqual', tt.notEqual, 'tf.math.not_equal'),
  LogicalAnd: {
    op: 'logicalAnd',
    dtypes: ['bool'],
    samples: [
      S(
        '[2, 3] and [3]',
        [B([2, 3]), B([3])],
        (a, b) => tt.logicalAnd(a, b),
        'tf.logical_and(x0, x1)',
      ),
      S(
        'scalar and size 0',
        [B([]), B([0, 2])],
        (a, b) => tt.logicalAnd(a, b),
        'tf.logical_and(x0, x1)',
      ),
      S(
        'rank 6',
        [B(RANK6), B([1, 2, 1, 1, 1, 1])],
        (a, b) => tt.logicalAnd(a, b),
        'tf.logical_and(x0, x1)',
      ),
    ],
  },
  LogicalOr: {
    op: 'logicalOr',
    dtypes: ['bool'],
    samples: [
      S(
        '[2, 3] and [2, 1]',
        [B([2, 3]), B([2, 1])],
        (a, b) => tt.logicalOr(a, b),
        'tf.logical_or(x0, x1)',
      ),
      S(
        'scalar and size 0',
        [B([]), B([2, 0])],
        (a, b) => tt.logicalOr(a, b),
        'tf.logical_or(x0, x1)',
      ),
      S(
        'rank 6',
        [B(RANK6), B([2, 1, 1, 1, 1, 1])],
        (a, b) => tt.logicalOr(a, b),
        'tf.logical_or(x0, x1)',
      ),
    ],
  },
  LogicalNot: {
    op: 'logicalNot',
    dtypes: ['bool'],
    samples: [
      S('[2, 3]', [B([2, 3])], (x) => tt.logicalNot(x), 'tf.logical_not(x0)'),
      S(
        'scalar, size 0, rank 6',
        [B([]), B([0]), B(RANK6)],
        (a, b, c) => [tt.logicalNot(a), tt.logicalNot(b), tt.logicalNot(c)],
        '[tf.logical_not(x0), tf.logical_not(x1), tf.logical_not(x2)]',
      ),
    ],
  },
  SelectV2: {
    op: 'where',
    dtypes: ALL,
    samples: [
      S(
        'all [2, 3]',
        [B([2, 3]), F([2, 3]), F([2, 3])],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S(
        'all three broadcast',
        [B([3]), F([2, 1]), F([2, 3])],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S(
        'scalar condition',
        [B([], [1]), F([2]), F([])],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S(
        'size 0',
        [B([0, 1]), F([1, 2]), F([2])],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S(
        'rank 6',
        [B([2, 1, 2, 1, 1, 1]), F(RANK6), F([1])],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S(
        'int32',
        [B([3]), Ir([3], 0, 9), Ir([3], 0, 9)],
        (c, a, b) => tt.where(c, a, b),
        'tf.where(x0, x1, x2)',
      ),
      S('bool', [B([3]), B([3]), B([3])], (c, a, b) => tt.where(c, a, b), 'tf.where(x0, x1, x2)'),
    ],
  },
  // ---- matrix products
  MatMul: {
    op: 'matMul',
    dtypes: NUMERIC,
    exempt: {
      scalar: 'matMul needs matrices, as in TF',
      rank6: 'MatMul is the rank-2 case; BatchMatMulV2 has the rank-6 samples',
    },
    samples: [
      S(
        '[2, 3] × [3, 4]',
        [F([2, 3]), F([3, 4])],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
      S(
        'transposeA',
        [F([3, 2]), F([3, 4])],
        (a, b) => tt.matMul(a, b, true),
        'tf.linalg.matmul(x0, x1, transpose_a=True)',
      ),
      S(
        'transposeB',
        [F([2, 3]), F([4, 3])],
        (a, b) => tt.matMul(a, b, false, true),
        'tf.linalg.matmul(x0, x1, transpose_b=True)',
      ),
      S(
        'both transposed',
        [F([3, 2]), F([4, 3])],
        (a, b) => tt.matMul(a, b, true, true),
        'tf.linalg.matmul(x0, x1, transpose_a=True, transpose_b=True)',
      ),
      S(
        'inner size 0',
        [F([2, 0]), F([0, 3])],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
      S(
        'int32',
        [Ir([2, 2], -3, 4), Ir([2, 3], -3, 4)],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
    ],
  },
  BatchMatMulV2: {
    op: 'matMul',
    dtypes: NUMERIC,
    exempt: { scalar: 'matMul needs matrices, as in TF' },
    samples: [
      S(
        'batch × matrix',
        [F([2, 2, 3]), F([3, 4])],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
      S(
        'broadcast batches, both transposed',
        [F([2, 1, 3, 2]), F([3, 4, 3])],
        (a, b) => tt.matMul(a, b, true, true),
        'tf.linalg.matmul(x0, x1, transpose_a=True, transpose_b=True)',
      ),
      S(
        'size-0 batch',
        [F([0, 2, 3]), F([3, 2])],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
      S(
        'rank 6',
        [F([2, 1, 2, 1, 2, 3]), F([1, 2, 1, 2, 3, 2])],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
      S(
        'int32',
        [Ir([2, 2, 2], -3, 4), Ir([2, 2], -3, 4)],
        (a, b) => tt.matMul(a, b),
        'tf.linalg.matmul(x0, x1)',
      ),
    ],
  },
  // ---- elementwise math
  Abs: unaryEntry('abs', tt.abs, 'tf.math.abs', {
    dtypes: NUMERIC,
    extra: [
      S("abs'(0) = 0", [V([4], [-1.5, 0, 2, -0])], (x) => tt.abs(x), 'tf.math.abs(x0)', NO_GRAD),
    ],
  }),
  Sign: unaryEntry('sign', tt.sign, 'tf.math.sign', {
    dtypes: NUMERIC,
    extra: [
      S(
        'zeros and NaN',
        [V([5], [-1.5, 0, 2, -0, NaN])],
        (x) => tt.sign(x),
        'tf.math.sign(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Rsqrt: unaryEntry('rsqrt', tt.rsqrt, 'tf.math.rsqrt', { lo: 0.2, hi: 3 }),
  Reciprocal: unaryEntry('reciprocal', tt.reciprocal, 'tf.math.reciprocal', {
    lo: 0.3,
    hi: 2.5,
    extra: [
      S('negative', [F([3], -2.5, -0.3)], (x) => tt.reciprocal(x), 'tf.math.reciprocal(x0)'),
      S('zeros', [V([2], [0, -0])], (x) => tt.reciprocal(x), 'tf.math.reciprocal(x0)', NO_GRAD),
    ],
  }),
  Expm1: unaryEntry('expm1', tt.expm1, 'tf.math.expm1', {
    extra: [
      S('tiny values', [V([3], [1e-10, -3e-12, 0])], (x) => tt.expm1(x), 'tf.math.expm1(x0)'),
    ],
  }),
  Log1p: unaryEntry('log1p', tt.log1p, 'tf.math.log1p', {
    lo: -0.5,
    hi: 2,
    extra: [
      S('tiny values', [V([3], [1e-10, -3e-12, 0])], (x) => tt.log1p(x), 'tf.math.log1p(x0)'),
      S('-1 and below', [V([2], [-1, -2])], (x) => tt.log1p(x), 'tf.math.log1p(x0)', NO_GRAD),
    ],
  }),
  Tan: unaryEntry('tan', tt.tan, 'tf.math.tan', { lo: -1.2, hi: 1.2 }),
  Asin: unaryEntry('asin', tt.asin, 'tf.math.asin', {
    lo: -0.9,
    hi: 0.9,
    extra: [
      S('±1 and outside', [V([3], [1, -1, 1.5])], (x) => tt.asin(x), 'tf.math.asin(x0)', NO_GRAD),
    ],
  }),
  Acos: unaryEntry('acos', tt.acos, 'tf.math.acos', { lo: -0.9, hi: 0.9 }),
  Atan: unaryEntry('atan', tt.atan, 'tf.math.atan', { lo: -3, hi: 3 }),
  Sinh: unaryEntry('sinh', tt.sinh, 'tf.math.sinh'),
  Cosh: unaryEntry('cosh', tt.cosh, 'tf.math.cosh'),
  Asinh: unaryEntry('asinh', tt.asinh, 'tf.math.asinh', { lo: -3, hi: 3 }),
  Acosh: unaryEntry('acosh', tt.acosh, 'tf.math.acosh', { lo: 1.1, hi: 3 }),
  Atanh: unaryEntry('atanh', tt.atanh, 'tf.math.atanh', {
    lo: -0.9,
    hi: 0.9,
    extra: [S('±1', [V([2], [1, -1])], (x) => tt.atanh(x), 'tf.math.atanh(x0)', NO_GRAD)],
  }),
  Erf: unaryEntry('erf', tt.erf, 'tf.math.erf', {
    lo: -3,
    hi: 3,
    extra: [
      S(
        'every branch of the kernel',
        [V([12], [-7, -3, -1.2, -0.49, -0.3, 0, 0.3, 0.51, 0.7, 2.5, 5.8, 9])],
        (x) => tt.erf(x),
        'tf.math.erf(x0)',
      ),
    ],
  }),
  Erfc: unaryEntry('erfc', tt.erfc, 'tf.math.erfc', {
    lo: -3,
    hi: 3,
    extra: [
      S(
        'every branch of the kernel',
        [V([14], [-7, -3, -1.2, -0.49, -0.3, 0, 0.3, 0.51, 0.7, 2.5, 5.8, 6.2, 9, 26])],
        (x) => tt.erfc(x),
        'tf.math.erfc(x0)',
      ),
    ],
  }),
  Floor: unaryEntry('floor', tt.floor, 'tf.math.floor', { lo: -3, hi: 3 }),
  Ceil: unaryEntry('ceil', tt.ceil, 'tf.math.ceil', { lo: -3, hi: 3 }),
  Round: unaryEntry('round', tt.round, 'tf.math.round', {
    lo: -3,
    hi: 3,
    dtypes: NUMERIC,
    extra: [
      S(
        'half to even',
        [V([9], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, 3.7, -3.2])],
        (x) => tt.round(x),
        'tf.math.round(x0)',
        NO_GRAD,
      ),
    ],
  }),
  IsFinite: unaryEntry('isFinite', tt.isFinite, 'tf.math.is_finite', {
    extra: [
      S(
        'NaN and infinities',
        [V([4], [NaN, Infinity, -Infinity, 1])],
        (x) => tt.isFinite(x),
        'tf.math.is_finite(x0)',
      ),
    ],
  }),
  IsNan: unaryEntry('isNaN', tt.isNaN, 'tf.math.is_nan', {
    extra: [
      S(
        'NaN and infinities',
        [V([4], [NaN, Infinity, -Infinity, 1])],
        (x) => tt.isNaN(x),
        'tf.math.is_nan(x0)',
      ),
    ],
  }),
  IsInf: unaryEntry('isInf', tt.isInf, 'tf.math.is_inf', {
    extra: [
      S(
        'NaN and infinities',
        [V([4], [NaN, Infinity, -Infinity, 1])],
        (x) => tt.isInf(x),
        'tf.math.is_inf(x0)',
      ),
    ],
  }),
  Maximum: binaryEntry('maximum', tt.maximum, 'tf.math.maximum', {
    extra: [
      S(
        'ties go to x; NaN propagates',
        [V([5], [1, 2, 3, NaN, 1]), V([5], [1, 3, 2, 1, NaN])],
        (a, b) => tt.maximum(a, b),
        'tf.math.maximum(x0, x1)',
        NO_GRAD,
      ),
    ],
  }),
  Minimum: binaryEntry('minimum', tt.minimum, 'tf.math.minimum', {
    extra: [
      S(
        'ties go to x; NaN propagates',
        [V([5], [1, 2, 3, NaN, 1]), V([5], [1, 3, 2, 1, NaN])],
        (a, b) => tt.minimum(a, b),
        'tf.math.minimum(x0, x1)',
        NO_GRAD,
      ),
    ],
  }),
  SquaredDifference: binaryEntry(
    'squaredDifference',
    tt.squaredDifference,
    'tf.math.squared_difference',
  ),
  Atan2: binaryEntry('atan2', tt.atan2, 'tf.math.atan2', {
    dtypes: FLOAT,
    b: [0.3, 2],
    extra: [
      S(
        'every quadrant',
        [V([4], [1, 1, -1, -1]), V([4], [1, -1, 1, -1])],
        (a, b) => tt.atan2(a, b),
        'tf.math.atan2(x0, x1)',
      ),
      S(
        'the origin (NaN gradient)',
        [V([3], [0, 0, -0]), V([3], [0, -0, -1])],
        (a, b) => tt.atan2(a, b),
        'tf.math.atan2(x0, x1)',
        NO_GRAD,
      ),
    ],
  }),
  FloorDiv: binaryEntry('floorDiv', tt.floorDiv, 'tf.math.floordiv', {
    a: [-5, 5],
    b: [0.5, 2],
    int: [-9, 10, 1, 4],
    extra: [
      S(
        'negative int32 rounds down',
        [I([4], [-7, 7, -7, 7]), I([4], [2, -2, -2, 2])],
        (a, b) => tt.floorDiv(a, b),
        'tf.math.floordiv(x0, x1)',
      ),
    ],
  }),
  FloorMod: binaryEntry('mod', tt.mod, 'tf.math.floormod', {
    a: [-5, 5],
    b: [0.5, 2],
    int: [-9, 10, 1, 4],
    extra: [
      S(
        'the divisor’s sign',
        [V([4], [-7, 7, -7, 7]), V([4], [2, -2, -2, 2.5])],
        (a, b) => tt.mod(a, b),
        'tf.math.floormod(x0, x1)',
        NO_GRAD,
      ),
      S(
        'negative int32',
        [I([4], [-7, 7, -7, 7]), I([4], [2, -2, -2, 3])],
        (a, b) => tt.mod(a, b),
        'tf.math.floormod(x0, x1)',
      ),
    ],
  }),
  // ---- activations
  Softplus: unaryEntry('softplus', tt.softplus, 'tf.nn.softplus', {
    lo: -4,
    hi: 4,
    extra: [
      S(
        'large magnitudes',
        [V([4], [-50, 0, 30, 800])],
        (x) => tt.softplus(x),
        'tf.nn.softplus(x0)',
        NO_GRAD,
      ),
    ],
  }),
  Relu6: unaryEntry('relu6', tt.relu6, 'tf.nn.relu6', {
    lo: -2,
    hi: 8,
    dtypes: NUMERIC,
    extra: [
      S('both kinks', [V([5], [-1, 0, 3, 6, 7])], (x) => tt.relu6(x), 'tf.nn.relu6(x0)', NO_GRAD),
    ],
  }),
  Elu: unaryEntry('elu', tt.elu, 'tf.nn.elu', {
    extra: [S("elu'(0) = 1", [V([3], [-1, 0, 1])], (x) => tt.elu(x), 'tf.nn.elu(x0)', NO_GRAD)],
  }),
  Selu: unaryEntry('selu', tt.selu, 'tf.nn.selu', {
    extra: [
      S("selu'(0) = scale", [V([3], [-1, 0, 1])], (x) => tt.selu(x), 'tf.nn.selu(x0)', NO_GRAD),
    ],
  }),
  // TF keeps alpha as a float32 attribute (0.2 becomes 0.20000000298...); tensortape uses alpha
  // as given, so these samples use slopes exact in float32 (the default 0.2 is tested apart).
  LeakyRelu: unaryEntry('leakyRelu', (x) => tt.leakyRelu(x, 0.25), 'tf.nn.leaky_relu', {
    tfArgs: ', alpha=0.25',
    extra: [
      S('alpha 0.5', [F([2, 3])], (x) => tt.leakyRelu(x, 0.5), 'tf.nn.leaky_relu(x0, alpha=0.5)'),
      S(
        'slope alpha at 0',
        [V([3], [-1, 0, 1])],
        (x) => tt.leakyRelu(x, 0.125),
        'tf.nn.leaky_relu(x0, alpha=0.125)',
        NO_GRAD,
      ),
    ],
  }),
  Softmax: {
    op: 'softmax',
    dtypes: FLOAT,
    exempt: { scalar: 'softmax needs rank >= 1, as in TF' },
    samples: [
      S('last axis', [F([2, 4])], (x) => tt.softmax(x), 'tf.nn.softmax(x0)'),
      S('axis 0', [F([3, 2])], (x) => tt.softmax(x, 0), 'tf.nn.softmax(x0, axis=0)'),
      S(
        'large logits',
        [V([2, 3], [1000, 1001, 999, -1000, -1002, -1001])],
        (x) => tt.softmax(x),
        'tf.nn.softmax(x0)',
      ),
      S(
        '-inf entries; a row of -inf gives NaN',
        [V([2, 3], [-Infinity, 0, 1, -Infinity, -Infinity, -Infinity])],
        (x) => tt.softmax(x),
        'tf.nn.softmax(x0)',
        NO_GRAD,
      ),
      S('size 0', [F([0, 3])], (x) => tt.softmax(x), 'tf.nn.softmax(x0)'),
      S('rank 6', [F([2, 1, 2, 1, 1, 3])], (x) => tt.softmax(x, 2), 'tf.nn.softmax(x0, axis=2)'),
    ],
  },
  LogSoftmax: {
    op: 'logSoftmax',
    dtypes: FLOAT,
    exempt: { scalar: 'logSoftmax needs rank >= 1, as in TF' },
    samples: [
      S('last axis', [F([2, 4])], (x) => tt.logSoftmax(x), 'tf.nn.log_softmax(x0)'),
      S('axis 0', [F([3, 2])], (x) => tt.logSoftmax(x, 0), 'tf.nn.log_softmax(x0, axis=0)'),
      S(
        'large logits',
        [V([2, 3], [1000, 1001, 999, -1000, -1002, -1001])],
        (x) => tt.logSoftmax(x),
        'tf.nn.log_softmax(x0)',
      ),
      S('size 0', [F([2, 0])], (x) => tt.logSoftmax(x), 'tf.nn.log_softmax(x0)'),
      S(
        'rank 6',
        [F([2, 1, 2, 1, 1, 3])],
        (x) => tt.logSoftmax(x, -1),
        'tf.nn.log_softmax(x0, axis=-1)',
      ),
    ],
  },
  // ---- indexing
  GatherV2: {
    op: 'gather',
    dtypes: ALL,
    samples: [
      S(
        'repeated indices',
        [F([4, 3]), I([5], [3, 0, 3, 1, 3])],
        (x, i) => tt.gather(x, i),
        'tf.gather(x0, x1)',
      ),
      S(
        'axis 1, rank-2 indices',
        [F([2, 5, 3]), I([2, 2], [4, 0, 1, 4])],
        (x, i) => tt.gather(x, i, 1),
        'tf.gather(x0, x1, axis=1)',
      ),
      S('scalar index', [F([3, 2]), I([], [2])], (x, i) => tt.gather(x, i, 0), 'tf.gather(x0, x1)'),
      S(
        'batchDims 1',
        [F([2, 5, 3]), I([2, 3], [4, 0, 4, 1, 2, 2])],
        (x, i) => tt.gather(x, i, 1, 1),
        'tf.gather(x0, x1, axis=1, batch_dims=1)',
      ),
      S(
        'batchDims 1, axis 2',
        [F([2, 3, 4]), I([2, 2], [3, 0, 1, 1])],
        (x, i) => tt.gather(x, i, 2, 1),
        'tf.gather(x0, x1, axis=2, batch_dims=1)',
      ),
      S('no indices', [F([3, 2]), I([0], [])], (x, i) => tt.gather(x, i), 'tf.gather(x0, x1)'),
      S(
        'rank 6',
        [F(RANK6), I([3], [1, 0, 1])],
        (x, i) => tt.gather(x, i, 4),
        'tf.gather(x0, x1, axis=4)',
      ),
      S('int32', [Ir([4], 0, 9), I([2], [3, 1])], (x, i) => tt.gather(x, i), 'tf.gather(x0, x1)'),
      S('bool', [B([4]), I([2], [3, 1])], (x, i) => tt.gather(x, i), 'tf.gather(x0, x1)'),
    ],
  },
  UnsortedSegmentSum: {
    op: 'unsortedSegmentSum',
    dtypes: NUMERIC,
    exempt: { scalar: 'segment ids index the leading axes of data, as in TF' },
    samples: [
      S(
        'repeated ids, empty segment',
        [F([5, 3]), I([5], [0, 2, 0, 2, 2])],
        (d, s) => tt.unsortedSegmentSum(d, s, 4),
        'tf.math.unsorted_segment_sum(x0, x1, 4)',
      ),
      S(
        'negative ids are dropped',
        [F([4]), I([4], [1, -1, 0, -3])],
        (d, s) => tt.unsortedSegmentSum(d, s, 2),
        'tf.math.unsorted_segment_sum(x0, x1, 2)',
      ),
      S(
        'rank-2 ids',
        [F([2, 2, 3]), I([2, 2], [1, 0, 1, 1])],
        (d, s) => tt.unsortedSegmentSum(d, s, 2),
        'tf.math.unsorted_segment_sum(x0, x1, 2)',
      ),
      S(
        'size 0',
        [F([0, 2]), I([0], [])],
        (d, s) => tt.unsortedSegmentSum(d, s, 3),
        'tf.math.unsorted_segment_sum(x0, x1, 3)',
      ),
      S(
        'rank 6',
        [F(RANK6), I([2], [1, 1])],
        (d, s) => tt.unsortedSegmentSum(d, s, 2),
        'tf.math.unsorted_segment_sum(x0, x1, 2)',
      ),
      S(
        'int32',
        [Ir([3], -5, 5), I([3], [0, 0, 1])],
        (d, s) => tt.unsortedSegmentSum(d, s, 2),
        'tf.math.unsorted_segment_sum(x0, x1, 2)',
      ),
    ],
  },
  OneHot: {
    op: 'oneHot',
    dtypes: ['int32'],
    samples: [
      S(
        'out-of-range indices give offValue',
        [I([4], [0, 2, 5, -1])],
        (i) => tt.oneHot(i, 3),
        'tf.one_hot(x0, 3)',
      ),
      S(
        'axis 0, on/off values, float64',
        [I([2, 2], [1, 0, 2, 1])],
        (i) => tt.oneHot(i, 3, { axis: 0, onValue: 5, offValue: -1, dtype: 'float64' }),
        'tf.one_hot(x0, 3, axis=0, on_value=5.0, off_value=-1.0, dtype=tf.float64)',
      ),
      S(
        'int32 output',
        [I([2], [1, 0])],
        (i) => tt.oneHot(i, 2, { dtype: 'int32' }),
        'tf.one_hot(x0, 2, dtype=tf.int32)',
      ),
      S('scalar', [I([], [1])], (i) => tt.oneHot(i, 4), 'tf.one_hot(x0, 4)'),
      S('size 0', [I([0], [])], (i) => tt.oneHot(i, 4), 'tf.one_hot(x0, 4)'),
      S(
        'rank 5 → 6',
        [I([2, 1, 2, 1, 1], [0, 1, 1, 0])],
        (i) => tt.oneHot(i, 2, { axis: 2 }),
        'tf.one_hot(x0, 2, axis=2)',
      ),
    ],
  },
  StridedSlice: {
    op: 'stridedSlice',
    dtypes: ALL,
    samples: [
      S(
        'negative strides and bounds',
        [F([4, 5])],
        (x) => tt.stridedSlice(x, [1, -1], [4, 0], [2, -2]),
        'tf.strided_slice(x0, [1, -1], [4, 0], [2, -2])',
      ),
      S(
        'begin/end masks, clamping',
        [F([4, 5])],
        (x) => tt.stridedSlice(x, [9, -9], [0, 3], [-1, 1], 1, 0),
        'tf.strided_slice(x0, [9, -9], [0, 3], [-1, 1], begin_mask=1)',
      ),
      S(
        'ellipsis, new axis, shrink',
        [F([2, 3, 4])],
        (x) => tt.stridedSlice(x, [0, 0, 1], [0, 0, 2], [1, 1, 1], 0, 0, 1, 2, 4),
        'tf.strided_slice(x0, [0, 0, 1], [0, 0, 2], [1, 1, 1], ellipsis_mask=1, new_axis_mask=2, shrink_axis_mask=4)',
      ),
      S(
        'index: j[:, 0, :, 0]',
        [F([2, 3, 4, 5])],
        (x) => x.index(null, 0, null, 0),
        'x0[:, 0, :, 0]',
      ),
      S(
        'index: negative, slices, ellipsis, newaxis',
        [F([3, 4, 2])],
        (x) => x.index(-1, '...', 'newaxis', '::-1'),
        'x0[-1, ..., tf.newaxis, ::-1]',
      ),
      S(
        'index: steps and empty ranges',
        [F([5, 4])],
        (x) => x.index('1::2', '3:1'),
        'x0[1::2, 3:1]',
      ),
      S('scalar', [F([])], (x) => x.index('newaxis'), 'x0[tf.newaxis]'),
      S('size 0', [F([0, 3])], (x) => x.index(null, 1), 'x0[:, 1]'),
      S(
        'rank 6',
        [F([2, 2, 2, 1, 2, 1])],
        (x) => x.index(1, '::-1', null, 0, '1:'),
        'x0[1, ::-1, :, 0, 1:]',
      ),
      S('int32', [Ir([4, 2], 0, 9)], (x) => x.index('::3', 1), 'x0[::3, 1]'),
      S('bool', [B([4])], (x) => x.index('1:3'), 'x0[1:3]'),
    ],
  },
  StridedSliceGrad: {
    op: 'stridedSliceGrad',
    dtypes: ALL,
    exempt: {
      scalar: 'the gradient of a slice of a scalar (a new axis) is a reshape, not this op',
    },
    samples: [
      S(
        'negative strides',
        [F([2, 2])],
        stridedSliceGrad([4, 5], (y) => tt.stridedSlice(y, [1, -1], [4, 0], [2, -2])),
        'tf.raw_ops.StridedSliceGrad(shape=[4, 5], begin=[1, -1], end=[4, 0], strides=[2, -2], dy=x0)',
      ),
      S(
        'shrink and new axis',
        [F([2, 1, 3])],
        stridedSliceGrad([2, 3, 4], (y) => y.index(null, 1, 'newaxis', '1:')),
        'tf.raw_ops.StridedSliceGrad(shape=[2, 3, 4], begin=[0, 1, 0, 1], end=[0, 2, 0, 0], strides=[1, 1, 1, 1], dy=x0, begin_mask=1, end_mask=9, new_axis_mask=4, shrink_axis_mask=2)',
      ),
      S(
        'size 0',
        [F([0, 3])],
        stridedSliceGrad([2, 3], (y) => y.index('1:1')),
        'tf.raw_ops.StridedSliceGrad(shape=[2, 3], begin=[1], end=[1], strides=[1], dy=x0)',
      ),
      S(
        'int32',
        [Ir([2], 0, 9)],
        stridedSliceGrad([4], (y) => y.index('::2')),
        'tf.raw_ops.StridedSliceGrad(shape=[4], begin=[0], end=[0], strides=[2], dy=x0, begin_mask=1, end_mask=1)',
      ),
      S(
        'bool',
        [B([2])],
        stridedSliceGrad([4], (y) => y.index('::-2')),
        'tf.raw_ops.StridedSliceGrad(shape=[4], begin=[0], end=[0], strides=[-2], dy=x0, begin_mask=1, end_mask=1)',
      ),
      S(
        'rank 6',
        [F([1, 1, 1, 1, 2, 1])],
        stridedSliceGrad(RANK6, (y) => y.index('1:', '::-1', '0:1')),
        `tf.raw_ops.StridedSliceGrad(shape=${JSON.stringify(RANK6)}, begin=[1, -1, 0], end=[0, 0, 1], strides=[1, -1, 1], dy=x0, end_mask=3)`,
      ),
    ],
  },
};

/**
 * StridedSliceGrad applied to `g` with the attributes `slice` records for an input of shape
 * `shape` (the primitive directly, so every dtype it takes can be sampled).
 */
function stridedSliceGrad(shape: number[], slice: (y: tt.Tensor) => tt.Tensor): Fn {
  let attrs: unknown;
  return (g) => {
    attrs ??= recordedAttrs('StridedSlice', () => slice(tt.zeros(shape)));
    return bind1(builtinPrimitives.get('StridedSliceGrad')!, [g], attrs);
  };
}

/** The attributes of the first application of primitive `name` while `fn` runs. */
function recordedAttrs(name: string, fn: () => unknown): unknown {
  let found: unknown;
  const spy: Interpreter = {
    interested: () => true,
    process: (prim, inputs, attrs, frame) => {
      if (prim.name === name && found === undefined) found = attrs;
      return bindBelow(frame, prim, inputs, attrs);
    },
    variableRead: () => {},
  };
  const frame = pushFrame(spy);
  try {
    fn();
  } finally {
    popFrame(frame, 'recordedAttrs');
  }
  if (found === undefined) throw new Error(`recordedAttrs: ${name} was not applied`);
  return found;
}

// ---- ops TF composes ----------------------------------------------------------------------------

const GELU_TF = '0.5 * x0 * tf.math.erfc(-x0 * tf.constant(0.7071067811865476, tf.float64))';
const GELU_TANH_TF =
  '0.5 * x0 * (1.0 + tf.math.tanh(0.7978845608028654 * (x0 + tf.constant(0.044715, tf.float64) * tf.math.pow(x0, 3))))';

/**
 * Tolerance of compositions in float32: a few roundings, each within half an ulp of its result,
 * amplified at most 2× by an outer power (the 1/p of a p-norm with p = 1/2): 3 ulps of the
 * largest output.
 */
const COMPOSED = { ulps32: 3 } as const;

export const COMPOSITES: Record<CompositeOp, Entry> = {
  clipByValue: {
    op: 'clipByValue',
    dtypes: NUMERIC,
    samples: [
      S(
        '[2, 3] to [-0.5, 1]',
        [F([2, 3])],
        (x) => tt.clipByValue(x, -0.5, 1),
        'tf.clip_by_value(x0, -0.5, 1.0)',
      ),
      S(
        'passes 1 at the bounds',
        [V([5], [-1, 0, 0.5, 1, 2])],
        (x) => tt.clipByValue(x, 0, 1),
        'tf.clip_by_value(x0, 0.0, 1.0)',
        NO_GRAD,
      ),
      S(
        'tensor bounds get gradients',
        [F([2, 3]), F([3], -2, 0), F([2, 1], 0, 2)],
        (x, lo, hi) => tt.clipByValue(x, lo, hi),
        'tf.clip_by_value(x0, x1, x2)',
      ),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0, 2]), F(RANK6)],
        (a, b, c) => [tt.clipByValue(a, -1, 1), tt.clipByValue(b, -1, 1), tt.clipByValue(c, -1, 1)],
        '[tf.clip_by_value(x, -1.0, 1.0) for x in (x0, x1, x2)]',
      ),
      S(
        'int32',
        [Ir([2, 3], -5, 6)],
        (x) => tt.clipByValue(x, -2, 3),
        'tf.clip_by_value(x0, -2, 3)',
      ),
    ],
  },
  clipByNorm: {
    op: 'clipByNorm',
    dtypes: FLOAT,
    samples: [
      S(
        'all axes, clipped',
        [F([2, 3])],
        (x) => tt.clipByNorm(x, 1),
        'tf.clip_by_norm(x0, 1.0)',
        COMPOSED,
      ),
      S(
        'per row',
        [F([3, 4])],
        (x) => tt.clipByNorm(x, 1.5, 1),
        'tf.clip_by_norm(x0, 1.5, axes=[1])',
        COMPOSED,
      ),
      S(
        'not clipped',
        [F([3], -0.1, 0.1)],
        (x) => tt.clipByNorm(x, 2),
        'tf.clip_by_norm(x0, 2.0)',
        COMPOSED,
      ),
      S(
        'a zero row keeps a finite gradient',
        [V([2, 2], [0, 0, 3, 4])],
        (x) => tt.clipByNorm(x, 1, [1]),
        'tf.clip_by_norm(x0, 1.0, axes=[1])',
        { ...COMPOSED, order: 0 },
      ),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0, 2]), F(RANK6)],
        (a, b, c) => [tt.clipByNorm(a, 3), tt.clipByNorm(b, 1), tt.clipByNorm(c, 1, [1, 4])],
        '[tf.clip_by_norm(x0, 3.0), tf.clip_by_norm(x1, 1.0), tf.clip_by_norm(x2, 1.0, axes=[1, 4])]',
        COMPOSED,
      ),
    ],
  },
  norm: {
    op: 'norm',
    dtypes: FLOAT,
    samples: [
      S('euclidean, all elements', [F([2, 3])], (x) => tt.norm(x), 'tf.norm(x0)', COMPOSED),
      S(
        'ord 2, axis 1, keepDims',
        [F([2, 3])],
        (x) => tt.norm(x, 2, 1, true),
        'tf.norm(x0, ord=2, axis=1, keepdims=True)',
        COMPOSED,
      ),
      S(
        'ord 1, axis 0',
        [F([3, 2])],
        (x) => tt.norm(x, 1, 0),
        'tf.norm(x0, ord=1, axis=0)',
        COMPOSED,
      ),
      S(
        'ord 3, axis -1',
        [F([2, 4])],
        (x) => tt.norm(x, 3, -1),
        'tf.norm(x0, ord=3, axis=-1)',
        COMPOSED,
      ),
      S('ord 0.5', [F([4], 0.2, 2)], (x) => tt.norm(x, 0.5), 'tf.norm(x0, ord=0.5)', COMPOSED),
      S(
        'ord Infinity',
        [F([2, 3])],
        (x) => tt.norm(x, Infinity, 1),
        'tf.norm(x0, ord=np.inf, axis=1)',
        COMPOSED,
      ),
      S(
        'matrix fro',
        [F([2, 3, 2])],
        (x) => tt.norm(x, 'fro', [1, 2]),
        "tf.norm(x0, ord='fro', axis=[1, 2])",
        COMPOSED,
      ),
      S(
        'matrix 1',
        [F([3, 3])],
        (x) => tt.norm(x, 1, [0, 1]),
        'tf.norm(x0, ord=1, axis=[0, 1])',
        COMPOSED,
      ),
      S(
        'matrix Infinity, swapped axes',
        [F([2, 3, 4])],
        (x) => tt.norm(x, Infinity, [2, 0], true),
        'tf.norm(x0, ord=np.inf, axis=[2, 0], keepdims=True)',
        COMPOSED,
      ),
      S(
        'at zero: NaN gradient, as in TF',
        [V([2, 2], [0, 0, 3, 4])],
        (x) => tt.norm(x, 'euclidean', 1),
        'tf.norm(x0, axis=1)',
        { ...COMPOSED, order: 0 },
      ),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0, 2]), F(RANK6)],
        (a, b, c) => [tt.norm(a), tt.norm(b, 2, 1), tt.norm(c, 'euclidean', [1, 4])],
        '[tf.norm(x0), tf.norm(x1, axis=1), tf.norm(x2, axis=[1, 4])]',
        COMPOSED,
      ),
    ],
  },
  logSumExp: {
    op: 'logSumExp',
    dtypes: FLOAT,
    samples: [
      S('all axes', [F([2, 3])], (x) => tt.logSumExp(x), 'tf.reduce_logsumexp(x0)', COMPOSED),
      S(
        'axis 1, keepDims',
        [F([2, 3])],
        (x) => tt.logSumExp(x, 1, true),
        'tf.reduce_logsumexp(x0, axis=1, keepdims=True)',
        COMPOSED,
      ),
      S(
        'large values',
        [V([2, 2], [1000, 1001, -1000, -1000.5])],
        (x) => tt.logSumExp(x, 1),
        'tf.reduce_logsumexp(x0, axis=1)',
        COMPOSED,
      ),
      S(
        'infinities',
        [V([3, 2], [-Infinity, 0, -Infinity, -Infinity, Infinity, 1])],
        (x) => tt.logSumExp(x, 1),
        'tf.reduce_logsumexp(x0, axis=1)',
        { ...COMPOSED, order: 0 },
      ),
      S(
        'scalar and rank 6',
        [F([]), F(RANK6)],
        (a, c) => [tt.logSumExp(a), tt.logSumExp(c, [0, 2])],
        '[tf.reduce_logsumexp(x0), tf.reduce_logsumexp(x1, axis=[0, 2])]',
        COMPOSED,
      ),
      // Over nothing the result is the constant -inf: no derivative to check.
      S('size-0 axis', [F([2, 0])], (x) => tt.logSumExp(x, 1), 'tf.reduce_logsumexp(x0, axis=1)', {
        ...COMPOSED,
        order: 0,
      }),
    ],
  },
  // TF's gelu casts its Python constants (1/√2 and 0.044715) through float32 even for float64
  // inputs (tf.cast of a Python float), which moves float64 results by ~1e-8; tensortape keeps
  // them exact, so the reference is TF's formula with the constants in float64.
  gelu: {
    op: 'gelu',
    dtypes: FLOAT,
    samples: [
      S('exact', [F([2, 3], -4, 4)], (x) => tt.gelu(x), GELU_TF, COMPOSED),
      S('approximate', [F([2, 3], -4, 4)], (x) => tt.gelu(x, true), GELU_TANH_TF, COMPOSED),
      S('tails', [V([4], [-40, -8, 8, 40])], (x) => tt.gelu(x), GELU_TF, COMPOSED),
      S(
        'scalar, size 0, rank 6',
        [F([]), F([0]), F(RANK6)],
        (a, b, c) => [tt.gelu(a), tt.gelu(b), tt.gelu(c)],
        `[${[0, 1, 2].map((i) => GELU_TF.replaceAll('x0', `x${i}`)).join(', ')}]`,
        COMPOSED,
      ),
    ],
  },
  dot: {
    op: 'dot',
    dtypes: NUMERIC,
    exempt: {
      scalar: 'dot takes vectors and matrices, as in tfjs',
      rank6: 'dot takes vectors and matrices, as in tfjs',
    },
    samples: [
      S('vector · vector', [F([3]), F([3])], (a, b) => tt.dot(a, b), 'tf.tensordot(x0, x1, 1)'),
      S('matrix · vector', [F([2, 3]), F([3])], (a, b) => tt.dot(a, b), 'tf.tensordot(x0, x1, 1)'),
      S('vector · matrix', [F([3]), F([3, 2])], (a, b) => tt.dot(a, b), 'tf.tensordot(x0, x1, 1)'),
      S(
        'matrix · matrix',
        [F([2, 3]), F([3, 2])],
        (a, b) => tt.dot(a, b),
        'tf.tensordot(x0, x1, 1)',
      ),
      S('size 0', [F([0]), F([0, 2])], (a, b) => tt.dot(a, b), 'tf.tensordot(x0, x1, 1)'),
      S(
        'int32',
        [Ir([3], -3, 4), Ir([3], -3, 4)],
        (a, b) => tt.dot(a, b),
        'tf.tensordot(x0, x1, 1)',
      ),
    ],
  },
};
