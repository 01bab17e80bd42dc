"""jax_reference.py's jnp6 cases (session 13): the jax.random / jax.numpy names added then
(docs/jax-coverage.md rows 10-14, 21 and parts of 7, 8, 11, 12) — jax.random.binomial/multinomial/
generalized_normal and key plumbing (clone, key_data, wrap_key_data); jnp.unique/nonzero/argwhere/
flatnonzero with size= and fill_value=; the index helpers (tril/triu_indices(_from), diag_indices,
fill_diagonal, indices, unravel_index, ravel_multi_index); cov/corrcoef, nancumsum/nancumprod,
gradient, piecewise and interp(period=) — with their gradients, vmap and jit.

Every case is named "jnp6/..." and has its twin in StateLensJnp6Side.java. float32 unless a case
says otherwise; "exact" where StateLens runs the same operations in the same order as XLA's CPU.
"""

import numpy as np

F32 = np.float32


def jnp6_cases(case, arr):
    random_cases(case)


def random_cases(case):
    import jax
    import jax.numpy as jnp

    r = jax.random
    for seed in (0, 42):
        key = r.key(seed)
        # small n*q: the geometric-sum inversion; large: BTRS; p > 1/2 draws the failures (n - k)
        for n, p in ((5.0, 0.3), (50.0, 0.6), (1000.0, 0.25), (30.0, 0.97)):
            case("jnp6/random/binomial", "exact", {"out": r.binomial(key, n, p, (40,))}, seed=seed, n=n, p=p,
                 shape=[40], label=f"n{n:g}-p{p:g}")
        # per-element n and p, both algorithms and the edge cases: p 0 and 1, a fractional n (floored),
        # a negative n and p > 1 (NaN), an infinite n (inf)
        ns = np.array([0, 1, 3, 20, 100, 1000, 7.5, 12, 4, -2, np.inf, 9], F32)
        ps = np.array([0.1, 0.9, 0.5, 0.3, 0.02, 0.5, 0.4, 0.0, 1.0, 0.5, 0.3, 1.5], F32)
        case("jnp6/random/binomial", "exact", {"out": r.binomial(key, ns, ps)}, {"n": ns, "p": ps}, seed=seed,
             label="arrays")
        case("jnp6/random/binomial", "exact", {"out": r.binomial(key, ns[:9], ps[:9], (3, 9))}, {"n": ns[:9], "p": ps[:9]},
             seed=seed, shape=[3, 9], label="broadcast")
        case("jnp6/random/binomial", "exact", {"out": jax.jit(lambda k, n, p: r.binomial(k, n, p))(key, ns, ps)},
             {"n": ns, "p": ps}, seed=seed, label="jit")
        keys = r.split(key, 3)
        case("jnp6/random/binomial", "exact",
             {"out": jax.vmap(lambda k: r.binomial(k, ns[:9], ps[:9]))(keys)}, {"n": ns[:9], "p": ps[:9]}, seed=seed,
             label="vmap-keys")

        p3 = np.array([0.2, 0.3, 0.5], F32)
        case("jnp6/random/multinomial", "exact", {"out": r.multinomial(key, 10.0, p3)}, {"n": np.float32(10), "p": p3},
             seed=seed, label="one")
        case("jnp6/random/multinomial", "exact", {"out": r.multinomial(key, 10.0, p3, shape=(4, 3))},
             {"n": np.float32(10), "p": p3}, seed=seed, shape=[4, 3], label="shape")
        p24 = np.array([[0.1, 0.2, 0.3, 0.4], [0.7, 0.0, 0.05, 0.25]], F32)
        nb = np.array([500, 37], F32)
        case("jnp6/random/multinomial", "exact", {"out": r.multinomial(key, nb, p24)}, {"n": nb, "p": p24},
             seed=seed, label="batch")
        case("jnp6/random/multinomial", "exact", {"out": jax.jit(lambda k, n, p: r.multinomial(k, n, p))(key, nb, p24)},
             {"n": nb, "p": p24}, seed=seed, label="jit")

        # gamma ** (1/p): XLA's pow/log against the engine's; "close" at a few ulp
        for gp in (0.5, 1.0, 2.0, 3.5):
            case("jnp6/random/generalized_normal", "close", {"out": r.generalized_normal(key, gp, (40,))}, seed=seed,
                 p=gp, shape=[40], label=f"p{gp:g}", rtol=2e-6, atol=1e-7)

        # key plumbing: key_data of a split key, a key rebuilt from (traced) data inside jit, a clone's draws
        sub = r.split(key)[1]
        data = r.key_data(sub)
        case("jnp6/random/key_data", "exact",
             {"data": data, "batch": r.key_data(r.split(key, 3)),
              "wrapped": jax.jit(lambda d: r.normal(r.wrap_key_data(d), (5,)))(data),
              "clone": r.uniform(r.clone(sub), (5,))}, seed=seed)
