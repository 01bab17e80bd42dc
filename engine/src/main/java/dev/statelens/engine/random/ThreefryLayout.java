package dev.statelens.engine.random;

/**
 * How JAX lays threefry counters over an output, JAX's {@code jax_threefry_partitionable} flag.
 * Both layouts hash with the same {@link Threefry} block; they differ in which counters feed
 * which output element, so {@code split} and the random bits (hence every sampler) differ.
 */
public enum ThreefryLayout {

  /**
   * JAX's default since 0.5.0 ({@code jax_threefry_partitionable=True}): element {@code i} of a
   * flattened output of {@code n} elements hashes the counter {@code (i >>> 32, i)} alone, so
   * any slice can be computed without the rest. 32-bit bits are {@code word0 ^ word1}; 64-bit
   * bits are {@code word0 << 32 | word1}; split key {@code i} is the block itself, which makes
   * {@code split(key, n)[i] == fold_in(key, i)}.
   */
  PARTITIONABLE,

  /**
   * JAX before 0.5.0 ({@code jax_threefry_partitionable=False}): the counters
   * {@code 0 .. m-1} are cut into two halves that form the two input words of {@code m/2}
   * blocks, and the two output halves are concatenated. Kept so that values published for
   * older JAX versions can be reproduced and checked.
   */
  ORIGINAL
}
