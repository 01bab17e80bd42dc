package dev.statelens.engine.random;

/**
 * The two {@code uint32} words of a threefry2x32 key, what {@code jax.random.key_data(key)}
 * returns. Words are Java {@code int}s holding unsigned values; print them with
 * {@link #toString()} or {@link Integer#toUnsignedString(int)}.
 *
 * @param word0 the first word ({@code key_data(key)[0]}; the high half of a 64-bit seed)
 * @param word1 the second word ({@code key_data(key)[1]}; the low half of the seed)
 */
public record KeyData(int word0, int word1) {

  /** {@code jax.random.key(seed)} for a 32-bit seed: {@code [0, seed]}, as JAX for int32 seeds. */
  public static KeyData fromSeed(int seed) {
    return new KeyData(0, seed);
  }

  /**
   * {@code jax.random.key(seed)} for a 64-bit seed: {@code [seed >>> 32, seed & 0xFFFFFFFF]}, as
   * JAX with {@code jax_enable_x64} for int64 seeds. For seeds in {@code [0, 2^31)} this equals
   * {@link #fromSeed(int)}; for negative seeds the high word is {@code 0xFFFFFFFF}.
   */
  public static KeyData fromSeed(long seed) {
    return new KeyData((int) (seed >>> 32), (int) seed);
  }

  /** The words as a new {@code int[2]}. */
  public int[] toArray() {
    return new int[] {word0, word1};
  }

  /** The key data as JAX prints it, e.g. {@code [0 42]}. */
  @Override
  public String toString() {
    return "[" + Integer.toUnsignedString(word0) + " " + Integer.toUnsignedString(word1) + "]";
  }
}
