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
    nonzero_cases(case, arr)
    unique_cases(case, arr)
    index_cases(case, arr)
    statistics_cases(case, arr)
    segment_cases(case, arr)


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


def nonzero_cases(case, arr):
    import jax
    import jax.numpy as jnp

    x = np.array([[0.0, 1.5, 0.0, -2.0], [3.0, 0.0, 0.0, 0.5], [0.0, 0.0, 7.0, 0.0]], F32)  # 5 non-zeros

    def ij(t):
        return {f"i{d}": v for d, v in enumerate(t)}

    case("jnp6/nonzero", "exact", ij(jnp.nonzero(x)), {"x": x}, label="nosize")
    for size in (3, 5, 8):
        case("jnp6/nonzero", "exact", ij(jnp.nonzero(x, size=size)), {"x": x}, size=size, label=f"size{size}")
    case("jnp6/nonzero", "exact", ij(jnp.nonzero(x, size=8, fill_value=-1)), {"x": x}, size=8, fill_value=-1,
         label="fill")
    case("jnp6/nonzero", "exact", ij(jax.jit(lambda t: jnp.nonzero(t > 0.7, size=6, fill_value=9))(x)), {"x": x},
         size=6, fill_value=9, label="jit-bool")
    rows = np.array([[0, 3, 0, 1, 0, 2], [5, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]], np.int32)
    case("jnp6/nonzero", "exact", {"i0": jax.vmap(lambda r: jnp.nonzero(r, size=4, fill_value=-1)[0])(rows)},
         {"x": rows}, size=4, fill_value=-1, label="vmap")
    case("jnp6/flatnonzero", "exact", {"out": jnp.flatnonzero(x), "size": jnp.flatnonzero(x, size=7, fill_value=99),
                                        "cut": jnp.flatnonzero(x, size=2)}, {"x": x})
    case("jnp6/argwhere", "exact", {"out": jnp.argwhere(x), "size": jnp.argwhere(x, size=7, fill_value=-1),
                                     "jit": jax.jit(lambda t: jnp.argwhere(t, size=4))(x),
                                     "scalar": jnp.argwhere(np.float32(3)), "scalar0": jnp.argwhere(np.float32(0))},
         {"x": x})


def unique_cases(case, arr):
    import jax
    import jax.numpy as jnp

    x = np.array([3.0, 1.0, np.nan, 2.0, 1.0, 3.0, np.nan, -4.0, 2.0, 3.0], F32)  # -4, 1, 2, 3, nan: 5 values
    case("jnp6/unique", "exact", {"out": jnp.unique(x)}, {"x": x}, label="nosize")
    for size in (3, 5, 8):
        case("jnp6/unique", "exact", {"out": jnp.unique(x, size=size)}, {"x": x}, size=size, label=f"size{size}")
    case("jnp6/unique", "exact", {"out": jnp.unique(x, size=8, fill_value=-9.0)}, {"x": x}, size=8, fill_value=-9.0,
         label="fill")
    v, idx, inv, cnt = jnp.unique(x, return_index=True, return_inverse=True, return_counts=True)
    case("jnp6/unique_all", "exact", {"values": v, "indices": idx, "inverse": inv, "counts": cnt}, {"x": x},
         label="nosize")
    m = np.array([[2, 7, 2], [0, 7, 5]], np.int32)
    for size in (3, 7):
        v, idx, inv, cnt = jnp.unique(m, return_index=True, return_inverse=True, return_counts=True, size=size)
        case("jnp6/unique_all", "exact", {"values": v, "indices": idx, "inverse": inv, "counts": cnt}, {"x": m},
             size=size, label=f"int-size{size}")
    case("jnp6/unique", "exact", {"out": jax.jit(lambda t: jnp.unique(t, size=6, fill_value=0.0))(x)}, {"x": x},
         size=6, fill_value=0.0, label="jit")
    batch = np.array([[1, 1, 2, 9], [4, 4, 4, 4], [3, 2, 1, 0]], np.int32)
    case("jnp6/unique", "exact", {"out": jax.vmap(lambda r: jnp.unique(r, size=3, fill_value=-1))(batch)},
         {"x": batch}, size=3, fill_value=-1, label="vmap")
    # the values are a gather of the sorted input: the gradient lands on the first occurrence in sort order
    xs = np.array([0.5, -1.0, 2.0, 0.5, 3.0, -1.0], F32)
    w = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], F32)
    g = jax.grad(lambda t: jnp.sum(jnp.unique(t, size=6, fill_value=0.0) * w))(xs)
    case("jnp6/grad/unique", "exact", {"dx": g}, {"x": xs, "w": w}, size=6)


