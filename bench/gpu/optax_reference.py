"""Real optax numbers for OptaxReferenceTest (docs/optim.md, "Checked against real optax").

Runs every optimizer case of OptaxReferenceTest with the installed jax and optax and writes the
params after each step (and the wrappers' counters) as JSON. Needs no GPU:

    python3 bench/gpu/optax_reference.py -o engine/src/test/resources/optaxref/optax-reference.json

The cases must match OptaxReferenceTest.CASES by name (the test fails on a case it does not know
and on one the file lacks). The problem is the optimizer tests' fixture: params w = [0.5, -1.25, 2],
b = 0.75 and the gradient of sum((p - t)^3 + (p - t)^2), t = ([1.5, 0.25, -1], -0.5); "nan" puts a
NaN into b's gradient at step 2 and an Inf at step 4; "mini" adds (call % 3 - 1) * ([0.3, -0.2,
0.1], 0.25) to the gradient (three different mini-batches per round).

The cases with tree "nested" (parameter groups, nadam/adamax/adabelief/radam/lamb/adafactor, clip,
zero_nans, trace, the new schedules) train NESTED0 = {dense: {w: 3x2, b: [2]}, head: {w: [2], b}} on the
same cubic towards NESTED_T; their params are every leaf's elements in jax.tree.leaves order (sorted
keys), which Tree.leaves on the Java side's nested Maps matches. Their "nan" kind puts a NaN into head.b
at step 2 and into dense.w[1, 0] at step 4, "mini" adds 0.2 * (call % 3 - 1). Labels and masks are
functions of the dotted leaf path ("dense.w"), as Optim's are. "schedules" lists each schedule's value
at counts 0..15 and the dtype optax returns.

Updates run eagerly, except RAdam's (jit=True): eagerly JAX turns its `b2 ** count` with a concrete count
into integer_pow (repeated multiplication), where a jitted update (what training code runs, and what
StateLens computes eagerly too) has pow; the float32 rectification term shows the difference at ~1e-5.
(The bias corrections are jitted inside optax, so they are pow either way.)
F64 cases run with jax_enable_x64; F32 cases run without it, the way f32 JAX users run (a second
pass over the same case list with x64 off: optax's `1 - b**count` is then a float32 power, not the
float64 one). The linear and exponential schedule cases are F32 only: under
x64 optax's linear_schedule and exponential_decay still return float32 (int32 count / int is
float32 in JAX), so optax's F64 training uses an f32-rounded rate where StateLens's Schedule
computes in F64 (a difference of ~1e-8 relative, not a formula difference); so are polynomial, join,
warmup-exponential and sgdr, and the onecycles (float64 results, but the count divided in float32). The
multi_steps case over adafactor is F32 too: optax's MultiSteps accumulates in float32 by default.
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


# The nested tree (tree "nested"): a 3x2 matrix, so adafactor can factor it, and leaves of every rank.
NESTED0 = {"dense": {"w": [[0.5, -1.25], [2.0, 0.3], [-0.7, 1.1]], "b": [0.1, -0.2]},
           "head": {"w": [0.8, -0.4], "b": 0.75}}
NESTED_T = {"dense": {"w": [[1.5, 0.25], [-1.0, 0.6], [0.2, -0.3]], "b": [0.4, 0.1]},
            "head": {"w": [-0.2, 0.5], "b": -0.5}}


def params0(dt, tree="flat"):
    if tree == "nested":
        return jax.tree.map(lambda v: jnp.array(v, dt), NESTED0, is_leaf=lambda v: isinstance(v, (list, float)))
    return {"w": jnp.array(W0, dt), "b": jnp.array(B0, dt)}


def nested_grads(kind, p, t):
    targets = jax.tree.map(lambda v: v, NESTED_T, is_leaf=lambda v: isinstance(v, (list, float)))
    g = jax.tree.map(lambda x, tv: (lambda d: 3 * d**2 + 2 * d)(x - jnp.array(tv, x.dtype)), p, targets,
                     is_leaf=lambda v: isinstance(v, (list, float)))
    if kind == "nan" and t == 2:
        g["head"]["b"] = jnp.array(float("nan"), g["head"]["b"].dtype)
    if kind == "nan" and t == 4:
        g["dense"]["w"] = g["dense"]["w"].at[1, 0].set(float("nan"))
    if kind == "mini":
        g = jax.tree.map(lambda x: x + 0.2 * (t % 3 - 1), g)
    return g


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


def flat(p, tree="flat"):
    if tree == "nested":
        return [float(x) for leaf in jax.tree.leaves(p) for x in jnp.ravel(leaf)]
    return [float(x) for x in p["w"]] + [float(p["b"])]


def nested_loss(p):
    """The loss whose gradient nested_grads("fixture") is: sum over leaves of sum((p - t)^3 + (p - t)^2)."""
    targets = jax.tree.map(lambda v: v, NESTED_T, is_leaf=lambda v: isinstance(v, (list, float)))
    terms = jax.tree.map(lambda x, tv: (lambda d: jnp.sum(d**3 + d**2))(x - jnp.array(tv, x.dtype)), p, targets,
                         is_leaf=lambda v: isinstance(v, (list, float)))
    total = None
    for leaf in jax.tree.leaves(terms):
        total = leaf if total is None else total + leaf
    return total


# The dtype of the cases this pass computes (main runs the case list twice: "f64" with x64, "f32" without).
PASS = {"dtype": "f64"}


def run(name, opt, steps, dtype="f64", kind="fixture", counters=None, tree="flat", between=None, with_value=False,
        eval_params=None, jit=False):
    """between(t, state) -> state runs before step t (e.g. a changed injected learning rate); with_value passes the
    loss (nested_loss) as optax's extra argument value= (polyak_sgd); eval_params(state, params) is recorded per step.
    None for a case of the other pass's dtype (its optimizer was built in the other x64 mode). jit: the update under
    jax.jit (see the module doc)."""
    if dtype != PASS["dtype"]:
        return None
    dt = jnp.float64 if dtype == "f64" else jnp.float32
    p = params0(dt, tree)
    s = opt.init(p)
    update = jax.jit(opt.update) if jit else opt.update
    out, extra, evals = [], [], []
    for t in range(steps):
        if between:
            s = between(t, s)
        g = nested_grads(kind, p, t) if tree == "nested" else grads(kind, p, t)
        if with_value:
            u, s = update(g, s, p, value=nested_loss(p))
        else:
            u, s = update(g, s, p)
        p = optax.apply_updates(p, u)
        out.append(flat(p, tree))
        if counters:
            extra.append(counters(s))
        if eval_params:
            evals.append(flat(eval_params(s, p), tree))
    case = {"name": name, "dtype": dtype, "grads": kind, "params": out}
    if tree != "flat":
        case["tree"] = tree
    if counters:
        case["counters"] = extra
    if with_value:
        case["value"] = "nested_loss"
    if eval_params:
        case["eval_params"] = evals
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
    yield from groups_optimizers_transforms()
    yield from schedule_cases()
    yield from session11_cases()
    yield from session12_cases()


def by_path(fn):
    """A label/mask function of the params, from a function of each leaf's dotted path ("dense.w"), as the Java side has it."""
    return lambda tree: jax.tree_util.tree_map_with_path(lambda kp, _: fn(".".join(k.key for k in kp)), tree)


