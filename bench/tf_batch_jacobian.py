# TensorFlow's own batch_jacobian on the workload of bench/jacobian.ts (a 32→64→32 tanh network
# on a batch of 64, result [64, 32, 32]), vectorized (experimental_use_pfor=True) and looping
# (False), eager, medians of repeated runs: the context for tensortape's ratio between the two.
# Timed twice, as in bench/jacobian.ts: recording the forward pass and taking the batch Jacobian,
# then the batch_jacobian call alone on a tape recorded once.
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


def record():
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2) + b2)
    return tape, y


def median_ms(fn):
    for _ in range(3):
        fn()
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return 1000 * float(np.median(times))


recorded = record()
for what, make in (
    ("record + batch_jacobian", lambda: record()),
    ("batch_jacobian alone", lambda: recorded),
):
    medians = {}
    for pfor in (True, False):

        def run():
            tape, y = make()
            return tape.batch_jacobian(y, x, experimental_use_pfor=pfor)

        medians[pfor] = median_ms(run)
        name = "vectorized" if pfor else "looping"
        print(f"TensorFlow {tf.__version__} {what}, {name}: {medians[pfor]:.1f} ms, shape {run().shape}")
    print(f"{what}: looping / vectorized: {medians[False] / medians[True]:.1f}x")
