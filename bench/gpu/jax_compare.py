#!/usr/bin/env python3
"""JAX 0.11 versions of the StateLens GPU benchmarks, and the ratio table.

Workloads, shaped as the Java benchmarks (bench/src/main/java/dev/statelens/bench):
  linreg  LinregStepBench.jittedUpdate: SGD step of y = w x + b on 128 samples (lr 0.005)
  mlp     MlpStepBench.jittedAdamStep: 1 -> 32 tanh -> 1 MLP, 256 samples, Adam(0.01), value_and_grad
  matmul  MatmulBench.matmul (impl=auto): n x n float32 matmul, n = 512, 2048, 4096 (XLA calls cuBLAS;
          JAX's default f32 precision on GPU is TF32, so the "fp32" rows rerun it at Precision.HIGHEST,
          the arithmetic StateLens does)

Each is jitted, warmed up, and timed with block_until_ready over repeated calls (the StateLens
backend synchronizes at the end of every jitted call, so both sides include kernel completion).
Prints a Markdown table: StateLens time, JAX time, StateLens/JAX (targets: MLP step <= 1.5x; large
matmul >= 60% of cuBLAS, i.e. ratio <= 1.67).
"""
import argparse
import json
import time

import jax
import jax.numpy as jnp


def timeit(fn, *args, min_time=1.0):
    out = fn(*args)
    jax.block_until_ready(out)
    for _ in range(3):
        jax.block_until_ready(fn(*args))
    n, start = 0, time.perf_counter()
    while True:
        out = fn(*args)
        n += 1
        if n % 10 == 0:
            jax.block_until_ready(out)
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                return elapsed / n


def linreg():
    key = jax.random.key(42)
    xk, nk = jax.random.split(key)
    xs = jax.random.normal(xk, (128, 1))
    ys = xs * 2 - 1 + jax.random.normal(nk, (128, 1)) * 0.5
    params = {"weight": jnp.float32(0.3), "bias": jnp.float32(-0.2)}

    def loss(p, x, y):
        return jnp.mean((p["weight"] * x + p["bias"] - y) ** 2)

    @jax.jit
    def update(p, x, y):
        g = jax.grad(loss)(p, x, y)
        return jax.tree.map(lambda a, b: a - 0.005 * b, p, g)

    return timeit(update, params, xs, ys)


def mlp():
    k1, k2, k3 = jax.random.split(jax.random.key(0), 3)
    x = jax.random.uniform(k1, (256, 1), minval=-jnp.pi, maxval=jnp.pi)
    y = jnp.sin(x)
    params = {"hidden": {"w": jax.random.normal(k2, (1, 32)), "b": jnp.zeros(32)},
              "out": {"w": jax.random.normal(k3, (32, 1)) / jnp.sqrt(32.0), "b": jnp.zeros(1)}}
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8

    def loss(p, x, y):
        h = jnp.tanh(x @ p["hidden"]["w"] + p["hidden"]["b"])
        return jnp.mean((h @ p["out"]["w"] + p["out"]["b"] - y) ** 2)

    @jax.jit
    def step(state, x, y):
        p, m, v, t = state
        l, g = jax.value_and_grad(loss)(p, x, y)
        t = t + 1
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, g)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, v, g)
        mh = jax.tree.map(lambda m: m / (1 - b1 ** t), m)
        vh = jax.tree.map(lambda v: v / (1 - b2 ** t), v)
        p = jax.tree.map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + eps), p, mh, vh)
        return l, (p, m, v, t)

    zeros = jax.tree.map(jnp.zeros_like, params)
    state = (params, zeros, zeros, jnp.int32(0))
    return timeit(lambda s: step(s, x, y), state)


def matmul(n, precision=None):
    """precision None is JAX's GPU default (TF32 tensor cores for f32); HIGHEST is true fp32 as StateLens."""
    ka, kb = jax.random.split(jax.random.key(1))
    a = jax.random.uniform(ka, (n, n), minval=-1, maxval=1)
    b = jax.random.uniform(kb, (n, n), minval=-1, maxval=1)
    return timeit(jax.jit(lambda x, y: jnp.matmul(x, y, precision=precision)), a, b)


def statelens_times(path):
    """JMH JSON -> {workload: seconds}."""
    scale = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}
    out = {}
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 2)[-2:]
        t = r["primaryMetric"]["score"] * scale[r["primaryMetric"]["scoreUnit"]]
        if name[0] == "LinregStepBench":
            out["linreg step"] = t
        elif name[0] == "MlpStepBench":
            out["mlp step"] = t
        elif name[0] == "MatmulBench":
            out["matmul %s" % r["params"]["n"]] = t
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--statelens", help="JMH JSON of the StateLens run")
    ap.add_argument("--out", help="write the table here too")
    args = ap.parse_args()
    print("JAX", jax.__version__, "on", jax.devices()[0].device_kind)
    jax_times = {"linreg step": linreg(), "mlp step": mlp()}
    for n in (512, 2048, 4096):
        jax_times["matmul %d" % n] = matmul(n)
    for n in (2048, 4096):
        jax_times["matmul %d fp32" % n] = matmul(n, jax.lax.Precision.HIGHEST)
    sl = statelens_times(args.statelens) if args.statelens else {}
    lines = ["| workload | StateLens (us) | JAX (us) | StateLens / JAX |", "|---|---:|---:|---:|"]
    for w, tj in jax_times.items():
        ts = sl.get(w.removesuffix(" fp32"))
        lines.append("| %s | %s | %.1f | %s |" % (w, "%.1f" % (ts * 1e6) if ts else "-", tj * 1e6,
                                                 "%.2f" % (ts / tj) if ts else "-"))
        if w.startswith("matmul"):
            n = int(w.split()[1])
            lines[-1] += "  JAX %.1f TFLOP/s%s" % (2 * n ** 3 / tj / 1e12,
                                                   ", StateLens %.1f TFLOP/s" % (2 * n ** 3 / ts / 1e12) if ts else "")
    table = "\n".join(lines)
    print(table)
    if args.out:
        open(args.out, "w").write(table + "\n")


if __name__ == "__main__":
    main()
