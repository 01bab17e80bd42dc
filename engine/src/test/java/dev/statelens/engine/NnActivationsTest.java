package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.autodiff.GradCheck;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The activations, normalizers and dropout added to {@link Nn} after the first set: values
 * against the formulas of jax/_src/nn/functions.py written out here in plain Java (F64, at 0,
 * ±1000 and NaN), gradients against finite differences away from the kinks, the gradient JAX's
 * {@code where}/custom JVP picks at the kinks, jit against eager, and dropout's statistics,
 * jit/vmap over keys and its edge cases.
 */
class NnActivationsTest {
  static final double[] XS = {-1000, -30, -6, -3, -1.5, -1, -0.5, 0, 0.5, 1, 3, 5.5, 6, 7, 30, 1000, Double.NaN};
  /** Points away from every kink (0, ±1, ±3, 6) for finite differences. */
  static final double[] SMOOTH = {-8, -3.7, -2.2, -1.3, -0.7, -0.2, 0.3, 0.8, 1.6, 2.4, 4.1, 5.2, 6.8, 9};

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;

  // ---- the formulas, as JAX writes them ---------------------------------------------------------

  static double relu6(double x) {
    return Math.min(Math.max(x, 0), 6);
  }

  static double elu(double x, double alpha) {
    return x > 0 ? x : alpha * Math.expm1(x);
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  record Activation(String name, UnaryOperator<Array> f, DoubleUnaryOperator formula) {}

  static final List<Activation> ACTIVATIONS = List.of(
      new Activation("relu6", Nn::relu6, NnActivationsTest::relu6),
      new Activation("leakyRelu", Nn::leakyRelu, x -> x >= 0 ? x : 0.01 * x),
      new Activation("leakyRelu(0.2)", x -> Nn.leakyRelu(x, 0.2), x -> x >= 0 ? x : 0.2 * x),
      new Activation("elu", Nn::elu, x -> elu(x, 1)),
      new Activation("elu(0.5)", x -> Nn.elu(x, 0.5), x -> elu(x, 0.5)),
      new Activation("celu", Nn::celu, x -> Math.max(x, 0) + Math.expm1(Math.min(x, 0))),
      new Activation("celu(2)", x -> Nn.celu(x, 2), x -> Math.max(x, 0) + 2 * Math.expm1(Math.min(x, 0) / 2)),
      new Activation("selu", Nn::selu, x -> SELU_SCALE * elu(x, SELU_ALPHA)),
      new Activation("hardTanh", Nn::hardTanh, x -> x > 1 ? 1 : x < -1 ? -1 : x),
      new Activation("hardSigmoid", Nn::hardSigmoid, x -> relu6(x + 3) / 6),
      new Activation("hardSilu", Nn::hardSilu, x -> x * relu6(x + 3) / 6),
      new Activation("hardSwish", Nn::hardSwish, x -> x * relu6(x + 3) / 6),
      new Activation("mish", Nn::mish, x -> x * Math.tanh(softplus(x))));

  private static void assertClose(String what, double want, double got) {
    if (Double.isNaN(want)) {
      assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
    } else {
      assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), what);
    }
  }

  @Test
  void activationsMatchJaxFormulas() {
    for (Activation a : ACTIVATIONS) {
      double[] got = a.f().apply(Array.of(XS)).toDoubleArray();
      for (int i = 0; i < XS.length; i++) {
        assertClose(a.name() + "(" + XS[i] + ")", a.formula().applyAsDouble(XS[i]), got[i]);
      }
    }
  }

  @Test
  void dtypesFollowJnp() {
    for (Activation a : ACTIVATIONS) {
      assertEquals(DType.F32, a.f().apply(Array.of(1f, -2f)).dtype(), a.name() + " keeps f32");
      assertEquals(DType.F32, a.f().apply(Array.of(1, -2)).dtype(), a.name() + " turns integers into f32");
      assertThrows(ShapeError.class, () -> a.f().apply(Array.of(1, 0).gt(0)), a.name() + " rejects bool");
    }
    float[] f32 = Nn.selu(Array.of(-1f, 2f)).toFloatArray();
    assertEquals((float) (SELU_SCALE * SELU_ALPHA * Math.expm1(-1)), f32[0], 1e-6f);
    assertEquals((float) (SELU_SCALE * 2), f32[1], 1e-6f);
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    for (Activation a : ACTIVATIONS) {
      GradCheck.check(a.name(), xs -> a.f().apply(xs.get(0)), 1e-5, 1e-8, 1e-6, Array.of(SMOOTH));
    }
  }

  private static double[] gradAt(UnaryOperator<Array> f, double... xs) {
    return Transforms.grad((Array x) -> f.apply(x).sum()).apply(Array.of(xs)).toDoubleArray();
  }

  /**
   * What JAX gives at the kinks: relu6's custom JVP is 1 only strictly inside (0, 6) (so 0 at 0,
   * 6 and NaN); leaky_relu's {@code where(x >= 0, ...)} takes the identity at 0 (1); hard_tanh's
   * {@code where(x > 1, 1, where(x < -1, -1, x))} keeps the identity at ±1 (1); elu's
   * {@code where(x > 0, ...)} takes the expm1 side at 0 (alpha); celu's max + min split a tie in
   * halves (0.5 + 0.5 = 1); hard_sigmoid inherits relu6's zeros at ±3.
   */
  @Test
  void gradientsAtTheKinksAreJaxs() {
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0, 0}, gradAt(Nn::relu6, 0, 6, 3, -1, 7, 1000, Double.NaN));
    assertArrayEquals(new double[] {1, 0.01, 1}, gradAt(Nn::leakyRelu, 0, -2, 2));
    assertArrayEquals(new double[] {1, 1, 1, 0, 0}, gradAt(Nn::hardTanh, -1, 0, 1, 1.5, -1.5));
    assertArrayEquals(new double[] {2}, gradAt(x -> Nn.elu(x, 2), 0));
    assertArrayEquals(new double[] {1}, gradAt(x -> Nn.celu(x, 2), 0), 1e-15);
    assertArrayEquals(new double[] {SELU_SCALE * SELU_ALPHA}, gradAt(Nn::selu, 0), 1e-15);
    assertArrayEquals(new double[] {0, 0, 1.0 / 6}, gradAt(Nn::hardSigmoid, -3, 3, 0), 1e-15);
    assertArrayEquals(new double[] {0.5, 0, 1}, gradAt(Nn::hardSilu, 0, -3, 3), 1e-15);
  }

  @Test
  void gradientsStayFiniteAtExtremes() {
    // elu's inner where keeps expm1(1000) = inf out of the gradient: JAX gives 1 there, not NaN
    assertArrayEquals(new double[] {1, 0}, gradAt(Nn::elu, 1000, -1000));
    assertArrayEquals(new double[] {1, 0}, gradAt(Nn::celu, 1000, -1000));
    assertArrayEquals(new double[] {1, 0}, gradAt(Nn::mish, 1000, -1000), 1e-12);
  }

  @Test
  void jitEqualsEager() {
    Array x = Array.of(XS);
    for (Activation a : ACTIVATIONS) {
      Function<Array, Array> jitted = Transforms.jit(a.f()::apply);
      assertArrayEquals(a.f().apply(x).toDoubleArray(), jitted.apply(x).toDoubleArray(), 0, a.name());
      Function<Array, Array> g = x0 -> Transforms.grad((Array z) -> a.f().apply(z).sum()).apply(x0);
      Array smooth = Array.of(SMOOTH);
      assertArrayEquals(g.apply(smooth).toDoubleArray(), Transforms.jit(g).apply(smooth).toDoubleArray(), 0,
          a.name() + "'s gradient");
    }
    Array m = matrix();
    assertArrayEquals(Nn.glu(m).toDoubleArray(), Transforms.jit((Array z) -> Nn.glu(z)).apply(m).toDoubleArray(), 0);
    assertArrayEquals(Nn.standardize(m).toDoubleArray(),
        Transforms.jit((Array z) -> Nn.standardize(z)).apply(m).toDoubleArray(), 0);
  }

  // ---- glu, standardize, layerNorm --------------------------------------------------------------

  /** A [3, 6] F64 matrix with rows of different offsets and spreads. */
  private static Array matrix() {
    double[] v = new double[18];
    for (int i = 0; i < 18; i++) {
      v[i] = (i / 6) * 10 + Math.sin(i * 1.7) * (1 + i / 6);
    }
    return Array.of(DType.F64, new int[] {3, 6}, v);
  }

  @Test
  void gluGatesTheFirstHalfWithTheSecond() {
    Array m = matrix();
    double[] v = m.toDoubleArray();
    double[] got = Nn.glu(m).toDoubleArray();
    assertArrayEquals(new int[] {3, 3}, Nn.glu(m).shape());
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 3; c++) {
        assertClose("glu[" + r + "," + c + "]", v[r * 6 + c] * sigmoid(v[r * 6 + c + 3]), got[r * 3 + c]);
      }
    }
    Array t = Array.of(DType.F64, new int[] {4, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    double[] axis0 = Nn.glu(t, 0).toDoubleArray();
    assertArrayEquals(new double[] {1 * sigmoid(5), 2 * sigmoid(6), 3 * sigmoid(7), 4 * sigmoid(8)}, axis0, 1e-15);
    ShapeError odd = assertThrows(ShapeError.class, () -> Nn.glu(Array.ones(2, 5)));
    assertTrue(odd.getMessage().contains("odd length 5"), odd.getMessage());
    assertThrows(ShapeError.class, () -> Nn.glu(Array.ones(2, 4), 2));
    GradCheck.check("glu", xs -> Nn.glu(xs.get(0)), 1e-5, 1e-8, 1e-6, m);
  }

  @Test
  void standardizeIsJaxsFormula() {
    Array m = matrix();
    double[] v = m.toDoubleArray();
    double[] got = Nn.standardize(m).toDoubleArray();
    for (int r = 0; r < 3; r++) {
      double mean = 0, meanSq = 0;
      for (int c = 0; c < 6; c++) {
        mean += v[r * 6 + c] / 6;
        meanSq += v[r * 6 + c] * v[r * 6 + c] / 6;
      }
      double inv = 1 / Math.sqrt(meanSq - mean * mean + 1e-5);
      for (int c = 0; c < 6; c++) {
        assertEquals((v[r * 6 + c] - mean) * inv, got[r * 6 + c], 1e-9, "standardize[" + r + "," + c + "]");
      }
    }
    // along axis 0 with a large epsilon: the same formula on columns
    double[] cols = Nn.standardize(m, 0, 0.5).toDoubleArray();
    double mean = (v[1] + v[7] + v[13]) / 3;
    double meanSq = (v[1] * v[1] + v[7] * v[7] + v[13] * v[13]) / 3;
    assertEquals((v[7] - mean) / Math.sqrt(meanSq - mean * mean + 0.5), cols[7], 1e-9);
    GradCheck.check("standardize", xs -> Nn.standardize(xs.get(0)), 1e-5, 1e-8, 1e-6, m);
  }

  @Test
  void layerNormRowsHaveMeanZeroAndVarianceOne() {
    Array m = matrix();
    Array y = Nn.layerNorm(m, Array.ones(DType.F64, 6), Array.zeros(DType.F64, 6));
    double[] mean = y.mean(-1).toDoubleArray();
    double[] var = y.var(-1).toDoubleArray();
    for (int r = 0; r < 3; r++) {
      assertEquals(0, mean[r], 1e-12, "row " + r + " mean");
      assertEquals(1, var[r], 1e-5, "row " + r + " variance (eps 1e-6 shrinks it a little)");
    }
    assertArrayEquals(y.toDoubleArray(), Nn.layerNorm(m, null, null).toDoubleArray(), 1e-15,
        "scale 1 and bias 0 are the same as leaving them out");
  }

  @Test
  void layerNormAppliesScaleAndBiasPerFeature() {
    Array m = matrix();
    Array scale = Array.of(0.5, 2.0, -1.0, 3.0, 1.0, 0.25);
    Array bias = Array.of(1.0, -1.0, 0.0, 2.0, 0.5, -3.0);
    Array plain = Nn.layerNorm(m, null, null, 1e-3);
    assertArrayEquals(plain.mul(scale).add(bias).toDoubleArray(),
        Nn.layerNorm(m, scale, bias, 1e-3).toDoubleArray(), 1e-12);
    assertArrayEquals(Nn.standardize(m, -1, 1e-3).toDoubleArray(), plain.toDoubleArray(), 1e-12,
        "without scale/bias layerNorm is standardize over the last axis");
    GradCheck.check("layerNorm", xs -> Nn.layerNorm(xs.get(0), xs.get(1), xs.get(2), 1e-3), 1e-5, 1e-8, 1e-6,
        m, scale, bias);
    ShapeError wrong = assertThrows(ShapeError.class, () -> Nn.layerNorm(m, Array.ones(DType.F64, 3), null));
    assertTrue(wrong.getMessage().contains("scale") && wrong.getMessage().contains("[6]"), wrong.getMessage());
    assertThrows(ShapeError.class, () -> Nn.layerNorm(m, null, Array.ones(DType.F64, 3, 6)));
  }

  // ---- dropout ----------------------------------------------------------------------------------

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void dropoutKeepsAboutOneMinusRateAndScalesThem() {
    int n = 20_000;
    double rate = 0.3;
    Key key = Random.key(7);
    Array x = Array.full(DType.F32, new int[] {n}, 2);
    float[] y = Nn.dropout(key, rate, x).toFloatArray();
    boolean[] keep = Random.bernoulli(key, 1 - rate, n).toBooleanArray();
    float kept = (float) (2 / (1 - rate));
    int count = 0;
    for (int i = 0; i < n; i++) {
      assertEquals(keep[i] ? 2f / (float) (1 - rate) : 0f, y[i], "element " + i + " follows bernoulli's mask");
      if (y[i] != 0) {
        count++;
        assertEquals(kept, y[i], 1e-6f);
      }
    }
    // binomial sd is sqrt(n p (1-p)) / n = 0.0032: a 5-sd bound for this fixed key
    assertEquals(1 - rate, count / (double) n, 0.016, "fraction kept");
    assertEquals(2, Nn.dropout(key, rate, x).mean().doubleValue(), 0.05, "the expectation is x");
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void dropoutEdgeCasesAndErrors() {
    Key key = Random.key(1);
    Array x = Array.of(1.0, -2.0, 3.0);
    assertSame(x, Nn.dropout(key, 0, x), "rate 0 returns x itself");
    assertArrayEquals(new double[] {0, 0, 0}, Nn.dropout(key, 1, x).toDoubleArray());
    for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nn.dropout(key, bad, x));
      assertTrue(e.getMessage().contains("[0, 1]") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
    }
    assertEquals(DType.F32, Nn.dropout(key, 0.5, Array.of(1, 2)).dtype(), "integers become f32");
  }

  @Test
  void dropoutGradientIsTheScaledMask() {
    Key key = Random.key(3);
    Array x = Array.of(DType.F64, new int[] {64}, new double[64]).add(1.5);
    double[] g = Transforms.grad((Array z) -> Nn.dropout(key, 0.25, z).sum()).apply(x).toDoubleArray();
    boolean[] keep = Random.bernoulli(key, 0.75, 64).toBooleanArray();
    for (int i = 0; i < 64; i++) {
      assertEquals(keep[i] ? 1 / 0.75 : 0, g[i], 1e-15, "d/dx[" + i + "]");
    }
  }

  @Test
  @SuppressWarnings("statelens:SL010") // one key drawn again on purpose: the test compares draws from the same key
  void dropoutUnderJitAndVmapOverKeys() {
    Array x = Array.of(DType.F32, new int[] {32}, new float[32]).add(1);
    Key key = Random.key(11);
    var jitted = Transforms.jit((Key k, Array z) -> Nn.dropout(k, 0.5, z));
    assertArrayEquals(Nn.dropout(key, 0.5, x).toFloatArray(), jitted.apply(key, x).toFloatArray());

    List<Key> keys = Random.split(Random.key(5), 4);
    Array keyData = Array.stack(0, keys.stream().map(Key::keyData).toArray(Array[]::new));
    Function<Array, Array> perKey = kd -> Nn.dropout(new Key(kd), 0.5, x);
    Array batched = Transforms.vmap(perKey).apply(keyData);
    Array batchedJit = Transforms.jit(Transforms.vmap(perKey)).apply(keyData);
    for (int i = 0; i < 4; i++) {
      float[] one = Nn.dropout(keys.get(i), 0.5, x).toFloatArray();
      assertArrayEquals(one, batched.get(i).toFloatArray(), "vmap row " + i);
      assertArrayEquals(one, batchedJit.get(i).toFloatArray(), "jit(vmap) row " + i);
    }
    assertTrue(!java.util.Arrays.equals(batched.get(0).toFloatArray(), batched.get(1).toFloatArray()),
        "different keys drop different elements");
  }
}
