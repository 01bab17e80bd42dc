"""jax_reference.py's jnp5 cases (session 12): the jax.ops / jax.numpy / jax.nn names added then
(docs/jax-coverage.md) — jax.ops.segment_sum/prod/max/min, jnp.tensordot, hstack/vstack/dstack/
column_stack, diff/ediff1d, select, histogram/histogram_bin_edges, linalg.lstsq, jax.random.lognormal/rayleigh/wald/triangular, isclose/array_equal/isin/
count_nonzero/ptp/average, nanmax/nanmin/nanprod/nanvar/nanstd, nanargmax/nanargmin,
digitize, trapezoid, jax.nn.log1mexp/logmeanexp/squareplus/soft_sign/sparse_plus/
sparse_sigmoid, lax.conv_transpose — with their gradients, vmap and jit.

Every case is named "jnp5/..." and has its twin in StateLensJnp5Side.java. float32 unless a case
says otherwise; "exact" where StateLens runs the same operations in the same order as XLA's CPU.
"""

import numpy as np

F32 = np.float32


def jnp5_cases(case, arr):
    segment_cases(case, arr)
    shape_cases(case, arr)
    nn_cases(case, arr)
    conv_transpose_cases(case, arr)
    histogram_cases(case, arr)
    lstsq_cases(case, arr)
    random_cases(case)
    metric_cases(case, arr)


