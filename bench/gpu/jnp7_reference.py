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
    math_cases(case, arr)
    lax_cases(case, arr)
    shape_cases(case, arr)
    linalg_cases(case, arr)


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


def math_cases(case, arr):
    """jnp.fmod/remainder/cbrt/sinc/copysign/signbit/trunc/heaviside/logaddexp2/deg2rad/rad2deg/gcd/
    lcm/frexp/ldexp (Ufuncs): values at their edges, gradients (JAX's custom rules for sinc,
    logaddexp2 and frexp), jit and vmap."""
    import jax
    import jax.numpy as jnp

    ulp = dict(rtol=2e-7, atol=0.0)
    signed = np.array([-7.5, -3.0, -0.5, -0.0, 0.0, 0.5, 2.25, 3.0, 7.5, np.inf, -np.inf, np.nan], F32)
    div = np.array([2.0, -2.0, 0.3, 1.0, -1.0, 0.0, -0.7, 3.0, 2.0, 2.0, 3.0, 1.0], F32)
    ints = np.array([7, -7, 7, -7, 0, 5, -5, 13, 6], np.int32)
    idiv = np.array([3, 3, -3, -3, 3, 0, 0, 4, -4], np.int32)
    for name, f in (("fmod", jnp.fmod), ("remainder", jnp.remainder)):
        case(f"jnp7/math/{name}", "exact", {"out": f(signed, div)}, {"x": signed, "y": div})
        case(f"jnp7/math/{name}", "exact", {"out": f(ints, idiv)}, {"x": ints, "y": idiv}, label="int32")
    # no subnormal inputs or results: XLA's CPU flushes them to zero (StateLens keeps them, as IEEE)
    wide = np.concatenate([signed, arr((20,), 50.0, 1.0), np.array([1e-30, -1e-30, 3.4e38, 27.0, -8.0], F32)])
    for name, f in (("cbrt", jnp.cbrt), ("sinc", jnp.sinc), ("trunc", jnp.trunc), ("deg2rad", jnp.deg2rad),
                    ("rad2deg", jnp.rad2deg)):
        case(f"jnp7/math/{name}", "close", {"out": f(wide)}, {"x": wide}, **ulp)
    case("jnp7/math/signbit", "exact", {"out": jnp.signbit(signed)}, {"x": signed})
    case("jnp7/math/signbit", "exact", {"out": jnp.signbit(ints)}, {"x": ints}, label="int32")
    case("jnp7/math/copysign", "exact", {"out": jnp.copysign(div, signed)}, {"x": div, "y": signed})
    h0 = np.array([-1.0, 0.0, -0.0, 2.0, np.nan, 0.0], F32)
    h1 = np.array([0.5, 0.5, 0.25, 0.5, 0.5, np.nan], F32)
    case("jnp7/math/heaviside", "exact", {"out": jnp.heaviside(h0, h1)}, {"x": h0, "y": h1})
    la = np.array([0.0, 1.0, -np.inf, np.inf, 100.0, -3.0, np.inf, np.nan, 5.0], F32)
    lb = np.array([0.0, 3.0, -np.inf, np.inf, -100.0, 2.5, -np.inf, 1.0, 5.0], F32)
    case("jnp7/math/logaddexp2", "close", {"out": jnp.logaddexp2(la, lb)}, {"x": la, "y": lb}, **ulp)
    ga = np.array([6, 0, -12, 17, 0, 48, -9], np.int32)
    gb = np.array([4, 5, 18, 5, 0, 180, -6], np.int32)
    case("jnp7/math/gcd", "exact", {"out": jnp.gcd(ga, gb)}, {"x": ga, "y": gb})
    case("jnp7/math/lcm", "exact", {"out": jnp.lcm(ga, gb)}, {"x": ga, "y": gb})
    case("jnp7/math/gcd", "exact", {"out": jax.vmap(jnp.gcd)(ga.reshape(7, 1), gb.reshape(7, 1))},
         {"x": ga.reshape(7, 1), "y": gb.reshape(7, 1)}, label="vmap")
    fx = np.array([0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -10.0, 1e-30, -3e-35, 3.4e38, 1.1754944e-38, np.inf, -np.inf,
                   np.nan, 0.75, 1024.0], F32)
    m, e = jnp.frexp(fx)
    case("jnp7/math/frexp", "exact", {"m": m, "e": e}, {"x": fx})
    lx = np.array([1.0, -0.75, 0.5, 3.0, 1e-30, 0.0, np.inf, 1.5, 1.0, 2.0, 1e30, -1.0], F32)
    le = np.array([3, -2, 130, -120, 100, 5, 1, -125, 127, 127, -200, 128], np.int32)
    case("jnp7/math/ldexp", "exact", {"out": jnp.ldexp(lx, le)}, {"x": lx, "y": le})
    # gradients: lax's cbrt rule, JAX's custom sinc (Maclaurin at 0), logaddexp2 and frexp rules
    gx = np.array([-2.0, -0.5, 0.0, 0.25, 1.0, 3.5], F32)
    tol = dict(rtol=1e-6, atol=1e-7)
    case("jnp7/grad/sinc", "close", {"dx": jax.grad(lambda t: jnp.sum(jnp.sinc(t)))(gx)}, {"x": gx}, **tol)
    case("jnp7/grad2/sinc", "close", {"dx": jax.vmap(jax.grad(jax.grad(jnp.sinc)))(gx)}, {"x": gx}, **tol)
    cx = np.array([-8.0, -0.5, 0.125, 1.0, 27.0, 3.3], F32)
    case("jnp7/grad/cbrt", "close", {"dx": jax.grad(lambda t: jnp.sum(jnp.cbrt(t)))(cx)}, {"x": cx}, **tol)
    ga2 = np.array([0.0, 1.0, -np.inf, 100.0, -3.0, 2.0], F32)
    gb2 = np.array([0.0, 3.0, 1.0, -100.0, 2.5, 2.0], F32)
    dx, dy = jax.grad(lambda a, b: jnp.sum(jnp.logaddexp2(a, b)), argnums=(0, 1))(ga2, gb2)
    case("jnp7/grad/logaddexp2", "close", {"dx": dx, "dy": dy}, {"x": ga2, "y": gb2}, **tol)
    fg = np.array([0.3, -5.0, 8.0, 1e-3, 100.0], F32)
    case("jnp7/grad/frexp", "close", {"dx": jax.grad(lambda t: jnp.sum(jnp.frexp(t)[0] ** 2))(fg)}, {"x": fg}, **tol)
    dx, dy = jax.grad(lambda a, b: jnp.sum(jnp.copysign(a, b) * jnp.fmod(a, b)), argnums=(0, 1))(signed[5:9], div[5:9])
    case("jnp7/grad/copysign_fmod", "close", {"dx": dx, "dy": dy}, {"x": signed[5:9], "y": div[5:9]}, **tol)
    dx, dy = jax.grad(lambda a, b: jnp.sum(jnp.remainder(a, b) * a), argnums=(0, 1))(signed[5:9], div[5:9])
    case("jnp7/grad/remainder", "close", {"dx": dx, "dy": dy}, {"x": signed[5:9], "y": div[5:9]}, **tol)
    case("jnp7/math/sinc", "close", {"out": jax.jit(jnp.sinc)(wide)}, {"x": wide}, label="jit", **ulp)
    rows = arr((3, 4), 3.0, 2.0)
    case("jnp7/math/cbrt", "close", {"out": jax.vmap(jnp.cbrt)(rows)}, {"x": rows}, label="vmap", **ulp)


