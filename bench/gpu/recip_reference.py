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


# True since StateLens divides as XLA does (ir.ReciprocalDivision, EagerReciprocal; decisions.md session 19
# "recip2"): every case exact. False would compare within 1 ulp (f32 2.4e-7, f16 2e-3 relative), still
# recording JAX's exact bits, for an engine run with -Dstatelens.reciprocalDivision=false.
REWRITE_LANDED = True
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
    # vmap: XLA compiles the batched graph, so the batched shapes decide (session 19, recip2): a per-example
    # scalar divided by an unbatched -3 is rewritten (eager -2.5 / -3 is not), a batched divisor broadcast
    # only to size-1 axes ([n,1] / d[n]) is not, one broadcast along a real axis ([n,4] / d[n]) is
    xv = np.array([-2.5, 1.0, 7.0, 0.1, -6.0], F32)
    dv = np.array([-3.0, -3.0, 7.0, 0.1, -1.5], F32)
    x54 = arr((5, 4), 5.0)
    for label, out, ins in (("scalar_examples", jax.vmap(lambda v: v / -3.0)(xv), {"x": xv}),
                            ("one_element_examples", jax.vmap(lambda v: v / -3.0)(xv.reshape(5, 1)), {"x": xv.reshape(5, 1)}),
                            ("batched_one_element", jax.vmap(lambda v, d: v / d)(xv.reshape(5, 1), dv), {"x": xv.reshape(5, 1), "d": dv}),
                            ("batched_scalar", jax.vmap(lambda v, d: v / d)(xv, dv), {"x": xv, "d": dv}),
                            ("batched_row", jax.vmap(lambda v, d: v / d)(x54, dv), {"x": x54, "d": dv})):
        case("recip/vmap", "exact", {"out": out}, ins, label=label)
    m53 = np.round(arr((5, 3), 40.0, offset=0.7))
    case("recip/vmap_mean", "exact", {"out": jax.vmap(jnp.mean)(m53)}, {"x": m53})
    # derivatives: the cotangent of x / -3 is ct / -3, rewritten eagerly (grad's backward graph divides once)
    # and under jit (a literal); the weights are arguments, a closed-over cotangent would be folded exactly
    w = np.array([-2.5, 1.0, 7.0, 0.1, 2.5, -2.5, 7.0, 0.2], F32)
    xg = arr((8,), 3.0)
    div_loss = lambda v, ww: jnp.sum((v / -3.0) * ww)
    case("recip/grad_div", "exact", {"out": jax.grad(div_loss)(xg, w)}, {"x": xg, "w": w}, label="eager")
    case("recip/grad_div", "exact", {"out": jax.jit(jax.grad(div_loss))(xg, w)}, {"x": xg, "w": w}, label="jit")
    traced_loss = lambda v, ww, d: jnp.sum((v / d) * ww)
    case("recip/grad_div", "exact", {"out": jax.jit(jax.grad(traced_loss))(xg, w, F32(-3.0))}, {"x": xg, "w": w},
         label="jit_traced_0d")
    xm = arr((3, 8), 3.0)
    mean_loss = lambda v, ww: jnp.sum(jnp.mean(v, axis=0) * ww)
    case("recip/grad_mean", "exact", {"out": jax.grad(mean_loss)(xm, w)}, {"x": xm, "w": w}, label="eager")
    case("recip/grad_mean", "exact", {"out": jax.jit(jax.grad(mean_loss))(xm, w)}, {"x": xm, "w": w}, label="jit")
    # jit of jvp: a literal divisor is inverted for the primal and the tangent; a traced rank-0 divisor is
    # broadcast once for both divisions (XLA's CSE), and XLA inverts a broadcast only for its one user
    jvp_literal = jax.jit(lambda v, t: jax.jvp(lambda u: u / -3.0, (v,), (t,)))(xg, w)
    jvp_traced = jax.jit(lambda v, t, d: jax.jvp(lambda u: u / d, (v,), (t,)))(xg, w, F32(-3.0))
    for label, (p_out, t_out) in (("literal", jvp_literal), ("traced_0d", jvp_traced)):
        case("recip/jit_jvp", "exact", {"primal": p_out, "tangent": t_out}, {"x": xg, "t": w}, label=label)
    shared = jax.jit(lambda v, t, d: (v / d, t / d))(xg, w, F32(-3.0))
    case("recip/jit_shared_divisor", "exact", {"first": shared[0], "second": shared[1]}, {"x": xg, "t": w, "d": F32(-3.0)})
    # complex64: a constant divisor is inverted (1/(3+0j)), a traced one is not
    re, im = arr((9,), 3.0), arr((9,), 2.0, offset=0.5)
    cx = jnp.asarray(re) + 1j * jnp.asarray(im)
    for label, out in (("eager", cx / 3), ("jit_literal", jax.jit(lambda v: v / 3.0)(cx)),
                       ("jit_traced_0d", jax.jit(lambda v, b: v / b)(cx, jnp.asarray(3.0 + 0j, jnp.complex64)))):
        case("recip/complex_div", "exact", {"re": jnp.real(out), "im": jnp.imag(out)}, {"re": re, "im": im}, label=label)