def segment_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import ops

    reducers = {"sum": ops.segment_sum, "prod": ops.segment_prod, "max": ops.segment_max, "min": ops.segment_min}
    # ties (rows 0-2 of segment 0), an empty segment (1), a negative id and one past the end (both dropped)
    data = np.array([1.0, 3.0, 3.0, 2.0, 5.0, -1.0, 4.0, 0.5, -2.0], F32)
    ids = np.array([0, 0, 0, 2, 2, -1, 7, 3, 3], np.int32)
    rows = arr((9, 3), 2.0, 0.5)
    ids_int = np.array([1, 0, 1, 1, 4, 2], np.int32)
    ints = np.array([5, -7, 3, 2, 9, 1], np.int32)
    for name, f in reducers.items():
        case(f"jnp5/segment_{name}", "exact", {"out": f(data, ids, 5)}, {"data": data, "ids": ids},
             num_segments=5, label="1d")
        case(f"jnp5/segment_{name}", "exact", {"out": f(rows, ids, 4)}, {"data": rows, "ids": ids},
             num_segments=4, label="rows")
        case(f"jnp5/segment_{name}", "exact", {"out": f(ints, ids_int, 4)}, {"data": ints, "ids": ids_int},
             num_segments=4, label="int32")
        # num_segments inferred from concrete ids: max(ids) + 1 = 8
        case(f"jnp5/segment_{name}", "exact", {"out": f(data, ids)}, {"data": data, "ids": ids}, label="inferred")
        # jit with ids as a traced argument, vmap over a batch of data with shared ids
        jitted = jax.jit(lambda d, i, f=f: f(d, i, 4))
        case(f"jnp5/segment_{name}", "exact", {"out": jitted(rows, ids)}, {"data": rows, "ids": ids},
             num_segments=4, label="jit")
        batch = arr((3, 9), 1.5, 1.0)
        case(f"jnp5/segment_{name}", "exact", {"out": jax.vmap(lambda d, f=f: f(d, ids, 4))(batch)},
             {"data": batch, "ids": ids}, num_segments=4, label="vmap")
        # vmap over the ids too (a batch of graphs with their own edges)
        batch_ids = np.array([[0, 1, 1, 2, 0, 3, 3, 3, 9], [2, 2, 2, 0, 1, 1, -3, 0, 3], [3, 2, 1, 0, 3, 2, 1, 0, 0]],
                             np.int32)
        case(f"jnp5/segment_{name}", "exact", {"out": jax.vmap(lambda d, i, f=f: f(d, i, 4))(batch, batch_ids)},
             {"data": batch, "ids": batch_ids}, num_segments=4, label="vmap-ids")

    # gradients: a weighted sum of the output, so every segment's cotangent differs
    w = arr((5,), 1.0, 2.0)
    for name in ("sum", "max", "min"):
        f = reducers[name]
        g = jax.grad(lambda d, f=f: jnp.sum(jnp.where(jnp.isfinite(f(d, ids, 5)), f(d, ids, 5), 0.0) * w))(data)
        case(f"jnp5/grad/segment_{name}", "exact", {"dx": g}, {"data": data, "ids": ids, "w": w}, num_segments=5)
    wr = arr((4, 3), 1.0, 3.0)
    for name in ("sum", "max", "min"):
        f = reducers[name]
        g = jax.grad(lambda d, f=f: jnp.sum(f(d, ids, 4)[:4] * wr))(rows)
        case(f"jnp5/grad/segment_{name}", "exact", {"dx": g}, {"data": rows, "ids": ids, "w": wr}, num_segments=4,
             label="rows")
    # segment_prod: JAX differentiates it only with unique ids, so the reference is the same product
    # written with jnp.prod over a mask (a zero in segment 2 exercises the product-of-the-others rule)
    pdata = np.array([1.5, 3.0, -2.0, 0.0, 5.0, -1.0, 4.0, 0.5, -2.0], F32)

    def masked_prod(d):
        members = ids[None, :] == np.arange(5)[:, None]
        return jnp.prod(jnp.where(members, d[None, :], 1.0), axis=1)
    assert np.array_equal(np.asarray(masked_prod(pdata)), np.asarray(ops.segment_prod(pdata, ids, 5)))
    g = jax.grad(lambda d: jnp.sum(masked_prod(d) * w))(pdata)
    case("jnp5/grad/segment_prod", "close", {"dx": g}, {"data": pdata, "ids": ids, "w": w}, num_segments=5,
         rtol=1e-6, atol=1e-6)
    # the GNN step: gather sender features, transform, scatter into receivers; the gradient of both
    senders = np.array([0, 1, 2, 3, 4, 0, 2, 4], np.int32)
    receivers = np.array([1, 2, 3, 4, 0, 2, 2, 1], np.int32)
    nodes = arr((5, 3), 1.0, 4.0)
    kernel = arr((3, 2), 0.7, 5.0)

    def gnn_loss(params, x):
        msgs = jnp.tanh(x[senders] @ params)
        agg = ops.segment_sum(msgs, receivers, 5) / jnp.maximum(ops.segment_sum(jnp.ones(8), receivers, 5), 1.0)[:, None]
        top = ops.segment_max(msgs, receivers, 5)
        return jnp.sum(agg ** 2) + jnp.sum(jnp.where(jnp.isfinite(top), top, 0.0))
    gk, gx = jax.grad(gnn_loss, argnums=(0, 1))(kernel, nodes)
    case("jnp5/grad/gnn", "close", {"loss": gnn_loss(kernel, nodes), "dkernel": gk, "dnodes": gx},
         {"kernel": kernel, "nodes": nodes, "senders": senders, "receivers": receivers}, rtol=2e-6, atol=2e-7)


