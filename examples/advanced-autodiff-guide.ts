// TensorFlow's guide "Advanced automatic differentiation" (tensorflow/docs
// site/en/guide/advanced_autodiff.ipynb), every cell in order, printing what TensorFlow prints:
// the same values for deterministic cells, the same shapes and structure where the inputs are
// random (tt.random is not TF's generator), `null` for Python's `None`. The SavedModel cells are
// left out (there is no SavedModel here). The plots are written to out/figures/.

import * as tt from '../src/index.js';
import { heatmap, linePlot } from './figures.js';

const fmt = (v: unknown, dtype: tt.DType = 'float32') => tt.formatValues(v, dtype);
const shape = (s: readonly number[]) => `[${s.join(', ')}]`;
const cell = (title: string) => console.log(`\n## ${title}`);

console.log('# Advanced automatic differentiation');
tt.random.setSeed(0);

// ## Controlling gradient recording
cell('Stop recording');
{
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const t = new tt.GradientTape();
  const z = t.record(() => {
    const xSq = x.mul(x);
    const ySq = t.stopRecording(() => y.mul(y));
    return xSq.add(ySq);
  });
  const grad = t.gradient(z, { x, y });
  console.log('dz/dx:', grad.x); // 2*x => 4
  console.log('dz/dy:', grad.y);
}

cell('Reset/start recording from scratch');
{
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const reset = true;
  const t = new tt.GradientTape();
  const z = t.record(() => {
    const ySq = y.mul(y);
    if (reset) {
      // Throw out all the tape recorded so far.
      t.reset();
    }
    return x.mul(x).add(ySq);
  });
  const grad = t.gradient(z, { x, y });
  console.log('dz/dx:', grad.x); // 2*x => 4
  console.log('dz/dy:', grad.y);
}

cell('Stop gradient flow with precision');
{
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const t = new tt.GradientTape();
  const z = t.record(() => {
    const ySq = y.pow(2);
    return x.pow(2).add(tt.stopGradient(ySq));
  });
  const grad = t.gradient(z, { x, y });
  console.log('dz/dx:', grad.x); // 2*x => 4
  console.log('dz/dy:', grad.y);
}

cell('Custom gradients');
{
  // Establish an identity operation, but clip during the gradient pass.
  const clipGradients = tt.customGradient((y: tt.Tensor) => {
    const backward = (dy: tt.Tensor) => tt.clipByNorm(dy, 0.5);
    return { value: y, grad: backward };
  });
  const v = tt.variable(2.0);
  const t = new tt.GradientTape();
  const output = t.record(() => clipGradients(v.mul(v)));
  console.log(t.gradient(output, v)); // calls "backward", which clips 4 to 2
}
// ### Custom gradients in SavedModel: left out (tf.saved_model and tf.function have no counterpart).

cell('Multiple tapes');
{
  const x0 = tt.constant(0.0);
  const x1 = tt.constant(0.0);
  const tape0 = new tt.GradientTape();
  const tape1 = new tt.GradientTape();
  const ys = tt.record([tape0, tape1], () => {
    tape0.watch(x0);
    tape1.watch(x1);
    const y0 = tt.math.sin(x0);
    const y1 = tt.nn.sigmoid(x1);
    const y = y0.add(y1);
    return tt.reduceSum(y);
  });
  console.log(fmt(tape0.gradient(ys, x0).numpy())); // cos(x) => 1.0
  console.log(fmt(tape1.gradient(ys, x1).numpy())); // sigmoid(x1)*(1-sigmoid(x1)) => 0.25
}

cell('Higher-order gradients');
{
  const x = tt.variable(1.0); // Create a variable initialized to 1.0
  const t2 = new tt.GradientTape();
  let dyDx!: tt.Tensor;
  t2.record(() => {
    const t1 = new tt.GradientTape();
    const y = t1.record(() => x.mul(x).mul(x));
    // Compute the gradient inside the outer `t2` recording,
    // which means the gradient computation is differentiable as well.
    dyDx = t1.gradient(y, x);
  });
  const d2yDx2 = t2.gradient(dyDx, x);
  console.log('dy_dx:', fmt(dyDx.numpy())); // 3 * x**2 => 3.0
  console.log('d2y_dx2:', fmt(d2yDx2.numpy())); // 6 * x => 6.0
}

