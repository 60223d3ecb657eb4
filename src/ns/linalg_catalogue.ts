// linalg aliases added by the op catalogue: `tt.linalg.norm`.
export { norm } from '../ops/index.js';
