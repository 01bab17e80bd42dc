"""A tiny decoder-only transformer language model on a synthetic token stream (the JAX side of
engine/.../port/LmPortTest), written as a JAX 0.10.2 + optax 0.2.8 user writes one today.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/lm.py -o engine/src/test/resources/port/lm.json

Data: each row is an arithmetic progression mod VOCAB (a random start and stride per row, drawn
with randint from fold_in(data key, step)), so the next token follows from the previous two.
Model: token embedding (tied with the output head) + learned positions, 2 pre-LayerNorm blocks of
causal multi-head self-attention (einsum projections, jax.nn.dot_product_attention(is_causal=True))
and a gelu MLP, residual dropout 0.1 with a key folded per step. Loss
optax.softmax_cross_entropy_with_integer_labels; optimizer chain(clip_by_global_norm(1),
adamw(warmup_cosine_decay_schedule, weight_decay=0.01, mask: matrices only)). f32, 60 jitted steps.
"""

import jax
import jax.numpy as jnp
import optax

from port_common import checksum, out_path, write

VOCAB, CONTEXT, WIDTH, HEADS, LAYERS, BATCH = 16, 16, 32, 2, 2, 8
HEAD_DIM = WIDTH // HEADS
STEPS, WARMUP, PEAK_LR, DROPOUT = 60, 10, 3e-3, 0.1


def batch(key):
    k_start, k_stride = jax.random.split(key)
    start = jax.random.randint(k_start, (BATCH, 1), 0, VOCAB)
    stride = jax.random.randint(k_stride, (BATCH, 1), 1, 4)
    tokens = (start + stride * jnp.arange(CONTEXT + 1)) % VOCAB
    return tokens[:, :-1], tokens[:, 1:]


def init(key):
    keys = jax.random.split(key, 2 + LAYERS)
    normal = jax.nn.initializers.normal(stddev=0.02)
    dense = jax.nn.initializers.lecun_normal()
    qkv_init = jax.nn.initializers.lecun_normal(in_axis=0, out_axis=(1, 2, 3))
    out_init = jax.nn.initializers.lecun_normal(in_axis=(0, 1), out_axis=2)

    def block(k):
        kq, ko, ku, kd = jax.random.split(k, 4)
        return {"ln1": {"scale": jnp.ones(WIDTH), "bias": jnp.zeros(WIDTH)},
                "qkv": qkv_init(kq, (WIDTH, 3, HEADS, HEAD_DIM)),
                "out": out_init(ko, (HEADS, HEAD_DIM, WIDTH)),
                "ln2": {"scale": jnp.ones(WIDTH), "bias": jnp.zeros(WIDTH)},
                "up": {"w": dense(ku, (WIDTH, 4 * WIDTH)), "b": jnp.zeros(4 * WIDTH)},
                "down": {"w": dense(kd, (4 * WIDTH, WIDTH)), "b": jnp.zeros(WIDTH)}}

    return {"embed": normal(keys[0], (VOCAB, WIDTH)),
            "pos": normal(keys[1], (CONTEXT, WIDTH)),
            "blocks": [block(k) for k in keys[2:]],
            "ln_f": {"scale": jnp.ones(WIDTH), "bias": jnp.zeros(WIDTH)}}


def layer_norm(x, p, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = x.var(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + eps) * p["scale"] + p["bias"]


def dropout(key, x, rate):
    keep = jax.random.bernoulli(key, 1.0 - rate, x.shape)
    return jnp.where(keep, x / (1.0 - rate), 0.0)


def block_apply(p, x, key, train):
    k_attn, k_mlp = jax.random.split(key)
    h = layer_norm(x, p["ln1"])
    q, k, v = jnp.einsum("btd,dshk->sbthk", h, p["qkv"])
    attn = jax.nn.dot_product_attention(q, k, v, is_causal=True)
    attn = jnp.einsum("bthk,hkd->btd", attn, p["out"])
    x = x + (dropout(k_attn, attn, DROPOUT) if train else attn)
    h = layer_norm(x, p["ln2"])
    h = jax.nn.gelu(h @ p["up"]["w"] + p["up"]["b"]) @ p["down"]["w"] + p["down"]["b"]
    return x + (dropout(k_mlp, h, DROPOUT) if train else h)


def forward(params, tokens, key, train=True):
    x = params["embed"][tokens] + params["pos"]
    for p, k in zip(params["blocks"], jax.random.split(key, LAYERS)):
        x = block_apply(p, x, k, train)
    x = layer_norm(x, params["ln_f"])
    return x @ params["embed"].T


def loss_fn(params, inputs, targets, key, train=True):
    logits = forward(params, inputs, key, train)
    return optax.softmax_cross_entropy_with_integer_labels(logits, targets).mean()


def main():
    path = out_path("engine/src/test/resources/port/lm.json")
    k_init, k_data, k_drop = jax.random.split(jax.random.key(3), 3)
    params = init(k_init)
    schedule = optax.warmup_cosine_decay_schedule(0.0, PEAK_LR, WARMUP, STEPS, end_value=0.1 * PEAK_LR)
    decay_mask = lambda p: jax.tree.map(lambda x: x.ndim > 1, p)
    optimizer = optax.chain(optax.clip_by_global_norm(1.0),
                            optax.adamw(schedule, weight_decay=0.01, mask=decay_mask))
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state, i):
        inputs, targets = batch(jax.random.fold_in(k_data, i))
        loss, grads = jax.value_and_grad(loss_fn)(params, inputs, targets, jax.random.fold_in(k_drop, i))
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss, optax.global_norm(grads)

    eval_inputs, eval_targets = batch(jax.random.key(99))
    eval_loss = jax.jit(lambda p: loss_fn(p, eval_inputs, eval_targets, jax.random.key(0), train=False))
    checks = {"init": checksum(params), "batch0": int(batch(jax.random.fold_in(k_data, 0))[0].sum()),
              "eval_init": float(eval_loss(params))}
    losses, norms = [], []
    for i in range(STEPS):
        params, opt_state, loss, norm = step(params, opt_state, i)
        losses.append(loss)
        norms.append(float(norm))
    checks["grad_norm"] = norms
    checks["final"] = checksum(params)
    checks["eval_final"] = float(eval_loss(params))
    logits = forward(params, eval_inputs, jax.random.key(0), train=False)
    checks["eval_accuracy"] = float((logits.argmax(-1) == eval_targets).mean())
    write(path, "lm", losses, checks)


if __name__ == "__main__":
    main()
