package dev.statelens.engine;

import static dev.statelens.engine.OptimFixture.P;
import static dev.statelens.engine.OptimFixture.assertClose;
import static dev.statelens.engine.OptimFixture.flat;
import static dev.statelens.engine.OptimFixture.grads;
import static dev.statelens.engine.OptimFixture.params0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** applyIfFinite, multiSteps and addDecayedWeights, eager and under jit, against optax's semantics. */
class OptimWrappersTest {

  /** One update step, eager or through {@code step}. */
  private interface Stepper {
    Pair<P, Optim.OptState<P>> step(P p, Optim.OptState<P> s, P g);
  }

  private static Stepper eager(Optim.Optimizer opt) {
    return (p, s, g) -> {
      var r = opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    };
  }

  private static Fn3<P, Optim.OptState<P>, P, Pair<P, Optim.OptState<P>>> jitted(Optim.Optimizer opt) {
    return Transforms.jit((P p, Optim.OptState<P> s, P g) -> {
      var r = opt.update(g, s, p);
      return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
    });
  }

  private static P withNaNIn(P g, double bad) {
    return new P(g.w(), Array.scalar(DType.F64, bad));
  }

  // ---- applyIfFinite -----------------------------------------------------------------------------

  @Test
  void applyIfFiniteSkipsANonFiniteStepAndMovesOnEagerAndJitted() {
    Optim.Optimizer opt = Optim.applyIfFinite(Optim.adam(0.05), 3);
    var jit = jitted(opt);
    for (Stepper stepper : List.<Stepper>of(eager(opt), jit::apply)) {
      P p = params0();
      Optim.OptState<P> s = opt.init(p);
      // reference: plain Adam over the finite steps only
      Optim.Optimizer adam = Optim.adam(0.05);
      P ref = params0();
      Optim.OptState<P> rs = adam.init(ref);
      for (int t = 0; t < 6; t++) {
        boolean bad = t == 2 || t == 4;
        P g = bad ? withNaNIn(grads(p), t == 2 ? Double.NaN : Double.POSITIVE_INFINITY) : grads(p);
        P before = p;
        var r = stepper.step(p, s, g);
        p = r.first();
        s = r.second();
        Optim.ApplyIfFiniteState<P> st = assertInstanceOf(Optim.ApplyIfFiniteState.class, s);
        if (bad) {
          assertArrayEquals(flat(before), flat(p), 0, "a step with a non-finite gradient leaves the params");
          assertFalse(st.lastFinite().boolValue());
          assertEquals(1, st.notfiniteCount().intValue());
        } else {
          var rr = adam.update(grads(ref), rs, ref);
          ref = Optim.applyUpdates(ref, rr.first());
          rs = rr.second();
          assertClose(flat(ref), flat(p), 1e-12, "finite step " + t + " is Adam's step");
          assertTrue(st.lastFinite().boolValue());
          assertEquals(0, st.notfiniteCount().intValue());
        }
        Optim.AdamState<P> inner = assertInstanceOf(Optim.AdamState.class, st.innerState());
        assertEquals(((Optim.AdamState<P>) rs).count().intValue(), inner.count().intValue(), "inner count after step " + t);
      }
      Optim.ApplyIfFiniteState<P> last = (Optim.ApplyIfFiniteState<P>) s;
      assertEquals(2, last.totalNotfinite().intValue());
      assertEquals(4, ((Optim.AdamState<P>) last.innerState()).count().intValue());
    }
    assertEquals(1, Transforms.jitInfo(jit).graphs().size(), "finite and non-finite steps share one graph");
  }