def groups_optimizers_transforms():
    n = "nested"
    # parameter groups
    labels = by_path(lambda path: "adam" if path.endswith(".w") else ("freeze" if path == "head.b" else "sgd"))
    groups = lambda: {"adam": optax.adam(0.05), "sgd": optax.sgd(0.1), "freeze": optax.set_to_zero()}
    yield run("partition_adam_sgd_freeze", optax.partition(groups(), labels), 6, tree=n)
    yield run("multi_transform_adam_sgd_freeze_f32", optax.multi_transform(groups(), labels), 6, "f32", tree=n)
    is_w = by_path(lambda path: path.endswith(".w"))
    is_b = by_path(lambda path: path.endswith(".b"))
    yield run("masked_adam_sgd", optax.chain(optax.masked(optax.adam(0.05), is_w), optax.masked(optax.sgd(0.02), is_b)),
              6, tree=n)
    yield run("masked_clip_decay_momentum",
              optax.chain(optax.masked(optax.clip_by_global_norm(0.5), is_w),
                          optax.masked(optax.add_decayed_weights(0.3), is_w), optax.sgd(0.1, momentum=0.9)), 6, tree=n)
    yield run("freeze_head_sgd", optax.chain(optax.transforms.freeze(by_path(lambda path: path.startswith("head."))),
                                             optax.sgd(0.1)), 4, tree=n)
    # optimizers
    for dtype in ("f64", "f32"):
        sfx = "" if dtype == "f64" else "_f32"
        yield run("nadam" + sfx, optax.nadam(0.05), 8, dtype, tree=n)
        yield run("adamax" + sfx, optax.adamax(0.05), 8, dtype, tree=n)
        yield run("adabelief" + sfx, optax.adabelief(0.05), 8, dtype, tree=n)
        yield run("radam" + sfx, optax.radam(0.05), 10, dtype, tree=n, jit=True)
        yield run("lamb" + sfx, optax.lamb(0.05), 8, dtype, tree=n)
        yield run("adafactor_factored" + sfx, optax.adafactor(0.05, min_dim_size_to_factor=2), 8, dtype, tree=n)
    yield run("nadamw", optax.nadamw(0.03, b1=0.8, b2=0.99, eps=1e-6, weight_decay=0.5), 8, tree=n)
    yield run("adamax_args", optax.adamax(0.02, b1=0.5, b2=0.9, eps=1e-3), 8, tree=n)
    yield run("adabelief_args", optax.adabelief(0.02, b1=0.5, b2=0.9, eps=1e-6, eps_root=1e-8), 8, tree=n)
    yield run("radam_b2", optax.radam(0.05, b2=0.9, threshold=4.0), 8, tree=n, jit=True)
    yield run("adabelief_nesterov", optax.adabelief(0.05, nesterov=True), 8, tree=n)
    yield run("radam_nesterov_f32", optax.radam(0.05, b2=0.9, threshold=4.0, nesterov=True), 8, "f32", tree=n,
              jit=True)
    yield run("lamb_decay", optax.lamb(0.05, b1=0.8, b2=0.99, eps=1e-4, weight_decay=0.1), 8, tree=n)
    yield run("adafactor_default", optax.adafactor(0.05), 8, tree=n)
    yield run("adafactor_momentum_decay",
              optax.adafactor(0.05, min_dim_size_to_factor=2, decay_rate=0.7, decay_offset=-2, clipping_threshold=None,
                              momentum=0.9, weight_decay_rate=0.01, eps=1e-20, multiply_by_parameter_scale=False), 8, tree=n)
    yield run("adafactor_unfactored_clip", optax.adafactor(0.05, factored=False, clipping_threshold=0.5), 8, tree=n)
    yield run("nadam_schedule", optax.nadam(optax.cosine_decay_schedule(0.05, 6)), 8, tree=n)
    yield run("lamb_schedule_f32", optax.lamb(optax.polynomial_schedule(0.05, 0.01, 2.0, 5)), 8, "f32", tree=n)
    yield run("adafactor_schedule_f32",
              optax.adafactor(optax.warmup_exponential_decay_schedule(0.0, 0.05, 2, 3, 0.5), min_dim_size_to_factor=2),
              8, "f32", tree=n)
    # building blocks
    yield run("clip_sgd", optax.chain(optax.clip(0.5), optax.sgd(0.1)), 6, tree=n)
    zn = lambda s: {"found_nan": [bool(x) for x in jax.tree.leaves(s[0].found_nan)]}
    yield run("zero_nans_adam", optax.chain(optax.zero_nans(), optax.adam(0.05)), 6, kind="nan", counters=zn, tree=n)
    lin = optax.linear_schedule(0.05, 0.005, 5)
    yield run("trace_scale_by_schedule_f32",
              optax.chain(optax.trace(0.9), optax.scale_by_schedule(lambda c: -lin(c))), 6, "f32", tree=n)
    yield run("trace_nesterov_scale", optax.chain(optax.trace(0.5, nesterov=True), optax.scale(-0.02)), 6, tree=n)
    # wrappers over the new optimizers
    aif = lambda s: {"notfinite_count": int(s.notfinite_count), "last_finite": bool(s.last_finite),
                     "total_notfinite": int(s.total_notfinite)}
    yield run("apply_if_finite_lamb", optax.apply_if_finite(optax.lamb(0.05), 3), 6, kind="nan", counters=aif, tree=n)
    ms = lambda s: {"mini_step": int(s.mini_step), "gradient_step": int(s.gradient_step)}
    yield run("multi_steps_adafactor_f32", optax.MultiSteps(optax.adafactor(0.05, min_dim_size_to_factor=2), 3), 9, "f32",
              kind="mini", counters=ms, tree=n)
    yield run("multi_steps_partition_f32",
              optax.MultiSteps(optax.partition(groups(), labels), 2), 6, "f32", kind="mini", counters=ms, tree=n)


