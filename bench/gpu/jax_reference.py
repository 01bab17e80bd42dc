#!/usr/bin/env python3
"""Reference outputs of real JAX for StateLens's "matches JAX" claims, in one JSON file.

    JAX_PLATFORMS=cpu python3 bench/gpu/jax_reference.py [-o jax-reference.json]

Every case is a JAX call on fixed, small inputs. The inputs are written into the file next to
the outputs (float32 values exactly, as the double nearest to them, i.e. themselves), so the Java
side (engine/src/test/java/dev/statelens/engine/JaxReferenceTest.java) rebuilds them bit for bit
and runs the StateLens twin of each call. Each case says how it is compared:

  "exact"  floats bit for bit, integers and booleans equal: where docs/prng.md and docs/nn.md
           claim JAX's bits (bits, uniform, normal, bernoulli, randint, rademacher, the
           permutation/choice/categorical integers, the normal/uniform initializers, max pools,
           top_k, searchsorted)
  "close"  |java - jax| <= atol + rtol * |jax|, the documented tolerance (samplers through
           log/log1p/erf: 1e-6, JAX's own test tolerance; linalg F32: 1e-4; conv/einsum/avg pool:
           1e-5, another summation order). The Java report also counts the bit-exact elements and
           the largest ulp distance, so a doc can be upgraded from the evidence.

Besides sampling and numerics, four case families check transformations, named by group (their
Java twins are in StateLensTransformsSide.java): nn/* (jax.nn activations, softmax family,
one_hot, standardize: 1e-6), grad/* (grad, value_and_grad, jacfwd, jacrev, hessian of MLP,
cross-entropy, logsumexp, conv and linalg losses: 1e-5 rel), vmap/per_example_grad and lax/*
(scan, while_loop, cond).

Keys are jax.random.key(seed) with the default implementation (threefry2x32); the file records
jax_threefry_partitionable, JAX's version and the platform, since all three decide the values.
Runs on the CPU device unless JAX_PLATFORMS says otherwise (StateLens follows JAX's CPU backend).
"""
import argparse
import importlib.metadata
import json
import math
import os
import sys

import numpy as np

try:
    import jax
    import jax.numpy as jnp
    from jax import lax
except ImportError as e:  # numpy is enough to compile this file, not to run it
    sys.exit(f"jax_reference.py needs JAX ({e}). Run it where JAX is installed, e.g. on the GPU "
             "machine (bench/gpu/device-jax-reference.sh), or `pip install jax` here.")

F32 = np.float32
SEEDS = (0, 42)


def tensor(x):
    """{dtype, shape, values}: float32/bfloat16/float16 as exact doubles, unsigned and int32 as
    ints, bool as booleans."""
    a = np.asarray(x)
    if a.dtype == np.bool_:
        vals, dt = [bool(v) for v in a.ravel()], "bool"
    elif a.dtype == np.float32:
        vals, dt = [float(v) for v in a.ravel()], "float32"
    elif a.dtype == np.float64:  # the x64 cases (random3_cases)
        vals, dt = [float(v) for v in a.ravel()], "float64"
    elif a.dtype.name in ("bfloat16", "float16"):  # every 16-bit float is a double exactly
        vals, dt = [float(v) for v in a.ravel().astype(np.float32)], a.dtype.name
    elif a.dtype in (np.uint8, np.uint16, np.uint32):
        vals, dt = [int(v) for v in a.ravel()], a.dtype.name
    elif a.dtype == np.int32:
        vals, dt = [int(v) for v in a.ravel()], "int32"
    else:
        raise TypeError(f"unexpected dtype {a.dtype}")
    return {"dtype": dt, "shape": list(a.shape), "values": vals}


def arr(shape, scale=1.0, offset=0.0):
    """Deterministic float32 test data without ties: a scrambled sine (written into the JSON)."""
    n = int(np.prod(shape))
    v = np.sin(np.arange(n, dtype=np.float64) * 1.7 + 0.3 + offset) * scale
    return v.astype(F32).reshape(shape)


CASES = []


def case(fn, compare, outputs, inputs=None, seed=None, rtol=0.0, atol=0.0, **args):
    c = {"name": f"{fn}" + ("" if seed is None else f"/key({seed})") + (f"/{args.pop('label')}" if "label" in args else ""),
         "fn": fn, "compare": compare, "args": args,
         "inputs": {k: tensor(v) for k, v in (inputs or {}).items()},
         "outputs": {k: tensor(v) for k, v in outputs.items()}}
    if seed is not None:
        c["seed"] = seed
    if compare == "close":
        c["rtol"], c["atol"] = rtol, atol
    CASES.append(c)


def random_cases():
    r = jax.random
    logits = np.array([[0.1, 2.0, -1.0, 0.5], [1.0, 1.0, -3.0, 0.25]], F32)
    x = np.arange(12, dtype=np.int32).reshape(3, 4)
    p = np.array([0.1, 0.2, 0.3, 0.4], F32)
    for s in SEEDS:
        k = r.key(s)
        # the layout check: split's key words differ between the two threefry layouts
        case("split", "exact", {"out": np.asarray(r.key_data(r.split(k, 4)), np.uint32)}, seed=s, num=4)
        case("bits", "exact", {"out": r.bits(k, (6,), jnp.uint32)}, seed=s, shape=[6])
        case("uniform", "exact", {"out": r.uniform(k, (2, 3))}, seed=s, shape=[2, 3], minval=0.0, maxval=1.0)
        case("uniform", "exact", {"out": r.uniform(k, (5,), minval=-2.0, maxval=3.0)}, seed=s, shape=[5],
             minval=-2.0, maxval=3.0, label="range")
        case("normal", "exact", {"out": r.normal(k, (7,))}, seed=s, shape=[7])
        case("bernoulli", "exact", {"out": r.bernoulli(k, 0.3, (8,))}, seed=s, shape=[8], p=0.3)
        case("randint", "exact", {"out": r.randint(k, (6,), 0, 10)}, seed=s, shape=[6], minval=0, maxval=10)
        case("randint", "exact", {"out": r.randint(k, (4,), -5, 1000)}, seed=s, shape=[4], minval=-5,
             maxval=1000, label="wide")
        case("rademacher", "exact", {"out": r.rademacher(k, (8,), jnp.int32)}, seed=s, shape=[8])
        case("categorical", "exact", {"out": r.categorical(k, logits, axis=-1)}, {"logits": logits}, seed=s,
             axis=-1, shape=None)
        case("categorical", "exact", {"out": r.categorical(k, logits, axis=-1, shape=(5, 2))}, {"logits": logits},
             seed=s, axis=-1, shape=[5, 2], label="shape")
        case("permutation_n", "exact", {"out": r.permutation(k, 10)}, seed=s, n=10)
        for indep in (False, True):
            case("permutation", "exact", {"out": r.permutation(k, x, axis=0, independent=indep)}, {"x": x},
                 seed=s, axis=0, independent=indep, label=f"independent={indep}")
        case("choice", "exact", {"out": r.choice(k, 10, (4,), replace=True)}, seed=s, n=10, shape=[4],
             replace=True, label="replace")
        case("choice", "exact", {"out": r.choice(k, 10, (4,), replace=False)}, seed=s, n=10, shape=[4],
             replace=False, label="no-replace")
        case("choice", "exact", {"out": r.choice(k, 4, (6,), replace=True, p=p)}, {"p": p}, seed=s, n=4,
             shape=[6], replace=True, label="p")
        case("choice", "exact", {"out": r.choice(k, 4, (3,), replace=False, p=p)}, {"p": p}, seed=s, n=4,
             shape=[3], replace=False, label="p-no-replace")
        tol = dict(rtol=1e-6, atol=1e-6)
        case("truncated_normal", "close", {"out": r.truncated_normal(k, -2.0, 2.0, (6,))}, seed=s, lower=-2.0,
             upper=2.0, shape=[6], **tol)
        case("truncated_normal", "close", {"out": r.truncated_normal(k, 0.0, 2.0, (6,))}, seed=s, lower=0.0,
             upper=2.0, shape=[6], label="0..2", **tol)
        for name in ("gumbel", "exponential", "laplace", "logistic"):
            case(name, "close", {"out": getattr(r, name)(k, (6,))}, seed=s, shape=[6], **tol)