def index_cases(case, arr):
    import jax
    import jax.numpy as jnp

    def ij(t):
        return {f"i{d}": v for d, v in enumerate(t)}

    case("jnp6/triu_indices", "exact", ij(jnp.triu_indices(4, k=1)), n=4, k=1, m=4)
    case("jnp6/triu_indices", "exact", ij(jnp.triu_indices(3, k=-1, m=5)), n=3, k=-1, m=5, label="rect")
    case("jnp6/tril_indices", "exact", ij(jnp.tril_indices(4)), n=4, k=0, m=4)
    case("jnp6/tril_indices", "exact", ij(jnp.tril_indices(5, k=1, m=3)), n=5, k=1, m=3, label="rect")
    a46 = arr((4, 6))
    case("jnp6/triu_indices_from", "exact", ij(jnp.triu_indices_from(a46, k=2)), {"a": a46}, k=2)
    case("jnp6/tril_indices_from", "exact", ij(jnp.tril_indices_from(a46, k=-1)), {"a": a46}, k=-1)
    case("jnp6/diag_indices", "exact", ij(jnp.diag_indices(3, ndim=3)), n=3, ndim=3)
    cube = arr((3, 3, 3))
    case("jnp6/diag_indices_from", "exact", ij(jnp.diag_indices_from(cube)), {"a": cube})

    a = arr((4, 6), 2.0)
    tall = arr((5, 3), 1.0, 1.0)
    vals = np.array([10.0, 20.0], F32)
    case("jnp6/fill_diagonal", "exact",
         {"scalar": jnp.fill_diagonal(a, 9.0, inplace=False), "cube": jnp.fill_diagonal(cube, vals, inplace=False),
          "tall": jnp.fill_diagonal(tall, vals, inplace=False),
          "int": jnp.fill_diagonal(jnp.zeros((3, 3), jnp.int32), 7, inplace=False),
          "jit": jax.jit(lambda t, v: jnp.fill_diagonal(t, v, inplace=False))(a, vals),
          "vmap": jax.vmap(lambda t: jnp.fill_diagonal(t, -1.0, inplace=False))(cube)},
         {"a": a, "cube": cube, "tall": tall, "vals": vals})
    wa = arr((4, 6), 1.0, 2.0)
    da, dv = jax.grad(lambda t, v: jnp.sum(jnp.fill_diagonal(t, v, inplace=False) * wa), argnums=(0, 1))(a, vals)
    case("jnp6/grad/fill_diagonal", "exact", {"da": da, "dv": dv}, {"a": a, "vals": vals, "w": wa})

    case("jnp6/indices", "exact", {"dense": jnp.indices((2, 3, 4)), "f32": jnp.indices((3, 2), dtype=jnp.float32),
                                   "sparse0": jnp.indices((2, 3), sparse=True)[0],
                                   "sparse1": jnp.indices((2, 3), sparse=True)[1]})

    flat = np.array([-20, -13, -12, -1, 0, 5, 11, 12, 100], np.int32)
    case("jnp6/unravel_index", "exact", ij(jnp.unravel_index(flat, (3, 4))), {"flat": flat}, shape=[3, 4])
    case("jnp6/unravel_index", "exact", ij(jax.jit(lambda f: jnp.unravel_index(f, (2, 3, 2)))(flat)), {"flat": flat},
         shape=[2, 3, 2], label="jit")
    rows = np.array([0, 2, 1, 2], np.int32)
    cols = np.array([3, 0, 1, 4], np.int32)
    rows_oob = np.array([-1, 2, 5, 1], np.int32)
    cols_oob = np.array([3, -7, 4, 9], np.int32)
    case("jnp6/ravel_multi_index", "exact",
         {"C": jnp.ravel_multi_index((rows, cols), (3, 5)), "F": jnp.ravel_multi_index((rows, cols), (3, 5), order="F"),
          "clip": jnp.ravel_multi_index((rows_oob, cols_oob), (3, 5), mode="clip"),
          "wrap": jnp.ravel_multi_index((rows_oob, cols_oob), (3, 5), mode="wrap"),
          "jit": jax.jit(lambda r, c: jnp.ravel_multi_index((r, c), (3, 5), mode="wrap"))(rows_oob, cols_oob)},
         {"rows": rows, "cols": cols, "rows_oob": rows_oob, "cols_oob": cols_oob})