def run_lookahead(name, opt, steps, dtype="f64"):
    """Lookahead on the nested tree: the gradients at the fast params; each step's fast then slow leaves."""
    if dtype != PASS["dtype"]:
        return None
    dt = jnp.float64 if dtype == "f64" else jnp.float32
    p = optax.LookaheadParams.init_synced(params0(dt, "nested"))
    s = opt.init(p)
    out = []
    for t in range(steps):
        u, s = opt.update(nested_grads("fixture", p.fast, t), s, p)
        p = optax.apply_updates(p, u)
        out.append(flat(p.fast, "nested") + flat(p.slow, "nested"))
    return {"name": name, "dtype": dtype, "grads": "fixture", "params": out, "tree": "lookahead"}


def session11_cases():
    """inject_hyperparams, the remaining optimizers and transforms, and the Adam family's options (session 11)."""
    n = "nested"
    is_w = by_path(lambda path: path.endswith(".w"))
    hp = lambda s: {"learning_rate": float(s.hyperparams["learning_rate"])}

    def set_hp(at, value, name="learning_rate"):
        def between(t, s):
            if t == at:
                s.hyperparams[name] = jnp.asarray(value, s.hyperparams[name].dtype)
            return s
        return between
    set_lr = set_hp
    yield run("inject_adam", optax.inject_hyperparams(optax.adam)(learning_rate=0.05), 8, tree=n, counters=hp,
              between=set_lr(3, 0.01))
    yield run("inject_adam_f32", optax.inject_hyperparams(optax.adam)(learning_rate=0.05), 8, "f32", tree=n, counters=hp,
              between=set_lr(3, 0.01))
    yield run("inject_sgd_schedule_f32",
              optax.inject_hyperparams(optax.sgd)(learning_rate=optax.linear_schedule(0.05, 0.005, 5), momentum=0.9),
              8, "f32", tree=n, counters=hp)
    yield run("inject_lamb_cosine", optax.inject_hyperparams(optax.lamb)(learning_rate=optax.cosine_decay_schedule(0.05, 6)),
              8, tree=n, counters=hp)
    yield run("inject_decay_momentum",
              optax.inject_hyperparams(lambda learning_rate, weight_decay: optax.chain(
                  optax.add_decayed_weights(weight_decay), optax.sgd(learning_rate, momentum=0.9)))(
                  learning_rate=0.1, weight_decay=0.05),
              8, tree=n, counters=hp, between=set_hp(3, 0.5, "weight_decay"))
    yield run("decay_schedule_sgd", optax.chain(optax.add_decayed_weights(optax.cosine_decay_schedule(0.3, 6), mask=is_w),
                                                optax.sgd(0.1)), 8, tree=n)
    yield run("fromage_schedule", optax.fromage(optax.cosine_decay_schedule(0.2, 6)), 8, tree=n)
    for dtype in ("f64", "f32"):
        sfx = "" if dtype == "f64" else "_f32"
        yield run("yogi" + sfx, optax.yogi(0.05), 8, dtype, tree=n)
        yield run("adadelta" + sfx, optax.adadelta(0.5), 8, dtype, tree=n)
        yield run("novograd" + sfx, optax.novograd(0.05), 8, dtype, tree=n)
        yield run("lars" + sfx, optax.lars(0.5), 8, dtype, tree=n)
        yield run("fromage" + sfx, optax.fromage(0.1), 8, dtype, tree=n)
        yield run("sm3_masked" + sfx, optax.chain(optax.masked(optax.sm3(0.1), by_path(lambda path: path != "head.b")),
                                                  optax.masked(optax.sgd(0.1), by_path(lambda path: path == "head.b"))),
                  8, dtype, tree=n)
        yield run("noisy_sgd" + sfx, optax.noisy_sgd(0.02, key=0), 8, dtype, tree=n)
    yield run("yogi_args", optax.yogi(0.02, b1=0.5, b2=0.9, eps=1e-4), 8, tree=n)
    yield run("yogi_schedule_f32", optax.yogi(optax.linear_schedule(0.05, 0.005, 5)), 8, "f32", tree=n)
    yield run("adadelta_args", optax.adadelta(1.0, rho=0.8, eps=1e-4, weight_decay=0.1, weight_decay_mask=is_w), 8, tree=n)
    yield run("adadelta_schedule", optax.adadelta(optax.cosine_decay_schedule(0.5, 6)), 8, tree=n)
    yield run("novograd_args", optax.novograd(0.02, b1=0.8, b2=0.5, eps=1e-4, eps_root=1e-6, weight_decay=0.1), 8, tree=n)
    yield run("novograd_schedule", optax.novograd(optax.cosine_decay_schedule(0.05, 6)), 8, tree=n)
    yield run("lars_args", optax.lars(0.5, weight_decay=0.01, weight_decay_mask=is_w, trust_coefficient=0.01, eps=1e-6,
                                      trust_ratio_mask=is_w, momentum=0.5, nesterov=True), 8, tree=n)
    yield run("lars_schedule", optax.lars(optax.cosine_decay_schedule(0.5, 6)), 8, tree=n)
    yield run("fromage_min_norm", optax.fromage(0.3, min_norm=1.0), 8, tree=n)
    yield run("sm3_momentum", optax.chain(optax.masked(optax.sm3(0.2, momentum=0.5), by_path(lambda path: path != "head.b")),
                                          optax.masked(optax.set_to_zero(), by_path(lambda path: path == "head.b"))),
              8, tree=n)
    yield run("noisy_sgd_args", optax.noisy_sgd(0.02, eta=0.1, gamma=0.3, key=42), 8, tree=n)
    yield run("noisy_sgd_schedule_f32", optax.noisy_sgd(optax.cosine_decay_schedule(0.05, 6), key=3), 8, "f32", tree=n)
    yield run("add_noise_adam", optax.chain(optax.add_noise(0.05, 0.55, key=7), optax.adam(0.05)), 8, tree=n)
    # transforms
    yield run("ema_sgd", optax.chain(optax.ema(0.9), optax.sgd(0.1)), 8, tree=n)
    yield run("ema_no_debias", optax.chain(optax.ema(0.8, debias=False), optax.scale(-0.1)), 8, tree=n)
    yield run("ema_f32_accumulator", optax.chain(optax.ema(0.9, accumulator_dtype=jnp.float32), optax.sgd(0.1)), 8, tree=n)
    yield run("apply_every_sgd", optax.chain(optax.apply_every(3), optax.sgd(0.1)), 9, tree=n, kind="mini")
    yield run("momentum_apply_every_f32", optax.chain(optax.trace(0.9), optax.apply_every(2), optax.scale(-0.05)), 8, "f32",
              tree=n, kind="mini")
    yield run("centralize_sgd", optax.chain(optax.centralize(), optax.sgd(0.1)), 6, tree=n)
    yield run("sgd_keep_nonnegative", optax.chain(optax.sgd(0.3), optax.keep_params_nonnegative()), 6, tree=n)
    yield run("trust_ratio_sgd", optax.chain(optax.scale_by_trust_ratio(min_norm=0.5, trust_coefficient=0.5, eps=1e-3),
                                             optax.sgd(0.1)), 6, tree=n)
    yield run_lookahead("lookahead_adam", optax.lookahead(optax.adam(0.05), 3, 0.5), 8)
    yield run_lookahead("lookahead_sgd_reset_f32", optax.lookahead(optax.sgd(0.05, momentum=0.9), 2, 0.7, reset_state=True),
                        8, "f32")
    # options of the Adam family
    yield run("lamb_mask", optax.lamb(0.05, weight_decay=0.1, mask=is_w), 8, tree=n)
    yield run("lamb_eps_root", optax.lamb(0.05, eps_root=1e-3, weight_decay=0.1), 8, tree=n)
    yield run("adam_eps_root", optax.adam(0.05, eps_root=1e-3), 8, tree=n)
    yield run("adamw_eps_root_mask", optax.adamw(0.05, eps_root=1e-4, weight_decay=0.3, mask=is_w), 8, tree=n)
    yield run("nadam_eps_root_f32", optax.nadam(0.05, eps_root=1e-3), 8, "f32", tree=n)
    yield run("adam_mu_bf16_f32", optax.adam(0.05, mu_dtype=jnp.bfloat16), 8, "f32", tree=n)
    yield run("adamw_mu_f32", optax.adamw(0.05, mu_dtype=jnp.float32, weight_decay=0.1), 8, tree=n)
    yield run("radam_eps_root", optax.radam(0.05, b2=0.9, eps_root=1e-3, threshold=4.0), 8, tree=n, jit=True)
    yield run("lion_mu_bf16_mask_f32", optax.lion(0.01, mu_dtype=jnp.bfloat16, weight_decay=0.3, mask=is_w), 8, "f32", tree=n)
    yield run("lion_mask", optax.lion(0.02, b1=0.5, b2=0.9, weight_decay=0.3, mask=is_w), 8, tree=n)
    yield run("adafactor_decay_mask",
              optax.adafactor(0.05, min_dim_size_to_factor=2, weight_decay_rate=0.1, weight_decay_mask=is_w), 8, tree=n)
    yield run("adafactor_momentum_decay_mask",
              optax.adafactor(0.05, min_dim_size_to_factor=2, momentum=0.9, weight_decay_rate=0.1, weight_decay_mask=is_w),
              8, tree=n)


