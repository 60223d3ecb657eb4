// nn aliases added by the op catalogue: activations and the softmax family (`tt.nn.relu6`, ...).
export { softplus, relu6, elu, selu, gelu, leakyRelu, softmax, logSoftmax } from '../ops/index.js';