def sixteen_bit_cases():
    """bf16/f16 draws (docs/prng.md, "16-bit floats"): JAX takes 8 random bits per bf16 value and 16
    per f16 value and computes in the 16-bit dtype. "exact" where the recipe is certain from JAX's
    source up to XLA's rounding of 16-bit arithmetic (which these cases settle); "close" within one
    16-bit ulp where log/log1p/erf enter (rtol 2^-7 for bf16, 2^-10 for f16)."""
    r = jax.random
    for s in SEEDS:
        k = r.key(s)
        for width, udt in ((8, jnp.uint8), (16, jnp.uint16)):
            case("bits", "exact", {"out": r.bits(k, (6,), udt)}, seed=s, shape=[6], dtype=np.dtype(udt).name,
                 label=np.dtype(udt).name)
        for dt in (jnp.bfloat16, jnp.float16):
            name = np.dtype(dt).name
            ulp = dict(rtol=2.0 ** -7 if name == "bfloat16" else 2.0 ** -10, atol=0.0)
            case("uniform", "exact", {"out": r.uniform(k, (8,), dt)}, seed=s, shape=[8], minval=0.0, maxval=1.0,
                 dtype=name, label=name)
            case("uniform", "exact", {"out": r.uniform(k, (6,), dt, minval=-0.3, maxval=2.7)}, seed=s, shape=[6],
                 minval=-0.3, maxval=2.7, dtype=name, label=f"range-{name}")
            case("normal", "exact", {"out": r.normal(k, (8,), dt)}, seed=s, shape=[8], dtype=name, label=name)
            p = np.asarray(0.3, dtype=dt)
            case("bernoulli", "exact", {"out": r.bernoulli(k, p, (8,))}, {"p": p}, seed=s, shape=[8], p=0.3,
                 label=name)
            case("rademacher", "exact", {"out": r.rademacher(k, (8,), dt)}, seed=s, shape=[8], dtype=name,
                 label=name)
            case("truncated_normal", "close", {"out": r.truncated_normal(k, -2.0, 2.0, (6,), dt)}, seed=s,
                 lower=-2.0, upper=2.0, shape=[6], dtype=name, label=name, **ulp)
            for fn in ("gumbel", "exponential", "laplace", "logistic"):
                case(fn, "close", {"out": getattr(r, fn)(k, (6,), dt)}, seed=s, shape=[6], dtype=name, label=name,
                     **ulp)
            init = jax.nn.initializers
            case("glorot_uniform", "exact", {"out": init.glorot_uniform()(k, (4, 3), dt)}, seed=s, shape=[4, 3],
                 dtype=name, label=f"4x3-{name}")
            case("he_normal", "close", {"out": init.he_normal()(k, (4, 3), dt)}, seed=s, shape=[4, 3], dtype=name,
                 label=f"4x3-{name}", **ulp)


def initializer_cases():
    init = jax.nn.initializers
    for s in SEEDS:
        k = jax.random.key(s)
        for shape in ((4, 3), (3, 3, 2, 4)):
            label = "x".join(map(str, shape))
            case("glorot_uniform", "exact", {"out": init.glorot_uniform()(k, shape, jnp.float32)}, seed=s,
                 shape=list(shape), label=label)
            for name in ("he_normal", "lecun_normal"):  # variance_scaling(..., "truncated_normal")
                case(name, "close", {"out": getattr(init, name)()(k, shape, jnp.float32)}, seed=s,
                     shape=list(shape), label=label, rtol=1e-6, atol=1e-7)
            case("truncated_normal_init", "close", {"out": init.truncated_normal(0.01)(k, shape, jnp.float32)},
                 seed=s, shape=list(shape), stddev=0.01, label=label, rtol=1e-6, atol=1e-8)


def linalg_cases():
    la = jnp.linalg
    tol = dict(rtol=1e-4, atol=1e-5)
    spd = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]], F32)
    gen = np.array([[2.0, -1.0, 0.5], [0.25, 3.0, 1.0], [1.5, 0.5, -2.0]], F32)
    b = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]], F32)
    rect = arr((4, 3))
    case("cholesky", "close", {"out": la.cholesky(spd)}, {"a": spd}, **tol)
    case("solve", "close", {"out": la.solve(gen, b)}, {"a": gen, "b": b}, **tol)
    sign, logdet = la.slogdet(gen)
    case("slogdet", "close", {"sign": sign, "logabsdet": logdet}, {"a": gen}, **tol)
    neg = np.array([[0.0, 1.0], [1.0, 0.0]], F32)
    sign, logdet = la.slogdet(neg)
    case("slogdet", "close", {"sign": sign, "logabsdet": logdet}, {"a": neg}, label="negative", **tol)
    case("eigh_eigenvalues", "close", {"out": la.eigh(spd)[0]}, {"a": spd}, **tol)
    case("svd_singular_values", "close", {"out": la.svd(rect, compute_uv=False)}, {"a": rect}, **tol)
    case("svd_singular_values", "close", {"out": la.svd(gen, compute_uv=False)}, {"a": gen}, label="square", **tol)


def conv_cases():
    tol = dict(rtol=1e-5, atol=1e-5)
    nhwc = arr((2, 6, 6, 3))
    hwio = arr((3, 3, 3, 4), 0.5, 1.0)
    nchw = arr((2, 3, 7, 7), 1.0, 2.0)
    oihw = arr((4, 3, 3, 3), 0.5, 3.0)
    variants = [
        ("NHWC", nhwc, hwio, ("NHWC", "HWIO", "NHWC"), [1, 1], "SAME", [1, 1]),
        ("NHWC", nhwc, hwio, ("NHWC", "HWIO", "NHWC"), [2, 2], "SAME", [1, 1]),
        ("NHWC", nhwc, hwio, ("NHWC", "HWIO", "NHWC"), [1, 1], "VALID", [2, 2]),
        ("NCHW", nchw, oihw, ("NCHW", "OIHW", "NCHW"), [2, 2], "VALID", [1, 1]),
        ("NCHW", nchw, oihw, ("NCHW", "OIHW", "NCHW"), [1, 1], "SAME", [2, 2]),
        ("NCHW", nchw, oihw, ("NCHW", "OIHW", "NCHW"), [2, 2], "SAME", [1, 1]),
    ]
    for layout, lhs, rhs, dn, strides, padding, dil in variants:
        out = lax.conv_general_dilated(lhs, rhs, strides, padding, rhs_dilation=dil, dimension_numbers=dn,
                                       precision=lax.Precision.HIGHEST)
        case("conv_general_dilated", "close", {"out": out}, {"lhs": lhs, "rhs": rhs}, window_strides=strides,
             padding=padding, rhs_dilation=dil, dimension_numbers=list(dn),
             label=f"{layout}/{padding}/s{strides[0]}/d{dil[0]}", **tol)
    x = arr((2, 5, 5, 3))
    for window, strides, padding in (([2, 2], [2, 2], "VALID"), ([3, 3], [1, 1], "SAME"), ([3, 3], [2, 2], "SAME")):
        dims, st = (1, *window, 1), (1, *strides, 1)
        mx = lax.reduce_window(x, -jnp.inf, lax.max, dims, st, padding)
        avg = lax.reduce_window(x, 0.0, lax.add, dims, st, padding) / math.prod(window)
        label = f"w{window[0]}/s{strides[0]}/{padding}"
        case("max_pool", "exact", {"out": mx}, {"x": x}, window=window, strides=strides, padding=padding, label=label)
        case("avg_pool", "close", {"out": avg}, {"x": x}, window=window, strides=strides, padding=padding,
             label=label, **tol)


def array_cases():
    tol = dict(rtol=1e-5, atol=1e-6)
    a, b = arr((3, 4)), arr((4, 5), 1.0, 1.0)
    ba, bb = arr((2, 3, 4), 1.0, 2.0), arr((2, 4, 5), 1.0, 3.0)
    q, kk = arr((2, 2, 3, 4), 1.0, 4.0), arr((2, 2, 5, 4), 1.0, 5.0)
    v = arr((4,), 1.0, 6.0)
    sq = arr((3, 3), 1.0, 7.0)
    prec = lax.Precision.HIGHEST
    for subs, ops in (("ij,jk->ik", [a, b]), ("bij,bjk->bik", [ba, bb]), ("bhqd,bhkd->bhqk", [q, kk]),
                      ("i,i->", [v, v]), ("ij->ji", [a]), ("ii->i", [sq]), ("ij,j->i", [a, v])):
        out = jnp.einsum(subs, *ops, precision=prec)
        case("einsum", "close", {"out": out}, {f"op{i}": o for i, o in enumerate(ops)}, subscripts=subs,
             label=subs, **tol)
    x = arr((3, 8), 1.0, 8.0)
    values, indices = lax.top_k(x, 3)
    case("top_k", "exact", {"values": values, "indices": indices}, {"x": x}, k=3)
    srt = np.array([-1.0, 0.0, 0.0, 0.5, 2.0, 2.0, 7.0], F32)
    vals = np.array([-3.0, 0.0, 0.25, 2.0, 7.0, 9.0], F32)
    for side in ("left", "right"):
        case("searchsorted", "exact", {"out": jnp.searchsorted(srt, vals, side=side).astype(jnp.int32)},
             {"sorted": srt, "values": vals}, side=side, label=side)