def session12_cases():
    """amsgrad, adan, rprop, polyak_sgd; optax.contrib's muon and schedule-free (session 12)."""
    n = "nested"
    is_w = by_path(lambda path: path.endswith(".w"))
    cos = lambda: optax.cosine_decay_schedule(0.05, 6)
    lin = lambda: optax.linear_schedule(0.05, 0.005, 5)
    sf_eval = optax.contrib.schedule_free_eval_params
    for dtype in ("f64", "f32"):
        sfx = "" if dtype == "f64" else "_f32"
        yield run("amsgrad" + sfx, optax.amsgrad(0.05), 8, dtype, tree=n)
        yield run("adan" + sfx, optax.adan(0.05), 8, dtype, tree=n)
        yield run("rprop" + sfx, optax.rprop(0.05), 8, dtype, tree=n)
        yield run("polyak_sgd" + sfx, optax.polyak_sgd(), 8, dtype, tree=n, with_value=True)
        yield run("muon" + sfx, optax.contrib.muon(0.05), 8, dtype, tree=n)
        yield run("schedule_free_sgd" + sfx, optax.contrib.schedule_free_sgd(0.05), 8, dtype, tree=n, eval_params=sf_eval)
        yield run("schedule_free_adamw" + sfx, optax.contrib.schedule_free_adamw(0.05), 8, dtype, tree=n,
                  eval_params=sf_eval)
    yield run("amsgrad_args", optax.amsgrad(0.02, b1=0.5, b2=0.9, eps=1e-4, eps_root=1e-3), 8, tree=n)
    yield run("amsgrad_no_bias_correction", optax.amsgrad(0.05, bias_correction_mu=False, bias_correction_nu=False), 8,
              tree=n)
    yield run("amsgrad_schedule", optax.amsgrad(cos()), 8, tree=n)
    yield run("adan_args", optax.adan(0.02, b1=0.9, b2=0.8, b3=0.95, eps=1e-4, eps_root=1e-6, weight_decay=0.1, mask=is_w),
              8, tree=n)
    yield run("adan_schedule_f32", optax.adan(lin()), 8, "f32", tree=n)
    yield run("rprop_args", optax.rprop(0.1, eta_minus=0.3, eta_plus=1.5, min_step_size=0.01, max_step_size=0.2), 8,
              tree=n)
    yield run("polyak_sgd_args", optax.polyak_sgd(max_learning_rate=0.5, scaling=0.5, f_min=-1.0, eps=1e-3), 8, tree=n,
              with_value=True)
    yield run("polyak_sgd_plus_f32", optax.polyak_sgd(max_learning_rate=0.2, f_min=0.5, variant="sps+"), 8, "f32",
              tree=n, with_value=True)
    yield run("polyak_sgd_schedule", optax.polyak_sgd(scaling=cos()), 8, tree=n, with_value=True)
    yield run("muon_args", optax.contrib.muon(0.05, ns_steps=3, beta=0.9, eps=1e-6, weight_decay=0.1, nesterov=False,
                                              adam_b1=0.8, adam_b2=0.99, adam_eps_root=1e-4, adam_weight_decay=0.05,
                                              adam_learning_rate=0.02), 8, tree=n)
    yield run("muon_adaptive_consistent_rms", optax.contrib.muon(0.05, adaptive=True, consistent_rms=0.2), 8, tree=n)
    yield run("muon_schedule_f32", optax.contrib.muon(lin()), 8, "f32", tree=n)
    # None dimension numbers: the matrix left to Adam too (Optim.MuonOptions.withMuonLeaves)
    no_dense = lambda p: {"dense": {"w": None, "b": None}, "head": {"w": None, "b": None}}
    yield run("muon_leaves_masked", optax.contrib.muon(0.05, muon_weight_dimension_numbers=no_dense), 8, tree=n)
    # warmup_steps is optax's linear_schedule, float32 even under x64 (see the module doc): an F32 case
    yield run("schedule_free_sgd_warmup_decay_f32",
              optax.contrib.schedule_free_sgd(0.1, warmup_steps=3, b1=0.8, weight_decay=0.01, weight_lr_power=1.0), 8,
              "f32", tree=n, eval_params=sf_eval)
    yield run("schedule_free_adamw_warmup_f32",
              optax.contrib.schedule_free_adamw(0.05, warmup_steps=2, b1=0.95, b2=0.99, eps=1e-6, weight_decay=0.1), 8,
              "f32", tree=n, eval_params=sf_eval)
    yield run("schedule_free_adam_schedule",
              optax.contrib.schedule_free(optax.adam(cos(), b1=0.0), cos(), b1=0.9), 8, tree=n, eval_params=sf_eval)


