package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Nn} against direct formulas in F64, at extreme logits (±1000, where the naive formulas
 * overflow), under jit (same values as eager) and vmap (same as a loop over examples), plus its
 * errors. Gradients against finite differences: {@code autodiff/NnGradTest}.
 */
class NnTest {
  static final double[] XS = {-30, -3.5, -1, -0.25, 0, 0.25, 1, 2.5, 30};

  private static Array xs() {
    return Array.of(XS);
  }

  private static void elementwise(String what, UnaryOperator<Array> f, DoubleUnaryOperator formula) {
    double[] got = f.apply(xs()).toDoubleArray();
    for (int i = 0; i < XS.length; i++) {
      double want = formula.applyAsDouble(XS[i]);
      assertEquals(want, got[i], 1e-12 * Math.max(1, Math.abs(want)), what + "(" + XS[i] + ")");
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void activationsMatchTheirFormulas() {
    elementwise("relu", Nn::relu, x -> Math.max(x, 0));
    elementwise("gelu (tanh)", Nn::gelu,
        x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    elementwise("softplus", Nn::softplus, x -> Math.log1p(Math.exp(x)));
    elementwise("silu", Nn::silu, x -> x * sigmoid(x));
    elementwise("logSigmoid", Nn::logSigmoid, x -> Math.log(sigmoid(x)));
    assertEquals(DType.F32, Nn.softplus(Array.of(1f)).dtype());
    assertEquals(DType.F32, Nn.silu(Array.of(1, 2)).dtype(), "integers become f32 as jnp does");
  }

  @Test
  void activationsStayFiniteAtExtremes() {
    Array x = Array.of(-1000.0, 1000.0);
    assertArrayEquals(new double[] {0, 1000}, Nn.softplus(x).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {-1000, 0}, Nn.logSigmoid(x).toDoubleArray(), 1e-12);
    Array f32 = Array.of(-1000f, 1000f);
    assertArrayEquals(new float[] {0, 1000}, Nn.softplus(f32).toFloatArray(), 0f);
    assertArrayEquals(new float[] {-1000, 0}, Nn.logSigmoid(f32).toFloatArray(), 0f);
    // softplus keeps tiny values: log1p(exp(-40)) is 4.2e-18, not 0
    assertEquals(Math.exp(-40), Nn.softplus(Array.of(-40.0)).doubleValue(), 1e-30);
    assertTrue(Double.isNaN(Nn.relu(Array.of(Double.NaN)).doubleValue()), "relu(NaN) is NaN");
  }

  /** Python's math.erf at XS, and 0.5 x (1 + erf(x / sqrt 2)) from it. */
  static final double[] ERF = {-1.0, -0.9999992569016276, -0.8427007929497149, -0.2763263901682369, 0.0,
      0.2763263901682369, 0.8427007929497149, 0.999593047982555, 1.0};
  static final double[] GELU_EXACT = {-0.0, -0.0008142017766243903, -0.15865525393145707, -0.10032341857926907,
      0.0, 0.14967658142073093, 0.8413447460685429, 2.4844758366855597, 30.0};

  @Test
  void erfAndExactGeluMatchReferenceValues() {
    assertArrayEquals(ERF, xs().erf().toDoubleArray(), 1e-15);
    assertArrayEquals(GELU_EXACT, Nn.gelu(xs(), false).toDoubleArray(), 1e-14);
    double[] more = {0.1, 1.5, 2.4999, 4, 5.9, 6};
    double[] want = {0.1124629160182849, 0.9661051464753108, 0.9995928300996666, 0.9999999845827421,
        0.9999999999999999, 1.0};
    assertArrayEquals(want, Array.of(more).erf().toDoubleArray(), 1e-15);
    assertTrue(Double.isNaN(Array.of(Double.NaN).erf().doubleValue()));
    // the same under jit (fused loop / generated code call the same function)
    assertArrayEquals(GELU_EXACT, Transforms.jit((Array x) -> Nn.gelu(x, false)).apply(xs()).toDoubleArray(), 1e-14);
    assertEquals(DType.F32, Array.of(1, 2).erf().dtype());
  }

  /**
   * erfc keeps its relative accuracy in the tail, where 1 - erf rounds to 0 (Python's math.erfc);
   * so exact gelu is JAX's 0.5 x erfc(-x / sqrt 2) there, not -0 (found against real JAX 0.10.2:
   * nn/gelu/approximate=False in docs/prng.md).
   */
  @Test
  void erfcKeepsTheTailSoExactGeluDoesNotUnderflow() {
    double[] x = {-1, 0, 0.5, 2, 2.5, 3, 5, 10, 20};
    double[] want = {1.842700792949715, 1.0, 0.4795001221869535, 0.004677734981047265, 0.0004069520174449589,
        2.2090496998585438e-05, 1.5374597944280351e-12, 2.088487583762545e-45, 5.3958656116079005e-176};
    double[] got = Array.of(x).erfc().toDoubleArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(want[i], got[i], Math.abs(want[i]) * 1e-12, "erfc(" + x[i] + ")");
    }
    assertTrue(Double.isNaN(Array.of(Double.NaN).erfc().doubleValue()));
    // f32: JAX 0.10.2 gives -8.782173e-10 at x = -6.310386f; 1 + erf(x / sqrt 2) gave -0
    float[] xf = {-6.310386f, -9f};
    double[] geluWant = {-8.782173e-10, -1.015729565358458e-18};
    for (var gelu : java.util.List.<Function<Array, Array>>of(a -> Nn.gelu(a, false),
        Transforms.jit((Array a) -> Nn.gelu(a, false)))) {
      float[] g = gelu.apply(Array.of(DType.F32, new int[] {2}, xf)).toFloatArray();
      for (int i = 0; i < 2; i++) {
        // 2e-5: the f32 argument -x * sqrt(1/2) is rounded (4e-7), and erfc's log-slope there is 2|x/sqrt 2| ~ 13
        assertEquals(geluWant[i], g[i], Math.abs(geluWant[i]) * 2e-5, "gelu(" + xf[i] + ", approximate=false)");
      }
    }
  }

  private static final double[][] LOGITS = {{1, 2, 3, 4}, {-1, 0.5, 0.5, 7}, {0, 0, 0, 0}};

  private static Array logits() {
    return Array.of(DType.F64, new int[] {3, 4}, java.util.Arrays.stream(LOGITS).flatMapToDouble(java.util.Arrays::stream).toArray());
  }

  private static double lse(double[] row) {
    double s = 0;
    for (double v : row) {
      s += Math.exp(v);
    }
    return Math.log(s);
  }

  @Test
  void softmaxFamilyMatchesDirectFormulas() {
    double[] sm = Nn.softmax(logits()).toDoubleArray();
    double[] lsm = Nn.logSoftmax(logits(), 1).toDoubleArray();
    double[] lse = Nn.logsumexp(logits(), -1, false).toDoubleArray();
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        assertEquals(Math.exp(LOGITS[r][c]) / Math.exp(lse(LOGITS[r])), sm[r * 4 + c], 1e-12);
        assertEquals(LOGITS[r][c] - lse(LOGITS[r]), lsm[r * 4 + c], 1e-12);
      }
      assertEquals(lse(LOGITS[r]), lse[r], 1e-12);
    }
    // along axis 0, keepDims, and over everything
    Array col = Nn.logsumexp(logits(), 0, true);
    assertArrayEquals(new int[] {1, 4}, col.shape());
    assertEquals(lse(new double[] {1, -1, 0}), col.toDoubleArray()[0], 1e-12);
    double all = lse(java.util.Arrays.stream(LOGITS).flatMapToDouble(java.util.Arrays::stream).toArray());
    assertEquals(all, Nn.logsumexp(logits()).doubleValue(), 1e-12);
    assertArrayEquals(new double[] {1, 1, 1}, Nn.softmax(logits(), 1).sum(1).toDoubleArray(), 1e-12);
  }