  @Test
  void applyIfFiniteAppliesAnywayAfterMaxConsecutiveErrors() {
    // optax: apply when finite or notfinite_count > max_consecutive_errors
    Optim.Optimizer opt = Optim.applyIfFinite(Optim.sgd(0.1), 1);
    P p = params0();
    Optim.OptState<P> s = opt.init(p);
    var r1 = opt.update(withNaNIn(grads(p), Double.NaN), s, p);
    assertEquals(0.0, r1.first().b().doubleValue(), 0, "first NaN step skipped");
    var r2 = opt.update(withNaNIn(grads(p), Double.NaN), r1.second(), p);
    assertTrue(Double.isNaN(r2.first().b().doubleValue()), "second in a row is applied: the NaN shows");
    Optim.ApplyIfFiniteState<P> st = (Optim.ApplyIfFiniteState<P>) r2.second();
    assertEquals(2, st.notfiniteCount().intValue());
    assertEquals(2, st.totalNotfinite().intValue());
    assertEquals(List.of("notfiniteCount", "lastFinite", "totalNotfinite"), Tree.paths(st));
  }

  @Test
  void applyIfFiniteStateNamesItsLeavesLikeOptax() {
    P p = params0();
    var s = Optim.applyIfFinite(Optim.chain(Optim.clipByGlobalNorm(1), Optim.adam(0.1)), 5).init(p);
    assertEquals(List.of("notfiniteCount", "lastFinite", "totalNotfinite",
        "innerState[1].count", "innerState[1].mu.w", "innerState[1].mu.b",
        "innerState[1].nu.w", "innerState[1].nu.b"), Tree.paths(s));
  }

  // ---- multiSteps --------------------------------------------------------------------------------

  /** The mini-batch gradients of round {@code round}: the fixture's gradient plus a per-mini-step offset. */
  private static P miniGrad(P p, int mini) {
    P g = grads(p);
    return new P(g.w().add(Array.of(0.3, -0.2, 0.1).mul(mini - 1)), g.b().add(0.25 * (mini - 1)));
  }

  private static P mean(List<P> gs) {
    P sum = gs.get(0);
    for (int i = 1; i < gs.size(); i++) {
      sum = Tree.map(Array::add, sum, gs.get(i));
    }
    double n = gs.size();
    return Tree.map(a -> a.div(n), sum);
  }

  @Test
  void kMiniStepsAreOneInnerStepOnTheMeanGradient() {
    int k = 3;
    Optim.Optimizer opt = Optim.multiSteps(Optim.adam(0.05), k);
    var jit = jitted(opt);
    for (Stepper stepper : List.<Stepper>of(eager(opt), jit::apply)) {
      P p = params0();
      Optim.OptState<P> s = opt.init(p);
      Optim.Optimizer adam = Optim.adam(0.05);
      P ref = params0();
      Optim.OptState<P> rs = adam.init(ref);
      for (int round = 0; round < 3; round++) {
        List<P> gs = List.of(miniGrad(ref, 0), miniGrad(ref, 1), miniGrad(ref, 2));
        for (int mini = 0; mini < k; mini++) {
          P before = p;
          var r = stepper.step(p, s, miniGrad(p, mini));
          p = r.first();
          s = r.second();
          Optim.MultiStepsState<P> st = assertInstanceOf(Optim.MultiStepsState.class, s);
          assertEquals((mini + 1) % k, st.miniStep().intValue());
          assertEquals(mini == k - 1, st.hasUpdated().boolValue(), "hasUpdated after mini-step " + mini);
          if (mini < k - 1) {
            assertArrayEquals(flat(before), flat(p), 0, "mini-step " + mini + " does not move the params");
            assertEquals(round, st.gradientStep().intValue());
            assertEquals(round, ((Optim.AdamState<P>) st.innerOptState()).count().intValue(), "inner state kept");
          } else {
            assertEquals(round + 1, st.gradientStep().intValue());
            assertArrayEquals(new double[] {0, 0, 0}, st.accGrads().w().toDoubleArray(), 0, "accumulator reset");
          }
        }
        var rr = adam.update(mean(gs), rs, ref);
        ref = Optim.applyUpdates(ref, rr.first());
        rs = rr.second();
        assertClose(flat(ref), flat(p), 1e-12, "after round " + round + ": one Adam step on the mean gradient");
      }
    }
    assertEquals(1, Transforms.jitInfo(jit).graphs().size(), "emitting and accumulating calls share one graph");
  }

