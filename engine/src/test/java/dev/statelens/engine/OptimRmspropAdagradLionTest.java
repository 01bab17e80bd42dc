package dev.statelens.engine;

import static dev.statelens.engine.OptimFixture.P;
import static dev.statelens.engine.OptimFixture.P0;
import static dev.statelens.engine.OptimFixture.assertClose;
import static dev.statelens.engine.OptimFixture.assertJitEqualsEager;
import static dev.statelens.engine.OptimFixture.flat;
import static dev.statelens.engine.OptimFixture.grads;
import static dev.statelens.engine.OptimFixture.params0;
import static dev.statelens.engine.OptimFixture.refGrads;
import static dev.statelens.engine.OptimFixture.runAndCompare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** RMSProp, Adagrad and Lion against optax's formulas written out in Java doubles (F64 params). */
class OptimRmspropAdagradLionTest {

  // ---- references (optax/_src/alias.py and transform.py, term for term) ---------------------------

  /**
   * optax.rmsprop: scale_by_rms (or scale_by_stddev when centered), scale_by_learning_rate, then
   * trace(momentum, nesterov) when momentum is set; {@code lr} is read at the count before the step.
   */
  static double[][] refRmsprop(int steps, IntToDoubleFunction lr, double decay, double eps, double initialScale,
      boolean centered, double momentum, boolean nesterov) {
    double[] p = P0.clone();
    double[] nu = {initialScale, initialScale, initialScale, initialScale};
    double[] mu = new double[4];
    double[] trace = new double[4];
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      double[] g = refGrads(p);
      for (int i = 0; i < 4; i++) {
        nu[i] = (1 - decay) * g[i] * g[i] + decay * nu[i];
        double u;
        if (centered) {
          mu[i] = (1 - decay) * g[i] + decay * mu[i];
          u = g[i] / Math.sqrt(nu[i] - mu[i] * mu[i] + eps);
        } else {
          u = g[i] / Math.sqrt(nu[i] + eps);
        }
        u = -lr.applyAsDouble(t) * u;
        if (momentum != 0) {
          trace[i] = u + momentum * trace[i];
          u = nesterov ? u + momentum * trace[i] : trace[i];
        }
        p[i] += u;
      }
      out[t] = p.clone();
    }
    return out;
  }

  /** optax.adagrad: scale_by_rss (sum of squares from initialAccumulatorValue), scale_by_learning_rate. */
  static double[][] refAdagrad(int steps, IntToDoubleFunction lr, double init, double eps) {
    double[] p = P0.clone();
    double[] s = {init, init, init, init};
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      double[] g = refGrads(p);
      for (int i = 0; i < 4; i++) {
        s[i] += g[i] * g[i];
        double inv = s[i] > 0 ? 1 / Math.sqrt(s[i] + eps) : 0;
        p[i] += -lr.applyAsDouble(t) * (inv * g[i]);
      }
      out[t] = p.clone();
    }
    return out;
  }

  /** optax.lion: sign((1-b1)g + b1 mu), then mu = b2 mu + (1-b2) g; -lr * (direction + wd * params). */
  static double[][] refLion(int steps, IntToDoubleFunction lr, double b1, double b2, double wd) {
    double[] p = P0.clone();
    double[] mu = new double[4];
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      double[] g = refGrads(p);
      for (int i = 0; i < 4; i++) {
        double d = Math.signum((1 - b1) * g[i] + b1 * mu[i]);
        mu[i] = (1 - b2) * g[i] + b2 * mu[i];
        p[i] += -lr.applyAsDouble(t) * (d + wd * p[i]);
      }
      out[t] = p.clone();
    }
    return out;
  }

  // ---- RMSProp -----------------------------------------------------------------------------------

  @Test
  void rmspropMatchesOptaxWithDefaultsAndNonzeroInitialScale() {
    Optim.OptState<P> s = runAndCompare(Optim.rmsprop(0.01), refRmsprop(8, t -> 0.01, 0.9, 1e-8, 0, false, 0, false), 1e-12);
    Optim.ScaleByRmsState<P> rms = assertInstanceOf(Optim.ScaleByRmsState.class, s);
    assertEquals(DType.F64, rms.nu().w().dtype());
    runAndCompare(Optim.rmsprop(0.02, 0.8, 1e-4, 0.5, false, 0, false),
        refRmsprop(8, t -> 0.02, 0.8, 1e-4, 0.5, false, 0, false), 1e-12);
    // initialScale matters: the first steps are damped by it
    assertTrue(Math.abs(refRmsprop(2, t -> 0.02, 0.8, 1e-4, 0.5, false, 0, false)[1][0]
        - refRmsprop(2, t -> 0.02, 0.8, 1e-4, 0, false, 0, false)[1][0]) > 1e-3);
  }

  @Test
  void centeredRmspropSubtractsTheSquaredMean() {
    Optim.OptState<P> s = runAndCompare(Optim.rmsprop(0.01, 0.9, 1e-8, 1.0, true, 0, false),
        refRmsprop(8, t -> 0.01, 0.9, 1e-8, 1.0, true, 0, false), 1e-12);
    Optim.ScaleByRStdDevState<P> c = assertInstanceOf(Optim.ScaleByRStdDevState.class, s);
    assertEquals(List.of("mu.w", "mu.b", "nu.w", "nu.b"), Tree.paths(c));
  }

  @Test
  void rmspropWithMomentumAndNesterovIsAChainWithATrace() {
    for (boolean nesterov : new boolean[] {false, true}) {
      Optim.OptState<P> s = runAndCompare(Optim.rmsprop(0.01, 0.9, 1e-8, 0, false, 0.9, nesterov),
          refRmsprop(8, t -> 0.01, 0.9, 1e-8, 0, false, 0.9, nesterov), 1e-12);
      Optim.ChainState<P> c = assertInstanceOf(Optim.ChainState.class, s);
      assertInstanceOf(Optim.ScaleByRmsState.class, c.states().get(0));
      assertInstanceOf(Optim.TraceState.class, c.states().get(1));
    }
  }

  @Test
  void scheduledRmspropReadsTheCountBeforeTheUpdate() {
    Schedule lr = Schedule.linear(0.05, 0.005, 5);
    IntToDoubleFunction ref = t -> (0.05 - 0.005) * (1 - Math.min(t, 5) / 5.0) + 0.005;
    Optim.OptState<P> s = runAndCompare(Optim.rmsprop(lr), refRmsprop(8, ref, 0.9, 1e-8, 0, false, 0, false), 1e-12);
    Optim.ChainState<P> c = assertInstanceOf(Optim.ChainState.class, s);
    assertInstanceOf(Optim.ScaleByRmsState.class, c.states().get(0));
    assertEquals(8, assertInstanceOf(Optim.ScheduleState.class, c.states().get(1)).count().intValue());
    runAndCompare(Optim.rmsprop(lr, 0.9, 1e-8, 0.1, true, 0.5, true), refRmsprop(8, ref, 0.9, 1e-8, 0.1, true, 0.5, true), 1e-12);
  }

  // ---- Adagrad -----------------------------------------------------------------------------------

  @Test
  void adagradMatchesOptaxScaleByRss() {
    Optim.OptState<P> s = runAndCompare(Optim.adagrad(0.1), refAdagrad(8, t -> 0.1, 0.1, 1e-7), 1e-12);
    Optim.ScaleByRssState<P> rss = assertInstanceOf(Optim.ScaleByRssState.class, s);
    assertEquals(List.of("sumOfSquares.w", "sumOfSquares.b"), Tree.paths(rss));
    runAndCompare(Optim.adagrad(0.3, 2.0, 1e-3), refAdagrad(8, t -> 0.3, 2.0, 1e-3), 1e-12);
    runAndCompare(Optim.adagrad(Schedule.exponentialDecay(0.2, 2, 0.5)),
        refAdagrad(8, t -> 0.2 * Math.pow(0.5, t / 2.0), 0.1, 1e-7), 1e-12);
  }

  @Test
  void adagradGivesZeroNotInfinityForAZeroAccumulator() {
    Optim.Optimizer opt = Optim.adagrad(0.1, 0, 0);
    P p = params0();
    P zero = new P(Array.zeros(DType.F64, 3), Array.scalar(DType.F64, 0));
    var r = opt.update(zero, opt.init(p), p);
    assertArrayEquals(new double[] {0, 0, 0}, r.first().w().toDoubleArray(), 0);
    assertEquals(0.0, r.first().b().doubleValue(), 0);
  }

  // ---- Lion --------------------------------------------------------------------------------------

  @Test
  void lionMatchesOptaxWithAndWithoutWeightDecay() {
    Optim.OptState<P> s = runAndCompare(Optim.lion(0.01), refLion(8, t -> 0.01, 0.9, 0.99, 1e-3), 1e-12);
    Optim.ScaleByLionState<P> l = assertInstanceOf(Optim.ScaleByLionState.class, s);
    assertEquals(8, l.count().intValue());
    runAndCompare(Optim.lion(0.02, 0.5, 0.9, 0), refLion(8, t -> 0.02, 0.5, 0.9, 0), 1e-12);
    runAndCompare(Optim.lion(0.02, 0.5, 0.9, 0.3), refLion(8, t -> 0.02, 0.5, 0.9, 0.3), 1e-12);
    runAndCompare(Optim.lion(Schedule.cosineDecay(0.05, 6)),
        refLion(8, t -> 0.05 * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, 6) / 6.0)), 0.9, 0.99, 1e-3), 1e-12);
  }

  @Test
  void lionMovesEveryCoordinateByTheLearningRate() {
    P p = params0();
    Optim.Optimizer lion = Optim.lion(0.01, 0.9, 0.99, 0);
    var r = lion.update(grads(p), lion.init(p), p);
    for (double u : r.first().w().toDoubleArray()) {
      assertEquals(0.01, Math.abs(u), 0);
    }
  }

  // ---- jit ---------------------------------------------------------------------------------------

  @Test
  void jittedStepsMatchEagerAndTraceOnce() {
    for (Optim.Optimizer opt : List.of(
        Optim.rmsprop(0.01, 0.9, 1e-8, 0.1, true, 0.9, true),
        Optim.rmsprop(Schedule.linear(0.05, 0.005, 5)),
        Optim.adagrad(0.1),
        Optim.adagrad(Schedule.constant(0.2), 0.5, 1e-6),
        Optim.lion(0.01),
        Optim.lion(Schedule.cosineDecay(0.05, 6), 0.8, 0.95, 0.1))) {
      Fn3<P, Optim.OptState<P>, P, Pair<P, Optim.OptState<P>>> step =
          Transforms.jit((P p, Optim.OptState<P> s, P g) -> {
            var r = opt.update(g, s, p);
            return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
          });
      assertJitEqualsEager(opt, step, 8, opt.toString());
      assertEquals(1, Transforms.jitInfo(step).graphs().size(), opt + ": one graph for every step");
    }
  }

  @Test
  void f32ParamsKeepF32StateAndUpdates() {
    List<Array> p = List.of(Array.of(1f, -2f));
    for (Optim.Optimizer opt : List.of(Optim.rmsprop(0.1), Optim.adagrad(0.1), Optim.lion(0.1), Optim.rmsprop(Schedule.constant(0.1)))) {
      var r = opt.update(List.of(Array.of(0.5f, 0.25f)), opt.init(p), p);
      assertEquals(DType.F32, r.first().get(0).dtype(), opt.toString());
      for (Array leaf : Tree.leaves(r.second())) {
        assertTrue(leaf.dtype() == DType.F32 || leaf.dtype() == DType.I32, opt + ": state leaf " + leaf.aval());
      }
    }
  }

  // ---- bad input ---------------------------------------------------------------------------------

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void badArgumentsAreRejectedWithTheProblemNamed() {
    assertRejected("negate the loss", () -> Optim.rmsprop(-0.1));
    assertRejected("decay must be in [0, 1)", () -> Optim.rmsprop(0.1, 1.0, 1e-8, 0, false, 0, false));
    assertRejected("eps", () -> Optim.rmsprop(0.1, 0.9, -1, 0, false, 0, false));
    assertRejected("initialScale", () -> Optim.rmsprop(0.1, 0.9, 1e-8, Double.NaN, false, 0, false));
    assertRejected("momentum", () -> Optim.rmsprop(Schedule.constant(0.1), 0.9, 1e-8, 0, false, -0.9, false));
    assertRejected("learning rate", () -> Optim.adagrad(Double.POSITIVE_INFINITY));
    assertRejected("initialAccumulatorValue", () -> Optim.adagrad(0.1, -0.1, 1e-7));
    assertRejected("eps", () -> Optim.adagrad(Schedule.constant(0.1), 0.1, -1e-7));
    assertRejected("learning rate", () -> Optim.lion(-1e-4));
    assertRejected("b2 must be in [0, 1)", () -> Optim.lion(1e-4, 0.9, 1.5, 0));
    assertRejected("optax's default is 0.99", () -> Optim.lion(1e-4, 0.9, -0.1, 0));
    assertRejected("weightDecay", () -> Optim.lion(Schedule.constant(1e-4), 0.9, 0.99, -1));
  }

  @Test
  void wrongStatesAreRejectedAtUpdate() {
    P p = params0();
    assertRejected("expected a ScaleByRmsState", () -> Optim.rmsprop(0.1).update(grads(p), Optim.adam(0.1).init(p), p));
    Optim.Optimizer centered = Optim.rmsprop(0.1, 0.9, 1e-8, 0, true, 0, false);
    assertRejected("expected a ScaleByRStdDevState", () -> centered.update(grads(p), Optim.rmsprop(0.1).init(p), p));
    assertRejected("Optim.adagrad.update", () -> Optim.adagrad(0.1).update(grads(p), Optim.sgd(0.1).init(p), p));
    assertRejected("expected a ScaleByLionState", () -> Optim.lion(0.1).update(grads(p), Optim.adam(0.1).init(p), p));
    Optim.Optimizer lion = Optim.lion(0.1);
    assertRejected("params is null", () -> lion.update(grads(p), lion.init(p), null));
  }
}
