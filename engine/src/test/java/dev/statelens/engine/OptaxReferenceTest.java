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
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * RMSProp, Adagrad, Lion, applyIfFinite, multiSteps and masked weight decay against numbers from
 * real optax ({@code optaxref/optax-reference.json}, written by {@code bench/gpu/optax_reference.py}
 * with jax and optax; the file records their versions). Every case runs eagerly and under jit, and
 * each step's params (and the wrappers' counters) must equal optax's: to 1e-10 relative in F64 (the
 * cubic test problem amplifies last-bit differences, e.g. in Adam's bias correction, to ~1e-11 by
 * step 5; a formula difference such as eps outside the root shows at ~1e-8), 2e-6 in F32.
 */
class OptaxReferenceTest {

  /** A case as the Python script names it: the optimizer and the gradients it is fed. */
  private record Case(Supplier<Optim.Optimizer> optimizer, String grads) {}

  static final Map<String, Case> CASES = new LinkedHashMap<>();

  private static void add(String name, Supplier<Optim.Optimizer> opt) {
    CASES.put(name, new Case(opt, null));
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
    Optim.Optimizer opt = k.optimizer().get();
    Fn3<P, Optim.OptState<P>, P, Pair<P, Optim.OptState<P>>> step = (p, s, g) -> {
      var r = opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    };
    if (jit) {
      step = Transforms.jit(step);
    }
    P p = new P(Array.of(P0[0], P0[1], P0[2]).astype(dt), Array.scalar(dt, P0[3]));
    Optim.OptState<P> s = opt.init(p);
    JsonNode expected = c.path("params");
    for (int t = 0; t < expected.size(); t++) {
      var r = step.apply(p, s, grads(kind, p, t));
      p = r.first();
      s = r.second();
      assertEquals(dt, p.w().dtype());
      double[] w = p.w().toDoubleArray();
      double[] got = {w[0], w[1], w[2], p.b().doubleValue()};
      for (int i = 0; i < 4; i++) {
        double e = expected.get(t).get(i).asDouble();
        String where = name + " step " + t + " param " + i + " (" + versions + ")";
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
    }
  }

  private static void checkCounters(String where, JsonNode expected, Optim.OptState<P> s) {
    switch (s) {
      case Optim.ApplyIfFiniteState<P> a -> {
        assertEquals(expected.path("notfinite_count").asInt(), a.notfiniteCount().intValue(), where + " notfiniteCount");
        assertEquals(expected.path("last_finite").asBoolean(), a.lastFinite().boolValue(), where + " lastFinite");
        assertEquals(expected.path("total_notfinite").asInt(), a.totalNotfinite().intValue(), where + " totalNotfinite");
      }
      case Optim.MultiStepsState<P> m -> {
        assertEquals(expected.path("mini_step").asInt(), m.miniStep().intValue(), where + " miniStep");
        assertEquals(expected.path("gradient_step").asInt(), m.gradientStep().intValue(), where + " gradientStep");
      }
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
