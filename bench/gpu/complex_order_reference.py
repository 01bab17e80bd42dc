"""jax_reference.py's complex ordering cases (session 16, "complex3").

Every case is named "complexorder/..." and has its twin in StateLensComplexOrderSide.java. A
complex array travels as two float32 tensors NAME_re and NAME_im, as in complex_reference.py.

jnp orders complex numbers lexicographically (real part, then imaginary part): jnp.less/
less_equal/greater/greater_equal, jnp.maximum/minimum (XLA's complex max: x > y ? x : y, so a NaN
is not propagated), jnp.max/min (that max folded in order), jnp.sort/argsort (JAX's sort
comparator: each part in the float order, NaN last, -0 == 0), jnp.unique (a value with a NaN part
becomes nan+0j) and jnp.searchsorted (the sort's order). The cases use the special grid
{0, -0, +-1, +-2.5, +-inf, nan}^2 (its {0, -0, 1, -1, inf, nan}^2 part pairwise), and vectors
with ties; max/min with NaN parts on 33 to 1025 elements and several axes (XLA's tree reduction
order, tree_reduction_cases); lax.cummax/cummin with NaN parts up to 1025 elements, reversed too,
and their gradient (cumulative_extrema_cases). jnp.argmax/argmin,
jnp.clip, jnp.median/quantile and lax.top_k refuse complex64 (ComplexOrderTest checks ours do).
"""

import numpy as np

F32 = np.float32


def complex_order_cases(case, arr):
    import jax.numpy as jnp
    from jax import lax

    def parts(name, z):
        z = np.asarray(z)
        return {name + "_re": np.real(z).astype(F32), name + "_im": np.imag(z).astype(F32)}

    def mk(re, im):
        z = np.empty(np.shape(re), np.complex64)
        z.real, z.imag = re, im
        return z

    def named(name, v):
        v = np.asarray(v)
        return parts(name, v) if np.iscomplexobj(v) else {name: v}

    vals = np.array([0.0, -0.0, 1.0, -1.0, 2.5, -2.5, np.inf, -np.inf, np.nan], F32)
    sre, sim = np.meshgrid(vals, vals)
    special = mk(sre.ravel(), sim.ravel())                     # 81 points
    n = special.size
    # every pair (x, y) of the grid's {0, -0, 1, -1, inf, nan}^2 part: the rules without 6561 pairs
    few = np.array([0.0, -0.0, 1.0, -1.0, np.inf, np.nan], F32)
    fre, fim = np.meshgrid(few, few)
    grid = mk(fre.ravel(), fim.ravel())
    a = np.repeat(grid, grid.size)
    b = np.tile(grid, grid.size)
    ab = {**parts("a", a), **parts("b", b)}
    pairwise = {"less": jnp.less, "less_equal": jnp.less_equal, "greater": jnp.greater,
                "greater_equal": jnp.greater_equal, "maximum": jnp.maximum, "minimum": jnp.minimum}
    for name, f in pairwise.items():
        case(f"complexorder/{name}", "exact", named("out", f(jnp.asarray(a), jnp.asarray(b))), ab)
    # their gradient is lax.max/min's (session 17): a tie halves the cotangent, a NaN part gets none
    import jax
    for name in ("maximum", "minimum"):
        _, pullback = jax.vjp(pairwise[name], jnp.asarray(a), jnp.asarray(b))
        da, db = pullback(jnp.full(a.shape, 1 + 2j, jnp.complex64))
        case(f"complexorder/{name}_vjp", "exact", {**parts("da", da), **parts("db", db)}, ab)

    # sorting: the grid shuffled, and a vector with ties in the real part and exact duplicates
    rng = np.random.default_rng(16)
    shuffled = special[rng.permutation(n)]
    ties = mk(np.round(arr((40,), 1.5, 80.0)).astype(F32), np.round(arr((40,), 1.5, 81.0)).astype(F32))
    matrix = mk(np.round(arr((5, 8), 2.0, 82.0)).astype(F32), np.round(arr((5, 8), 2.0, 83.0)).astype(F32))
    sorts = {
        "sort": lambda x: jnp.sort(x),
        "sort_descending": lambda x: jnp.sort(x, descending=True),
        "argsort": lambda x: jnp.argsort(x),
        "argsort_descending": lambda x: jnp.argsort(x, descending=True),
        "lax_sort": lambda x: lax.sort(x),
        "max": lambda x: jnp.max(x),
        "min": lambda x: jnp.min(x),
    }
    for label, x in (("special", shuffled), ("ties", ties)):
        for name, f in sorts.items():
            case(f"complexorder/{name}", "exact", named("out", f(jnp.asarray(x))), parts("x", x), label=label)
    for name, f in {"sort_axis0": lambda x: jnp.sort(x, axis=0), "argsort_axis0": lambda x: jnp.argsort(x, axis=0),
                    "max_axis1": lambda x: jnp.max(x, axis=1), "min_axis0": lambda x: jnp.min(x, axis=0)}.items():
        case(f"complexorder/{name}", "exact", named("out", f(jnp.asarray(matrix))), parts("x", matrix))
    # unique (every value with a NaN part is one nan+0j) and searchsorted (NaN last, as the sort)
    dup = np.concatenate([ties, ties[:10], shuffled[:20]])
    case("complexorder/unique", "exact", named("out", jnp.unique(jnp.asarray(dup))), parts("x", dup))
    table = np.sort(ties)
    for side in ("left", "right"):
        out = jnp.searchsorted(jnp.asarray(table), jnp.asarray(dup), side=side)
        case("complexorder/searchsorted", "exact", {"out": np.asarray(out)}, {**parts("a", table), **parts("b", dup)},
             label=side, side=side)
    # NaN in a max/min: the fold moves on from a NaN (order matters, as in XLA)
    nans = {"nan_middle": mk(np.array([1, np.nan, 2], F32), np.array([2, 0, 0], F32)),
            "nan_last": mk(np.array([1, np.nan], F32), np.array([2, 0], F32)),
            "nan_first": mk(np.array([np.nan, 1], F32), np.array([0, 2], F32)),
            "nan_imag": mk(np.array([1, 1, 0], F32), np.array([np.nan, 2, 5], F32))}
    for label, x in nans.items():
        for name in ("max", "min"):
            case(f"complexorder/{name}", "exact", named("out", sorts[name](jnp.asarray(x))), parts("x", x), label=label)
    tree_reduction_cases(case, mk, parts)
    cumulative_extrema_cases(case, mk, parts)


