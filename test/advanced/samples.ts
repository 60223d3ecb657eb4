// Sample applications of every built-in primitive, keyed by op type: the inputs of example k and
// the function that applies the primitive to them. The vmap test runs every entry; a primitive
// declared without an entry here fails that test, so new primitives cannot go untested.
import * as tt from '../../src/index.js';
import { builtinPrimitives } from '../../src/core/primitive.js';
import { bind1 } from '../../src/core/stack.js';

export type Maker = (k: number) => tt.Tensor[];
export interface Sample {
  /** The inputs of example k (same shapes for every k, different values). */
  readonly args: Maker;
  /** Applies the primitive (through its public op where it has one). */
  readonly op: (...xs: tt.Tensor[]) => tt.Tensor | tt.Tensor[];
}

/** Public ops by name (including namespaced ones such as nn.x), looked up when a sample runs. */
const T = tt as unknown as Record<string, any>;
const fn =
  (name: string) =>
  (...a: unknown[]): any => {
    const f = name.split('.').reduce<any>((o, k) => (o === undefined ? o : o[k]), T);
    if (typeof f !== 'function') throw new Error(`sample: tt.${name} is not a function`);
    return f(...a);
  };
/** Applies the primitive itself with explicit attributes (for ops with no public function). */
const prim =
  (name: string, attrs: unknown) =>
  (...xs: tt.Tensor[]): tt.Tensor => {
    const p = builtinPrimitives.get(name);
    if (p === undefined) throw new Error(`sample: primitive ${name} is not declared`);
    return bind1(p, xs, attrs);
  };

const SEED = 7919;
/** Uniform float64 values in [lo, hi) for example k (and a per-input salt). */
export const u =
  (shape: number[], lo = -1, hi = 1, salt = 0, dtype: tt.DType = 'float64') =>
  (k: number): tt.Tensor =>
    tt.random.uniform(shape, { minval: lo, maxval: hi, seed: SEED * (k + 1) + salt * 131, dtype });
const ints =
  (shape: number[], lo: number, hi: number, salt = 0) =>
  (k: number): tt.Tensor => {
    const v = u(shape, 0, 1, salt + 17)(k).dataSync();
    return tt.tensor(
      Int32Array.from(v, (x) => lo + Math.floor(x * (hi - lo))),
      shape,
      'int32',
    );
  };
const bools =
  (shape: number[], salt = 0) =>
  (k: number): tt.Tensor =>
    tt.greater(u(shape, -1, 1, salt + 29)(k), 0);
/** Symmetric positive-definite n×n matrices (batch dims in front). */
const spd =
  (batch: number[], n: number, salt = 0) =>
  (k: number): tt.Tensor => {
    const a = u([...batch, n, n], -1, 1, salt)(k);
    return tt.add(tt.matMul(a, a, false, true), tt.mul(tt.eye(n, n, 'float64'), n));
  };
/** Well-conditioned square matrices. */
const square =
  (batch: number[], n: number, salt = 0) =>
  (k: number): tt.Tensor =>
    tt.add(u([...batch, n, n], -1, 1, salt)(k), tt.mul(tt.eye(n, n, 'float64'), 3));

const args =
  (...makers: ((k: number) => tt.Tensor)[]): Maker =>
  (k) =>
    makers.map((m) => m(k));

const unaryFloat = (name: string, lo = -2, hi = 2): Sample[] => [
  { args: args(u([2, 3], lo, hi)), op: fn(name) },
  { args: args(u([], lo, hi)), op: fn(name) },
];
const binaryNum = (name: string, lo = -2, hi = 2, lo2 = lo, hi2 = hi): Sample[] => [
  { args: args(u([2, 3], lo, hi), u([2, 3], lo2, hi2, 1)), op: fn(name) },
  { args: args(u([3], lo, hi), u([2, 1], lo2, hi2, 1)), op: fn(name) },
];
/** TanhGrad, SigmoidGrad, ReluGrad, ...: two operands of one shape, applied as the primitive. */
const activationGrad = (name: string, lo: number, hi: number, attrs?: unknown): Sample[] => [
  { args: args(u([2, 3], lo, hi), u([2, 3], -1, 1, 1)), op: prim(name, attrs) },
  { args: args(u([], lo, hi), u([], -1, 1, 1)), op: prim(name, attrs) },
];
const compare = (name: string): Sample[] => [
  { args: args(ints([2, 3], -2, 3), ints([3], -2, 3, 1)), op: fn(name) },
  { args: args(u([2, 3]), u([2, 3], -1, 1, 1)), op: fn(name) },
];

