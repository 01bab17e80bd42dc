package dev.statelens.engine.random;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThreefryTest {

  /**
   * Known answers of Random123's threefry2x32_20 (Random123-Boost libs/random/test/
   * test_threefry.cpp lines 30-32), the same three vectors JAX checks in tests/random_test.py
   * testThreefry2x32.
   */
  @Test
  void matchesRandom123KnownAnswers() {
    assertBlock(0, 0, 0, 0, 0x6b200159, 0x99ba4efe);
    assertBlock(-1, -1, -1, -1, 0x1cb996fc, 0xbb002be7);
    assertBlock(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0);
  }

  private static void assertBlock(int k0, int k1, int x0, int x1, int expect0, int expect1) {
    long block = Threefry.hash(k0, k1, x0, x1);
    assertEquals(Integer.toHexString(expect0), Integer.toHexString(Threefry.word0(block)));
    assertEquals(Integer.toHexString(expect1), Integer.toHexString(Threefry.word1(block)));
  }

  /** JAX's testThreefry2x32Large: many copies of one counter all hash to the known answer. */
  @Test
  void bulkFormHashesEveryBlockAlike() {
    int n = 100_000;
    int[] x0 = new int[n];
    int[] x1 = new int[n];
    Arrays.fill(x0, 0x243f6a88);
    Arrays.fill(x1, 0x85a308d3);
    int[] out0 = new int[n];
    int[] out1 = new int[n];
    Threefry.hash(0x13198a2e, 0x03707344, x0, x1, out0, out1);
    assertTrue(Arrays.stream(out0).allMatch(w -> w == 0xc4923a9c));
    assertTrue(Arrays.stream(out1).allMatch(w -> w == 0x483df7a0));
  }

  @Test
  void bulkFormsAgreeWithScalarForm() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 1000;
    int[] x0 = random.ints(n).toArray();
    int[] x1 = random.ints(n).toArray();
    int[] k0 = random.ints(n).toArray();
    int[] k1 = random.ints(n).toArray();
    int[] out0 = new int[n];
    int[] out1 = new int[n];
    int[] perKey0 = new int[n];
    int[] perKey1 = new int[n];
    Threefry.hash(k0[0], k1[0], x0, x1, out0, out1);
    Threefry.hash(k0, k1, x0, x1, perKey0, perKey1);
    for (int i = 0; i < n; i++) {
      long sameKey = Threefry.hash(k0[0], k1[0], x0[i], x1[i]);
      assertEquals(Threefry.word0(sameKey), out0[i]);
      assertEquals(Threefry.word1(sameKey), out1[i]);
      long ownKey = Threefry.hash(k0[i], k1[i], x0[i], x1[i]);
      assertEquals(Threefry.word0(ownKey), perKey0[i]);
      assertEquals(Threefry.word1(ownKey), perKey1[i]);
    }
  }

  @Test
  void rangeFormWritesOnlyItsRange() {
    int[] x = {1, 2, 3, 4, 5};
    int[] out0 = new int[5];
    int[] out1 = new int[5];
    Threefry.hash(3, 4, x, x, out0, out1, 1, 3);
    assertEquals(0, out0[0]);
    assertEquals(0, out0[3]);
    assertEquals(Threefry.word0(Threefry.hash(3, 4, 2, 2)), out0[1]);
    assertEquals(Threefry.word1(Threefry.hash(3, 4, 3, 3)), out1[2]);
  }

  /** JAX's testThreefry2x32Empty: empty inputs give empty outputs. */
  @Test
  void emptyInputIsFine() {
    int[] empty = new int[0];
    assertDoesNotThrow(() -> Threefry.hash(1, 2, empty, empty, empty, empty));
  }

  @Test
  void mismatchedLengthsAreRejectedWithAClearMessage() {
    IllegalArgumentException error =
        assertThrows(
            IllegalArgumentException.class,
            () -> Threefry.hash(0, 0, new int[3], new int[2], new int[3], new int[3]));
    assertTrue(error.getMessage().contains("x1=2"), error.getMessage());
    IllegalArgumentException keys =
        assertThrows(
            IllegalArgumentException.class,
            () -> Threefry.hash(new int[1], new int[1], new int[2], new int[2], new int[2], new int[2]));
    assertTrue(keys.getMessage().contains("broadcast the keys"), keys.getMessage());
  }
}