SCHEDULES = {
    "piecewise_constant": lambda: optax.piecewise_constant_schedule(0.1, {3: 0.5, 6: 0.1, 8: 2.0}),
    "polynomial": lambda: optax.polynomial_schedule(0.05, 0.01, 2.0, 6),
    "polynomial_begin": lambda: optax.polynomial_schedule(0.05, 0.01, 0.5, 5, transition_begin=3),
    "join": lambda: optax.join_schedules([optax.constant_schedule(0.05), optax.linear_schedule(0.05, 0.0, 4),
                                         optax.cosine_decay_schedule(0.05, 3)], [2, 7]),
    "linear_onecycle": lambda: optax.linear_onecycle_schedule(10, 0.1),
    "linear_onecycle_args": lambda: optax.linear_onecycle_schedule(12, 0.08, 0.25, 0.75, 10.0, 100.0),
    "cosine_onecycle": lambda: optax.cosine_onecycle_schedule(10, 0.1),
    "cosine_onecycle_args": lambda: optax.cosine_onecycle_schedule(12, 0.08, 0.4, 5.0, 50.0),
    "warmup_exponential_decay": lambda: optax.warmup_exponential_decay_schedule(0.0, 0.1, 3, 2, 0.5),
    "warmup_exponential_decay_args":
        lambda: optax.warmup_exponential_decay_schedule(0.01, 0.05, 2, 3, 0.5, transition_begin=2, staircase=True,
                                                        end_value=0.02),
    "exponential_decay_growth": lambda: optax.exponential_decay(0.01, 2, 2.0, end_value=0.05),
    "sgdr": lambda: optax.sgdr_schedule([dict(init_value=0.0, peak_value=0.1, warmup_steps=2, decay_steps=5, end_value=0.01),
                                         dict(init_value=0.01, peak_value=0.05, warmup_steps=1, decay_steps=4, end_value=0.0)]),
}


