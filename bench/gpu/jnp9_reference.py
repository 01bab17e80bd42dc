"""jax_reference.py's jnp9 cases (session 15): the rest of jax.scipy.stats (betabinom, nbinom,
gennorm, gumbel_l, gumbel_r, pareto, wrapcauchy, gaussian_kde) and the jax.scipy.special functions
built in session 15.

Every case is named "jnp9/..." and has its twin in StateLensJnp9Side.java. A stats case's inputs
are the function's positional arguments in order ("jnp9/stats/<family>.<function>"); its gradient
case ("jnp9/grad/<family>.<function>") holds jax.grad of the sum in every argument (d0, d1, ...).
A label starting "jit" runs the function under jax.jit, "vmap" under jax.vmap over the first
argument's leading axis (the others broadcast). float32 unless a case says float64 (inside JAX's
enable_x64 context). Special functions are "jnp9/stats/special.<name>" so the same table runs them.
"""

import numpy as np

F32 = np.float32
NAN = np.nan
INF = np.inf

# f32: XLA computes log/exp/lgamma/pow in f32 where StateLens computes in double and rounds once
F32_TOL = dict(rtol=2e-6, atol=2e-6)
F64_TOL = dict(rtol=1e-12, atol=1e-12)
GRAD_TOL = dict(rtol=1e-5, atol=1e-5)
# exp(lgamma(x)) in f32: XLA's f32 lgamma is off by a few ulp of lgamma's value (15 at x = 11, 90 at
# x = 36), which exp turns into that many ulp of 1 relative: gamma(10) is 362881.0 in JAX, 362879.97
# here (exactly 362880); 3e-5 relative at comb(89, 30)
EXP_LGAMMA_TOL = dict(rtol=5e-5, atol=2e-6)


def jnp9_cases(case, arr):
    stats_family_cases(case, arr)
    kde_cases(case, arr)
    special_cases(case, arr)


def _v(values, dt=F32):
    return np.asarray(values, dtype=dt)


def _runner(case):
    """run(name, fn, args, ...): one "jnp9/stats/<name>" case; with grad also "jnp9/grad/<name>"."""
    import jax
    import jax.numpy as jnp

    def run(name, fn, args, label=None, tol=F32_TOL, dtype=None, grad=False, grad_argnums=None):
        inputs = {f"a{i}": a for i, a in enumerate(args)}
        extra = {} if label is None else {"label": label}
        if dtype is not None:
            extra["dtype"] = dtype
        jargs = [jnp.asarray(a) for a in args]
        if label is not None and label.startswith("jit"):
            out = jax.jit(fn)(*jargs)
        elif label is not None and label.startswith("vmap"):
            out = jax.vmap(fn, in_axes=(0,) + (None,) * (len(args) - 1))(*jargs)
        else:
            out = fn(*jargs)
        case(f"jnp9/stats/{name}", "close", {"out": out}, inputs, **extra, **tol)
        if grad:
            argnums = tuple(range(len(args))) if grad_argnums is None else grad_argnums
            g = jax.grad(lambda *t: jnp.sum(fn(*t)), argnums=argnums)(*jargs)
            gtol = GRAD_TOL if dtype is None else F64_TOL
            extra_g = dict(extra)
            extra_g["argnums"] = list(argnums)
            case(f"jnp9/grad/{name}", "close", {f"d{i}": gi for i, gi in zip(argnums, g)}, inputs, **extra_g,
                 **gtol)
    return run


