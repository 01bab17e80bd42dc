"""The transformer example's training step and the MLP example's step in real JAX on one CPU thread.

The same models, batch sizes and optimizers as examples/.../Transformer.java and Mlp.java (random
data of the same shapes: the time does not depend on the values), jitted, warmed up, timed with
block_until_ready; prints process CPU time and wall time per step, best of 5 rounds. Run:

  JAX_PLATFORMS=cpu XLA_FLAGS='--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1' \
    /tmp/o2venv/bin/python bench/cpu/transformer_jax.py [steps]

Compare with TransformerStepBench.main / CpuTimeProbe (--small) run with -Dstatelens.cpu.threads=1.
"""
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import jax
import jax.numpy as jnp
import optax
import optax.contrib

CONTEXT, WIDTH, HEADS, LAYERS, MLP_RATIO, BATCH = 32, 48, 4, 2, 4, 16
VOCAB = 38  # the distinct characters of TinyCorpus.TEXT
ADAM_LR, MUON_LR, WEIGHT_DECAY = 3e-3, 0.02, 1e-4


def dense(key, n_in, n_out):
    return {"w": 0.02 * jax.random.normal(key, (n_in, n_out)), "b": jnp.zeros(n_out)}


def norm():
    return {"scale": jnp.ones(WIDTH), "bias": jnp.zeros(WIDTH)}


def init(key):
    k = jax.random.split(key, LAYERS + 3)
    blocks = []
    for i in range(LAYERS):
        kb = jax.random.split(k[i], 6)
        blocks.append({
            "norm1": norm(),
            "attention": {n: dense(kb[j], WIDTH, WIDTH) for j, n in enumerate(["query", "key", "value", "out"])},
            "norm2": norm(),
            "mlp": {"up": dense(kb[4], WIDTH, MLP_RATIO * WIDTH), "down": dense(kb[5], MLP_RATIO * WIDTH, WIDTH)},
        })
    return {
        "token_embedding": 0.02 * jax.random.normal(k[LAYERS], (VOCAB, WIDTH)),
        "position_embedding": 0.02 * jax.random.normal(k[LAYERS + 1], (CONTEXT, WIDTH)),
        "blocks": blocks,
        "final_norm": norm(),
        "head": dense(k[LAYERS + 2], WIDTH, VOCAB),
    }


def apply(d, x):
    return x @ d["w"] + d["b"]


def layer_norm(n, x):
    mean = x.mean(-1, keepdims=True)
    var = jnp.square(x - mean).mean(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-5) * n["scale"] + n["bias"]


def attend(a, h):
    b, t, _ = h.shape
    heads = (b, t, HEADS, WIDTH // HEADS)
    q = apply(a["query"], h).reshape(heads)
    k = apply(a["key"], h).reshape(heads)
    v = apply(a["value"], h).reshape(heads)
    mixed = jax.nn.dot_product_attention(q, k, v, is_causal=True)
    return apply(a["out"], mixed.reshape(b, t, WIDTH))


def predict(p, x):
    t = x.shape[1]
    h = jnp.take(p["token_embedding"], x, axis=0) + p["position_embedding"][:t]
    for blk in p["blocks"]:
        h = h + attend(blk["attention"], layer_norm(blk["norm1"], h))
        h = h + apply(blk["mlp"]["down"], jax.nn.gelu(apply(blk["mlp"]["up"], layer_norm(blk["norm2"], h))))
    return apply(p["head"], layer_norm(p["final_norm"], h))


def loss(p, x, y):
    return optax.softmax_cross_entropy_with_integer_labels(predict(p, x), y).mean()


def make_step(opt, loss_fn):
    @jax.jit
    def step(params, opt_state, x, y):
        l, g = jax.value_and_grad(loss_fn)(params, x, y)
        updates, opt_state = opt.update(g, opt_state, params)
        return l, optax.apply_updates(params, updates), opt_state
    return step


def muon():
    def dims(params):  # the blocks' matrices get Muon, every other leaf AdamW (the example's split)
        def leaf(path, x):
            in_blocks = jax.tree_util.keystr(path).startswith("['blocks']")
            return optax.contrib.MuonDimensionNumbers() if in_blocks and x.ndim == 2 else None
        return jax.tree_util.tree_map_with_path(leaf, params)
    return optax.contrib.muon(MUON_LR, adam_b1=0.9, adam_b2=0.999, adam_eps_root=0.0,
                              adam_weight_decay=WEIGHT_DECAY, adam_learning_rate=ADAM_LR,
                              muon_weight_dimension_numbers=dims)


def time_step(name, step, args, steps, rounds=5):
    out = step(*args)
    jax.block_until_ready(out)
    for _ in range(steps):  # warm-up round
        out = step(*args)
    jax.block_until_ready(out)
    best_cpu = best_wall = float("inf")
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(steps):
            out = step(*args)
            jax.block_until_ready(out)
        c1, w1 = time.process_time(), time.perf_counter()
        best_cpu = min(best_cpu, (c1 - c0) / steps)
        best_wall = min(best_wall, (w1 - w0) / steps)
    unit, scale = ("ms", 1e3) if best_cpu > 1e-3 else ("us", 1e6)
    print(f"{name}: {best_cpu * scale:.3f} {unit} CPU, {best_wall * scale:.3f} {unit} wall")


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    key = jax.random.key(0)
    kp, kx = jax.random.split(key)
    params = init(kp)
    tokens = jax.random.randint(kx, (BATCH, CONTEXT + 1), 0, VOCAB)
    x, y = tokens[:, :-1], tokens[:, 1:]
    adamw = optax.adamw(ADAM_LR, 0.9, 0.999, 1e-8, weight_decay=WEIGHT_DECAY)
    time_step("transformer step, AdamW alone ", make_step(adamw, loss), (params, adamw.init(params), x, y), steps)
    m = muon()
    time_step("transformer step, Muon + AdamW", make_step(m, loss), (params, m.init(params), x, y), steps)

    # the MLP example: 1 -> 32 tanh -> 1 on 256 samples, mean squared error, Adam 0.01
    k1, k2, k3 = jax.random.split(jax.random.key(1), 3)
    mlp = {"hidden": {"w": jax.random.normal(k1, (1, 32)), "b": jnp.zeros(32)},
           "out": {"w": jax.random.normal(k2, (32, 1)) / jnp.sqrt(32.0), "b": jnp.zeros(1)}}
    xs = jax.random.uniform(k3, (256, 1), minval=-jnp.pi, maxval=jnp.pi)

    def mlp_loss(p, x, y):
        h = jnp.tanh(x @ p["hidden"]["w"] + p["hidden"]["b"])
        return jnp.square(h @ p["out"]["w"] + p["out"]["b"] - y).mean()
    adam = optax.adam(0.01)
    time_step("mlp step, Adam                ", make_step(adam, mlp_loss), (mlp, adam.init(mlp), xs, jnp.sin(xs)),
              steps * 500)
    print(f"jax {jax.__version__}, optax {optax.__version__}, devices {jax.devices()}, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
