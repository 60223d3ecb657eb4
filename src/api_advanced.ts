// Public exports added by the jacobian/guides work: JAX-style transforms, layers and optimizers.
export {
  grad,
  valueAndGrad,
  vjp,
  jvp,
  jacrev,
  jacfwd,
  hessian,
  hvp,
  recomputeGrad,
  type Argnums,
  type TransformOptions,
} from './transforms.js';
export * as layers from './layers/index.js';
export * as optimizers from './optimizers/index.js';
