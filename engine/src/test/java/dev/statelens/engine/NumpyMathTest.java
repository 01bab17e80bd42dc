package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trig/hyperbolic primitives and the jnp ufunc compositions (log2, log10, exp2, hypot,
 * isnan, isinf, nanToNum, floorDivide): values against independent references (Java's Math,
 * textbook identities, NumPy's documented results), edge inputs (domain ends, ±0, ±inf, NaN),
 * dtype rules, and eager = jit bit for bit (the fused loop calls the same kernels).
 */
class NumpyMathTest {

  static double asinhRef(double x) { return Math.log(x + Math.sqrt(x * x + 1)); }

  static Stream<Arguments> primitives() {
    return Stream.of(
        Arguments.of("tan", (Function<Array, Array>) Array::tan, (DoubleUnaryOperator) Math::tan, -1.5, 1.5, 1),
        Arguments.of("asin", (Function<Array, Array>) Array::asin, (DoubleUnaryOperator) Math::asin, -1, 1, 1),
        Arguments.of("acos", (Function<Array, Array>) Array::acos, (DoubleUnaryOperator) Math::acos, -1, 1, 1),
        Arguments.of("atan", (Function<Array, Array>) Array::atan, (DoubleUnaryOperator) Math::atan, -30, 30, 1),
        Arguments.of("sinh", (Function<Array, Array>) Array::sinh, (DoubleUnaryOperator) Math::sinh, -20, 20, 1),
        Arguments.of("cosh", (Function<Array, Array>) Array::cosh, (DoubleUnaryOperator) Math::cosh, -20, 20, 1),
        // the inverse hyperbolics against the defining logs, on ranges where those are accurate
        Arguments.of("asinh", (Function<Array, Array>) Array::asinh, (DoubleUnaryOperator) NumpyMathTest::asinhRef, 0.5, 1e4, 1),
        Arguments.of("acosh", (Function<Array, Array>) Array::acosh,
            (DoubleUnaryOperator) x -> Math.log(x + Math.sqrt(x * x - 1)), 1.5, 1e4, 1),
        Arguments.of("atanh", (Function<Array, Array>) Array::atanh,
            (DoubleUnaryOperator) x -> 0.5 * Math.log((1 + x) / (1 - x)), -0.9, 0.9, 1),
        Arguments.of("exp2", (Function<Array, Array>) Array::exp2, (DoubleUnaryOperator) x -> Math.pow(2, x), -30, 30, 1),
        Arguments.of("log2", (Function<Array, Array>) Array::log2, (DoubleUnaryOperator) x -> Math.log(x) / Math.log(2), 1e-3, 1e3, 2),
        Arguments.of("log10", (Function<Array, Array>) Array::log10, (DoubleUnaryOperator) Math::log10, 1e-3, 1e3, 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("primitives")
  void matchesTheReferenceInF64AndF32AndJitAgrees(String name, Function<Array, Array> op, DoubleUnaryOperator ref,
      double lo, double hi, int ulps) {
    java.util.Random rnd = new java.util.Random(name.hashCode());
    int n = 257;
    double[] x = new double[n];
    float[] xf = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = lo + (hi - lo) * rnd.nextDouble();
      xf[i] = (float) x[i];
    }
    double[] out64 = op.apply(Array.of(x)).toDoubleArray();
    Array r32 = op.apply(Array.of(xf));
    assertEquals(DType.F32, r32.dtype(), name + " keeps f32");
    float[] out32 = r32.toFloatArray();
    for (int i = 0; i < n; i++) {
      double want = ref.applyAsDouble(x[i]);
      assertEquals(want, out64[i], 1e-13 * Math.max(1, Math.abs(want)), name + "(" + x[i] + ")");
      double want32 = ref.applyAsDouble(xf[i]);
      // f32: a primitive's double result is rounded once (within one float ulp of the exact value);
      // log2/log10 round twice (log, then the divide or multiply), as JAX's compositions do
      assertEquals(want32, out32[i], Math.ulp((float) want32) * ulps * 1.0001, name + " f32(" + xf[i] + ")");
    }
    // the jitted (fused) graph calls the same kernel: bit for bit
    assertArrayEquals(out32, Transforms.jit(op).apply(Array.of(xf)).toFloatArray(), name + " jit");
    // two ops fused into one loop
    assertArrayEquals(op.apply(Array.of(xf).mul(0.5f)).toFloatArray(),
        Transforms.jit((Array a) -> op.apply(a.mul(0.5f))).apply(Array.of(xf)).toFloatArray(), name + " fused");
  }

  @Test
  void integersBecomeF32AsJnp() {
    Array i = Array.of(0, 1, 2);
    for (Function<Array, Array> f : List.<Function<Array, Array>>of(Array::tan, Array::asin, Array::acos, Array::atan,
        Array::sinh, Array::cosh, Array::asinh, Array::acosh, Array::atanh, Array::exp2, Array::log2, Array::log10)) {
      assertEquals(DType.F32, f.apply(i).dtype());
    }
    assertEquals(DType.F32, i.hypot(i).dtype());
    assertEquals(DType.F64, Array.of(1.0).hypot(Array.of(2)).dtype());
  }

  @Test
  void sixteenBitInputsWidenComputeAndRoundAsTheOtherOps() {
    float[] v = {-0.9f, -0.3f, 0.1f, 0.5f, 0.99f};
    float[] above1 = {1f, 1.1f, 1.5f, 3f, 40f}; // acosh's domain
    for (DType d : List.of(DType.BF16, DType.F16)) {
      java.util.Map<String, Function<Array, Array>> fs = java.util.Map.of("tan", Array::tan, "asin", Array::asin,
          "acos", Array::acos, "atan", Array::atan, "sinh", Array::sinh, "cosh", Array::cosh, "asinh", Array::asinh,
          "atanh", Array::atanh, "exp2", Array::exp2, "acosh", Array::acosh);
      for (var e : fs.entrySet()) {
        Function<Array, Array> f = e.getValue();
        Array x = Array.of(e.getKey().equals("acosh") ? above1 : v).astype(d);
        Array got = f.apply(x);
        assertTrue(!got.isnan().any().boolValue(), e.getKey() + " stays in its domain");
        assertEquals(d, got.dtype());
        // the f32 result of the widened input, rounded once to the 16-bit dtype
        assertArrayEquals(f.apply(x.astype(DType.F32)).astype(d).toFloatArray(), got.toFloatArray(), d + " " + got);
        assertArrayEquals(got.toFloatArray(), Transforms.jit(f).apply(x).toFloatArray(), d + " jit");
      }
    }
  }

  @Test
  void domainEndsAndSpecialValues() {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    assertArrayEquals(new float[] {(float) (Math.PI / 2), (float) (-Math.PI / 2), Float.NaN, 0f, -0f},
        Array.of(1f, -1f, 1.0000001f, 0f, -0f).asin().toFloatArray());
    assertArrayEquals(new float[] {0f, (float) Math.PI, Float.NaN}, Array.of(1f, -1f, -1.5f).acos().toFloatArray());
    assertArrayEquals(new double[] {inf, -inf, nan, nan, 0, -0.0},
        Array.of(1.0, -1.0, 1.5, nan, 0.0, -0.0).atanh().toDoubleArray());
    assertArrayEquals(new double[] {0, nan, nan, inf}, Array.of(1.0, 0.5, -2.0, inf).acosh().toDoubleArray());
    // acosh and asinh past 2^28, where x^2 + 1 == x^2: log(2x); at f32's top the square overflows, not the result
    assertEquals(89.28999f, Array.of(3e38f).acosh().floatValue(), 1e-5);
    assertEquals(-89.28999f, Array.of(-3e38f).asinh().floatValue(), 1e-5);
    assertArrayEquals(new double[] {-inf, inf, -0.0}, Array.of(-inf, inf, -0.0).asinh().toDoubleArray());
    // sinh/cosh overflow to inf (JAX f32: sinh(89.5) = inf), as do exp
    assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY},
        Array.of(89.5f, -89.5f, -89.5f).sinh().mul(Array.of(1f, 1f, -1f)).toFloatArray());
    assertEquals(Float.POSITIVE_INFINITY, Array.of(-90f).cosh().floatValue());
    assertArrayEquals(new double[] {Math.PI / 2, -Math.PI / 2}, Array.of(inf, -inf).atan().toDoubleArray());
    assertTrue(Double.isNaN(Array.of(inf).tan().doubleValue()));
    // exp2 is exact at integers (JAX's f32 exp(ln 2 x) gives 8192.004 at 13)
    assertArrayEquals(new float[] {0.125f, 1f, 8192f, 1073741824f, 0f, Float.POSITIVE_INFINITY},
        Array.of(-3f, 0f, 13f, 30f, -200f, 200f).exp2().toFloatArray());
    assertArrayEquals(new float[] {-3f, 0f, 10f, Float.NEGATIVE_INFINITY, Float.NaN},
        Array.of(0.125f, 1f, 1024f, 0f, -1f).log2().toFloatArray());
    assertArrayEquals(new double[] {-2, 0, 3}, Array.of(0.01, 1.0, 1000.0).log10().toDoubleArray(), 1e-15);
  }

  @Test
  void hypotAvoidsOverflowAndHandlesInfAndZero() {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    assertArrayEquals(new float[] {5f, 5e30f, 5e-30f, 0f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN},
        Array.of(3f, 3e30f, 3e-30f, 0f, Float.NEGATIVE_INFINITY, Float.NaN, Float.NaN)
            .hypot(Array.of(-4f, 4e30f, 4e-30f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 1f)).toFloatArray());
    // broadcasting and weak scalars as the other binary ops
    assertArrayEquals(new double[] {5, Math.sqrt(32)}, Array.of(3.0, 4.0).hypot(Array.scalar(DType.F64, 4)).toDoubleArray(), 1e-15);
    assertTrue(Double.isNaN(Array.of(nan).hypot(Array.of(2.0)).doubleValue()));
    assertEquals(inf, Array.of(inf).hypot(Array.of(nan)).doubleValue());
  }

  @Test
  void isnanIsinfAndNanToNum() {
    Array x = Array.of(1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f);
    assertArrayEquals(new boolean[] {false, true, false, false, false}, x.isnan().toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, true, true, false}, x.isinf().toBooleanArray());
    assertArrayEquals(new boolean[] {false, false}, Array.of(1, 2).isnan().toBooleanArray());
    assertArrayEquals(new boolean[] {false, false}, Array.of(1, 2).isinf().toBooleanArray());
    assertArrayEquals(new float[] {1f, 0f, Float.MAX_VALUE, -Float.MAX_VALUE, -0f}, x.nanToNum().toFloatArray());
    assertArrayEquals(new float[] {1f, -1f, 7f, -7f, -0f}, x.nanToNum(-1, 7, -7).toFloatArray());
    assertArrayEquals(new double[] {Double.MAX_VALUE, -Double.MAX_VALUE},
        Array.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).nanToNum().toDoubleArray());
    // 16-bit: the dtype's own largest finite value (jnp.finfo(bfloat16).max, finfo(float16).max)
    assertEquals(65504f, Array.of(Float.POSITIVE_INFINITY).astype(DType.F16).nanToNum().floatValue());
    assertEquals(3.3895314e38f, Array.of(Float.POSITIVE_INFINITY).astype(DType.BF16).nanToNum().floatValue());
    Array ints = Array.of(3, -4);
    assertArrayEquals(new int[] {3, -4}, ints.nanToNum().toIntArray());
    // jit: the same graph
    assertArrayEquals(x.nanToNum().toFloatArray(), Transforms.jit((Array v) -> v.nanToNum()).apply(x).toFloatArray());
  }

  @Test
  void floorDivideRoundsTowardMinusInfinityAsNumpy() {
    // int32: Python's // (numpy), and XLA's x/0 = -1 corrected as jnp does (jnp gives -2 for -7 // 0)
    assertArrayEquals(new int[] {-4, -4, 3, -2, -1, 0, -1},
        Array.of(-7, 7, 7, -7, 0, 0, -1).floorDivide(Array.of(2, -2, 2, 0, 0, 5, 5)).toIntArray());
    assertArrayEquals(new int[] {2, -1}, Array.of(7, -1).floorDivide(3).toIntArray());
    // floats: numpy's divmod (7.0 // 0.1 is 69, not floor(70.00000000000001)); x // 0 is ±inf or NaN
    assertArrayEquals(new float[] {69f, -4f, 3f, -4f, Float.POSITIVE_INFINITY, Float.NaN},
        Array.of(7f, -7f, 7f, 7f, 1f, 0f).floorDivide(Array.of(0.1f, 2f, 2f, -2f, 0f, 0f)).toFloatArray());
    assertArrayEquals(new double[] {-3, 2}, Array.of(-5.5, 5.5).floorDivide(2.0).toDoubleArray());
    Array u = Array.of(DType.U32, new int[] {2}, 7, -1); // 4294967295
    assertArrayEquals(new int[] {3, Integer.divideUnsigned(-1, 2)}, u.floorDivide(Array.of(DType.U32, new int[] {2}, 2, 2)).toIntArray());
    var e = assertThrows(ShapeError.class, () -> Array.of(true).floorDivide(Array.of(false)));
    assertTrue(e.getMessage().contains("bool"), e.getMessage());
  }

  @Test
  void gradientsOfTheCompositionsAreJaxs() {
    // d/dx log2 = 1/(x ln 2), log10: 1/(x ln 10), hypot: x/r and y/r
    Array x = Array.of(0.5, 2.0, 8.0);
    assertArrayEquals(new double[] {2 / Math.log(2), 0.5 / Math.log(2), 0.125 / Math.log(2)},
        Transforms.grad((Array v) -> v.log2().sum()).apply(x).toDoubleArray(), 1e-14);
    assertArrayEquals(new double[] {2 / Math.log(10), 0.5 / Math.log(10), 0.125 / Math.log(10)},
        Transforms.grad((Array v) -> v.log10().sum()).apply(x).toDoubleArray(), 1e-14);
    Array y = Array.of(3.0, 0.0);
    Array z = Array.of(4.0, 2.0);
    assertArrayEquals(new double[] {0.6, 0}, Transforms.grad((Array v) -> v.hypot(z).sum()).apply(y).toDoubleArray(), 1e-15);
    // nan_to_num passes the gradient through where it keeps x, 0 where it replaced it
    Array w = Array.of(1.0, Double.NaN, Double.POSITIVE_INFINITY);
    assertArrayEquals(new double[] {2, 0, 0}, Transforms.grad((Array v) -> v.nanToNum().mul(2).sum()).apply(w).toDoubleArray());
  }
}
