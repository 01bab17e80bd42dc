"""jax_reference.py's jnp8 cases (session 14): jax.scipy.stats (values, edge values and gradients),
jax.scipy.special.logsumexp with b= and return_sign=, and the sorting pieces.

Every case is named "jnp8/..." and has its twin in StateLensJnp8Side.java. A stats case's inputs are
the function's positional arguments in order ("jnp8/stats/<family>.<function>"); its gradient case
("jnp8/grad/<family>.<function>") holds jax.grad of the sum in every argument (d0, d1, ...).
float32 unless a case says float64 (inside JAX's enable_x64 context).
"""

import numpy as np

F32 = np.float32
NAN = np.nan
INF = np.inf


def jnp8_cases(case, arr):
    stats_cases(case, arr)
    logsumexp_cases(case, arr)
    sort_cases(case, arr)
    expm_cases(case, arr)
    unique_axis_cases(case, arr)
    bessel_cases(case, arr)


def _v(values, dt=F32):
    return np.asarray(values, dtype=dt)


# f32: XLA's log/exp/log1p/lgamma/erf against Java's double rounded once differ by a few ulps, and
# the compositions subtract (logpdf near 0): relative 2e-6 with an absolute floor of 2e-6
F32_TOL = dict(rtol=2e-6, atol=2e-6)
F64_TOL = dict(rtol=1e-12, atol=1e-12)
GRAD_TOL = dict(rtol=1e-5, atol=1e-5)


def _stats_runner(case):
    """run(name, fn, args, ...): one "jnp8/stats/<name>" case of fn(*args); with grad, also
    "jnp8/grad/<name>", jax.grad of its sum in every argument (f64 cases to F64_TOL)."""
    import jax
    import jax.numpy as jnp

    def run(name, fn, args, label=None, tol=F32_TOL, dtype=None, grad=False):
        inputs = {f"a{i}": a for i, a in enumerate(args)}
        extra = {} if label is None else {"label": label}
        if dtype is not None:
            extra["dtype"] = dtype
        case(f"jnp8/stats/{name}", "close", {"out": fn(*[jnp.asarray(a) for a in args])}, inputs, **extra, **tol)
        if grad:
            g = jax.grad(lambda *t: jnp.sum(fn(*t)), argnums=tuple(range(len(args))))(*[jnp.asarray(a) for a in args])
            gtol = GRAD_TOL if dtype is None else F64_TOL
            case(f"jnp8/grad/{name}", "close", {f"d{i}": gi for i, gi in enumerate(g)}, inputs, **extra, **gtol)
    return run


