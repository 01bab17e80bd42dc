package dev.statelens.engine;

import static dev.statelens.engine.OptimFixture.P0;
import static dev.statelens.engine.OptimFixture.flat;
import static dev.statelens.engine.OptimFixture.assertClose;
import static dev.statelens.engine.OptimFixture.assertJitEqualsEager;
import static dev.statelens.engine.OptimFixture.grads;
import static dev.statelens.engine.OptimFixture.params0;
import static dev.statelens.engine.OptimFixture.refGrads;
import static dev.statelens.engine.OptimFixture.runAndCompare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.OptimFixture.P;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Momentum SGD, AdamW, global-norm clipping, chains and schedules, each against optax's formula
 * written out in Java doubles (F64 params, so agreement is to ~1e-12).
 */
class OptimExtrasTest {

  // ---- momentum SGD ------------------------------------------------------------------------------

  /** optax.sgd(lr, momentum, nesterov): trace = g + m*trace; update = -lr*(nesterov ? g + m*trace : trace). */
  private static double[][] refMomentum(int steps, double lr, double m, boolean nesterov) {
    double[] p = P0.clone();
    double[] trace = new double[4];
    double[][] out = new double[steps][];
    for (int t = 0; t < steps; t++) {
      double[] g = refGrads(p);
      for (int i = 0; i < 4; i++) {
        trace[i] = g[i] + m * trace[i];
        double u = nesterov ? g[i] + m * trace[i] : trace[i];
        p[i] += -lr * u;
      }
      out[t] = p.clone();
    }
    return out;
  }

  @Test
  void momentumSgdMatchesOptaxTraceWithAndWithoutNesterov() {
    Optim.OptState<P> s = runAndCompare(Optim.sgd(0.02, 0.9, false), refMomentum(6, 0.02, 0.9, false), 1e-12);
    Optim.TraceState<P> trace = assertInstanceOf(Optim.TraceState.class, s);
    assertEquals(List.of("opt_state.trace.w", "opt_state.trace.b"), Tree.structure(trace).paths("opt_state"));
    runAndCompare(Optim.sgd(0.02, 0.9, true), refMomentum(6, 0.02, 0.9, true), 1e-12);
    // Nesterov really differs (the test would not notice a flag that is ignored otherwise)
    assertTrue(Math.abs(refMomentum(3, 0.02, 0.9, true)[2][0] - refMomentum(3, 0.02, 0.9, false)[2][0]) > 1e-4);
  }

  @Test
  void momentumZeroIsPlainSgd() {
    P p = params0();
    Optim.Optimizer m0 = Optim.sgd(0.1, 0, false);
    var r = m0.update(grads(p), m0.init(p), p);
    var plain = Optim.sgd(0.1).update(grads(p), Optim.sgd(0.1).init(p), p);
    assertArrayEquals(plain.first().w().toDoubleArray(), r.first().w().toDoubleArray(), 0);
  }

  // ---- AdamW -------------------------------------------------------------------------------------

