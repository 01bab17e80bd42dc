"""JAX's side of FftBench: jitted jnp.fft calls, CPU time per call on one thread
(docs/benchmarks.md, "FFT"). The same shapes: rfft/fft of [32, n] for n = 64, 256, 1000, 1024 and
rfft2/fft2 of [64, 64]; best of 5 rounds, each after a warm-up call, in process CPU time after
block_until_ready.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/cpu/fft_timing.py
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import time  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

BATCH = 32


def measure(f, x, ops):
    jax.block_until_ready(f(x))
    best_wall, best_cpu = float("inf"), float("inf")
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(ops):
            out = f(x)
        jax.block_until_ready(out)
        best_wall = min(best_wall, (time.perf_counter() - w0) / ops)
        best_cpu = min(best_cpu, (time.process_time() - c0) / ops)
    return best_wall, best_cpu


def main():
    rng = np.random.default_rng(0)
    rfft, fft = jax.jit(jnp.fft.rfft), jax.jit(jnp.fft.fft)
    rfft2, fft2 = jax.jit(jnp.fft.rfft2), jax.jit(jnp.fft.fft2)
    results = {}
    for n in (64, 256, 1000, 1024):
        ops = max(20, 400_000 // (BATCH * n))
        x = jnp.asarray(rng.standard_normal((BATCH, n)), jnp.float32)
        z = jnp.asarray(rng.standard_normal((BATCH, n)) + 1j * rng.standard_normal((BATCH, n)), jnp.complex64)
        results[f"rfft [32, {n}]"] = measure(rfft, x, ops)
        results[f"fft [32, {n}]"] = measure(fft, z, ops)
        if n == 64:
            img = jnp.asarray(rng.standard_normal((64, 64)), jnp.float32)
            zimg = jnp.asarray(rng.standard_normal((64, 64)) + 1j * rng.standard_normal((64, 64)), jnp.complex64)
            results["rfft2 [64, 64]"] = measure(rfft2, img, ops)
            results["fft2 [64, 64]"] = measure(fft2, zimg, ops)
    print(f"JAX {jax.__version__}, one thread, best of 5 rounds")
    for name, (wall, cpu) in results.items():
        print(f"{name:18s} {cpu * 1e6:9.1f} us CPU {wall * 1e6:9.1f} us wall")


if __name__ == "__main__":
    main()
