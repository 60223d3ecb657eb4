// TensorFlow's guide "Introduction to gradients and automatic differentiation"
// (tensorflow/docs site/en/guide/autodiff.ipynb), cell by cell, printing what TensorFlow prints.
// Cells with random inputs print the same shapes and structure (tt.random is not TF's generator).
// Python's `None` prints as `null`, shapes as `[3, 2]`, tensors in TF's layout.

import * as tt from '../src/index.js';
import { linePlot } from './figures.js';

const fmt = (v: unknown, dtype: tt.DType = 'float32') => tt.formatValues(v, dtype);
const shape = (s: readonly number[]) => `[${s.join(', ')}]`;
const cell = (title: string) => console.log(`\n## ${title}`);
/** A list of strings as Python prints it: ['a', 'b']. */
const pyList = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

console.log('# Introduction to gradients and automatic differentiation');
tt.random.setSeed(0);

// ## Gradient tapes
cell('Gradient tapes');
{
  const x = tt.variable(3.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => x.pow(2));
  // dy = 2x * dx
  const dyDx = tape.gradient(y, x);
  console.log(fmt(dyDx.numpy()));
}

let w: tt.Variable;
let b: tt.Variable;
let tape: tt.GradientTape;
let loss: tt.Tensor;
{
  w = tt.variable(tt.random.normal([3, 2]), { name: 'w' });
  b = tt.variable(tt.zeros([2], 'float32'), { name: 'b' });
  const x = [[1, 2, 3]];
  tape = new tt.GradientTape({ persistent: true });
  loss = tape.record(() => {
    const y = tt.add(tt.matMul(x, w), b);
    return tt.reduceMean(y.pow(2));
  });
  const [dlDw] = tape.gradient(loss, [w, b]);
  console.log(shape(w.shape));
  console.log(shape(dlDw.shape));
}
{
  const myVars = { w, b };
  const grad = tape.gradient(loss, myVars);
  console.log(grad.b); // random values: TF prints its own draw, with the same shape and dtype
}

// ## Gradients with respect to a model
cell('Gradients with respect to a model');
{
  const layer = new tt.layers.Dense(2, { activation: 'relu' });
  const x = tt.constant([[1, 2, 3]]);
  const tape = new tt.GradientTape();
  const loss = tape.record(() => {
    // Forward pass
    const y = layer.apply(x);
    return tt.reduceMean(y.pow(2));
  });
  // Calculate gradients with respect to every trainable variable
  const grad = tape.gradient(loss, layer.trainableVariables);
  layer.trainableVariables.forEach((v, i) =>
    console.log(`${v.name}, shape: ${shape(grad[i].shape)}`),
  );
}

// ## Controlling what the tape watches
cell('Controlling what the tape watches');
{
  // A trainable variable
  const x0 = tt.variable(3.0, { name: 'x0' });
  // Not trainable
  const x1 = tt.variable(3.0, { name: 'x1', trainable: false });
  // Not a Variable: A variable + tensor returns a tensor.
  const x2 = tt.variable(2.0, { name: 'x2' }).add(1.0);
  // Not a variable
  const x3 = tt.constant(3.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => x0.pow(2).add(x1.pow(2)).add(x2.pow(2)));
  const grad = tape.gradient(y, [x0, x1, x2, x3]);
  for (const g of grad) console.log(g);
  console.log(pyList(tape.watchedVariables().map((v) => v.name)));
}
{
  const x = tt.constant(3.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    tape.watch(x);
    return x.pow(2);
  });
  // dy = 2x * dx
  const dyDx = tape.gradient(y, x);
  console.log(fmt(dyDx.numpy()));
}
{
  const x0 = tt.variable(0.0);
  const x1 = tt.variable(10.0);
  const tape = new tt.GradientTape({ watchAccessedVariables: false });
  const ys = tape.record(() => {
    tape.watch(x1);
    const y0 = tt.math.sin(x0);
    const y1 = tt.nn.softplus(x1);
    const y = y0.add(y1);
    return tt.reduceSum(y);
  });
  // dys/dx1 = exp(x1) / (1 + exp(x1)) = sigmoid(x1)
  const grad = tape.gradient(ys, { x0, x1 });
  console.log('dy/dx0:', grad.x0);
  console.log('dy/dx1:', fmt(grad.x1.numpy()));
}

// ## Intermediate results
cell('Intermediate results');
{
  const x = tt.constant(3.0);
  const tape = new tt.GradientTape();
  let y!: tt.Tensor;
  const z = tape.record(() => {
    tape.watch(x);
    y = x.mul(x);
    return y.mul(y);
  });
  // Use the tape to compute the gradient of z with respect to the
  // intermediate value y.
  // dz_dy = 2 * y and y = x ** 2 = 9
  console.log(fmt(tape.gradient(z, y).numpy()));
}
{
  const x = tt.constant([1, 3.0]);
  const tape = new tt.GradientTape({ persistent: true });
  let y!: tt.Tensor;
  const z = tape.record(() => {
    tape.watch(x);
    y = x.mul(x);
    return y.mul(y);
  });
  console.log(fmt(tape.gradient(z, x).numpy())); // [4.0, 108.0] (4 * x**3 at x = [1.0, 3.0])
  console.log(fmt(tape.gradient(y, x).numpy())); // [2.0, 6.0] (2 * x at x = [1.0, 3.0])
  // `del tape`: dropping the reference is enough; the garbage collector frees what it kept.
}

