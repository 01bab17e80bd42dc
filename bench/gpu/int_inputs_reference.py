"""jax_reference.py's integer-input autodiff cases (session 19, "engine14").

Every case is named "intinputs/..." and has its twin in StateLensIntInputsSide.java. JAX gives an
integer or bool input a float0 tangent (jvp, linearize) and a float0 or int32-zeros cotangent
(vjp; jacrev(allow_int=True) gives int32 zeros); float0 has no values and no JSON form. StateLens
has no float0 dtype (docs/decisions.md): there an integer leaf's tangent and cotangent are zeros of
the leaf's own dtype. So where JAX returns float0, this script first checks that it did (dtype
float0, the primal's shape) and writes zeros of the primal's dtype, which is what the Java side
must return; the case's "float0" argument lists those outputs and the twin checks their dtype.

Cases: jvp of x * n + float(n) (f32 x, int32 n; exact), of an integer function (its tangent
float0), of an int-to-float function, of a where with a bool mask, of sin(x) * n + x ** 2 (close:
XLA's sin), jvp under jit; linearize with an integer leaf (two tangents, and vmapped over a batch of
tangents); jacrev(allow_int=True) of a float/int pair (int32 zeros for n); vjp of the same (float0
for n). jacfwd/hessian/jacrev without allow_int refuse integer inputs in JAX; IntegerInputsJvpTest
checks that ours refuse them too.
"""

import numpy as np

F32 = np.float32


def int_inputs_cases(case, arr):
    import jax
    import jax.numpy as jnp

    float0 = jax.dtypes.float0

    def like_float0(primal, tangent):
        """JAX's float0 tangent of an integer primal, as StateLens writes it: zeros of the primal's dtype."""
        tangent = np.asarray(tangent)
        assert tangent.dtype == float0 and tangent.shape == np.shape(primal), (tangent.dtype, tangent.shape)
        return np.zeros(np.shape(primal), np.asarray(primal).dtype)

    x = arr((5,), 2.0, 90.0)
    n = np.array([2, -3, 0, 7, 1], np.int32)
    t = arr((5,), 1.0, 91.0)
    m = np.array([True, False, True, True, False])
    zeros0 = np.zeros(5, float0)

    def f(p):
        return p[0] * p[1] + p[1].astype(jnp.float32)

    y, ty = jax.jvp(f, ((x, n),), ((t, zeros0),))
    case("intinputs/jvp_mixed", "exact", {"y": y, "ty": ty}, {"x": x, "n": n, "t": t})

    y, ty = jax.jvp(lambda k: k * 3 - 1, (n,), (zeros0,))
    case("intinputs/jvp_int_out", "exact", {"y": y, "ty": like_float0(n, ty)}, {"n": n}, float0=["ty"])

    y, ty = jax.jvp(lambda k: k.astype(jnp.float32) * 2.5, (n,), (zeros0,))
    case("intinputs/jvp_int_to_float", "exact", {"y": y, "ty": ty}, {"n": n})

    y, ty = jax.jvp(lambda p: jnp.where(p[1], p[0] * 2, p[0]), ((x, m),), ((t, zeros0),))
    case("intinputs/jvp_bool_mask", "exact", {"y": y, "ty": ty}, {"x": x, "m": m, "t": t})

    def g(p):
        return jnp.sin(p[0]) * p[1] + p[0] ** 2

    y, ty = jax.jvp(g, ((x, n),), ((t, zeros0),))
    case("intinputs/jvp_sin", "close", {"y": y, "ty": ty}, {"x": x, "n": n, "t": t}, rtol=2e-6, atol=1e-6)

    def k(p):  # no product feeding a sum: XLA contracts those into an FMA under jit (decisions.md, 2026-11-27)
        return (p[0] + p[1].astype(jnp.float32)) * p[1]

    y, ty = jax.jit(lambda p, d: jax.jvp(k, (p,), (d,)))((x, n), (t, zeros0))
    case("intinputs/jvp_jit", "exact", {"y": y, "ty": ty}, {"x": x, "n": n, "t": t})

    t2 = arr((5,), 3.0, 92.0)
    y, f_jvp = jax.linearize(f, (x, n))
    case("intinputs/linearize", "exact", {"y": y, "ty": f_jvp((t, zeros0)), "ty2": f_jvp((t2, zeros0))},
         {"x": x, "n": n, "t": t, "t2": t2})

    batch = arr((4, 5), 1.0, 93.0)
    case("intinputs/linearize_vmap", "exact", {"ty": jax.vmap(lambda d: f_jvp((d, zeros0)))(batch)},
         {"x": x, "n": n, "batch": batch})

    def h(p):
        return jnp.sum(p[0] * p[1]) * p[0]

    jx, jn = jax.jacrev(h, allow_int=True)((x, n))
    assert jn.dtype == jnp.int32, jn.dtype  # JAX's jacrev gives int32 zeros here, not float0
    case("intinputs/jacrev_allow_int", "close", {"jx": jx, "jn": jn}, {"x": x, "n": n}, rtol=1e-6, atol=1e-6)

    out, pullback = jax.vjp(f, (x, n))
    cx, cn = pullback(t)[0]
    case("intinputs/vjp", "exact", {"y": out, "cx": cx, "cn": like_float0(n, cn)}, {"x": x, "n": n, "t": t},
         float0=["cn"])
