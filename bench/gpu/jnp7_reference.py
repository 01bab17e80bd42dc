"""jax_reference.py's jnp7 cases (session 13): lax.zeta / jax.scipy.special.zeta (Hurwitz zeta) with
its custom derivative, and the jnp/lax/linalg pieces porting code reaches for (docs/jax-coverage.md
ranks 15, 17-20).

Every case is named "jnp7/..." and has its twin in StateLensJnp7Side.java. float32 unless a case
says otherwise (zeta: float32 and float64, inside JAX's enable_x64 context); "exact" where StateLens
runs the same operations in the same order as XLA's CPU.
"""

import numpy as np

F32 = np.float32


def jnp7_cases(case, arr):
    zeta_cases(case, arr)


def zeta_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import lax
    from jax._src import config as jax_config
    import jax.scipy.special as sp

    for dt in (np.float32, np.float64):
        name = np.dtype(dt).name
        f64 = dt == np.float64
        # StateLens computes f32 zeta in double and rounds once; XLA runs chlo.zeta in f32
        # (measured: f64 1 ulp, f32 3 ulps)
        tol = dict(rtol=1e-12, atol=1e-300) if f64 else dict(rtol=1e-6, atol=1e-30)
        with jax_config.enable_x64(f64):
            def v(values):
                return np.asarray(values, dtype=dt)

            # x < 1 (NaN), x = 1 (inf), q at and below 0 (poles, integer and non-integer x), huge q, nan, inf
            xs = v([2.0, 3.0, 1.0, 0.5, 1.5, 4.0, 2.0, 2.0, 3.0, 2.0, 2.0, 10.0, 50.0, 2.0, np.nan, 2.0, np.inf, 1.0001])
            qs = v([1.0, 2.0, 1.0, 1.0, 0.5, 0.0, -1.0, -1.5, -2.0, 1e-3, 1e6, 1.0, 2.0, np.nan, 1.0, np.inf, 2.0, 1.0])
            span_x = (arr((30,), 4.0, 1.0).astype(np.float64) + 5.1).astype(dt)
            span_q = (arr((30,), 6.0, 2.0).astype(np.float64) + 6.5).astype(dt)
            x = np.concatenate([xs, span_x])
            q = np.concatenate([qs, span_q])
            case("jnp7/zeta", "close", {"out": sp.zeta(jnp.asarray(x), jnp.asarray(q))}, {"x": x, "q": q},
                 dtype=name, label=name, **tol)
            case("jnp7/lax_zeta", "close", {"out": lax.zeta(jnp.asarray(x), jnp.asarray(q))}, {"x": x, "q": q},
                 dtype=name, label=name, **tol)
            # the gradient: JAX's custom_jvp through _zeta_series_expansion, in x and in q
            gx = (arr((10,), 2.0, 3.0).astype(np.float64) + 3.5).astype(dt)
            gq = (arr((10,), 3.0, 4.0).astype(np.float64) + 4.0).astype(dt)
            dx, dq = jax.grad(lambda a, b: jnp.sum(sp.zeta(a, b)), argnums=(0, 1))(jnp.asarray(gx), jnp.asarray(gq))
            gt = dict(rtol=1e-12, atol=1e-300) if f64 else dict(rtol=1e-6, atol=1e-30)
            case("jnp7/grad/zeta", "close", {"dx": dx, "dq": dq}, {"x": gx, "q": gq}, dtype=name, label=name, **gt)
            # jit, vmap (a row of q per x) and a scalar x against a vector q (broadcasting)
            case("jnp7/zeta", "close", {"out": jax.jit(sp.zeta)(jnp.asarray(gx), jnp.asarray(gq))},
                 {"x": gx, "q": gq}, dtype=name, label="jit/" + name, **tol)
            qm = np.stack([gq, gq + dt(1.0), gq * dt(2.0)])
            case("jnp7/zeta", "close", {"out": jax.vmap(sp.zeta, in_axes=(None, 0))(jnp.asarray(gx), jnp.asarray(qm))},
                 {"x": gx, "q": qm}, dtype=name, label="vmap/" + name, **tol)
            case("jnp7/zeta", "close", {"out": sp.zeta(dt(3.0), jnp.asarray(gq))}, {"x": v(3.0), "q": gq},
                 dtype=name, label="broadcast/" + name, **tol)
    # integer arguments promote to float32
    xi = np.array([2, 3, 4], np.int32)
    qi = np.array([1, 2, 5], np.int32)
    case("jnp7/zeta", "close", {"out": sp.zeta(xi, qi)}, {"x": xi, "q": qi}, label="int32", rtol=1e-6, atol=1e-30)
