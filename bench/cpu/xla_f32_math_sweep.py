#!/usr/bin/env python3
"""What XLA's CPU backend computes for f32 exp, log, tanh, logistic, expm1, log1p and erf, as digests
of a sweep.

    JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/cpu/xla_f32_math_sweep.py \
        -o engine/src/test/resources/jaxref/xla-f32-math-sweep.json

The sweep: every 97th f32 bit pattern in [0, 0x7f800000) (the finite non-negative floats), then
the same values negated, then 0, -0, inf, -inf, NaN and the smallest subnormals (44,105,061
inputs). Each function runs jitted over the whole sweep; its output bits (little-endian uint32,
every NaN written as 0x7fc00000) are cut into CHUNKS equal parts and each part is hashed with
SHA-256, so the Java test (XlaF32MathTest) can say which part of the range differs. Inputs and
outputs are too large to keep (176 MB a function); the digests are what is recorded.
"""
import argparse
import hashlib
import json

import jax
import jax.numpy as jnp
import numpy as np

STEP = 97
CHUNKS = 64
EDGES = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45]
FUNCTIONS = {"exp": jnp.exp, "log": jnp.log, "tanh": jnp.tanh, "logistic": jax.nn.sigmoid,
             "expm1": jnp.expm1, "log1p": jnp.log1p, "erf": jax.lax.erf}


def sweep():
    pos = np.arange(0, 0x7F800000, STEP, dtype=np.uint32).view(np.float32)
    return np.concatenate([pos, -pos, np.array(EDGES, np.float32)])


def digests(out):
    bits = out.view(np.uint32).copy()
    bits[np.isnan(out)] = 0x7FC00000
    raw = bits.astype("<u4")
    bounds = np.linspace(0, raw.size, CHUNKS + 1).astype(np.int64)
    return [hashlib.sha256(raw[bounds[i]:bounds[i + 1]].tobytes()).hexdigest() for i in range(CHUNKS)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--out", required=True)
    args = ap.parse_args()
    x = sweep()
    result = {"jax": jax.__version__, "platform": jax.devices()[0].platform, "step": STEP, "chunks": CHUNKS,
              "inputs": int(x.size), "edges": [str(e) for e in EDGES], "digests": {}}
    for name, fn in FUNCTIONS.items():
        result["digests"][name] = digests(np.asarray(jax.jit(fn)(x)))
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
