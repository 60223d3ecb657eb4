// Ops the jacobian/guides work adds (linalg, nn losses, conv, pools, ...): re-exported by ops/index.ts.
export {};