// ## Gradients of non-scalar targets
cell('Gradients of non-scalar targets');
{
  const x = tt.variable(2.0);
  const tape = new tt.GradientTape({ persistent: true });
  const [y0, y1] = tape.record(() => [x.pow(2), tt.div(1, x)]);
  console.log(fmt(tape.gradient(y0, x).numpy()));
  console.log(fmt(tape.gradient(y1, x).numpy()));
}
{
  const x = tt.variable(2.0);
  const tape = new tt.GradientTape();
  const ys = tape.record(() => ({ y0: x.pow(2), y1: tt.div(1, x) }));
  console.log(fmt(tape.gradient(ys, x).numpy()));
}
{
  const x = tt.variable(2.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => x.mul([3, 4]));
  console.log(fmt(tape.gradient(y, x).numpy()));
}
{
  const x = tt.linspace(-10.0, 10.0, 200 + 1);
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    tape.watch(x);
    return tt.nn.sigmoid(x);
  });
  const dyDx = tape.gradient(y, x);
  await linePlot('autodiff-sigmoid', x, { y, 'dy/dx': dyDx }, 'x');
}

// ## Control flow
cell('Control flow');
{
  const x = tt.constant(1.0);
  const v0 = tt.variable(2.0);
  const v1 = tt.variable(2.0);
  const tape = new tt.GradientTape({ persistent: true });
  const result = tape.record(() => {
    tape.watch(x);
    // A rank-0 tensor converts to its number, so `if (x > 0)` works as in TF eager.
    if (x.valueOf() > 0.0) return v0.value();
    return v1.pow(2);
  });
  const [dv0, dv1] = tape.gradient(result, [v0, v1]);
  console.log(dv0);
  console.log(dv1);
  const dx = tape.gradient(result, x);
  console.log(dx);
}

// ## Cases where gradient returns None
cell('Cases where gradient returns None');
{
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const tape = new tt.GradientTape();
  const z = tape.record(() => y.mul(y));
  console.log(tape.gradient(z, x));
}
// ### 1. Replaced a variable with a tensor
{
  let x: tt.Variable | tt.Tensor = tt.variable(2.0);
  for (let epoch = 0; epoch < 2; epoch++) {
    const tape = new tt.GradientTape();
    const src = x;
    const y = tape.record(() => tt.add(src, 1));
    console.log(x instanceof tt.Variable ? 'Variable' : 'Tensor', ':', tape.gradient(y, src));
    x = tt.add(x, 1); // This should be `x.assignAdd(1)`
  }
}
// ### 2. Did calculations outside of the library
{
  const x = tt.variable(
    [
      [1.0, 2.0],
      [3.0, 4.0],
    ],
    { dtype: 'float32' },
  );
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    const x2 = x.pow(2);
    // This step is calculated with plain JavaScript
    const rows = x2.array() as number[][];
    const mean0 = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
    // Like most ops, reduceMean converts the JS array to a constant tensor.
    return tt.reduceMean(mean0, 0);
  });
  console.log(tape.gradient(y, x));
}
// ### 3. Took gradients through an integer
{
  const x = tt.constant(10, [], 'int32');
  const g = new tt.GradientTape();
  const y = g.record(() => {
    g.watch(x); // warns: the watched tensor's dtype must be floating
    return x.mul(x);
  });
  console.log(g.gradient(y, x));
}
// ### 4. Took gradients through a stateful object
{
  const x0 = tt.variable(3.0);
  const x1 = tt.variable(0.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => {
    // Update x1 = x1 + x0.
    x1.assignAdd(x0);
    // The tape starts recording from x1.
    return x1.pow(2); // y = (x1 + x0)**2
  });
  // This doesn't work.
  console.log(tape.gradient(y, x0)); // dy/dx0 = 2*(x1 + x0)
}

// ## No gradient registered
cell('No gradient registered');
{
  // tf.image.adjust_contrast wraps the op AdjustContrastv2, which has no gradient: here the same
  // op, defined as a user op with no registered gradient.
  const adjustContrast = tt.defineOp({
    name: 'AdjustContrastv2',
    forward: ([images, factor]) => {
      const [h, w, c] = images.shape.slice(-3);
      const out = new Float32Array(images.data.length);
      const f = factor.data[0];
      for (let base = 0; base < images.data.length; base += h * w * c)
        for (let ch = 0; ch < c; ch++) {
          let mean = 0;
          for (let p = 0; p < h * w; p++) mean += images.data[base + p * c + ch];
          mean /= h * w;
          for (let p = 0; p < h * w; p++) {
            const k = base + p * c + ch;
            out[k] = (images.data[k] - mean) * f + mean;
          }
        }
      return { data: out, shape: images.shape };
    },
  });
  const image = tt.variable([[[0.5, 0.0, 0.0]]]);
  const delta = tt.variable(0.1);
  const tape = new tt.GradientTape();
  const newImage = tape.record(() => adjustContrast(image, delta));
  try {
    console.log(tape.gradient(newImage, [image, delta]));
    throw new Error('This should not happen.');
  } catch (e) {
    if (!(e instanceof tt.LookupError)) throw e;
    console.log(`${e.name}: ${e.message}`);
  }
}

// ## Zeros instead of None
cell('Zeros instead of None');
{
  const x = tt.variable([2, 2]);
  const y = tt.variable(3.0);
  const tape = new tt.GradientTape();
  const z = tape.record(() => y.pow(2));
  console.log(tape.gradient(z, x, { unconnectedGradients: tt.UnconnectedGradients.ZERO }));
}
