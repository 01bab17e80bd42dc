"""jax_reference.py's reciprocal-division cases (session 18, "recip"): where XLA divides by a
multiplication with the reciprocal, as JAX 0.10.2 on CPU shows it, exact bits.

XLA's algebraic simplifier (algebraic_simplifier.cc HandleDivide) rewrites A / Const into
A * InvertConstant(Const) and A / Broadcast(B) into A * Broadcast(1 / B). Read from the optimised
HLO (jax.jit(f).lower(...).compile().as_text() shows multiply for divide) and from the values:

- rewritten: x / 3, x / 3.0, x / jnp.float32(3), x / a rank-0 array (jnp broadcasts it), x[3,4] /
  y[4] and / y[3,1] (a broadcast of a traced array: 1/y is computed on y, then broadcast), inside
  jax.jit with a literal, a closed-over array of any shape (a constant), a traced rank-0 argument;
  jnp.mean (sum / count, a constant); x / sum(x, keepdims=True); floor_divide's division;
  f32, f16 (the reciprocal rounded to f16) and f64; complex64 only for a constant divisor. bf16
  shows the multiply too, but XLA CPU computes it in f32 (an f32 reciprocal, one rounding to bf16),
  which gives the quotient's bits: the bf16 cases show no difference from the division.
- not rewritten: a divisor broadcast only to size-1 axes (x[1] / -3 eager is 0.8333333: XLA makes
  that broadcast a reshape; under jit the literal is a constant, 0.8333334), x / y of the same shape (eager, or traced in jit), lax.div of equal shapes, a
  rank-0 / rank-0 division of traced values, a complex traced divisor, integer division, rem.

Every case is named "recip/<what>"; its twin is StateLensRecipSide.java. x / 0 stays inf (x * inf)
and 0 / 0 nan. A reciprocal that is subnormal (x / 3e38) is where XLA CPU's flush-to-zero shows: 1/3e38
is folded to a subnormal constant and the multiply flushes it, x * 0 = 0; StateLens keeps
subnormals (decisions.md, session 15), so no case divides by a number above 2**126.
"""

import numpy as np

F32 = np.float32


# True once StateLens divides as XLA does (the rewrite is not landed: /work/notes/recip-rewrite.patch,
# decisions.md session 18 "recip"): every case exact. False: the cases compare within 1 ulp (f32 2.4e-7,
# f16 2e-3 relative), as weak/div does, and still record JAX's exact bits.
REWRITE_LANDED = False
ONE_ULP = {"float32": 2.4e-7, "float16": 2e-3, "bfloat16": 1.6e-2}