const pool = { ksize: [2, 2], strides: [1, 2], pads: [0, 1, 0, 1] };
const conv = { strides: [2, 1], pads: [1, 1, 0, 1] };

export const SAMPLES: Record<string, Sample[]> = {
  // ---- core elementwise
  AddV2: binaryNum('add'),
  Sub: binaryNum('sub'),
  Mul: binaryNum('mul'),
  RealDiv: binaryNum('div', -2, 2, 0.5, 2),
  Pow: binaryNum('pow', 0.5, 2),
  Neg: unaryFloat('neg'),
  Square: unaryFloat('square'),
  Sqrt: unaryFloat('sqrt', 0.1, 2),
  Exp: unaryFloat('exp'),
  Log: unaryFloat('log', 0.1, 2),
  Sin: unaryFloat('sin'),
  Cos: unaryFloat('cos'),
  Sigmoid: unaryFloat('sigmoid'),
  Tanh: unaryFloat('tanh'),
  Relu: unaryFloat('relu'),
  TanhGrad: activationGrad('TanhGrad', -0.95, 0.95),
  SigmoidGrad: activationGrad('SigmoidGrad', 0.05, 0.95),
  ReluGrad: activationGrad('ReluGrad', -2, 2),
  Relu6Grad: activationGrad('Relu6Grad', -2, 2),
  LeakyReluGrad: activationGrad('LeakyReluGrad', -2, 2, { alpha: 0.25 }),
  Greater: compare('greater'),
  GreaterEqual: compare('greaterEqual'),
  Less: compare('less'),
  LessEqual: compare('lessEqual'),
  Equal: compare('equal'),
  NotEqual: compare('notEqual'),
  LogicalAnd: [{ args: args(bools([2, 3]), bools([3], 1)), op: fn('logicalAnd') }],
  LogicalOr: [{ args: args(bools([2, 3]), bools([2, 3], 1)), op: fn('logicalOr') }],
  LogicalNot: [{ args: args(bools([2, 3])), op: fn('logicalNot') }],
  SelectV2: [
    { args: args(bools([2, 3]), u([2, 3]), u([3], -1, 1, 1)), op: fn('where') },
    { args: args(bools([3]), u([2, 3]), u([2, 1], -1, 1, 1)), op: fn('where') },
  ],
  Cast: [
    { args: args(u([2, 3], -3, 3)), op: (x) => tt.cast(x, 'int32') },
    { args: args(u([2, 3])), op: (x) => tt.cast(x, 'float32') },
  ],
  Identity: [{ args: args(u([2, 3])), op: fn('identity') }],
  StopGradient: [{ args: args(u([2, 3])), op: fn('stopGradient') }],
  // ---- reductions
  Sum: [
    { args: args(u([2, 3, 4])), op: (x) => tt.sum(x, [0, 2]) },
    { args: args(u([2, 3])), op: (x) => tt.sum(x, 1, true) },
  ],
  Mean: [{ args: args(u([2, 3, 4])), op: (x) => tt.mean(x, -1) }],
  Max: [{ args: args(u([2, 3, 4])), op: (x) => fn('max')(x, [0, 2]) }],
  Min: [{ args: args(u([2, 3, 4])), op: (x) => fn('min')(x, 1, true) }],
  Prod: [{ args: args(u([2, 3, 4])), op: (x) => fn('prod')(x, 1) }],
  Any: [{ args: args(bools([2, 3])), op: (x) => fn('any')(x, 1) }],
  All: [{ args: args(bools([2, 3])), op: (x) => fn('all')(x, 0) }],
  ArgMax: [{ args: args(u([2, 3, 4])), op: (x) => fn('argMax')(x, 1) }],
  ArgMin: [{ args: args(u([2, 3, 4])), op: (x) => fn('argMin')(x, 2) }],
  // ---- shapes
  Reshape: [{ args: args(u([2, 3, 2])), op: (x) => tt.reshape(x, [3, 4]) }],
  ExpandDims: [{ args: args(u([2, 3])), op: (x) => tt.expandDims(x, 1) }],
  Squeeze: [{ args: args(u([2, 1, 3])), op: (x) => tt.squeeze(x, [1]) }],
  Transpose: [{ args: args(u([2, 3, 4])), op: (x) => tt.transpose(x, [2, 0, 1]) }],
  BroadcastTo: [{ args: args(u([3, 1])), op: (x) => tt.broadcastTo(x, [2, 3, 4]) }],
  Slice: [{ args: args(u([3, 4])), op: (x) => tt.slice(x, [1, 0], [2, 3]) }],
  Pad: [
    {
      args: args(u([2, 3])),
      op: (x) =>
        tt.pad(x, [
          [1, 0],
          [0, 2],
        ]),
    },
  ],
  PadV2: [
    {
      args: args(u([2, 3])),
      op: (x) =>
        tt.pad(
          x,
          [
            [1, 0],
            [0, 2],
          ],
          5,
        ),
    },
  ],
  ConcatV2: [
    { args: args(u([2, 3]), u([2, 1], -1, 1, 1)), op: (a, b) => tt.concat([a, b], 1) },
    {
      args: args(u([2, 3]), u([1, 3], -1, 1, 1), u([2, 3], -1, 1, 2)),
      op: (a, b, c) => tt.concat([a, b, c], 0),
    },
  ],
  Pack: [{ args: args(u([2, 3]), u([2, 3], -1, 1, 1)), op: (a, b) => tt.stack([a, b], 1) }],
  Unpack: [{ args: args(u([2, 3])), op: (x) => tt.unstack(x, 1) }],
  Split: [{ args: args(u([4, 3])), op: (x) => fn('split')(x, 2, 0) }],
  SplitV: [{ args: args(u([2, 5])), op: (x) => fn('split')(x, [1, 4], 1) }],
  Tile: [{ args: args(u([2, 3])), op: (x) => fn('tile')(x, [2, 1]) }],
  ReverseV2: [{ args: args(u([2, 3])), op: (x) => fn('reverse')(x, [1]) }],
  // ---- linear algebra
  MatMul: [
    { args: args(u([2, 3]), u([3, 4], -1, 1, 1)), op: (a, b) => tt.matMul(a, b) },
    { args: args(u([3, 2]), u([4, 3], -1, 1, 1)), op: (a, b) => tt.matMul(a, b, true, true) },
  ],
  BatchMatMulV2: [
    { args: args(u([2, 2, 3]), u([3, 4], -1, 1, 1)), op: (a, b) => tt.matMul(a, b) },
    {
      args: args(u([2, 1, 3, 2]), u([3, 4, 3], -1, 1, 1)),
      op: (a, b) => tt.matMul(a, b, true, true),
    },
  ],
  MatrixSolve: [
    { args: args(square([], 3), u([3, 2], -1, 1, 1)), op: (a, b) => tt.linalg.solve(a, b) },
    { args: args(square([2], 3), u([3, 1], -1, 1, 1)), op: (a, b) => tt.linalg.solve(a, b, true) },
  ],
  MatrixInverse: [{ args: args(square([2], 3)), op: (a) => tt.linalg.inv(a) }],
  MatrixDeterminant: [{ args: args(square([2], 3)), op: (a) => tt.linalg.det(a) }],
  Cholesky: [{ args: args(spd([2], 3)), op: (a) => tt.linalg.cholesky(a) }],
  // ---- convolution and pooling (the gradient ops with explicit geometry)
  Conv2D: [
    {
      args: args(u([2, 5, 4, 3]), u([3, 2, 3, 2], -1, 1, 1)),
      op: (x, w) => tt.conv2d(x, w, [2, 1], 'same'),
    },
    {
      args: args(u([1, 4, 4, 2]), u([2, 2, 2, 3], -1, 1, 1)),
      op: (x, w) => tt.conv2d(x, w, 1, 'valid'),
    },
  ],
  Conv2DBackpropInput: [
    {
      args: args(u([2, 3, 4, 2]), u([3, 2, 3, 2], -1, 1, 1)),
      op: prim('Conv2DBackpropInput', { ...conv, inputSize: [5, 4] }),
    },
  ],
  Conv2DBackpropFilter: [
    {
      args: args(u([2, 5, 4, 3]), u([2, 3, 4, 2], -1, 1, 1)),
      op: prim('Conv2DBackpropFilter', { ...conv, filterSize: [3, 2] }),
    },
  ],
  MaxPool: [{ args: args(u([2, 4, 5, 3])), op: (x) => tt.maxPool(x, 2, [1, 2], 'same') }],
  MaxPoolGrad: [
    { args: args(u([2, 4, 5, 3]), u([2, 4, 3, 3], -1, 1, 1)), op: prim('MaxPoolGrad', pool) },
  ],
  MaxPoolGradGrad: [
    { args: args(u([2, 4, 5, 3]), u([2, 4, 5, 3], -1, 1, 1)), op: prim('MaxPoolGradGrad', pool) },
  ],
  AvgPool: [{ args: args(u([2, 4, 5, 3])), op: (x) => tt.avgPool(x, [2, 3], 2, 'same') }],
  AvgPoolGrad: [
    { args: args(u([2, 4, 3, 3])), op: prim('AvgPoolGrad', { ...pool, inputSize: [4, 5] }) },
  ],
  SoftmaxCrossEntropyWithLogits: [
    {
      args: args(u([2, 4], 0, 1), u([2, 4], -2, 2, 1)),
      op: (l, z) => fn('nn.softmaxCrossEntropyWithLogits')(l, z),
    },
  ],
  // ---- catalogue elementwise math
  Abs: unaryFloat('abs'),
  Sign: unaryFloat('sign'),
  Rsqrt: unaryFloat('rsqrt', 0.1, 2),
  Reciprocal: unaryFloat('reciprocal', 0.5, 2),
  Expm1: unaryFloat('expm1'),
  Log1p: unaryFloat('log1p', -0.5, 2),
  Tan: unaryFloat('tan', -1, 1),
  Asin: unaryFloat('asin', -0.9, 0.9),
  Acos: unaryFloat('acos', -0.9, 0.9),
  Atan: unaryFloat('atan'),
  Sinh: unaryFloat('sinh'),
  Cosh: unaryFloat('cosh'),
  Asinh: unaryFloat('asinh'),
  Acosh: unaryFloat('acosh', 1.1, 3),
  Atanh: unaryFloat('atanh', -0.9, 0.9),
  Erf: unaryFloat('erf'),
  Erfc: unaryFloat('erfc'),
  Floor: unaryFloat('floor', -3, 3),
  Ceil: unaryFloat('ceil', -3, 3),
  Round: unaryFloat('round', -3, 3),
  IsFinite: unaryFloat('isFinite'),
  IsNan: unaryFloat('isNaN'),
  IsInf: unaryFloat('isInf'),
  Maximum: binaryNum('maximum'),
  Minimum: binaryNum('minimum'),
  SquaredDifference: binaryNum('squaredDifference'),
  Atan2: binaryNum('atan2'),
  FloorDiv: binaryNum('floorDiv', -3, 3, 0.5, 2),
  FloorMod: binaryNum('mod', -3, 3, 0.5, 2),
  // ---- catalogue indexing
  GatherV2: [
    { args: args(u([4, 3]), ints([2, 2], 0, 4)), op: (x, i) => fn('gather')(x, i, 0) },
    { args: args(u([2, 5, 3]), ints([2, 4], 0, 5)), op: (x, i) => fn('gather')(x, i, 1, 1) },
  ],
  UnsortedSegmentSum: [
    {
      args: args(u([5, 3]), ints([5], 0, 3)),
      op: (d, s) => fn('math.unsortedSegmentSum')(d, s, 3),
    },
  ],
  OneHot: [{ args: args(ints([2, 3], -1, 4)), op: (i) => fn('oneHot')(i, 4) }],
  StridedSlice: [
    { args: args(u([4, 5])), op: (x) => fn('stridedSlice')(x, [1, -1], [4, 0], [2, -2]) },
    { args: args(u([2, 3, 4])), op: (x) => fn('index')(x, null, 0, '1:3') },
  ],
  StridedSliceGrad: [
    {
      args: args(u([4, 5]), u([2, 2], -1, 1, 1)),
      op: (x, g) =>
        tt.vjp((y: tt.Tensor) => fn('stridedSlice')(y, [1, -1], [4, 0], [2, -2]), x)[1](g)[0],
    },
  ],
  // ---- catalogue activations
  Softplus: unaryFloat('softplus'),
  Relu6: unaryFloat('relu6', -2, 8),
  Elu: unaryFloat('elu'),
  Selu: unaryFloat('selu'),
  LeakyRelu: [{ args: args(u([2, 3])), op: (x) => fn('leakyRelu')(x, 0.3) }],
  Softmax: [{ args: args(u([2, 4])), op: (x) => fn('softmax')(x) }],
  LogSoftmax: [{ args: args(u([2, 4])), op: (x) => fn('logSoftmax')(x) }],
};
