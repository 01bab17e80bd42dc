"""A variational autoencoder on synthetic data, trained with optax.adamw (the JAX side of
engine/.../port/VaePortTest).

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/vae.py -o engine/src/test/resources/port/vae.json

Data: x = sigmoid(2 z A + b) for a 2-d latent z, 16 features, 128 rows, all from key(1). Weights
from jax.nn.initializers (he_uniform, glorot_uniform, he_normal, glorot_normal: both variance-
scaling distributions). Each step splits the carried key for the reparameterisation noise
(jax.random.normal). Loss: mean over rows of optax.sigmoid_binary_cross_entropy summed over
features plus the Gaussian KL term. One jitted step, f32, 200 steps.
"""

import jax
import jax.numpy as jnp
import optax

from port_common import checksum, out_path, write

ROWS, FEATURES, HIDDEN, LATENT = 128, 16, 32, 2
STEPS, LR = 200, 3e-3


def data(key):
    k_z, k_a, k_b = jax.random.split(key, 3)
    z = jax.random.normal(k_z, (ROWS, LATENT))
    a = jax.random.normal(k_a, (LATENT, FEATURES))
    b = jax.random.uniform(k_b, (FEATURES,), minval=-1.0, maxval=1.0)
    return jax.nn.sigmoid(2.0 * z @ a + b)


def dense(key, n_in, n_out, init):
    return {"w": init(key, (n_in, n_out)), "b": jnp.zeros(n_out)}


def init(key):
    k = jax.random.split(key, 5)
    he_u, glorot_u = jax.nn.initializers.he_uniform(), jax.nn.initializers.glorot_uniform()
    he_n, glorot_n = jax.nn.initializers.he_normal(), jax.nn.initializers.glorot_normal()
    return {"enc": dense(k[0], FEATURES, HIDDEN, he_u),
            "mean": dense(k[1], HIDDEN, LATENT, glorot_u),
            "logvar": dense(k[2], HIDDEN, LATENT, glorot_u),
            "dec": dense(k[3], LATENT, HIDDEN, he_n),
            "out": dense(k[4], HIDDEN, FEATURES, glorot_n)}


def apply(p, x):
    return x @ p["w"] + p["b"]


def loss_fn(params, x, key):
    h = jax.nn.relu(apply(params["enc"], x))
    mean, logvar = apply(params["mean"], h), apply(params["logvar"], h)
    eps = jax.random.normal(key, mean.shape)
    z = mean + jnp.exp(0.5 * logvar) * eps                     # the reparameterisation trick
    logits = apply(params["out"], jax.nn.relu(apply(params["dec"], z)))
    reconstruction = optax.sigmoid_binary_cross_entropy(logits, x).sum(-1)
    kl = -0.5 * jnp.sum(1.0 + logvar - mean ** 2 - jnp.exp(logvar), axis=-1)
    return jnp.mean(reconstruction + kl)


def main():
    path = out_path("engine/src/test/resources/port/vae.json")
    k_data, k_init, key = jax.random.split(jax.random.key(1), 3)
    x = data(k_data)
    params = init(k_init)
    optimizer = optax.adamw(LR, weight_decay=1e-4)
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state, key):
        key, noise = jax.random.split(key)
        loss, grads = jax.value_and_grad(loss_fn)(params, x, noise)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, key, loss

    checks = {"x": checksum(x), "init": checksum(params)}
    losses = []
    for _ in range(STEPS):
        params, opt_state, key, loss = step(params, opt_state, key)
        losses.append(loss)
    checks["final"] = checksum(params)
    checks["final_key"] = [int(w) for w in jax.random.key_data(key)]
    write(path, "vae", losses, checks)


if __name__ == "__main__":
    main()
