"""jax_reference.py's complex64 math and autodiff cases (session 15, "complex2").

Every case is named "complex/..." and has its twin in StateLensComplexSide.java. A complex array
travels as two float32 tensors NAME_re and NAME_im, as in fft_reference.py.

- complex/unary/FN/generic: log, sqrt, rsqrt, sin, cos, tan, sinh, cosh, tanh, expm1, log1p,
  reciprocal, exp on points of every quadrant and magnitude (1e-3 .. 30), both sides of the
  negative real axis and near |z| = 1; tolerance a few ulp of the larger part.
- complex/unary/FN/special: the grid {0, -0, +-1, +-2.5, +-inf, nan} x the same: infinities, NaNs
  and zeros must be where XLA's CPU puts them (atol 0), finite values within rtol 4e-6 (measured:
  at most 4 ulp). The comparison does not see the sign of a zero; ComplexMathTest pins those.
- complex/pow, integer_pow, prod, cumsum, cumprod, mean, dot, vdot, isnan, isfinite, where.
- complex/grad/*, complex/jvp/*, complex/vjp/*, complex/jac*/: JAX's conventions for autodiff
  through complex values (holomorphic grad, complex tangents and cotangents).
"""

import numpy as np

F32 = np.float32


def complex_cases(case, arr):
    import jax
    import jax.numpy as jnp
    from jax import lax

    def parts(name, z):
        z = np.asarray(z)
        return {name + "_re": np.real(z).astype(F32), name + "_im": np.imag(z).astype(F32)}

    def mk(re, im):
        z = np.empty(np.shape(re), np.complex64)
        z.real, z.imag = re, im
        return z

    def c(re, im):
        return lax.complex(jnp.asarray(re), jnp.asarray(im))

    def named(name, v):
        return parts(name, v) if np.iscomplexobj(v) else {name: np.asarray(v)}

    def out_of(v):
        return named("out", v)

    # points: every quadrant, magnitudes 1e-3 .. 30, the negative real axis from both sides (+-0
    # and +-1e-30 imaginary parts), the unit circle
    mags = np.array([1e-3, 0.1, 0.5, 0.99, 1.0, 1.01, 2.0, 7.5, 30.0])
    angles = np.array([0.0, 0.3, 1.2, np.pi / 2, 2.0, 3.0, -0.3, -1.2, -np.pi / 2, -2.0, -3.0])
    gre = (mags[:, None] * np.cos(angles[None, :])).ravel()
    gim = (mags[:, None] * np.sin(angles[None, :])).ravel()
    axis_re = np.array([-0.5, -1.0, -2.0, -0.5, -1.0, -2.0, -3.0, -3.0, 2.0, 2.0, 0.0, -0.0])
    axis_im = np.array([0.0, 0.0, 0.0, -0.0, -0.0, -0.0, 1e-30, -1e-30, 0.0, -0.0, 2.0, -2.0])
    generic = mk(np.concatenate([gre, axis_re]).astype(F32), np.concatenate([gim, axis_im]).astype(F32))
    vals = np.array([0.0, -0.0, 1.0, -1.0, 2.5, -2.5, np.inf, -np.inf, np.nan], F32)
    sre, sim = np.meshgrid(vals, vals)
    special = mk(sre.ravel(), sim.ravel())
    unary = {
        "log": jnp.log, "sqrt": jnp.sqrt, "rsqrt": lax.rsqrt, "sin": jnp.sin, "cos": jnp.cos, "tan": jnp.tan,
        "sinh": jnp.sinh, "cosh": jnp.cosh, "tanh": jnp.tanh, "expm1": jnp.expm1, "log1p": jnp.log1p,
        "reciprocal": jnp.reciprocal, "exp": jnp.exp,
    }
    for name, f in unary.items():
        for label, z in (("generic", generic), ("special", special)):
            out = np.asarray(f(jnp.asarray(z)))
            # trig/hyperbolic of |z| up to 30 grow to e^30: a relative tolerance on each part
            case(f"complex/unary/{name}", "close", parts("out", out), parts("x", z), label=label,
                 rtol=4e-6, atol=2e-6 if label == "generic" else 0.0)

    # pow (complex exponent, real exponent, integer_pow), reductions, dot/vdot, predicates, where
    a = mk(arr((7,), 1.5, 60.0), arr((7,), 1.5, 61.0))
    b = mk(arr((7,), 1.0, 62.0), arr((7,), 1.0, 63.0))
    ab = {**parts("a", a), **parts("b", b)}
    m = mk(arr((3, 4), 1.0, 64.0), arr((3, 4), 1.0, 65.0))
    mm = {**parts("a", m), **parts("b", mk(arr((4, 2), 1.0, 66.0), arr((4, 2), 1.0, 67.0)))}
    binary = {
        "pow": (lambda x, y: x ** y, ab),
        "pow_real": (lambda x, y: x ** 2.5, ab),
        "pow_negative_axis": (lambda x, y: jnp.asarray(np.array([-4, -1, -0.25], np.complex64)) ** 0.5, ab),
        "integer_pow_2": (lambda x, y: x ** 2, ab),
        "integer_pow_5": (lambda x, y: x ** 5, ab),
        "integer_pow_-3": (lambda x, y: x ** -3, ab),
        "reciprocal_div": (lambda x, y: 1 / x + y / x, ab),
        "prod": (lambda x, y: jnp.prod(x), ab),
        "prod_axis": (lambda x, y: jnp.prod(x, axis=1), mm),
        "cumsum": (lambda x, y: jnp.cumsum(x), ab),
        "cumprod": (lambda x, y: jnp.cumprod(x), ab),
        "cumprod_axis0": (lambda x, y: jnp.cumprod(x, axis=0), mm),
        "mean_axis": (lambda x, y: jnp.mean(x, axis=0), mm),
        "dot": (lambda x, y: jnp.dot(x, y), ab),
        "dot_matrix": (lambda x, y: jnp.dot(x, y), mm),
        "vdot": (lambda x, y: jnp.vdot(x, y), ab),
        "vdot_matrix": (lambda x, y: jnp.vdot(x, x), mm),
        "where": (lambda x, y: jnp.where(jnp.abs(x) > 1, x, y), ab),
        "where_scalar": (lambda x, y: jnp.where(jnp.real(x) > 0, x, 0.5), ab),
    }
    # bit for bit since jnp12: XLA CPU's multiply (one FMA per part), chlo.square, and the scans'
    # tree order; prod of up to 32 elements is XLA's plain fold, which our last cumprod element
    # equals only up to 16
    exact = {"integer_pow_2", "integer_pow_5", "prod", "prod_axis", "cumprod", "cumprod_axis0"}
    for name, (f, inputs) in binary.items():
        out = f(c(inputs["a_re"], inputs["a_im"]), c(inputs["b_re"], inputs["b_im"]))
        if name in exact:
            case(f"complex/binary/{name}", "exact", out_of(out), inputs)
        else:
            case(f"complex/binary/{name}", "close", out_of(out), inputs, rtol=4e-6, atol=1e-6)
    complex_bits_cases(case, mk, parts)
    for name, f in (("isnan", jnp.isnan), ("isfinite", jnp.isfinite), ("isinf", jnp.isinf)):
        case(f"complex/predicate/{name}", "exact", {"out": np.asarray(f(jnp.asarray(special)))}, parts("x", special))

    # autodiff: holomorphic grad (the complex derivative f'(z), summed over a vector of points)
    z = mk(arr((5,), 1.2, 70.0), arr((5,), 1.2, 71.0))
    zin = parts("z", z)
    holo = {
        "square": lambda z: z * z, "cube": lambda z: z ** 3, "sin": jnp.sin, "cos": jnp.cos, "tan": jnp.tan,
        "log": jnp.log, "sqrt": jnp.sqrt, "exp_mul": lambda z: jnp.exp(z) * z, "reciprocal": lambda z: 1 / z,
        "tanh": jnp.tanh, "sinh_cosh": lambda z: jnp.sinh(z) * jnp.cosh(z), "log1p_expm1": lambda z: jnp.log1p(z) + jnp.expm1(z),
        "pow": lambda z: z ** (0.5 + 0.25j), "rsqrt": lax.rsqrt,
    }
    for name, f in holo.items():
        g = jax.grad(lambda zz: f(zz).sum(), holomorphic=True)(jnp.asarray(z))
        case(f"complex/grad/holomorphic/{name}", "close", parts("out", g), zin, rtol=2e-5, atol=2e-6)
    # real losses of complex inputs (holomorphic=False): JAX's conjugated gradient
    real_losses = {
        "abs2": lambda z: (jnp.abs(z) ** 2).sum(),
        "abs": lambda z: jnp.abs(z).sum(),
        "real_log": lambda z: jnp.real(jnp.log(z)).sum(),
        "imag_sqrt": lambda z: jnp.imag(jnp.sqrt(z) * z).sum(),
        "abs_sin_conj": lambda z: jnp.abs(jnp.sin(z) * jnp.conj(z)).sum(),
        "angle_tanh": lambda z: jnp.angle(jnp.tanh(z)).sum(),
    }
    for name, f in real_losses.items():
        g = jax.grad(f)(jnp.asarray(z))
        case(f"complex/grad/real/{name}", "close", parts("out", g), zin, rtol=2e-5, atol=2e-6)
    # jvp with complex tangents, vjp with complex cotangents
    t = mk(arr((5,), 1.0, 72.0), arr((5,), 1.0, 73.0))
    fns = {
        "square": lambda z: z * z, "sin": jnp.sin, "log": jnp.log, "exp": jnp.exp,
        "abs2": lambda z: jnp.abs(z) ** 2, "conj_mul": lambda z: jnp.conj(z) * jnp.cos(z),
        "real_imag": lambda z: jax.lax.complex(jnp.real(z) ** 2, jnp.imag(z) * jnp.real(z)),
    }
    for name, f in fns.items():
        primal, tangent = jax.jvp(f, (jnp.asarray(z),), (jnp.asarray(t),))
        case(f"complex/jvp/{name}", "close", {**named("out", primal), **named("tangent", tangent)},
             {**zin, **parts("t", t)}, rtol=2e-5, atol=2e-6)
        out, pullback = jax.vjp(f, jnp.asarray(z))
        ct = np.asarray(t) if np.iscomplexobj(out) else np.real(t).astype(F32)
        (g,) = pullback(jnp.asarray(ct))
        case(f"complex/vjp/{name}", "close", parts("out", g), {**zin, **parts("t", t)}, rtol=2e-5, atol=2e-6)
    # custom_vjp on complex arguments and outputs: bwd gets the output cotangent as JAX's own VJPs
    # pass it (for a holomorphic f, ct * f'(z), no conjugate) and its answer is the argument's
    # cotangent as it is, so a bwd that conjugates gives the conjugated gradient
    def custom(bwd_conj):
        f = jax.custom_vjp(lambda z: jnp.sin(z) * z)
        deriv = lambda z: jnp.cos(z) * z + jnp.sin(z)
        f.defvjp(lambda z: (f(z), z), lambda z, g: (g * (jnp.conj(deriv(z)) if bwd_conj else deriv(z)),))
        return f
    cf, cconj = custom(False), custom(True)
    zj, tj = jnp.asarray(z), jnp.asarray(t)
    cvjp = {
        "grad_holomorphic": lambda: jax.grad(lambda z: cf(z).sum(), holomorphic=True)(zj),
        "grad_holomorphic_conj_bwd": lambda: jax.grad(lambda z: cconj(z).sum(), holomorphic=True)(zj),
        "grad_real_abs": lambda: jax.grad(lambda z: jnp.abs(cf(z)).sum())(zj),
        "grad_real_imag": lambda: jax.grad(lambda z: jnp.imag(cf(z) * z).sum())(zj),
        "vjp": lambda: jax.vjp(cf, zj)[1](tj)[0],
        "jit_grad_real_abs": lambda: jax.jit(jax.grad(lambda z: jnp.abs(cf(z)).sum()))(zj),
        "vmap_vjp": lambda: jax.vmap(lambda z, t: jax.vjp(cf, z)[1](t)[0])(zj, tj),
    }
    for name, run in cvjp.items():
        case(f"complex/customvjp/{name}", "close", parts("out", run()), {**zin, **parts("t", t)}, rtol=2e-5, atol=2e-6)
    # a real argument with a complex output, and a complex and a real argument together
    rc_f = jax.custom_vjp(lambda x: x * (1 + 2j) * x)
    rc_f.defvjp(lambda x: (rc_f(x), x), lambda x, g: (jnp.real(g * (2 + 4j) * x),))
    xr = arr((5,), 1.0, 81.0)
    case("complex/customvjp/real_to_complex", "close",
         {"out": np.asarray(jax.grad(lambda x: jnp.abs(rc_f(x) + 1j).sum())(jnp.asarray(xr)))}, {"x": xr},
         rtol=2e-5, atol=2e-6)
    two = jax.custom_vjp(lambda z, x: z * x)
    two.defvjp(lambda z, x: (two(z, x), (z, x)), lambda r, g: (g * r[1], jnp.real(g * r[0])))
    gz, gx = jax.grad(lambda z, x: jnp.abs(two(z, x) - 0.5j).sum(), argnums=(0, 1))(zj, jnp.asarray(xr))
    case("complex/customvjp/two_args", "close", {**parts("dz", gz), "dx": np.asarray(gx)}, {**zin, "x": xr},
         rtol=2e-5, atol=2e-6)
    # a real input through complex intermediates: jvp/jacfwd of a real -> complex map
    x = arr((4,), 1.0, 74.0)
    xt = arr((4,), 1.0, 75.0)
    rc = lambda x: jnp.exp(1j * x) * (x + 2j)
    primal, tangent = jax.jvp(rc, (jnp.asarray(x),), (jnp.asarray(xt),))
    case("complex/jvp/real_to_complex", "close", {**parts("out", primal), **parts("tangent", tangent)},
         {"x": x, "t": xt}, rtol=2e-5, atol=2e-6)
    case("complex/jacfwd/real_to_complex", "close", parts("out", jax.jacfwd(rc)(jnp.asarray(x))), {"x": x},
         rtol=2e-5, atol=2e-6)
    # Jacobians: holomorphic (complex -> complex), and jacrev of a real output of complex inputs
    z3 = mk(arr((3,), 1.0, 76.0), arr((3,), 1.0, 77.0))
    hf = lambda z: jnp.sin(z) * z[::-1] + z ** 2
    case("complex/jacfwd/holomorphic", "close", parts("out", jax.jacfwd(hf, holomorphic=True)(jnp.asarray(z3))),
         parts("z", z3), rtol=2e-5, atol=2e-6)
    case("complex/jacrev/holomorphic", "close", parts("out", jax.jacrev(hf, holomorphic=True)(jnp.asarray(z3))),
         parts("z", z3), rtol=2e-5, atol=2e-6)
    rf = lambda z: jnp.abs(z * z[::-1]) + jnp.real(jnp.log(z))
    case("complex/jacrev/real_output", "close", parts("out", jax.jacrev(rf)(jnp.asarray(z3))), parts("z", z3),
         rtol=2e-5, atol=2e-6)
    # FNO-like: real parameters, complex intermediates (rfft, mode mask, complex weights, irfft)
    u = arr((2, 16), 1.0, 78.0)
    wr = arr((3, 5), 0.5, 79.0)
    wi = arr((3, 5), 0.5, 80.0)

    def spectral(u, wr, wi):
        uf = jnp.fft.rfft(u)[:, :5]                      # keep 5 modes
        mixed = jnp.einsum("bm,km->bkm", uf, wr + 1j * wi)  # 3 channels
        full = jnp.pad(mixed, ((0, 0), (0, 0), (0, 9 - 5)))
        return jnp.tanh(jnp.fft.irfft(full, n=16)).sum(axis=1)

    loss = lambda u, wr, wi: ((spectral(u, wr, wi) - u) ** 2).mean()
    gs = jax.grad(loss, argnums=(0, 1, 2))(jnp.asarray(u), jnp.asarray(wr), jnp.asarray(wi))
    case("complex/grad/spectral1d", "close", {"du": np.asarray(gs[0]), "dwr": np.asarray(gs[1]),
                                              "dwi": np.asarray(gs[2]), "loss": np.asarray(loss(u, wr, wi))},
         {"u": u, "wr": wr, "wi": wi}, rtol=2e-5, atol=2e-6)



