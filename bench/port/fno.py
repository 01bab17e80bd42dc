"""A 1-D Fourier Neural Operator learning the solution operator of the heat equation on a periodic
interval, trained with optax.adam (the JAX side of the fno example, examples/.../Fno.java, checked
by FnoTest).

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/fno.py -o engine/src/test/resources/port/fno.json

The data is the exact spectral solution: from jax.random.key(0), each initial condition is a sum of
the first 8 Fourier modes with normal coefficients damped by 1/k; at time T each mode k has
decayed by exp(-NU k^2 T). The model lifts (u0, x) to WIDTH channels, applies two Fourier layers
(rfft along space, keep MODES modes, mix channels with complex weights wr + i wi, irfft; plus a
pointwise linear map; tanh) and projects back to one channel. f32, one jitted step, 200 steps.
"""

import jax
import jax.numpy as jnp
import optax

from port_common import checksum, out_path, write

SAMPLES, GRID, MODES_DATA, NU, T = 64, 32, 8, 0.1, 1.0
WIDTH, MODES = 12, 6
STEPS, LR = 200, 1e-2


def data(key):
    k_a, k_b = jax.random.split(key)
    k = jnp.arange(1, MODES_DATA + 1, dtype=jnp.float32)
    a = jax.random.normal(k_a, (SAMPLES, MODES_DATA)) / k
    b = jax.random.normal(k_b, (SAMPLES, MODES_DATA)) / k
    x = jnp.arange(GRID, dtype=jnp.float32) * (2 * jnp.pi / GRID)
    cos = jnp.cos(k[:, None] * x[None, :])  # [modes, grid]
    sin = jnp.sin(k[:, None] * x[None, :])
    decay = jnp.exp(-NU * k * k * T)
    u0 = a @ cos + b @ sin
    ut = (a * decay) @ cos + (b * decay) @ sin
    return dict(x=x, u0=u0, ut=ut)


def init(key):
    ks = jax.random.split(key, 8)
    s = 1.0 / WIDTH
    def layer(k1, k2, k3):
        return {"wr": s * jax.random.normal(k1, (WIDTH, WIDTH, MODES)),
                "wi": s * jax.random.normal(k2, (WIDTH, WIDTH, MODES)),
                "w": jax.random.normal(k3, (WIDTH, WIDTH)) / jnp.sqrt(WIDTH),
                "b": jnp.zeros(WIDTH)}
    return {"lift": jax.random.normal(ks[0], (2, WIDTH)) / jnp.sqrt(2.0), "lift_b": jnp.zeros(WIDTH),
            "layer1": layer(ks[1], ks[2], ks[3]), "layer2": layer(ks[4], ks[5], ks[6]),
            "proj": jax.random.normal(ks[7], (WIDTH, 1)) / jnp.sqrt(WIDTH), "proj_b": jnp.zeros(1)}


def fourier_layer(p, v):
    """v: [batch, grid, width]."""
    vf = jnp.fft.rfft(v, axis=1)[:, :MODES, :]                     # [batch, modes, width] c64
    mixed = jnp.einsum("bmi,iom->bmo", vf, p["wr"] + 1j * p["wi"])  # channel mixing per mode
    full = jnp.pad(mixed, ((0, 0), (0, GRID // 2 + 1 - MODES), (0, 0)))
    spectral = jnp.fft.irfft(full, n=GRID, axis=1)
    return jnp.tanh(spectral + v @ p["w"] + p["b"])


def predict(params, u0, x):
    inputs = jnp.stack([u0, jnp.broadcast_to(x, u0.shape)], axis=-1)  # [batch, grid, 2]
    v = inputs @ params["lift"] + params["lift_b"]
    v = fourier_layer(params["layer2"], fourier_layer(params["layer1"], v))
    return (v @ params["proj"] + params["proj_b"])[..., 0]


def loss_fn(params, d):
    return jnp.mean((predict(params, d["u0"], d["x"]) - d["ut"]) ** 2)


def main():
    path = out_path("engine/src/test/resources/port/fno.json")
    k_data, k_init = jax.random.split(jax.random.key(0))
    d = data(k_data)
    params = init(k_init)
    optimizer = optax.adam(LR)
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state):
        loss, grads = jax.value_and_grad(loss_fn)(params, d)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    checks = {"u0": checksum(d["u0"]), "ut": checksum(d["ut"]), "init": checksum(params),
              "grad1": checksum(jax.grad(loss_fn)(params, d))}
    losses = []
    for _ in range(STEPS):
        params, opt_state, loss = step(params, opt_state)
        losses.append(float(loss))
    checks["final"] = checksum(params)
    write(path, "fno", losses, checks)


if __name__ == "__main__":
    main()
