package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * JAX's {@code jax.random} with its default threefry PRNG, bit for bit: {@code Random.key(42)}
 * here and {@code jax.random.key(42)} in JAX give the same key words, the same splits and the
 * same floats (JAX's default {@code jax_threefry_partitionable=True} layout; see
 * {@code docs/prng.md}).
 *
 * <p>State is explicit, as in JAX: every function takes a {@link Key} and never changes it; the
 * same key gives the same numbers, so split a key for every new use:
 *
 * <pre>{@code
 * Key key = Random.key(0);
 * Pair<Key, Key> keys = Random.split(key);       // key, subkey = jax.random.split(key)
 * Array w = Random.normal(keys.second(), 3, 2);  // jax.random.normal(subkey, (3, 2))
 * key = keys.first();
 * }</pre>
 *
 * <p>All functions are built from array primitives (plus {@code threefry2x32} and
 * {@code erf_inv}), so they run eagerly and inside {@code Transforms.jit} with traced keys. The
 * same algorithms on plain Java arrays are in {@link dev.statelens.engine.random.HostRandom}.
 */
public final class Random {

  private static final long UINT32_MASK = 0xFFFF_FFFFL;

  private Random() {}

  // ---- keys -------------------------------------------------------------------------------------

  /**
   * {@code jax.random.key(seed)} for a 64-bit seed: words {@code [seed >>> 32, seed & 0xFFFFFFFF]}
   * (JAX with {@code jax_enable_x64} and an int64 seed). Equal to {@link #key(int)} for seeds in
   * {@code [0, 2^31)}.
   */
  public static Key key(long seed) {
    return Key.of((int) (seed >>> 32), (int) seed);
  }

  /** {@code jax.random.key(seed)} for a 32-bit seed: words {@code [0, seed]}, negative ones too. */
  public static Key key(int seed) {
    return Key.of(0, seed);
  }

  /** {@code new_key, subkey = jax.random.split(key)}: two new keys. */
  public static Pair<Key, Key> split(Key key) {
    List<Key> keys = split(key, 2);
    return Pair.of(keys.get(0), keys.get(1));
  }

  /** {@code jax.random.split(key, num)}: {@code num} new keys; key {@code i} is the block {@code (0, i)}. */
  public static List<Key> split(Key key, int num) {
    requireKey(key, "split");
    if (num < 0) {
      throw new IllegalArgumentException("split: num must be >= 0, got " + num);
    }
    List<Key> keys = new ArrayList<>(num);
    if (num == 0) {
      return keys;
    }
    List<Array> blocks = hashCounters(key, new int[] {num});
    Array stacked = Array.stack(1, blocks.get(0), blocks.get(1)); // [num, 2]
    for (int i = 0; i < num; i++) {
      keys.add(new Key(stacked.get(i)));
    }
    return List.copyOf(keys);
  }

  /** {@code jax.random.fold_in(key, data)}: the block on counter {@code (0, data)}. */
  public static Key foldIn(Key key, int data) {
    requireKey(key, "foldIn");
    Array[] words = words(key);
    List<Array> block =
        RandomPrimitives.threefry2x32(words[0], words[1], u32(0), u32(Integer.toUnsignedLong(data)));
    return new Key(Array.stack(0, block.get(0), block.get(1)));
  }

  // ---- samplers ---------------------------------------------------------------------------------

  /** {@code jax.random.bits(key, shape)}: uniform U32 bits. */
  public static Array bits(Key key, int... shape) {
    requireKey(key, "bits");
    List<Array> blocks = hashCounters(key, requireShape("bits", shape));
    return blocks.get(0).xor(blocks.get(1));
  }

  /** {@code jax.random.uniform(key, shape)}: F32 in [0, 1). */
  public static Array uniform(Key key, int... shape) {
    return uniform(key, shape, DType.F32, 0, 1);
  }

