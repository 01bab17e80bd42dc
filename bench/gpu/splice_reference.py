"""Replaces one area's cases in the reference JSON on disk, leaving every other case as it is.

A full run of jax_reference.py takes 15-25 minutes on the shared machine, and engineers who add
cases at the same time overwrote each other's when each wrote back a whole file. This re-reads the
JSON right before writing, runs one area's case function (the one jax_reference.main calls), and
puts its cases where that area's cases were (at the end when it had none):

  JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/gpu/splice_reference.py complexorder/ \
      complex_order_reference:complex_order_cases -o engine/src/test/resources/jaxref/jax-0.10.2-cpu.json
"""

import argparse
import importlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jax_reference as ref  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("prefix", help="the area's case name prefix, e.g. complexorder/")
    ap.add_argument("function", help="MODULE:FUNCTION that takes (case, arr), e.g. complex_order_reference:complex_order_cases")
    ap.add_argument("-o", "--output", required=True)
    opts = ap.parse_args()
    module, function = opts.function.split(":")
    getattr(importlib.import_module(module), function)(ref.case, ref.arr)
    fresh = [c for c in ref.CASES if c["fn"].startswith(opts.prefix)]
    if len(fresh) != len(ref.CASES):
        sys.exit(f"{opts.function} wrote cases outside {opts.prefix}: widen the prefix")
    with open(opts.output) as f:
        doc = json.load(f)
    cases = doc["cases"]
    old = [i for i, c in enumerate(cases) if c["fn"].startswith(opts.prefix)]
    at = old[0] if old else len(cases)
    kept = [c for c in cases if not c["fn"].startswith(opts.prefix)]
    doc["cases"] = kept[:at] + fresh + kept[at:]
    with open(opts.output, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"{opts.output}: {len(old)} {opts.prefix} cases replaced by {len(fresh)}, {len(kept)} others kept")


if __name__ == "__main__":
    main()
