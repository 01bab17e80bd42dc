package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * NAdam(W), Adamax, AdaBelief, RAdam, LAMB, Adafactor and the building blocks clip, zeroNans,
 * scale, scaleBySchedule, trace: their states (optax's names and layouts) and their errors. The
 * numbers are checked against optax in {@link OptaxReferenceTest}.
 */
class OptimNewOptimizersTest {

  private static Map<String, Object> params() {
    return OptaxReferenceTest.nested(DType.F64);
  }

  private static void fails(Executable e, String... fragments) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    for (String f : fragments) {
      assertTrue(m.contains(f), "'" + f + "' in: " + m);
    }
  }

  @Test
  void statesAreOptaxs() {
    Map<String, Object> p = params();
    assertInstanceOf(Optim.AdamState.class, Optim.nadam(0.1).init(p));
    assertInstanceOf(Optim.AdamState.class, Optim.nadamw(0.1).init(p));
    assertInstanceOf(Optim.AdamState.class, Optim.adamax(0.1).init(p));
    assertInstanceOf(Optim.AdamState.class, Optim.radam(0.1).init(p));
    assertInstanceOf(Optim.AdamState.class, Optim.lamb(0.1).init(p));
    assertInstanceOf(Optim.ScaleByBeliefState.class, Optim.adabelief(0.1).init(p));
    assertInstanceOf(Optim.EmptyState.class, Optim.clip(1).init(p));
    assertInstanceOf(Optim.EmptyState.class, Optim.scale(2).init(p));
    assertInstanceOf(Optim.ScheduleState.class, Optim.scaleBySchedule(Schedule.constant(1)).init(p));
    assertInstanceOf(Optim.TraceState.class, Optim.trace(0.9, false).init(p));
    var z = assertInstanceOf(Optim.ZeroNansState.class, Optim.zeroNans().init(p));
    assertEquals(List.of("dense.b", "dense.w", "head.b", "head.w"), Tree.paths(z.foundNan()));
  }

  @Test
  void adafactorFactorsOnlyMatricesWithBothDimsLargeEnough() {
    Map<String, Object> p = params();
    var f = assertInstanceOf(Optim.FactoredState.class,
        Optim.adafactor(0.1, 2, 0.8, 0, true, 1.0, null, 0, 1e-30, true).init(p));
    // dense.w is 3x2: rows (mean over the 3) [2]... as optax: v_row drops the largest dim, v_col the second
    assertArrayEquals(new int[] {2}, leaf(f.vRow(), "dense.w").shape());
    assertArrayEquals(new int[] {3}, leaf(f.vCol(), "dense.w").shape());
    assertArrayEquals(new int[] {1}, leaf(f.v(), "dense.w").shape());
    assertArrayEquals(new int[] {2}, leaf(f.v(), "dense.b").shape());
    assertArrayEquals(new int[] {1}, leaf(f.vRow(), "dense.b").shape());
    // optax's default min_dim_size_to_factor 128: nothing factored here
    var unf = assertInstanceOf(Optim.FactoredState.class, Optim.adafactor(0.1).init(p));
    assertArrayEquals(new int[] {3, 2}, leaf(unf.v(), "dense.w").shape());
    var chain = assertInstanceOf(Optim.ChainState.class,
        Optim.adafactor(0.1, 2, 0.8, 0, true, 1.0, 0.9, 0, 1e-30, true).init(p));
    var ema = assertInstanceOf(Optim.EmaState.class, chain.states().get(1));
    assertEquals(DType.F32, leaf(ema.ema(), "dense.w").dtype(), "adafactor's dtype_momentum is float32");
  }

  private static Array leaf(Object tree, String path) {
    return Tree.leaves(tree).get(Tree.paths(tree).indexOf(path));
  }

  @Test
  void zeroNansZeroesNaNsKeepsInfinitiesAndSaysWhere() {
    var p = new OptimFixture.P(Array.of(1.0, Double.NaN, Double.POSITIVE_INFINITY), Array.scalar(DType.F64, 2));
    var r = Optim.zeroNans().update(p, Optim.zeroNans().init(p), p);
    assertArrayEquals(new double[] {1, 0, Double.POSITIVE_INFINITY}, r.first().w().toDoubleArray());
    var s = assertInstanceOf(Optim.ZeroNansState.class, r.second());
    assertEquals(List.of(true, false), Tree.leaves(s.foundNan()).stream().map(Array::boolValue).toList());
  }

  @Test
  void clipAndTraceAndScaleByScheduleDoWhatOptaxsDo() {
    var g = new OptimFixture.P(Array.of(-3.0, 0.2, 0.7), Array.scalar(DType.F64, -0.6));
    var clipped = Optim.clip(0.5).update(g, Optim.clip(0.5).init(g), g).first();
    assertArrayEquals(new double[] {-0.5, 0.2, 0.5}, clipped.w().toDoubleArray());
    assertEquals(-0.5, clipped.b().doubleValue());
    Optim.Optimizer sched = Optim.scaleBySchedule(Schedule.linear(2, 0, 2));
    Optim.OptState<OptimFixture.P> s = sched.init(g);
    double[] factors = new double[3];
    for (int t = 0; t < 3; t++) {
      var r = sched.update(g, s, g);
      factors[t] = r.first().b().doubleValue() / -0.6;
      s = r.second();
    }
    assertArrayEquals(new double[] {2, 1, 0}, factors, 1e-12, "schedule(count) at counts 0, 1, 2, no sign flip");
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    fails(() -> Optim.nadam(-1), "learning rate", "negate the loss");
    fails(() -> Optim.nadamw(0.1, 0.9, 0.999, 1e-8, -1), "weightDecay", "1e-4");
    fails(() -> Optim.adamax(0.1, 1.0, 0.999, 1e-8), "b1 must be in [0, 1)");
    fails(() -> Optim.adabelief(0.1, 0.9, 0.999, 1e-16, -1), "epsRoot", "1e-16");
    fails(() -> Optim.radam(0.1, 0.9, 0.999, 1e-8, Double.NaN), "threshold", "5.0");
    fails(() -> Optim.lamb(Double.POSITIVE_INFINITY), "learning rate");
    fails(() -> Optim.lamb(0.1, 0.9, 0.999, -1e-6, 0), "eps");
    fails(() -> Optim.adafactor(0.1, 0, 0.8, 0, true, 1.0, null, 0, 1e-30, true), "minDimSizeToFactor", "128");
    fails(() -> Optim.adafactor(0.1, 128, 0, 0, true, 1.0, null, 0, 1e-30, true), "decayRate", "0.8");
    fails(() -> Optim.adafactor(0.1, 128, 0.8, 0, true, -1.0, null, 0, 1e-30, true), "clippingThreshold", "null");
    fails(() -> Optim.adafactor(0.1, 128, 0.8, 0, true, 1.0, 1.5, 0, 1e-30, true), "momentum");
    fails(() -> Optim.adafactor(0.1, 128, 0.8, 0, true, 1.0, null, -0.1, 1e-30, true), "weightDecayRate");
    fails(() -> Optim.clip(-1), "maxDelta", "clipByGlobalNorm");
    fails(() -> Optim.scale(Double.NaN), "factor");
    fails(() -> Optim.trace(-0.5, false), "decay");
    assertThrows(NullPointerException.class, () -> Optim.scaleBySchedule(null));
    assertThrows(NullPointerException.class, () -> Optim.nadam((Schedule) null));
  }

  @Test
  void updatesThatNeedTheParamsSaySo() {
    Map<String, Object> p = params();
    Optim.Optimizer lamb = Optim.lamb(0.1);
    fails(() -> lamb.update(p, lamb.init(p), null), "lamb", "trust ratio", "third argument");
    Optim.Optimizer ada = Optim.adafactor(0.1);
    fails(() -> ada.update(p, ada.init(p), null), "adafactor", "third argument");
    fails(() -> Optim.adabelief(0.1).update(p, Optim.adam(0.1).init(p), p), "expected a ScaleByBeliefState", "init(params)");
  }
}