def stats_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax._src import config as jax_config
    from jax.scipy import stats as st

    run = _stats_runner(case)

    # ---- continuous location-scale: edge values (outside the support, scale 0 and negative, nan, inf)
    x = _v([-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.5, 7.0, -40.0, 40.0, NAN, INF, -INF, 1.0, 1.0, 1.0])
    loc = _v([0.0, 0.5, -1.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    scale = _v([1.0, 2.0, 0.5, 1.0, 3.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, -1.0, -2.0])
    q = _v([0.0, 1e-7, 0.01, 0.2, 0.5, 0.75, 0.99, 1.0, -0.1, 1.1, NAN, 0.3, 0.6, 0.5, 0.5, 0.5])
    for fam, fns in (("norm", ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")),
                     ("logistic", ("logpdf", "pdf", "cdf", "sf")),
                     ("laplace", ("logpdf", "pdf", "cdf")),
                     ("cauchy", ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")),
                     ("expon", ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")),
                     ("uniform", ("logpdf", "pdf", "cdf"))):
        for fn in fns:
            run(f"{fam}.{fn}", getattr(getattr(st, fam), fn), (x, loc, scale))
    for fam, fns in (("norm", ("ppf", "isf")), ("logistic", ("ppf", "isf")), ("cauchy", ("ppf", "isf")),
                     ("expon", ("ppf",)), ("uniform", ("ppf",))):
        for fn in fns:
            run(f"{fam}.{fn}", getattr(getattr(st, fam), fn), (q, loc, np.abs(scale) + F32(0.5)))
    # defaults (loc 0, scale 1), int32 promotion, broadcasting a [3, 1] x against [4] scales
    xi = np.array([-2, 0, 1, 3], np.int32)
    run("norm.logpdf", st.norm.logpdf, (xi,), label="int32-defaults")
    run("norm.cdf", st.norm.cdf, (x[:10],), label="defaults")
    xb = _v([[-1.0], [0.5], [2.0]])
    sb = _v([0.5, 1.0, 2.0, 4.0])
    run("norm.logpdf", st.norm.logpdf, (xb, _v(0.25), sb), label="broadcast")
    run("norm.logcdf", st.norm.logcdf, (_v([-60.0, -20.0, -8.0, -3.0, 0.0, 3.0, 8.0, 20.0]),), label="tails")
    # gradients in x, loc and scale
    gx = _v([-2.0, -0.5, 0.25, 1.0, 3.0])
    gl = _v([0.0, 0.5, -1.0, 0.25, 1.0])
    gs = _v([1.0, 2.0, 0.5, 1.5, 3.0])
    for fam, fns in (("norm", ("logpdf", "cdf", "logcdf", "logsf")), ("logistic", ("logpdf", "cdf")),
                     ("laplace", ("logpdf",)), ("cauchy", ("logpdf", "cdf")), ("expon", ("logpdf",)),
                     ("uniform", ("logpdf",))):
        for fn in fns:
            xs = np.abs(gx) + gl + F32(0.5) if fam == "expon" else (gl + gs * F32(0.4) if fam == "uniform" else gx)
            run(f"{fam}.{fn}", getattr(getattr(st, fam), fn), (xs, gl, gs), label="grad-points", grad=True)

    # ---- truncnorm
    tx = _v([-2.5, -1.0, -0.5, 0.0, 0.3, 0.9, 1.5, 3.0, 6.0, 0.0, 9.0, -9.0])
    ta = _v([-2.0, -1.0, -1.0, -1.0, 0.2, 0.5, 1.0, -INF, 5.0, 1.0, 8.0, -10.0])
    tb = _v([2.0, 1.0, 1.0, 0.5, 2.0, 1.0, INF, 2.0, 7.0, 1.0, 10.0, -8.0])
    for fn in ("logpdf", "pdf", "logcdf", "cdf", "logsf", "sf"):
        run(f"truncnorm.{fn}", getattr(st.truncnorm, fn), (tx, ta, tb), label="tails")
    run("truncnorm.logpdf", st.truncnorm.logpdf, (tx, ta, tb, _v(0.25), _v(1.5)), label="loc-scale")
    run("truncnorm.logpdf", st.truncnorm.logpdf, (_v([-0.5, 0.0, 0.7]), _v(-1.0), _v(1.0)), label="grad",
        grad=True)

    # ---- shape families: t, gamma, beta, chi2
    px = _v([-1.0, 0.0, 1e-3, 0.3, 1.0, 2.5, 10.0, 50.0, NAN, INF, 0.5, 0.5])
    pa = _v([2.0, 1.0, 0.5, 3.0, 1.0, 4.0, 0.7, 30.0, 2.0, 2.0, 0.0, -1.0])
    ploc = _v([0.0, 0.0, 0.0, 0.1, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    pscale = _v([1.0, 1.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    run("t.logpdf", st.t.logpdf, (px, np.abs(pa) + F32(0.5), ploc, pscale))
    run("t.pdf", st.t.pdf, (px, np.abs(pa) + F32(0.5), ploc, pscale))
    run("t.logpdf", st.t.logpdf, (_v([-3.0, 0.0, 1.0, 100.0]), _v(2.5)), label="defaults")
    for fn in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        run(f"gamma.{fn}", getattr(st.gamma, fn), (px, pa, ploc, pscale))
        run(f"chi2.{fn}", getattr(st.chi2, fn), (px, np.abs(pa) + F32(1.0), ploc, pscale))
    bx = _v([-0.1, 0.0, 1e-4, 0.2, 0.5, 0.8, 1.0, 1.2, 0.5, 0.5, 0.5, NAN])
    ba = _v([2.0, 1.0, 0.5, 2.0, 3.0, 0.5, 1.0, 2.0, 0.0, 2.0, 2.0, 2.0])
    bb = _v([3.0, 1.0, 0.5, 5.0, 3.0, 2.0, 2.0, 2.0, 1.0, -1.0, 2.0, 2.0])
    bscale = _v([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    for fn in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        run(f"beta.{fn}", getattr(st.beta, fn), (bx, ba, bb, _v(0.0), bscale))
    run("beta.logpdf", st.beta.logpdf, (bx[2:7], ba[2:7], bb[2:7]), label="defaults")
    gpx = _v([0.5, 1.0, 2.5, 4.0])
    gpa = _v([1.5, 2.0, 3.0, 0.8])
    run("gamma.logpdf", st.gamma.logpdf, (gpx, gpa, _v([0.0, 0.1, 0.2, 0.0]), _v([1.0, 2.0, 0.5, 1.5])),
        label="grad", grad=True)
    run("t.logpdf", st.t.logpdf, (gpx, gpa + F32(1.0), _v([0.0, 0.1, 0.2, 0.0]), _v([1.0, 2.0, 0.5, 1.5])),
        label="grad", grad=True)
    run("beta.logpdf", st.beta.logpdf, (_v([0.2, 0.5, 0.7]), _v([2.0, 1.5, 3.0]), _v([2.5, 2.0, 1.2])),
        label="grad", grad=True)
    run("chi2.logpdf", st.chi2.logpdf, (gpx, gpa + F32(2.0)), label="grad", grad=True)
    run("gamma.cdf", st.gamma.cdf, (gpx, gpa), label="grad", grad=True)

    # ---- discrete
    k = _v([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 10.0, 1.5, 40.0, NAN])
    mu = _v([2.0, 0.5, 1.0, 3.5, 3.0, 0.0, 8.0, 2.0, 30.0, 1.0])
    for fn in ("logpmf", "pmf", "cdf"):
        run(f"poisson.{fn}", getattr(st.poisson, fn), (k, mu, _v(0.0)))
    run("poisson.logpmf", st.poisson.logpmf, (np.array([0, 1, 2, 7], np.int32), _v(3.0)), label="int32-defaults")
    run("poisson.logpmf", st.poisson.logpmf, (_v([0.0, 2.0, 5.0]), _v([0.5, 2.0, 4.0])), label="grad", grad=True)
    bk = _v([-1.0, 0.0, 1.0, 2.0, 0.0, 1.0, 0.5, 1.0, 0.0])
    bp = _v([0.3, 0.3, 0.3, 0.3, 0.0, 1.0, 0.4, 0.0, 1.0])
    for fn in ("logpmf", "pmf"):
        run(f"bernoulli.{fn}", getattr(st.bernoulli, fn), (bk, bp, _v(0.0)))
    run("bernoulli.cdf", st.bernoulli.cdf, (_v([-1.0, 0.0, 0.5, 1.0, 2.0, NAN, 0.5, 0.5]),
                                            _v([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, -0.1, 1.5])))
    run("bernoulli.ppf", st.bernoulli.ppf, (_v([0.0, 0.5, 0.7, 0.71, 1.0, -0.1, 1.1, 0.5]),
                                            _v([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.2])))
    run("bernoulli.logpmf", st.bernoulli.logpmf, (_v([0.0, 1.0, 1.0]), _v([0.2, 0.6, 0.9])), label="grad", grad=True)
    nk = _v([-1.0, 0.0, 1.0, 3.0, 5.0, 6.0, 0.0, 2.0, 2.0, 0.0, 4.0])
    nn = _v([5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 0.0, 10.0, 10.0, 3.0, 4.0])
    npr = _v([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.5, 0.0, 1.0, 0.0, 1.0])
    for fn in ("logpmf", "pmf"):
        run(f"binom.{fn}", getattr(st.binom, fn), (nk, nn, npr, _v(0.0)))
    run("binom.logpmf", st.binom.logpmf, (_v([1.0, 3.0]), _v([5.0, 8.0]), _v([0.3, 0.6])), label="grad", grad=True)
    gk = _v([0.0, 1.0, 2.0, 5.0, 1.0, 3.0])
    gp = _v([0.3, 0.3, 0.3, 0.3, 1.0, 0.0])
    for fn in ("logpmf", "pmf"):
        run(f"geom.{fn}", getattr(st.geom, fn), (gk, gp, _v(0.0)))
    run("geom.logpmf", st.geom.logpmf, (_v([1.0, 2.0, 4.0]), _v([0.2, 0.5, 0.7])), label="grad", grad=True)

    # ---- multivariate
    mx = np.array([2, 0, 3], np.int32)
    mp = _v([0.2, 0.3, 0.5])
    run("multinomial.logpmf", st.multinomial.logpmf, (mx, np.int32(5), mp))
    run("multinomial.logpmf", st.multinomial.logpmf, (mx, np.int32(6), mp), label="wrong-total")
    run("multinomial.logpmf", st.multinomial.logpmf, (np.array([0, 4, 0], np.int32), np.int32(4),
                                                      _v([0.5, 0.5, 0.0])), label="zero-p")
    dx = _v([0.2, 0.3, 0.5])
    da = _v([1.5, 2.0, 0.8])
    run("dirichlet.logpdf", st.dirichlet.logpdf, (dx, da))
    run("dirichlet.logpdf", st.dirichlet.logpdf, (dx[:2], da), label="k-minus-1")
    run("dirichlet.logpdf", st.dirichlet.logpdf, (_v([[0.2, 0.6, 0.1], [0.3, 0.3, 0.0], [0.5, 0.1, 0.9]]), da),
        label="batch-and-off-simplex")
    run("dirichlet.logpdf", st.dirichlet.logpdf, (dx, da), label="grad", grad=True)
    mean = _v([1.0, -0.5, 0.25])
    cov = _v([[2.0, 0.5, 0.25], [0.5, 1.0, -0.25], [0.25, -0.25, 0.75]])
    xs = arr((4, 3), 2.0, 1.0)
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf, (xs, mean, cov), label="batch")
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf, (xs[0], mean, cov), label="grad", grad=True)
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf, (xs, mean, _v(1.5)), label="scalar-cov")
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf, (xs[:, 0], _v(0.5), _v(2.0)),
        label="scalar-mean")
    covs = np.stack([cov, np.eye(3, dtype=F32) * F32(0.5)])
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf, (xs[:2], mean, covs), label="batched-cov")
    run("multivariate_normal.logpdf", st.multivariate_normal.logpdf,
        (xs[:2], mean, _v([[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]])), label="not-positive-definite")

    # ---- float64, jit and vmap
    with jax_config.enable_x64(True):
        x64 = x.astype(np.float64)
        for name, fn in (("norm.logpdf", st.norm.logpdf), ("norm.logcdf", st.norm.logcdf),
                         ("cauchy.cdf", st.cauchy.cdf), ("logistic.logpdf", st.logistic.logpdf)):
            run(name, fn, (x64, loc.astype(np.float64), scale.astype(np.float64)), label="float64",
                tol=F64_TOL, dtype="float64")
        run("gamma.logpdf", st.gamma.logpdf, (px.astype(np.float64), pa.astype(np.float64)), label="float64",
            tol=F64_TOL, dtype="float64")
        run("poisson.logpmf", st.poisson.logpmf, (k.astype(np.float64), mu.astype(np.float64)), label="float64",
            tol=F64_TOL, dtype="float64")
    case("jnp8/stats/norm.logpdf", "close", {"out": jax.jit(st.norm.logpdf)(x, loc, scale)},
         {"a0": x, "a1": loc, "a2": scale}, label="jit", **F32_TOL)
    vx = _v([[0.1, 0.5, 0.4], [0.6, 0.3, 0.1]])
    case("jnp8/stats/dirichlet.logpdf", "close", {"out": jax.vmap(st.dirichlet.logpdf, in_axes=(0, None))(vx, da)},
         {"a0": vx, "a1": da}, label="vmap", **F32_TOL)


def logsumexp_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import logsumexp

    a = arr((3, 4), 3.0, 7.0)
    b = _v([[1.0, 2.0, 0.0, 0.5], [-1.0, 1.0, 1.0, 1.0], [1.0, -3.0, 0.5, 0.0]])
    tol = dict(rtol=2e-6, atol=2e-6)
    for axis, label in ((None, "all"), (0, "axis0"), (1, "axis1"), (-1, "axis-1")):
        case("jnp8/logsumexp", "close", {"out": logsumexp(a, axis=axis, b=b)}, {"a": a, "b": b},
             axis=-99 if axis is None else axis, keepdims=False, label=f"b/{label}", **tol)
        out, sign = logsumexp(a, axis=axis, b=b, return_sign=True)
        case("jnp8/logsumexp_sign", "close", {"out": out, "sign": sign}, {"a": a, "b": b},
             axis=-99 if axis is None else axis, keepdims=False, label=f"b/{label}", **tol)
    case("jnp8/logsumexp", "close", {"out": logsumexp(a, axis=1, b=b, keepdims=True)}, {"a": a, "b": b},
         axis=1, keepdims=True, label="keepdims", **tol)
    bb = _v([2.0, 0.5, 1.0, 3.0])
    case("jnp8/logsumexp", "close", {"out": logsumexp(a, axis=1, b=bb)}, {"a": a, "b": bb}, axis=1, keepdims=False,
         label="broadcast-b", **tol)
    edge = _v([[-INF, -INF, -INF], [INF, 1.0, 2.0], [NAN, 0.0, 1.0], [0.0, 0.0, 0.0]])
    be = _v([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, -1.0, 0.0]])
    out, sign = logsumexp(edge, axis=1, b=be, return_sign=True)
    case("jnp8/logsumexp_sign", "close", {"out": out, "sign": sign}, {"a": edge, "b": be}, axis=1, keepdims=False,
         label="edges", **tol)
    ga, gb = jax.grad(lambda s, t: jnp.sum(logsumexp(s, axis=1, b=t)), argnums=(0, 1))(a, jnp.abs(b) + 0.5)
    case("jnp8/grad/logsumexp", "close", {"da": ga, "db": gb}, {"a": a, "b": np.abs(b) + F32(0.5)}, axis=1,
         keepdims=False, **dict(rtol=1e-5, atol=1e-6))


def sort_cases(case, arr):
    """jnp.sort/argsort with stable and descending, lexsort, partition/argpartition (JAX's order
    after kth), lax.sort with num_keys, searchsorted's method; exact (they move elements)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    f = _v([3.0, -1.0, NAN, 2.0, -0.0, 0.0, 2.0, -INF, 7.5, 2.0, INF, -1.0])
    m = _v([[3.0, 1.0, 2.0, 1.0], [0.5, 0.5, -2.0, 9.0], [1.0, 1.0, 1.0, 0.0]])
    ints = np.array([5, 1, 4, 1, 5, 9, 2, 6, 5, 3], np.int32)
    for name, x in (("f32", f), ("int32", ints)):
        for desc in (False, True):
            case("jnp8/sort/sort", "exact", {"out": jnp.sort(x, descending=desc)}, {"x": x}, axis=-1,
                 descending=desc, label=f"{name}/desc={desc}")
            case("jnp8/sort/argsort", "exact", {"out": jnp.argsort(x, stable=True, descending=desc)}, {"x": x}, axis=-1,
                 descending=desc, label=f"{name}/desc={desc}")
    for axis in (0, 1, None):
        case("jnp8/sort/sort", "exact", {"out": jnp.sort(m, axis=axis, descending=True)}, {"x": m},
             axis=-99 if axis is None else axis, descending=True, label=f"matrix/axis={axis}")
        case("jnp8/sort/argsort", "exact", {"out": jnp.argsort(m, axis=axis, descending=True)}, {"x": m},
             axis=-99 if axis is None else axis, descending=True, label=f"matrix/axis={axis}")
    # lexsort: the last key is the primary one
    k1 = np.array([1, 0, 1, 0, 1, 0, 2, 2], np.int32)
    k2 = _v([0.5, 0.5, -1.0, 2.0, 0.5, NAN, 1.0, 1.0])
    k3 = np.array([3, 3, 1, 1, 2, 2, 0, 0], np.int32)
    case("jnp8/sort/lexsort", "exact", {"out": jnp.lexsort((k1, k3))}, {"k0": k1, "k1": k3}, axis=-1, label="two")
    case("jnp8/sort/lexsort", "exact", {"out": jnp.lexsort((k1, k2, k3))}, {"k0": k1, "k1": k2, "k2": k3}, axis=-1,
         label="three")
    case("jnp8/sort/lexsort", "exact", {"out": jnp.lexsort((m, m[::-1]), axis=0)}, {"k0": m, "k1": m[::-1].copy()},
         axis=0, label="axis0")
    # lax.sort with several operands and num_keys
    vals = np.arange(8, dtype=np.int32)
    for nk in (1, 2, 3):
        outs = lax.sort((k3, k2, k1, vals), dimension=0, num_keys=nk)
        case("jnp8/sort/lax_sort", "exact", {f"o{i}": o for i, o in enumerate(outs)},
             {"a": k3, "b": k2, "c": k1, "d": vals}, dimension=0, num_keys=nk, label=f"num_keys={nk}")
    # partition/argpartition: the positions after kth come descending (two top_ks)
    p = _v([5.0, 1.0, 4.0, 2.0, 3.0, 2.0, 8.0, -1.0, 0.5])
    for kth in (0, 2, 4, -1, 8):
        case("jnp8/sort/partition", "exact", {"out": jnp.partition(p, kth)}, {"x": p}, kth=kth, axis=-1,
             label=f"kth={kth}")
        case("jnp8/sort/argpartition", "exact", {"out": jnp.argpartition(p, kth)}, {"x": p}, kth=kth, axis=-1,
             label=f"kth={kth}")
    for axis in (0, 1):
        case("jnp8/sort/partition", "exact", {"out": jnp.partition(m, 1, axis=axis)}, {"x": m}, kth=1, axis=axis,
             label=f"matrix/axis={axis}")
        case("jnp8/sort/argpartition", "exact", {"out": jnp.argpartition(m, 1, axis=axis)}, {"x": m}, kth=1,
             axis=axis, label=f"matrix/axis={axis}")
    case("jnp8/sort/partition", "exact", {"out": jnp.partition(ints, 3)}, {"x": ints}, kth=3, axis=-1, label="int32")
    case("jnp8/sort/argpartition", "exact", {"out": jnp.argpartition(ints, 3)}, {"x": ints}, kth=3, axis=-1,
         label="int32")
    w = _v([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
    g = jax.grad(lambda t: jnp.sum(jnp.partition(t, 3) * w))(p)
    case("jnp8/sort/grad_partition", "exact", {"dx": g}, {"x": p, "w": w}, kth=3, axis=-1)
    g = jax.grad(lambda t: jnp.sum(jnp.sort(t, descending=True) * w))(p)
    case("jnp8/sort/grad_sort_descending", "exact", {"dx": g}, {"x": p, "w": w}, axis=-1)
    # searchsorted's methods give one answer
    sorted_ = _v([-1.0, 0.0, 0.0, 2.0, 3.5, 3.5, 10.0])
    v = _v([-5.0, 0.0, 1.0, 3.5, 11.0, NAN])
    for method in ("scan", "scan_unrolled", "sort", "compare_all"):
        for side in ("left", "right"):
            case("jnp8/sort/searchsorted", "exact", {"out": jnp.searchsorted(sorted_, v, side=side, method=method)},
                 {"a": sorted_, "v": v}, side=side, method=method, label=f"{method}/{side}")


def expm_cases(case, arr):
    """jax.scipy.linalg.expm: each Pade order (by the 1-norm), scaling and squaring, a batch, an upper
    triangular matrix, max_squarings exceeded (NaN), float64, and the gradient."""
    import jax
    import jax.numpy as jnp
    from jax._src import config as jax_config
    from jax.scipy.linalg import expm

    base = _v([[0.3, -0.2, 0.1], [0.05, -0.4, 0.25], [-0.15, 0.2, 0.1]])
    f32 = dict(rtol=1e-5, atol=1e-6)
    # 1-norms 0.07 .. 60: Pade 3, 5, 7, then squarings
    for scale in (0.1, 1.0, 3.0, 12.0, 80.0):
        a = base * F32(scale)
        case("jnp8/expm", "close", {"out": expm(a)}, {"a": a}, label=f"scale={scale}", **f32)
    batch = np.stack([base, base * F32(5.0), -base * F32(20.0)])
    case("jnp8/expm", "close", {"out": expm(batch)}, {"a": batch}, label="batch", **f32)
    upper = np.triu(arr((4, 4), 1.5, 11.0))
    case("jnp8/expm", "close", {"out": expm(upper, upper_triangular=True)}, {"a": upper}, upper_triangular=True,
         label="upper", **f32)
    big = base * F32(1000.0)
    case("jnp8/expm", "close", {"out": expm(big, max_squarings=4)}, {"a": big}, max_squarings=4,
         label="too-few-squarings", **f32)
    g = jax.grad(lambda t: jnp.sum(expm(t) * base))(base * F32(4.0))
    case("jnp8/grad/expm", "close", {"da": g}, {"a": base * F32(4.0), "w": base}, rtol=1e-5, atol=1e-5)
    with jax_config.enable_x64(True):
        for scale in (0.01, 0.5, 2.0, 6.0, 15.0, 200.0):
            a = base.astype(np.float64) * scale
            case("jnp8/expm", "close", {"out": expm(a)}, {"a": a}, dtype="float64", label=f"float64/scale={scale}",
                 rtol=1e-12, atol=1e-13)


def unique_axis_cases(case, arr):
    """jnp.unique(axis=): distinct rows/columns/slices in lexicographic order, NaN rows equal, with
    return_index/inverse/counts, size and fill_value (also under jit)."""
    import jax
    import jax.numpy as jnp

    rows = _v([[1.0, 2.0, 3.0], [0.0, 5.0, 1.0], [1.0, 2.0, 3.0], [1.0, 2.0, 0.0], [NAN, 1.0, 1.0],
               [0.0, 5.0, 1.0], [NAN, 1.0, 1.0], [-0.0, 5.0, 1.0]])
    ints = np.array([[3, 1, 3, 2], [0, 1, 0, 2], [3, 1, 3, 2]], np.int32)
    cube = np.array([[[1, 2], [1, 2], [0, 0]], [[3, 3], [3, 3], [1, 1]]], np.int32)
    for name, x, axis in (("rows", rows, 0), ("columns", ints, 1), ("int-rows", ints, 0), ("cube", cube, 1),
                          ("negative-axis", ints, -1)):
        v, i, inv, c = jnp.unique(x, return_index=True, return_inverse=True, return_counts=True, axis=axis)
        case("jnp8/sort/unique_axis", "exact", {"values": v, "indices": i, "inverse": inv, "counts": c}, {"x": x},
             axis=axis, label=name)
    for size, fill in ((2, None), (6, None), (6, -7.0)):
        v, i, inv, c = jnp.unique(rows, return_index=True, return_inverse=True, return_counts=True, axis=0, size=size,
                                  fill_value=fill)
        extra = {} if fill is None else {"fill_value": fill}
        case("jnp8/sort/unique_axis", "exact", {"values": v, "indices": i, "inverse": inv, "counts": c}, {"x": rows},
             axis=0, size=size, label=f"size={size}/fill={fill}", **extra)
    v = jax.jit(lambda t: jnp.unique(t, axis=1, size=3, fill_value=9))(ints)
    case("jnp8/sort/unique_axis", "exact", {"values": v}, {"x": ints}, axis=1, size=3, fill_value=9.0, jit=True,
         label="jit")


def bessel_cases(case, arr):
    """jax.scipy.special i0e/i1e/i0/i1 (Cephes series on both sides of |x| = 8) and stats.vonmises,
    named "jnp8/stats/special.<fn>" so the stats twin table runs them; gradients are JAX's own rules."""
    import jax
    import jax.numpy as jnp
    from jax._src import config as jax_config
    from jax.scipy import special as sp
    from jax.scipy import stats as st

    run = _stats_runner(case)

    # both series (|x| <= 8 and > 8), the boundary, tiny x (i1e's eps branch), signs, nan and inf
    bx = _v([0.0, 1e-8, -1e-8, 1e-3, 0.25, -0.5, 1.0, -2.0, 3.5, 7.9, 8.0, -8.0, 8.1, 12.0, -30.0, 100.0,
             1e4, NAN, INF, -INF])
    gx = _v([-9.0, -3.0, -0.7, -1e-9, 0.0, 1e-9, 0.4, 1.0, 2.5, 7.5, 8.5, 20.0])
    fns = (("i0e", sp.i0e), ("i1e", sp.i1e), ("i0", sp.i0), ("i1", sp.i1))
    for name, fn in fns:
        run(f"special.{name}", fn, (bx,))
        run(f"special.{name}", fn, (gx,), label="grad-points", grad=True)
    run("special.i0e", sp.i0e, (np.array([-3, 0, 2, 9], np.int32),), label="int32")
    run("special.i1e", sp.i1e, (bx.astype(jnp.bfloat16),), label="bfloat16", tol=dict(rtol=8e-3, atol=1e-6))
    # vonmises: kappa <= 0 -> nan, small and large kappa, x beyond pi (periodic), nan and inf
    vx = _v([0.0, 0.5, -1.0, 3.0, np.pi, 7.0, -20.0, 1.0, 1.0, 1.0, 1.0, 0.2, NAN, INF, 2.0])
    vk = _v([1.0, 2.0, 0.5, 4.0, 10.0, 1.0, 3.0, 0.0, -1.0, 1e-4, 50.0, 700.0, 1.0, 1.0, NAN])
    for fn in ("logpdf", "pdf"):
        run(f"vonmises.{fn}", getattr(st.vonmises, fn), (vx, vk))
    run("vonmises.logpdf", st.vonmises.logpdf, (gx[:6], _v([0.5, 1.0, 2.0, 9.0, 30.0, 0.1])), label="grad-points",
        grad=True)
    run("vonmises.logpdf", st.vonmises.logpdf, (_v([[0.0], [1.0]]), _v([0.5, 2.0, 10.0])), label="broadcast")
    with jax_config.enable_x64(True):
        for name, fn in fns:
            run(f"special.{name}", fn, (bx.astype(np.float64),), label="float64", tol=F64_TOL, dtype="float64")
            run(f"special.{name}", fn, (gx.astype(np.float64),), label="float64-grad", tol=F64_TOL, dtype="float64",
                grad=True)
        run("vonmises.logpdf", st.vonmises.logpdf, (vx.astype(np.float64), vk.astype(np.float64)), label="float64",
            tol=F64_TOL, dtype="float64")