  /** {@code jax.random.uniform(key, shape, dtype)}: in [0, 1). */
  public static Array uniform(Key key, int[] shape, DType dtype) {
    return uniform(key, shape, dtype, 0, 1);
  }

  /**
   * {@code jax.random.uniform(key, shape, dtype, minval, maxval)}: in {@code [min, max)}. The
   * random mantissa gives {@code u} in [0, 1); the value is {@code max(min, u * (max - min) +
   * min)}, rounded once as XLA's fused multiply-add does (for F32 through an exact F64 product;
   * for F64 with ranges other than [0, 1) the product is rounded first, see docs/prng.md).
   */
  public static Array uniform(Key key, int[] shape, DType dtype, double min, double max) {
    requireKey(key, "uniform");
    int[] checkedShape = requireShape("uniform", shape);
    return switch (Objects.requireNonNull(dtype, "dtype")) {
      case F32 -> uniformF32(key, checkedShape, (float) min, (float) max);
      case F64 -> uniformF64(key, checkedShape, min, max);
      default -> throw new IllegalArgumentException(
          "uniform: dtype must be F32 or F64, got " + dtype + "; for integers use Random.randint");
    };
  }

  /** {@code jax.random.normal(key, shape)}: standard normal F32. */
  public static Array normal(Key key, int... shape) {
    return normal(key, shape, DType.F32);
  }

