# TensorFlow's own batch_jacobian on the workload of bench/jacobian.ts (a 32→64→32 tanh network
# on a batch of 64, result [64, 32, 32]), vectorized (experimental_use_pfor=True) and looping
# (False), eager, medians of repeated runs: the context for tensortape's ratio between the two.
#
#   python bench/tf_batch_jacobian.py       (needs tensorflow; not used by tests or CI)

import time

import numpy as np
import tensorflow as tf

tf.random.set_seed(1)
x = tf.random.normal([64, 32])
w1 = tf.random.normal([32, 64], stddev=0.2)
b1 = tf.random.normal([64], stddev=0.1)
w2 = tf.random.normal([64, 32], stddev=0.2)
b2 = tf.random.normal([32], stddev=0.1)


def run(pfor):
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2) + b2)
    return tape.batch_jacobian(y, x, experimental_use_pfor=pfor)


medians = {}
for pfor in (True, False):
    for _ in range(3):
        run(pfor)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        result = run(pfor)
        times.append(time.perf_counter() - t0)
    medians[pfor] = 1000 * float(np.median(times))
    name = "vectorized" if pfor else "looping"
    print(f"TensorFlow {tf.__version__} {name}: {medians[pfor]:.1f} ms, shape {result.shape}")
print(f"looping / vectorized: {medians[False] / medians[True]:.1f}x")