cell('Example: Input gradient regularization');
{
  const x = tt.random.normal([7, 5]);
  const layer = new tt.layers.Dense(10, { activation: tt.nn.relu });
  const t2 = new tt.GradientTape();
  const g1Mag = t2.record(() => {
    // The inner tape only takes the gradient with respect to the input,
    // not the variables.
    const t1 = new tt.GradientTape({ watchAccessedVariables: false });
    const out = t1.record(() => {
      t1.watch(x);
      layer.apply(x);
      return tt.reduceSum(layer.apply(x).pow(2));
    });
    // 1. Calculate the input gradient.
    const g1 = t1.gradient(out, x);
    // 2. Calculate the magnitude of the input gradient.
    return tt.norm(g1);
  });
  // 3. Calculate the gradient of the magnitude with respect to the model.
  const dg1Mag = t2.gradient(g1Mag, layer.trainableVariables);
  console.log(`[${dg1Mag.map((v: tt.Tensor) => `TensorShape(${shape(v.shape)})`).join(', ')}]`);
}

// ## Jacobians
cell('Jacobians: scalar source');
{
  const x = tt.linspace(-10.0, 10.0, 200 + 1);
  const delta = tt.variable(0.0);
  const tape = new tt.GradientTape();
  const y = tape.record(() => tt.nn.sigmoid(x.add(delta)));
  const dyDx = tape.jacobian(y, delta);
  console.log(shape(y.shape));
  console.log(shape(dyDx.shape));
  await linePlot('advanced-jacobian-sigmoid', x, { y, 'dy/dx': dyDx }, 'x');
}

cell('Jacobians: tensor source');
{
  const x = tt.random.normal([7, 5]);
  const layer = new tt.layers.Dense(10, { activation: tt.nn.relu });
  const tape = new tt.GradientTape({ persistent: true });
  const y = tape.record(() => layer.apply(x));
  console.log(shape(y.shape));
  console.log(shape(layer.kernel.shape));
  const j = tape.jacobian(y, layer.kernel);
  console.log(shape(j.shape));
  const g = tape.gradient(y, layer.kernel);
  console.log('g.shape:', shape(g.shape));
  const jSum = tt.reduceSum(j, [0, 1]);
  const delta = tt.reduceMax(tt.abs(g.sub(jSum))).numpy();
  if (!(delta < 1e-3)) throw new Error('assert delta < 1e-3');
  console.log('delta:', fmt(delta)); // TF prints a float32 rounding difference such as 2.3841858e-07
}

/** The guide's imshow_zero_center: a heat map with a colour scale centred on zero. */
const imshowZeroCenter = heatmap;

/** The guide's plot_as_patches: each (batch, batch) slice as one patch, padded apart. */
function plotAsPatches(name: string, j: tt.Tensor, title: string, xlabel?: string) {
  // Reorder axes so the diagonals will each form a contiguous patch.
  let p = tt.transpose(j, [1, 0, 3, 2]);
  // Pad in between each patch.
  const lim = tt.reduceMax(tt.abs(p)).item();
  p = tt.pad(
    p,
    [
      [0, 0],
      [1, 1],
      [0, 0],
      [1, 1],
    ],
    -lim,
  );
  // Reshape to form a single image.
  const s = p.shape;
  p = tt.reshape(p, [s[0] * s[1], s[2] * s[3]]);
  return imshowZeroCenter(name, p, { extent: [-0.5, s[2] - 0.5, s[0] - 0.5, -0.5], title, xlabel });
}