def lax_cases(case, arr):
    """lax.map (with batch_size), clamp, select_n, rev, batch_matmul, reduce: values, gradients, jit, vmap."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    xs = arr((7, 3), 2.0, 30.0)
    f = lambda r: jnp.sin(r) * jnp.sum(r ** 2)
    case("jnp7/lax/map", "close", {"out": lax.map(f, xs)}, {"x": xs}, rtol=1e-6, atol=1e-7)
    for b in (1, 2, 3, 7, 10):
        case("jnp7/lax/map", "close", {"out": lax.map(f, xs, batch_size=b)}, {"x": xs}, batch_size=b,
             label=f"batch_size={b}", rtol=1e-6, atol=1e-7)
    g = jax.grad(lambda t: jnp.sum(lax.map(f, t, batch_size=3) ** 2))(xs)
    case("jnp7/grad/lax/map", "close", {"dx": g}, {"x": xs}, batch_size=3, rtol=1e-5, atol=1e-6)
    case("jnp7/lax/map", "close", {"out": jax.jit(lambda t: lax.map(f, t, batch_size=2))(xs)}, {"x": xs},
         batch_size=2, label="jit", rtol=1e-6, atol=1e-7)

    x = np.array([-3.0, -1.0, 0.0, 0.5, 1.0, 2.0, 5.0, np.nan], F32)
    lo = np.array([-1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 6.0, 0.0], F32)
    hi = np.array([1.0, 1.0, 1.0, 0.25, 1.5, 3.0, 4.0, 1.0], F32)  # min > max at index 6
    case("jnp7/lax/clamp", "exact", {"out": lax.clamp(lo, x, hi)}, {"lo": lo, "x": x, "hi": hi})
    case("jnp7/lax/clamp", "exact", {"out": lax.clamp(F32(-1.0), x, F32(1.0))},
         {"lo": np.array(-1.0, F32), "x": x, "hi": np.array(1.0, F32)}, label="scalar-bounds")
    xi = np.array([-5, 0, 3, 9], np.int32)
    case("jnp7/lax/clamp", "exact", {"out": lax.clamp(np.int32(0), xi, np.int32(4))},
         {"lo": np.array(0, np.int32), "x": xi, "hi": np.array(4, np.int32)}, label="int32")
    # (JAX's own clamp gradient fails for rank-0 bounds with a shaped x: "select cases must have the same shapes")
    xf, lf, hf = x[:7], lo[:7], hi[:7]
    gl, gx, gh = jax.grad(lambda a, b, c: jnp.sum(lax.clamp(a, b, c) * jnp.arange(7.0)), argnums=(0, 1, 2))(lf, xf, hf)
    case("jnp7/grad/lax/clamp", "exact", {"dlo": gl, "dx": gx, "dhi": gh}, {"lo": lf, "x": xf, "hi": hf})

    which = np.array([0, 2, 1, 3, 0, 2], np.int32)
    cs = [arr((6,), 1.0, 40.0 + k) for k in range(4)]
    case("jnp7/lax/select_n", "exact", {"out": lax.select_n(which, *cs)},
         {"which": which, **{f"c{k}": c for k, c in enumerate(cs)}})
    wb = np.array([True, False, True, False, False, True])
    case("jnp7/lax/select_n", "exact", {"out": lax.select_n(wb, cs[0], cs[1])}, {"which": wb, "c0": cs[0], "c1": cs[1]},
         label="bool")
    case("jnp7/lax/select_n", "exact", {"out": lax.select_n(np.int32(2), *cs[:3])},
         {"which": np.array(2, np.int32), "c0": cs[0], "c1": cs[1], "c2": cs[2]}, label="scalar")
    gs = jax.grad(lambda *c: jnp.sum(lax.select_n(which, *c) * jnp.arange(6.0)), argnums=(0, 1, 2, 3))(*cs)
    case("jnp7/grad/lax/select_n", "exact", {f"dc{k}": g for k, g in enumerate(gs)},
         {"which": which, **{f"c{k}": c for k, c in enumerate(cs)}})

    r = arr((2, 3, 4), 1.0, 50.0)
    case("jnp7/lax/rev", "exact", {"out": lax.rev(r, (0, 2))}, {"x": r}, dimensions=[0, 2])
    a = arr((3, 2, 4), 1.0, 51.0)
    b = arr((3, 4, 5), 1.0, 52.0)
    case("jnp7/lax/batch_matmul", "close", {"out": lax.batch_matmul(a, b)}, {"a": a, "b": b}, rtol=1e-6, atol=1e-6)
    da, db = jax.grad(lambda p, q: jnp.sum(lax.batch_matmul(p, q) ** 2), argnums=(0, 1))(a, b)
    case("jnp7/grad/lax/batch_matmul", "close", {"da": da, "db": db}, {"a": a, "b": b}, rtol=1e-5, atol=1e-6)

    rx = arr((5, 6), 3.0, 53.0)
    # a non-monoid computation (JAX stages a generic reduce): max of |.|; a sum with a nonzero init
    case("jnp7/lax/reduce", "exact", {"out": lax.reduce(rx, F32(0.0), lambda p, q: jnp.maximum(jnp.abs(p), jnp.abs(q)), (1,))},
         {"x": rx}, computation="absmax", dimensions=[1])
    case("jnp7/lax/reduce", "close", {"out": lax.reduce(rx, F32(0.0), lax.add, (0, 1))}, {"x": rx},
         computation="add", dimensions=[0, 1], rtol=1e-6, atol=1e-6)
    case("jnp7/lax/reduce", "exact", {"out": lax.reduce(rx, F32(-np.inf), lax.max, (0,))}, {"x": rx},
         computation="max", dimensions=[0])
    g = jax.grad(lambda t: jnp.sum(lax.reduce(t, F32(1.0), lax.mul, (1,))))(rx)
    case("jnp7/grad/lax/reduce", "close", {"dx": g}, {"x": rx}, computation="mul", dimensions=[1], rtol=1e-5, atol=1e-6)


def shape_cases(case, arr):
    """jnp.rot90/fliplr/flipud/insert/delete/append/array_split/unstack/resize (ShapeEdits), their
    gradients (through take/concatenate/flip), jit and vmap."""
    import jax
    import jax.numpy as jnp

    m = arr((3, 4, 2), 1.0, 60.0)
    for k in (-1, 0, 1, 2, 3, 5):
        case("jnp7/shape/rot90", "exact", {"out": jnp.rot90(m, k)}, {"x": m}, k=k, axes=[0, 1], label=f"k={k}")
    case("jnp7/shape/rot90", "exact", {"out": jnp.rot90(m, 1, axes=(2, 0))}, {"x": m}, k=1, axes=[2, 0], label="axes=2,0")
    case("jnp7/shape/fliplr", "exact", {"out": jnp.fliplr(m)}, {"x": m})
    case("jnp7/shape/flipud", "exact", {"out": jnp.flipud(m)}, {"x": m})
    a = arr((3, 4), 1.0, 61.0)
    v = arr((2, 4), 1.0, 62.0)
    case("jnp7/shape/append", "exact", {"out": jnp.append(a, v)}, {"x": a, "v": v}, label="flat")
    case("jnp7/shape/append", "exact", {"out": jnp.append(a, v, axis=0)}, {"x": a, "v": v}, axis=0)
    case("jnp7/shape/delete", "exact", {"out": jnp.delete(a, 5)}, {"x": a}, indices=[5], label="flat")
    case("jnp7/shape/delete", "exact", {"out": jnp.delete(a, np.array([0, -1, 0]), axis=1)}, {"x": a},
         indices=[0, -1, 0], axis=1)
    col = np.array([7.0, 8.0, 9.0], F32)
    case("jnp7/shape/insert", "exact", {"out": jnp.insert(a, 1, col, axis=1)}, {"x": a, "v": col}, index=1, axis=1,
         label="scalar-index")
    case("jnp7/shape/insert", "exact", {"out": jnp.insert(a, 2, np.float32(5.0))}, {"x": a, "v": np.array(5.0, F32)},
         index=2, label="flat")
    rows = arr((3, 4), 1.0, 63.0)
    case("jnp7/shape/insert", "exact", {"out": jnp.insert(a, np.array([3, 0, 3, -1]), np.arange(4.0, dtype=F32)[:, None] * rows[:1], axis=0)},
         {"x": a, "v": np.arange(4.0, dtype=F32)[:, None] * rows[:1]}, indices=[3, 0, 3, -1], axis=0, label="indices")
    x10 = arr((10, 2), 1.0, 64.0)
    for sec in (3, 4, 10):
        parts = jnp.array_split(x10, sec)
        case("jnp7/shape/array_split", "exact", {f"p{i}": p for i, p in enumerate(parts)}, {"x": x10}, sections=sec,
             label=f"sections={sec}")
    parts = jnp.array_split(x10, [2, 2, 7], axis=0)
    case("jnp7/shape/array_split", "exact", {f"p{i}": p for i, p in enumerate(parts)}, {"x": x10}, indices=[2, 2, 7],
         label="indices")
    parts = jnp.unstack(m, axis=1)
    case("jnp7/shape/unstack", "exact", {f"p{i}": p for i, p in enumerate(parts)}, {"x": m}, axis=1)
    for shape in ((5, 3), (2,), (0, 4), (4, 7)):
        case("jnp7/shape/resize", "exact", {"out": jnp.resize(a, shape)}, {"x": a}, shape=list(shape),
             label="x".join(map(str, shape)))
    w = arr((3, 4), 1.0, 65.0)
    def loss(t):
        u = jnp.insert(jnp.delete(t, np.array([1]), axis=0), 2, t[0] * 2.0, axis=0)
        return jnp.sum(jnp.rot90(u, 1) * w.T) + jnp.sum(jnp.resize(t, (2, 9)) ** 2) + jnp.sum(jnp.array_split(t, 2)[1] ** 3)
    case("jnp7/grad/shape", "close", {"dx": jax.grad(loss)(a)}, {"x": a, "w": w}, rtol=1e-6, atol=1e-6)
    batch = arr((2, 3, 4), 1.0, 66.0)
    case("jnp7/shape/rot90", "exact", {"out": jax.vmap(lambda t: jnp.rot90(t, 1))(batch)}, {"x": batch}, k=1,
         axes=[0, 1], label="vmap")
    case("jnp7/shape/insert", "exact", {"out": jax.jit(lambda t: jnp.insert(t, 1, col, axis=1))(a)},
         {"x": a, "v": col}, index=1, axis=1, label="jit")


def linalg_cases(case, arr):
    """jnp.linalg.matrix_rank/cond/multi_dot/vector_norm/matrix_norm: values, gradients, vmap. StateLens's
    SVD is one-sided Jacobi, LAPACK's gesdd: the same singular values to rounding, not bit for bit."""
    import jax
    import jax.numpy as jnp

    tol = dict(rtol=2e-5, atol=1e-6)
    a = arr((4, 3), 1.0, 70.0) + np.eye(4, 3, dtype=F32) * F32(2.0)
    d = a.copy()
    d[:, 2] = d[:, 0] - d[:, 1]  # rank 2
    batch = np.stack([a, d, np.zeros((4, 3), F32)])
    case("jnp7/linalg/matrix_rank", "exact", {"out": jnp.linalg.matrix_rank(batch)}, {"x": batch})
    case("jnp7/linalg/matrix_rank", "exact", {"out": jnp.linalg.matrix_rank(a, 2.5)}, {"x": a}, rtol_arg=2.5,
         label="rtol")
    v = np.array([0.0, 0.0, 1e-3], F32)
    case("jnp7/linalg/matrix_rank", "exact", {"out": jnp.linalg.matrix_rank(v)}, {"x": v}, label="vector")
    sq = arr((2, 3, 3), 1.0, 71.0) + np.eye(3, dtype=F32) * F32(1.5)
    for p in (None, -2, 1, -1, np.inf, -np.inf, "fro"):
        out = jnp.linalg.cond(sq, p)
        case("jnp7/linalg/cond", "close", {"out": out}, {"x": sq}, p=str(p), label=f"p={p}", **tol)
    case("jnp7/linalg/cond", "close", {"out": jnp.linalg.cond(a)}, {"x": a}, p="None", label="rect", **tol)
    sing = np.array([[1.0, 2.0], [2.0, 4.0]], F32)
    case("jnp7/linalg/cond", "close", {"out": jnp.linalg.cond(sing, 1)}, {"x": sing}, p="1", label="singular", **tol)
    ms = [arr((10, 3), 1.0, 72.0), arr((3, 8), 1.0, 73.0), arr((8, 2), 1.0, 74.0), arr((2, 9), 1.0, 75.0)]
    case("jnp7/linalg/multi_dot", "close", {"out": jnp.linalg.multi_dot(ms)}, {f"m{i}": m for i, m in enumerate(ms)},
         rtol=1e-5, atol=1e-5)
    vs = [arr((3,), 1.0, 76.0)] + ms[1:] + [arr((9,), 1.0, 77.0)]
    case("jnp7/linalg/multi_dot", "close", {"out": jnp.linalg.multi_dot(vs)}, {f"m{i}": m for i, m in enumerate(vs)},
         label="vectors", rtol=1e-5, atol=1e-5)
    gs = jax.grad(lambda *t: jnp.sum(jnp.linalg.multi_dot(t) ** 2), argnums=(0, 1, 2, 3))(*ms)
    case("jnp7/grad/linalg/multi_dot", "close", {f"dm{i}": g for i, g in enumerate(gs)},
         {f"m{i}": m for i, m in enumerate(ms)}, rtol=1e-5, atol=1e-4)
    x = arr((2, 3, 4), 2.0, 78.0)
    x[0, 0, 0] = 0.0
    for ordv in (2, 1, 0, np.inf, -np.inf, 3.0, 0.5):
        case("jnp7/linalg/vector_norm", "close", {"out": jnp.linalg.vector_norm(x, ord=ordv)}, {"x": x}, ord=float(ordv),
             label=f"ord={ordv}", rtol=2e-6, atol=1e-6)
        case("jnp7/linalg/vector_norm", "close", {"out": jnp.linalg.vector_norm(x, ord=ordv, axis=(0, 2), keepdims=True)},
             {"x": x}, ord=float(ordv), axis=[0, 2], keepdims=True, label=f"axes/ord={ordv}", rtol=2e-6, atol=1e-6)
    g = jax.grad(lambda t: jnp.sum(jnp.linalg.vector_norm(t, ord=3.0, axis=1)))(x)
    case("jnp7/grad/linalg/vector_norm", "close", {"dx": g}, {"x": x}, ord=3.0, axis=[1], rtol=1e-5, atol=1e-6)
    # full rank (arr()'s sines alone span two directions): the nuclear norm's gradient U V^T is unique then
    xm = x + np.eye(3, 4, dtype=F32) * F32(2.0)
    for ordv in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        case("jnp7/linalg/matrix_norm", "close", {"out": jnp.linalg.matrix_norm(xm, ord=ordv)}, {"x": xm}, ord=str(ordv),
             label=f"ord={ordv}", **tol)
    g = jax.grad(lambda t: jnp.sum(jnp.linalg.matrix_norm(t, ord="nuc")))(xm)
    case("jnp7/grad/linalg/matrix_norm", "close", {"dx": g}, {"x": xm}, ord="nuc", rtol=1e-4, atol=1e-5)
    case("jnp7/linalg/cond", "close", {"out": jax.vmap(jnp.linalg.cond)(sq)}, {"x": sq}, p="None", label="vmap", **tol)
