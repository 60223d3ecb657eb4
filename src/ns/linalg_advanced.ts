// linalg aliases added by the jacobian/guides work (solve, inv, det, cholesky, einsum).
export {};
