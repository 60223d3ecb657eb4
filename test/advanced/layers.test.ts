// tt.layers (Dense, BatchNormalization) and tt.optimizers (SGD, Adam) against Keras's behaviour
// and values (fixtures/tf_reference.json, float32).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tt from '../../src/index.js';
import { assertClose, f64, fixture } from './util.js';

const f32 = (t: tt.Tensor) => tt.cast(t, 'float32');

describe('Dense', () => {
  it('builds on the first apply: kernel [in, units], bias [units], trainableVariables', () => {
    tt.random.setSeed(1);
    const layer = new tt.layers.Dense(2, { activation: 'relu' });
    assert.throws(() => layer.kernel, /not built yet/);
    const x = tt.tensor([[1, 2, 3]]);
    const tape = new tt.GradientTape();
    const loss = tape.record(() => tt.mean(layer.apply(x).square()));
    assert.deepEqual(layer.kernel.shape, [3, 2]);
    assert.deepEqual(layer.bias!.shape, [2]);
    assert.deepEqual(
      layer.trainableVariables.map((v) => v.name),
      ['kernel', 'bias'],
    );
    const grads = tape.gradient(loss, layer.trainableVariables);
    assert.deepEqual(
      grads.map((g: tt.Tensor) => g.shape),
      [[3, 2], [2]],
    );
    // Glorot-uniform kernel within its limit, zero bias.
    const limit = Math.sqrt(6 / 5);
    assert.ok(Array.from(layer.kernel.dataSync()).every((v) => Math.abs(v) <= limit));
    assert.deepEqual(layer.bias!.array(), [0, 0]);
  });

  it('computes activation(x · kernel + bias) over the last axis; activations by name or function', () => {
    const kernel = f64([3, 4], 1);
    const init = () => kernel;
    const x = f64([2, 5, 3], 2);
    const byName = new tt.layers.Dense(4, {
      activation: 'tanh',
      kernelInitializer: init,
      biasInitializer: 'ones',
    });
    const byFn = new tt.layers.Dense(4, {
      activation: tt.tanh,
      kernelInitializer: init,
      biasInitializer: 'ones',
    });
    const expected = tt.tanh(tt.add(tt.einsum('bij,jk->bik', x, kernel), 1));
    assertClose(byName.apply(x), expected, 1e-15);
    assertClose(byFn.apply(x), expected, 1e-15);
    assert.equal(byName.kernel.dtype, 'float64');
    const noBias = new tt.layers.Dense(4, { useBias: false, kernelInitializer: init });
    assertClose(noBias.apply(x), tt.einsum('bij,jk->bik', x, kernel), 1e-15);
    assert.equal(noBias.bias, null);
    assert.deepEqual(noBias.trainableVariables.length, 1);
    for (const name of [
      'relu',
      'sigmoid',
      'elu',
      'softplus',
      'softmax',
      'gelu',
      'selu',
      'linear',
      'swish',
    ])
      assert.deepEqual(
        new tt.layers.Dense(2, { activation: name }).apply(tt.ones([1, 3])).shape,
        [1, 2],
      );
  });

  it('draws its weights from tt.random (same seed, same weights)', () => {
    tt.random.setSeed(7);
    const a = new tt.layers.Dense(3);
    a.apply(tt.ones([1, 4]));
    tt.random.setSeed(7);
    const b = new tt.layers.Dense(3);
    b.apply(tt.ones([1, 4]));
    assert.deepEqual(a.kernel.dataSync(), b.kernel.dataSync());
  });

  it('throws clear errors', () => {
    assert.throws(() => new tt.layers.Dense(0), /Dense: units must be a positive integer/);
    assert.throws(
      () => new tt.layers.Dense(2, { activation: 'nope' }),
      /Dense: unknown activation "nope"/,
    );
    const layer = new tt.layers.Dense(2);
    layer.apply(tt.ones([1, 3]));
    assert.throws(
      () => layer.apply(tt.ones([1, 4])),
      /last axis has size 4 but the layer was built for 3/,
    );
    assert.throws(
      () =>
        new tt.layers.Dense(2, { kernelInitializer: 'orthogonal' as 'zeros' }).apply(
          tt.ones([1, 2]),
        ),
      /unknown initializer "orthogonal"/,
    );
    // Checked when the layer is made, naming the option.
    assert.throws(
      () => new tt.layers.Dense(2, { kernelInitializer: 'bogus' as 'zeros' }),
      /Dense: unknown initializer "bogus" for kernelInitializer; expected a function or one of glorotUniform/,
    );
    assert.throws(
      () => new tt.layers.Dense(2).apply('abc' as never),
      /Dense\.apply: argument 'x': expected a Tensor/,
    );
    assert.deepEqual(
      new tt.layers.Dense(1, {
        kernelInitializer: 'ones',
        biasInitializer: 'glorot_uniform',
      }).apply([[1, 2]]).shape,
      [1, 1],
    );
  });
});

