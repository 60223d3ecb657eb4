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
