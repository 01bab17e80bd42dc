package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Ufuncs} against Java's own math (Math.IEEEremainder-free definitions, Math.cbrt,
 * Math.copySign, Math.getExponent) and the errors; the real-JAX comparison is JaxReferenceTest's
 * jnp7/math and jnp7/grad cases.
 */
class UfuncsTest {

  private static Array f64(double... v) {
    return Array.of(DType.F64, new int[] {v.length}, v);
  }

  @Test
  void remaindersFollowPythonAndC() {
    double[] a = {7.5, -7.5, 7.5, -7.5, 3, -0.0};
    double[] b = {2, 2, -2, -2, 1.5, 3};
    double[] fmod = Ufuncs.fmod(f64(a), f64(b)).toDoubleArray();
    double[] mod = Ufuncs.remainder(f64(a), f64(b)).toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i] % b[i], fmod[i], "fmod " + i);
      double py = a[i] - Math.floor(a[i] / b[i]) * b[i];   // Python's float %, exact for these
      assertEquals(py, mod[i], 0.0, "remainder " + i);
    }
    assertArrayEquals(new int[] {1, 2, -2, -1, 0}, Ufuncs.mod(Array.of(7, -7, 7, -7, 7), Array.of(3, 3, -3, -3, 0)).toIntArray());
  }

  @Test
  void cbrtCopysignFrexpMatchJavaMath() {
    double[] x = {-27, -1e-300, 0.001, 8, 1e300, 3.3};
    double[] c = Ufuncs.cbrt(f64(x)).toDoubleArray();
    Pair<Array, Array> me = Ufuncs.frexp(f64(x));
    double[] m = me.first().toDoubleArray();
    int[] e = me.second().toIntArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(Math.cbrt(x[i]), c[i]);
      assertEquals(Math.getExponent(x[i]) + 1, e[i], "frexp exponent of " + x[i]);
      assertEquals(x[i], Math.scalb(m[i], e[i]));
      assertTrue(Math.abs(m[i]) >= 0.5 && Math.abs(m[i]) < 1);
    }
    // f64 subnormals and the largest double split exactly too (2^e never overflows)
    Pair<Array, Array> edge = Ufuncs.frexp(f64(Double.MIN_VALUE, Double.MAX_VALUE));
    assertArrayEquals(new int[] {-1073, 1024}, edge.second().toIntArray());
    assertArrayEquals(new double[] {Double.MIN_VALUE, Double.MAX_VALUE},
        Ufuncs.ldexp(edge.first(), edge.second()).toDoubleArray());
    assertArrayEquals(new double[] {-2, 2, -0.0, 0.0},
        Ufuncs.copysign(f64(2, -2, 0, -0.0), f64(-0.0, 1, -1, 0)).toDoubleArray());
  }

  @Test
  void sincHasJaxsDerivativesAtZero() {
    Array zero = Array.scalar(DType.F64, 0);
    assertEquals(1.0, Ufuncs.sinc(zero).item());
    assertEquals(0.0, Transforms.grad(Ufuncs::sinc).apply(zero).item());
    // the Maclaurin series: sinc''(0) = -pi^2/3
    assertEquals(-Math.PI * Math.PI / 3, Transforms.grad(Transforms.grad(Ufuncs::sinc)).apply(zero).item(), 1e-12);
  }

  @Test
  void gcdAndLcmUnderJitAndVmap() {
    Array a = Array.of(12, -18, 0, 7, 0);
    Array b = Array.of(18, 24, 5, 0, 0);
    assertArrayEquals(new int[] {6, 6, 5, 7, 0}, Ufuncs.gcd(a, b).toIntArray());
    assertArrayEquals(new int[] {36, 72, 0, 0, 0}, Ufuncs.lcm(a, b).toIntArray());
    assertArrayEquals(Ufuncs.gcd(a, b).toIntArray(), Transforms.jit(Ufuncs::gcd).apply(a, b).toIntArray());
    assertArrayEquals(Ufuncs.lcm(a, b).toIntArray(),
        Transforms.vmap(Ufuncs::lcm).apply(a.reshape(5, 1), b.reshape(5, 1)).reshape(5).toIntArray());
  }

  @Test
  void badInputNamesTheFix() {
    Exception e = assertThrows(IllegalArgumentException.class, () -> Ufuncs.gcd(f64(2), f64(4)));
    assertTrue(e.getMessage().contains("integers") && e.getMessage().contains("astype"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Ufuncs.ldexp(f64(2), f64(4)));
    assertTrue(e.getMessage().contains("integer dtype") && e.getMessage().contains("DType.I32"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Ufuncs.fmod(Array.of(DType.BOOL, new int[] {1}, true), Array.of(DType.BOOL, new int[] {1}, true)));
    assertTrue(e.getMessage().contains("bool"), e.getMessage());
    assertThrows(ShapeError.class, () -> Ufuncs.heaviside(f64(1, 2), f64(1, 2, 3)));
  }
}