# --- nn, gradients, vmap and control flow (session 9, jaxparity2) ---------------------------------
# All "close": XLA's f32 exp/log/tanh/erf are its own polynomial approximations and a gradient
# sums in another order than StateLens's kernels, so bits are not the claim; the Java report
# counts the bit-exact elements and the largest ulp distance of each case all the same.
NN_TOL = dict(rtol=1e-6, atol=1e-6)     # elementwise activations: a few f32 ulps
GRAD_TOL = dict(rtol=1e-5, atol=1e-6)   # sums of products in another order, through a few layers


def nn_cases():
    nn = jax.nn
    x = arr((3, 5), 3.0)
    wide = arr((4, 6), 8.0, 0.5)  # reaches past relu6's 6 and deep into softplus/elu's tails
    with_inf = x.copy()
    with_inf[0, 1] = -np.inf
    with_inf[1, :] = -np.inf       # a row that is all -inf: logsumexp -inf, not NaN
    with_inf[2, 0] = with_inf[2, 3] = -np.inf
    case("nn/softmax", "close", {"out": nn.softmax(x, axis=-1)}, {"x": x}, axis=-1, **NN_TOL)
    case("nn/softmax", "close", {"out": nn.softmax(x, axis=0)}, {"x": x}, axis=0, label="axis0", **NN_TOL)
    case("nn/softmax", "close", {"out": nn.softmax(with_inf[[0, 2]], axis=-1)}, {"x": with_inf[[0, 2]]}, axis=-1,
         label="-inf", **NN_TOL)
    case("nn/log_softmax", "close", {"out": nn.log_softmax(x, axis=-1)}, {"x": x}, axis=-1, **NN_TOL)
    case("nn/logsumexp", "close", {"out": nn.logsumexp(x, axis=-1)}, {"x": x}, axis=-1, **NN_TOL)
    case("nn/logsumexp", "close", {"out": nn.logsumexp(with_inf, axis=-1)}, {"x": with_inf}, axis=-1, label="-inf",
         **NN_TOL)
    case("nn/logsumexp", "close", {"out": nn.logsumexp(x)}, {"x": x}, label="all", **NN_TOL)
    for approximate in (True, False):
        case("nn/gelu", "close", {"out": nn.gelu(wide, approximate=approximate)}, {"x": wide},
             approximate=approximate, label=f"approximate={approximate}", **NN_TOL)
    for name in ("silu", "softplus", "relu6", "elu", "selu", "leaky_relu", "sigmoid"):
        case(f"nn/{name}", "close", {"out": getattr(nn, name)(wide)}, {"x": wide}, **NN_TOL)
    case("nn/standardize", "close", {"out": nn.standardize(x, axis=-1)}, {"x": x}, axis=-1, epsilon=1e-5, **NN_TOL)
    labels = np.array([0, 3, 1, -1, 4, 2], np.int32)  # -1 and 4 (out of range) give zero rows
    case("nn/one_hot", "exact", {"out": nn.one_hot(labels, 4)}, {"labels": labels}, num_classes=4)


def mlp_params():
    return {"w1": arr((4, 8), 0.5, 10.0), "b1": arr((8,), 0.1, 11.0),
            "w2": arr((8, 3), 0.5, 12.0), "b2": arr((3,), 0.1, 13.0)}


def mlp_loss(act):
    def loss(p, x, y):
        h = act(x @ p["w1"] + p["b1"])
        logits = h @ p["w2"] + p["b2"]
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=-1))
    return loss


def grad_cases():
    p = mlp_params()
    x, y = arr((5, 4), 1.0, 14.0), np.array([0, 2, 1, 1, 0], np.int32)
    data = {"x": x, "y": y, **p}
    for name, act in (("tanh", jnp.tanh), ("relu", jax.nn.relu)):
        g = jax.grad(mlp_loss(act))(p, x, y)
        case("grad/mlp", "close", {f"d{k}": v for k, v in g.items()}, data, activation=name, label=name, **GRAD_TOL)
    value, g = jax.value_and_grad(mlp_loss(jnp.tanh))(p, x, y)
    case("grad/value_and_grad", "close", {"value": value, **{f"d{k}": v for k, v in g.items()}}, data,
         activation="tanh", label="mlp-tanh", **GRAD_TOL)
    logits = arr((4, 5), 3.0, 15.0)
    labels = np.array([1, 0, 4, 2], np.int32)
    xent = lambda l: -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(l), labels[:, None], axis=-1))
    case("grad/softmax_cross_entropy", "close", {"value": xent(logits), "dlogits": jax.grad(xent)(logits)},
         {"logits": logits, "labels": labels}, **GRAD_TOL)
    case("grad/logsumexp", "close", {"dx": jax.grad(lambda v: jax.nn.logsumexp(v))(logits)}, {"x": logits},
         **GRAD_TOL)
    lhs, rhs = arr((1, 5, 5, 2), 1.0, 16.0), arr((3, 3, 2, 3), 0.5, 17.0)
    conv = lambda a, b: jnp.sum(jnp.sin(lax.conv_general_dilated(a, b, (1, 1), "SAME",
                                dimension_numbers=("NHWC", "HWIO", "NHWC"), precision=lax.Precision.HIGHEST)))
    dl, dr = jax.grad(conv, argnums=(0, 1))(lhs, rhs)
    case("grad/conv", "close", {"dlhs": dl, "drhs": dr}, {"lhs": lhs, "rhs": rhs}, **GRAD_TOL)
    gen = np.array([[2.0, -1.0, 0.5], [0.25, 3.0, 1.0], [1.5, 0.5, -2.0]], F32)
    b = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]], F32)
    solve = lambda a, bb: jnp.sum(jnp.linalg.solve(a, bb) ** 2)
    da, db = jax.grad(solve, argnums=(0, 1))(gen, b)
    case("grad/solve", "close", {"da": da, "db": db}, {"a": gen, "b": b}, rtol=1e-4, atol=1e-5)
    spd = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]], F32)
    wts = arr((3, 3), 1.0, 18.0)
    chol = lambda a: jnp.sum(jnp.linalg.cholesky(a) * wts)
    case("grad/cholesky", "close", {"da": jax.grad(chol)(spd)}, {"a": spd, "w": wts}, rtol=1e-4, atol=1e-5)
    logdet = lambda a: 2.0 * jnp.sum(jnp.log(jnp.diagonal(jnp.linalg.cholesky(a))))
    case("grad/cholesky", "close", {"da": jax.grad(logdet)(spd)}, {"a": spd}, label="logdet", rtol=1e-4, atol=1e-5)
    w = arr((3, 3), 0.7, 19.0)
    v = arr((3,), 1.0, 20.0)
    f = lambda z: jnp.tanh(w @ z) * z + 0.5 * jnp.exp(z) * z[::-1]
    case("grad/jacfwd", "close", {"out": jax.jacfwd(f)(v)}, {"w": w, "x": v}, **GRAD_TOL)
    case("grad/jacrev", "close", {"out": jax.jacrev(f)(v)}, {"w": w, "x": v}, **GRAD_TOL)
    g = lambda z: jnp.sum(jnp.log1p(z * z)) + jnp.sum(jnp.tanh(w @ z) * z)
    case("grad/hessian", "close", {"out": jax.hessian(g)(v)}, {"w": w, "x": v}, **GRAD_TOL)


