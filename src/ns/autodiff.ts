// `tt.autodiff.*`: TF's autodiff namespace (`tf.autodiff.GradientTape`, `ForwardAccumulator`).
export { GradientTape } from '../core/tape.js';
export { ForwardAccumulator } from '../core/forward.js';