def complex_bits_cases(case, mk, parts):
    """complex/bits/*: c64 multiply, square and running products with XLA CPU's bits (jnp12).

    XLA's CPU kernel computes re = fma(a, c, -(b*d)), im = fma(b, c, a*d) (LLVM contracts its
    ac - bd, bc + ad), jnp.square is chlo.square's (a-b)(a+b) + 2abi, and cumprod folds in the
    reduce-window rewriter's tree past 16 elements. Inputs: random points of every magnitude
    (1e-6 .. 1e6), products that overflow f32, zeros, infinities and NaNs.
    """
    import jax
    import jax.numpy as jnp
    from jax import lax

    rng = np.random.default_rng(12)

    def rnd(n, spread):
        scale = lambda: np.exp(rng.uniform(-spread, spread, n))
        return mk((rng.standard_normal(n) * scale()).astype(F32), (rng.standard_normal(n) * scale()).astype(F32))

    a, b = rnd(2000, 14.0), rnd(2000, 14.0)
    edge = np.array([0.0, -0.0, 1.0, -2.5, 1e30, -1e30, 3e38, 1e-30, np.inf, -np.inf, np.nan], F32)
    ere, eim = np.meshgrid(edge, edge)
    e = mk(ere.ravel(), eim.ravel())
    a, b = np.concatenate([a, e, e]), np.concatenate([b, e, e[::-1]])
    ab = {**parts("a", a), **parts("b", b)}
    ja, jb = jnp.asarray(a), jnp.asarray(b)
    case("complex/bits/mul", "exact", parts("out", ja * jb), ab)
    case("complex/bits/square", "exact", parts("out", jnp.square(ja)), ab)
    case("complex/bits/integer_pow_3", "exact", parts("out", ja ** 3), ab)
    # not bit for bit: inside one fused kernel LLVM fuses, of two products, the one with fewer uses
    # into the FMA, which depends on the whole chain; points of moderate size (the parts cancel)
    ca, cb = rnd(2000, 1.0), rnd(2000, 1.0)
    case("complex/bits/mul_chain_jit", "close", parts("out", jax.jit(lambda x, y: (x * y) * x + y * jnp.conj(y))(
        jnp.asarray(ca), jnp.asarray(cb))), {**parts("a", ca), **parts("b", cb)}, rtol=1e-5, atol=1e-5)
    # running products: near the unit circle so that long lines neither overflow nor vanish
    for n in (5, 16, 17, 33, 100, 300):
        x = mk((1 + 0.3 * rng.standard_normal(n)).astype(F32), (0.3 * rng.standard_normal(n)).astype(F32))
        for rev in (False, True):
            out = lax.cumprod(jnp.asarray(x), reverse=rev)
            case("complex/bits/cumprod", "exact", parts("out", out), parts("a", x), axis=0, reverse=rev,
                 label=f"{n}{'/reverse' if rev else ''}")
    m = mk((1 + 0.3 * rng.standard_normal((20, 40))).astype(F32), (0.3 * rng.standard_normal((20, 40))).astype(F32))
    for axis in (0, 1):
        case("complex/bits/cumprod", "exact", parts("out", jnp.cumprod(jnp.asarray(m), axis=axis)), parts("a", m),
             axis=axis, reverse=False, label=f"20x40/axis{axis}")
    x = mk((1 + 0.3 * rng.standard_normal(16)).astype(F32), (0.3 * rng.standard_normal(16)).astype(F32))
    case("complex/bits/prod", "exact", parts("out", jnp.prod(jnp.asarray(x))), parts("a", x), label="16")
    division_and_power_bits_cases(case, mk, parts)
    product_bits_cases(case, mk, parts)