def stats_family_cases(case, arr):
    from jax._src import config as jax_config
    from jax.scipy import stats as st

    run = _runner(case)

    # ---- gumbel_l / gumbel_r: location-scale, NaN where scale <= 0
    x = _v([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5, 7.0, -40.0, 40.0, NAN, INF, -INF, 1.0, 1.0, 1.0, 90.0, -90.0])
    loc = _v([0.0, 0.5, -1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, NAN, 0.0, 0.0])
    scale = _v([1.0, 2.0, 0.5, 1.0, 3.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, -1.0, 1.0, 1.0, 1.0])
    q = _v([0.0, 1e-7, 0.01, 0.2, 0.5, 0.75, 0.99, 1.0, -0.1, 1.1, NAN, 0.3, 0.6, 0.5, 0.5, 0.5, 0.999, 1e-30])
    for fam in ("gumbel_l", "gumbel_r"):
        for fn in ("logpdf", "pdf", "logcdf", "cdf", "logsf", "sf"):
            run(f"{fam}.{fn}", getattr(getattr(st, fam), fn), (x, loc, scale))
        run(f"{fam}.ppf", getattr(st, fam).ppf, (q, loc, scale))
        run(f"{fam}.logpdf", getattr(st, fam).logpdf, (np.array([-2, 0, 1, 3], np.int32),), label="int32-defaults")
        run(f"{fam}.cdf", getattr(st, fam).cdf, (x[:10],), label="defaults")
        run(f"{fam}.ppf", getattr(st, fam).ppf, (q[:10],), label="defaults")
        gx = _v([-2.0, -0.5, 0.25, 1.0, 3.0])
        gl = _v([0.0, 0.5, -1.0, 0.25, 1.0])
        gs = _v([1.0, 2.0, 0.5, 1.5, 3.0])
        # JAX 0.10.2 cannot differentiate logpdf in scale nor ppf in q: xlogy(-1, scale) and
        # xlog1py(-1, -q) take an integer -1, whose float0 tangent its custom JVP multiplies (TypeError)
        for fn in ("logcdf", "logsf", "sf"):
            run(f"{fam}.{fn}", getattr(getattr(st, fam), fn), (gx, gl, gs), label="grad-points", grad=True)
        run(f"{fam}.logpdf", getattr(st, fam).logpdf, (gx, gl, gs), label="grad-points", grad=True,
            grad_argnums=(0, 1))
        run(f"{fam}.ppf", getattr(st, fam).ppf, (_v([0.1, 0.3, 0.5, 0.9, 0.99]), gl, gs), label="grad-points",
            grad=True, grad_argnums=(1, 2))
        run(f"{fam}.logpdf", getattr(st, fam).logpdf, (_v([[-1.0], [0.5], [2.0]]), _v(0.25), _v([0.5, 1.0, 4.0])),
            label="broadcast")
        run(f"{fam}.logpdf", getattr(st, fam).logpdf, (gx, gl, gs), label="jit")

    # ---- pareto: support [loc + scale, inf)
    px = _v([0.5, 1.0, 1.5, 2.0, 10.0, 1e4, 3.0, 3.0, 0.0, NAN, INF, 2.0, 2.0, 1.0])
    pb = _v([2.0, 2.0, 1.0, 3.0, 0.5, 2.5, 1.0, 4.0, 2.0, 1.0, 1.0, 0.0, -1.0, 2.0])
    ploc = _v([0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    pscale = _v([1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    for fn in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        run(f"pareto.{fn}", getattr(st.pareto, fn), (px, pb, ploc, pscale))
    pq = _v([0.0, 1e-7, 0.01, 0.2, 0.5, 0.75, 0.99, 1.0, -0.1, 1.1, NAN, 0.5, 0.5, 0.5])
    run("pareto.ppf", st.pareto.ppf, (pq, np.abs(pb) + F32(0.5), ploc, pscale))
    run("pareto.logpdf", st.pareto.logpdf, (px[:8], _v(2.5)), label="defaults")
    run("pareto.ppf", st.pareto.ppf, (pq[:8], _v(1.5)), label="defaults")
    gpx = _v([1.5, 2.0, 4.0, 9.0])
    gpb = _v([1.5, 2.0, 3.0, 0.8])
    gpl = _v([0.0, 0.1, 0.2, 0.0])
    gps = _v([1.0, 1.5, 0.5, 2.0])
    for fn in ("logpdf", "cdf", "logcdf", "logsf"):
        run(f"pareto.{fn}", getattr(st.pareto, fn), (gpx, gpb, gpl, gps), label="grad-points", grad=True)
    run("pareto.ppf", st.pareto.ppf, (_v([0.1, 0.4, 0.7, 0.95]), gpb, gpl, gps), label="grad-points", grad=True)

    # ---- gennorm: shape beta (beta 2 is a normal with variance 1/2, 1 a Laplace)
    gx = _v([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5, 7.0, -40.0, 1.0, NAN, INF, -INF, 1.0, 1.0])
    gb = _v([2.0, 1.0, 0.5, 2.0, 8.0, 3.0, 1.5, 0.7, 2.0, 100.0, 1.0, 2.0, 2.0, 0.0, -1.0])
    for fn in ("logpdf", "pdf", "cdf"):
        run(f"gennorm.{fn}", getattr(st.gennorm, fn), (gx, gb))
    run("gennorm.logpdf", st.gennorm.logpdf, (_v([-1.5, -0.3, 0.2, 1.0, 2.0]), _v([1.5, 2.0, 3.0, 0.8, 2.5])),
        label="grad-points", grad=True)
    run("gennorm.cdf", st.gennorm.cdf, (_v([-1.5, -0.3, 0.2, 1.0, 2.0]), _v([1.5, 2.0, 3.0, 0.8, 2.5])),
        label="grad-points", grad=True, grad_argnums=(0,))
    run("gennorm.logpdf", st.gennorm.logpdf, (_v([[-1.0, 0.0, 2.0], [0.5, 1.0, 3.0]]), _v(1.5)), label="vmap")

    # ---- wrapcauchy: x on [0, 2 pi], 0 < c < 1
    wx = _v([0.0, 0.5, 1.0, np.pi, 2 * np.pi, 6.0, -0.1, 7.0, 1.0, 1.0, 1.0, 1.0, NAN, 2.0])
    wc = _v([0.5, 0.5, 0.9, 0.2, 0.5, 0.99, 0.5, 0.5, 0.0, 1.0, -0.5, 1e-4, 0.5, NAN])
    for fn in ("logpdf", "pdf"):
        run(f"wrapcauchy.{fn}", getattr(st.wrapcauchy, fn), (wx, wc))
    run("wrapcauchy.logpdf", st.wrapcauchy.logpdf, (_v([0.3, 1.0, 2.5, 4.0, 6.0]), _v([0.1, 0.5, 0.7, 0.9, 0.3])),
        label="grad-points", grad=True)

    # ---- betabinom: k floored, -inf outside [0, n], NaN for n < 0, a or b <= 0
    bk = _v([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 2.5, 0.0, 3.0, 3.0, 3.0, 40.0, 2.0, NAN, 1.0])
    bn = _v([5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 0.0, 10.0, 10.0, -1.0, 100.0, 4.0, 5.0, 5.0])
    ba = _v([2.0, 2.0, 0.5, 1.0, 3.0, 0.7, 2.0, 2.0, 1.0, 0.0, 2.0, 2.0, 30.0, 1.0, 1.0, 1.0])
    bb = _v([3.0, 3.0, 0.5, 1.0, 1.0, 4.0, 2.0, 2.0, 1.0, 2.0, -1.0, 2.0, 20.0, 1.0, 1.0, 1.0])
    bl = _v([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 2.0])
    for fn in ("logpmf", "pmf"):
        run(f"betabinom.{fn}", getattr(st.betabinom, fn), (bk, bn, ba, bb, bl))
    run("betabinom.logpmf", st.betabinom.logpmf, (np.array([0, 1, 3, 7], np.int32), np.int32(7), _v(2.0), _v(3.5)),
        label="int32-defaults")
    run("betabinom.logpmf", st.betabinom.logpmf, (_v([0.0, 2.0, 4.0]), _v([4.0, 6.0, 9.0]), _v([1.5, 2.0, 0.8]),
                                                   _v([2.0, 0.5, 3.0])), label="grad-points", grad=True,
        grad_argnums=(1, 2, 3))

    # ---- nbinom: -inf below loc, nothing else checked
    nk = _v([-1.0, 0.0, 1.0, 2.0, 5.0, 10.0, 1.5, 3.0, 0.0, 3.0, 40.0, NAN, 2.0])
    nn = _v([3.0, 3.0, 3.0, 1.0, 2.5, 10.0, 3.0, 3.0, 3.0, 3.0, 30.0, 3.0, 0.0])
    npr = _v([0.4, 0.4, 0.4, 0.5, 0.2, 0.7, 0.4, 0.0, 1.0, 1.0, 0.5, 0.4, 0.5])
    for fn in ("logpmf", "pmf"):
        run(f"nbinom.{fn}", getattr(st.nbinom, fn), (nk, nn, npr, _v(0.0)))
    run("nbinom.logpmf", st.nbinom.logpmf, (np.array([0, 1, 4], np.int32), _v(2.0), _v(0.3)), label="int32-defaults")
    run("nbinom.logpmf", st.nbinom.logpmf, (_v([0.0, 2.0, 5.0]), _v([1.5, 3.0, 4.0]), _v([0.3, 0.5, 0.8])),
        label="grad-points", grad=True)
    run("nbinom.logpmf", st.nbinom.logpmf, (_v([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]), _v(2.0), _v(0.4)), label="vmap")

    # ---- float64
    with jax_config.enable_x64(True):
        for name, fn, args in (
                ("gumbel_l.logcdf", st.gumbel_l.logcdf, (x, loc, scale)),
                ("gumbel_r.logsf", st.gumbel_r.logsf, (x, loc, scale)),
                ("gumbel_r.ppf", st.gumbel_r.ppf, (q, loc, scale)),
                ("pareto.logpdf", st.pareto.logpdf, (px, pb, ploc, pscale)),
                ("gennorm.cdf", st.gennorm.cdf, (gx, gb)),
                ("wrapcauchy.logpdf", st.wrapcauchy.logpdf, (wx, wc)),
                ("betabinom.logpmf", st.betabinom.logpmf, (bk, bn, ba, bb, bl)),
                ("nbinom.logpmf", st.nbinom.logpmf, (nk, nn, npr, _v(0.0)))):
            run(name, fn, tuple(np.asarray(a).astype(np.float64) for a in args), label="float64", tol=F64_TOL,
                dtype="float64")


def kde_cases(case, arr):
    """gaussian_kde: "jnp9/kde/<method>" with args bw (scott/silverman/a number) and weighted."""
    import jax
    import jax.numpy as jnp
    from jax._src import config as jax_config
    from jax.scipy import stats as st

    tol = dict(rtol=1e-5, atol=1e-6)
    data1 = arr((1, 12), 2.0, 11.0) + F32(0.5)
    data2 = arr((2, 15), 1.5, 12.0)
    w1 = np.abs(arr((12,), 1.0, 13.0)) + F32(0.1)
    pts1 = _v([-4.0, -1.0, 0.0, 0.3, 1.7, 2.5, 30.0])
    pts2 = arr((2, 5), 2.0, 14.0)
    for bw in ("scott", "silverman", 0.4):
        for weighted in (False, True):
            kde = st.gaussian_kde(data1, bw_method=bw, weights=w1 if weighted else None)
            inputs = {"dataset": data1, "points": pts1}
            if weighted:
                inputs["weights"] = w1
            args = dict(bw=str(bw), label=f"{bw}/{'weighted' if weighted else 'equal'}")
            case("jnp9/kde/fit", "close", {"neff": kde.neff, "covariance": kde.covariance, "inv_cov": kde.inv_cov,
                                           "weights": kde.weights}, inputs, **args, **tol)
            case("jnp9/kde/evaluate", "close", {"out": kde.evaluate(pts1)}, inputs, **args, **tol)
            case("jnp9/kde/logpdf", "close", {"out": kde.logpdf(pts1)}, inputs, **args, **tol)
            case("jnp9/kde/integrate_box_1d", "close", {"out": kde.integrate_box_1d(-1.0, 1.5)}, inputs,
                 low=-1.0, high=1.5, **args, **tol)
    kde2 = st.gaussian_kde(data2)
    inputs2 = {"dataset": data2, "points": pts2}
    case("jnp9/kde/fit", "close", {"neff": kde2.neff, "covariance": kde2.covariance, "inv_cov": kde2.inv_cov,
                                   "weights": kde2.weights}, inputs2, bw="scott", label="2d", **tol)
    case("jnp9/kde/evaluate", "close", {"out": kde2.evaluate(pts2)}, inputs2, bw="scott", label="2d", **tol)
    case("jnp9/kde/logpdf", "close", {"out": kde2.logpdf(pts2)}, inputs2, bw="scott", label="2d", **tol)
    case("jnp9/kde/evaluate", "close", {"out": kde2.evaluate(pts2[:, 0])}, {"dataset": data2, "points": pts2[:, 0]},
         bw="scott", label="2d-one-point", **tol)
    gm = _v([0.2, -0.3])
    gc = _v([[0.5, 0.1], [0.1, 0.8]])
    case("jnp9/kde/integrate_gaussian", "close", {"out": kde2.integrate_gaussian(gm, gc)},
         {"dataset": data2, "mean": gm, "cov": gc}, bw="scott", label="2d", **tol)
    other = st.gaussian_kde(arr((2, 6), 1.0, 15.0), bw_method="silverman")
    case("jnp9/kde/integrate_kde", "close", {"out": kde2.integrate_kde(other)},
         {"dataset": data2, "other": arr((2, 6), 1.0, 15.0)}, bw="scott", other_bw="silverman", label="2d", **tol)
    for seed in (0, 42):
        case("jnp9/kde/resample", "close", {"out": kde2.resample(jax.random.key(seed), (7,))}, {"dataset": data2},
             seed=seed, bw="scott", shape=[7], label="2d", **tol)
        kw = st.gaussian_kde(data1, weights=w1)
        case("jnp9/kde/resample", "close", {"out": kw.resample(jax.random.key(seed), (9,))},
             {"dataset": data1, "weights": w1}, seed=seed, bw="scott", shape=[9], label="weighted", **tol)
    # gradient of the log-likelihood of points in the data (the bandwidth follows the data)
    g = jax.grad(lambda d, p: jnp.sum(st.gaussian_kde(d).logpdf(p)), argnums=(0, 1))(jnp.asarray(data1),
                                                                                     jnp.asarray(pts1[:6]))
    case("jnp9/kde/grad_logpdf", "close", {"d0": g[0], "d1": g[1]}, {"dataset": data1, "points": pts1[:6]},
         bw="scott", rtol=1e-4, atol=1e-5)
    jit_out = jax.jit(lambda d, p: st.gaussian_kde(d).logpdf(p))(data2, pts2)
    case("jnp9/kde/logpdf", "close", {"out": jit_out}, inputs2, bw="scott", label="2d/jit", **tol)
    with jax_config.enable_x64(True):
        d64 = data2.astype(np.float64)
        p64 = pts2.astype(np.float64)
        k64 = st.gaussian_kde(d64, bw_method="silverman")
        case("jnp9/kde/evaluate", "close", {"out": k64.evaluate(p64)}, {"dataset": d64, "points": p64},
             bw="silverman", label="2d/float64", rtol=1e-12, atol=1e-14)


def special_cases(case, arr):
    """jax.scipy.special functions built in session 15, as "jnp9/stats/special.<name>" (the stats table)."""
    import jax.numpy as jnp
    from jax._src import config as jax_config
    from jax.scipy import special as sp

    run = _runner(case)

    # gamma family: poles, the sign on each side of them, -0, tiny and huge, nan and inf
    gx = _v([-3.5, -3.0, -2.5, -1.5, -0.5, -0.0, 0.0, 1e-30, 0.5, 1.0, 2.0, 4.5, 10.0, 35.0, 171.5, NAN, INF, -INF,
             -1e-7, -2.0000002])
    for name in ("gammasgn", "gamma", "loggamma", "factorial"):
        run(f"special.{name}", getattr(sp, name), (gx,), tol=EXP_LGAMMA_TOL if name in ("gamma", "factorial")
            else F32_TOL)
    run("special.factorial", sp.factorial, (np.array([-1, 0, 1, 5, 12, 40], np.int32),), label="int32")
    pts = _v([-2.5, -0.7, 0.3, 1.5, 3.2, 6.0])
    run("special.gamma", sp.gamma, (pts,), label="grad-points", grad=True)
    run("special.loggamma", sp.loggamma, (np.abs(pts) + F32(0.1),), label="grad-points", grad=True)
    run("special.factorial", sp.factorial, (np.abs(pts),), label="grad-points", grad=True)
    ba = _v([0.5, 1.0, 2.0, 3.5, -0.5, -1.5, 10.0, 40.0, 0.0, -2.0, NAN, 1.0])
    bb = _v([0.5, 2.0, 3.0, 0.25, 2.0, 0.7, 12.0, 50.0, 1.0, 0.5, 1.0, INF])
    run("special.beta", sp.beta, (ba, bb))
    run("special.beta", sp.beta, (_v([0.5, 1.5, 3.0]), _v([2.0, 0.8, 4.0])), label="grad-points", grad=True)
    # combinatorics: k outside [0, N], non-integers, repetition
    cn = _v([5.0, 5.0, 5.0, 5.0, 10.0, 0.0, 3.0, 4.5, -1.0, 30.0, 60.0, 5.0])
    ck = _v([0.0, 2.0, 5.0, 6.0, 3.0, 0.0, -1.0, 2.0, 0.0, 15.0, 30.0, 2.5])
    run("special.comb", sp.comb, (cn, ck))
    run("special.comb_repetition", lambda n, k: sp.comb(n, k, repetition=True), (cn, ck), tol=EXP_LGAMMA_TOL)
    run("special.comb", sp.comb, (_v([6.0, 9.5, 20.0]), _v([2.0, 3.0, 7.5])), label="grad-points", grad=True)
    pz = _v([1.0, 0.5, 3.0, 2.5, -0.5, 10.0, 4.0, -2.5, 1.0])
    pm = _v([0.0, 2.0, 3.0, 1.5, 2.0, 0.5, -2.0, 1.0, 30.0])
    run("special.poch", sp.poch, (pz, pm), tol=EXP_LGAMMA_TOL)
    run("special.poch", sp.poch, (_v([0.5, 1.5, 3.0, 2.2]), _v([1.0, 2.5, 0.5, 3.0])), label="grad-points", grad=True)
    # relative entropy: p or q zero, negative, inf, nan
    rp = _v([0.2, 0.5, 0.0, 0.0, 0.3, -0.1, 0.4, 1.0, 2.0, NAN, 0.0, 0.3])
    rq = _v([0.3, 0.5, 0.7, 0.0, 0.0, 0.4, -0.2, 1e-30, 0.5, 0.5, -1.0, INF])
    run("special.rel_entr", sp.rel_entr, (rp, rq))
    run("special.kl_div", sp.kl_div, (rp, rq))
    gp = _v([0.1, 0.4, 0.7, 1.5])
    gq = _v([0.2, 0.3, 0.9, 0.5])
    run("special.rel_entr", sp.rel_entr, (gp, gq), label="grad-points", grad=True)
    run("special.kl_div", sp.kl_div, (gp, gq), label="grad-points", grad=True)
    run("special.kl_div", sp.kl_div, (_v([[0.1, 0.2], [0.3, 0.4]]), _v([0.25, 0.25])), label="vmap")
    # Box-Cox: lambda 0, tiny, negative; x 0 and negative
    bx = _v([0.5, 1.0, 2.0, 10.0, 0.0, -1.0, 3.0, 3.0, 3.0, 0.25, INF, NAN])
    bl = _v([0.0, 0.5, 1.0, -0.5, 0.5, 0.5, 1e-8, -2.0, 0.0, 3.0, 0.5, 1.0])
    run("special.boxcox", sp.boxcox, (bx, bl))
    run("special.boxcox1p", sp.boxcox1p, (bx - F32(0.5), bl))
    run("special.boxcox", sp.boxcox, (_v([0.5, 2.0, 4.0]), _v([0.3, -0.5, 1.5])), label="grad-points", grad=True)
    run("special.boxcox1p", sp.boxcox1p, (_v([0.5, 2.0, 4.0]), _v([0.3, -0.5, 1.5])), label="grad-points",
        grad=True)
    run("special.gamma", sp.gamma, (pts,), label="jit")
    # erfcx: both sides of the overflow threshold (f32 9.42, f64 26.64), negatives, 0, inf, nan. Not
    # f32 x in (9.2, 9.42]: there erfc(x) is an f32 subnormal, which XLA's CPU flushes to zero, so
    # JAX gives erfcx(9.4) = 0.0 (StateLens 0.0596863, the true value 0.0596861: docs/special.md)
    ex = _v([-9.5, -5.0, -1.0, -1e-3, 0.0, 1e-3, 0.5, 1.0, 3.0, 9.0, 9.15, 9.45, 10.0, 26.0, 27.0, 1e3, 1e20, INF,
             -INF, NAN])
    run("special.erfcx", sp.erfcx, (ex,))
    run("special.erfcx", sp.erfcx, (_v([-2.0, -0.3, 0.0, 0.7, 4.0, 9.0, 12.0, 50.0]),), label="grad-points", grad=True)
    run("special.erfcx", sp.erfcx, (ex.astype(jnp.bfloat16),), label="bfloat16", tol=dict(rtol=8e-3, atol=1e-6))
    run("special.erfcx", sp.erfcx, (np.array([-3, 0, 2, 12], np.int32),), label="int32")
    with jax_config.enable_x64(True):
        for name, fn, args in (("gamma", sp.gamma, (gx,)), ("gammasgn", sp.gammasgn, (gx,)),
                               ("beta", sp.beta, (ba, bb)), ("comb", sp.comb, (cn, ck)), ("poch", sp.poch, (pz, pm)),
                               ("rel_entr", sp.rel_entr, (rp, rq)), ("kl_div", sp.kl_div, (rp, rq)),
                               ("boxcox", sp.boxcox, (bx, bl)), ("boxcox1p", sp.boxcox1p, (bx - F32(0.5), bl)),
                               ("erfcx", sp.erfcx, (ex,))):
            run(f"special.{name}", fn, tuple(np.asarray(a).astype(np.float64) for a in args), label="float64",
                tol=F64_TOL, dtype="float64")
        run("special.poch", sp.poch, (_v([0.5, 1.5, 3.0, 2.2], np.float64), _v([1.0, 2.5, 0.5, 3.0], np.float64)),
            label="float64-grad", tol=F64_TOL, dtype="float64", grad=True)
        run("special.erfcx", sp.erfcx, (_v([-2.0, 0.0, 0.7, 20.0, 30.0], np.float64),), label="float64-grad",
            tol=F64_TOL, dtype="float64", grad=True)
