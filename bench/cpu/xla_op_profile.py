"""Where XLA's CPU time goes in the transformer step (AdamW), op by op, on one thread.

Runs the step of transformer_jax.py under jax.profiler with XLA's per-thunk trace events
(--xla_cpu_enable_xprof_traceme), reads the Perfetto trace, and sums each HLO instruction of the
compiled entry computation over the traced steps: dots (XLA's `dot` and its YNNPACK `ynn_fusion`s,
which also carry some reductions), loop fusions (elementwise, broadcasts, transposes), others.
Prints the categories and the largest ops, to set beside StepProfileProbe's per-step table.
Times are wall time of the trace events: on a loaded machine compare shares, not microseconds.

  JAX_PLATFORMS=cpu /tmp/o2venv/bin/python bench/cpu/xla_op_profile.py [steps] [rows]
"""
import collections
import glob
import gzip
import json
import os
import re
import sys
import tempfile

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1 "
                           "--xla_cpu_enable_xprof_traceme=true")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jax  # noqa: E402
import optax  # noqa: E402

import transformer_jax as T  # noqa: E402


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    kp, kx = jax.random.split(jax.random.key(0))
    params = T.init(kp)
    tokens = jax.random.randint(kx, (T.BATCH, T.CONTEXT + 1), 0, T.VOCAB)
    x, y = tokens[:, :-1], tokens[:, 1:]
    adamw = optax.adamw(T.ADAM_LR, 0.9, 0.999, 1e-8, weight_decay=T.WEIGHT_DECAY)
    step = T.make_step(adamw, T.loss)
    state = adamw.init(params)
    hlo = step.lower(params, state, x, y).compile().as_text()
    for _ in range(30):
        jax.block_until_ready(step(params, state, x, y))
    out = tempfile.mkdtemp(prefix="xla_op_profile")
    with jax.profiler.trace(out, create_perfetto_trace=True):
        for _ in range(steps):
            jax.block_until_ready(step(params, state, x, y))
    trace = sorted(glob.glob(os.path.join(out, "plugins/profile/*/perfetto_trace.json.gz")))[-1]
    events = json.load(gzip.open(trace))
    events = events["traceEvents"] if isinstance(events, dict) else events

    entry = hlo[hlo.index("ENTRY"):]
    defs = {}
    for line in entry.splitlines():
        m = re.match(r"\s*(?:ROOT )?%?([\w.\-]+) = (\S+) ([\w\-]+)\(", line)
        if m:
            defs[m.group(1)] = (m.group(2), m.group(3), line)
    per_op = collections.Counter()
    for e in events:
        if e.get("ph") == "X" and e["name"] in defs:
            per_op[e["name"]] += e.get("dur", 0) / steps
    categories = collections.Counter()
    table = []
    for name, us in per_op.items():
        shape, op, line = defs[name]
        kind = re.search(r"kind=(\w+)", line)
        cat = "dot (ynn_fusion)" if name.startswith("ynn") else (
            "fusion " + (kind.group(1) if kind else "?") if op == "fusion" else op)
        categories[cat] += us
        table.append((us, cat, shape, name))
    total = sum(categories.values())
    print(f"{len(per_op)} ops, {total:.0f} us per step in HLO ops (wall time of the trace events)")
    for cat, us in categories.most_common():
        print(f"{us:9.0f} us {100 * us / total:5.1f}%  {cat}")
    for us, cat, shape, name in sorted(table, reverse=True)[:rows]:
        print(f"{us:8.1f} us  {cat:18s} {shape:28s} {name}")


if __name__ == "__main__":
    main()
