"""TransformerKernelsProbe's kernels in real JAX on one CPU thread: the transformer step's pieces
(a dense layer, its weight gradient, attention scores, gelu, softmax, layer norm and their
gradients), each jitted alone at the example's shapes, so StateLens's per-kernel times have XLA's
beside them. Process CPU time per call, best of 5 rounds after a warm-up round. Run:

  JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/cpu/transformer_kernels_jax.py

(sets XLA_FLAGS to one thread, as transformer_jax.py does).
"""
import os
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import jax
import jax.numpy as jnp


def best_cpu_us(fn, args, ops=200, rounds=5):
    jax.block_until_ready(fn(*args))
    for _ in range(ops):
        out = fn(*args)
    jax.block_until_ready(out)
    best = float("inf")
    for _ in range(rounds):
        c0 = time.process_time()
        for _ in range(ops):
            out = fn(*args)
            jax.block_until_ready(out)
        best = min(best, (time.process_time() - c0) / ops)
    return best * 1e6


def layer_norm(x, scale, bias):
    mean = x.mean(-1, keepdims=True)
    var = jnp.square(x - mean).mean(-1, keepdims=True)
    return (x - mean) * jax.lax.rsqrt(var + 1e-5) * scale + bias


def main():
    k = jax.random.split(jax.random.key(3), 6)
    x = jax.random.normal(k[0], (16, 32, 48))
    w = jax.random.normal(k[1], (48, 192)) * 0.1
    g = jax.random.normal(k[2], (16, 32, 192))
    q = jax.random.normal(k[3], (16, 4, 32, 12))
    kt = jax.random.normal(k[4], (16, 4, 12, 32))
    scores = jax.random.normal(k[5], (16, 4, 32, 32))
    scale, bias = jnp.ones(48), jnp.zeros(48)
    rows = [
        ("x[16,32,48] @ w[48,192]", jax.jit(lambda a, b: a @ b), (x, w)),
        ("its gradient in w (x^T g over 16x32)",
         jax.jit(lambda v, gt: jax.grad(lambda u: jnp.sum((x @ u) * gt))(v)), (w, g)),
        ("q[16,4,32,12] @ k^T[16,4,12,32]", jax.jit(lambda a, b: a @ b), (q, kt)),
        ("gelu [16,32,192]", jax.jit(jax.nn.gelu), (g,)),
        ("softmax [16,4,32,32] (last axis)", jax.jit(lambda a: jax.nn.softmax(a, -1)), (scores,)),
        ("softmax and its vjp [16,4,32,32]",
         jax.jit(lambda a, c: jax.vjp(lambda u: jax.nn.softmax(u, -1), a)[1](c)), (scores, scores)),
        ("layerNorm [16,32,48]", jax.jit(lambda a: layer_norm(a, scale, bias)), (x,)),
        ("layerNorm and its vjp [16,32,48]",
         jax.jit(lambda a, c: jax.vjp(lambda u: layer_norm(u, scale, bias), a)[1](c)), (x, x)),
    ]
    for name, fn, args in rows:
        print(f"{name:<40} {best_cpu_us(fn, args):10.1f} us CPU")


if __name__ == "__main__":
    main()
