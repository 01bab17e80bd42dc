"""Real optax numbers for OptaxReferenceTest (docs/optim.md, "Checked against real optax").

Runs every optimizer case of OptaxReferenceTest with the installed jax and optax and writes the
params after each step (and the wrappers' counters) as JSON. Needs no GPU:

    python3 bench/gpu/optax_reference.py -o engine/src/test/resources/optaxref/optax-reference.json

The cases must match OptaxReferenceTest.CASES by name (the test fails on a case it does not know
and on one the file lacks). The problem is the optimizer tests' fixture: params w = [0.5, -1.25, 2],
b = 0.75 and the gradient of sum((p - t)^3 + (p - t)^2), t = ([1.5, 0.25, -1], -0.5); "nan" puts a
NaN into b's gradient at step 2 and an Inf at step 4; "mini" adds (call % 3 - 1) * ([0.3, -0.2,
0.1], 0.25) to the gradient (three different mini-batches per round).

F64 cases run with jax_enable_x64. The linear and exponential schedule cases are F32 only: under
x64 optax's linear_schedule and exponential_decay still return float32 (int32 count / int is
float32 in JAX), so optax's F64 training uses an f32-rounded rate where StateLens's Schedule
computes in F64 (a difference of ~1e-8 relative, not a formula difference).
"""

import argparse
import importlib.metadata
import json
import sys

try:
    import jax
    import jax.numpy as jnp
    import optax
except ImportError as e:  # said plainly: the bundled file stays as it is
    sys.exit(f"optax_reference.py needs jax and optax ({e}); the bundled reference file is unchanged")

jax.config.update("jax_enable_x64", True)

W0, B0 = [0.5, -1.25, 2.0], 0.75
TW, TB = [1.5, 0.25, -1.0], -0.5


def params0(dt):
    return {"w": jnp.array(W0, dt), "b": jnp.array(B0, dt)}


def fixture_grads(p):
    dw = p["w"] - jnp.array(TW, p["w"].dtype)
    db = p["b"] - jnp.array(TB, p["b"].dtype)
    return {"w": 3 * dw**2 + 2 * dw, "b": 3 * db**2 + 2 * db}


def grads(kind, p, t):
    g = fixture_grads(p)
    if kind == "nan" and t in (2, 4):
        g = {"w": g["w"], "b": jnp.array(float("nan") if t == 2 else float("inf"), g["b"].dtype)}
    if kind == "mini":
        k = t % 3 - 1
        g = {"w": g["w"] + jnp.array([0.3, -0.2, 0.1], g["w"].dtype) * k, "b": g["b"] + 0.25 * k}
    return g


def flat(p):
    return [float(x) for x in p["w"]] + [float(p["b"])]


def run(name, opt, steps, dtype="f64", kind="fixture", counters=None):
    dt = jnp.float64 if dtype == "f64" else jnp.float32
    p = params0(dt)
    s = opt.init(p)
    out, extra = [], []
    for t in range(steps):
        u, s = opt.update(grads(kind, p, t), s, p)
        p = optax.apply_updates(p, u)
        out.append(flat(p))
        if counters:
            extra.append(counters(s))
    case = {"name": name, "dtype": dtype, "grads": kind, "params": out}
    if counters:
        case["counters"] = extra
    return case


def cases():
    lin = optax.linear_schedule(0.05, 0.005, 5)
    yield run("rmsprop", optax.rmsprop(0.01), 8)
    yield run("rmsprop_f32", optax.rmsprop(0.01), 8, "f32")
    yield run("rmsprop_initial_scale", optax.rmsprop(0.02, decay=0.8, eps=1e-4, initial_scale=0.5), 8)
    yield run("rmsprop_centered", optax.rmsprop(0.01, initial_scale=1.0, centered=True), 8)
    yield run("rmsprop_momentum", optax.rmsprop(0.01, momentum=0.9), 8)
    yield run("rmsprop_nesterov", optax.rmsprop(0.01, momentum=0.9, nesterov=True), 8)
    yield run("rmsprop_schedule_f32", optax.rmsprop(lin), 8, "f32")
    yield run("rmsprop_schedule_centered_nesterov_f32",
              optax.rmsprop(lin, initial_scale=0.1, centered=True, momentum=0.5, nesterov=True), 8, "f32")
    yield run("adagrad", optax.adagrad(0.1), 8)
    yield run("adagrad_f32", optax.adagrad(0.1), 8, "f32")
    yield run("adagrad_args", optax.adagrad(0.3, initial_accumulator_value=2.0, eps=1e-3), 8)
    yield run("adagrad_schedule_f32", optax.adagrad(optax.exponential_decay(0.2, 2, 0.5)), 8, "f32")
    yield run("lion", optax.lion(0.01), 8)
    yield run("lion_f32", optax.lion(0.01), 8, "f32")
    yield run("lion_args", optax.lion(0.02, b1=0.5, b2=0.9, weight_decay=0.3), 8)
    yield run("lion_schedule", optax.lion(optax.cosine_decay_schedule(0.05, 6)), 8)
    # the optimizers that were here before, for the same check
    yield run("sgd", optax.sgd(0.02), 6)
    yield run("sgd_nesterov", optax.sgd(0.02, momentum=0.9, nesterov=True), 6)
    yield run("adam", optax.adam(0.05), 8)
    yield run("adam_f32", optax.adam(0.05), 8, "f32")
    yield run("adamw", optax.adamw(0.03, b1=0.8, b2=0.99, eps=1e-6, weight_decay=0.5), 8)
    yield run("clip_adamw_cosine", optax.chain(optax.clip_by_global_norm(1.0),
                                               optax.adamw(optax.cosine_decay_schedule(0.05, 6))), 8)
    aif = lambda s: {"notfinite_count": int(s.notfinite_count), "last_finite": bool(s.last_finite),
                     "total_notfinite": int(s.total_notfinite)}
    yield run("apply_if_finite_adam", optax.apply_if_finite(optax.adam(0.05), 3), 6, kind="nan", counters=aif)
    yield run("apply_if_finite_sgd_max0", optax.apply_if_finite(optax.sgd(0.1), 0), 4, kind="nan", counters=aif)
    ms = lambda s: {"mini_step": int(s.mini_step), "gradient_step": int(s.gradient_step)}
    yield run("multi_steps_adam", optax.MultiSteps(optax.adam(0.05), 3), 9, kind="mini", counters=ms)
    yield run("multi_steps_momentum_f32", optax.MultiSteps(optax.sgd(0.02, momentum=0.9, nesterov=True), 2), 6,
              "f32", kind="mini", counters=ms)
    yield run("masked_decay_sgd",
              optax.chain(optax.add_decayed_weights(0.5, mask={"w": True, "b": False}), optax.sgd(0.1)), 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", default="optax-reference.json")
    a = ap.parse_args()
    doc = {
        "format": "statelens-optax-reference/1",
        "jax_version": jax.__version__,
        "optax_version": importlib.metadata.version("optax"),
        "platform": jax.default_backend(),
        "cases": list(cases()),
    }
    with open(a.output, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {len(doc['cases'])} cases to {a.output} (jax {doc['jax_version']}, optax {doc['optax_version']})")


if __name__ == "__main__":
    main()
