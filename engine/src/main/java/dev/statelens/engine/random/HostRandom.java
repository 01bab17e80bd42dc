package dev.statelens.engine.random;

import java.util.Objects;

/**
 * JAX's threefry {@code jax.random} functions on plain Java arrays, computed on the host without
 * tracing. Outputs are flattened in row-major order: a result "of size n" is JAX's result for any
 * shape with n elements, reshaped to one dimension (the bits depend only on the element count).
 *
 * <p>{@code dev.statelens.engine.Random} builds the same computations from traced array
 * operations so that they also run under {@code jit}; this class is their reference, usable by
 * itself wherever plain arrays suffice (test data, initial parameters).
 *
 * <p>Each method says which JAX function it reproduces. Where JAX's result depends on the
 * {@linkplain ThreefryLayout layout}, {@link #PARTITIONABLE} is JAX's current default.
 */
public final class HostRandom {

  /** JAX's default layout since 0.5.0 ({@code jax_threefry_partitionable=True}). */
  public static final HostRandom PARTITIONABLE = new HostRandom(ThreefryLayout.PARTITIONABLE);

  /** JAX's layout before 0.5.0 ({@code jax_threefry_partitionable=False}). */
  public static final HostRandom ORIGINAL = new HostRandom(ThreefryLayout.ORIGINAL);

  private static final float SQRT2_F32 = (float) Math.sqrt(2.0);
  private static final double SQRT2_F64 = Math.sqrt(2.0);
  private static final long UINT32_MASK = 0xFFFF_FFFFL;

  private final ThreefryLayout layout;

  private HostRandom(ThreefryLayout layout) {
    this.layout = layout;
  }

  /** The instance for a layout. */
  public static HostRandom of(ThreefryLayout layout) {
    return switch (Objects.requireNonNull(layout, "layout")) {
      case PARTITIONABLE -> PARTITIONABLE;
      case ORIGINAL -> ORIGINAL;
    };
  }

  public ThreefryLayout layout() {
    return layout;
  }

  /** {@code jax.random.split(key, num)}: {@code num} new keys. */
  public KeyData[] split(KeyData key, int num) {
    requireSize(num, "split: num");
    KeyData[] keys = new KeyData[num];
    switch (layout) {
      case PARTITIONABLE -> {
        for (int i = 0; i < num; i++) {
          long block = Threefry.hash(key.word0(), key.word1(), 0, i);
          keys[i] = new KeyData(Threefry.word0(block), Threefry.word1(block));
        }
      }
      case ORIGINAL -> {
        int[] words = originalStream(key, 2 * num);
        for (int i = 0; i < num; i++) {
          keys[i] = new KeyData(words[2 * i], words[2 * i + 1]);
        }
      }
    }
    return keys;
  }

  /**
   * {@code jax.random.fold_in(key, data)}: one block on the counter {@code (0, data)}; the same
   * in both layouts.
   */
  public KeyData foldIn(KeyData key, int data) {
    long block = Threefry.hash(key.word0(), key.word1(), 0, data);
    return new KeyData(Threefry.word0(block), Threefry.word1(block));
  }

  /** {@code jax.random.bits(key, shape, uint32)}, flattened. */
  public int[] bits32(KeyData key, int size) {
    requireSize(size, "bits: size");
    return switch (layout) {
      case PARTITIONABLE -> {
        int[] bits = new int[size];
        for (int i = 0; i < size; i++) {
          long block = Threefry.hash(key.word0(), key.word1(), 0, i);
          bits[i] = Threefry.word0(block) ^ Threefry.word1(block);
        }
        yield bits;
      }
      case ORIGINAL -> originalStream(key, size);
    };
  }

  /** {@code jax.random.bits(key, shape, uint64)} (JAX needs {@code jax_enable_x64}), flattened. */
  public long[] bits64(KeyData key, int size) {
    requireSize(size, "bits: size");
    long[] bits = new long[size];
    switch (layout) {
      case PARTITIONABLE -> {
        for (int i = 0; i < size; i++) {
          bits[i] = Threefry.hash(key.word0(), key.word1(), 0, i); // word0 << 32 | word1
        }
      }
      case ORIGINAL -> {
        // 2 * size words; the first half are the high words, the second half the low words.
        int[] words = originalStream(key, Math.multiplyExact(2, size));
        for (int i = 0; i < size; i++) {
          bits[i] = ((long) words[i] << 32) | (words[size + i] & UINT32_MASK);
        }
      }
    }
    return bits;
  }

