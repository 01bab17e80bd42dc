"""JAX's side of ComplexPowProbe.java: process CPU time per element of jitted c64 multiply, divide,
square, abs, the fused z*w + z/w, power, add and neg on [65536], XLA on one thread:

  XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1" JAX_PLATFORMS=cpu \
      taskset -c 0 /tmp/o2venv/bin/python bench/probes/complex_pow_jax.py
"""
import time, numpy as np, jax, jax.numpy as jnp
n = 1 << 16
r = np.random.default_rng(1)
z = jnp.asarray((r.standard_normal(n) + 1j * r.standard_normal(n)).astype(np.complex64))
w = jnp.asarray((0.5 * r.standard_normal(n) + 0.5j * r.standard_normal(n)).astype(np.complex64))
for name, f in (("mul", jnp.multiply), ("div", jnp.divide), ("square", lambda x, y: jax.lax.square(x)),
                ("abs", lambda x, y: jnp.abs(x)), ("fused", lambda x, y: x * y + x / y), ("pow", jnp.power),
                ("add", jnp.add), ("neg", lambda x, y: -x)):
    g = jax.jit(f); g(z, w).block_until_ready()
    best = 1e9
    for _ in range(7):
        t0 = time.process_time()
        for _ in range(20): g(z, w).block_until_ready()
        best = min(best, (time.process_time() - t0) / 20 / n * 1e9)
    print(f"JAX c64 {name} [{n}]: {best:.1f} ns/element (process CPU, best of 7 rounds of 20 calls)")
