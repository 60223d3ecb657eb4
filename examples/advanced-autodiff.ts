// The seed notebook ("Advanced automatic differentiation", controlling gradient recording, stop
// gradient, custom gradients and multiple tapes), reproduced cell by cell with TensorFlow's values.

import * as tt from '../src/index.js';

console.log('# Advanced automatic differentiation (seed notebook)\n');

// ## Controlling gradient recording: stop_recording
{
  console.log('In [4]: stopRecording');
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const t = new tt.GradientTape();
  const z = t.record(() => {
    const xSq = x.mul(x);
    const ySq = t.stopRecording(() => y.mul(y));
    return xSq.add(ySq);
  });
  const grad = t.gradient(z, { x, y });
  // `.numpy()` is the JS number 4; formatValues prints it as NumPy prints a float32 scalar (4.0).
  console.log('dz_dx:', tt.formatValues(grad.x.numpy(), 'float32'));
  console.log('dz_dy:', grad.y);
  console.log();
}

// ## reset()
{
  console.log('In [5]: reset');
  const x = tt.variable(2.0);
  const y = tt.variable(3.0);
  const reset = true;
  const t = new tt.GradientTape();
  const z = t.record(() => {
    const ySq = y.mul(y);
    if (reset) {
      // Throw out all the tape recorded so far
      t.reset();
    }
    return x.mul(x).add(ySq);
  });
  const grad = t.gradient(z, { x, y });
  console.log('dz/dx:', grad.x); // 2*x => 4
  console.log('dz/dy:', grad.y);
  console.log();
}

// ## Stop gradient
{
  console.log('In [7]: stopGradient');
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
  console.log();
}

// ## Custom gradients: the naive log(1 + exp(x)) overflows in float32
{
  console.log('In [20]: log(1 + exp(x)) at x = 100');
  const t = new tt.GradientTape();
  let x!: tt.Variable;
  const y = t.record(() => {
    x = tt.variable(100.0);
    return tt.log(tt.add(1, tt.exp(x)));
  });
  const grad = t.gradient(y, x);
  console.log(String(grad));
  console.log();
}

{
  console.log('In [30]: customGradient log1pexp at x = 1e8');
  const log1pexp = tt.customGradient(function log1pexp(x: tt.Tensor | tt.Variable) {
    const e = tt.exp(x);
    const grad = (upstream: tt.Tensor) => upstream.mul(tt.sub(1, tt.div(1, tt.add(1, e))));
    return { value: tt.log(tt.add(1, e)), grad };
  });
  const t = new tt.GradientTape();
  let x!: tt.Variable;
  const y = t.record(() => {
    x = tt.variable(100000000.0);
    return log1pexp(x);
  });
  const grad = t.gradient(y, x);
  console.log(String(grad));
  console.log();
}

{
  console.log('In [36]: customGradient of z = x * y');
  const myGradient = tt.customGradient(function myGradient(x: tt.Variable, y: tt.Variable) {
    const z = x.mul(y);
    const grad = (upstream: tt.Tensor) => [upstream.mul(y), upstream.mul(x)];
    return { value: z, grad };
  });
  const t = new tt.GradientTape();
  let y!: tt.Variable;
  const z = t.record(() => {
    const x = tt.variable(2.0);
    y = tt.variable(3.0);
    return myGradient(x, y);
  });
  // console.log(t.gradient(z, x));
  console.log(String(t.gradient(z, y)));
  console.log();
}

// ## Multiple tapes
{
  console.log('In [39]: two tapes at once');
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
  console.log(tt.formatValues(tape0.gradient(ys, x0).numpy(), 'float32')); // cos(x) => 1.0
  console.log(tt.formatValues(tape1.gradient(ys, x1).numpy(), 'float32')); // sigmoid(x1)*(1-sigmoid(x1)) => 0.25
}
