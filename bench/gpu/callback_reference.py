"""What real JAX does with host callbacks, eval_shape, linearize and linear_transpose.

Prints the observations that CallbackTest, PureCallbackTest and EvalShapeLinearizeTest (engine)
record as their expected values: how often and with which shapes a callback is called under jit,
vmap, grad and scan, the errors JAX raises, and the numbers of eval_shape/linearize/linear_transpose.
Unlike jax_reference.py's cases these are call logs and error texts, not arrays, so they are not in
the jaxref JSON.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/gpu/callback_reference.py
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax.experimental import io_callback

seen = []


def cb(*a):
    seen.append([np.asarray(x).tolist() for x in a])


def show(label):
    print(f"{label}: {seen}")
    seen.clear()


def main():
    print("jax", jax.__version__)
    f = jax.jit(lambda n: (jax.debug.callback(cb, n, n + 1), n + 1)[1])
    n = jnp.float32(0)
    for _ in range(3):
        n = f(n)
    show("jit debug.callback, 3 calls")
    jax.vmap(lambda x: (jax.debug.callback(cb, x), x * 2)[1])(jnp.arange(3.))
    show("vmap debug.callback")
    print("grad", jax.grad(lambda x: (jax.debug.callback(cb, x), x * x)[1])(3.))
    show("grad debug.callback")
    jax.jit(lambda c: jax.lax.scan(lambda c, x: (jax.debug.callback(cb, c), (c + x, None))[1],
                                   c, jnp.arange(3.))[0])(0.)
    show("scan debug.callback")

    shapes = []

    def host(x):
        shapes.append(np.shape(x))
        return np.sin(x)

    sd = jax.ShapeDtypeStruct((), jnp.float32)
    xs = jnp.arange(3.)
    for m in [None, "sequential", "expand_dims", "broadcast_all"]:
        try:
            out = jax.vmap(lambda x: jax.pure_callback(host, sd, x, vmap_method=m))(xs)
            print(f"pure_callback vmap_method={m}: {out} host shapes {shapes}")
        except Exception as e:  # noqa: BLE001 - the error is the observation
            print(f"pure_callback vmap_method={m}: {type(e).__name__}: {e}")
        shapes.clear()

    def host2(x, y):
        shapes.append((np.shape(x), np.shape(y)))
        return (np.asarray(x) + np.asarray(y)).astype(np.float32)

    for m in ["expand_dims", "broadcast_all"]:
        out = jax.vmap(lambda x: jax.pure_callback(host2, sd, x, jnp.float32(10.), vmap_method=m))(xs)
        print(f"unmapped operand, {m}: {out} host shapes {shapes}")
        shapes.clear()
    vmap_methods()
    for label, fn in [("grad pure_callback", lambda: jax.grad(lambda x: jax.pure_callback(host, sd, x))(1.)),
                      ("wrong shape", lambda: jax.jit(lambda x: jax.pure_callback(
                          lambda x: np.zeros((2,), np.float32), sd, x))(1.)),
                      ("vmap ordered io_callback", lambda: jax.vmap(
                          lambda x: io_callback(host, sd, x, ordered=True))(xs))]:
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            print(f"{label}: {type(e).__name__}: {str(e).splitlines()[-1]}")
    out = jax.vmap(lambda x: io_callback(host, sd, x))(xs)
    print(f"vmap unordered io_callback: {out} host shapes {shapes}")

    print("eval_shape", jax.eval_shape(lambda x, y: {"a": x @ y, "b": x.sum()},
                                       jax.ShapeDtypeStruct((2, 3), jnp.float32), jnp.ones((3, 4))))
    y, f_jvp = jax.linearize(lambda x: jnp.sin(x) * x, jnp.array([1., 2.]))
    print("linearize", y, f_jvp(jnp.array([1., 0.])), f_jvp(jnp.array([0., 1.])))
    t = jax.linear_transpose(lambda x: 2 * x + x[::-1], jnp.zeros(3))
    print("linear_transpose", t(jnp.array([1., 2., 3.])))
    linear_transpose_refusals()
    integer_linear_transpose()


def linear_transpose_refusals():
    """Which functions JAX 0.10.2's linear_transpose transposes (applied to ones) and which it refuses."""
    from jax import lax
    idx = jnp.arange(3)
    cases = {
        "sin": jnp.sin, "exp": jnp.exp, "tanh": jnp.tanh, "square": jnp.square, "max": lambda x: jnp.maximum(x, 0.),
        "abs": jnp.abs, "pow": lambda x: 2. ** x, "reduce_max": jnp.max, "sort": jnp.sort, "cumprod": jnp.cumprod,
        "x*x": lambda x: x * x, "sign*x": lambda x: jnp.sign(x) * x, "x@x": lambda x: x @ x, "x/x": lambda x: x / x,
        "1/x": lambda x: 1. / x, "where(x>0)": lambda x: jnp.where(x > 0, x, 0.),
        "x[argmax(x)]": lambda x: x[jnp.argmax(x)] * jnp.ones(3),
        "x+1": lambda x: x + 1., "2x+1": lambda x: 2 * x + 1., "1-x": lambda x: 1. - x,
        "x*arange": lambda x: x * jnp.arange(3.), "x/2": lambda x: x / 2., "cumsum": jnp.cumsum,
        "x-x": lambda x: x - x, "mean": jnp.mean, "where(const)": lambda x: jnp.where(idx > 0, x, 0.),
        "concat": lambda x: jnp.concatenate([x, x]).reshape(2, 3).sum(0),
        "x*sin(arange)": lambda x: x * jnp.sin(jnp.arange(3.)), "dead sin": lambda x: (jnp.sin(x), 2 * x)[1],
        "(x>0) f32": lambda x: (x > 0).astype(jnp.float32), "take const": lambda x: x[jnp.array([0, 0, 2])],
        "cond": lambda x: lax.cond(True, lambda y: 2 * y, lambda y: -y, x),
        "cond pred(x)": lambda x: lax.cond(x[0] > 0, lambda y: 2 * y, lambda y: -y, x),
        "cond sin": lambda x: lax.cond(True, jnp.sin, lambda y: -y, x),
        "scan": lambda x: lax.scan(lambda c, a: (c + a, 2 * c), 0., x)[1],
        "scan sin": lambda x: lax.scan(lambda c, a: (c + jnp.sin(a), 2 * c), 0., x)[1],
        "fori_loop": lambda x: lax.fori_loop(0, 3, lambda i, c: c * 2, x),
        "while": lambda x: lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * 2), (0, x))[1],
        "checkpoint": jax.checkpoint(lambda x: 2 * x), "checkpoint sin": jax.checkpoint(jnp.sin),
        "pure_callback": lambda x: jax.pure_callback(lambda v: v, jax.ShapeDtypeStruct((3,), jnp.float32), x),
        "astype int32": lambda x: x.astype(jnp.int32),
    }
    cv = jax.custom_vjp(lambda x: 2 * x)
    cv.defvjp(lambda x: (2 * x, None), lambda r, g: (2 * g,))
    cases["custom_vjp"] = cv
    x = jnp.zeros(3)
    for label, f in cases.items():
        try:
            t = jax.linear_transpose(f, x)
            out = jax.eval_shape(f, x)
            print(f"linear_transpose {label}: {t(jnp.ones(out.shape, out.dtype))[0].tolist()}")
        except Exception as e:  # noqa: BLE001 - the refusal is the observation
            print(f"linear_transpose {label}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")


