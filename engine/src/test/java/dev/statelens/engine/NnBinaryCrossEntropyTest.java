package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Nn#sigmoidBinaryCrossEntropy}, optax's {@code sigmoid_binary_cross_entropy}. The VAE port
 * (port/VaePortTest) checks it inside a whole training run against real optax 0.2.8.
 */
class NnBinaryCrossEntropyTest {

  @Test
  void isMinusTheLogLikelihoodOfTheLabel() {
    double[] logits = {-3, -0.5, 0, 0.5, 3};
    double[] labels = {0, 1, 0.25, 1, 0};
    double[] got = Nn.sigmoidBinaryCrossEntropy(Array.of(DType.F64, new int[] {5}, logits),
        Array.of(DType.F64, new int[] {5}, labels)).toDoubleArray();
    for (int i = 0; i < logits.length; i++) {
      double p = 1 / (1 + Math.exp(-logits[i]));
      double expected = -labels[i] * Math.log(p) - (1 - labels[i]) * Math.log(1 - p);
      assertEquals(expected, got[i], 1e-12, "logit " + logits[i] + ", label " + labels[i]);
    }
  }

  @Test
  void staysFiniteForHugeLogits() {
    Array loss = Nn.sigmoidBinaryCrossEntropy(Array.of(-1000f, 1000f, 1000f), Array.of(1f, 0f, 1f));
    assertArrayEquals(new float[] {1000f, 1000f, 0f}, loss.toFloatArray());
  }

  @Test
  void gradientIsSigmoidMinusLabel() {
    Array labels = Array.of(DType.F64, new int[] {4}, new double[] {0, 1, 0.5, 1});
    Array logits = Array.of(DType.F64, new int[] {4}, new double[] {-2, 0, 1.5, 40});
    Array grad = Transforms.grad((Array z) -> Nn.sigmoidBinaryCrossEntropy(z, labels).sum()).apply(logits);
    double[] g = grad.toDoubleArray();
    double[] z = logits.toDoubleArray();
    double[] y = labels.toDoubleArray();
    for (int i = 0; i < g.length; i++) {
      assertEquals(1 / (1 + Math.exp(-z[i])) - y[i], g[i], 1e-12, "logit " + z[i]);
    }
  }

  @Test
  void boolLabelsAndBroadcasting() {
    Array logits = Array.of(DType.F32, new int[] {2, 3}, new float[] {-1, 0, 1, 2, -2, 0.5f});
    Array asBool = Nn.sigmoidBinaryCrossEntropy(logits, Array.of(true, false, true));
    Array asFloat = Nn.sigmoidBinaryCrossEntropy(logits, Array.of(1f, 0f, 1f));
    assertEquals(DType.F32, asBool.dtype());
    assertArrayEquals(new int[] {2, 3}, asBool.shape());
    assertArrayEquals(asFloat.toFloatArray(), asBool.toFloatArray());
    Array jitted = Transforms.jit((Array z, Array y) -> Nn.sigmoidBinaryCrossEntropy(z, y)).apply(logits, Array.of(1f, 0f, 1f));
    assertArrayEquals(asFloat.toFloatArray(), jitted.toFloatArray());
  }

  @Test
  void integerLogitsAreRefusedWithTheFix() {
    ShapeError e = assertThrows(ShapeError.class,
        () -> Nn.sigmoidBinaryCrossEntropy(Array.of(DType.I32, new int[] {2}, new int[] {1, 2}), Array.of(1f, 0f)));
    assertTrue(e.getMessage().contains("astype(DType.F32)"), e.getMessage());
  }
}
