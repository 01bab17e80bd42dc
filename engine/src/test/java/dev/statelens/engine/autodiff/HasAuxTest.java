package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.Jacobians.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** has_aux: a training step returning the loss and (logits, accuracy) as aux. */
class HasAuxTest {

  public record Params(Array w, Array b) {}

  public record Metrics(Array logits, Array accuracy, Array predictions) {}

  static final Array XS = GradCheck.random(new Random(61), 6, 4);
  static final Array LABELS = Array.of(0, 2, 1, 1, 0, 2);
  static final Params P = new Params(GradCheck.random(new Random(67), 4, 3), Array.of(0.1, 0.0, -0.1));

  static Array logits(Params p, Array xs) {
    return xs.matmul(p.w()).add(p.b());
  }

  static Array loss(Params p, Array xs) {
    return Nn.softmaxCrossEntropy(logits(p, xs), LABELS).mean();
  }

  static final BiFunction<Params, Array, Pair<Array, Metrics>> STEP = (p, xs) -> {
    Array logits = logits(p, xs);
    Array predictions = logits.argmax(1);
    Array accuracy = predictions.eq(LABELS).astype(DType.F64).mean();
    return Pair.of(Nn.softmaxCrossEntropy(logits, LABELS).mean(), new Metrics(logits, accuracy, predictions));
  };

  @Test
  void valueAndGradWithAuxReturnsValueAuxAndTheGradientOfTheValueOnly() {
    Pair<Pair<Array, Metrics>, Params> r = Transforms.valueAndGradWithAux(STEP).apply(P, XS);
    Pair<Array, Params> plain = Transforms.valueAndGrad(HasAuxTest::loss).apply(P, XS);
    assertSame("value", plain.first(), r.first().first());
    assertSame("grad w", plain.second().w(), r.second().w());
    assertSame("grad b", plain.second().b(), r.second().b());
    Metrics m = r.first().second();
    assertTrue(m.logits().isConcrete() && m.accuracy().isConcrete(), "aux comes back as values, not tracers");
    assertSame("aux logits", logits(P, XS), m.logits());
    Array predictions = logits(P, XS).argmax(1);
    assertEquals(DType.I32, m.predictions().dtype());
    assertSame("aux accuracy", predictions.eq(LABELS).astype(DType.F64).mean(), m.accuracy());
  }

  @Test
  void noGradientFlowsThroughAux() {
    // aux depends on x strongly; the gradient is that of the value alone
    Function<Array, Pair<Array, Array>> fn = x -> Pair.of(x.square().sum(), x.exp().mul(100));
    Pair<Array, Array> r = Transforms.gradWithAux(fn).apply(Array.of(1.0, 2.0));
    assertSame("grad", Array.of(2.0, 4.0), r.first());
    assertSame("aux", Array.of(Math.exp(1) * 100, Math.exp(2) * 100), r.second());
  }

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void gradWithAuxUnderJitTracesOnceAndEqualsEager() {
    AtomicInteger traces = new AtomicInteger();
    BiFunction<Params, Array, Pair<Array, Metrics>> counted = (p, xs) -> {
      traces.incrementAndGet();
      return STEP.apply(p, xs);
    };
    BiFunction<Params, Array, Pair<Params, Metrics>> eager = Transforms.gradWithAux(counted);
    BiFunction<Params, Array, Pair<Params, Metrics>> jitted = Transforms.jit(Transforms.gradWithAux(counted));
    Params p = P;
    for (int i = 0; i < 3; i++) {
      Pair<Params, Metrics> e = eager.apply(p, XS);
      Pair<Params, Metrics> j = jitted.apply(p, XS);
      assertSame("grad w step " + i, e.first().w(), j.first().w());
      assertSame("grad b step " + i, e.first().b(), j.first().b());
      assertSame("logits step " + i, e.second().logits(), j.second().logits());
      assertSame("accuracy step " + i, e.second().accuracy(), j.second().accuracy());
      assertEquals(DType.I32, j.second().predictions().dtype());
      p = new Params(p.w().sub(e.first().w().mul(0.5)), p.b().sub(e.first().b().mul(0.5)));
    }
    assertEquals(3 + 1, traces.get(), "3 eager calls and one jit trace");
    assertTrue(loss(p, XS).doubleValue() < loss(P, XS).doubleValue(), "the steps descend");
  }