def vmap_control_cases():
    wm, vv = arr((4, 3), 0.5, 21.0), arr((3,), 0.5, 22.0)
    xs, ys = arr((6, 4), 1.0, 23.0), arr((6,), 1.0, 24.0)
    loss = lambda p, x, y: (jnp.tanh(x @ p["w"]) @ p["v"] - y) ** 2
    g = jax.vmap(jax.grad(loss), in_axes=(None, 0, 0))({"w": wm, "v": vv}, xs, ys)
    case("vmap/per_example_grad", "close", {"dw": g["w"], "dv": g["v"]}, {"w": wm, "v": vv, "x": xs, "y": ys},
         **GRAD_TOL)
    gj = jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))({"w": wm, "v": vv}, xs, ys)
    case("vmap/per_example_grad", "close", {"dw": gj["w"], "dv": gj["v"]}, {"w": wm, "v": vv, "x": xs, "y": ys},
         label="jit", jit=True, **GRAD_TOL)
    seq = arr((7,), 1.0, 25.0)
    carry, cums = lax.scan(lambda c, e: (c + e, c + e), jnp.float32(0), seq)
    case("lax/scan", "exact", {"carry": carry, "ys": cums}, {"xs": seq}, label="cumsum")
    wh, wx, bh = arr((4, 4), 0.5, 26.0), arr((4, 3), 0.5, 27.0), arr((4,), 0.1, 28.0)
    h0, seq3 = np.zeros(4, F32), arr((6, 3), 1.0, 29.0)

    def cell(h, e):
        h = jnp.tanh(wh @ h + wx @ e + bh)
        return h, h
    h, hs = lax.scan(cell, h0, seq3)
    case("lax/scan", "close", {"carry": h, "ys": hs}, {"wh": wh, "wx": wx, "b": bh, "h0": h0, "xs": seq3},
         label="rnn-tanh", **NN_TOL)

    def rnn_loss(p):  # backprop through time: the gradient of a scan
        _, states = lax.scan(lambda h, e: (jnp.tanh(p["wh"] @ h + p["wx"] @ e + p["b"]),) * 2, h0, seq3)
        return jnp.sum(states ** 2)
    g = jax.grad(rnn_loss)({"wh": wh, "wx": wx, "b": bh})
    case("grad/scan", "close", {f"d{k}": v for k, v in g.items()}, {"wh": wh, "wx": wx, "b": bh, "h0": h0,
         "xs": seq3}, label="rnn-tanh", **GRAD_TOL)
    a = np.array([2.0, 9.0, 0.5, 123.0], F32)

    def newton(c):
        z, i = c
        return 0.5 * (z + a / z), i + 1
    z, i = lax.while_loop(lambda c: (c[1] < 50) & (jnp.max(jnp.abs(c[0] * c[0] - a)) > 1e-4 * jnp.max(a)),
                          newton, (a, jnp.int32(0)))
    case("lax/while_loop", "exact", {"x": z, "iterations": i}, {"a": a}, label="newton-sqrt", tol=1e-4)
    for label, xc in (("true", arr((5,), 1.0, 30.0) + 1.0), ("false", arr((5,), 1.0, 30.0) - 1.0)):
        out = lax.cond(jnp.sum(xc) > 0, lambda t: jnp.sin(t) * 2.0, lambda t: jnp.cos(t) - t, xc)
        case("lax/cond", "close", {"out": out}, {"x": xc}, label=label, **NN_TOL)
        dx = jax.grad(lambda t: jnp.sum(lax.cond(jnp.sum(t) > 0, lambda u: jnp.sin(u) * 2.0,
                                                  lambda u: jnp.cos(u) - u, t)))(xc)
        case("grad/cond", "close", {"dx": dx}, {"x": xc}, label=label, **NN_TOL)


# --- the gamma family and the other samplers (session 10, random3) ------------------------------
# jax.random.gamma/loggamma (Marsaglia-Tsang, one key per element, nested while loops), the
# samplers JAX builds on them (beta, dirichlet, chisquare, t, f), poisson (Knuth below 10,
# rejection above), geometric, cauchy, multivariate_normal, orthogonal and ball. Twins in
# StateLensSamplersSide.java. float64 cases run inside JAX's enable_x64 context and record
# "float64" outputs. "close" at a few ulps where XLA's own log/pow/exp/tan/lgamma enter; the
# report counts the bit-exact elements either way.
GAMMA_A = (0.3, 1.0, 2.5, 40.0)


def random3_cases():
    from jax._src import config as jax_config
    r = jax.random
    f32_tol = dict(rtol=1e-5, atol=1e-6)
    f64_tol = dict(rtol=1e-12, atol=1e-14)
    for dt in (jnp.float32, jnp.float64):
        name = np.dtype(dt).name
        tol = f32_tol if dt == jnp.float32 else f64_tol
        with jax_config.enable_x64(dt == jnp.float64):
            for s in SEEDS:
                k = r.key(s)
                for a in GAMMA_A:
                    for fn in ("gamma", "loggamma"):
                        case(f"random/{fn}", "close", {"out": getattr(r, fn)(k, a, (7,), dt)}, seed=s, a=a, shape=[7],
                             dtype=name, label=f"a={a}/{name}", **tol)
                a_arr = np.array([[0.25, 1.0, 2.5, 40.0]], dtype=dt)  # exact in float32: the file's inputs are f32
                case("random/gamma", "close", {"out": r.gamma(k, a_arr, (3, 4), dt)}, {"a": a_arr.astype(F32)}, seed=s,
                     shape=[3, 4], dtype=name, label=f"a-array/{name}", **tol)
                case("random/gamma", "close", {"out": jax.jit(lambda kk: r.gamma(kk, a_arr, None, dt))(k)},
                     {"a": a_arr.astype(F32)}, seed=s, shape=None, dtype=name, label=f"jit/{name}", **tol)
                case("random/beta", "close", {"out": r.beta(k, 0.5, 2.5, (6,), dt)}, seed=s, a=0.5, b=2.5, shape=[6],
                     dtype=name, label=name, **tol)
                case("random/beta", "close", {"out": r.beta(k, 3.0, 40.0, (6,), dt)}, seed=s, a=3.0, b=40.0, shape=[6],
                     dtype=name, label=f"3-40/{name}", **tol)
                alpha = np.array([0.25, 1.0, 2.5, 40.0], dtype=dt)
                case("random/dirichlet", "close", {"out": r.dirichlet(k, alpha, (3,), dt)}, {"alpha": alpha.astype(F32)},
                     seed=s, shape=[3], dtype=name, label=name, **tol)
                for df in (0.6, 3.0, 80.0):
                    case("random/chisquare", "close", {"out": r.chisquare(k, df, (6,), dt)}, seed=s, df=df, shape=[6],
                         dtype=name, label=f"df={df}/{name}", **tol)
                    case("random/t", "close", {"out": r.t(k, df, (6,), dt)}, seed=s, df=df, shape=[6], dtype=name,
                         label=f"df={df}/{name}", **tol)
                case("random/f", "close", {"out": r.f(k, 3.0, 7.0, (6,), dt)}, seed=s, dfnum=3.0, dfden=7.0, shape=[6],
                     dtype=name, label=name, **tol)
                case("random/cauchy", "close", {"out": r.cauchy(k, (7,), dt)}, seed=s, shape=[7], dtype=name,
                     label=name, **tol)
                mean = np.array([1.0, -2.0, 0.5], dtype=dt)
                cov = np.array([[2.0, 0.5, 0.25], [0.5, 1.0, -0.25], [0.25, -0.25, 0.75]], dtype=dt)
                # not "svd": LAPACK's choice of the singular vectors' signs (not the engine's) decides the draw
                for method in ("cholesky", "eigh"):
                    case("random/multivariate_normal", "close",
                         {"out": r.multivariate_normal(k, mean, cov, (4,), dt, method)},
                         {"mean": mean.astype(F32), "cov": cov.astype(F32)}, seed=s, shape=[4], method=method,
                         dtype=name, label=f"{method}/{name}", **(dict(rtol=1e-5, atol=1e-5) if dt == jnp.float32
                                                              else dict(rtol=1e-10, atol=1e-12)))
                for n, m, shp in ((3, 3, ()), (4, 2, (2,)), (2, 4, ())):
                    case("random/orthogonal", "close", {"out": r.orthogonal(k, n, shp, dt, m)}, seed=s, n=n, m=m,
                         shape=list(shp), dtype=name, label=f"{n}x{m}/{name}",
                         **(dict(rtol=1e-5, atol=1e-5) if dt == jnp.float32 else dict(rtol=1e-10, atol=1e-12)))
                for d, p in ((3, 2.0), (2, 1.0), (4, 0.5)):
                    case("random/ball", "close", {"out": r.ball(k, d, p, (3,), dt)}, seed=s, d=d, p=p, shape=[3],
                         dtype=name, label=f"d={d}/p={p}/{name}", **tol)
    # poisson and geometric draw float32 uniforms whatever x64 says; int32 counts
    for s in SEEDS:
        k = r.key(s)
        for lam in (0.5, 4.0, 30.0):
            case("random/poisson", "exact", {"out": r.poisson(k, lam, (8,))}, seed=s, lam=lam, shape=[8],
                 label=f"lam={lam}")
        lam_arr = np.array([[0.5, 4.0, 30.0, 0.0], [9.5, 10.0, 250.0, 1.0]], F32)
        case("random/poisson", "exact", {"out": r.poisson(k, lam_arr)}, {"lam": lam_arr}, seed=s, shape=None,
             label="lam-array")
        for p in (0.1, 0.5, 0.9):
            case("random/geometric", "exact", {"out": r.geometric(k, p, (8,))}, seed=s, p=p, shape=[8],
                 label=f"p={p}")