def product_bits_cases(case, mk, parts):
    """complex/bits/prod/...: jnp.prod of c64 in XLA CPU's reduction order (jnp13).

    Past 32 elements on a reduced axis XLA folds windows of 32 (the axis padded half before, half
    after) and then the partial products, each fold from 1+0j in row-major order; the multiply is
    not associative in f32, so the order shows in the bits. Near-unit values so that 1100 factors
    neither overflow nor vanish (1025 and 1100: two window levels); one line with zeros, infinities
    and NaN.
    """
    import jax.numpy as jnp

    rng = np.random.default_rng(14)

    def near_one(shape):
        return mk((1 + 0.2 * rng.standard_normal(shape)).astype(F32), (0.2 * rng.standard_normal(shape)).astype(F32))

    for n in (17, 31, 32, 33, 64, 65, 100, 1025, 1100):
        x = near_one(n)
        case("complex/bits/prod", "exact", parts("out", jnp.prod(jnp.asarray(x))), parts("a", x), axes=[0],
             label=f"{n}")
    for shape, axes in (((5, 300), [1]), ((300, 5), [0]), ((40, 50), [0, 1]), ((3, 40, 50), [1, 2]),
                        ((40, 3, 50), [0, 2]), ((33, 2, 70), [0, 2]), ((2, 1100), [1])):
        x = near_one(shape)
        case("complex/bits/prod", "exact", parts("out", jnp.prod(jnp.asarray(x), axis=tuple(axes))), parts("a", x),
             axes=axes, label="x".join(map(str, shape)) + "/axes" + "".join(map(str, axes)))
    x = near_one(200)
    x[[3, 50, 120]] = [0, complex(np.inf, 1), complex(0.5, np.nan)]
    case("complex/bits/prod", "exact", parts("out", jnp.prod(jnp.asarray(x))), parts("a", x), axes=[0],
         label="200/specials")