  @Test
  void auxMayBeAnyPytreeIncludingNullAndConstants() {
    Function<Array, Pair<Array, Map<String, Object>>> fn = x -> Pair.of(x.sum(),
        Map.of("scaled", List.of(x.mul(2)), "constant", Array.scalar(7)));
    Pair<Pair<Array, Map<String, Object>>, Array> r = Transforms.valueAndGradWithAux(fn).apply(Array.of(1.0, 3.0));
    assertEquals(4.0, r.first().first().doubleValue());
    @SuppressWarnings("unchecked")
    List<Array> scaled = (List<Array>) r.first().second().get("scaled");
    assertSame("aux list", Array.of(2.0, 6.0), scaled.get(0));
    assertEquals(7f, ((Array) r.first().second().get("constant")).floatValue());
    Pair<Array, Object> none = Transforms.gradWithAux((Array x) -> Pair.<Array, Object>of(x.sum(), null))
        .apply(Array.of(1.0));
    assertNull(none.second());
    assertSame("grad", Array.of(1.0), none.first());
  }

  @Test
  void threeArgumentVariants() {
    Fn3<Params, Array, Array, Pair<Array, Array>> fn = (p, xs, scale) ->
        Pair.of(loss(p, xs).mul(scale), logits(p, xs));
    Array scale = Array.scalar(DType.F64, 3);
    Pair<Pair<Array, Array>, Params> r = Transforms.valueAndGradWithAux(fn).apply(P, XS, scale);
    Pair<Params, Array> g = Transforms.gradWithAux(fn).apply(P, XS, scale);
    Params expected = Transforms.grad((Params p) -> loss(p, XS).mul(3)).apply(P);
    assertSame("grad w", expected.w(), r.second().w());
    assertSame("grad w (gradWithAux)", expected.w(), g.first().w());
    assertSame("aux", logits(P, XS), g.second());
    assertSame("value", loss(P, XS).mul(3), r.first().first());
  }

  @Test
  void errorsNameTheProblem() {
    var notScalar = assertThrows(IllegalArgumentException.class,
        () -> Transforms.gradWithAux((Array x) -> Pair.of(x, x)).apply(Array.of(1.0, 2.0)));
    assertTrue(notScalar.getMessage().contains("gradWithAux requires a scalar output, got f64[2]; use sum() or mean()"),
        notScalar.getMessage());
    var nullResult = assertThrows(IllegalArgumentException.class,
        () -> Transforms.valueAndGradWithAux((Array x) -> (Pair<Array, Array>) null).apply(Array.of(1.0)));
    assertTrue(nullResult.getMessage().contains("requires the function to return Pair.of(value, aux), got null"),
        nullResult.getMessage());
    @SuppressWarnings({"unchecked", "rawtypes"})
    Function<Array, Pair<Array, Object>> notAPair = (Function) (Function<Array, Object>) x -> List.of(x.sum(), x);
    var wrongType = assertThrows(IllegalArgumentException.class,
        () -> Transforms.gradWithAux(notAPair).apply(Array.of(1.0)));
    assertTrue(wrongType.getMessage().contains("requires the function to return Pair.of(value, aux), got java.util."),
        wrongType.getMessage());
    var badAux = assertThrows(IllegalArgumentException.class,
        () -> Transforms.gradWithAux((Array x) -> Pair.<Array, Object>of(x.sum(), "accuracy")).apply(Array.of(1.0)));
    assertTrue(badAux.getMessage().startsWith("gradWithAux: the aux value must be a pytree of arrays"),
        badAux.getMessage());
    var intInput = assertThrows(IllegalArgumentException.class,
        () -> Transforms.valueAndGradWithAux((Params p) -> Pair.of(p.w().sum(), p.b()))
            .apply(new Params(Array.of(1.0), Array.of(1))));
    assertTrue(intInput.getMessage().contains("arg0.b is i32[1]"), intInput.getMessage());
  }
}