def shape_cases(case, arr):
    import jax
    import jax.numpy as jnp

    a = arr((2, 3, 4), 1.0, 6.0)
    b = arr((4, 3, 5), 1.0, 7.0)
    case("jnp5/tensordot", "close", {"out": jnp.tensordot(a, b, axes=1)}, {"a": a, "b": b}, axes=1, rtol=1e-6, atol=1e-6)
    case("jnp5/tensordot", "close", {"out": jnp.tensordot(a, b, axes=([1, 2], [1, 0]))}, {"a": a, "b": b},
         axes_a=[1, 2], axes_b=[1, 0], rtol=1e-6, atol=1e-6, label="pairs")
    case("jnp5/tensordot", "close", {"out": jnp.tensordot(a, a, axes=0)}, {"a": a, "b": a}, axes=0, rtol=1e-6,
         atol=1e-6, label="outer")
    ga, gb = jax.grad(lambda x, y: jnp.sum(jnp.tensordot(x, y, axes=([1, 2], [1, 0])) ** 2), argnums=(0, 1))(a, b)
    case("jnp5/grad/tensordot", "close", {"da": ga, "db": gb}, {"a": a, "b": b}, rtol=1e-5, atol=1e-5)
    v = arr((3,), 1.0, 8.0)
    m = arr((2, 3), 1.0, 9.0)
    i = np.array([4, 5, 6], np.int32)
    case("jnp5/hstack", "exact", {"vectors": jnp.hstack([v, i, v]), "matrices": jnp.hstack([m, m[:, :1]])},
         {"v": v, "i": i, "m": m})
    case("jnp5/vstack", "exact", {"out": jnp.vstack([v, m, i])}, {"v": v, "i": i, "m": m})
    case("jnp5/dstack", "exact", {"out": jnp.dstack([m, m])}, {"m": m})
    case("jnp5/column_stack", "exact", {"out": jnp.column_stack([m.T, v, i])}, {"v": v, "i": i, "m": m})
    x = arr((3, 6), 2.0, 10.0)
    case("jnp5/diff", "exact", {"out": jnp.diff(x)}, {"x": x}, n=1, axis=-1)
    case("jnp5/diff", "exact", {"out": jnp.diff(x, n=2, axis=0)}, {"x": x}, n=2, axis=0, label="n2-axis0")
    case("jnp5/diff", "exact", {"out": jnp.diff(x, n=3, axis=1, prepend=1.5, append=x[:, :2])},
         {"x": x, "append": x[:, :2]}, n=3, axis=1, prepend=1.5, label="prepend-append")
    case("jnp5/diff", "exact", {"out": jnp.diff(x > 0, axis=1)}, {"x": x}, n=1, axis=1, label="bool")
    case("jnp5/diff", "exact", {"out": jnp.diff(x, n=7)}, {"x": x}, n=7, axis=-1, label="too-many")
    w = arr((3, 4), 1.0, 11.0)
    g = jax.grad(lambda t: jnp.sum(jnp.diff(t, n=2, axis=1) * w))(x)
    case("jnp5/grad/diff", "exact", {"dx": g}, {"x": x, "w": w}, n=2, axis=1)
    case("jnp5/ediff1d", "exact", {"out": jnp.ediff1d(x, to_end=v, to_begin=np.float32(-3.0))},
         {"x": x, "to_end": v, "to_begin": np.float32(-3.0)})
    case("jnp5/vmap/diff", "exact", {"out": jax.vmap(lambda r: jnp.diff(r, n=2))(x)}, {"x": x})
    y = arr((4, 5), 3.0, 12.0)
    conds = [y < -1.0, y > 1.5, y < 0.0]
    choices = [y * 2.0, jnp.sin(y), np.float32(7.0) * jnp.ones(5, F32)]
    case("jnp5/select", "exact", {"out": jnp.select(conds, choices, default=-9.0)}, {"x": y}, label="default")
    case("jnp5/select", "exact", {"out": jnp.select(conds, choices)}, {"x": y})
    gy = jax.grad(lambda t: jnp.sum(jnp.select([t < -1.0, t > 1.5, t < 0.0], [t * 2.0, jnp.sin(t), t ** 2],
                                               default=t * 3.0) * y))(y)
    case("jnp5/grad/select", "exact", {"dx": gy}, {"x": y})