def statistics_cases(case, arr):
    import jax
    import jax.numpy as jnp

    # cov/corrcoef: a dot product (XLA's summation order may differ): "close"
    tol = dict(rtol=2e-6, atol=1e-6)
    m = arr((3, 7), 2.0, 0.4)
    y = arr((7,), 1.0, 2.0)
    fw = np.array([1, 2, 1, 3, 1, 1, 2], np.int32)
    aw = np.array([0.5, 1.0, 2.0, 1.0, 0.25, 1.5, 1.0], F32)
    case("jnp6/cov", "close",
         {"out": jnp.cov(m), "y": jnp.cov(m, y), "cols": jnp.cov(m.T, rowvar=False), "bias": jnp.cov(m, bias=True),
          "ddof": jnp.cov(m, ddof=3), "fw": jnp.cov(m, fweights=fw), "aw": jnp.cov(m, aweights=aw),
          "both": jnp.cov(m, fweights=fw, aweights=aw), "one": jnp.cov(y),
          "jit": jax.jit(lambda t: jnp.cov(t))(m), "vmap": jax.vmap(jnp.cov)(arr((2, 3, 5), 1.0, 0.7))},
         {"m": m, "y": y, "fw": fw, "aw": aw, "batch": arr((2, 3, 5), 1.0, 0.7)}, **tol)
    case("jnp6/corrcoef", "close",
         {"out": jnp.corrcoef(m), "y": jnp.corrcoef(m, y), "cols": jnp.corrcoef(m.T, rowvar=False),
          "one": jnp.corrcoef(y)}, {"m": m, "y": y}, **tol)
    wc = arr((3, 3), 1.0, 1.1)
    g = jax.grad(lambda t: jnp.sum(jnp.cov(t) * wc))(m)
    gc = jax.grad(lambda t: jnp.sum(jnp.corrcoef(t) * wc))(m)
    case("jnp6/grad/cov", "close", {"cov": g, "corrcoef": gc}, {"m": m, "w": wc}, rtol=2e-5, atol=1e-5)

    # nancumsum/nancumprod: the same scan as cumsum
    x = arr((3, 5), 1.5, 0.2)
    x[0, 1] = np.nan
    x[2, 0] = np.nan
    x[2, 4] = np.nan
    case("jnp6/nancumsum", "exact", {"ax0": jnp.nancumsum(x, axis=0), "ax1": jnp.nancumsum(x, axis=1),
                                      "flat": jnp.nancumsum(x)}, {"x": x})
    case("jnp6/nancumprod", "exact", {"ax0": jnp.nancumprod(x, axis=0), "ax1": jnp.nancumprod(x, axis=1),
                                       "flat": jnp.nancumprod(x)}, {"x": x})
    wx = arr((3, 5), 1.0, 0.9)
    # the gradients are reverse running sums/products: XLA's order and fused multiply-adds differ by an ulp
    case("jnp6/grad/nancumsum", "close",
         {"sum": jax.grad(lambda t: jnp.sum(jnp.nancumsum(t, axis=1) * wx))(x),
          "prod": jax.grad(lambda t: jnp.sum(jnp.nancumprod(t, axis=1) * wx))(x)}, {"x": x, "w": wx},
         rtol=2e-6, atol=1e-6)

    # gradient: scalar steps, coordinates, one axis, every axis; its own gradient; jit, vmap. The
    # coordinate formula's a*f0 + b*f1 + c*f2 is contracted into fused multiply-adds by XLA: "close"
    f = arr((4, 6), 2.0, 0.3)
    xs = np.array([0.0, 0.5, 1.5, 1.75, 3.0, 4.5], F32)
    gx, gy = jnp.gradient(f)
    case("jnp6/gradient", "close",
         {"all0": gx, "all1": gy, "h": jnp.gradient(f, 0.25, axis=1), "coords": jnp.gradient(f, xs, axis=1),
          "ax0": jnp.gradient(f, 2.0, axis=0), "v1d": jnp.gradient(f[0]),
          "jit": jax.jit(lambda t: jnp.gradient(t, xs, axis=-1))(f),
          "vmap": jax.vmap(lambda r: jnp.gradient(r, 0.5))(f)}, {"f": f, "xs": xs}, rtol=2e-6, atol=1e-6)
    wg = arr((4, 6), 1.0, 1.3)
    case("jnp6/grad/gradient", "close",
         {"df": jax.grad(lambda t: jnp.sum(jnp.gradient(t, xs, axis=1) * wg))(f),
          "dxs": jax.grad(lambda c: jnp.sum(jnp.gradient(f, c, axis=1) * wg))(xs)}, {"f": f, "xs": xs, "w": wg},
         rtol=2e-6, atol=1e-6)

    # piecewise: overlapping conditions (the last true one wins), a default, constants
    t = np.linspace(-3, 3, 13).astype(F32)
    pw = lambda v: jnp.piecewise(v, [v < -1, v > 0, v > 2], [lambda z: -z, lambda z: z ** 2, 7.0, lambda z: jnp.sin(z)])
    pw0 = lambda v: jnp.piecewise(v, [v < 0, v >= 1], [lambda z: z * 3, 1.5])
    case("jnp6/piecewise", "exact", {"out": pw(t), "nodefault": pw0(t), "jit": jax.jit(pw)(t),
                                      "vmap": jax.vmap(pw)(t.reshape(13, 1)),
                                      "grad": jax.grad(lambda v: jnp.sum(pw(v)))(t)}, {"x": t})

    # interp(period=): unsorted xp, x outside one period, negative x
    xp = np.array([190.0, -190.0, 350.0, 10.0, 180.0, -180.0], F32)
    fp = np.array([5.0, 10.0, 3.0, 4.0, 1.0, 2.0], F32)
    xq = np.array([-180.0, -5.0, 0.0, 5.0, 175.0, 185.0, 359.0, 365.0, 725.0, -725.0], F32)
    case("jnp6/interp_period", "close",
         {"out": jnp.interp(xq, xp, fp, period=360.0), "neg": jnp.interp(xq, xp, fp, period=-360.0),
          "jit": jax.jit(lambda a: jnp.interp(a, xp, fp, period=360.0))(xq),
          "grad": jax.grad(lambda a: jnp.sum(jnp.interp(a, xp, fp, period=360.0)))(xq)},
         {"x": xq, "xp": xp, "fp": fp}, rtol=1e-6, atol=1e-6)


