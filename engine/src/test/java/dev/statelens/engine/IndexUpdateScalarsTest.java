package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every Java-number overload of {@code x.at(i)} — set, add, mul, min, max, each with a long and a
 * double — converts the number as JAX converts a Python scalar into the array's dtype: an int must
 * fit in int32 and wraps into u32, a float goes through f32 and truncates or saturates into an
 * integer dtype, overflows to inf in f16. Expected values printed by real JAX 0.10.2
 * ({@code jnp.arange(3).at[1].mul(2.5)} and so on); WeakScalarsTest covers set and add further.
 */
class IndexUpdateScalarsTest {
  private static final Array I = Array.arange(3);
  private static final Array U = I.astype(DType.U32);

  @Test
  void integerArraysTakeTheNumberConvertedFirst() {
    assertArrayEquals(new int[] {0, 2, 2}, I.at(1).mul(2.5).toIntArray()); // 2.5 -> 2, then 1 * 2
    assertArrayEquals(new int[] {0, 2, 2}, I.at(1).mul(2).toIntArray());
    assertArrayEquals(new int[] {Integer.MIN_VALUE, 1, 2}, I.at(0).min(-1e10).toIntArray());
    assertArrayEquals(new int[] {-3, 1, 2}, I.at(0).min(-3).toIntArray());
    assertArrayEquals(new int[] {Integer.MAX_VALUE, 1, 2}, I.at(0).max(1e10).toIntArray());
    assertArrayEquals(new int[] {7, 1, 2}, I.at(0).max(7).toIntArray());
    assertArrayEquals(new int[] {0, 2, 2}, I.at(1).max(2.9).toIntArray()); // 2.9 -> 2
  }

  @Test
  void unsignedArraysWrapAnIntAndClampAFloat() {
    // JAX: [4294967295 1 2], [0 4294967295 2], [4294967295 1 2], [0 1 0]
    assertEquals(4294967295.0, U.at(0).add(-1).astype(DType.F64).toDoubleArray()[0]);
    assertEquals(4294967295.0, U.at(1).mul(-1).astype(DType.F64).toDoubleArray()[1]);
    assertEquals(4294967295.0, U.at(0).max(-1).astype(DType.F64).toDoubleArray()[0]);
    assertArrayEquals(new double[] {0, 1, 0}, U.at(2).min(-1.5).astype(DType.F64).toDoubleArray(), 0);
  }

  @Test
  void floatArraysAndTheInt32Limit() {
    Array h = Array.ones(DType.F16, 3);
    assertEquals(Double.POSITIVE_INFINITY, h.at(0).set(70000).astype(DType.F64).toDoubleArray()[0]); // JAX: [inf 1. 1.]
    assertArrayEquals(new double[] {1, 1, 1}, h.at(0).add(1e-4).astype(DType.F64).toDoubleArray(), 0);
    assertArrayEquals(new double[] {3, 1, 1}, h.at(0).mul(3).astype(DType.F64).toDoubleArray(), 0);
    // JAX: OverflowError: Python int 1099511627776 too large to convert to int32
    var big = assertThrows(IllegalArgumentException.class, () -> I.at(0).max(1L << 40));
    assertTrue(big.getMessage().startsWith("at(...).max: the Java integer 1099511627776"), big.getMessage());
  }
}
