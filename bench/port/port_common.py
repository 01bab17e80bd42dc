"""Shared by the port programs: run on CPU in f32 and write the per-step record as JSON.

Each program writes {"program", "jax", "optax", "steps", "loss": [per step], "checks": {...}}
where "checks" holds a few named floats (data and parameter checksums) that the Java port
compares too, so a mismatch is pinned to data, initialisation or training.
"""

import argparse
import importlib.metadata
import json
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402


def out_path(default):
    parser = argparse.ArgumentParser()
    parser.add_argument("-o", "--out", default=default)
    return parser.parse_args().out


def checksum(tree):
    """sum of every leaf's elements and of their absolute values, in f64 (order-insensitive enough)."""
    import numpy as np
    leaves = jax.tree.leaves(tree)
    return {"sum": float(sum(np.asarray(l, np.float64).sum() for l in leaves)),
            "abs": float(sum(np.abs(np.asarray(l, np.float64)).sum() for l in leaves))}


def write(path, program, losses, checks):
    record = {"program": program,
              "jax": jax.__version__,
              "optax": importlib.metadata.version("optax"),
              "platform": jax.default_backend(),
              "steps": len(losses),
              "loss": [float(l) for l in losses],
              "checks": checks}
    with open(path, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(f"{program}: {len(losses)} steps, loss {losses[0]:.6g} -> {losses[-1]:.6g}; wrote {path}")