def recip_cases(exact_case, arr):
    def case(fn, compare, outputs, inputs=None, **args):
        if REWRITE_LANDED:
            return exact_case(fn, compare, outputs, inputs, **args)
        dt = np.asarray(next(iter(outputs.values()))).dtype.name
        return exact_case(fn, "close", outputs, inputs, rtol=ONE_ULP.get(dt, 2.4e-7), atol=0.0, **args)

    import jax
    import jax.numpy as jnp
    from jax import lax

    base = np.concatenate([np.array([-2.5, 1.0, 7.0, 0.1, -0.0, 0.0, 1e-30, 3e38, -6.0], F32), arr((23,), 4.0)])
    dtypes = {"float32": jnp.float32, "bfloat16": jnp.bfloat16, "float16": jnp.float16}

    def kind(s):
        return "int" if isinstance(s, int) else "float"

    for name, dt in dtypes.items():
        x = jnp.asarray(base if name == "float32" else base[:7], dt)
        scalars = [3, -3, -1.5, 7, 0.1, 10.0, 0, 1e30] if name == "float32" else [3, -3, -1.5, 7, 0.1, 10.0, 0]
        for s in scalars:
            case("recip/div_scalar", "exact", {"out": x / s}, {"x": x}, label=f"{name}-{kind(s)}-{s}",
                 s=s, s_type=kind(s))
        d = jnp.asarray(3.0, dt)
        case("recip/div_0d_array", "exact", {"out": x / d}, {"x": x, "d": d}, label=name)
        full = jnp.full(x.shape, 3.0, dt)
        case("recip/div_same_shape", "exact", {"out": x / full}, {"x": x, "y": full}, label=name)
    x34 = arr((3, 4), 5.0)
    for label, y in (("row", np.array([3.0, -1.5, 7.0, 0.1], F32)), ("column", np.array([[3.0], [-3.0], [0.1]], F32))):
        case("recip/div_broadcast", "exact", {"out": jnp.asarray(x34) / y}, {"x": x34, "y": y}, label=label)
    x5 = base[:9]
    case("recip/div_broadcast", "exact", {"out": jnp.asarray(x5) / np.array([-3.0], F32)},
         {"x": x5, "y": np.array([-3.0], F32)}, label="one")
    # one element: the broadcast of the divisor to [1] is a reshape to XLA, so no rewrite, but a constant still is
    x1 = np.array([-2.5], F32)
    case("recip/one_element", "exact", {"out": jnp.asarray(x1) / -3}, {"x": x1}, label="eager")
    case("recip/one_element", "exact", {"out": jax.jit(lambda a: a / -3.0)(x1)}, {"x": x1}, label="jit_literal")
    case("recip/one_element", "exact", {"out": jax.jit(lambda a, b: a / b)(x1, F32(-3.0))}, {"x": x1}, label="jit_traced_0d")
    xs = arr((11,), 3.0)
    case("recip/jit_literal", "exact", {"out": jax.jit(lambda a: a / 3.0)(xs)}, {"x": xs})
    c_full = jnp.full(xs.shape, -3.0, jnp.float32)
    case("recip/jit_closed", "exact", {"out": jax.jit(lambda a: a / c_full)(xs)}, {"x": xs, "c": c_full}, label="full")
    c_var = jnp.asarray(arr((11,), 2.0, offset=1.0) + F32(3.0))
    case("recip/jit_closed", "exact", {"out": jax.jit(lambda a: a / c_var)(xs)}, {"x": xs, "c": c_var}, label="varied")
    d = jnp.asarray(-3.0, jnp.float32)
    case("recip/jit_traced_0d", "exact", {"out": jax.jit(lambda a, b: a / b)(xs, d)}, {"x": xs, "d": d})
    case("recip/jit_traced_same", "exact", {"out": jax.jit(lambda a, b: a / b)(xs, c_var)}, {"x": xs, "y": c_var})
    case("recip/jit_traced_broadcast", "exact", {"out": jax.jit(lambda a, b: a / b)(x34, np.array([3.0, -1.5, 7.0, 0.1], F32))},
         {"x": x34, "y": np.array([3.0, -1.5, 7.0, 0.1], F32)})
    s0 = [np.asarray(v, F32) for v in (-2.5, 2.0, 0.1, 7.0)]
    case("recip/jit_scalar_scalar", "exact", {"out": jnp.stack([jax.jit(lambda a, b: a / b)(a, F32(3.0)) for a in s0])},
         {"x": np.stack(s0)})
    case("recip/scalar_scalar", "exact", {"out": jnp.stack([jnp.asarray(a) / 3.0 for a in s0])}, {"x": np.stack(s0)})
    case("recip/lax_div", "exact", {"out": lax.div(jnp.asarray(xs), c_var)}, {"x": xs, "y": c_var})
    # jnp.mean: sum * (1/count); shapes with counts whose reciprocal is inexact
    # integer data: the sums are exact, so only the division can differ (XLA's f32 sum order is not this map's subject)
    for shape in ((3,), (7,), (12,), (13, 7), (5, 6)):
        m = np.round(arr(shape, 40.0, offset=0.7))
        case("recip/mean", "exact", {"out": jnp.mean(m)}, {"x": m}, label=f"{shape}-all", axis=-1)
        case("recip/mean_jit", "exact", {"out": jax.jit(jnp.mean)(m)}, {"x": m}, label=f"{shape}-all", axis=-1)
        if len(shape) == 2:
            for ax in (0, 1):
                case("recip/mean", "exact", {"out": jnp.mean(m, axis=ax)}, {"x": m}, label=f"{shape}-{ax}", axis=ax)
                case("recip/mean_jit", "exact", {"out": jax.jit(lambda v: jnp.mean(v, axis=ax))(m)}, {"x": m},
                     label=f"{shape}-{ax}", axis=ax)
    n = np.round(arr((4, 6), 9.0, offset=0.2) ** 2) + F32(1.0)
    nj = jnp.asarray(n)
    case("recip/normalise", "exact", {"out": nj / jnp.sum(nj, axis=1, keepdims=True)}, {"x": n})
    case("recip/normalise_jit", "exact", {"out": jax.jit(lambda v: v / jnp.sum(v, axis=1, keepdims=True))(n)}, {"x": n})
    fx = arr((12,), 9.0)
    for s in (3.0, -1.5, 0.1):
        case("recip/floor_divide", "exact", {"out": jnp.floor_divide(jnp.asarray(fx), s)}, {"x": fx}, label=str(s), s=s)
        case("recip/rem", "exact", {"out": lax.rem(jnp.asarray(fx), F32(s))}, {"x": fx}, label=str(s), s=s)
    # complex64: a constant divisor is inverted (1/(3+0j)), a traced one is not
    re, im = arr((9,), 3.0), arr((9,), 2.0, offset=0.5)
    cx = jnp.asarray(re) + 1j * jnp.asarray(im)
    for label, out in (("eager", cx / 3), ("jit_literal", jax.jit(lambda v: v / 3.0)(cx)),
                       ("jit_traced_0d", jax.jit(lambda v, b: v / b)(cx, jnp.asarray(3.0 + 0j, jnp.complex64)))):
        case("recip/complex_div", "exact", {"re": jnp.real(out), "im": jnp.imag(out)}, {"re": re, "im": im}, label=label)
