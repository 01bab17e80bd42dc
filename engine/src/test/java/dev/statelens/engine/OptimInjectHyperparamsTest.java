package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Optim#injectHyperparams}: the hyperparameters are state leaves, so a jitted step with a
 * changed learning rate keeps its one graph and uses the new value; schedules are evaluated from the
 * count into the state; bad input is named. optax's numbers: {@link OptaxReferenceTest} (inject_*).
 */
class OptimInjectHyperparamsTest {

  private static Map<String, Object> params() {
    return OptaxReferenceTest.nested(DType.F64);
  }

  private static Object grads(Object p, int t) {
    return OptaxReferenceTest.nestedGrads("fixture", p, t);
  }

  private static double[] flat(Object tree) {
    return Tree.leaves(tree).stream().flatMapToDouble(a -> java.util.Arrays.stream(a.toDoubleArray())).toArray();
  }

  @Test
  void aChangedLearningRateInTheStateNeitherRetracesNorIsIgnored() {
    Optim.Optimizer opt = Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")), Map.of("learning_rate", 0.05));
    Fn3<Object, Optim.OptState<Object>, Object, Pair<Object, Optim.OptState<Object>>> step = (p, s, g) -> {
      var r = opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    };
    var jitted = Transforms.jit(step);
    // the reference: plain Adam whose learning rate is 0.05 for two steps, then 0.001 (same moments)
    Object ref = params();
    Optim.OptState<Object> refState = Optim.adam(0.05).init(ref);
    Object p = params();
    Optim.OptState<Object> s = opt.init(p);
    for (int t = 0; t < 5; t++) {
      double lr = t < 2 ? 0.05 : 0.001;
      if (t == 2) {
        s = ((Optim.InjectHyperparamsState<Object>) s).withHyperparam("learning_rate", 0.001);
      }
      var r = jitted.apply(p, s, grads(p, t));
      p = r.first();
      s = r.second();
      var rr = Optim.adam(lr).update(grads(ref, t), refState, ref);
      ref = Optim.applyUpdates(ref, rr.first());
      refState = rr.second();
      double[] want = flat(ref);
      double[] got = flat(p);
      for (int i = 0; i < want.length; i++) {
        assertEquals(want[i], got[i], 1e-12 * Math.max(1, Math.abs(want[i])), "step " + t + " element " + i);
      }
      var st = assertInstanceOf(Optim.InjectHyperparamsState.class, s);
      assertEquals(lr, ((Array) st.hyperparams().get("learning_rate")).doubleValue(), 0);
      assertEquals(t + 1, st.count().intValue());
    }
    assertEquals(1, Transforms.jitInfo(jitted).graphs().size(), "a new learning rate is a new input, not a new graph");
  }

  @Test
  void aScheduledHyperparameterIsReadAtTheCountAndStoredInTheState() {
    Schedule lin = Schedule.linear(0.1, 0.0, 4);
    Optim.Optimizer opt = Optim.injectHyperparams(hp -> Optim.sgd(hp.get("learning_rate")),
        Map.of("learning_rate", lin, "unused", 3.0));
    Object p = params();
    var s = assertInstanceOf(Optim.InjectHyperparamsState.class, opt.init(p));
    assertEquals(List.of("unused", "learning_rate").stream().sorted().toList(), List.copyOf(s.hyperparams().keySet()));
    assertEquals(0.1, ((Array) s.hyperparams().get("learning_rate")).doubleValue(), 1e-15, "init holds schedule(0)");
    assertEquals(DType.F64, ((Array) s.hyperparams().get("unused")).dtype(), "floats in the params' dtype");
    Optim.OptState<Object> st = s;
    for (int t = 0; t < 3; t++) {
      Object g = grads(p, t);
      var r = opt.update(g, st, p);
      double[] u = flat(r.first());
      double[] gs = flat(g);
      assertEquals(-lin.at(t) * gs[0], u[0], 1e-15, "update " + t + " uses schedule(" + t + ")");
      st = r.second();
      assertEquals(lin.at(t), ((Optim.InjectHyperparamsState<Object>) st).hyperparams().get("learning_rate").doubleValue(), 1e-15);
    }
    // a float32 model keeps its hyperparameters in float32, optax's default hyperparam_dtype
    var s32 = (Optim.InjectHyperparamsState<?>) opt.init(OptaxReferenceTest.nested(DType.F32));
    assertEquals(DType.F32, s32.hyperparams().get("learning_rate").dtype());
  }

  private static void fails(Executable e, String... fragments) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    for (String f : fragments) {
      assertTrue(m.contains(f), "'" + f + "' in: " + m);
    }
  }

  @Test
  void badInputIsNamedWithTheFix() {
    Map<String, Object> p = params();
    fails(() -> Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")), Map.of()), "no hyperparameters", "learning_rate");
    fails(() -> Optim.injectHyperparams(hp -> Optim.adam(hp.get("lr")), Map.of("lr", Double.NaN)), "'lr'", "finite number");
    Map<String, Object> withBool = new HashMap<>();
    withBool.put("nesterov", true);
    fails(() -> Optim.injectHyperparams(hp -> Optim.sgd(0.1), withBool), "'nesterov'", "flags", "factory");
    Optim.Optimizer typo = Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")), Map.of("lr", 1e-3));
    fails(() -> typo.init(p), "'learning_rate'", "[lr]", "Map.of(\"learning_rate\"");
    Optim.Optimizer ok = Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")), Map.of("learning_rate", 1e-3));
    var s = (Optim.InjectHyperparamsState<Map<String, Object>>) ok.init(p);
    fails(() -> s.withHyperparam("lr", 0.1), "no hyperparameter 'lr'", "[learning_rate]");
    fails(() -> s.withHyperparam("learning_rate", Double.POSITIVE_INFINITY), "finite");
    fails(() -> ok.update(p, Optim.adam(1e-3).init(p), p), "InjectHyperparamsState", "init(params)");
    Optim.Optimizer other = Optim.injectHyperparams(hp -> Optim.adam(hp.get("learning_rate")),
        Map.of("learning_rate", 1e-3, "b", 1.0));
    fails(() -> other.update(p, s, p), "[learning_rate]", "[b, learning_rate]");
    fails(() -> Optim.injectHyperparams(hp -> null, Map.of("x", 1.0)).init(p), "factory returned null");
  }
}
