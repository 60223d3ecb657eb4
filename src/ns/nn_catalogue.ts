// nn aliases added by the op catalogue (softmax, logSoftmax, activations).
export {};