def division_and_power_bits_cases(case, mk, parts):
    """complex/bits/{div,pow,pow_real,mul,square,abs}/...: XLA CPU's f32 code for c64 divide and power (jnp13).

    divide is the emitter's Smith quotient in f32 with LLVM's FMAs and C99 Annex G's special
    answers; power is |x|^c e^(-d arg x) (cos, sin)(c arg x + d log|x|) with glibc's powf, atan2f and
    sincosf and XLA's own exp/log, then its special cases. XLA's kernels run with subnormals flushed
    (FTZ/DAZ), which the edge grid's subnormal parts (1e-40, -3e-39) and its subnormal results
    (1/3e38) show; mul and square on that grid too. Random points: every magnitude (1e-6 .. 1e6) for
    divide, moderate bases and exponents for power (and every magnitude, which overflows).
    """
    from jax import lax
    import jax.numpy as jnp

    rng = np.random.default_rng(13)

    def rnd(n, spread_re, spread_im=None):
        spread_im = spread_re if spread_im is None else spread_im
        scale = lambda s: np.exp(rng.uniform(-s, s, n))
        return mk((rng.standard_normal(n) * scale(spread_re)).astype(F32),
                  (rng.standard_normal(n) * scale(spread_im)).astype(F32))

    edge = np.array([0.0, -0.0, 1.0, -1.0, -2.5, 0.5, 1e30, -1e30, 3e38, 1e-30, 1e-40, -3e-39,
                     np.inf, -np.inf, np.nan], F32)
    ere, eim = np.meshgrid(edge, edge)
    e = mk(ere.ravel(), eim.ravel())                        # 225 points
    # each point against the grid shifted six ways: every pair kind without 50625 pairs
    shifts = (0, 1, 7, 31, 100, 151)
    ea = np.concatenate([e for _ in shifts])
    eb = np.concatenate([np.roll(e, k) for k in shifts])
    for name, f in (("mul", lambda x, y: x * y), ("div", lax.div), ("pow", lax.pow)):
        case(f"complex/bits/{name}", "exact", parts("out", f(jnp.asarray(ea), jnp.asarray(eb))),
             {**parts("a", ea), **parts("b", eb)}, label="edge")
    case("complex/bits/square", "exact", parts("out", jnp.square(jnp.asarray(e))), parts("a", e), label="edge")
    # abs: XLA's max * sqrt(1 + (min/max)^2) in f32, not a correctly rounded hypot (cplx)
    case("complex/bits/abs", "exact", {"out": np.asarray(jnp.abs(jnp.asarray(e)))}, parts("a", e), label="edge")
    a, b = rnd(2000, 14.0), rnd(2000, 14.0)
    case("complex/bits/div", "exact", parts("out", lax.div(jnp.asarray(a), jnp.asarray(b))),
         {**parts("a", a), **parts("b", b)}, label="random")
    near = mk(a.real, (a.real * (1 + 1e-3 * np.arange(2000) / 2000)).astype(F32))  # |re| ~ |im|: q near 1
    for label, z in (("random", a), ("near_equal_parts", near)):
        case("complex/bits/abs", "exact", {"out": np.asarray(jnp.abs(jnp.asarray(z)))}, parts("a", z), label=label)
    for label, (x, y) in {"moderate": (rnd(2000, 2.0), rnd(2000, 1.0)), "wide": (rnd(600, 14.0), rnd(600, 3.0))}.items():
        case("complex/bits/pow", "exact", parts("out", lax.pow(jnp.asarray(x), jnp.asarray(y))),
             {**parts("a", x), **parts("b", y)}, label=label)
    x = rnd(1000, 2.0)
    case("complex/bits/pow_real", "exact", parts("out", jnp.asarray(x) ** 2.5), parts("a", x), label="moderate")

if __name__ == "__main__":
    import sys, json
    sys.path.insert(0, __import__("os").path.dirname(__file__))
    import jax_reference as jr
    complex_cases(jr.case, jr.arr)
    doc = {"format": "statelens-jax-reference/1", "jax_version": __import__("jax").__version__,
           "jaxlib_version": "", "platform": "cpu", "devices": [], "jax_default_prng_impl": "threefry2x32",
           "jax_threefry_partitionable": True, "source": "complex_reference.py alone", "cases": jr.CASES}
    json.dump(doc, open(sys.argv[1], "w"), indent=1)
    print(len(jr.CASES), "cases")