def tree_reduction_cases(case, mk, parts):
    """max/min with NaN parts past 32 elements (session 17, jnp11): XLA CPU's tree reduction
    rewriter folds windows of 32 on each reduced axis longer than 32 (the axis padded to a multiple
    of 32, half before, half after), then the partial results, again while an axis is longer than
    32; with NaN parts the answer depends on that order. Small integer parts (ties in the real
    part), NaN in the real part, the imaginary part or both, at random places."""
    import jax.numpy as jnp

    rng = np.random.default_rng(17)

    def with_nans(shape):
        n = int(np.prod(shape))
        re = rng.integers(-4, 5, n).astype(F32)
        im = rng.integers(-4, 5, n).astype(F32)
        re[rng.integers(0, n, max(1, n // 12))] = np.nan
        im[rng.integers(0, n, max(1, n // 12))] = np.nan
        return mk(re, im).reshape(shape)

    shapes = [((33,), [0]), ((40,), [0]), ((64,), [0]), ((65,), [0]), ((100,), [0]), ((1000,), [0]),
              ((1025,), [0]), ((8, 40), [0, 1]), ((40, 3), [0]), ((3, 40), [1]), ((40, 40), [0, 1]),
              ((70, 7), [0]), ((7, 70), [1]), ((34, 2, 40), [0, 2]), ((2, 40), [0])]
    for shape, axes in shapes:
        x = with_nans(shape)
        label = "x".join(map(str, shape)) + "/axes" + "".join(map(str, axes))
        for name, f in (("max_axes", jnp.max), ("min_axes", jnp.min)):
            out = f(jnp.asarray(x), axis=tuple(axes))
            case(f"complexorder/{name}", "exact", parts("out", out), parts("x", x), label=label, axes=axes)


def cumulative_extrema_cases(case, mk, parts):
    """lax.cummax/cummin on complex64 (session 17, jnp11). JAX lowers them to a reduce-window whose
    output i folds elements 0..i front to back (reverse: i..n-1, still front to back); past 16
    elements XLA's reduce-window rewriter makes it a tree (blocks of 16, padded at the end with the
    initial value, the blocks' totals scanned exclusively, then combined). With NaN parts the
    answers depend on that order. Their gradient is the associative scan's (JAX's jvp rule)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    rng = np.random.default_rng(171)

    def with_nans(shape):
        n = int(np.prod(shape))
        re = rng.integers(-4, 5, n).astype(F32)
        im = rng.integers(-4, 5, n).astype(F32)
        re[rng.integers(0, n, max(1, n // 10))] = np.nan
        im[rng.integers(0, n, max(1, n // 10))] = np.nan
        return mk(re, im).reshape(shape)

    lines = [((5,), 0), ((16,), 0), ((17,), 0), ((40,), 0), ((100,), 0), ((257,), 0), ((300,), 0), ((1025,), 0),
             ((40, 3), 0), ((3, 40), 1), ((2, 20, 3), 1)]
    for shape, axis in lines:
        x = with_nans(shape)
        for reverse in (False, True):
            label = "x".join(map(str, shape)) + f"/axis{axis}" + ("/reverse" if reverse else "")
            for name, f in (("cummax", lax.cummax), ("cummin", lax.cummin)):
                out = f(jnp.asarray(x), axis=axis, reverse=reverse)
                case(f"complexorder/{name}", "exact", parts("out", out), parts("x", x), label=label,
                     axis=axis, reverse=reverse)
    # the gradient: a complex cotangent to the running argmax (ties in the real part, no NaN)
    z = mk(np.array([1, 3, 2, 3, 3, 0, 5], F32), np.array([2, -1, 5, 0, 0, 1, -2], F32))
    t = mk(np.arange(1, 8, dtype=F32), np.arange(7, 0, -1, dtype=F32))
    for name, f in (("cummax", lax.cummax), ("cummin", lax.cummin)):
        for reverse in (False, True):
            _, pullback = jax.vjp(lambda v: f(v, axis=0, reverse=reverse), jnp.asarray(z))
            case(f"complexorder/{name}_vjp", "close", parts("out", pullback(jnp.asarray(t))[0]),
                 {**parts("x", z), **parts("t", t)}, label="reverse" if reverse else "forward", reverse=reverse,
                 rtol=1e-6, atol=1e-6)
