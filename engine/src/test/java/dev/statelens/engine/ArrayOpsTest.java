package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every elementwise op against a plain-Java reference, in F32, F64 and the integer types. */
class ArrayOpsTest {
  private static final Random RNG = new Random(1234);

  private static double[] randoms(int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * RNG.nextDouble();
    }
    return v;
  }

  static Stream<Arguments> unaryFloatOps() {
    return Stream.of(
        Arguments.of("neg", (Function<Array, Array>) Array::neg, (DoubleUnaryOperator) x -> -x, -5, 5),
        Arguments.of("abs", (Function<Array, Array>) Array::abs, (DoubleUnaryOperator) Math::abs, -5, 5),
        Arguments.of("sign", (Function<Array, Array>) Array::sign, (DoubleUnaryOperator) Math::signum, -5, 5),
        Arguments.of("exp", (Function<Array, Array>) Array::exp, (DoubleUnaryOperator) Math::exp, -5, 5),
        Arguments.of("log", (Function<Array, Array>) Array::log, (DoubleUnaryOperator) Math::log, 0.01, 10),
        Arguments.of("tanh", (Function<Array, Array>) Array::tanh, (DoubleUnaryOperator) Math::tanh, -5, 5),
        Arguments.of("sqrt", (Function<Array, Array>) Array::sqrt, (DoubleUnaryOperator) Math::sqrt, 0, 10),
        Arguments.of("sin", (Function<Array, Array>) Array::sin, (DoubleUnaryOperator) Math::sin, -5, 5),
        Arguments.of("cos", (Function<Array, Array>) Array::cos, (DoubleUnaryOperator) Math::cos, -5, 5),
        Arguments.of("log1p", (Function<Array, Array>) Array::log1p, (DoubleUnaryOperator) Math::log1p, -0.5, 5),
        Arguments.of("expm1", (Function<Array, Array>) Array::expm1, (DoubleUnaryOperator) Math::expm1, -5, 5),
        Arguments.of("logistic", (Function<Array, Array>) Array::logistic,
            (DoubleUnaryOperator) x -> 1 / (1 + Math.exp(-x)), -20, 20),
        Arguments.of("floor", (Function<Array, Array>) Array::floor, (DoubleUnaryOperator) Math::floor, -5, 5),
        Arguments.of("square", (Function<Array, Array>) Array::square, (DoubleUnaryOperator) x -> x * x, -5, 5),
        Arguments.of("reciprocal", (Function<Array, Array>) Array::reciprocal, (DoubleUnaryOperator) x -> 1 / x, 0.1, 5),
        Arguments.of("rsqrt", (Function<Array, Array>) Array::rsqrt, (DoubleUnaryOperator) x -> 1 / Math.sqrt(x), 0.1, 5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unaryFloatOps")
  void unaryOpsMatchJavaMath(String name, Function<Array, Array> op, DoubleUnaryOperator ref, double lo, double hi) {
    double[] x = randoms(37, lo, hi);
    double[] out64 = op.apply(Array.of(x)).toDoubleArray();
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    Array r32 = op.apply(Array.of(xf));
    assertEquals(DType.F32, r32.dtype());
    float[] out32 = r32.toFloatArray();
    for (int i = 0; i < x.length; i++) {
      assertEquals(ref.applyAsDouble(x[i]), out64[i], 1e-12 * Math.max(1, Math.abs(out64[i])), name + "(" + x[i] + ")");
      assertEquals((float) ref.applyAsDouble(xf[i]), out32[i], 1e-6 * Math.max(1, Math.abs(out32[i])), name + " f32");
    }
  }

  static Stream<Arguments> binaryFloatOps() {
    return Stream.of(
        Arguments.of("add", (BiFunction<Array, Array, Array>) Array::add, (DoubleBinaryOperator) Double::sum),
        Arguments.of("sub", (BiFunction<Array, Array, Array>) Array::sub, (DoubleBinaryOperator) (a, b) -> a - b),
        Arguments.of("mul", (BiFunction<Array, Array, Array>) Array::mul, (DoubleBinaryOperator) (a, b) -> a * b),
        Arguments.of("div", (BiFunction<Array, Array, Array>) Array::div, (DoubleBinaryOperator) (a, b) -> a / b),
        Arguments.of("rem", (BiFunction<Array, Array, Array>) Array::rem, (DoubleBinaryOperator) (a, b) -> a % b),
        Arguments.of("pow", (BiFunction<Array, Array, Array>) (a, b) -> a.abs().pow(b),
            (DoubleBinaryOperator) (a, b) -> Math.pow(Math.abs(a), b)),
        Arguments.of("max", (BiFunction<Array, Array, Array>) Array::max, (DoubleBinaryOperator) Math::max),
        Arguments.of("min", (BiFunction<Array, Array, Array>) Array::min, (DoubleBinaryOperator) Math::min),
        Arguments.of("atan2", (BiFunction<Array, Array, Array>) Array::atan2, (DoubleBinaryOperator) Math::atan2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binaryFloatOps")
  void binaryOpsMatchJavaWithBroadcasting(String name, BiFunction<Array, Array, Array> op, DoubleBinaryOperator ref) {
    // [3,4] op [4]: row broadcast
    double[] a = randoms(12, -3, 3);
    double[] b = randoms(4, 0.5, 3);
    Array r = op.apply(Array.of(DType.F64, new int[] {3, 4}, a), Array.of(b));
    assertArrayEquals(new int[] {3, 4}, r.shape());
    double[] out = r.toDoubleArray();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(ref.applyAsDouble(a[i * 4 + j], b[j]), out[i * 4 + j], 1e-12, name);
      }
    }
    // [3,1] op [1,4]: both broadcast
    double[] c = randoms(3, -3, 3);
    Array r2 = op.apply(Array.of(DType.F64, new int[] {3, 1}, c), Array.of(DType.F64, new int[] {1, 4}, b));
    double[] out2 = r2.toDoubleArray();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(ref.applyAsDouble(c[i], b[j]), out2[i * 4 + j], 1e-12, name);
      }
    }
    // scalar on either side
    Array s = op.apply(Array.scalar(DType.F64, 1.5), Array.of(b));
    double[] out3 = s.toDoubleArray();
    for (int j = 0; j < 4; j++) {
      assertEquals(ref.applyAsDouble(1.5, b[j]), out3[j], 1e-12, name);
    }
  }

  static Stream<Arguments> intOps() {
    return Stream.of(
        Arguments.of("add", (BiFunction<Array, Array, Array>) Array::add, (IntBinaryOperator) Integer::sum),
        Arguments.of("sub", (BiFunction<Array, Array, Array>) Array::sub, (IntBinaryOperator) (a, b) -> a - b),
        Arguments.of("mul", (BiFunction<Array, Array, Array>) Array::mul, (IntBinaryOperator) (a, b) -> a * b),
        Arguments.of("div", (BiFunction<Array, Array, Array>) Array::div, (IntBinaryOperator) (a, b) -> b == 0 ? -1 : a / b),
        Arguments.of("rem", (BiFunction<Array, Array, Array>) Array::rem, (IntBinaryOperator) (a, b) -> b == 0 ? a : a % b),
        Arguments.of("max", (BiFunction<Array, Array, Array>) Array::max, (IntBinaryOperator) Math::max),
        Arguments.of("min", (BiFunction<Array, Array, Array>) Array::min, (IntBinaryOperator) Math::min),
        Arguments.of("and", (BiFunction<Array, Array, Array>) Array::bitwiseAnd, (IntBinaryOperator) (a, b) -> a & b),
        Arguments.of("or", (BiFunction<Array, Array, Array>) Array::bitwiseOr, (IntBinaryOperator) (a, b) -> a | b),
        Arguments.of("xor", (BiFunction<Array, Array, Array>) Array::bitwiseXor, (IntBinaryOperator) (a, b) -> a ^ b));
  }

  @ParameterizedTest(name = "i32 {0}")
  @MethodSource("intOps")
  void int32OpsMatchJavaIncludingEdgeCases(String name, BiFunction<Array, Array, Array> op, IntBinaryOperator ref) {
    int[] a = {7, -7, 0, Integer.MIN_VALUE, Integer.MAX_VALUE, 5, -1, 123456};
    int[] b = {2, 2, 3, -1, 2, 0, 7, -1000};
    int[] out = op.apply(Array.of(a), Array.of(b)).toIntArray();
    for (int i = 0; i < a.length; i++) {
      assertEquals(ref.applyAsInt(a[i], b[i]), out[i], name + "(" + a[i] + ", " + b[i] + ")");
    }
  }

  @Test
  void integerDivisionTruncatesLikeLaxDiv() {
    assertArrayEquals(new int[] {3, -3, -3, 3}, Array.of(7, -7, 7, -7).div(Array.of(2, 2, -2, -2)).toIntArray());
    assertArrayEquals(new int[] {1, -1, 1, -1}, Array.of(7, -7, 7, -7).rem(Array.of(2, 2, -2, -2)).toIntArray());
    assertEquals(DType.I32, Array.of(7, 8).div(2).dtype());
  }

  @Test
  void integerPowerBySquaring() {
    assertArrayEquals(new int[] {1, 2, 1024, 0, 1, -1}, Array.of(5, 2, 2, 2, 1, -1).pow(Array.of(0, 1, 10, -1, -3, 3)).toIntArray());
  }

  @Test
  void u32UsesUnsignedSemantics() {
    Array big = Array.of(DType.U32, new int[] {3}, 0xFFFFFFFE, 10, 0x80000000);
    Array two = Array.of(DType.U32, new int[] {3}, 2, 3, 1);
    assertArrayEquals(new int[] {0x7FFFFFFF, 3, 0x80000000}, big.div(two).toIntArray());
    assertArrayEquals(new int[] {0, 1, 0}, big.rem(two).toIntArray());
    assertArrayEquals(new boolean[] {true, true, true}, big.gt(two).toBooleanArray());
    assertArrayEquals(new int[] {0xFFFFFFFE, 10, 0x80000000}, big.max(two).toIntArray());
    assertEquals(4294967294.0, big.get(0).item());
    assertArrayEquals(new float[] {4294967294f, 10f, 2147483648f}, big.toFloatArray());
    assertArrayEquals(new int[] {0x7FFFFFFF, 5, 0x40000000}, big.shiftRightLogical(1).toIntArray());
    assertEquals(DType.U32, big.add(1).dtype());
    assertEquals(0, Array.scalar(DType.U32, -1).add(1).intValue(), "u32 wraps");
    assertEquals(4294967295.0, Array.scalar(DType.U32, -1).max().item(), "max over u32 is unsigned");
    assertEquals(4294967295.0, Array.scalar(DType.U32, -1).astype(DType.F64).item());
  }

  @Test
  void shiftsOfThirtyTwoOrMoreFollowXla() {
    Array x = Array.of(-8, -8, 1, 1);
    Array s = Array.of(1, 40, 31, 32);
    assertArrayEquals(new int[] {-16, 0, Integer.MIN_VALUE, 0}, x.shiftLeft(s).toIntArray());
    assertArrayEquals(new int[] {-4, -1, 0, 0}, x.shiftRightArithmetic(s).toIntArray());
    assertArrayEquals(new int[] {0x7FFFFFFC, 0, 0, 0}, x.shiftRightLogical(s).toIntArray());
  }

  @Test
  void comparisonsGiveBool() {
    Array a = Array.of(1f, 2f, 3f, Float.NaN);
    Array b = Array.of(2f, 2f, 2f, 2f);
    assertEquals(DType.BOOL, a.lt(b).dtype());
    assertArrayEquals(new boolean[] {true, false, false, false}, a.lt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, false, false}, a.le(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, true, false}, a.gt(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true, false}, a.ge(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, false, false}, a.eq(b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, false, true, true}, a.ne(b).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, false, false}, a.eq(2).toBooleanArray());
  }

  @Test
  void logicalOps() {
    Array t = Array.of(true, true, false, false);
    Array f = Array.of(true, false, true, false);
    assertArrayEquals(new boolean[] {true, false, false, false}, t.logicalAnd(f).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, true, false}, t.logicalOr(f).toBooleanArray());
    assertArrayEquals(new boolean[] {false, true, true, false}, t.logicalXor(f).toBooleanArray());
    assertArrayEquals(new boolean[] {false, false, true, true}, t.logicalNot().toBooleanArray());
    assertArrayEquals(new int[] {~5}, Array.of(5).bitwiseNot().toIntArray());
    ShapeError e = org.junit.jupiter.api.Assertions.assertThrows(ShapeError.class, () -> Array.of(1, 2).logicalAnd(Array.of(1, 0)));
    assertTrue(e.getMessage().contains("logicalAnd") && e.getMessage().contains("bool"), e.getMessage());
  }

  @Test
  void nanAndSpecialValues() {
    Array x = Array.of(Float.NaN, 1f, Float.POSITIVE_INFINITY, -0f);
    assertTrue(Float.isNaN(x.max(Array.of(0f, 0f, 0f, 0f)).toFloatArray()[0]), "max propagates NaN");
    assertTrue(Float.isNaN(x.min(Array.of(0f, 0f, 0f, 0f)).toFloatArray()[0]), "min propagates NaN");
    assertArrayEquals(new boolean[] {false, true, false, true}, x.isFinite().toBooleanArray());
    assertEquals(0, x.argmax().intValue(), "argmax returns the first NaN");
    assertArrayEquals(new float[] {0f, 1f, 1f, 0f}, Array.of(-1f, 1f, 10f, -0.1f).maximum(0).sign().toFloatArray());
  }

  @Test
  void whereSelectsAndBroadcasts() {
    Array c = Array.of(true, false, true);
    assertArrayEquals(new float[] {1, 20, 3}, Array.where(c, Array.of(1f, 2f, 3f), Array.of(10f, 20f, 30f)).toFloatArray());
    Array r = Array.where(Array.of(DType.BOOL, new int[] {2, 1}, true, false), Array.of(1f, 2f), Array.scalar(0));
    assertArrayEquals(new int[] {2, 2}, r.shape());
    assertArrayEquals(new float[] {1, 2, 0, 0}, r.toFloatArray());
    assertArrayEquals(new float[] {0, 2, 0}, Array.where(Array.of(1f, 2f, 3f).eq(2), Array.of(1f, 2f, 3f), 0).toFloatArray());
  }

  @Test
  void roundAndCeil() {
    assertArrayEquals(new float[] {1, -1, 3, -3, 0}, Array.of(0.5f, -0.5f, 2.5f, -2.5f, 0.2f).round().toFloatArray());
    assertArrayEquals(new float[] {1, -0f, 3}, Array.of(0.5f, -0.5f, 2.5f).ceil().toFloatArray());
  }
}