def schedule_cases():
    """Each schedule trains SGD on the nested tree in F32, and in F64 the one optax computes wholly in float64 (the
    onecycles return float64 but divide the int32 count in float32, so their F64 runs would differ by f32 rounding)."""
    for name, make in SCHEDULES.items():
        yield run("sgd_schedule_" + name + "_f32", optax.sgd(make()), 8, "f32", tree="nested")
    yield run("sgd_schedule_piecewise_constant", optax.sgd(SCHEDULES["piecewise_constant"]()), 8, tree="nested")


def schedule_values():
    """Each schedule's value at counts 0..15 (int32, as an optimizer passes it) and the dtype optax returns."""
    out = []
    for name, make in SCHEDULES.items():
        sched = make()
        vals = [sched(jnp.asarray(i, jnp.int32)) for i in range(16)]
        out.append({"name": name, "dtype": str(jnp.asarray(vals[0]).dtype), "values": [float(v) for v in vals]})
    return out


def cases_in_both_modes():
    """Every case, in cases() order: the F64 ones computed with x64 on, the F32 ones with x64 off (JAX's default,
    what f32 users run), each optimizer built in its case's mode."""
    by_index = {}
    for dtype, x64 in (("f64", True), ("f32", False)):
        PASS["dtype"] = dtype
        with jax.enable_x64(x64):
            for i, case in enumerate(cases()):
                if case is not None:
                    by_index[i] = case
    PASS["dtype"] = "f64"
    return [by_index[i] for i in sorted(by_index)]


