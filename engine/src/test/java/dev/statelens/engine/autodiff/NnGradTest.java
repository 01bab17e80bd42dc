package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.GradCheck.check;
import static dev.statelens.engine.autodiff.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradients of {@link Nn} and of integer indexing ({@code gather}, {@code scatter_add}) against
 * central finite differences in F64, and at logits of ±1000 where the naive formulas overflow.
 */
class NnGradTest {
  private final Random rnd = new Random(20261126);

  @Test
  void activationGradientsMatchFiniteDifferences() {
    Array x = random(rnd, 3, 4).mul(2);
    check("relu", a -> Nn.relu(a.get(0)), x);
    check("gelu", a -> Nn.gelu(a.get(0)), x);
    check("gelu exact", a -> Nn.gelu(a.get(0), false), x);
    check("erf", a -> a.get(0).erf(), x);
    check("erfc", a -> a.get(0).erfc(), x);
    check("softplus", a -> Nn.softplus(a.get(0)), x);
    check("silu", a -> Nn.silu(a.get(0)), x);
    check("logSigmoid", a -> Nn.logSigmoid(a.get(0)), x);
  }

  @Test
  void reluHasJaxsZeroGradientAtZero() {
    Array g = Transforms.grad((Array v) -> Nn.relu(v).sum()).apply(Array.of(-1.0, 0.0, 2.0));
    assertArrayEquals(new double[] {0, 0, 1}, g.toDoubleArray());
  }

  @Test
  void normalizerGradientsMatchFiniteDifferences() {
    Array x = random(rnd, 3, 5);
    check("softmax axis -1", a -> Nn.softmax(a.get(0)), x);
    check("softmax axis 0", a -> Nn.softmax(a.get(0), 0), x);
    check("logSoftmax", a -> Nn.logSoftmax(a.get(0), 1), x);
    check("logsumexp", a -> Nn.logsumexp(a.get(0), 1, false), x);
    check("logsumexp keepDims axis 0", a -> Nn.logsumexp(a.get(0), 0, true), x);
  }

  @Test
  void crossEntropyGradientsMatchFiniteDifferences() {
    Array logits = random(rnd, 4, 3);
    Array labels = Array.of(2, 0, 1, 2);
    check("softmaxCrossEntropy (integer labels)", a -> Nn.softmaxCrossEntropy(a.get(0), labels), logits);
    Array probs = Nn.softmax(random(rnd, 4, 3), 1);
    // both arguments: probability labels get a gradient too (-log_softmax)
    check("softmaxCrossEntropy (probabilities)", a -> Nn.softmaxCrossEntropy(a.get(0), a.get(1)), logits, probs);
  }

  @Test
  void gradientsAreFiniteAndExactAtExtremeLogits() {
    Array logits = Array.of(DType.F64, new int[] {2, 3}, 1000, -1000, 0, -1000, 999, 1000);
    Array labels = Array.of(1, 2);
    Array g = Transforms.grad((Array z) -> Nn.softmaxCrossEntropy(z, labels).sum()).apply(logits);
    double e = Math.exp(-1);
    double[] want = {1, -1, 0, 0, e / (1 + e), 1 / (1 + e) - 1};
    assertArrayEquals(want, g.toDoubleArray(), 1e-12);
    Array gl = Transforms.grad((Array z) -> Nn.logsumexp(z, 1, false).sum()).apply(logits);
    assertArrayEquals(new double[] {1, 0, 0, 0, e / (1 + e), 1 / (1 + e)}, gl.toDoubleArray(), 1e-12);
    Array gs = Transforms.grad((Array z) -> Nn.logSigmoid(z).sum()).apply(Array.of(-1000.0, 1000.0));
    assertArrayEquals(new double[] {1, 0}, gs.toDoubleArray(), 1e-12);
    for (double v : Transforms.grad((Array z) -> Nn.softmax(z, 1).get(0, 0)).apply(logits).toDoubleArray()) {
      assertTrue(Double.isFinite(v), "softmax gradient at ±1000 must be finite");
    }
  }

  @Test
  void indexingGradientsMatchFiniteDifferences() {
    Array idx = Array.of(DType.I32, new int[] {2, 3}, 3, 0, 3, -2, 9, 1); // duplicates and clamped
    check("take axis 0", a -> a.get(0).take(idx, 0), random(rnd, 4, 2));
    check("take axis 1", a -> a.get(0).take(idx, 1), random(rnd, 2, 4, 3));
    check("takeAlongAxis", a -> a.get(0).takeAlongAxis(Array.of(DType.I32, new int[] {3, 2}, 1, 0, 2, 2, 7, -1), 1),
        random(rnd, 3, 3));
    Array upd = random(rnd, 2, 2, 3, 2);
    check("scatter_add operand and updates", a -> Prims.SCATTER_ADD.bind1(Params.of("axis", 1), a.get(0), idx, a.get(1)),
        random(rnd, 2, 4, 2), upd);
    // second order: d/dx of the gather's gradient goes through scatter_add's VJP
    Array x = random(rnd, 4);
    Array w = random(rnd, 2, 3);
    Array hvp = Transforms.grad((Array v) -> Transforms.grad((Array u) -> u.take(idx, 0).square().mul(w).sum())
        .apply(v).sum()).apply(x);
    // d/dx_k sum_j 2 w_j x_{idx_j}: 2 * sum of w over the positions that take k
    double[] wv = w.toDoubleArray();
    int[] clamped = {3, 0, 3, 0, 3, 1};
    double[] want = new double[4];
    for (int j = 0; j < 6; j++) {
      want[clamped[j]] += 2 * wv[j];
    }
    assertArrayEquals(want, hvp.toDoubleArray(), 1e-12);
    assertEquals(DType.F64, hvp.dtype());
  }
}
