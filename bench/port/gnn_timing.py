"""JAX's side of GnnStepBench: the jitted Adam step of bench/port/gnn.py, CPU time per step on one
thread (docs/benchmarks.md, "Ported programs").

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/port/gnn_timing.py
"""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import time  # noqa: E402

import jax  # noqa: E402
import optax  # noqa: E402

import gnn  # noqa: E402


def main():
    k_graph, k_init = jax.random.split(jax.random.key(0))
    g = gnn.graph(k_graph)
    params = gnn.init(k_init)
    optimizer = optax.adam(gnn.LR)
    opt_state = optimizer.init(params)

    @jax.jit
    def step(params, opt_state):
        loss, grads = jax.value_and_grad(gnn.loss_fn)(params, g)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    jax.block_until_ready(step(params, opt_state))
    best_wall, best_cpu, ops = float("inf"), float("inf"), 300
    for _ in range(5):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(ops):
            out = step(params, opt_state)
        jax.block_until_ready(out)
        best_wall = min(best_wall, (time.perf_counter() - w0) / ops)
        best_cpu = min(best_cpu, (time.process_time() - c0) / ops)
    print(f"gnn step (JAX {jax.__version__}): {best_wall * 1e6:.1f} us wall, {best_cpu * 1e6:.1f} us CPU per step "
          f"(best of 5 rounds of {ops}, one thread)")


if __name__ == "__main__":
    main()
