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
 * Yogi, Adadelta, NovoGrad, LARS, SM3, Fromage, noisy SGD, the transforms ema, applyEvery,
 * centralize, keepParamsNonnegative, scaleByTrustRatio, lookahead, and the Adam family's
 * epsRoot/muDtype/mask: optax's state names and layouts, the errors, and the count that does not
 * wrap. Their numbers are checked against optax in {@link OptaxReferenceTest}.
 */
class OptimMoreTest {

  private static Map<String, Object> params() {
    return OptaxReferenceTest.nested(DType.F64);
  }

  private static void fails(Executable e, String... fragments) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    for (String f : fragments) {
      assertTrue(m.contains(f), "'" + f + "' in: " + m);
    }
  }

  private static Array leaf(Object tree, String path) {
    return Tree.leaves(tree).get(Tree.paths(tree).indexOf(path));
  }

  @Test
  void statesAreOptaxs() {
    Map<String, Object> p = params();
    var yogi = assertInstanceOf(Optim.AdamState.class, Optim.yogi(0.1).init(p));
    assertEquals(1e-6, leaf(yogi.nu(), "dense.w").toDoubleArray()[0], 0, "yogi's initial_accumulator_value");
    assertInstanceOf(Optim.ScaleByAdaDeltaState.class, Optim.adadelta(0.1).init(p));
    var nov = assertInstanceOf(Optim.ScaleByNovogradState.class, Optim.novograd(0.1).init(p));
    assertEquals(0, leaf(nov.nu(), "dense.w").ndim(), "novograd's nu is one scalar per leaf");
    var lars = assertInstanceOf(Optim.ChainState.class, Optim.lars(0.1).init(p));
    assertEquals(List.of(Optim.EmptyState.class, Optim.EmptyState.class, Optim.EmptyState.class, Optim.TraceState.class),
        lars.states().stream().map(Object::getClass).toList());
    var larsSched = assertInstanceOf(Optim.ChainState.class,
        Optim.lars(Schedule.constant(0.1), 0, null, 0.001, 0, path -> true, 0.9, false).init(p));
    assertInstanceOf(Optim.MaskedState.class, larsSched.states().get(1));
    assertInstanceOf(Optim.ScheduleState.class, larsSched.states().get(2));
    assertEquals(3, assertInstanceOf(Optim.ChainState.class, Optim.fromage(0.1).init(p)).states().size());
    var fromageSched = assertInstanceOf(Optim.ChainState.class, Optim.fromage(Schedule.constant(0.1)).init(p));
    assertEquals(List.of(Optim.EmptyState.class, Optim.ScheduleState.class, Optim.WeightDecayScheduleState.class),
        fromageSched.states().stream().map(Object::getClass).toList());
    assertInstanceOf(Optim.WeightDecayScheduleState.class, Optim.addDecayedWeights(Schedule.constant(0.1)).init(p));
    var noise = assertInstanceOf(Optim.AddNoiseState.class, Optim.noisySgd(0.1, Random.key(5)).init(p));
    assertArrayEquals(Random.key(5).data(), noise.rngKey().data());
    assertInstanceOf(Optim.EmaState.class, Optim.ema(0.9).init(p));
    assertInstanceOf(Optim.ApplyEveryState.class, Optim.applyEvery(2).init(p));
    assertInstanceOf(Optim.EmptyState.class, Optim.centralize().init(p));
    assertInstanceOf(Optim.EmptyState.class, Optim.keepParamsNonnegative().init(p));
    assertInstanceOf(Optim.EmptyState.class, Optim.scaleByTrustRatio().init(p));
  }

  @Test
  void sm3KeepsOneAccumulatorPerDimAndRefusesScalars() {
    Map<String, Object> p = Map.of("w", Array.zeros(DType.F64, 3, 2), "b", Array.zeros(DType.F64, 2));
    var s = assertInstanceOf(Optim.ScaleBySM3State.class, Optim.sm3(0.1).init(p));
    // leaf order b, w: b has one accumulator [2], w one per dim [3] and [2]
    assertEquals(List.of(1, 2), s.mu().stream().map(l -> ((List<?>) l).size()).toList());
    assertArrayEquals(new int[] {3}, ((Array) ((List<?>) s.mu().get(1)).get(0)).shape());
    fails(() -> Optim.sm3(0.1).init(params()), "'head.b' is a scalar", "reshape it to [1]", "Optim.partition");
  }

  @Test
  void muDtypeKeepsTheFirstMomentNarrowAndTheUpdateInTheParamsDtype() {
    Map<String, Object> p = OptaxReferenceTest.nested(DType.F32);
    Optim.Optimizer opt = Optim.adam(0.05, 0.9, 0.999, 1e-8, 0.0, DType.BF16);
    var s = assertInstanceOf(Optim.AdamState.class, opt.init(p));
    assertEquals(DType.BF16, leaf(s.mu(), "dense.w").dtype());
    assertEquals(DType.F32, leaf(s.nu(), "dense.w").dtype());
    var r = opt.update(OptaxReferenceTest.nestedGrads("fixture", p, 0), s, p);
    assertEquals(DType.F32, leaf(r.first(), "dense.w").dtype());
    assertEquals(DType.BF16, leaf(((Optim.AdamState<?>) r.second()).mu(), "dense.w").dtype());
  }

  @Test
  void lookaheadSynchronisesEverySyncPeriodSteps() {
    Optim.Lookahead opt = Optim.lookahead(Optim.sgd(0.1), 2, 0.5);
    Object p0 = params();
    Optim.LookaheadParams<Object> p = Optim.LookaheadParams.initSynced(p0);
    var s = opt.init(p);
    var r1 = opt.update(OptaxReferenceTest.nestedGrads("fixture", p.fast(), 0), s, p);
    var p1 = Optim.applyUpdates(p, r1.first());
    assertArrayEquals(leaf(p0, "dense.w").toDoubleArray(), leaf(p1.slow(), "dense.w").toDoubleArray(), 0,
        "the slow params wait for the sync");
    assertEquals(1, r1.second().stepsSinceSync().intValue());
    var r2 = opt.update(OptaxReferenceTest.nestedGrads("fixture", p1.fast(), 1), r1.second(), p1);
    var p2 = Optim.applyUpdates(p1, r2.first());
    assertArrayEquals(leaf(p2.slow(), "dense.w").toDoubleArray(), leaf(p2.fast(), "dense.w").toDoubleArray(), 1e-15,
        "at the sync the fast params restart from the slow ones");
    assertEquals(0, r2.second().stepsSinceSync().intValue());
  }

  @Test
  void schedulesCountersStopAtTheLargestIntInsteadOfWrapping() {
    // optax's safe_increment, for sgd(schedule) as for scaleBySchedule: the schedule never sees a negative step
    var p = new OptimFixture.P(Array.of(1.0, 2.0, 3.0), Array.scalar(DType.F64, 1));
    for (Optim.Optimizer opt : new Optim.Optimizer[] {Optim.sgd(Schedule.constant(0.1)), Optim.scaleBySchedule(Schedule.constant(0.1))}) {
      var r = opt.update(p, new Optim.ScheduleState<>(Array.scalar(DType.I32, Integer.MAX_VALUE)), p);
      assertEquals(Integer.MAX_VALUE, ((Optim.ScheduleState<?>) r.second()).count().intValue());
    }
  }

  @Test
  void badArgumentsNameTheFix() {
    fails(() -> Optim.yogi(0.1, 1.0, 0.999, 1e-3), "b1 must be in [0, 1)");
    fails(() -> Optim.yogi(-0.1), "learning rate", "negate the loss");
    fails(() -> Optim.adadelta(0.1, 0.9, -1, 0, null), "eps", "1e-6");
    fails(() -> Optim.novograd(0.1, 0.9, 0.25, 1e-6, -1, 0), "epsRoot");
    fails(() -> Optim.lars(0.1, -0.1, null, 0.001, 0, null, 0.9, false), "weightDecay");
    fails(() -> Optim.sm3(0.1, 1.5), "momentum must be in [0, 1)");
    fails(() -> Optim.fromage(0.1, -1), "minNorm");
    fails(() -> Optim.noisySgd(0.1, -0.01, 0.55, Random.key(0)), "eta");
    assertThrows(NullPointerException.class, () -> Optim.addNoise(0.01, 0.55, null));
    fails(() -> Optim.ema(1.0), "decay must be in [0, 1)");
    fails(() -> Optim.ema(0.9, true, DType.I32), "accumulatorDtype must be a floating dtype");
    fails(() -> Optim.adam(0.1, 0.9, 0.999, 1e-8, 0, DType.BOOL), "muDtype must be a floating dtype");
    fails(() -> Optim.adam(0.1, 0.9, 0.999, 1e-8, -1e-3, null), "epsRoot");
    fails(() -> Optim.applyEvery(0), "k must be >= 1");
    fails(() -> Optim.lookahead(Optim.sgd(0.1), 0, 0.5), "syncPeriod must be >= 1");
    fails(() -> Optim.lookahead(Optim.sgd(0.1), 5, 1.5), "slowStepSize must be in [0, 1]");
    fails(() -> Optim.scaleByTrustRatio(-1, 1, 0), "minNorm");
    Map<String, Object> p = params();
    fails(() -> Optim.keepParamsNonnegative().update(p, Optim.keepParamsNonnegative().init(p), null), "params is null");
    fails(() -> Optim.yogi(0.1).update(p, Optim.adadelta(0.1).init(p), p), "AdamState", "init(params)");
  }
}