  /**
   * {@code jax.random.normal(key, shape, dtype)}: {@code sqrt(2) * erf_inv(u)} with {@code u}
   * uniform in {@code [nextafter(-1, 0), 1)}.
   */
  public static Array normal(Key key, int[] shape, DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException(
          "normal: dtype must be F32 or F64, got " + dtype + "; for integers use Random.randint");
    }
    double low = dtype == DType.F32 ? Math.nextUp(-1f) : Math.nextUp(-1.0);
    Array u = uniform(key, shape, dtype, low, 1);
    return RandomPrimitives.erfInv(u).mul(Math.sqrt(2));
  }

  /** {@code jax.random.bernoulli(key, p, shape)}: BOOL, true with probability {@code p} (a float32). */
  public static Array bernoulli(Key key, double p, int... shape) {
    return uniform(key, shape).lt(p);
  }

  /**
   * {@code jax.random.bernoulli(key, p, shape)} with an array of probabilities (F32 or F64, may
   * be traced) broadcast to {@code shape}.
   */
  public static Array bernoulli(Key key, Array p, int... shape) {
    Objects.requireNonNull(p, "p");
    if (!p.dtype().isFloating()) {
      throw new IllegalArgumentException(
          "bernoulli: p must be a float array, got " + p.aval() + "; convert with p.astype(DType.F32)");
    }
    if (!Array.canBroadcastTo(p.shape(), shape)) { // checked first: lt's own error would name lt, not bernoulli
      throw new ShapeError(
          "bernoulli: p of shape " + ShapeError.format(p.shape()) + " does not broadcast to shape "
              + ShapeError.format(shape) + "; its shape must broadcast to exactly that shape");
    }
    return uniform(key, shape, p.dtype()).lt(p);
  }


  /**
   * {@code jax.random.randint(key, shape, minval, maxval)}: I32 in {@code [min, max)}, or
   * {@code min} everywhere when {@code max <= min}. Draws 32 bits from each half of
   * {@code split(key)} and reduces the 64-bit number modulo the span, in wrapping uint32
   * arithmetic exactly as JAX does.
   */
  public static Array randint(Key key, int[] shape, int min, int max) {
    requireKey(key, "randint");
    int[] checkedShape = requireShape("randint", shape);
    Pair<Key, Key> halves = split(key);
    Array higher = bits(halves.first(), checkedShape);
    Array lower = bits(halves.second(), checkedShape);
    long span = max <= min ? 1 : (max - min) & UINT32_MASK;
    long multiplier = (1L << 16) % span; // 2^32 mod span = (2^16 mod span)^2 mod span
    multiplier = ((multiplier * multiplier) & UINT32_MASK) % span;
    Array spanArray = u32(span);
    Array offset =
        higher.rem(spanArray).mul(u32(multiplier)).add(lower.rem(spanArray)).rem(spanArray);
    return offset.bitcast(DType.I32).add(Array.scalar(DType.I32, min));
  }

  // ---- implementation ---------------------------------------------------------------------------

  private static Array uniformF32(Key key, int[] shape, float min, float max) {
    Array bits = bits(key, shape);
    Array unit = bits.shiftRightLogical(9).bitwiseOr(0x3F80_0000).bitcast(DType.F32).sub(1.0);
    Array scaled;
    float range = max - min;
    if (min == 0f && max == 1f) {
      scaled = unit; // u * 1 + 0 is u exactly
    } else if (isPowerOfTwo(range)) {
      // The product is exact, so rounding only the sum equals XLA's fused multiply-add (normal()
      // takes this path: its range is 2).
      scaled = unit.mul(range).add(min);
    } else {
      // XLA computes u * (max - min) + min as one fused multiply-add. The product of two floats
      // is exact in F64, so only the sum is rounded there (to 53 bits) before the final F32
      // rounding; this double rounding can differ from the FMA only with probability < 2^-28.
      scaled = unit.astype(DType.F64).mul(range).add(min).astype(DType.F32);
    }
    return scaled.maximum(min);
  }

  private static boolean isPowerOfTwo(float x) {
    // Exponents above -100 keep u * x (u a multiple of 2^-23) clear of subnormals, hence exact.
    return x > 0 && Float.isFinite(x) && Math.getExponent(x) > -100
        && x == Math.scalb(1f, Math.getExponent(x));
  }

  private static Array uniformF64(Key key, int[] shape, double min, double max) {
    // JAX's 64 random bits are word1 << 32 | word2; their top 52 become the mantissa:
    // u = (word1 >>> 12) * 2^-20 + ((word1 << 20) | (word2 >>> 12)) * 2^-52, exactly.
    List<Array> blocks = hashCounters(key, shape);
    Array word1 = blocks.get(0);
    Array word2 = blocks.get(1);
    Array high = word1.shiftRightLogical(12).astype(DType.F64).mul(0x1p-20);
    Array low = word1.shiftLeft(20).bitwiseOr(word2.shiftRightLogical(12)).astype(DType.F64).mul(0x1p-52);
    Array unit = high.add(low);
    Array scaled = min == 0 && max == 1 ? unit : unit.mul(max - min).add(min);
    return scaled.maximum(min);
  }

  /**
   * Hashes counter {@code i} for every element {@code i} of the flattened shape (JAX's
   * {@code iota_2x32_shape}; the high counter word is 0 for fewer than 2^32 elements).
   */
  private static List<Array> hashCounters(Key key, int[] shape) {
    Array[] words = words(key);
    int size = 1;
    for (int d : shape) {
      size = Math.multiplyExact(size, d);
    }
    Array counters = Prims.IOTA.bind1(
        Params.of("dtype", DType.U32, "shape", new int[] {size}, "dimension", 0)).reshape(shape);
    return RandomPrimitives.threefry2x32(words[0], words[1], u32(0), counters);
  }

  private static Array[] words(Key key) {
    Array data = key.keyData();
    return new Array[] {data.get(0), data.get(1)};
  }

  private static Array u32(long value) {
    return Array.scalar(DType.U32, value);
  }

  private static void requireKey(Key key, String function) {
    if (key == null) {
      throw new IllegalArgumentException(
          function + ": key is null; make one with Random.key(seed) or Random.split(key)");
    }
  }

  private static int[] requireShape(String function, int[] shape) {
    Objects.requireNonNull(shape, () -> function + ": shape is null; pass new int[0] for a scalar");
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            function + ": shape " + ShapeError.format(shape) + " has a negative dimension");
      }
    }
    return shape.clone();
  }
}