def segment_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import ops

    # bucket_size: each block of rows reduced on its own, then the blocks (shorter sums); the sorted hint
    data = arr((10, 3), 2.0, 0.3)
    ids = np.array([0, 0, 1, 1, 1, 2, -1, 3, 3, 9], np.int32)  # a negative and a too-large id: dropped
    reducers = {"sum": ops.segment_sum, "prod": ops.segment_prod, "max": ops.segment_max, "min": ops.segment_min}
    for name, f in reducers.items():
        for b in (1, 3, 4):
            # bucket 1: the final sum over 10 buckets is a reduce_sum whose order XLA picks: "close"
            cmp = dict(compare="close", rtol=2e-6, atol=1e-6) if b == 1 else dict(compare="exact")
            case(f"jnp6/segment_{name}", outputs={"out": f(data, ids, 4, indices_are_sorted=True, bucket_size=b)},
                 inputs={"data": data, "ids": ids}, num_segments=4, bucket_size=b, label=f"bucket{b}", **cmp)
    case("jnp6/segment_sum", "exact",
         {"out": jax.jit(lambda d, i: ops.segment_sum(d, i, 4, bucket_size=3))(data, ids)}, {"data": data, "ids": ids},
         num_segments=4, bucket_size=3, label="jit")
    w = arr((4, 3), 1.0, 1.7)
    g = jax.grad(lambda d: jnp.sum(ops.segment_sum(d, ids, 4, bucket_size=3) * w))(data)
    case("jnp6/grad/segment_sum", "exact", {"dx": g}, {"data": data, "ids": ids, "w": w}, num_segments=4, bucket_size=3)