# --- jax.numpy math (session 10, jnp) -------------------------------------------------------------
# The trig/hyperbolic primitives, exp2, and the jnp compositions (log2, log10, hypot, isnan, isinf,
# nan_to_num, floor_divide), the axis moves (roll, moveaxis, swapaxes, ravel), quantile/percentile/
# median and nansum/nanmean; twins in StateLensNumpySide.java. Inputs include each function's edge
# values (domain ends, 0, ±1, NaN, ±inf, past f32's overflow). StateLens computes the primitives in
# double and rounds once; XLA's CPU lowering computes in f32 (chlo decompositions, its own
# polynomials), so "close" at the tolerance below per function, and the report counts the bit-exact
# elements. Everything built only from exact ops (moves, comparisons, selects) is "exact".
# rtol per function; atol 1e-30 keeps the test relative near 0. sinh/cosh: XLA's f32 exp(x + log(1/2))
# form is up to ~30 ulp off (23 measured); exp2: XLA's exp(x * ln 2) rounds the product to f32 (up to
# 32 ulp near 2^128, 18 at 2^100) and XLA's CPU flushes subnormal results to 0 (2^-126 gave 0), hence
# its atol of the smallest normal float.
JNP_TOL = {
    "tan": 1e-6, "arcsin": 1e-6, "arccos": 1e-6, "arctan": 1e-6, "arcsinh": 1e-6, "arccosh": 1e-6,
    "arctanh": 1e-6, "sinh": 4e-6, "cosh": 4e-6, "exp2": 4e-6, "log2": 1e-6, "log10": 1e-6, "hypot": 1e-6,
}
JNP_ATOL = {"exp2": 1.2e-38}
JNP_EDGES = {
    "tan": [0.0, -0.0, 1.0, -1.0, 1.5707964, -1.5707964, 3.1415927, 100.0, -300.5, 1e4, 1e6, 1e30, np.inf, np.nan],
    "arcsin": [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.999, -0.999, 0.9999999, 1e-8, 1.0000001, -2.0, np.nan],
    "arccos": [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 0.999, -0.999, 0.9999999, 1e-8, 1.0000001, -2.0, np.nan],
    "arctan": [0.0, -0.0, 1.0, -1.0, 1e-8, 0.5, 2.5, -7.0, 1e4, -1e30, np.inf, -np.inf, np.nan],
    "sinh": [0.0, -0.0, 1.0, -1.0, 1e-6, 0.3, 5.0, -10.0, 20.0, 88.0, -88.7, 89.4, 89.5, -100.0, np.inf, np.nan],
    "cosh": [0.0, -0.0, 1.0, -1.0, 1e-6, 0.3, 5.0, -10.0, 20.0, 88.0, -88.7, 89.4, 89.5, -100.0, np.inf, np.nan],
    "arcsinh": [0.0, -0.0, 1.0, -1.0, 1e-8, 0.5, -2.0, 10.0, 1e4, -1e10, 1e30, 3e38, -np.inf, np.nan],
    "arccosh": [1.0, 1.0000001, 1.001, 1.5, 2.0, 10.0, 1e4, 1e10, 1e30, 3e38, np.inf, 0.5, -1.0, np.nan],
    "arctanh": [0.0, -0.0, 1.0, -1.0, 1e-8, 0.5, -0.5, 0.999, -0.9999999, 0.3, 1.5, np.nan],
    "exp2": [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 13.0, 30.0, -10.5, 100.0, 127.9, 128.0, -126.0, -149.0, -150.0,
             np.inf, -np.inf, np.nan],
    "log2": [0.0, 1e-30, 1e-3, 0.5, 1.0, 2.0, 8.0, 1000.0, 3e38, np.inf, -1.0, np.nan],
    "log10": [0.0, 1e-30, 1e-3, 0.5, 1.0, 10.0, 1000.0, 12345.0, 3e38, np.inf, -1.0, np.nan],
}
# the ordinary range of each function (scrambled-sine values scaled into the domain)
JNP_RANGE = {"tan": (1.5, 0.0), "arcsin": (1.0, 0.0), "arccos": (1.0, 0.0), "arctan": (30.0, 0.0),
             "sinh": (20.0, 0.0), "cosh": (20.0, 0.0), "arcsinh": (1e3, 0.0), "arccosh": (500.0, 501.0),
             "arctanh": (1.0, 0.0), "exp2": (30.0, 0.0), "log2": (500.0, 500.5), "log10": (500.0, 500.5)}


