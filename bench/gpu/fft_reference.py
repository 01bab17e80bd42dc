"""jax_reference.py's complex64 and jnp.fft cases (session 14, "complex").

Every case is named "fft/..." and has its twin in StateLensFftSide.java. A complex array is stored
as two float32 tensors, NAME_re and NAME_im (inputs and outputs alike). Tolerances: StateLens
computes transforms in double and rounds once, XLA's CPU runs ducc in float32, so the difference is
XLA's own f32 error: relative to the largest output (atol = 2e-6 * max|out| * log2(n) + a floor),
the measured agreement with a margin (docs/fft.md states the numbers).
"""

import math

import numpy as np

F32 = np.float32


def fft_cases(case, arr):
    import jax
    import jax.numpy as jnp

    def parts(name, z):
        z = np.asarray(z)
        return {name + "_re": np.real(z).astype(F32), name + "_im": np.imag(z).astype(F32)}

    def cplx(shape, offset):
        return (arr(shape, 1.0, offset) + 1j * arr(shape, 1.0, offset + 0.5)).astype(np.complex64)

    def tol(out, size):
        m = float(np.max(np.abs(np.asarray(out)))) if np.size(out) else 0.0
        return dict(rtol=1e-5, atol=3e-7 * max(m, 1.0) * max(1.0, math.log2(max(size, 2))))

    def one(fn, f, inputs, size, label, **args):
        """One transform case; size (the transform length) scales the tolerance."""
        out = f(*[jnp.asarray(v) for v in inputs.values()])
        outputs = parts("out", out) if np.iscomplexobj(out) else {"out": np.asarray(out)}
        case(f"fft/{fn}", "close", outputs, inputs, label=label, **tol(out, size), **args)

    # 1-D complex transforms: powers of two, primes, composites (Bluestein), n crop/pad, axis, norms
    for n in (1, 5, 6, 7, 8, 16, 100):
        z = cplx((3, n), n)
        zin = parts("x", z)
        for fn in ("fft", "ifft"):
            f = getattr(jnp.fft, fn)
            one(fn, lambda re, im, f=f: f(re + 1j * im), zin, n, f"n={n}")
        r = arr((2, n), 1.0, n + 0.25)
        one("rfft", jnp.fft.rfft, {"x": r}, n, f"n={n}")
        spec = np.fft.rfft(r).astype(np.complex64)
        one("irfft", lambda re, im, n=n: jnp.fft.irfft(re + 1j * im, n=n), parts("x", spec), n, f"n={n}", n=n)
    z = cplx((4, 6), 3.0)
    for norm in ("ortho", "forward"):
        for fn in ("fft", "ifft"):
            f = getattr(jnp.fft, fn)
            one(fn, lambda re, im, f=f, norm=norm: f(re + 1j * im, n=8, axis=0, norm=norm), parts("x", z), 8,
                f"n=8/axis=0/{norm}", n=8, axis=0, norm=norm)
        r = arr((5, 6), 1.0, 7.0)
        one("rfft", lambda x, norm=norm: jnp.fft.rfft(x, n=4, axis=0, norm=norm), {"x": r}, 4,
            f"n=4/axis=0/{norm}", n=4, axis=0, norm=norm)
        spec = np.fft.rfft(r).astype(np.complex64)
        one("irfft", lambda re, im, norm=norm: jnp.fft.irfft(re + 1j * im, n=7, norm=norm), parts("x", spec), 7,
            f"n=7/{norm}", n=7, norm=norm)
    # 2-D and n-D, with s and axes
    img = arr((2, 6, 5), 1.0, 11.0)
    zimg = cplx((2, 6, 5), 12.0)
    one("fft2", lambda re, im: jnp.fft.fft2(re + 1j * im), parts("x", zimg), 30, "default")
    one("ifft2", lambda re, im: jnp.fft.ifft2(re + 1j * im, s=(4, 7)), parts("x", zimg), 28, "s=4,7", s=[4, 7])
    one("rfft2", jnp.fft.rfft2, {"x": img}, 30, "default")
    one("rfft2", lambda x: jnp.fft.rfft2(x, axes=(0, 2)), {"x": img}, 10, "axes=0,2", axes=[0, 2])
    spec2 = np.fft.rfft2(img).astype(np.complex64)
    one("irfft2", lambda re, im: jnp.fft.irfft2(re + 1j * im, s=(6, 5)), parts("x", spec2), 30, "s=6,5", s=[6, 5])
    one("fftn", lambda re, im: jnp.fft.fftn(re + 1j * im), parts("x", zimg), 60, "default")
    one("ifftn", lambda re, im: jnp.fft.ifftn(re + 1j * im, axes=(0, 1)), parts("x", zimg), 12, "axes=0,1",
        axes=[0, 1])
    one("rfftn", jnp.fft.rfftn, {"x": img}, 60, "default")
    specn = np.fft.rfftn(img).astype(np.complex64)
    one("irfftn", lambda re, im: jnp.fft.irfftn(re + 1j * im, s=(2, 6, 5)), parts("x", specn), 60, "s=2,6,5",
        s=[2, 6, 5])
    # frequencies and shifts (no inputs)
    for n, d in ((8, 1.0), (7, 0.1)):
        case("fft/fftfreq", "close", {"out": jnp.fft.fftfreq(n, d)}, label=f"n={n}/d={d}", n=n, d=d, rtol=1e-7)
        case("fft/rfftfreq", "close", {"out": jnp.fft.rfftfreq(n, d)}, label=f"n={n}/d={d}", n=n, d=d, rtol=1e-7)
    m = arr((4, 5), 1.0, 2.0)
    case("fft/fftshift", "exact", {"out": jnp.fft.fftshift(m)}, {"x": m}, label="all")
    case("fft/ifftshift", "exact", {"out": jnp.fft.ifftshift(m, axes=1)}, {"x": m}, label="axes=1", axes=1)

    # complex64 elementwise: mul, div, exp, abs, angle, conj, sign, square, sum, mean
    a = cplx((7,), 20.0)
    b = cplx((7,), 21.0)
    ab = {**parts("a", a), **parts("b", b)}
    c = lambda re, im: jnp.asarray(re) + 1j * jnp.asarray(im)
    elementwise = {
        "mul": lambda ar, ai, br, bi: c(ar, ai) * c(br, bi),
        "div": lambda ar, ai, br, bi: c(ar, ai) / c(br, bi),
        "add_sub": lambda ar, ai, br, bi: c(ar, ai) + c(br, bi) * 2 - 1,
        "exp": lambda ar, ai, br, bi: jnp.exp(c(ar, ai)),
        "abs": lambda ar, ai, br, bi: jnp.abs(c(ar, ai)),
        "angle": lambda ar, ai, br, bi: jnp.angle(c(ar, ai)),
        "conj": lambda ar, ai, br, bi: jnp.conj(c(ar, ai)),
        "sign": lambda ar, ai, br, bi: jnp.sign(c(ar, ai)),
        "square": lambda ar, ai, br, bi: jnp.square(c(ar, ai)),
        "sum": lambda ar, ai, br, bi: jnp.sum(c(ar, ai) * c(br, bi)),
        "mean": lambda ar, ai, br, bi: jnp.mean(c(ar, ai)),
        "real_imag": lambda ar, ai, br, bi: jnp.real(c(ar, ai) * c(br, bi)) + jnp.imag(c(ar, ai)),
    }
    for name, f in elementwise.items():
        out = f(*[jnp.asarray(v) for v in ab.values()])
        outputs = parts("out", out) if np.iscomplexobj(out) else {"out": np.asarray(out)}
        case(f"fft/complex/{name}", "close", outputs, ab, rtol=2e-6, atol=1e-6)

    # gradients: JAX's convention for real losses of complex intermediates
    x = arr((8,), 1.0, 30.0)
    x6 = arr((6,), 1.0, 31.0)
    grads = {
        "abs_rfft": (lambda x: jnp.abs(jnp.fft.rfft(x)).sum(), {"x": x}),
        "abs_rfft_odd": (lambda x: jnp.abs(jnp.fft.rfft(x, n=7)).sum(), {"x": x6}),
        "real_fft": (lambda x: (jnp.real(jnp.fft.fft(x * (1 + 2j))) * jnp.arange(8.0)).sum(), {"x": x}),
        "imag_ifft": (lambda x: (jnp.imag(jnp.fft.ifft(x)) * jnp.arange(8.0)).sum(), {"x": x}),
        "irfft": (lambda x: (jnp.fft.irfft(jnp.fft.rfft(x) * (1 - 0.5j), n=8) * jnp.arange(8.0)).sum(), {"x": x}),
        "irfft_odd": (lambda x: (jnp.fft.irfft(jnp.fft.rfft(x) * 1j, n=6) ** 2).sum(), {"x": x6}),
        "power_fft2": (lambda x: (jnp.abs(jnp.fft.fft2(x)) ** 2 * jnp.arange(12.0).reshape(3, 4)).sum(),
                       {"x": arr((3, 4), 1.0, 32.0)}),
        "ortho_rfft2_irfft2": (lambda x: jnp.sin(jnp.fft.irfft2(jnp.fft.rfft2(x, norm="ortho") * 0.5, s=(3, 5),
                                                                 norm="ortho")).sum(), {"x": arr((3, 5), 1.0, 33.0)}),
        "parts": (lambda re, im: (jnp.abs(jnp.fft.fft(re + 1j * im)) * jnp.arange(6.0)).sum(),
                  {"re": arr((6,), 1.0, 34.0), "im": arr((6,), 1.0, 35.0)}),
        "complex_ops": (lambda re, im: jnp.angle(jnp.exp((re + 1j * im) * (0.5 - 1j)) / (2 + 1j * re)).sum()
                        + jnp.abs(jnp.conj(re + 1j * im) ** 2).sum(),
                        {"re": arr((5,), 1.0, 36.0), "im": arr((5,), 1.0, 37.0)}),
    }
    for name, (f, inputs) in grads.items():
        gs = jax.grad(f, argnums=tuple(range(len(inputs))))(*[jnp.asarray(v) for v in inputs.values()])
        case(f"fft/grad/{name}", "close", {"d" + k: np.asarray(g) for k, g in zip(inputs, gs)}, inputs,
             rtol=2e-5, atol=2e-5)
    # a Fourier Neural Operator spectral convolution (FNO's SpectralConv2d, low modes only):
    # rfft2 -> keep m1 x m2 modes -> complex einsum over channels -> zero-pad -> irfft2
    def fno(x, wr, wi):
        b, _, h, w = x.shape
        m1, m2 = wr.shape[2], wr.shape[3]
        xf = jnp.fft.rfft2(x)
        top = jnp.einsum("bixy,ioxy->boxy", xf[:, :, :m1, :m2], wr + 1j * wi)
        full = jnp.pad(top, ((0, 0), (0, 0), (0, h - m1), (0, w // 2 + 1 - m2)))
        return jnp.fft.irfft2(full, s=(h, w))

    fno_in = {"x": arr((2, 3, 8, 6), 1.0, 50.0), "wr": arr((3, 4, 3, 2), 0.5, 51.0),
              "wi": arr((3, 4, 3, 2), 0.5, 52.0)}
    out = fno(*[jnp.asarray(v) for v in fno_in.values()])
    case("fft/fno/forward", "close", {"out": np.asarray(out)}, fno_in, **tol(out, 48))
    weight = jnp.asarray(arr((2, 4, 8, 6), 1.0, 53.0))
    gs = jax.grad(lambda *a: (jnp.sin(fno(*a)) * weight).sum(), argnums=(0, 1, 2))(
        *[jnp.asarray(v) for v in fno_in.values()])
    case("fft/grad/fno", "close", {"d" + k: np.asarray(g) for k, g in zip(fno_in, gs)}, fno_in, rtol=2e-5, atol=2e-5)
    # vmap: the batch axis in front of the transformed ones
    zb = cplx((3, 2, 6), 40.0)
    out = jax.vmap(lambda re, im: jnp.fft.fft(re + 1j * im, axis=0))(*[jnp.asarray(v) for v in parts("x", zb).values()])
    case("fft/vmap/fft_axis0", "close", parts("out", out), parts("x", zb), **tol(out, 2))
