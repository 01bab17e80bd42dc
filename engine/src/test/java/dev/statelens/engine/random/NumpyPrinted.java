package dev.statelens.engine.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares floats with values as NumPy/JAX printed them in JAX's documentation. NumPy prints the
 * shortest string that reads back as the same float32, so such a string must match bit for bit;
 * but array printing (including JAX's {@code Array(...)} repr of scalars) stops at 8 digits after
 * the point, so a string with exactly 8 such digits may be rounded and then only pins the float
 * to within half a unit of the 8th digit.
 */
final class NumpyPrinted {

  private NumpyPrinted() {}

  static void assertScalar(String printed, float actual) {
    int point = printed.indexOf('.');
    if (point >= 0 && printed.length() - point - 1 == 8) {
      double difference = Math.abs(actual - Double.parseDouble(printed));
      assertTrue(difference <= 0.5e-8, "JAX printed " + printed + ", got " + actual);
    } else {
      assertEquals(Float.parseFloat(printed), actual, 0f, () -> "JAX printed " + printed);
    }
  }

  static void assertArray(String printed, float[] actual) {
    String[] elements = printed.replace("[", "").replace("]", "").trim().split("\\s+");
    assertEquals(elements.length, actual.length, () -> "element count of " + printed);
    for (int i = 0; i < elements.length; i++) {
      assertScalar(elements[i], actual[i]);
    }
  }
}