def jnp_cases():
    for name, edges in JNP_EDGES.items():
        scale, shift = JNP_RANGE[name]
        x = np.concatenate([np.asarray(edges, F32), (arr((40,), scale, 1.0) + F32(shift)).astype(F32)])
        f = getattr(jnp, name)
        tol = dict(rtol=JNP_TOL[name], atol=JNP_ATOL.get(name, 1e-30))
        case(f"jnp/{name}", "close", {"out": f(x)}, {"x": x}, **tol)
        case(f"jnp/{name}", "close", {"out": jax.jit(f)(x)}, {"x": x}, label="jit", jit=True, **tol)
    ints = np.array([-3, -1, 0, 1, 2, 5], np.int32)
    for name in ("arctan", "sinh", "exp2", "log2"):  # integers promote to float32
        case(f"jnp/{name}", "close", {"out": getattr(jnp, name)(ints)}, {"x": ints}, label="int32",
             rtol=JNP_TOL[name], atol=JNP_ATOL.get(name, 1e-30))
    # gradients of every new primitive (lax's JVP rules), at points inside each domain
    gx = arr((12,), 0.9, 2.0)
    for name in ("tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arctanh", "exp2", "log2", "log10"):
        xin = np.abs(gx) + F32(0.1) if name in ("log2", "log10") else gx
        case(f"jnp/grad/{name}", "close", {"dx": jax.grad(lambda v: jnp.sum(getattr(jnp, name)(v)))(xin)},
             {"x": xin}, rtol=1e-5, atol=1e-6)
    xa = (np.abs(gx) + F32(1.1)).astype(F32)
    case("jnp/grad/arccosh", "close", {"dx": jax.grad(lambda v: jnp.sum(jnp.arccosh(v)))(xa)}, {"x": xa},
         rtol=1e-5, atol=1e-6)
    # hypot: overflow-free, inf beats NaN, 0 at (0, 0)
    hx = np.array([3.0, 3e30, 3e-30, 0.0, -np.inf, np.nan, np.nan, 1e38, -5.0, 0.0], F32)
    hy = np.array([4.0, 4e30, 4e-30, -0.0, np.nan, np.inf, 1.0, 1e38, 12.0, 7.0], F32)
    hx, hy = np.concatenate([hx, arr((20,), 5.0, 3.0)]), np.concatenate([hy, arr((20,), 5.0, 4.0)])
    case("jnp/hypot", "close", {"out": jnp.hypot(hx, hy)}, {"x": hx, "y": hy}, rtol=JNP_TOL["hypot"], atol=1e-30)
    gx2, gy2 = arr((8,), 3.0, 5.0), arr((8,), 3.0, 6.0)
    dx, dy = jax.grad(lambda a, b: jnp.sum(jnp.hypot(a, b)), argnums=(0, 1))(gx2, gy2)
    case("jnp/grad/hypot", "close", {"dx": dx, "dy": dy}, {"x": gx2, "y": gy2}, rtol=1e-5, atol=1e-6)
    special = np.array([1.0, np.nan, np.inf, -np.inf, -0.0, 3e38, -1.5, np.nan], F32)
    case("jnp/isnan", "exact", {"out": jnp.isnan(special)}, {"x": special})
    case("jnp/isinf", "exact", {"out": jnp.isinf(special)}, {"x": special})
    case("jnp/isnan", "exact", {"out": jnp.isnan(ints)}, {"x": ints}, label="int32")
    case("jnp/nan_to_num", "exact", {"out": jnp.nan_to_num(special)}, {"x": special})
    case("jnp/nan_to_num", "exact", {"out": jnp.nan_to_num(special, nan=-1.0, posinf=7.0, neginf=-7.0)},
         {"x": special}, nan=-1.0, posinf=7.0, neginf=-7.0, label="values")
    fa = np.array([7.0, -7.0, 7.0, 7.0, 1.0, 0.0, -1.0, 5.5, -5.5, 1e10, 0.3, -0.0], F32)
    fb = np.array([0.1, 2.0, 2.0, -2.0, 0.0, 0.0, 0.0, 2.0, 2.0, 3.0, 0.1, 5.0], F32)
    fa, fb = np.concatenate([fa, arr((20,), 10.0, 7.0)]), np.concatenate([fb, arr((20,), 3.0, 8.0)])
    case("jnp/floor_divide", "exact", {"out": jnp.floor_divide(fa, fb)}, {"x": fa, "y": fb}, label="float32")
    ia = np.array([-7, 7, 7, -7, 0, 0, -1, 2147483647, -2147483647, 9], np.int32)
    ib = np.array([2, -2, 2, 0, 0, 5, 5, 3, 2, -4], np.int32)
    case("jnp/floor_divide", "exact", {"out": jnp.floor_divide(ia, ib)}, {"x": ia, "y": ib}, label="int32")
    # axis moves: exact
    t = arr((2, 3, 4), 1.0, 9.0)
    for shift, axis in ((1, 0), (-5, 2), (7, None), (-2, -1)):
        case("jnp/roll", "exact", {"out": jnp.roll(t, shift, axis)}, {"x": t}, shift=shift, axis=axis,
             label=f"{shift}/{axis}")
    case("jnp/roll", "exact", {"out": jnp.roll(t, (1, -2), (0, 2))}, {"x": t}, shift=[1, -2], axis=[0, 2],
         label="two-axes")
    for src, dst in ((0, -1), (2, 0), ([0, 1], [-1, -2])):
        case("jnp/moveaxis", "exact", {"out": jnp.moveaxis(t, src, dst)}, {"x": t}, source=src, destination=dst,
             label=f"{src}->{dst}")
    case("jnp/swapaxes", "exact", {"out": jnp.swapaxes(t, 0, 2)}, {"x": t}, axis1=0, axis2=2)
    case("jnp/ravel", "exact", {"out": jnp.ravel(jnp.swapaxes(t, 1, 2))}, {"x": t}, label="of-swapaxes")
    w = arr((2, 3, 4), 1.0, 10.0)
    case("jnp/grad/roll", "exact", {"dx": jax.grad(lambda v: jnp.sum(jnp.roll(v, 3, 1) * w))(t)}, {"x": t, "w": w})
    # quantiles: linear (quantile, percentile) and midpoint (median); a NaN row
    q = arr((4, 7), 10.0, 11.0)
    q_nan = q.copy()
    q_nan[2, 3] = np.nan
    qtol = dict(rtol=1e-6, atol=1e-6)
    for level in (0.0, 0.3, 0.5, 0.9, 1.0):
        case("jnp/quantile", "close", {"out": jnp.quantile(q, level)}, {"x": q}, q=level, axis=None, keepdims=False,
             label=f"{level}", **qtol)
    case("jnp/quantile", "close", {"out": jnp.quantile(q_nan, 0.3, axis=1)}, {"x": q_nan}, q=0.3, axis=1,
         keepdims=False, label="axis1-nan", **qtol)
    case("jnp/quantile", "close", {"out": jnp.quantile(q, 0.75, axis=0, keepdims=True)}, {"x": q}, q=0.75, axis=0,
         keepdims=True, label="axis0-keepdims", **qtol)
    case("jnp/quantile", "close", {"out": jnp.quantile(q, jnp.array([0.1, 0.5, 0.95]), axis=-1)}, {"x": q},
         q=[0.1, 0.5, 0.95], axis=-1, keepdims=False, label="levels", **qtol)
    case("jnp/percentile", "close", {"out": jnp.percentile(q, 30.0, axis=1)}, {"x": q}, q=30.0, axis=1,
         keepdims=False, **qtol)
    case("jnp/median", "close", {"out": jnp.median(q)}, {"x": q}, axis=None, keepdims=False, **qtol)
    case("jnp/median", "close", {"out": jnp.median(q_nan, axis=1, keepdims=True)}, {"x": q_nan}, axis=1,
         keepdims=True, label="axis1-nan", **qtol)
    case("jnp/median", "close", {"out": jnp.median(q[:, :6], axis=1)}, {"x": q[:, :6]}, axis=1, keepdims=False,
         label="even", **qtol)
    case("jnp/grad/median", "close", {"dx": jax.grad(lambda v: jnp.sum(jnp.median(v, axis=1)))(q)}, {"x": q},
         **qtol)
    case("jnp/grad/quantile", "close", {"dx": jax.grad(lambda v: jnp.sum(jnp.quantile(v, 0.3, axis=0)))(q)},
         {"x": q}, **qtol)
    case("jnp/nansum", "close", {"out": jnp.nansum(q_nan, axis=1)}, {"x": q_nan}, axis=1, **qtol)
    case("jnp/nanmean", "close", {"out": jnp.nanmean(q_nan, axis=1)}, {"x": q_nan}, axis=1, **qtol)
    case("jnp/nanmean", "close", {"out": jnp.nanmean(q_nan)}, {"x": q_nan}, axis=None, label="all", **qtol)


# --- custom_jvp, associative_scan, attention, jnp/linalg left (session 11, jnp4) -----------------
# Twins in StateLensMoreSide.java, every name under "more/". custom_jvp: the same rule on both
# sides (log1pexp from JAX's docs) and JAX's own custom-JVP functions (logaddexp, softplus,
# log_sigmoid), whose gradients at ties (0) are the rule's, not max's.


def log1pexp_rule():
    @jax.custom_jvp
    def log1pexp(x):
        return jnp.log1p(jnp.exp(x))

    @log1pexp.defjvp
    def _(primals, tangents):
        (x,), (t,) = primals, tangents
        return log1pexp(x), t * (1 - 1 / (1 + jnp.exp(x)))
    return log1pexp


def more_custom_jvp_cases():
    f = log1pexp_rule()
    x = np.concatenate([np.array([0.0, -0.0, 3.0, -30.0, 100.0, -100.0], F32), arr((10,), 5.0, 1.0)])
    tol = dict(rtol=1e-6, atol=1e-30)
    case("more/custom_jvp/log1pexp", "close", {"out": f(x), "dx": jax.grad(lambda v: jnp.sum(f(v)))(x),
         "jvp": jax.jvp(f, (x,), (jnp.ones_like(x) * 0.5,))[1]}, {"x": x}, **tol)
    case("more/custom_jvp/log1pexp", "close", {"dx": jax.jit(jax.grad(lambda v: jnp.sum(f(v))))(x),
         "d2x": jax.grad(lambda v: jnp.sum(jax.grad(lambda u: jnp.sum(f(u)))(v)))(x)}, {"x": x}, label="jit-second",
         **tol)
    sx = np.concatenate([np.array([0.0, -0.0, 1e-8, -3.0, 20.0, 100.0, -100.0, -200.0, np.inf, -np.inf], F32),
                         arr((10,), 8.0, 2.0)])
    for name in ("softplus", "log_sigmoid"):
        g = getattr(jax.nn, name)
        case(f"more/nn/{name}", "close", {"out": g(sx)}, {"x": sx}, **tol)
        case(f"more/grad/{name}", "close", {"dx": jax.grad(lambda v: jnp.sum(g(v)))(sx)}, {"x": sx}, **tol)
    a = np.array([0.0, 1.0, -2.0, np.inf, -np.inf, np.inf, np.nan, 1e30, -1e30, 88.0], F32)
    b = np.array([0.0, 1.0, 3.0, np.inf, -np.inf, 1.0, 0.0, 1e30, 5.0, 89.0], F32)
    case("more/logaddexp", "close", {"out": jnp.logaddexp(a, b)}, {"x": a, "y": b}, **tol)
    ga, gb = a[[0, 1, 2, 5, 7, 8, 9]], b[[0, 1, 2, 5, 7, 8, 9]]
    dx, dy = jax.grad(lambda u, v: jnp.sum(jnp.logaddexp(u, v)), argnums=(0, 1))(ga, gb)
    case("more/grad/logaddexp", "close", {"dx": dx, "dy": dy}, {"x": ga, "y": gb}, **tol)



