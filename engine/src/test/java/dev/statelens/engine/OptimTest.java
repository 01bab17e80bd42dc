package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimTest {

  public record Params(Array weight, Array bias) {}

  private static final float[] W0 = {0.5f, -1.25f, 2f};
  private static final float B0 = 0.75f;
  private static final double[] TARGET_W = {1.5, 0.25, -1};
  private static final double TARGET_B = -0.5;

  private static Params initialParams() {
    return new Params(Array.of(W0), Array.scalar(B0));
  }

  /**
   * Hand-written gradient of sum((p - target)^3 + (p - target)^2) (different at every step and
   * of both signs, so the moments do not settle into a constant ratio).
   */
  private static Array gradOf(Array p, Array target) {
    Array d = p.sub(target);
    return d.square().mul(3).add(d.mul(2));
  }

  private static double gradOf(double p, double target) {
    double d = p - target;
    return 3 * d * d + 2 * d;
  }

  private static Params grads(Params p) {
    return new Params(gradOf(p.weight(), Array.of(toFloats(TARGET_W))), gradOf(p.bias(), Array.scalar(TARGET_B)));
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  /**
   * Adam in plain Java doubles, straight from the paper / optax, for all 4 scalars; the bias
   * correction {@code 1 - b^t} as optax computes it for f32 params (x64 off: float32 {@code b} to
   * the power {@code t}, then {@code 1 -} in float32; docs/optim.md).
   */
  private static double[][] referenceAdam(int steps, double lr, double b1, double b2, double eps) {
    double[] p = {W0[0], W0[1], W0[2], B0};
    double[] target = {TARGET_W[0], TARGET_W[1], TARGET_W[2], TARGET_B};
    double[] m = new double[4];
    double[] v = new double[4];
    double[][] history = new double[steps][];
    for (int t = 1; t <= steps; t++) {
      for (int i = 0; i < 4; i++) {
        double g = gradOf(p[i], target[i]);
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        double mHat = m[i] / optaxF32BiasCorrection(b1, t);
        double vHat = v[i] / optaxF32BiasCorrection(b2, t);
        p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
      }
      history[t - 1] = p.clone();
    }
    return history;
  }

  private static double optaxF32BiasCorrection(double b, int t) {
    return 1f - (float) Math.pow((float) b, t);
  }

  private static double[] flat(Params p) {
    float[] w = p.weight().toFloatArray();
    return new double[] {w[0], w[1], w[2], p.bias().floatValue()};
  }

  private static void assertClose(double[] expected, double[] actual, double tol, String what) {
    for (int i = 0; i < expected.length; i++) {
      double e = expected[i];
      double a = actual[i];
      assertTrue(Math.abs(e - a) <= tol, what + "[" + i + "]: expected " + e + ", got " + a + " (tolerance " + tol + ")");
    }
  }

  // ---- SGD ---------------------------------------------------------------------------------------

  @Test
  void sgdUpdatesAreExactlyMinusLearningRateTimesGradient() {
    Optim.Optimizer sgd = Optim.sgd(0.1);
    Params params = initialParams();
    Optim.OptState<Params> state = sgd.init(params);
    assertInstanceOf(Optim.SgdState.class, state);
    assertEquals(List.of(), Tree.leaves(state));

    float[] w = W0.clone();
    float b = B0;
    for (int step = 0; step < 5; step++) {
      Params g = grads(params);
      float[] gw = g.weight().toFloatArray();
      float gb = g.bias().floatValue();
      var r = sgd.update(g, state, params);
      float[] uw = r.first().weight().toFloatArray();
      for (int i = 0; i < 3; i++) {
        assertEquals((float) -0.1 * gw[i], uw[i], 0f, "update of weight[" + i + "]");
        w[i] = w[i] + (float) -0.1 * gw[i];
      }
      assertEquals((float) -0.1 * gb, r.first().bias().floatValue(), 0f, "update of bias");
      b = b + (float) -0.1 * gb;
      params = Optim.applyUpdates(params, r.first());
      state = r.second();
      assertArrayEquals(w, params.weight().toFloatArray(), 0f);
      assertEquals(b, params.bias().floatValue(), 0f);
    }
  }

  // ---- Adam --------------------------------------------------------------------------------------

  @Test
  void adamInitHasZeroMomentsMirroringTheParamsAndCountZero() {
    Optim.OptState<Params> state = Optim.adam(0.01).init(initialParams());
    Optim.AdamState<Params> s = assertInstanceOf(Optim.AdamState.class, state);
    assertEquals(DType.I32, s.count().dtype());
    assertEquals(0, s.count().intValue());
    assertArrayEquals(new float[3], s.mu().weight().toFloatArray());
    assertArrayEquals(new int[] {3}, s.nu().weight().shape());
    assertEquals(0f, s.nu().bias().floatValue());
    assertEquals(
        List.of("opt_state.count", "opt_state.mu.weight", "opt_state.mu.bias", "opt_state.nu.weight", "opt_state.nu.bias"),
        Tree.structure(state).paths("opt_state"));
  }

  @Test
  void adamMatchesTheReferenceFormulaWithBiasCorrectionOverSeveralSteps() {
    double lr = 0.05;
    int steps = 8;
    double[][] expected = referenceAdam(steps, lr, 0.9, 0.999, 1e-8);
    Optim.Optimizer adam = Optim.adam(lr);
    Params params = initialParams();
    Optim.OptState<Params> state = adam.init(params);
    for (int t = 0; t < steps; t++) {
      var r = adam.update(grads(params), state, params);
      params = Optim.applyUpdates(params, r.first());
      state = r.second();
      assertClose(expected[t], flat(params), 1e-6, "params after step " + (t + 1));
    }
    assertEquals(steps, ((Optim.AdamState<Params>) state).count().intValue());
  }

  @Test
  void adamWithCustomHyperparametersMatchesTheReference() {
    double[][] expected = referenceAdam(6, 0.02, 0.5, 0.9, 1e-3);
    Optim.Optimizer adam = Optim.adam(0.02, 0.5, 0.9, 1e-3);
    Params params = initialParams();
    Optim.OptState<Params> state = adam.init(params);
    for (int t = 0; t < 6; t++) {
      var r = adam.update(grads(params), state, params);
      params = Optim.applyUpdates(params, r.first());
      state = r.second();
    }
    assertClose(expected[5], flat(params), 1e-6, "params after 6 steps");
  }

  @Test
  void adamFirstStepMovesEachParameterByAboutTheLearningRate() {
    // With bias correction, step 1 is lr * g / (|g| + eps): about lr against the gradient's sign.
    Params params = initialParams();
    Optim.Optimizer adam = Optim.adam(0.01);
    var r = adam.update(grads(params), adam.init(params), params);
    float[] gw = grads(params).weight().toFloatArray();
    float[] uw = r.first().weight().toFloatArray();
    for (int i = 0; i < 3; i++) {
      assertEquals(-Math.signum(gw[i]) * 0.01, uw[i], 1e-6);
    }
  }

  @Test
  void adamKeepsF64ParamsInF64() {
    record P(Array x) {}
    Optim.Optimizer adam = Optim.adam(0.1);
    P p = new P(Array.of(1.0, -2.0));
    Optim.OptState<P> s = adam.init(p);
    double[] ref = {1.0, -2.0};
    double[] m = new double[2];
    double[] v = new double[2];
    for (int t = 1; t <= 4; t++) {
      P g = new P(p.x().mul(p.x()));  // gradient of x^3/3
      var r = adam.update(g, s, p);
      p = Optim.applyUpdates(p, r.first());
      s = r.second();
      for (int i = 0; i < 2; i++) {
        double gi = ref[i] * ref[i];
        m[i] = 0.9 * m[i] + 0.1 * gi;
        v[i] = 0.999 * v[i] + 0.001 * gi * gi;
        ref[i] -= 0.1 * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
      }
    }
    assertEquals(DType.F64, p.x().dtype());
    assertClose(ref, p.x().toDoubleArray(), 1e-12, "f64 params");
  }

  // ---- under jit ---------------------------------------------------------------------------------

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void adamStepUnderJitMatchesEagerAndTracesOnce() {
    Optim.Optimizer adam = Optim.adam(0.05);
    int[] traces = {0};
    Fn3<Params, Optim.OptState<Params>, Params, Pair<Params, Optim.OptState<Params>>> step =
        Transforms.jit("adam_step", (Params p, Optim.OptState<Params> s, Params g) -> {
          traces[0]++;
          var r = adam.update(g, s, p);
          return Pair.of(Optim.applyUpdates(p, r.first()), r.second());
        });
    double[][] expected = referenceAdam(8, 0.05, 0.9, 0.999, 1e-8);
    Params params = initialParams();
    Optim.OptState<Params> state = adam.init(params);
    for (int t = 0; t < 8; t++) {
      var r = step.apply(params, state, grads(params));
      params = r.first();
      state = r.second();
      assertClose(expected[t], flat(params), 1e-6, "jitted params after step " + (t + 1));
    }
    assertEquals(1, traces[0], "the step must trace once: count is an array, not a Java int baked in");
    assertEquals(8, ((Optim.AdamState<Params>) state).count().intValue());
  }

  @Test
  void sgdStepUnderJitMatchesEager() {
    Optim.Optimizer sgd = Optim.sgd(0.1);
    var step = Transforms.jit((Params p, Params g) -> {
      var r = sgd.update(g, sgd.init(p), p);
      return Optim.applyUpdates(p, r.first());
    });
    Params eager = initialParams();
    Params jitted = initialParams();
    for (int t = 0; t < 3; t++) {
      eager = Optim.applyUpdates(eager, sgd.update(grads(eager), sgd.init(eager), eager).first());
      jitted = step.apply(jitted, grads(jitted));
    }
    assertArrayEquals(eager.weight().toFloatArray(), jitted.weight().toFloatArray(), 0f);
    assertEquals(eager.bias().floatValue(), jitted.bias().floatValue(), 0f);
  }

  // ---- pytree params -----------------------------------------------------------------------------

  @Test
  void listAndMapParamsGiveTheSameResultAsTheRecord() {
    Optim.Optimizer adam = Optim.adam(0.05);
    double[][] expected = referenceAdam(3, 0.05, 0.9, 0.999, 1e-8);

    List<Array> listParams = List.of(Array.of(W0), Array.scalar(B0));
    Optim.OptState<List<Array>> ls = adam.init(listParams);
    assertEquals(
        List.of("opt_state.count", "opt_state.mu[0]", "opt_state.mu[1]", "opt_state.nu[0]", "opt_state.nu[1]"),
        Tree.structure(ls).paths("opt_state"));

    Map<String, Array> mapParams = Map.of("weight", Array.of(W0), "bias", Array.scalar(B0));
    Optim.OptState<Map<String, Array>> ms = adam.init(mapParams);
    assertTrue(Tree.structure(ms).paths("opt_state").contains("opt_state.mu.weight"));

    for (int t = 0; t < 3; t++) {
      Params asRecord = new Params(listParams.get(0), listParams.get(1));
      Params g = grads(asRecord);
      var lr = adam.update(List.of(g.weight(), g.bias()), ls, listParams);
      listParams = Optim.applyUpdates(listParams, lr.first());
      ls = lr.second();

      Params gm = grads(new Params(mapParams.get("weight"), mapParams.get("bias")));
      var mr = adam.update(Map.of("weight", gm.weight(), "bias", gm.bias()), ms, mapParams);
      mapParams = Optim.applyUpdates(mapParams, mr.first());
      ms = mr.second();
    }
    assertClose(expected[2], flat(new Params(listParams.get(0), listParams.get(1))), 1e-6, "list params");
    assertClose(expected[2], flat(new Params(mapParams.get("weight"), mapParams.get("bias"))), 1e-6, "map params");
  }

  // ---- bad input ---------------------------------------------------------------------------------

  @Test
  void gradsWithAnotherStructureAreRejected() {
    Optim.Optimizer adam = Optim.adam(0.1);
    List<Array> params = List.of(Array.scalar(1), Array.scalar(2));
    var state = adam.init(params);
    assertThrows(TreeStructureError.class, () -> adam.update(List.of(Array.scalar(1)), state, params));
  }

  @Test
  void aStateFromAnotherOptimizerIsRejectedWithAFix() {
    Params p = initialParams();
    Optim.OptState<Params> sgdState = Optim.sgd(0.1).init(p);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Optim.adam(0.1).update(grads(p), sgdState, p));
    assertTrue(e.getMessage().contains("SgdState") && e.getMessage().contains("AdamState"), e.getMessage());
    assertTrue(e.getMessage().contains("init(params)"), e.getMessage());
  }

  @Test
  void badHyperparametersAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Optim.sgd(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Optim.adam(0.1, 1.0, 0.999, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> Optim.adam(0.1, 0.9, -0.1, 1e-8));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Optim.adam(0.1, 0.9, 0.999, -1));
    assertTrue(e.getMessage().contains("eps"), e.getMessage());
  }

  @Test
  void applyUpdatesKeepsTheParamDtype() {
    Array p = Array.of(1f, 2f);
    Array u = Array.of(0.5, 0.25); // F64 updates
    Array r = Optim.applyUpdates(p, u);
    assertEquals(DType.F32, r.dtype());
    assertArrayEquals(new float[] {1.5f, 2.25f}, r.toFloatArray());
  }
}
