"""jax_reference.py's jnp10 cases (session 16): the jax.scipy.special functions built in session
16: expi, exp1, expn, hyp1f1, bessel_jn and sph_harm_y.

Every case is named "jnp10/..." and has its twin in StateLensJnp10Side.java. A case's inputs are
the function's array arguments in order (a0, a1, ...); its static arguments (bessel_jn's v and
n_iter, sph_harm_y's n_max) are in the case's args. "jnp10/grad/<name>" holds jax.grad of the sum
in the arguments its argnums list (d0, d1, ...). A label starting "jit" runs the function under
jax.jit, "vmap" under jax.vmap over the first argument's leading axis (the others broadcast).
float32 unless a case says float64 (inside JAX's enable_x64 context). sph_harm_y's complex64
output is written as its real and imaginary parts ("re", "im").

Not here: exp1 (and expi(-x), expn) at a small x, below 1e-4 here. JAX runs every branch of
jnp.piecewise on every element, and its continued fraction (meant for x > 1) crawls at a small x:
exp1(1e-6) takes 87 s in float64, exp1(1e-30) did not return in 10 minutes, and in float32
expi(-1e-7) (that is -exp1(1e-7)) did not return in 90 s where exp1(1e-7) alone took 4 s: in f32
whether the fraction ever meets its eps test at a tiny x depends on rounding.
StateLens runs each loop only on its own elements; SpecialExpintTest checks the tiny x against
the series E1(x) = -euler_gamma - log(x) + x - x^2/4 + ...
"""

import numpy as np

F32 = np.float32
F64 = np.float64
NAN = np.nan
INF = np.inf

# f32: the rational approximations and loops run in f32 in both; XLA's CPU contracts a * b + c
# into a fused multiply-add where StateLens rounds twice, so a few ulps differ (the report says
# how many); 1e-12 relative in f64, where both are accurate
F32_TOL = dict(rtol=3e-6, atol=1e-30)
F64_TOL = dict(rtol=1e-12, atol=1e-300)
GRAD_TOL = dict(rtol=1e-5, atol=1e-30)


def jnp10_cases(case, arr):
    expint_cases(case)
    hyp1f1_cases(case)
    bessel_jn_cases(case)
    sph_harm_cases(case)
    zeta_edge_cases(case)


def _v(values, dt=F32):
    return np.asarray(values, dtype=dt)


def _runner(case):
    """run(name, fn, args, ...): one "jnp10/<name>" case; with grad also "jnp10/grad/<name>"."""
    import jax
    import jax.numpy as jnp

    def run(name, fn, args, label=None, tol=F32_TOL, dtype=None, grad=False, grad_argnums=None, statics=None,
            gtol=None):
        inputs = {f"a{i}": a for i, a in enumerate(args)}
        extra = {} if label is None else {"label": label}
        if dtype is not None:
            extra["dtype"] = dtype
        extra.update(statics or {})
        jargs = [jnp.asarray(a) for a in args]
        if label is not None and label.startswith("jit"):
            out = jax.jit(fn)(*jargs)
        elif label is not None and label.startswith("vmap"):
            out = jax.vmap(fn, in_axes=(0,) + (None,) * (len(args) - 1))(*jargs)
        else:
            out = fn(*jargs)
        outs = ({"re": np.real(out).astype(F32), "im": np.imag(out).astype(F32)}
                if np.iscomplexobj(out) else {"out": out})
        case(f"jnp10/{name}", "close", outs, inputs, **extra, **tol)
        if grad:
            argnums = tuple(range(len(args))) if grad_argnums is None else grad_argnums
            g = jax.grad(lambda *t: jnp.sum(jnp.real(fn(*t))), argnums=argnums)(*jargs)
            extra_g = dict(extra)
            extra_g["argnums"] = list(argnums)
            case(f"jnp10/grad/{name}", "close", {f"d{i}": gi for i, gi in zip(argnums, g)}, inputs, **extra_g,
                 **(gtol or (GRAD_TOL if dtype is None else F64_TOL)))
    return run


