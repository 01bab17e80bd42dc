package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * AMSGrad, Adan, Rprop, Polyak SGD, optax.contrib's Muon and schedule-free: their states (optax's
 * names and layout), what the numbers in {@link OptaxReferenceTest} do not show (Polyak's refusal of
 * an update without the loss, Muon's orthogonal updates and its split by rank, the eval params inside
 * a chain) and the bad arguments.
 */
class OptimContribTest {

  private static Map<String, Object> nested() {
    return OptaxReferenceTest.nested(DType.F64);
  }

  @Test
  void statesHaveOptaxsNamesAndLayout() {
    var ams = assertInstanceOf(Optim.ScaleByAmsgradState.class, Optim.amsgrad(0.1).init(nested()));
    assertEquals(0, ams.count().intValue());
    assertEquals(Tree.paths(nested()), Tree.paths(ams.nuMax()));

    var adan = assertInstanceOf(Optim.ScaleByAdanState.class, Optim.adan(0.1).init(nested()));
    assertEquals(0, adan.t().intValue());
    assertEquals(Tree.paths(nested()), Tree.paths(adan.g()));

    var rprop = assertInstanceOf(Optim.ScaleByRpropState.class, Optim.rprop(0.25).init(nested()));
    for (Array step : Tree.leaves(rprop.stepSizes())) {
      for (double v : step.toDoubleArray()) {
        assertEquals(0.25, v, "every step size starts at the learning rate");
      }
    }

    var sf = assertInstanceOf(Optim.ScheduleFreeState.class, Optim.scheduleFreeAdamw(0.1).init(nested()));
    assertEquals(1, sf.stepCount().intValue(), "optax counts schedule-free steps from 1");
    assertEquals(0.9, sf.b1().doubleValue());
    var base = assertInstanceOf(Optim.ChainState.class, sf.baseOptimizerState());
    assertInstanceOf(Optim.ScaleByRmsWithCountState.class, base.states().get(0));
    assertEquals(3, base.states().size());
  }

  @Test
  void muonOrthogonalisesTheMatricesAndGivesTheRestToAdam() {
    var state = assertInstanceOf(Optim.PartitionState.class, Optim.muon(0.1).init(nested()));
    assertEquals(List.of("adam", "muon"), List.copyOf(state.innerStates().keySet()));
    var muonPart = assertInstanceOf(Optim.ChainState.class,
        assertInstanceOf(Optim.MaskedState.class, state.innerStates().get("muon")).innerState());
    var muonState = assertInstanceOf(Optim.MuonState.class, muonPart.states().get(0));
    assertEquals(List.of("dense.w"), Tree.paths(muonState.mu()), "only the 2-D leaf is Muon's");
    var adam = assertInstanceOf(Optim.AdamState.class,
        assertInstanceOf(Optim.MaskedState.class, state.innerStates().get("adam")).innerState());
    assertEquals(List.of("dense.b", "head.b", "head.w"), Tree.paths(adam.mu()));
    var masked = assertInstanceOf(Optim.PartitionState.class,
        Optim.muon(0.1, Optim.MuonOptions.defaults().withMuonLeaves(path -> !path.startsWith("dense."))).init(nested()));
    var allAdam = assertInstanceOf(Optim.AdamState.class,
        assertInstanceOf(Optim.MaskedState.class, masked.innerStates().get("adam")).innerState());
    assertEquals(Tree.paths(nested()), Tree.paths(allAdam.mu()), "a matrix the mask leaves out is Adam's");

    // beta 0 and no Nesterov: the update is -lr · NS(g); for a tall 8x4 matrix (width scale 1) its singular
    // values are Newton–Schulz's, within optax's documented ~(0.5, 1.5) band, whatever the gradient's
    Array g = Random.normal(Random.key(3), new int[] {8, 4}, DType.F64).mul(Array.of(4.0, 1.0, 0.5, 2.0));
    Map<String, Object> params = Map.of("w", Array.zeros(DType.F64, 8, 4));
    Optim.Optimizer opt = Optim.muon(1.0, Optim.MuonOptions.defaults().withBeta(0).withNesterov(false));
    var r = opt.update(Map.<String, Object>of("w", g), opt.init(params), params);
    Array u = ((Array) r.first().get("w")).neg();
    double[] singular = Linalg.svdvals(u).toDoubleArray();
    double[] ofGradient = Linalg.svdvals(g).toDoubleArray();
    assertTrue(ofGradient[0] > 3 * ofGradient[3], "the test gradient is far from orthogonal: " + java.util.Arrays.toString(ofGradient));
    for (double s : singular) {
      assertTrue(s > 0.5 && s < 1.5, "singular value " + s + " of the orthogonalised update");
    }
  }