describe('BatchNormalization', () => {
  it('matches Keras in training mode (values, gradients, moving statistics) and in inference', () => {
    const { inputs: i, outputs: o } = fixture('batchNorm');
    const bn = new tt.layers.BatchNormalization({
      gammaInitializer: () => f32(i.gamma),
      betaInitializer: () => f32(i.beta),
    });
    const x = f32(i.x);
    const tape = new tt.GradientTape();
    const y = tape.record(() => {
      tape.watch(x);
      return bn.apply(x, { training: true });
    });
    assertClose(y, o.y, 2e-6, 'training output');
    const [gx, gg, gb] = tape.gradient(y, [x, bn.gamma!, bn.beta!], { outputGradients: f32(i.c) });
    assertClose(gx, o.gx, 2e-5, 'gradient of x');
    assertClose(gg, o.ggamma, 2e-5, 'gradient of gamma');
    assertClose(gb, o.gbeta, 2e-6, 'gradient of beta');
    assertClose(bn.movingMean!.value(), o.movingMean, 1e-6, 'moving mean');
    assertClose(bn.movingVariance!.value(), o.movingVariance, 1e-6, 'moving variance');
    assertClose(bn.apply(x), o.yInference, 2e-6, 'inference output');
    assert.deepEqual(
      bn.trainableVariables.map((v) => v.name),
      ['gamma', 'beta'],
    );
    assert.deepEqual(
      bn.nonTrainableVariables.map((v) => v.name),
      ['moving_mean', 'moving_variance'],
    );
  });

  it('makes a batch jacobian differ from the block diagonal of the jacobian (training mode)', () => {
    const x = f64([4, 3], 3);
    const bn = new tt.layers.BatchNormalization();
    const tape = new tt.GradientTape({ persistent: true, watchAccessedVariables: false });
    const y = tape.record(() => {
      tape.watch(x);
      return bn.apply(tt.tanh(x), { training: true });
    });
    const j = tape.jacobian(y, x);
    const offDiagonal = tt.sub(tt.sum(j, 2), tt.einsum('bxby->bxy', j));
    assert.ok(tt.max(tt.abs(offDiagonal)).item() > 1e-3);
    assert.deepEqual(tape.batchJacobian(y, x).shape, [4, 3, 3]);
  });
});

describe('optimizers', () => {
  const run = (name: string, make: () => tt.optimizers.Optimizer) => {
    const { inputs: i, outputs: o } = fixture(`optimizer_${name}`);
    const v = tt.variable(f32(i.w0));
    const opt = make();
    const grads = tt.unstack(f32(i.grads));
    const traj = grads.map((g) => {
      opt.applyGradients([g], [v]);
      return v.value();
    });
    assertClose(tt.stack(traj), o.trajectory, 1e-6, name);
    assert.equal(opt.iterations, 5);
  };

  it('SGD (plain, momentum, Nesterov) follows Keras step by step', () => {
    run('sgd', () => new tt.optimizers.SGD({ learningRate: 0.1 }));
    run('sgdMomentum', () => new tt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }));
    run(
      'sgdNesterov',
      () => new tt.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    );
  });

  it('Adam follows Keras step by step', () => {
    run('adam', () => new tt.optimizers.Adam({ learningRate: 0.1 }));
    run('adamDefaults', () => new tt.optimizers.Adam());
  });

  it('take the learning rate as the first argument, as Keras does', () => {
    run('sgd', () => new tt.optimizers.SGD(0.1));
    run('adam', () => new tt.optimizers.Adam(0.1));
    assert.equal(new tt.optimizers.SGD(0.5).learningRate, 0.5);
    assert.equal(new tt.optimizers.Adam(0.5).learningRate, 0.5);
    assert.throws(() => new tt.optimizers.SGD(-1), /SGD: learningRate must be a positive number/);
    assert.throws(
      () => new tt.optimizers.Adam('0.1' as never),
      /Adam: expected a learning rate \(a positive number\) or an options object/,
    );
  });

  it('accepts [grad, variable] pairs, skips null gradients, and trains a small model', () => {
    tt.random.setSeed(3);
    const layer = new tt.layers.Dense(1);
    const x = tt.random.normal([32, 2], { seed: 4 });
    const target = tt.add(tt.matMul(x, tt.tensor([[2], [-1]])), 0.5);
    const opt = new tt.optimizers.Adam({ learningRate: 0.05 });
    const unused = tt.variable(1.0);
    let first = 0;
    let last = 0;
    for (let step = 0; step < 300; step++) {
      const tape = new tt.GradientTape();
      const loss = tape.record(() => tt.mean(tt.square(tt.sub(layer.apply(x), target))));
      const grads = tape.gradient(loss, [...layer.trainableVariables, unused]);
      opt.applyGradients(
        grads.map((g: tt.Tensor | null, k: number) => [
          g,
          [...layer.trainableVariables, unused][k],
        ]),
      );
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    assert.ok(last < first * 1e-3, `loss ${first} → ${last}`);
    assert.equal(unused.value().item(), 1);
    assertClose(layer.kernel.value(), tt.tensor([[2], [-1]]), 1e-2);
    assert.throws(
      () => opt.applyGradients([tt.ones([3])], [unused]),
      /Adam\.applyGradients: gradient 0 .* does not match variable/,
    );
    assert.throws(
      () => opt.applyGradients([tt.ones([3])], []),
      /must be arrays of the same length/,
    );
  });
});
