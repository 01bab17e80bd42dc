package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Arrays print as NumPy/JAX print them (what Debug.print shows), values checked against NumPy 2. */
class ArrayPrintTest {

  @Test
  void positionalFloatsAlignOnThePoint() {
    assertEquals("[1. 2. 3.]", Array.of(1f, 2f, 3f).str());
    assertEquals("[1.5  2.25  nan]", Array.of(1.5f, 2.25f, Float.NaN).str());
    assertEquals("[ 1.  -0.5  inf]", Array.of(1f, -0.5f, Float.POSITIVE_INFINITY).str());
    assertEquals("[0.12345679]", Array.of(0.123456789).str());
    assertEquals("[0.1 0.2]", Array.of(0.1f, 0.2f).str());
    assertEquals("[ 0. -0.]", Array.of(0.0, -0.0).str());
  }

  @Test
  void scientificWhenMagnitudesAreFarApart() {
    assertEquals("[1.e-05 1.e+00]", Array.of(1e-5f, 1f).str());
    assertEquals("[0.e+00 1.e-05]", Array.of(0.0, 1e-5).str());
    assertEquals("[1.e+08 1.e+00]", Array.of(1e8, 1.0).str());
    assertEquals("[1.e+02 5.e-02]", Array.of(100.0, 0.05).str());
    assertEquals("[1.25e-05 5.00e-01 3.00e+00]", Array.of(1.25e-5f, 0.5f, 3f).str());
    // close magnitudes stay positional, at most 8 digits after the point
    assertEquals("[0.00049347 0.00098693 0.0014804 ]", Array.of(4.9346685e-04f, 9.869337e-04f, 1.4804006e-03f).str());
    assertEquals("[-1.5e-05  2.0e+00]", Array.of(-1.5e-5f, 2f).str());
  }

  @Test
  void reprUsesTheSameRules() {
    assertEquals("Array([1.e-05, 1.e+00], dtype=float32)", Array.of(1e-5f, 1f).toString());
    assertEquals("Array([[1. , 2.5],\n       [3. , 4. ]], dtype=float32)",
        Array.of(DType.F32, new int[] {2, 2}, 1, 2.5f, 3, 4).toString());
    assertEquals("Array(1., dtype=float32)", Array.scalar(1).toString());
    assertEquals("Array(1.e-05, dtype=float32)", Array.scalar(1e-5).toString());
  }

  @Test
  void scalarsPrintAsPythonFloats() {
    assertEquals("1e-05", Array.scalar(1e-5).str());
    assertEquals("0.1", Array.scalar(0.1).str());
    assertEquals("nan", Array.scalar(Double.NaN).str());
    assertEquals("7", Array.scalar(DType.I32, 7).str());
  }
}