  @Test
  void polyakNeedsTheLossAndSaysHow() {
    Optim.ValueOptimizer opt = Optim.polyakSgd();
    Object params = nested();
    var s = opt.init(params);
    var grads = OptaxReferenceTest.nestedGrads("fixture", params, 0);
    String m = assertThrows(IllegalArgumentException.class, () -> opt.update(grads, s, params)).getMessage();
    assertTrue(m.contains("update(grads, state, params, loss)"), m);
    Optim.Optimizer chained = Optim.chain(Optim.clip(1.0), opt);
    assertThrows(IllegalArgumentException.class, () -> chained.update(grads, chained.init(params), params));
    String shape = assertThrows(IllegalArgumentException.class,
        () -> opt.update(grads, s, params, Array.of(1.0, 2.0))).getMessage();
    assertTrue(shape.contains("scalar"), shape);

    // the step is (loss - fMin)/||g||², capped: a loss of 0 = fMin gives no step, and the double overload is the array one
    var none = opt.update(grads, s, params, 0.0);
    for (Array u : Tree.leaves(none.first())) {
      for (double v : u.toDoubleArray()) {
        assertEquals(0.0, v, 0.0);
      }
    }
    double loss = OptaxReferenceTest.nestedLoss(params).doubleValue();
    assertEquals(Tree.leaves(opt.update(grads, s, params, OptaxReferenceTest.nestedLoss(params)).first()).toString(),
        Tree.leaves(opt.update(grads, s, params, loss).first()).toString());
  }

  @Test
  void polyakUnderJitTakesTheLossAsAnInput() {
    Optim.ValueOptimizer opt = Optim.polyakSgd(0.5, 1.0, 0.0, 0.0, false);
    var step = Transforms.jit((Object p, Optim.OptState<Object> s, Array loss) ->
        opt.update(OptaxReferenceTest.nestedGrads("fixture", p, 0), s, p, loss).first());
    Object p = nested();
    var s = opt.init(p);
    Object eager = opt.update(OptaxReferenceTest.nestedGrads("fixture", p, 0), s, p, Array.scalar(DType.F64, 3.0)).first();
    Object jitted = step.apply(p, s, Array.scalar(DType.F64, 3.0));
    assertEquals(Tree.leaves(eager).toString(), Tree.leaves(jitted).toString());
    Object other = step.apply(p, s, Array.scalar(DType.F64, 0.001));
    assertTrue(!Tree.leaves(other).toString().equals(Tree.leaves(jitted).toString()),
        "a different loss gives a different step: the value is traced, not baked in");
  }

  @Test
  void evalParamsAreFoundInsideAChainAndEqualTheParamsWhenB1IsOne() {
    Optim.Optimizer opt = Optim.chain(Optim.clipByGlobalNorm(1.0), Optim.scheduleFree(Optim.sgd(0.1), 0.1, 1.0, 2.0, null));
    Object p = nested();
    var s = opt.init(p);
    for (int t = 0; t < 3; t++) {
      var r = opt.update(OptaxReferenceTest.nestedGrads("fixture", p, t), s, p);
      p = Optim.applyUpdates(p, r.first());
      s = r.second();
    }
    // b1 = 1: y = x, the params are the average itself
    assertEquals(Tree.leaves(p).toString(), Tree.leaves(Optim.scheduleFreeEvalParams(s, p)).toString());
    var adamState = Optim.adam(0.1).init(p);
    Object params = p;
    String m = assertThrows(IllegalArgumentException.class, () -> Optim.scheduleFreeEvalParams(adamState, params)).getMessage();
    assertTrue(m.contains("AdamState") && m.contains("Optim.scheduleFree"), m);
  }

  @Test
  void badArgumentsAreNamed() {
    expect(() -> Optim.amsgrad(0.1, 1.0, 0.999, 1e-8, 0, null, true, true), "b1 must be in [0, 1)");
    expect(() -> Optim.amsgrad(0.1, 0.9, 0.999, 1e-8, 0, DType.I32, true, true), "muDtype must be a floating dtype");
    expect(() -> Optim.adan(0.1, 0.98, 0.92, -0.1, 1e-8, 1e-8, 0, null), "b3 must be in [0, 1)");
    expect(() -> Optim.rprop(0.1, 0.5, 1.2, 1.0, 0.5), "minStepSize 1.0 is above maxStepSize 0.5");
    expect(() -> Optim.rprop(-0.1), "the learning rate must be a finite number >= 0");
    expect(() -> Optim.polyakSgd(1.0, 1.0, Double.NaN, 0, false), "fMin must be a finite number");
    expect(() -> Optim.muon(0.1, Optim.MuonOptions.defaults().withNsSteps(0)), "nsSteps must be >= 1");
    expect(() -> Optim.muon(0.1, Optim.MuonOptions.defaults().withBeta(1.0)), "beta must be in [0, 1)");
    expect(() -> new Optim.MuonOptions(new double[] {1, 2}, 5, 0.95, 1e-8, 0, null, true, false, 0.9, 0.999, 0, 0, null,
        null, null), "nsCoeffs must hold 3 numbers");
    expect(() -> Optim.scheduleFree(Optim.sgd(0.1), 0.1, 0.0, 2.0, null), "b1 must be in (0, 1]");
    expect(() -> Optim.scheduleFreeSgd(0.1, -1, 0.9, 0, 2, null), "warmupSteps must be >= 0");
    expect(() -> Optim.scheduleFreeAdamw(0.1, 0, 0.9, 0.999, 1e-8, 0, 2, DType.I32), "stateDtype must be a floating dtype");
    Optim.Optimizer sf = Optim.scheduleFreeSgd(0.1);
    var s = sf.init(nested());
    expect(() -> sf.update(nested(), s, null), "params is null");
  }

  private static void expect(Executable e, String part) {
    String m = assertThrows(IllegalArgumentException.class, e).getMessage();
    assertTrue(m.contains(part), "'" + m + "' should contain '" + part + "'");
  }
}
