package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Java numbers typed as JAX types Python scalars (docs/sharp-bits.md, "Type promotion"): which
 * overload Java picks, and the numbers that join an array in its own dtype ({@code at(i).set},
 * {@code pad}, {@code fillDiagonal}). The operators' results are checked against real JAX in the
 * {@code weak/} reference cases; the values here are JAX 0.10.2's on the CPU, in the comments.
 */
class WeakScalarsTest {

  @Test
  void javaPicksTheLongOverloadForIntegralTypesAndTheDoubleOneForFloatingTypes() {
    Array i = Array.arange(3);
    Integer boxed = 2;
    long asLong = 2;
    char c = 2;
    short s = 2;
    float f = 2;
    Double boxedDouble = 2.0;
    assertEquals(DType.I32, i.add(boxed).dtype());
    assertEquals(DType.I32, i.add(asLong).dtype());
    assertEquals(DType.I32, i.add(c).dtype());
    assertEquals(DType.I32, i.add(s).dtype());
    assertEquals(DType.F32, i.add(f).dtype());
    assertEquals(DType.F32, i.add(boxedDouble).dtype());
    assertEquals(DType.I32, i.rsub(1).dtype()); // 1 - jnp.arange(3) -> int32
    assertEquals(DType.F32, i.rdiv(1.0).dtype()); // 1.0 / jnp.arange(3) -> float32
    assertEquals(DType.BOOL, i.lt(1.5).dtype()); // comparisons stay bool
  }

  /** Engine code that meant an int with an integral double (x.mul(0.0), where(c, 0.0, x)) now writes an int. */
  @Test
  void engineFunctionsKeepAnIntegerArraysDtypeWhereJaxDoes() {
    Array relu = Nn.relu(Array.of(-1, 0, 2)); // jax.nn.relu(jnp.array([-1, 0, 2])) -> int32 [0 0 2]
    assertEquals(DType.I32, relu.dtype());
    assertArrayEquals(new int[] {0, 0, 2}, relu.toIntArray());
    assertThrows(RuntimeException.class, () -> Lax.zeta(Array.of(2, 3), Array.of(1, 2))); // lax.zeta on int32: refused
  }

  @Test
  void aNumberJoiningAnArrayInItsOwnDtypeConvertsAsJaxDoes() {
    Array i = Array.of(0, 1, 2);
    // jnp.arange(3).at[0].set(2.5) -> [2 1 2]; .at[0].set(1e10) -> [2147483647 1 2] (a float saturates)
    assertArrayEquals(new int[] {2, 1, 2}, i.at(0).set(2.5).toIntArray());
    assertArrayEquals(new int[] {Integer.MAX_VALUE, 1, 2}, i.at(0).set(1e10).toIntArray());
    assertArrayEquals(new int[] {Integer.MIN_VALUE, 1, 2}, i.at(0).set(-1e10).toIntArray());
    assertArrayEquals(new int[] {7, 1, 2}, i.at(0).add(7).toIntArray());
    // jnp.arange(3, dtype=jnp.uint32).at[0].set(-1) -> [4294967295 1 2] (an int wraps into uint32)
    assertEquals(4294967295.0, i.astype(DType.U32).at(0).set(-1).sliceAxis(0, 0, 1).reshape().item());
    // jnp.ones(3).at[0].set(2**40) and jnp.arange(3).at[0].add(2**40) -> OverflowError
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> Array.ones(3).at(0).set(1L << 40));
    assertTrue(big.getMessage().startsWith("at(...).set: the Java integer 1099511627776"), big.getMessage());
    assertThrows(IllegalArgumentException.class, () -> i.at(0).add(1L << 40));
    assertEquals(1e20f, Array.ones(3).at(0).set(1e20).max().floatValue()); // jnp.ones(3).at[0].set(1e20)
    // jnp.pad(jnp.arange(3), 1, constant_values=2.5) -> [2 0 1 2 2]; constant_values=2**40 -> OverflowError
    assertArrayEquals(new int[] {2, 0, 1, 2, 2}, i.pad(new int[][] {{1, 1}}, 2.5).toIntArray());
    assertArrayEquals(new int[] {Integer.MAX_VALUE, 0, 1, 2, Integer.MAX_VALUE}, i.pad(new int[][] {{1, 1}}, 1e10).toIntArray());
    assertThrows(IllegalArgumentException.class, () -> i.pad(new int[][] {{1, 1}}, 1L << 40));
    // jnp.fill_diagonal(jnp.zeros((2, 2), jnp.int32), 2**40, inplace=False) -> OverflowError
    assertThrows(IllegalArgumentException.class, () -> Indices.fillDiagonal(Array.zeros(DType.I32, 2, 2), 1L << 40));
    assertArrayEquals(new int[] {3, 0, 0, 3}, Indices.fillDiagonal(Array.zeros(DType.I32, 2, 2), 3.9).toIntArray());
  }
}
