"""jax_reference.py's special-function cases (session 11, "special"): lax.lgamma/digamma/polygamma/
igamma/igammac/igamma_grad_a/random_gamma_grad/betainc/erfc, jax.scipy.special on top, their gradients,
and the gradient of jax.random.gamma (and the samplers built on it) in its shape parameter.

Every case is named "special/..." and has its twin in StateLensSpecialSide.java. float32 and float64
(inside JAX's enable_x64 context) both; the inputs are written in the case's dtype. "close" tolerances
are the measured agreement plus a margin: StateLens computes f32 special functions in double and
rounds once, where XLA runs the same algorithm in f32 (docs/special.md gives the ulps and why).
"""

import numpy as np

F32 = np.float32


def special_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import lax
    from jax._src import config as jax_config
    import jax.scipy.special as sp

    for dt in (np.float32, np.float64):
        name = np.dtype(dt).name
        f64 = dt == np.float64
        # f64: the same algorithm in the same precision, a few ulps (libm, contracted multiply-adds);
        # f32: StateLens's double-then-round against XLA's f32 arithmetic
        tol = dict(rtol=1e-12, atol=1e-300) if f64 else dict(rtol=2e-5, atol=1e-30)
        loose = dict(rtol=1e-10, atol=1e-300) if f64 else dict(rtol=2e-4, atol=1e-30)
        with jax_config.enable_x64(f64):
            def v(values):
                return np.asarray(values, dtype=dt)

            def span(n, scale, shift, offset):
                return (arr((n,), scale, offset).astype(np.float64) + shift).astype(dt)

            def one(fn, f, inputs, t=tol, label=""):
                out = f(*[jnp.asarray(x) for x in inputs.values()])
                case(f"special/{fn}", "close", {"out": out}, inputs, dtype=name,
                     label=(label + "/" if label else "") + name, **t)

            # lgamma / digamma: poles, reflection, tiny and huge, inf/nan; then (-10, 30) and (0, 200)
            edges = [0.0, -0.0, -1.0, -2.0, -2.5, 0.5, 1.0, 2.0, 3.0, 1e-30 if f64 else 1e-20, 1e-5, -1e-8,
                     3.7, 171.5, 1e5, 1e30, np.inf, -np.inf, np.nan, -0.5, -3.7, -10.25, 7.5]
            x = np.concatenate([v(edges), span(40, 20.0, 10.0, 1.0), span(20, 100.0, 100.5, 2.0)])
            # f32: XLA's f32 Lanczos has an absolute error of ~1e-6 (lgamma(1) = 4.8e-7), large relative to the zeros at 1, 2
            one("gammaln", sp.gammaln, {"x": x}, t=tol if f64 else dict(rtol=2e-5, atol=5e-6))
            one("digamma", sp.digamma, {"x": x}, t=loose)
            xp = np.concatenate([v([0.0, -1.0, 1e-3, 0.5, 1.0, 2.0, 1e3, np.inf, np.nan, -0.5, -2.5]),
                                 span(20, 10.0, 0.0, 3.0)])
            for n in (0, 1, 2):
                one("polygamma", lambda t, n=n: sp.polygamma(n, t), {"x": xp}, t=loose, label=f"n={n}")
            # erfc (XLA's split at |x| = 1), erf, erfinv
            ex = np.concatenate([v([0.0, -0.0, 0.5, 1.0, -1.0, 1.0000001, 2.5, 5.0, 9.0, 10.0, 26.0, 27.5, 30.0,
                                    -3.0, -30.0, np.inf, -np.inf, np.nan]), span(30, 6.0, 0.0, 4.0)])
            one("erfc", sp.erfc, {"x": ex})
            one("erf", sp.erf, {"x": ex})
            px = np.concatenate([v([0.0, -0.0, 0.5, -0.5, 0.999, -0.9999, 1.0, -1.0, 1.5, np.nan]),
                                 span(20, 0.99, 0.0, 5.0)])
            one("erfinv", sp.erfinv, {"x": px}, t=loose)
            # normal distribution
            nx = np.concatenate([v([0.0, -0.0, 0.7, -0.7, 3.0, -3.0, 6.0, -6.0, 9.0, -9.0, -11.0, -21.0, -40.0,
                                    40.0, np.inf, -np.inf, np.nan]), span(30, 12.0, -3.0, 6.0)])
            one("ndtr", sp.ndtr, {"x": nx})
            one("log_ndtr", sp.log_ndtr, {"x": nx})
            pp = np.concatenate([v([0.0, 1.0, 0.5, 1e-30 if f64 else 1e-30, 1e-10, 0.1, 0.13, 0.2, 0.86, 0.9,
                                    1 - 1e-7, -0.1, 1.1, np.nan]), span(20, 0.49, 0.5, 7.0)])
            one("ndtri", sp.ndtri, {"p": pp}, t=loose)
            # logs and the logistic
            lx = v([0.0, 0.0, 1.0, 2.0, -1.0, 0.5, np.nan, 0.0, 3.0, 1e-30, 7.0])
            ly = v([0.0, 2.0, 0.0, 3.5, 2.0, -0.5, 0.0, np.nan, 1e30, 1e-30, -1.0])
            one("xlogy", sp.xlogy, {"x": lx, "y": ly})
            one("xlog1py", sp.xlog1py, {"x": lx, "y": ly})
            ux = np.concatenate([v([0.0, 1.0, 0.5, 1e-7, -0.5, 1.5, np.nan]), span(20, 0.45, 0.5, 8.0)])
            one("logit", sp.logit, {"x": ux})
            one("expit", sp.expit, {"x": np.concatenate([v([0.0, 50.0, -50.0, -120.0, np.inf, np.nan]),
                                                           span(20, 10.0, 0.0, 9.0)])})
            one("entr", sp.entr, {"x": np.concatenate([v([0.0, -0.0, -1.0, 1.0, 1e-30, np.inf, np.nan]),
                                                       span(20, 3.0, 3.0, 10.0)])})
            ma = np.concatenate([v([1.0, 1.5, 2.0, 30.0]), span(12, 10.0, 12.0, 11.0)])
            one("multigammaln", lambda t: sp.multigammaln(t, 3), {"a": ma}, label="d=3")
            # incomplete gamma over a grid of a (small to large) and x (0, around a, far tails)
            ag = [0.01, 0.1, 0.5, 1.0, 2.5, 10.0, 40.0, 150.0, 1e3]
            xg = [0.0, 1e-3, 0.1, 0.5, 1.0, 2.0, 5.0, 12.0, 45.0, 160.0, 1.1e3, 1e4]
            ga = v([a for a in ag for _ in xg] + [0.0, 0.0, -1.0, 1.0, np.nan, 2.0, 1.0, 3.0])
            gx = v([x for _ in ag for x in xg] + [0.0, 1.0, 1.0, -1.0, 1.0, np.nan, np.inf, np.inf])
            one("gammainc", sp.gammainc, {"a": ga, "x": gx}, t=loose)
            # f32: JAX's 1 - series in f32 cancels where P is near 1 (a = 0.01, x = 0.5: 3e-4 off its own f64)
            one("gammaincc", sp.gammaincc, {"a": ga, "x": gx}, t=loose if f64 else dict(rtol=1e-3, atol=1e-30))
            pa, px2 = ga[ga > 0], gx[ga > 0]
            one("igamma_grad_a", lax.igamma_grad_a, {"a": pa, "x": px2}, t=loose)
            # f32: JAX's f32 series loses up to 8% for a >= 40 (against its own f64): compared there below only
            small = pa <= 10
            one("random_gamma_grad", lax.random_gamma_grad, {"a": pa if f64 else pa[small], "x": px2 if f64 else px2[small]},
                t=loose)
            # betainc: both sides of the symmetry switch, small and large parameters, the edges
            bg = [0.1, 0.5, 1.0, 2.5, 10.0, 60.0]
            xb = [0.0, 0.01, 0.2, 0.5, 0.8, 0.999, 1.0]
            ba = v([a for a in bg for b in bg[::2] for _ in xb] + [0.0, 1.0, 0.0, -1.0, np.inf, 2.0, np.nan])
            bb = v([b for a in bg for b in bg[::2] for _ in xb] + [1.0, 0.0, 0.0, 1.0, 1.0, 2.0, 1.0])
            bx = v([x for a in bg for b in bg[::2] for x in xb] + [0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 0.5])
            one("betainc", sp.betainc, {"a": ba, "b": bb, "x": bx}, t=loose)
            la = v([0.5, 1.0, 2.0, 7.5, 9.0, 0.1, 100.0, 1e6, 3.0, 1e-3])
            lb = v([0.5, 3.0, 8.5, 7.0, 20.0, 50.0, 100.0, 2e6, 1e7, 1e-3])
            one("betaln", sp.betaln, {"a": la, "b": lb}, t=loose)
            if not f64:
                # StateLens's f32 is the double computation rounded once: compare it with JAX's float64 on the same
                # (f32-exact) inputs, rounded to float32
                with jax_config.enable_x64(True):
                    for fn, f, ins in (("gammainc", lax.igamma, (ga, gx)), ("gammaincc", lax.igammac, (ga, gx)),
                                       ("igamma_grad_a", lax.igamma_grad_a, (pa, px2)),
                                       ("random_gamma_grad", lax.random_gamma_grad, (pa, px2)),
                                       ("betainc", lax.betainc, (ba, bb, bx))):
                        ref = np.asarray(f(*[jnp.asarray(t.astype(np.float64)) for t in ins])).astype(F32)
                        keys = ("a", "b", "x")[3 - len(ins):] if fn == "betainc" else ("a", "x")
                        case(f"special/{fn}", "close", {"out": ref}, dict(zip(keys, ins)), dtype=name,
                             label="vs-x64/float32", rtol=1e-6, atol=1e-37)

            # gradients: lax's JVP rules and JAX's custom derivatives
            def grad1(fn, f, inputs, t=loose, label=""):
                xs = list(inputs.values())
                argnums = tuple(range(len(xs)))
                gs = jax.grad(lambda *args: jnp.sum(f(*args)), argnums=argnums)(*[jnp.asarray(x) for x in xs])
                case(f"special/grad/{fn}", "close", {f"d{k}": g for k, g in zip(inputs, gs)}, inputs, dtype=name,
                     label=(label + "/" if label else "") + name, **t)

            gx1 = span(12, 4.0, 5.0, 12.0)
            grad1("gammaln", sp.gammaln, {"x": gx1})
            grad1("digamma", sp.digamma, {"x": gx1})
            grad1("erfc", sp.erfc, {"x": span(12, 3.0, 0.0, 13.0)})
            grad1("gammainc", sp.gammainc, {"a": span(12, 3.0, 4.0, 14.0), "x": span(12, 3.0, 4.0, 15.0)})
            grad1("gammaincc", sp.gammaincc, {"a": span(12, 3.0, 4.0, 14.0), "x": span(12, 3.0, 4.0, 15.0)})
            bxg = span(10, 0.45, 0.5, 16.0)
            grad1("betainc", lambda x: sp.betainc(v(2.5), v(4.0), x), {"x": bxg})
            grad1("xlogy", sp.xlogy, {"x": v([0.0, 1.0, 2.5, -1.0]), "y": v([2.0, 3.0, 0.5, 4.0])})
            grad1("xlog1py", sp.xlog1py, {"x": v([0.0, 1.0, 2.5, -1.0]), "y": v([2.0, 3.0, 0.5, 4.0])})
            grad1("logit", sp.logit, {"x": span(10, 0.45, 0.5, 17.0)})
            grad1("log_ndtr", sp.log_ndtr, {"x": np.concatenate([v([-30.0, -12.0, 0.0, 6.0, 10.0]),
                                                                  span(10, 5.0, 0.0, 18.0)])})
            grad1("entr", sp.entr, {"x": v([0.5, 1.0, 2.0, 1e-3])})
            grad1("ndtr", sp.ndtr, {"x": span(10, 4.0, 0.0, 19.0)})

            # jax.random.gamma's gradient in a (random_gamma_grad, JAX's implicit reparameterization)
            r = jax.random
            for s in (0, 42):
                k = r.key(s)
                for a in (0.3, 1.0, 2.5, 40.0):
                    for fn in ("gamma", "loggamma"):
                        g = jax.grad(lambda aa: jnp.sum(getattr(r, fn)(k, aa, (7,), dt)))(v(a))
                        case(f"special/grad/random/{fn}", "close", {"da": g}, {"a": v(a)}, seed=s, shape=[7], dtype=name,
                             label=f"a={a}/{name}", **loose)
                aa = v([0.25, 1.0, 2.5, 40.0])
                g = jax.grad(lambda t: jnp.sum(r.gamma(k, t, None, dt) * jnp.arange(1, 5, dtype=dt)))(aa)
                case("special/grad/random/gamma", "close", {"da": g}, {"a": aa}, seed=s, shape=None, dtype=name,
                     label=f"array/{name}", **loose)
                g = jax.jit(jax.grad(lambda t: jnp.sum(r.gamma(k, t, None, dt))))(aa)
                case("special/grad/random/gamma", "close", {"da": g}, {"a": aa}, seed=s, shape=None, dtype=name,
                     jit=True, label=f"jit/{name}", **loose)
                ga2, gb2 = jax.grad(lambda p, q: jnp.sum(r.beta(k, p, q, (6,), dt)), argnums=(0, 1))(v(0.5), v(2.5))
                case("special/grad/random/beta", "close", {"da": ga2, "db": gb2}, {"a": v(0.5), "b": v(2.5)}, seed=s,
                     shape=[6], dtype=name, label=name, **loose)
                g = jax.grad(lambda t: jnp.sum(r.dirichlet(k, t, (3,), dt) * jnp.arange(1, 5, dtype=dt)))(aa)
                case("special/grad/random/dirichlet", "close", {"dalpha": g}, {"alpha": aa}, seed=s, shape=[3],
                     dtype=name, label=name, **loose)
                for df in (0.6, 3.0):
                    g = jax.grad(lambda t: jnp.sum(r.chisquare(k, t, (6,), dt)))(v(df))
                    case("special/grad/random/chisquare", "close", {"ddf": g}, {"df": v(df)}, seed=s, shape=[6],
                         dtype=name, label=f"df={df}/{name}", **loose)
                    g = jax.grad(lambda t: jnp.sum(r.t(k, t, (6,), dt)))(v(df))
                    case("special/grad/random/t", "close", {"ddf": g}, {"df": v(df)}, seed=s, shape=[6], dtype=name,
                         label=f"df={df}/{name}", **loose)