def integer_linear_transpose():
    """JAX 0.10.2 transposes integer -> integer functions too (session 17, jnp11: LinearTransposeTest's
    integer cases): in wrapping integer arithmetic; dot_general and an integer convert_element_type
    give float0; bool and int -> float are refused, as x * x and where(x > 0, ...) are."""
    from jax import lax
    i32 = lambda *v: jnp.array(v, jnp.int32)  # noqa: E731
    a = jnp.arange(6, dtype=jnp.int32).reshape(2, 3)
    cases = {
        "2x": (lambda x: 2 * x, i32(1, 1, 1)), "x+1": (lambda x: x + 1, i32(1, 1, 1)),
        "3x+rev": (lambda x: 3 * x + x[::-1], i32(1, 2, 3)),
        "cumsum rev - 2 sum": (lambda x: jnp.cumsum(x)[::-1] - 2 * x.sum(), i32(1, 2, 3)),
        "take": (lambda x: x[jnp.array([0, 0, 2])], i32(1, 1, 1)),
        "where(const)": (lambda x: jnp.where(jnp.array([True, False, True]), x, 0), i32(1, 1, 1)),
        "x[1:]": (lambda x: x[1:], i32(1, 1)), "x-x": (lambda x: x - x, i32(1, 1, 1)),
        "x * 2^30": (lambda x: x * jnp.int32(2 ** 30), i32(4, 1, 3)),
        "a@x": (lambda x: a @ x, i32(1, 1)), "astype int8": (lambda x: x.astype(jnp.int8), jnp.ones(3, jnp.int8)),
        "cond": (lambda x: lax.cond(True, lambda y: 2 * y, lambda y: -y, x), i32(1, 1, 1)),
        "scan": (lambda x: lax.scan(lambda c, v: (c + v, 2 * c), jnp.int32(0), x)[1], i32(1, 1, 1)),
        "x*x": (lambda x: x * x, i32(1, 1, 1)), "where(x>0)": (lambda x: jnp.where(x > 0, x, 0), i32(1, 1, 1)),
        "astype f32": (lambda x: x.astype(jnp.float32), jnp.ones(3)),
    }
    for label, (f, ct) in cases.items():
        try:
            print(f"linear_transpose int32 {label}: {jax.linear_transpose(f, jnp.zeros(3, jnp.int32))(ct)[0]}")
        except Exception as e:  # noqa: BLE001 - the refusal is the observation
            print(f"linear_transpose int32 {label}: {type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}")
    t = jax.linear_transpose(lambda x: x * jnp.uint32(3), jnp.zeros(3, jnp.uint32))
    print(f"linear_transpose uint32 3x: {t(jnp.array([2 ** 32 - 1, 1, 2], jnp.uint32))[0]}")
    try:
        jax.linear_transpose(lambda x: x, jnp.zeros(3, bool))
    except TypeError as e:
        print(f"linear_transpose bool: TypeError: {e}")