def linear_recurrence(e1, e2):
    """h_t = a_t h_{t-1} + b_t as an associative combine of (a, b) pairs."""
    (a1, b1), (a2, b2) = e1, e2
    return a2 * a1, a2 * b1 + b2


def more_associative_scan_cases():
    tol = dict(rtol=1e-6, atol=1e-30)
    for shape, axis, rev in (((13,), 0, False), ((8,), 0, True), ((1,), 0, False), ((3, 7), 1, False),
                             ((6, 2), 0, True), ((2, 5, 3), -2, False), ((2, 5, 3), 1, True)):
        x = arr(shape, 3.0, 12.0)
        label = f"{'x'.join(map(str, shape))}/axis{axis}" + ("/reverse" if rev else "")
        case("more/associative_scan/add", "exact", {"out": lax.associative_scan(jnp.add, x, reverse=rev, axis=axis)},
             {"x": x}, axis=axis, reverse=rev, label=label)
    a, b = arr((11, 3), 0.9, 13.0), arr((11, 3), 1.0, 14.0)
    for rev in (False, True):
        ra, rb = lax.associative_scan(linear_recurrence, (a, b), reverse=rev)
        case("more/associative_scan/recurrence", "exact", {"a": ra, "b": rb}, {"x": a, "y": b}, reverse=rev,
             label="reverse" if rev else "forward")
    w = arr((11, 3), 1.0, 15.0)
    da, db = jax.grad(lambda u, v: jnp.sum(lax.associative_scan(linear_recurrence, (u, v))[1] * w),
                      argnums=(0, 1))(a, b)
    case("more/grad/associative_scan/recurrence", "close", {"dx": da, "dy": db}, {"x": a, "y": b, "w": w}, **tol)
    mats = arr((6, 2, 2), 1.0, 16.0)
    case("more/associative_scan/matmul", "close", {"out": lax.associative_scan(jnp.matmul, mats)}, {"x": mats},
         **tol)
    ints = np.array([3, -1, 4, 1, -5, 9, 2, -6, 5], np.int32)
    case("more/associative_scan/max", "exact", {"out": lax.associative_scan(jnp.maximum, ints)}, {"x": ints})
    flags = np.array([False, False, True, False, True, False], np.bool_)
    case("more/associative_scan/or", "exact", {"out": lax.associative_scan(jnp.logical_or, flags, reverse=True)},
         {"x": flags})
    xs = jnp.stack([arr((9,), 2.0, 17.0), arr((9,), 2.0, 18.0)])
    case("more/vmap/associative_scan", "exact", {"out": jax.vmap(lambda r: lax.associative_scan(jnp.add, r))(xs)},
         {"x": np.asarray(xs)})
    c = np.concatenate([np.array([0.0, -np.inf, 50.0, -3.0, 100.0, np.inf, 1.0], F32), arr((9,), 4.0, 19.0)])
    case("more/cumlogsumexp", "close", {"out": lax.cumlogsumexp(c)}, {"x": c}, axis=0, reverse=False, **tol)
    c2 = arr((3, 6), 4.0, 20.0)
    case("more/cumlogsumexp", "close", {"out": lax.cumlogsumexp(c2, axis=1, reverse=True)}, {"x": c2}, axis=1,
         reverse=True, label="axis1-reverse", **tol)
    case("more/grad/cumlogsumexp", "close",
         {"dx": jax.grad(lambda v: jnp.sum(lax.cumlogsumexp(v, axis=1) * c2[::-1]))(c2)}, {"x": c2, "w": c2[::-1]},
         **tol)
    ties = np.array([1.0, 3.0, 3.0, 2.0, 5.0, 5.0, 5.0, 0.0], F32)
    case("more/grad/cummax", "close", {"dx": jax.grad(lambda v: jnp.sum(lax.cummax(v) * ties))(ties)},
         {"x": ties}, **tol)
    case("more/grad/cummin", "close", {"dx": jax.grad(lambda v: jnp.sum(lax.cummin(v) * ties))(-ties)},
         {"x": -ties, "w": ties}, **tol)


def more_attention_cases():
    tol = dict(rtol=2e-6, atol=1e-6)
    q, k, v = arr((2, 5, 4, 8), 1.0, 21.0), arr((2, 6, 2, 8), 1.0, 22.0), arr((2, 6, 2, 8), 1.0, 23.0)
    attn = jax.nn.dot_product_attention
    case("more/attention", "close", {"out": attn(q, k, v)}, {"q": q, "k": k, "v": v}, label="gqa", **tol)
    bias = arr((1, 4, 5, 6), 2.0, 24.0)
    mask = arr((2, 1, 5, 6), 1.0, 25.0) > -0.6
    case("more/attention", "close", {"out": attn(q, k, v, bias, mask, scale=0.3)},
         {"q": q, "k": k, "v": v, "bias": bias, "mask": mask}, scale=0.3, label="bias-mask-scale", **tol)
    qs = arr((2, 6, 2, 8), 1.0, 26.0)
    case("more/attention", "close", {"out": attn(qs, k, v, is_causal=True)}, {"q": qs, "k": k, "v": v},
         causal=True, label="causal", **tol)
    ql, kl = np.array([3, 6], np.int32), np.array([4, 2], np.int32)
    case("more/attention", "close", {"out": attn(qs, k, v, query_seq_lengths=ql, key_value_seq_lengths=kl,
                                                   local_window_size=(2, 1))},
         {"q": qs, "k": k, "v": v, "ql": ql, "kl": kl}, window=[2, 1], label="lengths-window", **tol)
    q3, k3, v3 = arr((5, 2, 4), 1.0, 27.0), arr((7, 2, 4), 1.0, 28.0), arr((7, 2, 4), 1.0, 29.0)
    case("more/attention", "close", {"out": attn(q3, k3, v3)}, {"q": q3, "k": k3, "v": v3}, label="rank3", **tol)
    w = arr((2, 5, 4, 8), 1.0, 30.0)
    dq, dk, dv = jax.grad(lambda a, b, c: jnp.sum(attn(a, b, c, is_causal=False, bias=bias) * w),
                          argnums=(0, 1, 2))(q, k, v)
    case("more/grad/attention", "close", {"dq": dq, "dk": dk, "dv": dv}, {"q": q, "k": k, "v": v, "bias": bias, "w": w},
         rtol=1e-5, atol=1e-6)
    qb, kb, vb = (jnp.asarray(t, jnp.bfloat16) for t in (q, k, v))
    case("more/attention", "close", {"out": attn(qb, kb, vb, is_causal=True)},
         {"q": np.asarray(qb), "k": np.asarray(kb), "v": np.asarray(vb)}, causal=True, label="bfloat16",
         rtol=1e-2, atol=1e-2)


