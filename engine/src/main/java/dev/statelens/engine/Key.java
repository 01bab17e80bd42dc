package dev.statelens.engine;

import java.util.Objects;

/**
 * A threefry PRNG key, JAX's {@code jax.random.key}: two {@code uint32} words in a U32[2] array.
 * A record, so it is a pytree with one leaf and can be passed into and returned from
 * {@link Transforms#jit} functions like any array (the words are then traced).
 *
 * <p>Make keys with {@link Random#key(long)}, {@link Random#split} and {@link Random#foldIn};
 * {@link #of(int, int)} rebuilds one from saved {@link #data()}.
 *
 * @param keyData the key words, U32 with shape [2] ({@code jax.random.key_data(key)})
 */
public record Key(Array keyData) {

  public Key {
    Objects.requireNonNull(keyData, "keyData");
    if (keyData.dtype() != DType.U32 || keyData.ndim() != 1 || keyData.dim(0) != 2) {
      throw new IllegalArgumentException(
          "a Key holds a uint32 array of shape [2], got " + keyData.aval()
              + "; make keys with Random.key(seed), or Key.of(word0, word1) from saved key data");
    }
  }

  /** The key with these words ({@code jax.random.wrap_key_data}). */
  public static Key of(int word0, int word1) {
    return new Key(Array.of(DType.U32, new int[] {2}, word0, word1));
  }

  /**
   * The two unsigned words ({@code jax.random.key_data(key)}) as Java ints; use
   * {@link Integer#toUnsignedString(int)} to print them. Like {@link Array#toIntArray()} this
   * needs a concrete key: inside {@code jit} it raises {@link ConcretizationError}.
   */
  public int[] data() {
    return keyData.toIntArray();
  }

  @Override
  public String toString() {
    return "Key(" + keyData + ")";
  }
}