cell('Example: Hessian');
{
  let x = tt.random.normal([7, 5]);
  const layer1 = new tt.layers.Dense(8, { activation: tt.nn.relu });
  const layer2 = new tt.layers.Dense(6, { activation: tt.nn.relu });
  const t2 = new tt.GradientTape();
  let g!: tt.Tensor;
  t2.record(() => {
    const t1 = new tt.GradientTape();
    const loss = t1.record(() => {
      x = layer1.apply(x);
      x = layer2.apply(x);
      return tt.reduceMean(x.pow(2));
    });
    g = t1.gradient(loss, layer1.kernel);
  });
  const h = t2.jacobian(g, layer1.kernel);
  console.log(`layer.kernel.shape: ${shape(layer1.kernel.shape)}`);
  console.log(`h.shape: ${shape(h.shape)}`);

  const nParams = tt.reduceProd(tt.tensor(layer1.kernel.shape, undefined, 'int32'));
  const n = nParams.item();
  const gVec = tt.reshape(g, [n, 1]);
  const hMat = tt.reshape(h, [n, n]);
  // The Hessian matrix should be symmetric:
  await imshowZeroCenter('advanced-hessian', hMat);

  const eps = 1e-3;
  const eyeEps = tt.eye(hMat.shape[0]).mul(eps);
  // X(k+1) = X(k) - (∇²f(X(k)))^-1 @ ∇f(X(k))
  // h_mat = ∇²f(X(k))
  // g_vec = ∇f(X(k))
  const update = tt.linalg.solve(hMat.add(eyeEps), gVec);
  // Reshape the update and apply it to the variable.
  layer1.kernel.assignSub(tt.reshape(update, layer1.kernel.shape));
}

cell('Batch Jacobian');
{
  const x = tt.random.normal([7, 5]);
  const layer1 = new tt.layers.Dense(8, { activation: tt.nn.elu });
  const layer2 = new tt.layers.Dense(6, { activation: tt.nn.elu });
  const tape = new tt.GradientTape({ persistent: true, watchAccessedVariables: false });
  const y = tape.record(() => {
    tape.watch(x);
    const h = layer1.apply(x);
    return layer2.apply(h);
  });
  console.log(shape(y.shape));

  const j = tape.jacobian(y, x);
  console.log(shape(j.shape));

  await imshowZeroCenter('advanced-batch-slice', j.index(null, 0, null, 0), {
    title: 'A (batch, batch) slice',
  });
  await plotAsPatches('advanced-batch-patches', j, 'All (batch, batch) slices are diagonal');

  const jSum = tt.reduceSum(j, 2);
  console.log(shape(jSum.shape));
  const jSelect = tt.einsum('bxby->bxy', j);
  console.log(shape(jSelect.shape));

  const jb = tape.batchJacobian(y, x);
  console.log(shape(jb.shape));

  const error = tt.reduceMax(tt.abs(jb.sub(jSum)));
  if (!(error.item() < 1e-3)) throw new Error('assert error < 1e-3');
  console.log(fmt(error.numpy()));
}

cell('Batch Jacobian through BatchNormalization');
{
  const x = tt.random.normal([7, 5]);
  const layer1 = new tt.layers.Dense(8, { activation: tt.nn.elu });
  const bn = new tt.layers.BatchNormalization();
  const layer2 = new tt.layers.Dense(6, { activation: tt.nn.elu });
  const tape = new tt.GradientTape({ persistent: true, watchAccessedVariables: false });
  const y = tape.record(() => {
    tape.watch(x);
    let h = layer1.apply(x);
    h = bn.apply(h, { training: true });
    return layer2.apply(h);
  });
  const j = tape.jacobian(y, x);
  console.log(`j.shape: ${shape(j.shape)}`);
  await plotAsPatches(
    'advanced-batchnorm-patches',
    j,
    'These slices are not diagonal',
    "Don't use `batch_jacobian`",
  );
  const jb = tape.batchJacobian(y, x);
  console.log(`jb.shape: ${shape(jb.shape)}`);
}