def nn_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import nn

    edges = np.array([0.0, -0.0, -1.0, 1.0, -2.0, 2.0, 0.5, -0.5, 1e-6, 50.0, -50.0, np.inf, -np.inf, np.nan], F32)
    x = np.concatenate([edges, arr((40,), 4.0, 13.0)])
    pos = np.concatenate([np.array([1e-7, 1e-3, 0.5, 0.69314718, 0.6931472, 0.7, 1.0, 5.0, 20.0, 100.0, np.inf,
                                    0.0], F32), np.abs(arr((20,), 5.0, 14.0)) + F32(1e-3)])
    tol = dict(rtol=2e-6, atol=1e-30)
    for name, f, inp in (("log1mexp", nn.log1mexp, pos), ("squareplus", nn.squareplus, x),
                         ("soft_sign", nn.soft_sign, x), ("sparse_plus", nn.sparse_plus, x),
                         ("sparse_sigmoid", nn.sparse_sigmoid, x), ("swish", nn.swish, x)):
        case(f"jnp5/nn/{name}", "close", {"out": f(inp)}, {"x": inp}, **tol)
        fin = inp[np.isfinite(inp)]
        # the derivative formulas (JAX's jvp rules, StateLens's vjp rules) cancel differently near 0
        case(f"jnp5/grad/nn/{name}", "close", {"dx": jax.grad(lambda t, f=f: jnp.sum(f(t)))(fin)}, {"x": fin},
             rtol=2e-6, atol=1e-7)
    case("jnp5/nn/squareplus", "close", {"out": nn.squareplus(x, 0.25)}, {"x": x}, b=0.25, label="b", **tol)
    m = arr((3, 5), 10.0, 15.0)
    case("jnp5/nn/logmeanexp", "close", {"out": nn.logmeanexp(m, axis=1), "all": nn.logmeanexp(m),
                                         "keep": nn.logmeanexp(m, axis=0, keepdims=True)}, {"x": m}, **tol)
    case("jnp5/grad/nn/logmeanexp", "close", {"dx": jax.grad(lambda t: jnp.sum(nn.logmeanexp(t, axis=1) ** 2))(m)},
         {"x": m}, **tol)


def conv_transpose_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import lax

    x = arr((2, 5, 4, 3), 1.0, 16.0)     # NHWC
    k = arr((3, 3, 3, 2), 0.5, 17.0)     # HWIO
    tol = dict(rtol=1e-5, atol=1e-5)
    for strides in ((2, 2), (1, 1), (3, 2)):
        for padding in ("SAME", "VALID"):
            out = lax.conv_transpose(x, k, strides, padding)
            case("jnp5/conv_transpose", "close", {"out": out}, {"x": x, "k": k}, strides=list(strides), padding=padding,
                 label=f"{padding}-{strides[0]}x{strides[1]}", **tol)
    k4 = arr((4, 4, 3, 2), 0.5, 18.0)
    case("jnp5/conv_transpose", "close", {"out": lax.conv_transpose(x, k4, (2, 2), "SAME", rhs_dilation=(1, 2))},
         {"x": x, "k": k4}, strides=[2, 2], padding="SAME", rhs_dilation=[1, 2], label="k4-dilated", **tol)
    case("jnp5/conv_transpose", "close", {"out": lax.conv_transpose(x, k, (2, 2), ((1, 2), (0, 1)))},
         {"x": x, "k": k}, strides=[2, 2], pads=[[1, 2], [0, 1]], label="explicit", **tol)
    kt = arr((3, 3, 2, 3), 0.5, 19.0)  # HWIO with I/O swapped: transpose_kernel swaps them back
    case("jnp5/conv_transpose", "close", {"out": lax.conv_transpose(x, kt, (2, 2), "SAME", transpose_kernel=True)},
         {"x": x, "k": kt}, strides=[2, 2], padding="SAME", transpose_kernel=True, label="transpose-kernel", **tol)
    xc = np.transpose(x, (0, 3, 1, 2))  # NCHW / OIHW
    kc = np.transpose(k, (3, 2, 0, 1))
    case("jnp5/conv_transpose", "close",
         {"out": lax.conv_transpose(xc, kc, (2, 2), "SAME", dimension_numbers=("NCHW", "OIHW", "NCHW"))},
         {"x": xc, "k": kc}, strides=[2, 2], padding="SAME", dimension_numbers=["NCHW", "OIHW", "NCHW"], label="nchw",
         **tol)
    w = arr(lax.conv_transpose(x, k, (2, 2), "SAME").shape, 1.0, 20.0)
    gx, gk = jax.grad(lambda a, b: jnp.sum(lax.conv_transpose(a, b, (2, 2), "SAME") * w), argnums=(0, 1))(x, k)
    case("jnp5/grad/conv_transpose", "close", {"dx": gx, "dk": gk}, {"x": x, "k": k, "w": w}, **tol)
    case("jnp5/vmap/conv_transpose", "close",
         {"out": jax.vmap(lambda a: lax.conv_transpose(a, k, (2, 2), "SAME"))(x[:, None])}, {"x": x, "k": k}, **tol)