  @Test
  void softmaxFamilyIsStableAtExtremeLogits() {
    Array x = Array.of(DType.F32, new int[] {2, 3}, 1000f, -1000f, 0f, -1000f, -1000f, -999f);
    float[] sm = Nn.softmax(x).toFloatArray();
    assertArrayEquals(new float[] {1, 0, 0}, java.util.Arrays.copyOf(sm, 3), 0f);
    float[] lsm = Nn.logSoftmax(x).toFloatArray();
    assertArrayEquals(new float[] {0, -2000, -1000}, java.util.Arrays.copyOf(lsm, 3), 0f);
    float[] lse = Nn.logsumexp(x, 1, false).toFloatArray();
    assertEquals(1000f, lse[0]);
    assertEquals(-999 + Math.log1p(2 * Math.exp(-1)), lse[1], 1e-4);
    // a row of -inf: logsumexp is -inf (not NaN), as JAX
    assertEquals(Double.NEGATIVE_INFINITY, Nn.logsumexp(Array.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), 0, false).doubleValue());
  }

  @Test
  void oneHotUsesIotaAndZeroesOutOfRangeLabels() {
    Array oh = Nn.oneHot(Array.of(2, 0, -1, 3), 3);
    assertEquals(DType.F32, oh.dtype());
    assertArrayEquals(new int[] {4, 3}, oh.shape());
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, oh.toFloatArray());
    Array two = Nn.oneHot(Array.of(DType.I32, new int[] {2, 1}, 1, 0), 2, DType.I32);
    assertArrayEquals(new int[] {2, 1, 2}, two.shape());
    assertArrayEquals(new int[] {0, 1, 1, 0}, two.toIntArray());
    ShapeError e = assertThrows(ShapeError.class, () -> Nn.oneHot(Array.of(1f, 2f), 3));
    assertTrue(e.getMessage().contains("astype(DType.I32)"), e.getMessage());
  }

  @Test
  void crossEntropyWithIntegerAndProbabilityLabels() {
    Array labels = Array.of(3, 0, 2);
    double[] ce = Nn.softmaxCrossEntropy(logits(), labels).toDoubleArray();
    int[] l = {3, 0, 2};
    for (int r = 0; r < 3; r++) {
      assertEquals(lse(LOGITS[r]) - LOGITS[r][l[r]], ce[r], 1e-12, "row " + r);
    }
    // one-hot labels give the same losses
    assertArrayEquals(ce, Nn.softmaxCrossEntropy(logits(), Nn.oneHot(labels, 4, DType.F64)).toDoubleArray(), 1e-12);
    // soft labels: -sum p log softmax
    double[] p = {0.1, 0.2, 0.3, 0.4};
    Array probs = Array.of(DType.F64, new int[] {1, 4}, p);
    double want = 0;
    for (int c = 0; c < 4; c++) {
      want -= p[c] * (LOGITS[0][c] - lse(LOGITS[0]));
    }
    assertEquals(want, Nn.softmaxCrossEntropy(logits().sliceAxis(0, 0, 1), probs).doubleValue(), 1e-12);
  }

  @Test
  void crossEntropyIsFiniteAtExtremeLogits() {
    Array x = Array.of(DType.F32, new int[] {2, 3}, 1000f, -1000f, 0f, -1000f, 1000f, -1000f);
    Array labels = Array.of(1, 1);
    // row 0: the label's logit is 2000 below the max; row 1: it is the max
    assertArrayEquals(new float[] {2000, 0}, Nn.softmaxCrossEntropy(x, labels).toFloatArray(), 0f);
    Array g = Transforms.grad((Array z) -> Nn.softmaxCrossEntropy(z, labels).sum()).apply(x);
    // softmax - onehot: [1, -1, 0] and [0, 0, 0]
    assertArrayEquals(new float[] {1, -1, 0, 0, 0, 0}, g.toFloatArray(), 1e-6f);
    Array gp = Transforms.grad((Array z) -> Nn.softmaxCrossEntropy(z, Nn.oneHot(labels, 3)).sum()).apply(x);
    assertArrayEquals(g.toFloatArray(), gp.toFloatArray(), 1e-6f);
  }

  @Test
  void jitMatchesEager() {
    Array labels = Array.of(1, 3, 0);
    Function<Array, Array> f = z -> Nn.softmaxCrossEntropy(z, labels).add(Nn.logsumexp(z, 1, false))
        .add(Nn.gelu(z).add(Nn.silu(z)).add(Nn.logSigmoid(z)).add(Nn.relu(z)).sum(1))
        .add(Nn.softmax(z, 0).sum(1));
    Array eager = f.apply(logits());
    Array jitted = Transforms.jit(f).apply(logits());
    assertArrayEquals(eager.toDoubleArray(), jitted.toDoubleArray(), 1e-12);
    Array ge = Transforms.grad((Array z) -> f.apply(z).sum()).apply(logits());
    Array gj = Transforms.jit(Transforms.grad((Array z) -> f.apply(z).sum())).apply(logits());
    assertArrayEquals(ge.toDoubleArray(), gj.toDoubleArray(), 1e-12);
  }

  @Test
  void vmapMatchesALoopOverExamples() {
    BiFunction<Array, Array, Array> loss = (z, y) -> Nn.softmaxCrossEntropy(z, y);
    Array labels = Array.of(2, 0, 3);
    Array batched = Transforms.vmap(loss).apply(logits(), labels);
    Array grads = Transforms.vmap((Array z, Array y) -> Transforms.grad((Array zz) -> Nn.softmaxCrossEntropy(zz, y)).apply(z))
        .apply(logits(), labels);
    for (int r = 0; r < 3; r++) {
      Array row = logits().get(r);
      Array y = labels.get(r);
      assertEquals(loss.apply(row, y).doubleValue(), batched.toDoubleArray()[r], 1e-12, "loss " + r);
      Array g = Transforms.grad((Array zz) -> Nn.softmaxCrossEntropy(zz, y)).apply(row);
      assertArrayEquals(g.toDoubleArray(), grads.get(r).toDoubleArray(), 1e-12, "grad " + r);
    }
    // and the per-example loss equals the batched one without vmap
    assertArrayEquals(Nn.softmaxCrossEntropy(logits(), labels).toDoubleArray(), batched.toDoubleArray(), 1e-12);
  }

  @Test
  void crossEntropyRejectsMismatchedLabels() {
    ShapeError shape = assertThrows(ShapeError.class, () -> Nn.softmaxCrossEntropy(logits(), Array.of(1, 2)));
    assertTrue(shape.getMessage().contains("[3]"), shape.getMessage());
    ShapeError floats = assertThrows(ShapeError.class, () -> Nn.softmaxCrossEntropy(logits(), Array.of(1.0, 2.0, 0.0)));
    assertTrue(floats.getMessage().contains("i32 labels of shape [3]"), floats.getMessage());
    assertThrows(ShapeError.class, () -> Nn.softmaxCrossEntropy(logits(), Array.of(true, false, true)));
    assertThrows(ShapeError.class, () -> Nn.softmaxCrossEntropy(Array.scalar(1), Array.scalar(DType.I32, 0)));
  }
}
