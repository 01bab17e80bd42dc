package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The eager binary kernels have one loop per operand layout (both dense, scalar right, scalar
 * left); each must give the bits of the plain-Java reference on every special value — NaN wins in
 * max/min, +0 is above -0, infinities, overflow to infinity in f32.
 */
class BinaryLayoutsTest {
  private static final double[] VALUES = {
    Double.NaN, -0.0, 0.0, 1.5, -2.25, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3e38, -7e-39, 1e-3
  };

  static Stream<Arguments> ops() {
    return Stream.of(
        Arguments.of("add", (BinaryOperator<Array>) Array::add, (DoubleBinaryOperator) Double::sum),
        Arguments.of("sub", (BinaryOperator<Array>) Array::sub, (DoubleBinaryOperator) (a, b) -> a - b),
        Arguments.of("mul", (BinaryOperator<Array>) Array::mul, (DoubleBinaryOperator) (a, b) -> a * b),
        Arguments.of("div", (BinaryOperator<Array>) Array::div, (DoubleBinaryOperator) (a, b) -> a / b),
        Arguments.of("maximum", (BinaryOperator<Array>) Array::maximum, (DoubleBinaryOperator) Math::max),
        Arguments.of("minimum", (BinaryOperator<Array>) Array::minimum, (DoubleBinaryOperator) Math::min),
        Arguments.of("pow", (BinaryOperator<Array>) Array::pow, (DoubleBinaryOperator) Math::pow));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ops")
  void everyLayoutGivesTheReferenceBits(String name, BinaryOperator<Array> op, DoubleBinaryOperator ref) {
    for (DType dtype : new DType[] {DType.F32, DType.F64}) {
      double[] xs = dtype == DType.F32 ? asF32(VALUES) : VALUES;
      Array x = Array.of(dtype, new int[] {xs.length}, xs);
      for (double yv : xs) {
        Array y = Array.scalar(dtype, yv);
        double[] dense = op.apply(x, Array.of(dtype, new int[] {xs.length}, filled(xs.length, yv))).toDoubleArray();
        double[] right = op.apply(x, y).toDoubleArray();
        double[] left = op.apply(y, x).toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
          String where = name + " " + dtype + " of " + xs[i] + " and " + yv;
          assertBits(reference(ref, xs[i], yv, dtype), dense[i], where + " (both dense)");
          // x / scalar is XLA's x * (1/scalar) (ir.ReciprocalDivision), the reciprocal rounded in the dtype
          double rightRef = name.equals("div") ? reference((a, b) -> a * reciprocal(b, dtype), xs[i], yv, dtype)
              : reference(ref, xs[i], yv, dtype);
          assertBits(rightRef, right[i], where + " (scalar right)");
          assertBits(reference(ref, yv, xs[i], dtype), left[i], name + " " + dtype + " of " + yv + " and " + xs[i]
              + " (scalar left)");
        }
      }
    }
  }

  private static double reference(DoubleBinaryOperator ref, double a, double b, DType dtype) {
    double r = ref.applyAsDouble(a, b);
    return dtype == DType.F32 ? (float) r : r;
  }

  private static double reciprocal(double b, DType dtype) {
    return dtype == DType.F32 ? 1.0f / (float) b : 1.0 / b;
  }

  private static void assertBits(double expected, double actual, String where) {
    // doubleToLongBits folds NaN payloads (not specified by JAX) but keeps the sign of zero
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual),
        () -> where + ": expected " + expected + ", got " + actual);
  }

  private static double[] asF32(double[] v) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = (float) v[i];
    }
    return r;
  }

  private static double[] filled(int n, double v) {
    double[] r = new double[n];
    java.util.Arrays.fill(r, v);
    return r;
  }
}