def histogram_cases(case, arr):
    import jax
    import jax.numpy as jnp

    # the edges come from a jitted linspace that XLA's CPU ends with a fused multiply-add; StateLens
    # rounds the product first, so an edge can be an ulp or two off (counts are integers: exact)
    ulps = dict(rtol=2.5e-7, atol=3e-7)

    # values on the edges (0, 1 and the last edge 2), outside the range, and a NaN
    a = np.concatenate([np.array([0.0, 1.0, 2.0, -0.5, 2.5, 0.4, 1.999, np.nan], F32), arr((40,), 1.2, 21.0) + F32(1.0)])
    w = arr(a.shape, 1.0, 22.0)
    for bins in (1, 5, 10):
        counts, edges = jnp.histogram(a, bins=bins, range=(0.0, 2.0))
        case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": a}, bins=bins, range=[0.0, 2.0],
             label=f"bins{bins}", **ulps)
    finite = a[np.isfinite(a)]
    counts, edges = jnp.histogram(finite, bins=7)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": finite}, bins=7, label="data-range", **ulps)
    counts, edges = jnp.histogram(a, bins=6, range=(-1.0, 3.0), weights=w, density=True)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": a, "w": w}, bins=6, range=[-1.0, 3.0],
         density=True, rtol=1e-6, atol=1e-7, label="weights-density")
    counts, edges = jnp.histogram(a, bins=4, range=(1.0, 1.0))
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": a}, bins=4, range=[1.0, 1.0],
         label="empty-range", **ulps)
    e = np.array([-1.0, 0.0, 0.3, 1.5, 2.0], F32)
    counts, edges = jnp.histogram(a, bins=e, weights=w)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": a, "w": w, "edges": e}, label="edges", **ulps)
    ints = np.array([3, 1, 4, 1, 5, 9, 2, 6], np.int32)
    counts, edges = jnp.histogram(ints, bins=4)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": ints}, bins=4, label="int32", **ulps)
    case("jnp5/histogram_bin_edges", "close", {"out": jnp.histogram_bin_edges(finite, bins=9)}, {"a": finite}, bins=9, **ulps)
    jitted = jax.jit(lambda t: jnp.histogram(t, bins=7))
    counts, edges = jitted(finite)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": finite}, bins=7, label="jit", **ulps)
    rows = arr((3, 16), 2.0, 23.0)
    counts, edges = jax.vmap(lambda t: jnp.histogram(t, bins=5))(rows)
    case("jnp5/histogram", "close", {"counts": counts, "edges": edges}, {"a": rows}, bins=5, label="vmap", **ulps)
    g = jax.grad(lambda v: jnp.sum(jnp.histogram(a, bins=6, range=(-1.0, 3.0), weights=v, density=True)[0] ** 2))(w)
    case("jnp5/grad/histogram", "close", {"dw": g}, {"a": a, "w": w}, rtol=1e-5, atol=1e-6)


