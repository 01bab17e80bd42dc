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
 * <p>A Key can also hold a batch of keys, data {@code [..., 2]} — JAX's key array of shape
 * {@code [...]} — which is what {@code Transforms.vmap} returns for a pytree holding a key (e.g. the
 * optimizer state of {@code vmap(opt::init)} for {@code Optim.noisySgd}: one key per member). Inside
 * {@code vmap} each member sees its own key; {@link Random}'s functions take one key and refuse a
 * batch, naming the fix.
 *
 * @param keyData the key words, U32 with shape [2] ({@code jax.random.key_data(key)}), or [..., 2] for a batch
 */
public record Key(Array keyData) {

  public Key {
    Objects.requireNonNull(keyData, "keyData");
    if (keyData.dtype() != DType.U32 || keyData.ndim() < 1 || keyData.dim(keyData.ndim() - 1) != 2) {
      throw new IllegalArgumentException(
          "a Key holds a uint32 array of shape [2], got " + keyData.aval()
              + " (a batch of keys: [..., 2]); make keys with Random.key(seed), or Key.of(word0, word1) from saved key data");
    }
  }

  /**
   * The two words of this single key, for {@link Random}'s samplers; a batch of keys is refused:
   * a draw takes one key (JAX: "split accepts a single key").
   */
  Array[] words(String function) {
    if (keyData.ndim() != 1) {
      throw new IllegalArgumentException(
          function + ": the key is a batch of keys (key data " + keyData.aval() + ", e.g. a vmap(init) state's), and a"
              + " draw takes one key; call it inside Transforms.vmap over the batch (each member gets its own key), or"
              + " pick one member's key first");
    }
    return new Array[] {keyData.get(0), keyData.get(1)};
  }

  /** The key with these words ({@code jax.random.wrap_key_data}). */
  public static Key of(int word0, int word1) {
    return new Key(Array.of(DType.U32, new int[] {2}, word0, word1));
  }

  /**
   * The two unsigned words ({@code jax.random.key_data(key)}) as Java ints (a batch: two per key, in order); use
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