def more_jnp_cases():
    tol = dict(rtol=1e-6, atol=1e-6)
    a, b = arr((2, 3), 1.0, 31.0), arr((3, 2), 1.0, 32.0)
    case("more/kron", "exact", {"out": jnp.kron(a, b)}, {"x": a, "y": b})
    v3 = arr((4, 3), 2.0, 33.0)
    # cross and polyval: XLA's CPU contracts a*b - c*d and y*x + p into FMAs, StateLens rounds each op: ulps
    case("more/cross", "close", {"out": jnp.cross(v3, arr((3,), 2.0, 34.0))}, {"x": v3, "y": arr((3,), 2.0, 34.0)},
         **tol)
    case("more/cross", "close", {"out": jnp.cross(arr((4, 2), 2.0, 35.0), v3)}, {"x": arr((4, 2), 2.0, 35.0), "y": v3},
         label="2x3", **tol)
    case("more/cross", "close", {"out": jnp.cross(arr((4, 2), 2.0, 35.0), arr((4, 2), 2.0, 36.0))},
         {"x": arr((4, 2), 2.0, 35.0), "y": arr((4, 2), 2.0, 36.0)}, label="2x2", **tol)
    x = arr((5,), 1.5, 37.0)
    case("more/vander", "close", {"out": jnp.vander(x)}, {"x": x}, n=5, increasing=False, **tol)
    case("more/vander", "close", {"out": jnp.vander(x, 3, increasing=True)}, {"x": x}, n=3, increasing=True,
         label="3-increasing", **tol)
    p = arr((6,), 2.0, 38.0)
    px = arr((3, 4), 1.5, 39.0)
    case("more/polyval", "close", {"out": jnp.polyval(p, px)}, {"x": px, "p": p}, **tol)
    case("more/grad/polyval", "close", {"dx": jax.grad(lambda u: jnp.sum(jnp.polyval(p, u)))(px)}, {"x": px, "p": p},
         **tol)
    s1, s2 = arr((9,), 1.0, 40.0), arr((4,), 1.0, 41.0)
    for op in ("convolve", "correlate"):
        for mode in ("full", "same", "valid"):
            f = getattr(jnp, op)
            case(f"more/{op}", "close", {"out": f(s1, s2, mode=mode)}, {"x": s1, "y": s2}, mode=mode, label=mode, **tol)
            case(f"more/{op}", "close", {"out": f(s2, s1, mode=mode)}, {"x": s2, "y": s1}, mode=mode,
                 label=mode + "-swapped", **tol)
    xp = np.array([0.0, 1.0, 1.0, 2.5, 4.0, 7.0], F32)
    fp = np.array([1.0, -2.0, 3.0, 0.5, 8.0, 2.0], F32)
    xi = np.concatenate([np.array([-1.0, 0.0, 1.0, 2.5, 7.0, 9.0, 0.5, 5.5], F32), arr((8,), 3.5, 42.0) + F32(3.5)])
    case("more/interp", "close", {"out": jnp.interp(xi, xp, fp)}, {"x": xi, "xp": xp, "fp": fp}, **tol)
    case("more/interp", "close", {"out": jnp.interp(xi, xp, fp, left=-9.0, right=9.0)}, {"x": xi, "xp": xp, "fp": fp},
         left=-9.0, right=9.0, label="left-right", **tol)
    case("more/grad/interp", "close", {"dx": jax.grad(lambda u: jnp.sum(jnp.interp(u, xp, fp)))(xi)},
         {"x": xi, "xp": xp, "fp": fp}, **tol)
    counts = np.array([0, 1, 1, 3, 2, 1, 7, -2, 9, 3], np.int32)
    case("more/bincount", "exact", {"out": jnp.bincount(counts, length=8)}, {"x": counts}, length=8)
    wts = arr((10,), 1.0, 43.0)
    case("more/bincount", "close", {"out": jnp.bincount(counts, wts, length=5)}, {"x": counts, "w": wts}, length=5,
         label="weights", **tol)
    m = arr((3, 5), 1.0, 44.0)
    case("more/pinv", "close", {"out": jnp.linalg.pinv(m)}, {"x": m}, rtol=1e-5, atol=1e-5)
    case("more/pinv", "close", {"out": jnp.linalg.pinv(m.T)}, {"x": m.T.copy()}, label="tall", rtol=1e-5, atol=1e-5)
    wp = arr((5, 3), 1.0, 45.0)
    case("more/grad/pinv", "close", {"dx": jax.grad(lambda u: jnp.sum(jnp.linalg.pinv(u) * wp))(m)}, {"x": m, "w": wp},
         rtol=1e-4, atol=1e-4)
    sq = (arr((2, 3, 3), 0.8, 46.0) + 2 * np.eye(3, dtype=F32)).astype(F32)  # well conditioned, for n < 0
    for n in (0, 1, 3, 6, 13, -2):
        case("more/matrix_power", "close", {"out": jnp.linalg.matrix_power(sq, n)}, {"x": sq}, n=n, label=f"{n}",
             rtol=1e-5, atol=1e-5)

def more_cases():
    more_custom_jvp_cases()
    more_associative_scan_cases()
    more_attention_cases()
    more_jnp_cases()

def config(name):
    """A jax.config flag's value, or None where this JAX has no such flag."""
    try:
        return jax.config.read(name) if hasattr(jax.config, "read") else getattr(jax.config, name)
    except (AttributeError, KeyError, ValueError):
        return getattr(jax.config, name, None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="jax-reference.json")
    opts = ap.parse_args()
    if config("jax_enable_x64"):
        sys.exit("run without JAX_ENABLE_X64: the references are JAX's float32/int32 defaults")
    random_cases()
    sixteen_bit_cases()
    initializer_cases()
    linalg_cases()
    conv_cases()
    array_cases()
    nn_cases()
    grad_cases()
    vmap_control_cases()
    from special_reference import special_cases  # special/ cases (session 11): bench/gpu/special_reference.py
    special_cases(case, arr)
    from jnp5_reference import jnp5_cases  # jnp5/ cases (session 12): jax.ops segments, ...: bench/gpu/jnp5_reference.py
    jnp5_cases(case, arr)
    from jnp6_reference import jnp6_cases  # jnp6/ cases (session 13): binomial, nonzero/unique size=, ...: bench/gpu/jnp6_reference.py
    jnp6_cases(case, arr)
    from jnp7_reference import jnp7_cases  # jnp7/ cases (session 13): zeta, jnp math, lax, shapes, linalg: bench/gpu/jnp7_reference.py
    jnp7_cases(case, arr)
    from stats_reference import jnp8_cases  # jnp8/ cases (session 14): jax.scipy.stats, logsumexp b=, sorting: bench/gpu/stats_reference.py
    jnp8_cases(case, arr)
    from fft_reference import fft_cases  # fft/ cases (session 14): complex64, jnp.fft, their grads: bench/gpu/fft_reference.py
    fft_cases(case, arr)
    from complex_reference import complex_cases  # complex/ cases (session 15): c64 math and autodiff: bench/gpu/complex_reference.py
    complex_cases(case, arr)
    from complex_order_reference import complex_order_cases  # complexorder/ cases (session 16): jnp's order on c64: bench/gpu/complex_order_reference.py
    complex_order_cases(case, arr)
    from jnp9_reference import jnp9_cases  # jnp9/ cases (session 15): the rest of jax.scipy.stats and special: bench/gpu/jnp9_reference.py
    jnp9_cases(case, arr)
    from jnp10_reference import jnp10_cases  # jnp10/ cases (session 16): expi/exp1/expn, hyp1f1, bessel_jn, sph_harm_y: bench/gpu/jnp10_reference.py
    jnp10_cases(case, arr)
    from weak_reference import weak_cases  # weak/ cases (session 18): Python scalars next to arrays: bench/gpu/weak_reference.py
    weak_cases(case, arr)
    from recip_reference import recip_cases  # recip/ cases (session 18): XLA's A / Const as A * (1/Const): bench/gpu/recip_reference.py
    recip_cases(case, arr)
    from int_inputs_reference import int_inputs_cases  # intinputs/ cases (session 19): jvp/linearize/jacrev with integer inputs: bench/gpu/int_inputs_reference.py
    int_inputs_cases(case, arr)
    jnp_cases()
    random3_cases()
    more_cases()
    doc = {
        "format": "statelens-jax-reference/1",
        "jax_version": jax.__version__,
        "jaxlib_version": importlib.metadata.version("jaxlib"),
        "platform": jax.default_backend(),
        "devices": [str(d) for d in jax.devices()],
        "jax_default_prng_impl": str(config("jax_default_prng_impl")),
        # the Java side picks StateLens's layout from this flag; the "split" cases check it
        "jax_threefry_partitionable": bool(config("jax_threefry_partitionable")),
        "source": "bench/gpu/jax_reference.py run against real JAX",
        "cases": CASES,
    }
    with open(opts.output, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {len(CASES)} cases to {opts.output} (JAX {jax.__version__}, {doc['platform']}, "
          f"threefry_partitionable={doc['jax_threefry_partitionable']})")


if __name__ == "__main__":
    main()