def lstsq_cases(case, arr):
    import jax
    import jax.numpy as jnp

    # StateLens's SVD is one-sided Jacobi, LAPACK's is gesdd: the same x to rounding, not bit for bit
    tol = dict(rtol=2e-4, atol=2e-5)
    # a plain arr() has rank 2 (a sine of a linear phase spans {sin, cos}): add a diagonal
    a = arr((6, 3), 1.0, 24.0) + np.eye(6, 3, dtype=F32) * F32(2.0)
    b = arr((6,), 1.0, 25.0)
    bm = arr((6, 2), 1.0, 26.0)
    for label, aa, bb in (("tall", a, b), ("tall-cols", a, bm), ("wide", a.T.copy(), b[:3].copy())):
        x, resid, rank, s = jnp.linalg.lstsq(aa, bb)
        case("jnp5/lstsq", "close", {"x": x, "residuals": resid, "rank": rank, "s": s}, {"a": aa, "b": bb},
             label=label, **tol)
    # rank-deficient: the third column is the sum of the first two; the minimum-norm solution
    d = a.copy()
    d[:, 2] = d[:, 0] + d[:, 1]
    x, resid, rank, s = jnp.linalg.lstsq(d, b)
    case("jnp5/lstsq", "close", {"x": x, "residuals": resid, "rank": rank}, {"a": d, "b": b}, label="rank-deficient",
         rtol=1e-3, atol=1e-4)
    ga, gb = jax.grad(lambda p, q: jnp.sum(jnp.linalg.lstsq(p, q)[0] ** 2), argnums=(0, 1))(a, b)
    case("jnp5/grad/lstsq", "close", {"da": ga, "db": gb}, {"a": a, "b": b}, rtol=1e-3, atol=1e-4)
    batch = arr((3, 5, 2), 1.0, 27.0) + np.eye(5, 2, dtype=F32) * F32(2.0)
    rhs = arr((3, 5), 1.0, 28.0)
    case("jnp5/vmap/lstsq", "close", {"x": jax.vmap(lambda p, q: jnp.linalg.lstsq(p, q)[0])(batch, rhs)},
         {"a": batch, "b": rhs}, **tol)


def random_cases(case):
    import jax
    import jax.numpy as jnp

    r = jax.random
    # the samplers' exp/log/sqrt: XLA's f32 against the engine's; "close" at a few ulp
    tol = dict(rtol=2e-6, atol=1e-7)
    for seed in (0, 42):
        key = r.key(seed)
        for dt in (jnp.float32, jnp.float16):
            name = np.dtype(dt).name
            t = tol if dt == jnp.float32 else dict(rtol=2e-3, atol=1e-3)
            case("jnp5/random/lognormal", "close", {"out": r.lognormal(key, 0.7, (40,), dt)}, seed=seed, sigma=0.7,
                 shape=[40], dtype=name, label=name, **t)
            case("jnp5/random/rayleigh", "close", {"out": r.rayleigh(key, 1.5, (40,), dt)}, seed=seed, scale=1.5,
                 shape=[40], dtype=name, label=name, **t)
            case("jnp5/random/wald", "close", {"out": r.wald(key, 2.0, (40,), dt)}, seed=seed, mean=2.0, shape=[40],
                 dtype=name, label=name, **t)
            case("jnp5/random/triangular", "close", {"out": r.triangular(key, -1.0, 0.5, 3.0, (40,), dt)}, seed=seed,
                 left=-1.0, mode=0.5, right=3.0, shape=[40], dtype=name, label=name, **t)