def bias_corrections():
    """optax.tree.bias_correction of a one, 1 / (1 - b**count), at counts 1..40 and a few large ones, with x64 off
    (float32) and on (float64): Moments.Corrections.correct must give it bit for bit."""
    counts = list(range(1, 41)) + [100, 873, 1000, 2359, 2958, 10000, 100000]
    out = []
    for x64, dtype in ((False, "float32"), (True, "float64")):
        with jax.enable_x64(x64):
            for b in (0.9, 0.95, 0.99, 0.999, 0.98):
                ones = jnp.ones((), jnp.float32 if dtype == "float32" else jnp.float64)
                vals = [float(optax.tree.bias_correction(ones, b, jnp.asarray(c, jnp.int32))) for c in counts]
                out.append({"b": b, "dtype": dtype, "counts": counts, "values": vals})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-o", "--output", default="optax-reference.json")
    a = ap.parse_args()
    doc = {
        "format": "statelens-optax-reference/1",
        "jax_version": jax.__version__,
        "optax_version": importlib.metadata.version("optax"),
        "platform": jax.default_backend(),
        "cases": cases_in_both_modes(),
        "schedules": schedule_values(),
        "bias_corrections": bias_corrections(),
    }
    with open(a.output, "w") as f:
        json.dump(doc, f, indent=1)
    print(f"wrote {len(doc['cases'])} cases to {a.output} (jax {doc['jax_version']}, optax {doc['optax_version']})")


if __name__ == "__main__":
    main()