def expint_cases(case):
    from jax._src import config as jax_config
    from jax.scipy import special as sp

    run = _runner(case)
    # expi: negatives (-exp1(-x)), 0 and -0 (NaN in JAX), every interval of the seven
    # approximations with its ends, the f32 overflow past 88, nan and +-inf
    ex = [-50.0, -5.0, -1.0, -0.25, -1e-3, -0.0, 0.0, 1e-7, 1e-3, 0.5, 1.9, 2.0, 2.1, 3.0, 4.0, 4.5, 8.0,
          8.5, 12.0, 16.0, 17.0, 32.0, 40.0, 64.0, 65.0, 88.0, 100.0, 700.0, NAN, INF, -INF]
    run("special.expi", sp.expi, (_v(ex),))
    run("special.expi", sp.expi, (_v([-3.0, -0.5, 0.3, 1.5, 3.0, 6.0, 12.0, 24.0, 48.0, 80.0]),), label="grad-points",
        grad=True)
    run("special.expi", sp.expi, (np.array([-4, -1, 1, 2, 5, 70], np.int32),), label="int32")
    run("special.expi", sp.expi, (_v([-2.0, 0.5, 3.0, 20.0]),), label="jit")
    # exp1: 0 (inf), small (the series; not below 1e-4, see above), both sides of x = 1, large, negative
    e1 = [0.0, 1e-4, 0.01, 0.5, 0.999, 1.0, 1.001, 1.5, 2.0, 5.0, 10.0, 30.0, 80.0, 100.0, 110.0,
          -1.0, -1e-3, NAN, INF, -INF]
    run("special.exp1", sp.exp1, (_v(e1),))
    run("special.exp1", sp.exp1, (_v([0.05, 0.5, 1.0, 1.2, 3.0, 20.0]),), label="grad-points", grad=True)
    run("special.exp1", sp.exp1, (_v([0.05, 0.5, 2.0, 20.0]),), label="jit")
    # expn: every branch of its piecewise and where they overlap (the last condition holding wins):
    # n < 0 with x > 1 is the continued fraction, not NaN; n = 0; x = 0; n >= 5000; non-integer n
    en = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 5, 5, 10, 10, 30, 50, 50, 4999, 5000, 6000, 6000, -1, -1, 1.5, 1.5,
          2, NAN, 3, 0, 7]
    xn = [0.0, 0.5, 3.0, 0.0, 0.3, 1.0, 4.0, 0.0, 0.01, 2.0, 0.5, 20.0, 1.0, 1.5, 0.2, 12.0, 0.9, 2.0, 60.0, 0.5,
          0.5, 3.0, 1e4, 0.5, 2.0, 0.5, 2.0, -1.0, 1.0, NAN, INF, INF]
    run("special.expn", sp.expn, (_v(en), _v(xn)))
    run("special.expn", sp.expn, (_v([1.0, 2.0, 3.0, 5.0, 2.0]), _v([0.4, 0.9, 1.5, 6.0, 40.0])), label="grad-points",
        grad=True, grad_argnums=(1,))
    run("special.expn", sp.expn, (_v([1.0, 2.0, 3.0]), _v([0.4, 1.5, 6.0])), label="grad-n", grad=True,
        grad_argnums=(0,))
    run("special.expn", sp.expn, (np.array([0, 1, 2, 4], np.int32), _v([0.7, 0.7, 2.5, 2.5])), label="int32-n")
    run("special.expn", sp.expn, (_v([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), _v([0.5, 1.5, 9.0])), label="vmap")
    run("special.expn", sp.expn, (_v([1.0, 2.0, 7.0]), _v([0.5, 1.5, 9.0])), label="jit")
    with jax_config.enable_x64(True):
        # not exp1 below 1e-4 in f64: JAX's continued fraction takes minutes there (see above)
        run("special.expi", sp.expi, (_v([x for x in ex if not (0 < abs(x) < 1e-4)], F64),), label="float64",
            tol=F64_TOL, dtype="float64")
        run("special.exp1", sp.exp1, (_v([x for x in e1 if not (0 < abs(x) < 1e-4)], F64),), label="float64",
            tol=F64_TOL, dtype="float64")
        run("special.expn", sp.expn, (_v(en, F64), _v(xn, F64)), label="float64", tol=F64_TOL, dtype="float64")
        run("special.expi", sp.expi, (_v([-3.0, 0.3, 3.0, 24.0], F64),), label="float64-grad", tol=F64_TOL,
            dtype="float64", grad=True)
        run("special.expn", sp.expn, (_v([1.0, 3.0, 5.0], F64), _v([0.4, 1.5, 6.0], F64)), label="float64-grad",
            tol=F64_TOL, dtype="float64", grad=True, grad_argnums=(1,))


def hyp1f1_cases(case):
    from jax._src import config as jax_config
    from jax.scipy import special as sp

    run = _runner(case)
    # the series (|x| < 100) and the asymptotic series (from 100), a = 0 (1, also at a = b = 0), a = b
    # (e^x), b = 0 (inf), negative x, non-integer a and b, nan
    a = [0.5, 1.0, 2.0, 0.5, 3.0, 1.5, 0.25, 2.0, 0.0, 0.0, 1.0, 2.5, 2.0, 0.5, 1.0, 4.0, 0.5, 1.0, NAN, 1.0, 7.0,
         0.5]
    b = [1.5, 2.0, 1.0, 2.5, 5.0, 0.5, 3.0, 2.0, 0.0, 1.0, 0.0, 2.5, 3.0, 1.5, 2.0, 6.0, 1.5, 3.0, 1.0, NAN, 2.0,
         10.0]
    x = [0.3, 1.0, 2.0, -3.0, 10.0, 5.0, 40.0, 1.5, 2.0, 7.0, 1.0, -2.0, 99.0, 100.0, 150.0, 250.0, -20.0, 0.0, 1.0,
         1.0, 60.0, -99.0]
    run("special.hyp1f1", sp.hyp1f1, (_v(a), _v(b), _v(x)))
    ga = _v([0.5, 1.0, 2.5, 0.3, 1.5])
    gb = _v([1.5, 3.0, 4.0, 0.8, 2.5])
    gx = _v([0.5, 2.0, -1.5, 3.0, 120.0])
    run("special.hyp1f1", sp.hyp1f1, (ga, gb, gx), label="grad-points", grad=True)
    run("special.hyp1f1", sp.hyp1f1, (ga, gb, gx), label="jit")
    run("special.hyp1f1", sp.hyp1f1, (_v([[0.5, 1.0], [2.0, 3.0]]), _v([1.5, 2.5]), _v([1.0, 4.0])), label="vmap")
    run("special.hyp1f1", sp.hyp1f1, (np.array([1, 2, 0], np.int32), np.array([2, 3, 1], np.int32),
                                      np.array([3, -1, 5], np.int32)), label="int32")
    with jax_config.enable_x64(True):
        run("special.hyp1f1", sp.hyp1f1, (_v(a, F64), _v(b, F64), _v(x, F64)), label="float64", tol=F64_TOL,
            dtype="float64")
        run("special.hyp1f1", sp.hyp1f1, (ga.astype(F64), gb.astype(F64), gx.astype(F64)), label="float64-grad",
            tol=F64_TOL, dtype="float64", grad=True)


def bessel_jn_cases(case):
    from functools import partial

    from jax._src import config as jax_config
    from jax.scipy import special as sp

    run = _runner(case)
    # f32 with the default 50 iterations overflows at small |z| (NaN, in JAX too); negative z, 0
    z = _v([0.5, 1.0, 2.0, 5.0, 7.5, 10.0, 20.0, 30.0, -3.0, 0.0])
    for v, n_iter in ((0, 50), (3, 50), (10, 50), (3, 20), (4, 30), (60, 50)):
        run("special.bessel_jn", partial(sp.bessel_jn, v=v, n_iter=n_iter), (z,), label=f"v={v}/n_iter={n_iter}",
            statics={"v": v, "n_iter": n_iter})
    # the f32 gradient with n_iter = 25: with JAX's default 50, JAX 0.10.2's f32 reverse pass through the
    # unnormalized recurrence gives 3.3916888 at z = 6 where the derivative of J0 + J1 + J2 is 0.2777170
    # (JAX's own float64: 0.27771697; StateLens f32: 0.27771676); with 25 both agree bit for bit
    gz = _v([6.0, 9.0, 15.0])
    run("special.bessel_jn", partial(sp.bessel_jn, v=2, n_iter=25), (gz,), label="grad-points", grad=True,
        statics={"v": 2, "n_iter": 25})
    run("special.bessel_jn", partial(sp.bessel_jn, v=2, n_iter=50), (_v([[6.0, 9.0], [12.0, 15.0]]),), label="jit-2d",
        statics={"v": 2, "n_iter": 50})
    run("special.bessel_jn", partial(sp.bessel_jn, v=2, n_iter=30), (_v([[1.0, 3.0], [5.0, 8.0]]),), label="vmap",
        statics={"v": 2, "n_iter": 30})
    with jax_config.enable_x64(True):
        for v, n_iter in ((5, 50), (3, 100)):
            run("special.bessel_jn", partial(sp.bessel_jn, v=v, n_iter=n_iter), (z.astype(F64),),
                label=f"float64/v={v}/n_iter={n_iter}", tol=F64_TOL, dtype="float64",
                statics={"v": v, "n_iter": n_iter})
        run("special.bessel_jn", partial(sp.bessel_jn, v=2, n_iter=50), (_v([0.5, 2.0, 6.0], F64),),
            label="float64-grad", tol=F64_TOL, dtype="float64", grad=True, statics={"v": 2, "n_iter": 50})


def sph_harm_cases(case):
    from functools import partial

    from jax.scipy import special as sp

    run = _runner(case)
    n = np.array([0, 1, 1, 1, 2, 2, 2, 3, 3, 5, 5, 8, 8, 2], np.int32)
    m = np.array([0, -1, 0, 1, -2, 0, 2, -3, 1, 4, -5, 7, -8, 3], np.int32)  # the last: |m| > n (JAX: 0)
    theta = _v([0.0, 0.3, 0.7, 1.1, 1.5707964, 2.0, 2.5, 3.1415927, 0.9, 1.3, 0.2, 1.7, 2.9, 1.0])
    phi = _v([0.0, 0.1, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.2, 0.7, 1.9, 2.6, 3.3, 0.4])
    run("special.sph_harm_y", lambda a, b, c, d: sp.sph_harm_y(a, b, c, d), (n, m, theta, phi), label="default-n_max")
    for n_max in (8, 5, 12):  # 5 < max(n): JAX clips n and |m| to n_max
        run("special.sph_harm_y", partial(sp.sph_harm_y, n_max=n_max), (n, m, theta, phi), label=f"n_max={n_max}",
            statics={"n_max": n_max})
    run("special.sph_harm_y", partial(sp.sph_harm_y, n_max=3), (n[:9], m[:9], F32(0.8), phi[:9]),
        label="scalar-theta", statics={"n_max": 3})
    run("special.sph_harm_y", partial(sp.sph_harm_y, n_max=8), (n, m, theta, phi), label="jit", statics={"n_max": 8})
    gn = np.array([1, 2, 3, 3], np.int32)
    gm = np.array([1, -1, 2, 0], np.int32)
    run("special.sph_harm_y", partial(sp.sph_harm_y, n_max=3), (gn, gm, _v([0.4, 1.0, 1.6, 2.2]), _v([0.3, 1.1, 2.0,
                                                                                                    4.0])),
        label="grad-points", grad=True, grad_argnums=(2, 3), statics={"n_max": 3})


def zeta_edge_cases(case):
    """zeta's special-value edges (session 16): XLA's CPU flushes subnormal arguments and results to
    zero (an f32-subnormal q is the pole 0; x = 1e-40 is the even integer 0; zeta(2, 1e38) is 0),
    and chlo.zeta's "initial sum is accurate enough" shortcut compares against a subnormal constant,
    so it never holds: NaN where the Euler-Maclaurin tail overflows (x = inf with q in (0, 1) or
    negative, x from about 1e20). f32 overflow (session 17, jnp11): XLA computes f32 zeta in f32,
    flushed, so (q + 10)^2 and (x + 22)(x + 21) past 3.4e38 give NaN (x >= 1e20 with q = 1e38), and
    the flushes keep others finite (x = 1e15, q = 1e12: 0); the "f32-overflow" grid."""
    from jax._src import config as jax_config
    from jax.scipy import special as sp

    run = _runner(case)
    xs = [2.0, 3.0, 2.5, 1e-40, 1e38, 1e20, 1e30, INF, 40.0, 100.0]
    qs = [1e-40, -1e-40, 0.5, -0.5, 1.0, 1e38, INF, -INF, 2.0, -2.0, 1e-20]
    pairs = [(x, q) for x in xs for q in qs]
    run("special.zeta", sp.zeta, (_v([p[0] for p in pairs]), _v([p[1] for p in pairs])), label="edges")
    big = [(x, q) for x in [1e15, 1e17, 1e18, 1e19, 2e19, 1e20, 1e30, 1e38]
           for q in [0.5, 2.0, 1e10, 1e11, 1e12, 1.3827337e12, 1e15, 1e18, 1e20, 1e38, 3e38]]
    run("special.zeta", sp.zeta, (_v([p[0] for p in big]), _v([p[1] for p in big])), label="f32-overflow")
    with jax_config.enable_x64(True):
        x64 = [2.0, 3.0, 2.5, 1e-310, 1e300, INF, 2.0, 3.0]
        q64 = [1e-310, 1e-310, 1e-310, -2.0, 1.0, 0.5, 1e300, -1e-310]
        run("special.zeta", sp.zeta, (_v(x64, F64), _v(q64, F64)), label="float64-edges", tol=F64_TOL,
            dtype="float64")
