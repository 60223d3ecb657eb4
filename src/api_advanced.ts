// Public exports added by the jacobian/guides work (transforms, layers, optimizers, ...).
export {};