def metric_cases(case, arr):
    import jax
    import jax.numpy as jnp

    a = np.array([1.0, 1.00001, np.inf, -np.inf, np.inf, np.nan, np.nan, 0.0, 1e-9, 100.0, 3.0, -2.0], F32)
    b = np.array([1.0, 1.0, np.inf, np.inf, 5.0, np.nan, 1.0, 1e-9, 0.0, 100.001, 3.1, -2.0], F32)
    case("jnp5/isclose", "exact", {"default": jnp.isclose(a, b), "loose": jnp.isclose(a, b, rtol=0.05, atol=0.01),
                                   "equal_nan": jnp.isclose(a, b, equal_nan=True)}, {"a": a, "b": b})
    case("jnp5/array_equal", "exact", {"same": jnp.array_equal(a, a), "nan": jnp.array_equal(a, a, equal_nan=True),
                                       "other": jnp.array_equal(b[:3], b[:3]), "shape": jnp.array_equal(a, a[:3])},
         {"a": a, "b": b})
    el = np.array([[1, 5, 2], [7, 3, 3]], np.int32)
    test = np.array([3, 1, 9], np.int32)
    case("jnp5/isin", "exact", {"out": jnp.isin(el, test), "invert": jnp.isin(el, test, invert=True)},
         {"a": el, "b": test})
    m = arr((4, 5), 2.0, 29.0)
    m[1, 2] = 0.0
    m[3, 0] = 0.0
    case("jnp5/count_nonzero", "exact", {"all": jnp.count_nonzero(m), "axis0": jnp.count_nonzero(m, axis=0),
                                         "axis1": jnp.count_nonzero(m, axis=1)}, {"x": m})
    case("jnp5/ptp", "exact", {"all": jnp.ptp(m), "axis1": jnp.ptp(m, axis=1)}, {"x": m})
    w = np.abs(arr((4, 5), 1.0, 30.0)) + F32(0.1)
    w1 = np.abs(arr((5,), 1.0, 31.0)) + F32(0.1)
    tol = dict(rtol=1e-6, atol=1e-7)
    case("jnp5/average", "close", {"plain": jnp.average(m), "axis": jnp.average(m, axis=0),
                                   "weights": jnp.average(m, weights=w), "weights_axis": jnp.average(m, axis=1, weights=w),
                                   "w1": jnp.average(m, axis=1, weights=w1)}, {"x": m, "w": w, "w1": w1}, **tol)
    gx, gw = jax.grad(lambda x, v: jnp.sum(jnp.average(x, axis=1, weights=v) ** 2), argnums=(0, 1))(m, w1)
    case("jnp5/grad/average", "close", {"dx": gx, "dw": gw}, {"x": m, "w1": w1}, **tol)
    n = arr((4, 6), 3.0, 32.0)
    n[0, 1] = np.nan
    n[2, :] = np.nan
    n[3, 4] = np.nan
    case("jnp5/nan_reductions", "close", {"nanmax": jnp.nanmax(n, axis=1), "nanmin": jnp.nanmin(n, axis=1),
                                          "nanprod": jnp.nanprod(n, axis=1), "nanvar": jnp.nanvar(n, axis=1),
                                          "nanstd": jnp.nanstd(n, axis=1), "nanmax_all": jnp.nanmax(n),
                                          "nanvar0": jnp.nanvar(n, axis=0)}, {"x": n}, **tol)
    case("jnp5/nanargmax", "exact", {"max": jnp.nanargmax(n, axis=1), "min": jnp.nanargmin(n, axis=1),
                                     "max0": jnp.nanargmax(n, axis=0)}, {"x": n})
    v = np.concatenate([np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 3.5, np.nan], F32), arr((12,), 2.0, 33.0)])
    inc = np.array([0.0, 1.0, 1.0, 2.5, 3.0], F32)
    case("jnp5/digitize", "exact", {"left": jnp.digitize(v, inc), "right": jnp.digitize(v, inc, right=True),
                                    "decreasing": jnp.digitize(v, inc[::-1].copy()),
                                    "decreasing_right": jnp.digitize(v, inc[::-1].copy(), right=True)},
         {"x": v, "bins": inc})
    y = arr((3, 7), 2.0, 34.0)
    xs = np.cumsum(np.abs(arr((7,), 1.0, 35.0)) + F32(0.1)).astype(F32)
    case("jnp5/trapezoid", "close", {"dx": jnp.trapezoid(y, dx=0.25), "x": jnp.trapezoid(y, x=xs),
                                     "axis0": jnp.trapezoid(y, dx=2.0, axis=0)}, {"y": y, "xs": xs},
         rtol=1e-6, atol=1e-6)
    gy = jax.grad(lambda t: jnp.sum(jnp.trapezoid(t, x=xs) ** 2))(y)
    case("jnp5/grad/trapezoid", "close", {"dy": gy}, {"y": y, "xs": xs}, rtol=1e-6, atol=1e-6)
    g = jax.grad(lambda x: jnp.sum(jnp.nanvar(x, axis=1)[jnp.array([0, 1, 3])]) +
                 jnp.sum(jnp.nanmax(x, axis=1)[jnp.array([0, 1, 3])]))(n)
    case("jnp5/grad/nan_reductions", "close", {"dx": g}, {"x": n}, **tol)