def vmap_methods():
    """Every vmap_method of JAX 0.10.2 with y unmapped, x unmapped and nested (x inner, y outer)."""
    shapes = []
    sd = jax.ShapeDtypeStruct((), jnp.float32)
    xs = jnp.arange(3.)
    for m in ["sequential", "sequential_unrolled", "expand_dims", "broadcast_all", "legacy_vectorized"]:
        def host(x, y):
            shapes.append((np.shape(x), np.shape(y)))
            x, y = np.asarray(x), np.asarray(y)
            if m == "legacy_vectorized" and x.ndim == 1 and y.ndim == 1 and x.shape != y.shape:
                return (y[:, None] + x[None, :]).astype(np.float32)  # nested: x (3,), y (2,) -> (2, 3)
            return (x + y).astype(np.float32)
        call = lambda x, y: jax.pure_callback(host, sd, x, y, vmap_method=m)  # noqa: E731
        outs = [jax.jit(jax.vmap(lambda x: call(x, jnp.float32(10.))))(xs).tolist(),
                jax.vmap(lambda y: call(jnp.float32(5.), y))(xs).tolist(),
                jax.vmap(jax.vmap(call, in_axes=(0, None)), in_axes=(None, 0))(xs, jnp.array([100., 200.])).tolist()]
        print(f"vmap methods, {m}: {outs} host shapes {shapes}")
        shapes.clear()
    jaxpr = str(jax.make_jaxpr(jax.vmap(lambda x: jax.pure_callback(
        lambda v: v, sd, x, vmap_method="sequential_unrolled")))(xs))
    print("sequential_unrolled stages", " ".join(l.strip() for l in jaxpr.splitlines() if "scan" in l or "unroll" in l))
    try:  # vectorized= is gone in 0.10.2: it reaches the callback as a keyword argument
        jax.pure_callback(lambda x: x, sd, jnp.float32(1.), vectorized=True)
    except Exception as e:  # noqa: BLE001
        print(f"vectorized=True: {type(e).__name__}: {str(e).splitlines()[-1]}")


if __name__ == "__main__":
    main()
