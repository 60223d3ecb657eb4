// linalg aliases added by the jacobian/guides work (solve, inv, det, cholesky, einsum).
export { solve, inv, det, cholesky, einsum } from '../ops/advanced.js';
