package dev.statelens.engine.random;

import java.util.Objects;

/**
 * The Threefry-2x32 block hash with 20 rounds, bit for bit as JAX computes it
 * ({@code jax._src.prng._threefry2x32_lowering}, itself Random123's {@code threefry2x32_20}).
 *
 * <p>A block maps a 64-bit key {@code (key0, key1)} and a 64-bit counter {@code (x0, x1)} to two
 * 32-bit words. Words are Java {@code int}s holding unsigned 32-bit values; the arithmetic wraps
 * modulo 2<sup>32</sup> exactly like {@code uint32} in XLA, so no masking is needed.
 *
 * <p>The scalar form returns both words packed in one {@code long} (see {@link #word0} and
 * {@link #word1}) so that the bulk loops allocate nothing.
 */
public final class Threefry {

  /** Rounds per block: JAX and Random123's default {@code threefry2x32_20}. */
  public static final int ROUNDS = 20;

  /** Skein key-schedule parity constant: the third key word is {@code key0 ^ key1 ^ PARITY}. */
  static final int KEY_SCHEDULE_PARITY = 0x1BD11BDA;

  private Threefry() {}

  /**
   * Hashes one counter block.
   *
   * @return the two output words packed as {@code (word0 << 32) | word1}
   */
  public static long hash(int key0, int key1, int x0, int x1) {
    int key2 = key0 ^ key1 ^ KEY_SCHEDULE_PARITY;
    x0 += key0;
    x1 += key1;
    // Each group of four rounds is followed by a key injection; rotations alternate between
    // (13, 15, 26, 6) and (17, 29, 16, 24), and the injection adds the group number to word 1.
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += key1;
    x1 += key2 + 1;
    x0 += x1; x1 = Integer.rotateLeft(x1, 17) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 29) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 16) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 24) ^ x0;
    x0 += key2;
    x1 += key0 + 2;
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += key0;
    x1 += key1 + 3;
    x0 += x1; x1 = Integer.rotateLeft(x1, 17) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 29) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 16) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 24) ^ x0;
    x0 += key1;
    x1 += key2 + 4;
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += key2;
    x1 += key0 + 5;
    return ((long) x0 << 32) | (x1 & 0xFFFF_FFFFL);
  }

  /** First output word of a block returned by {@link #hash(int, int, int, int)}. */
  public static int word0(long block) {
    return (int) (block >>> 32);
  }

  /** Second output word of a block returned by {@link #hash(int, int, int, int)}. */
  public static int word1(long block) {
    return (int) block;
  }

  /**
   * Hashes {@code x0.length} blocks under one key: {@code (out0[i], out1[i]) = hash(key, (x0[i],
   * x1[i]))}. This is the {@code threefry2x32} primitive with scalar key words.
   */
  public static void hash(int key0, int key1, int[] x0, int[] x1, int[] out0, int[] out1) {
    requireSameLength(x0, x1, out0, out1);
    hash(key0, key1, x0, x1, out0, out1, 0, x0.length);
  }

  /**
   * Hashes the blocks {@code from} (inclusive) to {@code to} (exclusive) only, so that a kernel
   * can split one large request over several threads.
   */
  public static void hash(
      int key0, int key1, int[] x0, int[] x1, int[] out0, int[] out1, int from, int to) {
    requireSameLength(x0, x1, out0, out1);
    Objects.checkFromToIndex(from, to, x0.length);
    for (int i = from; i < to; i++) {
      long block = hash(key0, key1, x0[i], x1[i]);
      out0[i] = word0(block);
      out1[i] = word1(block);
    }
  }

  /**
   * Hashes blocks whose key words vary per element too (a batch of keys, as under {@code vmap}):
   * {@code (out0[i], out1[i]) = hash((key0[i], key1[i]), (x0[i], x1[i]))}.
   */
  public static void hash(
      int[] key0, int[] key1, int[] x0, int[] x1, int[] out0, int[] out1) {
    requireSameLength(x0, x1, out0, out1);
    if (key0.length != x0.length || key1.length != x0.length) {
      throw new IllegalArgumentException(
          "threefry2x32: key words have lengths " + key0.length + " and " + key1.length
              + " but there are " + x0.length + " counters; broadcast the keys to the counters'"
              + " shape first, or use the scalar-key form");
    }
    for (int i = 0; i < x0.length; i++) {
      long block = hash(key0[i], key1[i], x0[i], x1[i]);
      out0[i] = word0(block);
      out1[i] = word1(block);
    }
  }

  private static void requireSameLength(int[] x0, int[] x1, int[] out0, int[] out1) {
    if (x1.length != x0.length || out0.length != x0.length || out1.length != x0.length) {
      throw new IllegalArgumentException(
          "threefry2x32: counter and output arrays must have one length, got x0=" + x0.length
              + ", x1=" + x1.length + ", out0=" + out0.length + ", out1=" + out1.length);
    }
  }
}