  /**
   * {@code jax.random.uniform(key, shape, float32, minval, maxval)}: the top 23 random bits as
   * the mantissa of a float in [1, 2), minus 1, scaled as {@code u * (max - min) + min} with one
   * rounding (XLA contracts it to a fused multiply-add), then {@code max(min, ·)}.
   */
  public float[] uniformF32(KeyData key, int size, float min, float max) {
    int[] bits = bits32(key, size);
    float[] values = new float[size];
    float range = max - min;
    for (int i = 0; i < size; i++) {
      float unit = Float.intBitsToFloat((bits[i] >>> 9) | 0x3F80_0000) - 1f;
      values[i] = Math.max(min, Math.fma(unit, range, min));
    }
    return values;
  }

  /** {@code jax.random.uniform(key, shape, float64, minval, maxval)} (x64): 52 random bits. */
  public double[] uniformF64(KeyData key, int size, double min, double max) {
    long[] bits = bits64(key, size);
    double[] values = new double[size];
    double range = max - min;
    for (int i = 0; i < size; i++) {
      double unit = Double.longBitsToDouble((bits[i] >>> 12) | 0x3FF0_0000_0000_0000L) - 1.0;
      values[i] = Math.max(min, Math.fma(unit, range, min));
    }
    return values;
  }

  /**
   * {@code jax.random.normal(key, shape, float32)}: {@code sqrt(2) * erf_inv(u)} with {@code u}
   * uniform in {@code [nextafter(-1, 0), 1)}.
   */
  public float[] normalF32(KeyData key, int size) {
    float[] values = uniformF32(key, size, Math.nextUp(-1f), 1f);
    for (int i = 0; i < size; i++) {
      values[i] = SQRT2_F32 * ErfInv.erfInv(values[i]);
    }
    return values;
  }

  /** {@code jax.random.normal(key, shape, float64)} (x64). */
  public double[] normalF64(KeyData key, int size) {
    double[] values = uniformF64(key, size, Math.nextUp(-1.0), 1.0);
    for (int i = 0; i < size; i++) {
      values[i] = SQRT2_F64 * ErfInv.erfInv(values[i]);
    }
    return values;
  }

  /** {@code jax.random.bernoulli(key, p, shape)} for a float32 {@code p}: {@code uniform < p}. */
  public boolean[] bernoulli(KeyData key, float p, int size) {
    float[] uniform = uniformF32(key, size, 0f, 1f);
    boolean[] values = new boolean[size];
    for (int i = 0; i < size; i++) {
      values[i] = uniform[i] < p;
    }
    return values;
  }

  /**
   * {@code jax.random.randint(key, shape, minval, maxval, int32)}: integers in
   * {@code [min, max)}, or {@code min} everywhere when {@code max <= min}. JAX splits the key,
   * draws 32 bits from each half and combines them as a 64-bit number modulo the span, in
   * {@code uint32} arithmetic that wraps exactly as below.
   */
  public int[] randint(KeyData key, int size, int min, int max) {
    KeyData[] halves = split(key, 2);
    int[] higherBits = bits32(halves[0], size);
    int[] lowerBits = bits32(halves[1], size);
    long span = max <= min ? 1 : (max - min) & UINT32_MASK;
    // multiplier = 2^32 mod span, computed as (2^16 mod span)^2 mod span in uint32.
    long multiplier = (1L << 16) % span;
    multiplier = ((multiplier * multiplier) & UINT32_MASK) % span;
    int[] values = new int[size];
    for (int i = 0; i < size; i++) {
      long high = (higherBits[i] & UINT32_MASK) % span;
      long low = (lowerBits[i] & UINT32_MASK) % span;
      long offset = ((((high * multiplier) & UINT32_MASK) + low) & UINT32_MASK) % span;
      values[i] = min + (int) offset;
    }
    return values;
  }

  /**
   * The original layout's {@code threefry_2x32(key, iota(count))}: counters {@code 0..count-1}
   * (padded with one 0 when odd) cut in halves that form the blocks' two input words; the two
   * output halves concatenated and trimmed to {@code count}.
   */
  private static int[] originalStream(KeyData key, int count) {
    int blocks = (count + 1) / 2;
    int[] words = new int[count];
    for (int j = 0; j < blocks; j++) {
      int secondCounter = blocks + j < count ? blocks + j : 0; // the padding counter is 0
      long block = Threefry.hash(key.word0(), key.word1(), j, secondCounter);
      words[j] = Threefry.word0(block);
      if (blocks + j < count) {
        words[blocks + j] = Threefry.word1(block);
      }
    }
    return words;
  }

  private static void requireSize(int size, String what) {
    if (size < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + size);
    }
  }
}