  /** Adam / AdamW in doubles, with lr(t-1) for step t (optax's schedule indexing). */
  private static double[][] refAdamw(int steps, Function<Integer, Double> lr, double b1, double b2, double eps,
      double wd, double clip) {
    double[] p = P0.clone();
    double[] m = new double[4];
    double[] v = new double[4];
    double[][] out = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      double[] g = refGrads(p);
      if (clip > 0) {
        double n = 0;
        for (double x : g) {
          n += x * x;
        }
        n = Math.sqrt(n);
        if (!(n < clip)) {
          for (int i = 0; i < 4; i++) {
            g[i] = g[i] / n * clip;
          }
        }
      }
      double rate = lr.apply(t - 1);
      for (int i = 0; i < 4; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = v[i] / (1 - Math.pow(b2, t));
        p[i] -= rate * (mHat / (Math.sqrt(vHat) + eps) + wd * p[i]);
      }
      out[t - 1] = p.clone();
    }
    return out;
  }

  @Test
  void adamwMatchesOptaxWithDefaultAndLargeWeightDecay() {
    Optim.OptState<P> s = runAndCompare(Optim.adamw(0.05), refAdamw(8, t -> 0.05, 0.9, 0.999, 1e-8, 1e-4, 0), 1e-12);
    Optim.AdamState<P> a = assertInstanceOf(Optim.AdamState.class, s);
    assertEquals(8, a.count().intValue());
    runAndCompare(Optim.adamw(0.03, 0.8, 0.99, 1e-6, 0.5), refAdamw(8, t -> 0.03, 0.8, 0.99, 1e-6, 0.5, 0), 1e-12);
    // the decay term matters: without it the reference ends elsewhere
    assertTrue(Math.abs(refAdamw(8, t -> 0.03, 0.8, 0.99, 1e-6, 0.5, 0)[7][2]
        - refAdamw(8, t -> 0.03, 0.8, 0.99, 1e-6, 0, 0)[7][2]) > 1e-3);
  }

  @Test
  void adamwWithZeroDecayIsAdamBitForBit() {
    P p = params0();
    Optim.Optimizer w = Optim.adamw(0.05, 0.9, 0.999, 1e-8, 0);
    Optim.Optimizer a = Optim.adam(0.05);
    assertArrayEquals(a.update(grads(p), a.init(p), p).first().w().toDoubleArray(),
        w.update(grads(p), w.init(p), p).first().w().toDoubleArray(), 0);
  }

  // ---- clipping ----------------------------------------------------------------------------------

  @Test
  void globalNormIsTheNormOfAllLeavesTogether() {
    P g = new P(Array.of(3.0, 0.0, -4.0), Array.scalar(DType.F64, 12));
    assertEquals(13.0, Optim.globalNorm(g).doubleValue(), 1e-15);
    assertEquals(DType.F64, Optim.globalNorm(g).dtype());
    assertEquals(0.0, Optim.globalNorm(List.of()).doubleValue());
  }

  @Test
  void clipByGlobalNormScalesDownOnlyAboveTheThreshold() {
    P g = new P(Array.of(3.0, 0.0, -4.0), Array.scalar(DType.F64, 12)); // norm 13
    Optim.Optimizer clip = Optim.clipByGlobalNorm(6.5);
    Optim.OptState<P> s = clip.init(g);
    assertInstanceOf(Optim.EmptyState.class, s);
    var r = clip.update(g, s, g);
    // optax: g / norm * max_norm, in that order
    assertArrayEquals(new double[] {3.0 / 13 * 6.5, 0, -4.0 / 13 * 6.5}, r.first().w().toDoubleArray(), 0);
    assertEquals(12.0 / 13 * 6.5, r.first().b().doubleValue(), 0);
    assertEquals(6.5, Optim.globalNorm(r.first()).doubleValue(), 1e-12);

    var untouched = Optim.clipByGlobalNorm(13.5).update(g, s, g);
    assertArrayEquals(g.w().toDoubleArray(), untouched.first().w().toDoubleArray(), 0);
    assertEquals(12.0, untouched.first().b().doubleValue(), 0);
  }

  @Test
  void clipKeepsF32GradsInF32() {
    List<Array> g = List.of(Array.of(30f, 40f));
    var r = Optim.clipByGlobalNorm(5).update(g, Optim.clipByGlobalNorm(5).init(g), g);
    assertEquals(DType.F32, r.first().getFirst().dtype());
    assertArrayEquals(new float[] {3f, 4f}, r.first().getFirst().toFloatArray(), 1e-6f);
  }

  // ---- chain -------------------------------------------------------------------------------------

  @Test
  void chainOfClipAndScheduledAdamwMatchesTheComposedFormula() {
    Schedule lr = Schedule.warmupCosineDecay(0, 0.1, 3, 10, 0.01);
    Optim.Optimizer opt = Optim.chain(Optim.clipByGlobalNorm(2.0), Optim.adamw(lr, 0.9, 0.999, 1e-8, 0.01));
    double[][] expected = refAdamw(12, lr::at, 0.9, 0.999, 1e-8, 0.01, 2.0);
    // the clip does act in this run (the raw gradient norm exceeds 2 at the start)
    double n0 = 0;
    for (double x : refGrads(P0)) {
      n0 += x * x;
    }
    assertTrue(Math.sqrt(n0) > 2, "raw norm " + Math.sqrt(n0));
    Optim.OptState<P> s = runAndCompare(opt, expected, 1e-12);
    Optim.ChainState<P> c = assertInstanceOf(Optim.ChainState.class, s);
    assertInstanceOf(Optim.EmptyState.class, c.states().get(0));
    assertEquals(12, ((Optim.AdamState<P>) c.states().get(1)).count().intValue());
    assertEquals(
        List.of("opt_state[1].count", "opt_state[1].mu.w", "opt_state[1].mu.b", "opt_state[1].nu.w", "opt_state[1].nu.b"),
        Tree.structure(s).paths("opt_state"));
  }

  @Test
  void chainStateRoundTripsAsAPytree() {
    Optim.Optimizer opt = Optim.chain(Optim.sgd(0.1, 0.9, false), Optim.adam(0.01));
    Optim.OptState<P> s = opt.init(params0());
    Tree.Flat flat = Tree.flatten(s);
    Object back = Tree.unflatten(flat.def(), flat.leaves());
    assertInstanceOf(Optim.ChainState.class, back);
    assertEquals(Tree.structure(s), Tree.structure(back));
    assertEquals(List.of("[0].trace.w", "[0].trace.b", "[1].count", "[1].mu.w", "[1].mu.b", "[1].nu.w", "[1].nu.b"),
        Tree.paths(s));
  }

  @Test
  void scheduledMomentumSgdIsAChainOfTraceAndSchedule() {
    Schedule lr = Schedule.exponentialDecay(0.05, 2, 0.5);
    Optim.Optimizer opt = Optim.sgd(lr, 0.9, true);
    double[] p = P0.clone();
    double[] trace = new double[4];
    double[][] expected = new double[6][];
    for (int t = 0; t < 6; t++) {
      double[] g = refGrads(p);
      double rate = 0.05 * Math.pow(0.5, t / 2.0);
      for (int i = 0; i < 4; i++) {
        trace[i] = g[i] + 0.9 * trace[i];
        p[i] -= rate * (g[i] + 0.9 * trace[i]);
      }
      expected[t] = p.clone();
    }
    Optim.OptState<P> s = runAndCompare(opt, expected, 1e-12);
    assertEquals(List.of("opt_state[0].trace.w", "opt_state[0].trace.b", "opt_state[1].count"),
        Tree.structure(s).paths("opt_state"));
  }

  @Test
  void gradientFlowsThroughAChainUpdate() {
    // d/dw of loss(w + update(g(w))) through a clip (active here: the raw norm is ~14.7) and a
    // nested chain (scheduled Nesterov SGD), against central finite differences in F64.
    Optim.Optimizer opt = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.sgd(Schedule.constant(0.1), 0.9, true));
    Function<Array, Array> lookahead = w -> {
      List<Array> p = List.of(w);
      Array d = w.sub(Array.of(1.0, -2.0, 0.5));
      List<Array> g = List.of(d.mul(d).mul(d));
      var r = opt.update(g, opt.init(p), p);
      return Optim.applyUpdates(p, r.first()).getFirst().square().sum();
    };
    Array w0 = Array.of(0.3, 0.4, -1.2);
    double[] analytic = Transforms.grad(lookahead).apply(w0).toDoubleArray();
    double h = 1e-6;
    for (int i = 0; i < 3; i++) {
      double[] plus = w0.toDoubleArray();
      double[] minus = w0.toDoubleArray();
      plus[i] += h;
      minus[i] -= h;
      double fd = (lookahead.apply(Array.of(plus)).doubleValue() - lookahead.apply(Array.of(minus)).doubleValue()) / (2 * h);
      assertEquals(fd, analytic[i], 1e-6 * Math.max(1, Math.abs(fd)), "d/dw[" + i + "]");
    }
  }

  // ---- jit ---------------------------------------------------------------------------------------

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void jittedChainAndScheduledSgdMatchEagerAndTraceOnce() {
    for (Optim.Optimizer opt : List.of(
        Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.adamw(Schedule.warmupCosineDecay(0.01, 0.1, 2, 6, 0.0))),
        Optim.sgd(Schedule.linear(0.1, 0.01, 4), 0.5, false),
        Optim.sgd(Schedule.cosineDecay(0.1, 5, 0.2)))) {
      int[] traces = {0};
      Fn3<P, Optim.OptState<P>, P, Pair<P, Optim.OptState<P>>> step =
          Transforms.jit((P p, Optim.OptState<P> s, P g) -> {
            traces[0]++;
            var r = opt.update(g, s, p);
            return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
          });
      assertJitEqualsEager(opt, step, 8, opt.toString());
      assertEquals(1, traces[0], "one trace: the count and the schedule's value are traced");
    }
  }

  // ---- schedules ---------------------------------------------------------------------------------

  private static void assertSchedule(Schedule s, int[] steps, double[] expected) {
    Function<Array, Array> jitted = Transforms.jit(s::apply);
    for (int i = 0; i < steps.length; i++) {
      assertEquals(expected[i], s.at(steps[i]), 1e-12, "eager at step " + steps[i]);
      assertEquals(expected[i], jitted.apply(Array.scalar(DType.I32, steps[i])).doubleValue(), 1e-12,
          "jitted at step " + steps[i]);
    }
  }

  @Test
  void constantAndLinearSchedulesAtTheirBoundaries() {
    assertSchedule(Schedule.constant(0.3), new int[] {0, 7, 1000}, new double[] {0.3, 0.3, 0.3});
    // optax.linear_schedule(1.0, 0.1, 10): (init - end) * (1 - min(c, 10)/10) + end
    assertSchedule(Schedule.linear(1.0, 0.1, 10), new int[] {0, 1, 5, 10, 15},
        new double[] {1.0, 0.9 * 0.9 + 0.1, 0.9 * 0.5 + 0.1, 0.1, 0.1});
  }

  @Test
  void cosineDecayAtItsBoundaries() {
    Function<Integer, Double> ref = c -> {
      double cc = Math.min(c, 10);
      return 2.0 * ((1 - 0.1) * 0.5 * (1 + Math.cos(Math.PI * cc / 10)) + 0.1);
    };
    assertSchedule(Schedule.cosineDecay(2.0, 10, 0.1), new int[] {0, 3, 5, 10, 20},
        new double[] {2.0, ref.apply(3), 2.0 * 0.55, 0.2, 0.2});
    assertEquals(0.0, Schedule.cosineDecay(1.0, 4).at(4), 1e-15);
  }

  @Test
  void warmupCosineDecayAtWarmupEndDecayEndAndPast() {
    // optax.warmup_cosine_decay_schedule(0.0, 1.0, 5, 15, 0.1): linear 0 -> 1 over 5 steps, then
    // cosine over decay_steps - warmup = 10 steps with alpha = end / peak.
    Schedule s = Schedule.warmupCosineDecay(0.0, 1.0, 5, 15, 0.1);
    Function<Integer, Double> ref = c -> c < 5 ? c / 5.0
        : 0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(c - 5, 10) / 10)) + 0.1;
    int[] steps = {0, 2, 4, 5, 6, 10, 14, 15, 100};
    double[] expected = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      expected[i] = ref.apply(steps[i]);
    }
    assertSchedule(s, steps, expected);
    assertEquals(1.0, s.at(5), 1e-15, "the peak at warmup end");
    assertEquals(0.1, s.at(15), 1e-15, "end value at decay end");
    assertEquals(0.55, s.at(10), 1e-12, "halfway through the decay");
    // no warmup: the cosine from step 0
    assertSchedule(Schedule.warmupCosineDecay(0.5, 1.0, 0, 4, 0), new int[] {0, 2, 4}, new double[] {1.0, 0.5, 0});
  }

  @Test
  void exponentialDecaySmoothAndStaircase() {
    assertSchedule(Schedule.exponentialDecay(1.0, 10, 0.5), new int[] {0, 5, 10, 25},
        new double[] {1.0, Math.sqrt(0.5), 0.5, Math.pow(0.5, 2.5)});
    assertSchedule(Schedule.exponentialDecay(1.0, 10, 0.5, true), new int[] {0, 9, 10, 25},
        new double[] {1.0, 1.0, 0.5, 0.25});
    assertEquals(2.0, Schedule.exponentialDecay(2.0, 10, 0.5).at(-3), 0, "init before the start");
  }

  @Test
  void scheduledOptimizersReadTheCountBeforeTheUpdate() {
    // optax's scale_by_schedule: the first update uses schedule(0). A schedule that is 0 at step 0
    // must leave the params unchanged by the first update and move them by the second.
    Schedule s = Schedule.linear(0.0, 1.0, 10);
    for (Optim.Optimizer opt : List.of(Optim.sgd(s), Optim.adam(s), Optim.adamw(s), Optim.sgd(s, 0.9, false))) {
      P p = params0();
      Optim.OptState<P> st = opt.init(p);
      var r1 = opt.update(grads(p), st, p);
      assertArrayEquals(new double[3], r1.first().w().toDoubleArray(), 0, "first update of " + opt);
      var r2 = opt.update(grads(p), r1.second(), p);
      assertTrue(Math.abs(r2.first().w().toDoubleArray()[0]) > 1e-3, "second update of " + opt);
    }
    // sgd(schedule): -schedule(count) * g, count in a ScheduleState
    Optim.Optimizer sgd = Optim.sgd(Schedule.exponentialDecay(0.1, 1, 0.5));
    P p = params0();
    Optim.OptState<P> st = sgd.init(p);
    assertEquals(List.of("opt_state.count"), Tree.structure(st).paths("opt_state"));
    for (int t = 0; t < 3; t++) {
      var r = sgd.update(grads(p), st, p);
      double g0 = grads(p).w().toDoubleArray()[0];
      assertEquals(-0.1 * Math.pow(0.5, t) * g0, r.first().w().toDoubleArray()[0], 1e-15, "step " + t);
      st = r.second();
    }
    assertEquals(3, ((Optim.ScheduleState<P>) st).count().intValue());
    // adam(schedule) == the reference with lr(t-1)
    Schedule lin = Schedule.linear(0.1, 0.02, 5);
    runAndCompare(Optim.adam(lin), refAdamw(7, lin::at, 0.9, 0.999, 1e-8, 0, 0), 1e-12);
  }

  // ---- bad input ---------------------------------------------------------------------------------

  private static void assertRejected(String expectedInMessage, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
  }

  @Test
  void badArgumentsAreRejectedWithTheProblemNamed() {
    assertRejected("learning rate", () -> Optim.sgd(-0.1));
    assertRejected("negate the loss", () -> Optim.adam(-1e-3));
    assertRejected("learning rate", () -> Optim.adamw(-1e-3));
    assertRejected("learning rate", () -> Optim.sgd(-0.1, 0.9, false));
    assertRejected("momentum", () -> Optim.sgd(0.1, -0.5, false));
    assertRejected("weightDecay", () -> Optim.adamw(1e-3, 0.9, 0.999, 1e-8, -1e-4));
    assertRejected("weightDecay", () -> Optim.adamw(Schedule.constant(1e-3), 0.9, 0.999, 1e-8, Double.NaN));
    assertRejected("b1", () -> Optim.adamw(1e-3, 1.0, 0.999, 1e-8, 1e-4));
    assertRejected("maxNorm", () -> Optim.clipByGlobalNorm(0));
    assertRejected("maxNorm", () -> Optim.clipByGlobalNorm(-1));
    assertRejected("maxNorm", () -> Optim.clipByGlobalNorm(Double.NaN));
    assertRejected("no optimizers", Optim::chain);
    assertRejected("optimizer 1 is null", () -> Optim.chain(Optim.sgd(0.1), null));
    assertRejected("transitionSteps", () -> Schedule.linear(1, 0, 0));
    assertRejected("decaySteps", () -> Schedule.cosineDecay(1, -5));
    assertRejected("greater than warmupSteps", () -> Schedule.warmupCosineDecay(0, 1, 10, 10, 0));
    assertRejected("warmupSteps", () -> Schedule.warmupCosineDecay(0, 1, -1, 10, 0));
    assertRejected("rate", () -> Schedule.exponentialDecay(1, 10, 0));
    assertRejected("finite", () -> Schedule.constant(Double.POSITIVE_INFINITY));
  }

  @Test
  void wrongStatesAndBadSchedulesAreRejectedAtUpdate() {
    P p = params0();
    Optim.Optimizer chain = Optim.chain(Optim.clipByGlobalNorm(1), Optim.adam(0.1));
    assertRejected("ChainState", () -> chain.update(grads(p), Optim.adam(0.1).init(p), p));
    Optim.OptState<P> three = Optim.chain(Optim.sgd(0.1), Optim.sgd(0.1), Optim.sgd(0.1)).init(p);
    assertRejected("3 states for a chain of 2", () -> chain.update(grads(p), three, p));
    assertRejected("TraceState", () -> Optim.sgd(0.1, 0.9, false).update(grads(p), Optim.sgd(0.1).init(p), p));
    Optim.Optimizer vectorLr = Optim.sgd(count -> Array.of(0.1, 0.2));
    assertRejected("scalar", () -> vectorLr.update(grads(p), vectorLr.init(p), p));
    Optim.Optimizer adamw = Optim.adamw(0.1);
    assertRejected("params is null", () -> adamw.update(grads(p), adamw.init(p), null));
  }
}
