package dev.statelens.engine;

import static dev.statelens.engine.OptimFixture.P;
import static dev.statelens.engine.OptimFixture.P0;
import static dev.statelens.engine.OptimFixture.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every optimizer, parameter group, building block, wrapper and schedule of {@link Optim} and
 * {@link Schedule} against numbers from real optax ({@code optaxref/optax-reference.json}, written by {@code bench/gpu/optax_reference.py}
 * with jax and optax; the file records their versions). Every case runs eagerly and under jit, and
 * each step's params (and the wrappers' counters) must equal optax's: to 1e-10 relative in F64 (the
 * cubic test problem amplifies last-bit differences, e.g. in Adam's bias correction, to ~1e-11 by
 * step 5; a formula difference such as eps outside the root shows at ~1e-8), 2e-6 in F32. The
 * cases with tree "nested" train {@link #nested} ({@code {dense: {w: 3x2, b}, head: {w, b}}}); the
 * schedules' values are compared at counts 0-15 ({@link #everyOptaxScheduleMatches}).
 */
class OptaxReferenceTest {

  /**
   * Schedules optax returns as float64 under x64 but computes partly in float32 (the onecycles'
   * {@code (count - boundary) / interval} divides int32s in float32, and the cosine runs on that):
   * StateLens computes them in F64, so they agree to f32 rounding, as the float32 ones.
   */
  static final java.util.Set<String> SCHEDULES_F32_INSIDE =
      java.util.Set.of("linear_onecycle", "linear_onecycle_args", "cosine_onecycle", "cosine_onecycle_args");

  /** The schedules of the script's SCHEDULES, by name: their values and an SGD run each. */
  static final Map<String, Supplier<Schedule>> SCHEDULES = new LinkedHashMap<>();

  static {
    SCHEDULES.put("piecewise_constant", () -> Schedule.piecewiseConstant(0.1, Map.of(3, 0.5, 6, 0.1, 8, 2.0)));
    SCHEDULES.put("polynomial", () -> Schedule.polynomial(0.05, 0.01, 2.0, 6));
    SCHEDULES.put("polynomial_begin", () -> Schedule.polynomial(0.05, 0.01, 0.5, 5, 3));
    SCHEDULES.put("join", () -> Schedule.joinSchedules(
        List.of(Schedule.constant(0.05), Schedule.linear(0.05, 0.0, 4), Schedule.cosineDecay(0.05, 3)), 2, 7));
    SCHEDULES.put("linear_onecycle", () -> Schedule.linearOnecycle(10, 0.1));
    SCHEDULES.put("linear_onecycle_args", () -> Schedule.linearOnecycle(12, 0.08, 0.25, 0.75, 10.0, 100.0));
    SCHEDULES.put("cosine_onecycle", () -> Schedule.cosineOnecycle(10, 0.1));
    SCHEDULES.put("cosine_onecycle_args", () -> Schedule.cosineOnecycle(12, 0.08, 0.4, 5.0, 50.0));
    SCHEDULES.put("warmup_exponential_decay", () -> Schedule.warmupExponentialDecay(0.0, 0.1, 3, 2, 0.5));
    SCHEDULES.put("warmup_exponential_decay_args",
        () -> Schedule.warmupExponentialDecay(0.01, 0.05, 2, 3, 0.5, 2, true, 0.02));
    SCHEDULES.put("exponential_decay_growth", () -> Schedule.exponentialDecay(0.01, 2, 2.0, 0, false, 0.05));
    SCHEDULES.put("sgdr", () -> Schedule.sgdr(List.of(
        new Schedule.WarmupCosine(0.0, 0.1, 2, 5, 0.01), new Schedule.WarmupCosine(0.01, 0.05, 1, 4, 0.0))));
  }

  /**
   * A case as the Python script names it: the optimizer (or, for tree "lookahead", the lookahead
   * wrapper) and what runs on the state before each step (the script's {@code between}).
   */
  private record Case(Supplier<Optim.Optimizer> optimizer, Supplier<Optim.Lookahead> lookahead,
      java.util.function.BiFunction<Integer, Optim.OptState<Object>, Optim.OptState<Object>> between) {}

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  private static void add(String name, Supplier<Optim.Optimizer> opt) {
    CASES.put(name, new Case(opt, null, null));
  }

  /** The injected learning rate set to {@code value} before step {@code at}, as the script's set_lr. */
  private static void addInjected(String name, Supplier<Optim.Optimizer> opt, int at, double value) {
    addInjected(name, opt, at, value, "learning_rate");
  }

  /** Injected hyperparameter {@code hp} set to {@code value} before step {@code at}, as the script's set_hp. */
  private static void addInjected(String name, Supplier<Optim.Optimizer> opt, int at, double value, String hp) {
    CASES.put(name, new Case(opt, null, (t, s) -> t == at
        ? ((Optim.InjectHyperparamsState<Object>) s).withHyperparam(hp, value) : s));
  }

  static {
    Schedule lin = Schedule.linear(0.05, 0.005, 5);
    add("rmsprop", () -> Optim.rmsprop(0.01));
    add("rmsprop_f32", () -> Optim.rmsprop(0.01));
    add("rmsprop_initial_scale", () -> Optim.rmsprop(0.02, 0.8, 1e-4, 0.5, false, 0, false));
    add("rmsprop_centered", () -> Optim.rmsprop(0.01, 0.9, 1e-8, 1.0, true, 0, false));
    add("rmsprop_momentum", () -> Optim.rmsprop(0.01, 0.9, 1e-8, 0, false, 0.9, false));
    add("rmsprop_nesterov", () -> Optim.rmsprop(0.01, 0.9, 1e-8, 0, false, 0.9, true));
    add("rmsprop_schedule_f32", () -> Optim.rmsprop(lin));
    add("rmsprop_schedule_centered_nesterov_f32", () -> Optim.rmsprop(lin, 0.9, 1e-8, 0.1, true, 0.5, true));
    add("adagrad", () -> Optim.adagrad(0.1));
    add("adagrad_f32", () -> Optim.adagrad(0.1));
    add("adagrad_args", () -> Optim.adagrad(0.3, 2.0, 1e-3));
    add("adagrad_schedule_f32", () -> Optim.adagrad(Schedule.exponentialDecay(0.2, 2, 0.5)));
    add("lion", () -> Optim.lion(0.01));
    add("lion_f32", () -> Optim.lion(0.01));
    add("lion_args", () -> Optim.lion(0.02, 0.5, 0.9, 0.3));
    add("lion_schedule", () -> Optim.lion(Schedule.cosineDecay(0.05, 6)));
    add("sgd", () -> Optim.sgd(0.02));
    add("sgd_nesterov", () -> Optim.sgd(0.02, 0.9, true));
    add("adam", () -> Optim.adam(0.05));
    add("adam_f32", () -> Optim.adam(0.05));
    add("adamw", () -> Optim.adamw(0.03, 0.8, 0.99, 1e-6, 0.5));
    add("clip_adamw_cosine", () -> Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adamw(Schedule.cosineDecay(0.05, 6))));
    add("apply_if_finite_adam", () -> Optim.applyIfFinite(Optim.adam(0.05), 3));
    add("apply_if_finite_sgd_max0", () -> Optim.applyIfFinite(Optim.sgd(0.1), 0));
    add("multi_steps_adam", () -> Optim.multiSteps(Optim.adam(0.05), 3));
    add("multi_steps_momentum_f32", () -> Optim.multiSteps(Optim.sgd(0.02, 0.9, true), 2));
    add("masked_decay_sgd", () -> Optim.chain(Optim.addDecayedWeights(0.5, path -> path.equals("w")), Optim.sgd(0.1)));
    addGroupsOptimizersTransforms();
    addSession11();
    addSession12();
    SCHEDULES.forEach((name, sched) -> add("sgd_schedule_" + name + "_f32", () -> Optim.sgd(sched.get())));
    // an F64 run only of the schedule optax computes wholly in float64 under x64 (see SCHEDULES_F32_INSIDE)
    add("sgd_schedule_piecewise_constant", () -> Optim.sgd(SCHEDULES.get("piecewise_constant").get()));
  }

  /** The nested-tree cases: parameter groups, the optimizers and building blocks added with them, wrappers over them. */
  private static void addGroupsOptimizersTransforms() {
    Function<String, String> labels = path -> path.endsWith(".w") ? "adam" : path.equals("head.b") ? "freeze" : "sgd";
    Supplier<Map<String, Optim.Optimizer>> groups =
        () -> Map.of("adam", Optim.adam(0.05), "sgd", Optim.sgd(0.1), "freeze", Optim.setToZero());
    add("partition_adam_sgd_freeze", () -> Optim.partition(groups.get(), labels));
    add("multi_transform_adam_sgd_freeze_f32", () -> Optim.multiTransform(groups.get(), labels));
    Predicate<String> isW = path -> path.endsWith(".w");
    Predicate<String> isB = path -> path.endsWith(".b");
    add("masked_adam_sgd", () -> Optim.chain(Optim.masked(Optim.adam(0.05), isW), Optim.masked(Optim.sgd(0.02), isB)));
    add("masked_clip_decay_momentum", () -> Optim.chain(Optim.masked(Optim.clipByGlobalNorm(0.5), isW),
        Optim.masked(Optim.addDecayedWeights(0.3), isW), Optim.sgd(0.1, 0.9, false)));
    add("freeze_head_sgd", () -> Optim.chain(Optim.freeze(path -> path.startsWith("head.")), Optim.sgd(0.1)));
    for (String sfx : new String[] {"", "_f32"}) {
      add("nadam" + sfx, () -> Optim.nadam(0.05));
      add("adamax" + sfx, () -> Optim.adamax(0.05));
      add("adabelief" + sfx, () -> Optim.adabelief(0.05));
      add("radam" + sfx, () -> Optim.radam(0.05));
      add("lamb" + sfx, () -> Optim.lamb(0.05));
      add("adafactor_factored" + sfx, () -> Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, null, 0, 1e-30, true));
    }
    add("nadamw", () -> Optim.nadamw(0.03, 0.8, 0.99, 1e-6, 0.5));
    add("adamax_args", () -> Optim.adamax(0.02, 0.5, 0.9, 1e-3));
    add("adabelief_args", () -> Optim.adabelief(0.02, 0.5, 0.9, 1e-6, 1e-8));
    add("radam_b2", () -> Optim.radam(0.05, 0.9, 0.9, 1e-8, 4.0));
    add("adabelief_nesterov", () -> Optim.adabelief(0.05, 0.9, 0.999, 1e-16, 1e-16, true));
    add("radam_nesterov_f32", () -> Optim.radam(0.05, 0.9, 0.9, 1e-8, 4.0, true));
    add("lamb_decay", () -> Optim.lamb(0.05, 0.8, 0.99, 1e-4, 0.1));
    add("adafactor_default", () -> Optim.adafactor(0.05));
    add("adafactor_momentum_decay", () -> Optim.adafactor(0.05, 2, 0.7, -2, false, null, 0.9, 0.01, 1e-20, true));
    add("adafactor_unfactored_clip", () -> Optim.adafactor(0.05, 128, 0.8, 0, true, 0.5, null, 0, 1e-30, false));
    add("nadam_schedule", () -> Optim.nadam(Schedule.cosineDecay(0.05, 6)));
    add("lamb_schedule_f32", () -> Optim.lamb(Schedule.polynomial(0.05, 0.01, 2.0, 5)));
    add("adafactor_schedule_f32", () -> Optim.adafactor(Schedule.warmupExponentialDecay(0.0, 0.05, 2, 3, 0.5),
        2, 0.8, 0, true, 1.0, null, 0, 1e-30, true));
    add("clip_sgd", () -> Optim.chain(Optim.clip(0.5), Optim.sgd(0.1)));
    add("zero_nans_adam", () -> Optim.chain(Optim.zeroNans(), Optim.adam(0.05)));
    Schedule lin = Schedule.linear(0.05, 0.005, 5);
    add("trace_scale_by_schedule_f32", () -> Optim.chain(Optim.trace(0.9, false), Optim.scaleBySchedule(c -> lin.apply(c).neg())));
    add("trace_nesterov_scale", () -> Optim.chain(Optim.trace(0.5, true), Optim.scale(-0.02)));
    add("apply_if_finite_lamb", () -> Optim.applyIfFinite(Optim.lamb(0.05), 3));
    add("multi_steps_adafactor_f32", () -> Optim.multiSteps(Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, null, 0, 1e-30, true), 3));
    add("multi_steps_partition_f32", () -> Optim.multiSteps(Optim.partition(groups.get(), labels), 2));
  }

  /** injectHyperparams, the optimizers and transforms of session 11, and the Adam family's options (the script's session11_cases). */
  private static void addSession11() {
    Predicate<String> isW = path -> path.endsWith(".w");
    Function<Optim.Hyperparams, Optim.Optimizer> adam = hp -> Optim.adam(hp.get("learning_rate"));
    addInjected("inject_adam", () -> Optim.injectHyperparams(adam, Map.of("learning_rate", 0.05)), 3, 0.01);
    addInjected("inject_adam_f32", () -> Optim.injectHyperparams(adam, Map.of("learning_rate", 0.05)), 3, 0.01);
    add("inject_sgd_schedule_f32", () -> Optim.injectHyperparams(hp -> Optim.sgd(hp.get("learning_rate"), 0.9, false),
        Map.of("learning_rate", Schedule.linear(0.05, 0.005, 5))));
    add("inject_lamb_cosine", () -> Optim.injectHyperparams(hp -> Optim.lamb(hp.get("learning_rate")),
        Map.of("learning_rate", Schedule.cosineDecay(0.05, 6))));
    addInjected("inject_decay_momentum", () -> Optim.injectHyperparams(hp -> Optim.chain(
        Optim.addDecayedWeights(hp.get("weight_decay")), Optim.sgd(hp.get("learning_rate"), 0.9, false)),
        Map.of("learning_rate", 0.1, "weight_decay", 0.05)), 3, 0.5, "weight_decay");
    add("decay_schedule_sgd", () -> Optim.chain(Optim.addDecayedWeights(Schedule.cosineDecay(0.3, 6), isW), Optim.sgd(0.1)));
    add("fromage_schedule", () -> Optim.fromage(Schedule.cosineDecay(0.2, 6)));
    for (String sfx : new String[] {"", "_f32"}) {
      add("yogi" + sfx, () -> Optim.yogi(0.05));
      add("adadelta" + sfx, () -> Optim.adadelta(0.5));
      add("novograd" + sfx, () -> Optim.novograd(0.05));
      add("lars" + sfx, () -> Optim.lars(0.5));
      add("fromage" + sfx, () -> Optim.fromage(0.1));
      add("sm3_masked" + sfx, () -> Optim.chain(Optim.masked(Optim.sm3(0.1), path -> !path.equals("head.b")),
          Optim.masked(Optim.sgd(0.1), path -> path.equals("head.b"))));
      add("noisy_sgd" + sfx, () -> Optim.noisySgd(0.02, Random.key(0)));
    }
    add("yogi_args", () -> Optim.yogi(0.02, 0.5, 0.9, 1e-4));
    add("yogi_schedule_f32", () -> Optim.yogi(Schedule.linear(0.05, 0.005, 5)));
    add("adadelta_args", () -> Optim.adadelta(1.0, 0.8, 1e-4, 0.1, isW));
    add("adadelta_schedule", () -> Optim.adadelta(Schedule.cosineDecay(0.5, 6)));
    add("novograd_args", () -> Optim.novograd(0.02, 0.8, 0.5, 1e-4, 1e-6, 0.1));
    add("novograd_schedule", () -> Optim.novograd(Schedule.cosineDecay(0.05, 6)));
    add("lars_args", () -> Optim.lars(0.5, 0.01, isW, 0.01, 1e-6, isW, 0.5, true));
    add("lars_schedule", () -> Optim.lars(Schedule.cosineDecay(0.5, 6)));
    add("fromage_min_norm", () -> Optim.fromage(0.3, 1.0));
    add("sm3_momentum", () -> Optim.chain(Optim.masked(Optim.sm3(0.2, 0.5), path -> !path.equals("head.b")),
        Optim.freeze(path -> path.equals("head.b"))));
    add("noisy_sgd_args", () -> Optim.noisySgd(0.02, 0.1, 0.3, Random.key(42)));
    add("noisy_sgd_schedule_f32", () -> Optim.noisySgd(Schedule.cosineDecay(0.05, 6), 0.01, 0.55, Random.key(3)));
    add("add_noise_adam", () -> Optim.chain(Optim.addNoise(0.05, 0.55, Random.key(7)), Optim.adam(0.05)));
    add("ema_sgd", () -> Optim.chain(Optim.ema(0.9), Optim.sgd(0.1)));
    add("ema_no_debias", () -> Optim.chain(Optim.ema(0.8, false, null), Optim.scale(-0.1)));
    add("ema_f32_accumulator", () -> Optim.chain(Optim.ema(0.9, true, DType.F32), Optim.sgd(0.1)));
    add("apply_every_sgd", () -> Optim.chain(Optim.applyEvery(3), Optim.sgd(0.1)));
    add("momentum_apply_every_f32", () -> Optim.chain(Optim.trace(0.9, false), Optim.applyEvery(2), Optim.scale(-0.05)));
    add("centralize_sgd", () -> Optim.chain(Optim.centralize(), Optim.sgd(0.1)));
    add("sgd_keep_nonnegative", () -> Optim.chain(Optim.sgd(0.3), Optim.keepParamsNonnegative()));
    add("trust_ratio_sgd", () -> Optim.chain(Optim.scaleByTrustRatio(0.5, 0.5, 1e-3), Optim.sgd(0.1)));
    CASES.put("lookahead_adam", new Case(null, () -> Optim.lookahead(Optim.adam(0.05), 3, 0.5), null));
    CASES.put("lookahead_sgd_reset_f32", new Case(null, () -> Optim.lookahead(Optim.sgd(0.05, 0.9, false), 2, 0.7, true), null));
    add("lamb_mask", () -> Optim.lamb(0.05, 0.9, 0.999, 1e-6, 0.0, 0.1, isW));
    add("lamb_eps_root", () -> Optim.lamb(0.05, 0.9, 0.999, 1e-6, 1e-3, 0.1, null));
    add("adam_eps_root", () -> Optim.adam(0.05, 0.9, 0.999, 1e-8, 1e-3, null));
    // optax's keyword form, as AdamWOptions (the positional form: OptionsFormsTest)
    add("adamw_eps_root_mask", () -> Optim.adamw(0.05,
        Optim.AdamWOptions.defaults().withEpsRoot(1e-4).withWeightDecay(0.3).withMask(isW)));
    add("nadam_eps_root_f32", () -> Optim.nadam(0.05, 0.9, 0.999, 1e-8, 1e-3, null));
    add("adam_mu_bf16_f32", () -> Optim.adam(0.05, 0.9, 0.999, 1e-8, 0.0, DType.BF16));
    add("adamw_mu_f32", () -> Optim.adamw(0.05, Optim.AdamWOptions.defaults().withMuDtype(DType.F32).withWeightDecay(0.1)));
    add("radam_eps_root", () -> Optim.radam(0.05, 0.9, 0.9, 1e-8, 1e-3, 4.0, false));
    add("lion_mu_bf16_mask_f32", () -> Optim.lion(0.01, 0.9, 0.99, DType.BF16, 0.3, isW));
    add("lion_mask", () -> Optim.lion(0.02, 0.5, 0.9, null, 0.3, isW));
    add("adafactor_decay_mask", () -> Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, null, 0.1, 1e-30, true, isW));
    add("adafactor_momentum_decay_mask", () -> Optim.adafactor(0.05, 2, 0.8, 0, true, 1.0, 0.9, 0.1, 1e-30, true, isW));
  }

  /** amsgrad, adan, rprop, polyakSgd, muon and schedule-free (the script's session12_cases). */
  private static void addSession12() {
    Predicate<String> isW = path -> path.endsWith(".w");
    Supplier<Schedule> cos = () -> Schedule.cosineDecay(0.05, 6);
    Supplier<Schedule> lin = () -> Schedule.linear(0.05, 0.005, 5);
    for (String sfx : new String[] {"", "_f32"}) {
      add("amsgrad" + sfx, () -> Optim.amsgrad(0.05));
      add("adan" + sfx, () -> Optim.adan(0.05));
      add("rprop" + sfx, () -> Optim.rprop(0.05));
      add("polyak_sgd" + sfx, Optim::polyakSgd);
      add("muon" + sfx, () -> Optim.muon(0.05));
      add("schedule_free_sgd" + sfx, () -> Optim.scheduleFreeSgd(0.05));
      add("schedule_free_adamw" + sfx, () -> Optim.scheduleFreeAdamw(0.05));
    }
    add("amsgrad_args", () -> Optim.amsgrad(0.02, 0.5, 0.9, 1e-4, 1e-3, null, true, true));
    add("amsgrad_no_bias_correction", () -> Optim.amsgrad(0.05, 0.9, 0.999, 1e-8, 0.0, null, false, false));
    add("amsgrad_schedule", () -> Optim.amsgrad(cos.get()));
    add("adan_args", () -> Optim.adan(0.02, 0.9, 0.8, 0.95, 1e-4, 1e-6, 0.1, isW));
    add("adan_schedule_f32", () -> Optim.adan(lin.get()));
    add("rprop_args", () -> Optim.rprop(0.1, 0.3, 1.5, 0.01, 0.2));
    add("polyak_sgd_args", () -> Optim.polyakSgd(0.5, 0.5, -1.0, 1e-3, false));
    add("polyak_sgd_plus_f32", () -> Optim.polyakSgd(0.2, 1.0, 0.5, 0.0, true));
    add("polyak_sgd_schedule", () -> Optim.polyakSgd(1.0, cos.get(), 0.0, 0.0, false));
    add("muon_args", () -> Optim.muon(0.05, Optim.MuonOptions.defaults().withNsSteps(3).withBeta(0.9).withEps(1e-6)
        .withWeightDecay(0.1, null).withNesterov(false).withAdam(0.8, 0.99, 1e-4, 0.05, Schedule.constant(0.02))));
    add("muon_adaptive_consistent_rms",
        () -> Optim.muon(0.05, Optim.MuonOptions.defaults().withAdaptive(true).withConsistentRms(0.2)));
    add("muon_schedule_f32", () -> Optim.muon(lin.get()));
    add("muon_leaves_masked", () -> Optim.muon(0.05, Optim.MuonOptions.defaults().withMuonLeaves(path -> !path.equals("dense.w"))));
    add("schedule_free_sgd_warmup_decay_f32", () -> Optim.scheduleFreeSgd(0.1, 3, 0.8, 0.01, 1.0, null));
    add("schedule_free_adamw_warmup_f32", () -> Optim.scheduleFreeAdamw(0.05, 2, 0.95, 0.99, 1e-6, 0.1, 2.0, null));
    add("schedule_free_adam_schedule",
        () -> Optim.scheduleFree(Optim.adam(cos.get(), 0.0, 0.999, 1e-8), cos.get(), 0.9, 2.0, null));
  }

  private static JsonNode load() throws IOException {
    try (InputStream in = OptaxReferenceTest.class.getResourceAsStream("/optaxref/optax-reference.json")) {
      assertNotNull(in, "optaxref/optax-reference.json is missing from the test resources; "
          + "write it with bench/gpu/optax_reference.py");
      return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyOptaxCaseMatchesEagerAndJitted() throws IOException {
    JsonNode doc = load();
    assertEquals("statelens-optax-reference/1", doc.path("format").asText());
    String versions = "optax " + doc.path("optax_version").asText() + ", jax " + doc.path("jax_version").asText();
    TreeSet<String> inFile = new TreeSet<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : doc.path("cases")) {
      String name = c.path("name").asText();
      inFile.add(name);
      Case k = CASES.get(name);
      if (k == null) {
        fail("the reference file has case '" + name + "' that OptaxReferenceTest.CASES does not define; add it there");
      }
      for (boolean jit : new boolean[] {false, true}) {
        tests.add(DynamicTest.dynamicTest(name + (jit ? " (jit)" : ""), () -> check(name, k, c, jit, versions)));
      }
    }
    TreeSet<String> missing = new TreeSet<>(CASES.keySet());
    missing.removeAll(inFile);
    assertTrue(missing.isEmpty(), "cases without optax numbers: " + missing + "; rerun bench/gpu/optax_reference.py");
    return tests.stream();
  }

  private static void check(String name, Case k, JsonNode c, boolean jit, String versions) {
    DType dt = c.path("dtype").asText().equals("f32") ? DType.F32 : DType.F64;
    double tol = dt == DType.F32 ? 2e-6 : 1e-10;
    String kind = c.path("grads").asText();
    if (c.path("tree").asText().equals("lookahead")) {
      checkLookahead(name, k.lookahead().get(), c, dt, tol, jit, versions);
      return;
    }
    boolean nested = c.path("tree").asText("flat").equals("nested");
    Optim.Optimizer opt = k.optimizer().get();
    // "value": optax's update(..., value=loss), the script's nested_loss at the params (polyak_sgd)
    boolean withValue = c.has("value");
    Fn3<Object, Optim.OptState<Object>, Object, Pair<Object, Optim.OptState<Object>>> step = (p, s, g) -> {
      var r = withValue ? ((Optim.ValueOptimizer) opt).update(g, s, p, nestedLoss(p)) : opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    };
    if (jit) {
      step = Transforms.jit(step);
    }
    Object p = nested ? nested(dt) : new P(Array.of(P0[0], P0[1], P0[2]).astype(dt), Array.scalar(dt, P0[3]));
    Optim.OptState<Object> s = opt.init(p);
    JsonNode expected = c.path("params");
    for (int t = 0; t < expected.size(); t++) {
      if (k.between() != null) {
        s = k.between().apply(t, s);
      }
      var r = step.apply(p, s, nested ? nestedGrads(kind, p, t) : grads(kind, (P) p, t));
      p = r.first();
      s = r.second();
      double[] got = values(p, dt);
      assertEquals(expected.get(t).size(), got.length, name + ": number of param elements");
      for (int i = 0; i < got.length; i++) {
        double e = expected.get(t).get(i).asDouble();
        String where = name + " step " + t + " param element " + i + " (" + versions + ")";
        if (Double.isNaN(e)) {
          assertTrue(Double.isNaN(got[i]), where + ": optax has NaN, got " + got[i]);
        } else {
          assertEquals(e, got[i], tol * Math.max(1, Math.abs(e)), where);
        }
      }
      JsonNode counters = c.path("counters");
      if (!counters.isMissingNode()) {
        checkCounters(name + " step " + t, counters.get(t), s);
      }
      JsonNode evalParams = c.path("eval_params");
      if (!evalParams.isMissingNode()) {
        double[] eval = values(Optim.scheduleFreeEvalParams(s, p), dt);
        for (int i = 0; i < eval.length; i++) {
          double e = evalParams.get(t).get(i).asDouble();
          assertEquals(e, eval[i], tol * Math.max(1, Math.abs(e)), name + " step " + t + " eval param " + i + " (" + versions + ")");
        }
      }
    }
  }

  /** The script's nested_loss: sum over the leaves (in leaf order) of sum((p - t)^3 + (p - t)^2), whose gradient is nestedGrads'. */
  static Array nestedLoss(Object p) {
    DType dt = Tree.leaves(p).get(0).dtype();
    List<Array> ps = Tree.leaves(p);
    List<Array> ts = Tree.leaves(nestedTargets(dt));
    Array total = null;
    for (int i = 0; i < ps.size(); i++) {
      Array d = ps.get(i).sub(ts.get(i));
      Array term = d.square().mul(d).add(d.square()).sum();
      total = total == null ? term : total.add(term);
    }
    return total;
  }

  /** A lookahead case: the gradients at the fast params; each step's fast then slow leaves against the script's. */
  private static void checkLookahead(String name, Optim.Lookahead opt, JsonNode c, DType dt, double tol, boolean jit,
      String versions) {
    Fn3<Optim.LookaheadParams<Object>, Optim.LookaheadState<Object>, Object,
        Pair<Optim.LookaheadParams<Object>, Optim.LookaheadState<Object>>> step = (p, s, g) -> {
          var r = opt.update(g, s, p);
          return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
        };
    if (jit) {
      step = Transforms.jit(step);
    }
    Optim.LookaheadParams<Object> p = Optim.LookaheadParams.initSynced(nested(dt));
    Optim.LookaheadState<Object> s = opt.init(p);
    JsonNode expected = c.path("params");
    for (int t = 0; t < expected.size(); t++) {
      var r = step.apply(p, s, nestedGrads("fixture", p.fast(), t));
      p = r.first();
      s = r.second();
      double[] fast = values(p.fast(), dt);
      double[] slow = values(p.slow(), dt);
      assertEquals(expected.get(t).size(), fast.length + slow.length, name + ": number of param elements");
      for (int i = 0; i < expected.get(t).size(); i++) {
        double e = expected.get(t).get(i).asDouble();
        double got = i < fast.length ? fast[i] : slow[i - fast.length];
        assertEquals(e, got, tol * Math.max(1, Math.abs(e)),
            name + " step " + t + (i < fast.length ? " fast" : " slow") + " element " + i + " (" + versions + ")");
      }
    }
  }

  /** Every leaf's elements, in leaf order (jax.tree.leaves order: sorted map keys), each leaf of dtype {@code dt}. */
  private static double[] values(Object tree, DType dt) {
    List<Double> out = new ArrayList<>();
    for (Array leaf : Tree.leaves(tree)) {
      assertEquals(dt, leaf.dtype(), "a param's dtype after applyUpdates");
      for (double v : leaf.toDoubleArray()) {
        out.add(v);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The script's NESTED0: {dense: {w: 3x2, b: [2]}, head: {w: [2], b: scalar}}. */
  static Map<String, Object> nested(DType dt) {
    return nestedOf(dt, new double[] {0.5, -1.25, 2.0, 0.3, -0.7, 1.1}, new double[] {0.1, -0.2},
        new double[] {0.8, -0.4}, 0.75);
  }

  /** The script's NESTED_T, the targets of the nested tree's gradients. */
  private static Map<String, Object> nestedTargets(DType dt) {
    return nestedOf(dt, new double[] {1.5, 0.25, -1.0, 0.6, 0.2, -0.3}, new double[] {0.4, 0.1},
        new double[] {-0.2, 0.5}, -0.5);
  }

  private static Map<String, Object> nestedOf(DType dt, double[] denseW, double[] denseB, double[] headW, double headB) {
    return Map.of(
        "dense", Map.of("w", Array.of(denseW).reshape(3, 2).astype(dt), "b", Array.of(denseB).astype(dt)),
        "head", Map.of("w", Array.of(headW).astype(dt), "b", Array.scalar(dt, headB)));
  }

  /** The script's nested_grads: the cubic's gradient per leaf; "nan": NaN in head.b at step 2 and dense.w[1,0] at 4; "mini": + 0.2·(t%3 - 1). */
  static Object nestedGrads(String kind, Object p, int t) {
    DType dt = Tree.leaves(p).get(0).dtype();
    Object g = Tree.map((x, target) -> {
      Array d = x.sub(target);
      return d.square().mul(3).add(d.mul(2));
    }, p, nestedTargets(dt));
    List<String> paths = Tree.paths(g);
    List<Array> leaves = new ArrayList<>(Tree.leaves(g));
    switch (kind) {
      case "fixture" -> {}
      case "nan" -> {
        if (t == 2) {
          leaves.set(paths.indexOf("head.b"), Array.scalar(dt, Double.NaN));
        } else if (t == 4) {
          int i = paths.indexOf("dense.w");
          double[] w = leaves.get(i).toDoubleArray();
          w[2] = Double.NaN; // [1, 0] of the 3x2 matrix
          leaves.set(i, Array.of(w).reshape(3, 2).astype(dt));
        }
      }
      case "mini" -> leaves.replaceAll(x -> x.add(0.2 * (t % 3 - 1)));
      default -> fail("unknown gradient kind '" + kind + "' in the reference file");
    }
    return Tree.structure(g).unflatten(leaves);
  }

  @TestFactory
  Stream<DynamicTest> everyOptaxScheduleMatches() throws IOException {
    JsonNode doc = load();
    List<DynamicTest> tests = new ArrayList<>();
    TreeSet<String> inFile = new TreeSet<>();
    for (JsonNode c : doc.path("schedules")) {
      String name = c.path("name").asText();
      inFile.add(name);
      Supplier<Schedule> make = SCHEDULES.get(name);
      if (make == null) {
        fail("the reference file has schedule '" + name + "' that OptaxReferenceTest.SCHEDULES does not define; add it there");
      }
      tests.add(DynamicTest.dynamicTest("schedule " + name, () -> {
        // optax computes most schedules in float32 even under x64: those agree to f32 rounding
        double tol = c.path("dtype").asText().equals("float64") && !SCHEDULES_F32_INSIDE.contains(name) ? 1e-12 : 1e-6;
        Schedule schedule = make.get();
        JsonNode values = c.path("values");
        // relative to the schedule's largest value: near a cosine's end float32's cos(pi·pct) + 1 cancels
        double scale = 0;
        for (JsonNode v : values) {
          scale = Math.max(scale, Math.abs(v.asDouble()));
        }
        for (int i = 0; i < values.size(); i++) {
          double e = values.get(i).asDouble();
          assertEquals(e, schedule.at(i), tol * scale, name + " at count " + i);
        }
      }));
    }
    TreeSet<String> missing = new TreeSet<>(SCHEDULES.keySet());
    missing.removeAll(inFile);
    assertTrue(missing.isEmpty(), "schedules without optax values: " + missing + "; rerun bench/gpu/optax_reference.py");
    return tests.stream();
  }

  /**
   * optax's bias correction {@code 1 / (1 - b**count)} of a one, bit for bit: float32 (x64 off, what f32
   * users run: {@code 0.999f ** t}) for F32 moments, float64 (x64) for F64 ones; eager and under jit
   * (the count traced). The exact {@code -expm1(t·log b)} StateLens used before differs in F32 from the
   * first count on (~1e-5 relative), which is most of the Adam ports' drift (docs/porting.md). Past the
   * first 40 counts an F32 value may be 1 ulp off: XLA's f32 {@code pow} is glibc's {@code powf}, the CPU
   * backend's is the correctly rounded one, and they differ by 1 ulp at a few counts (0.999^2958; 122 of
   * the counts 1..20000), where {@code 1 - b^t} is far from 0 and the ulp stays an ulp.
   */
  @TestFactory
  Stream<DynamicTest> biasCorrectionIsOptaxsBitForBit() throws IOException {
    JsonNode doc = load();
    List<DynamicTest> tests = new ArrayList<>();
    assertTrue(doc.path("bias_corrections").size() > 0, "no bias_corrections in the reference file; rerun bench/gpu/optax_reference.py");
    for (JsonNode c : doc.path("bias_corrections")) {
      double b = c.path("b").asDouble();
      DType dt = c.path("dtype").asText().equals("float32") ? DType.F32 : DType.F64;
      tests.add(DynamicTest.dynamicTest("bias correction " + b + " " + dt, () -> {
        Function<Array, Array> corrected = count -> new Moments.Corrections(b, count, Array.ones(dt)).correct(Array.ones(dt));
        Function<Array, Array> jitted = Transforms.jit(corrected);
        for (int i = 0; i < c.path("counts").size(); i++) {
          int count = c.path("counts").get(i).asInt();
          double e = c.path("values").get(i).asDouble();
          String where = "1 / (1 - " + b + "^" + count + ") in " + dt;
          double ulps = dt == DType.F32 && count > 40 ? Math.ulp((float) e) : 0;
          assertEquals(e, corrected.apply(Array.scalar(DType.I32, count)).doubleValue(), ulps, where + " (eager)");
          assertEquals(e, jitted.apply(Array.scalar(DType.I32, count)).doubleValue(), ulps, where + " (jit)");
        }
      }));
    }
    return tests.stream();
  }

  private static void checkCounters(String where, JsonNode expected, Optim.OptState<?> s) {
    switch (s) {
      case Optim.ChainState<?> chain when chain.states().get(0) instanceof Optim.ZeroNansState<?> z -> {
        List<Array> found = Tree.leaves(z.foundNan());
        assertEquals(expected.path("found_nan").size(), found.size(), where + " foundNan leaves");
        for (int i = 0; i < found.size(); i++) {
          assertEquals(expected.path("found_nan").get(i).asBoolean(), found.get(i).boolValue(), where + " foundNan[" + i + "]");
        }
      }
      case Optim.ApplyIfFiniteState<?> a -> {
        assertEquals(expected.path("notfinite_count").asInt(), a.notfiniteCount().intValue(), where + " notfiniteCount");
        assertEquals(expected.path("last_finite").asBoolean(), a.lastFinite().boolValue(), where + " lastFinite");
        assertEquals(expected.path("total_notfinite").asInt(), a.totalNotfinite().intValue(), where + " totalNotfinite");
      }
      case Optim.MultiStepsState<?> m -> {
        assertEquals(expected.path("mini_step").asInt(), m.miniStep().intValue(), where + " miniStep");
        assertEquals(expected.path("gradient_step").asInt(), m.gradientStep().intValue(), where + " gradientStep");
      }
      case Optim.InjectHyperparamsState<?> h -> assertEquals(expected.path("learning_rate").asDouble(),
          h.hyperparams().get("learning_rate").doubleValue(),
          (h.hyperparams().get("learning_rate").dtype() == DType.F32 ? 2e-6 : 1e-12) * expected.path("learning_rate").asDouble(),
          where + " hyperparams.learning_rate");
      default -> fail(where + ": counters recorded for a " + s.getClass().getSimpleName());
    }
  }

  /** The script's gradients: the fixture's, with NaN/Inf at steps 2/4 ("nan") or a per-call offset ("mini"). */
  private static P grads(String kind, P p, int t) {
    DType dt = p.w().dtype();
    Array dw = p.w().sub(Array.of(TARGET[0], TARGET[1], TARGET[2]).astype(dt));
    Array db = p.b().sub(Array.scalar(dt, TARGET[3]));
    Array gw = dw.square().mul(3).add(dw.mul(2));
    Array gb = db.square().mul(3).add(db.mul(2));
    switch (kind) {
      case "fixture" -> {}
      case "nan" -> {
        if (t == 2 || t == 4) {
          gb = Array.scalar(dt, t == 2 ? Double.NaN : Double.POSITIVE_INFINITY);
        }
      }
      case "mini" -> {
        int k = t % 3 - 1;
        gw = gw.add(Array.of(0.3, -0.2, 0.1).astype(dt).mul(k));
        gb = gb.add(0.25 * k);
      }
      default -> fail("unknown gradient kind '" + kind + "' in the reference file");
    }
    return new P(gw, gb);
  }
}