  @Test
  void multiStepsOfOneIsTheInnerOptimizer() {
    Optim.Optimizer opt = Optim.multiSteps(Optim.sgd(0.1, 0.9, true), 1);
    Optim.Optimizer inner = Optim.sgd(0.1, 0.9, true);
    P p = params0();
    P q = params0();
    Optim.OptState<P> s = opt.init(p);
    Optim.OptState<P> t = inner.init(q);
    for (int i = 0; i < 4; i++) {
      var r = opt.update(grads(p), s, p);
      p = Optim.applyUpdates(p, r.first());
      s = r.second();
      var u = inner.update(grads(q), t, q);
      q = Optim.applyUpdates(q, u.first());
      t = u.second();
      assertArrayEquals(flat(q), flat(p), 0);
    }
  }

  // ---- addDecayedWeights -------------------------------------------------------------------------

  @Test
  void addDecayedWeightsWithAMaskDecaysOnlyTheChosenLeaves() {
    P p = params0();
    P g = grads(p);
    var all = Optim.addDecayedWeights(0.5).update(g, Optim.addDecayedWeights(0.5).init(p), p).first();
    assertClose(new double[] {g.w().toDoubleArray()[0] + 0.5 * 0.5, g.w().toDoubleArray()[1] + 0.5 * -1.25,
        g.w().toDoubleArray()[2] + 0.5 * 2, g.b().doubleValue() + 0.5 * 0.75}, flat(all), 1e-15, "all leaves decay");

    Optim.Optimizer noBias = Optim.chain(Optim.addDecayedWeights(0.5, path -> !path.equals("b")), Optim.sgd(0.1));
    var r = noBias.update(g, noBias.init(p), p).first();
    assertArrayEquals(Tree.map(a -> a.mul(-0.1), all).w().toDoubleArray(), r.w().toDoubleArray(), 0);
    assertEquals(-0.1 * g.b().doubleValue(), r.b().doubleValue(), 0, "the masked-out bias does not decay");
  }

  // ---- bad input ---------------------------------------------------------------------------------

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void badArgumentsAndStatesAreRejectedWithTheFix() {
    assertThrows(NullPointerException.class, () -> Optim.applyIfFinite(null, 5));
    assertRejected("maxConsecutiveErrors must be >= 0", () -> Optim.applyIfFinite(Optim.adam(0.1), -1));
    assertThrows(NullPointerException.class, () -> Optim.multiSteps(null, 4));
    assertRejected("everyKSteps must be >= 1", () -> Optim.multiSteps(Optim.adam(0.1), 0));
    assertRejected("weightDecay", () -> Optim.addDecayedWeights(-1e-4));
    P p = params0();
    assertRejected("expected a ApplyIfFiniteState",
        () -> Optim.applyIfFinite(Optim.adam(0.1), 5).update(grads(p), Optim.adam(0.1).init(p), p));
    assertRejected("expected a MultiStepsState",
        () -> Optim.multiSteps(Optim.adam(0.1), 2).update(grads(p), Optim.adam(0.1).init(p), p));
    assertRejected("params is null",
        () -> Optim.addDecayedWeights(1e-4).update(grads(p), Optim.addDecayedWeights(1e-4).init(p), null));
    // the inner state is checked by the inner optimizer
    var wrongInner = new Optim.MultiStepsState<>(Array.scalar(DType.I32, 0), Array.scalar(DType.I32, 0),
        Optim.sgd(0.1).init(p), Tree.map(Array::zerosLike, p));
    assertRejected("expected a AdamState", () -> Optim.multiSteps(Optim.adam(0.1), 2).update(grads(p), wrongInner, p));
  }
}
