package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The branch-free comparison and select loops (eager kernels and fused groups) against Java's own
 * operators on every pair of special values: NaN (comparisons false except !=), -0.0 == 0.0,
 * infinities, and select returning exactly one operand's bits (NaN payloads, the sign of zero).
 * Sizes cover a partial block and several blocks of {@link FusedElementwise#BLOCK}.
 */
class CompareSelectKernelTest {
  private static final double[] SPECIAL = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), -0.0, 0.0,
      1.0, -1.0, 1e-300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.5, -2.25};

  /** On primitives: a boxed BiPredicate<Double, Double> would compare references. */
  interface DoubleTest {
    boolean test(double a, double b);
  }

  enum Cmp {
    EQ((x, y) -> x.eq(y), (a, b) -> a == b), NE((x, y) -> x.ne(y), (a, b) -> a != b),
    LT((x, y) -> x.lt(y), (a, b) -> a < b), LE((x, y) -> x.le(y), (a, b) -> a <= b),
    GT((x, y) -> x.gt(y), (a, b) -> a > b), GE((x, y) -> x.ge(y), (a, b) -> a >= b);

    final BinaryOperator<Array> op;
    final DoubleTest java;

    Cmp(BinaryOperator<Array> op, DoubleTest java) {
      this.op = op;
      this.java = java;
    }
  }

  /** Every (a, b) pair of the special values, repeated to {@code n} elements. */
  private static double[][] pairs(int n) {
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      int k = i % (SPECIAL.length * SPECIAL.length);
      a[i] = SPECIAL[k / SPECIAL.length];
      b[i] = SPECIAL[k % SPECIAL.length];
    }
    return new double[][] {a, b};
  }

  @ParameterizedTest
  @EnumSource(Cmp.class)
  void comparisonsMatchJavaOperatorsEagerFusedAndOnScalars(Cmp cmp) {
    for (DType dt : new DType[] {DType.F64, DType.F32}) {
      for (int n : new int[] {121, 1000}) {
        double[][] ab = pairs(n);
        Array x = Array.of(DType.F64, new int[] {n}, ab[0]).astype(dt);
        Array y = Array.of(DType.F64, new int[] {n}, ab[1]).astype(dt);
        boolean[] eager = cmp.op.apply(x, y).toBooleanArray();
        // fused: the comparison feeds a select, so it runs inside the fused group's registers
        BiFunction<Array, Array, Array> fused = Transforms.jit((Array u, Array v) ->
            Array.where(cmp.op.apply(u, v), Array.scalar(1.0).astype(dt), 0.0));
        float[] viaSelect = fused.apply(x, y).astype(DType.F32).toFloatArray();
        for (int i = 0; i < n; i++) {
          double a = dt == DType.F32 ? (float) ab[0][i] : ab[0][i];
          double b = dt == DType.F32 ? (float) ab[1][i] : ab[1][i];
          boolean want = cmp.java.test(a, b);
          assertEquals(want, eager[i], cmp + " " + dt + " eager " + a + " vs " + b);
          assertEquals(want ? 1f : 0f, viaSelect[i], cmp + " " + dt + " fused " + a + " vs " + b);
        }
        // a scalar right operand (stride 0 in the eager kernel)
        boolean[] vsZero = cmp.op.apply(x, Array.scalar(0.0).astype(dt)).toBooleanArray();
        for (int i = 0; i < n; i++) {
          double a = dt == DType.F32 ? (float) ab[0][i] : ab[0][i];
          assertEquals(cmp.java.test(a, 0.0), vsZero[i], cmp + " " + dt + " vs scalar 0: " + a);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F64"})
  void selectReturnsExactlyOneOperandsBits(DType dt) {
    int n = 700;
    double[][] ab = pairs(n);
    boolean[] w = new boolean[n];
    for (int i = 0; i < n; i++) {
      w[i] = (i * 7 + i / 3) % 2 == 0;
    }
    Array cond = Array.of(DType.BOOL, new int[] {n}, w);
    Array x = Array.of(DType.F64, new int[] {n}, ab[0]).astype(dt);
    Array y = Array.of(DType.F64, new int[] {n}, ab[1]).astype(dt);
    Array eager = Array.where(cond, x, y);
    Array fused = Transforms.jit((Array c, Array u, Array v) -> Array.where(c, u.neg(), v.neg()).neg()).apply(cond, x, y);
    Array relu = Transforms.jit((Array u) -> dev.statelens.engine.Nn.relu(u)).apply(x);
    for (Array r : new Array[] {eager, fused}) {
      for (int i = 0; i < n; i++) {
        Array want = w[i] ? x : y;
        assertEquals(bits(want, i), bits(r, i), dt + " select at " + i);
      }
    }
    for (int i = 0; i < n; i++) {
      double a = dt == DType.F32 ? (float) ab[0][i] : ab[0][i];
      long want = a <= 0 ? bits(Array.scalar(0.0).astype(dt), 0) : bits(x, i);
      assertEquals(want, bits(relu, i), dt + " relu of " + a);
    }
  }

  private static long bits(Array a, int i) {
    return a.dtype() == DType.F32 ? Float.floatToRawIntBits(a.toFloatArray()[i])
        : Double.doubleToRawLongBits(a.toDoubleArray()[i]);
  }
}
