"""A small CNN with batch norm on synthetic 16x16 images, batch norm's running statistics carried
as explicit state (the JAX side of engine/.../port/CnnBnPortTest).

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/cnn_bn.py -o engine/src/test/resources/port/cnn_bn.json

Data (key(3)): three classes, each a fixed random 16x16 template; an image is its class's template
plus N(0, 0.8^2) noise; 128 training images (4 batches of 32, cycled), 64 held out.
Model, NHWC activations and HWIO kernels (jax.lax.conv_general_dilated, padding SAME):
conv 3x3 1->8 stride 1 -> batch norm -> relu -> max pool 2x2 (lax.reduce_window) ->
conv 3x3 8->16 stride 2 -> batch norm -> relu -> global mean -> dense 16->3.
Batch norm as a JAX user writes it without flax: training normalises with the batch's mean and
(biased) variance and returns the running averages as new state (momentum 0.9, flax's);
evaluation normalises with the running statistics. The loss returns the new statistics as aux
(value_and_grad(has_aux=True)); the step is
step(params, bn_state, opt_state, batch) -> (loss, params, bn_state, opt_state).
Optimizer: optax.chain(add_decayed_weights(5e-4, mask: kernels only), sgd(0.05, momentum=0.9,
nesterov=True)). 40 steps, f32, one jitted step; an eval step on the held-out images at the end.
"""

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax import lax

from port_common import checksum, out_path, write

SIZE, CLASSES, TRAIN, HELD_OUT, BATCH = 16, 3, 128, 64, 32
C1, C2 = 8, 16
NOISE, MOMENTUM, EPS = 0.8, 0.9, 1e-5
STEPS, LR, WEIGHT_DECAY = 40, 0.05, 5e-4
DIMS = ("NHWC", "HWIO", "NHWC")


def data(key):
    k_t, k_train, k_test = jax.random.split(key, 3)
    templates = jax.random.normal(k_t, (CLASSES, SIZE, SIZE, 1))

    def draw(k, n):
        k_y, k_n = jax.random.split(k)
        y = jax.random.randint(k_y, (n,), 0, CLASSES)
        return templates[y] + NOISE * jax.random.normal(k_n, (n, SIZE, SIZE, 1)), y

    return draw(k_train, TRAIN), draw(k_test, HELD_OUT)


def init(key):
    k1, k2, k3 = jax.random.split(key, 3)
    he = jax.nn.initializers.he_normal()
    params = {"conv1": he(k1, (3, 3, 1, C1)),
              "bn1": {"scale": jnp.ones(C1), "bias": jnp.zeros(C1)},
              "conv2": he(k2, (3, 3, C1, C2)),
              "bn2": {"scale": jnp.ones(C2), "bias": jnp.zeros(C2)},
              "out": {"w": jax.nn.initializers.glorot_uniform()(k3, (C2, CLASSES)), "b": jnp.zeros(CLASSES)}}
    bn_state = {"bn1": {"mean": jnp.zeros(C1), "var": jnp.ones(C1)},
                "bn2": {"mean": jnp.zeros(C2), "var": jnp.ones(C2)}}
    return params, bn_state


def conv(x, w, stride):
    return lax.conv_general_dilated(x, w, (stride, stride), "SAME", dimension_numbers=DIMS)


def batch_norm(x, p, s, train):
    if train:
        mean, var = x.mean(axis=(0, 1, 2)), x.var(axis=(0, 1, 2))
        s = {"mean": MOMENTUM * s["mean"] + (1 - MOMENTUM) * mean,
             "var": MOMENTUM * s["var"] + (1 - MOMENTUM) * var}
    else:
        mean, var = s["mean"], s["var"]
    return (x - mean) * lax.rsqrt(var + EPS) * p["scale"] + p["bias"], s


def max_pool(x):
    return lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")


def forward(params, bn_state, x, train):
    h, s1 = batch_norm(conv(x, params["conv1"], 1), params["bn1"], bn_state["bn1"], train)
    h = max_pool(jax.nn.relu(h))
    h, s2 = batch_norm(conv(h, params["conv2"], 2), params["bn2"], bn_state["bn2"], train)
    h = jax.nn.relu(h).mean(axis=(1, 2))
    return h @ params["out"]["w"] + params["out"]["b"], {"bn1": s1, "bn2": s2}


def loss_fn(params, bn_state, x, y):
    logits, new_state = forward(params, bn_state, x, train=True)
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean(), new_state


def main():
    path = out_path("engine/src/test/resources/port/cnn_bn.json")
    k_data, k_init = jax.random.split(jax.random.key(3))
    (x, y), (x_test, y_test) = data(k_data)
    params, bn_state = init(k_init)
    optimizer = optax.chain(
        optax.add_decayed_weights(WEIGHT_DECAY, mask=lambda p: jax.tree.map(lambda l: l.ndim > 1, p)),
        optax.sgd(LR, momentum=0.9, nesterov=True))
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, bn_state, opt_state, x, y):
        (loss, bn_state), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, bn_state, x, y)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return loss, optax.apply_updates(params, updates), bn_state, opt_state

    @jax.jit
    def evaluate(params, bn_state, x, y):
        logits, _ = forward(params, bn_state, x, train=False)
        loss = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
        return loss, (logits.argmax(-1) == y).sum()

    checks = {"x": checksum(x), "y": int(y.sum()), "x_test": checksum(x_test), "y_test": int(y_test.sum()),
              "init": checksum(params)}
    eval_before, correct_before = evaluate(params, bn_state, x_test, y_test)
    losses = []
    for i in range(STEPS):
        b = i % (TRAIN // BATCH)
        loss, params, bn_state, opt_state = step(params, bn_state, opt_state,
                                                 x[b * BATCH:(b + 1) * BATCH], y[b * BATCH:(b + 1) * BATCH])
        losses.append(loss)
    eval_loss, correct = evaluate(params, bn_state, x_test, y_test)
    checks["final"] = checksum(params)
    checks["bn_state"] = checksum(bn_state)
    checks["eval_loss_before"] = float(eval_before)
    checks["eval_correct_before"] = int(correct_before)
    checks["eval_loss"] = float(eval_loss)
    checks["eval_correct"] = int(correct)
    print(f"held out: loss {float(eval_before):.4f} -> {float(eval_loss):.4f}, "
          f"correct {int(correct_before)} -> {int(correct)} of {HELD_OUT}")
    write(path, "cnn_bn", losses, checks)


if __name__ == "__main__":
    main()
