package dev.statelens.engine;

import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import dev.statelens.engine.random.ThreefryLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * JAX's {@code jax.random} algorithms for one threefry {@linkplain ThreefryLayout layout}, op for
 * op as in {@code jax/_src/random.py}, built from array primitives so that they run eagerly, under
 * {@code jit} (keys traced) and under {@code vmap}. {@link Random} is the public face and uses
 * {@link #PARTITIONABLE} (JAX's default); {@link #ORIGINAL} exists so that the samplers can be
 * checked against the values JAX published for the layout it used before 0.5.0.
 *
 * <p>Only three things depend on the layout: {@link #split}, {@link #bits} and the 64-bit words
 * behind float64 uniforms. Every sampler is written once on top of them.
 */
final class RandomSampler {

  static final RandomSampler PARTITIONABLE = new RandomSampler(ThreefryLayout.PARTITIONABLE);
  static final RandomSampler ORIGINAL = new RandomSampler(ThreefryLayout.ORIGINAL);

  private static final long UINT32_MASK = 0xFFFF_FFFFL;
  /** {@code np.log(jnp.iinfo(np.uint32).max)}: permutation's number of sort rounds. */
  private static final double LOG_UINT32_MAX = Math.log(4294967295.0);

  private final ThreefryLayout layout;

  private RandomSampler(ThreefryLayout layout) {
    this.layout = layout;
  }

  // ---- the layout-dependent part ----------------------------------------------------------------

  List<Key> split(Key key, int num) {
    requireKey(key, "split");
    if (num < 0) {
      throw new IllegalArgumentException("split: num must be >= 0, got " + num);
    }
    List<Key> keys = new ArrayList<>(num);
    if (num == 0) {
      return keys;
    }
    Array stacked = splitData(key, num);
    for (int i = 0; i < num; i++) {
      keys.add(new Key(stacked.get(i)));
    }
    return List.copyOf(keys);
  }

  /**
   * {@code jax.random.key_data(jax.random.split(key, num))}: the {@code num} new keys' words as
   * one U32 {@code [num, 2]} array (for samplers that vmap over many keys without slicing each).
   */
  Array splitData(Key key, int num) {
    requireKey(key, "split");
    return switch (layout) {
      case PARTITIONABLE -> {
        List<Array> blocks = hashCounters(key, new int[] {num});
        yield Array.stack(1, blocks.get(0), blocks.get(1));
      }
      case ORIGINAL -> originalStream(key, 2 * num).reshape(num, 2);
    };
  }

  /** 32 random bits per element (U32). */
  Array bits(Key key, int[] shape) {
    requireKey(key, "bits");
    int[] checked = requireShape("bits", shape);
    return switch (layout) {
      case PARTITIONABLE -> {
        List<Array> blocks = hashCounters(key, checked);
        yield blocks.get(0).xor(blocks.get(1));
      }
      case ORIGINAL -> originalStream(key, size(checked)).reshape(checked);
    };
  }

  /** The high and low words of 64 random bits per element (JAX's uint64 bits with x64). */
  private Array[] words64(Key key, int[] shape) {
    return switch (layout) {
      case PARTITIONABLE -> hashCounters(key, shape).toArray(new Array[0]);
      case ORIGINAL -> {
        int n = size(shape);
        Array stream = originalStream(key, Math.multiplyExact(2, n));
        yield new Array[] {
          stream.sliceAxis(0, 0, n).reshape(shape), stream.sliceAxis(0, n, 2 * n).reshape(shape)
        };
      }
    };
  }

  /**
   * JAX's {@code _random_bits(key, width, shape)} for {@code width} 8 or 16, as U32 values below
   * {@code 2^width} (the engine has no uint8/uint16). Partitionable: the low bits of the 32-bit
   * word, {@code convert_element_type(bits1 ^ bits2, uintN)} in prng.py's
   * {@code _threefry_random_bits_partitionable}. Original: {@code ceil(width * n / 32)} words of
   * the stream, each cut into {@code 32 / width} pieces from its low end
   * ({@code _threefry_random_bits_original}: element {@code k * i + j} is
   * {@code (word_i >>> width * j) & mask}).
   */
  Array narrowBits(Key key, int[] shape, int width) {
    requireKey(key, "bits");
    int[] checked = requireShape("bits", shape);
    if (width != 8 && width != 16) {
      throw new IllegalArgumentException("narrowBits: width must be 8 or 16, got " + width);
    }
    int mask = (1 << width) - 1;
    return switch (layout) {
      case PARTITIONABLE -> bits(key, checked).bitwiseAnd(mask);
      case ORIGINAL -> {
        int n = size(checked);
        int perWord = 32 / width;
        int words = (int) ((Math.multiplyExact((long) width, n) + 31) / 32);
        if (words == 0) {
          yield Array.zeros(DType.U32, checked);
        }
        Array shifts = iota(DType.U32, perWord).mul(u32(width)).reshape(1, perWord);
        Array pieces = originalStream(key, words).reshape(words, 1).shiftRightLogical(shifts)
            .bitwiseAnd(mask);
        yield pieces.reshape(words * perWord).sliceAxis(0, 0, n).reshape(checked);
      }
    };
  }

  /**
   * Partitionable layout: hashes counter {@code (0, i)} for every element {@code i} of the
   * flattened shape (JAX's {@code iota_2x32_shape}; the high word is 0 below 2^32 elements).
   */
  private static List<Array> hashCounters(Key key, int[] shape) {
    Array[] words = words(key);
    Array counters = iota(DType.U32, size(shape)).reshape(shape);
    return RandomPrimitives.threefry2x32(words[0], words[1], u32(0), counters);
  }

  /**
   * Original layout: {@code threefry_2x32(key, iota(count))}, the counters {@code 0..count-1}
   * (padded with one 0 when odd) cut in halves that feed the blocks' two words, the two output
   * halves concatenated and trimmed to {@code count}.
   */
  private static Array originalStream(Key key, int count) {
    Array[] words = words(key);
    if (count == 0) {
      return Array.zeros(DType.U32, 0);
    }
    int blocks = (count + 1) / 2;
    Array first = iota(DType.U32, blocks);
    Array second = first.add(u32(blocks));
    if (count % 2 == 1) {
      second = Array.where(first.eq(u32(blocks - 1)), u32(0), second); // the padding counter
    }
    List<Array> out = RandomPrimitives.threefry2x32(words[0], words[1], first, second);
    return Array.concatenate(0, out.get(0), out.get(1)).sliceAxis(0, 0, count);
  }

  // ---- uniform and friends ----------------------------------------------------------------------

  Array uniform(Key key, int[] shape, DType dtype, double min, double max) {
    requireKey(key, "uniform");
    int[] checked = requireShape("uniform", shape);
    return switch (Objects.requireNonNull(dtype, "dtype")) {
      case F32 -> uniformF32(key, checked, (float) min, (float) max);
      case F64 -> uniformF64(key, checked, min, max);
      case BF16, F16 -> uniform16(key, checked, dtype, min, max);
      default -> throw new IllegalArgumentException("uniform: dtype must be a float (F32, F64, BF16 or F16), got "
          + dtype + "; for integers use Random.randint");
    };
  }

  /**
   * bf16/f16 as JAX's {@code _uniform}: {@code minval}, {@code maxval} converted to the dtype,
   * then {@code max(min, u * (max - min) + min)} in the dtype, every operation rounded to it
   * (XLA's CPU backend computes 16-bit arithmetic in f32 and rounds each result; whether it ever
   * fuses the multiply-add instead is what the real-JAX cases check, see docs/prng.md).
   */
  private Array uniform16(Key key, int[] shape, DType dtype, double min, double max) {
    Array unit = unit16(key, shape, dtype);
    double lo = HalfFloats.round(dtype, min);
    double hi = HalfFloats.round(dtype, max);
    if (lo == 0 && hi == 1) {
      return unit.maximum(lo); // u * 1 + 0 is u exactly
    }
    double range = HalfFloats.round(dtype, (float) hi - (float) lo);
    return unit.mul(range).add(lo).maximum(lo); // the constants are exact in dtype: no second rounding
  }

  /**
   * bf16/f16 in [0, 1) from JAX's narrow bits ({@code _uniform}: {@code rng_bits = 8} when the
   * dtype has fewer than 8 mantissa bits, so bf16 takes 8 random bits and f16 16; the top
   * {@code nmant} of them become the mantissa of a float in [1, 2), minus 1). The value
   * {@code m * 2^-nmant} is built in F32 and converted, which is exact, so no 16-bit bitcast is
   * needed and the bits equal JAX's {@code bitcast(bits >> (rng_bits - nmant) | one) - 1}.
   */
  private Array unit16(Key key, int[] shape, DType dtype) {
    boolean bf16 = dtype == DType.BF16;
    int rngBits = bf16 ? 8 : 16;
    int nmant = bf16 ? 7 : 10;
    Array mantissa = narrowBits(key, shape, rngBits).shiftRightLogical(rngBits - nmant);
    return mantissa.shiftLeft(23 - nmant).bitwiseOr(0x3F80_0000).bitcast(DType.F32).sub(1.0)
        .astype(dtype);
  }

  private Array uniformF32(Key key, int[] shape, float min, float max) {
    Array unit = unitF32(key, shape);
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

  private Array uniformF64(Key key, int[] shape, double min, double max) {
    Array unit = unitF64(key, shape);
    Array scaled = min == 0 && max == 1 ? unit : unit.mul(max - min).add(min);
    return scaled.maximum(min);
  }

  /**
   * {@code uniform} with array bounds (truncatedNormal's erf values, which may be traced):
   * {@code max(min, u * (max - min) + min)}, the multiply-add rounded once as XLA fuses it (for
   * F32 through the exact F64 product, as {@link #uniformF32}).
   */
  private Array uniformBetween(Key key, int[] shape, DType dtype, Array min, Array max) {
    Array range = max.sub(min);
    Array scaled;
    if (dtype.is16BitFloat()) {
      scaled = unit16(key, shape, dtype).mul(range).add(min); // each op rounded to dtype, as uniform16
    } else if (dtype == DType.F32) {
      scaled = unitF32(key, shape).astype(DType.F64).mul(range.astype(DType.F64))
          .add(min.astype(DType.F64)).astype(DType.F32);
    } else {
      scaled = unitF64(key, shape).mul(range).add(min);
    }
    return scaled.maximum(min);
  }

  /** F32 in [0, 1): 23 random bits as the mantissa of a float in [1, 2), minus 1. */
  private Array unitF32(Key key, int[] shape) {
    return bits(key, shape).shiftRightLogical(9).bitwiseOr(0x3F80_0000).bitcast(DType.F32).sub(1.0);
  }

  /** F64 in [0, 1) from the top 52 of 64 random bits. */
  private Array unitF64(Key key, int[] shape) {
    // JAX's 64 random bits are word1 << 32 | word2; their top 52 become the mantissa:
    // u = (word1 >>> 12) * 2^-20 + ((word1 << 20) | (word2 >>> 12)) * 2^-52, exactly.
    requireKey(key, "uniform");
    Array[] words = words64(key, shape);
    Array high = words[0].shiftRightLogical(12).astype(DType.F64).mul(0x1p-20);
    Array low = words[0].shiftLeft(20).bitwiseOr(words[1].shiftRightLogical(12))
        .astype(DType.F64).mul(0x1p-52);
    return high.add(low);
  }

  private static boolean isPowerOfTwo(float x) {
    // Exponents above -100 keep u * x (u a multiple of 2^-23) clear of subnormals, hence exact.
    return x > 0 && Float.isFinite(x) && Math.getExponent(x) > -100
        && x == Math.scalb(1f, Math.getExponent(x));
  }

  Array normal(Key key, int[] shape, DType dtype) {
    requireFloat("normal", dtype);
    double low = -1 + epsneg(dtype); // np.nextafter(-1, 0) in dtype
    Array u = uniform(key, shape, dtype, low, 1);
    return RandomPrimitives.erfInv(u).mul(Math.sqrt(2));
  }

  Array randint(Key key, int[] shape, int min, int max) {
    requireKey(key, "randint");
    int[] checked = requireShape("randint", shape);
    List<Key> halves = split(key, 2);
    Array higher = bits(halves.get(0), checked);
    Array lower = bits(halves.get(1), checked);
    long span = max <= min ? 1 : (max - min) & UINT32_MASK;
    long multiplier = (1L << 16) % span; // 2^32 mod span = (2^16 mod span)^2 mod span
    multiplier = ((multiplier * multiplier) & UINT32_MASK) % span;
    Array spanArray = u32(span);
    Array offset =
        higher.rem(spanArray).mul(u32(multiplier)).add(lower.rem(spanArray)).rem(spanArray);
    return offset.bitcast(DType.I32).add(Array.scalar(DType.I32, min));
  }

  // ---- continuous distributions (jax.random.gumbel, exponential, laplace, logistic, ...) --------

  /** {@code -log(-log(uniform(key, shape, dtype, finfo.tiny, 1)))} (JAX's mode "low"). */
  Array gumbel(Key key, int[] shape, DType dtype) {
    requireFloat("gumbel", dtype);
    return uniform(key, shape, dtype, tiny(dtype), 1).log().neg().log().neg();
  }

  /** {@code -log1p(-uniform(key, shape, dtype))}. */
  Array exponential(Key key, int[] shape, DType dtype) {
    requireFloat("exponential", dtype);
    return uniform(key, shape, dtype, 0, 1).neg().log1p().neg();
  }

  /** {@code sign(u) * log1p(-|u|)} with {@code u = uniform(key, shape, dtype, -1 + epsneg, 1)}. */
  Array laplace(Key key, int[] shape, DType dtype) {
    requireFloat("laplace", dtype);
    Array u = uniform(key, shape, dtype, -1.0 + epsneg(dtype), 1);
    return u.sign().mul(u.abs().neg().log1p());
  }

  /**
   * {@code log(x) - log1p(-x)} with {@code x = uniform(key, shape, dtype, finfo.tiny, 1)}, JAX's
   * {@code _logistic} (jax/_src/random, JAX 0.10–0.11; the former {@code log(x / (1 - x))} from
   * {@code finfo.eps} was up to 63 f32 ulps off real JAX, and whole bf16 ulps).
   */
  Array logistic(Key key, int[] shape, DType dtype) {
    requireFloat("logistic", dtype);
    Array x = uniform(key, shape, dtype, tiny(dtype), 1);
    return x.log().sub(x.neg().log1p());
  }

  /**
   * {@code tan(pi * (u - 0.5))} with {@code u = uniform(key, shape, dtype, finfo.eps, 1)}: JAX's
   * {@code _cauchy} (the standard Cauchy by inverse CDF; {@code eps} keeps {@code u} off 0).
   */
  Array cauchy(Key key, int[] shape, DType dtype) {
    requireFloat("cauchy", dtype);
    Array u = uniform(key, shape, dtype, eps(dtype), 1);
    return u.sub(0.5).mul(Math.PI).tan();
  }

  /** {@code finfo(dtype).tiny}: the smallest normal number (bf16 has f32's exponent range). */
  static double tiny(DType dtype) {
    return switch (dtype) {
      case F32, BF16 -> Float.MIN_NORMAL;
      case F16 -> 0x1p-14;
      default -> Double.MIN_NORMAL;
    };
  }

  /**
   * {@code 2 * bernoulli(key, 0.5, shape) - 1} in {@code dtype}; the uniform is F64 for an F64
   * result (JAX with x64), F32 otherwise.
   */
  Array rademacher(Key key, int[] shape, DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    if (dtype == DType.BOOL || dtype == DType.U32) {
      throw new IllegalArgumentException(
          "rademacher: dtype must be signed (I32, F32 or F64) to hold -1, got " + dtype);
    }
    // JAX's bernoulli(key, 0.5): p's dtype is the default float, float64 only with jax_enable_x64 —
    // which an F64 result implies
    DType pDtype = dtype == DType.F64 ? DType.F64 : DType.F32;
    Array b = uniform(key, shape, pDtype, 0, 1).lt(0.5).astype(dtype);
    return b.mul(2).sub(1);
  }

  /** {@code exp(exponential(key, shape, dtype) / b)}: Pareto on {@code [1, inf)} with shape {@code b}. */
  Array pareto(Key key, double b, int[] shape, DType dtype) {
    requireFloat("pareto", dtype);
    requirePositive("pareto", "b", b);
    return exponential(key, shape, dtype).div(b).exp();
  }

  /** {@code pow(-log1p(-u), 1 / concentration) * scale}, {@code u} uniform in [0, 1). */
  Array weibullMin(Key key, double scale, double concentration, int[] shape, DType dtype) {
    requireFloat("weibullMin", dtype);
    requirePositive("weibullMin", "scale", scale);
    requirePositive("weibullMin", "concentration", concentration);
    return uniform(key, shape, dtype, 0, 1).neg().log1p().neg().pow(1.0 / concentration).mul(scale);
  }

  /** The norm of 3 standard normals ({@code shape + (3,)}, norm over the last axis). */
  Array maxwell(Key key, int[] shape, DType dtype) {
    requireFloat("maxwell", dtype);
    int[] checked = requireShape("maxwell", shape);
    int[] withThree = Arrays.copyOf(checked, checked.length + 1);
    withThree[checked.length] = 3;
    Array x = normal(key, withThree, dtype);
    return x.mul(x).sum(checked.length).sqrt(); // jnp.linalg.norm: sqrt(sum(x * conj(x)))
  }

  /**
   * {@code rademacher * maxwell * scale + loc} with {@code maxwell_key, rademacher_key =
   * split(key)} (JAX's {@code double_sided_maxwell} for scalar {@code loc} and {@code scale}).
   */
  Array doubleSidedMaxwell(Key key, double loc, double scale, int[] shape, DType dtype) {
    requireFloat("doubleSidedMaxwell", dtype);
    List<Key> keys = split(key, 2);
    Array magnitude = maxwell(keys.get(0), shape, dtype);
    Array sign = rademacher(keys.get(1), shape, dtype);
    return sign.mul(magnitude).mul(scale).add(loc);
  }

  /**
   * JAX's {@code truncated_normal}: {@code u} uniform between {@code erf(lower / sqrt2)} and
   * {@code erf(upper / sqrt2)}, {@code sqrt2 * erf_inv(u)}, clipped to the open interval
   * {@code (nextafter(lower, +inf), nextafter(upper, -inf))}.
   */
  Array truncatedNormal(Key key, double lower, double upper, int[] shape, DType dtype) {
    requireKey(key, "truncatedNormal");
    requireFloat("truncatedNormal", dtype);
    int[] checked = requireShape("truncatedNormal", shape);
    if (Double.isNaN(lower) || Double.isNaN(upper) || !(lower < upper)) {
      throw new IllegalArgumentException("truncatedNormal: lower (" + lower + ") must be below upper ("
          + upper + "); the values are drawn from the open interval (lower, upper)");
    }
    boolean f32 = dtype == DType.F32;
    Array low = Array.scalar(dtype, lower); // convert_element_type: rounded to dtype
    Array high = Array.scalar(dtype, upper);
    double sqrt2 = Math.sqrt(2); // np.array(np.sqrt(2), dtype): the weak scalar rounds it alike
    Array a = low.div(sqrt2).erf();
    Array b = high.div(sqrt2).erf();
    Array u = uniformBetween(key, checked, dtype, a, b);
    Array out = RandomPrimitives.erfInv(u).mul(sqrt2);
    // lax.nextafter of the bounds converted to dtype
    double above = dtype.is16BitFloat() ? nextAfter16(dtype, lower, true)
        : f32 ? Math.nextUp((float) lower) : Math.nextUp(lower);
    double below = dtype.is16BitFloat() ? nextAfter16(dtype, upper, false)
        : f32 ? Math.nextDown((float) upper) : Math.nextDown(upper);
    return out.maximum(above).minimum(below);
  }

  // ---- discrete: categorical, permutation, choice ---------------------------------------------

  /**
   * JAX's {@code categorical} (with replacement, gumbel mode "low"): {@code argmax(gumbel(...) +
   * logits, axis)}; {@code shape} null means the logits' batch shape (their shape without
   * {@code axis}).
   */
  Array categorical(Key key, Array logits, int axis, int[] shape) {
    requireKey(key, "categorical");
    Objects.requireNonNull(logits, "categorical: logits is null");
    int rank = logits.ndim();
    if (rank == 0) {
      throw new ShapeError("categorical: logits must have an axis of categories, got a scalar; "
          + "pass at least a 1-D array of unnormalized log-probabilities");
    }
    if (!logits.dtype().isFloating()) {
      throw new IllegalArgumentException("categorical: logits must be a float array (F32, F64, BF16 or F16), got "
          + logits.aval() + "; convert with astype(DType.F32)");
    }
    if (axis < -rank || axis >= rank) {
      throw new ShapeError("categorical: axis " + axis + " is out of range for logits of shape "
          + ShapeError.format(logits.shape()) + "; use an axis from " + -rank + " to " + (rank - 1));
    }
    int fromEnd = axis >= 0 ? axis - rank : axis; // JAX counts the axis from the end
    int position = fromEnd + rank;
    int[] batchShape = remove(logits.shape(), position);
    int[] outShape;
    if (shape == null) {
      outShape = batchShape;
    } else {
      outShape = requireShape("categorical", shape);
      int[] joint = outShape.length >= batchShape.length
          ? broadcastOrNull(outShape, batchShape) : null;
      if (!Arrays.equals(joint, outShape)) {
        throw new ShapeError("categorical: shape " + ShapeError.format(outShape)
            + " must broadcast with the logits' batch shape " + ShapeError.format(batchShape)
            + " (logits " + ShapeError.format(logits.shape()) + " without axis " + axis
            + ") to exactly itself; add leading dimensions for more samples per distribution");
      }
    }
    int prefix = outShape.length - batchShape.length;
    int[] sampleShape = new int[outShape.length + 1]; // prefix + batch with the categories inserted
    System.arraycopy(outShape, 0, sampleShape, 0, prefix);
    int[] tail = Arrays.copyOfRange(outShape, prefix, outShape.length);
    int[] logitsShape = insert(tail, position, logits.dim(position));
    System.arraycopy(logitsShape, 0, sampleShape, prefix, logitsShape.length);
    int[] expandedShape = new int[prefix + rank];
    Arrays.fill(expandedShape, 0, prefix, 1);
    System.arraycopy(logits.shape(), 0, expandedShape, prefix, rank);
    Array noise = gumbel(key, sampleShape, logits.dtype());
    return noise.add(logits.reshape(expandedShape)).argmax(fromEnd);
  }

  /** {@code permutation(key, n)}: a shuffled I32 {@code arange(n)}. */
  Array permutation(Key key, int n) {
    requireKey(key, "permutation");
    if (n < 0) {
      throw new IllegalArgumentException("permutation: n must be >= 0, got " + n);
    }
    return shuffle(key, iota(DType.I32, n), 0);
  }

  /**
   * {@code permutation(key, x, axis, independent)}: {@code x} shuffled along {@code axis}; with
   * {@code independent} every slice along the axis gets its own order, otherwise whole slices
   * move together (1-D arrays are the same either way). A rank-0 integer {@code x} is {@code n}.
   */
  Array permutation(Key key, Array x, int axis, boolean independent) {
    requireKey(key, "permutation");
    Objects.requireNonNull(x, "permutation: x is null");
    if (x.ndim() == 0) {
      if (!x.dtype().isInteger()) {
        throw new IllegalArgumentException("permutation: x must be an integer or at least 1-D, got "
            + x.aval() + "; pass the count as an int for a shuffled range");
      }
      return permutation(key, x.intValue()); // ConcretizationError under jit, as in JAX
    }
    int a = normAxis("permutation", axis, x.ndim());
    if (independent || x.ndim() == 1) {
      return shuffle(key, x, a);
    }
    Array order = shuffle(key, iota(DType.I32, x.dim(a)), 0);
    return x.take(order, a);
  }

  /**
   * JAX's {@code _shuffle}: {@code ceil(3 ln(size) / ln(2^32 - 1))} rounds, each a stable sort of
   * {@code x} along {@code axis} by fresh 32-bit keys of the next split key.
   */
  private Array shuffle(Key key, Array x, int axis) {
    int rounds = (int) Math.ceil(3 * Math.log(Math.max(1, x.size())) / LOG_UINT32_MAX);
    Params sort = Params.of("dimension", axis, "is_stable", true, "num_keys", 1);
    for (int r = 0; r < rounds; r++) {
      List<Key> keys = split(key, 2);
      key = keys.get(0);
      Array sortKeys = bits(keys.get(1), x.shape());
      x = ArrayPrims.SORT.bind(sort, sortKeys, x).get(1);
    }
    return x;
  }

  /**
   * JAX's {@code choice(key, a, shape, replace, p, axis)}; {@code a} rank-0 means
   * {@code arange(a)}. Without {@code p}: {@code randint} (with replacement) or the first draws
   * of a {@code permutation} (without). With {@code p}: inverse-CDF search of
   * {@code cumsum(p)[-1] * (1 - uniform)} (with replacement) or the gumbel top-k of
   * {@code -gumbel - log(p)} (without).
   */
  Array choice(Key key, Array a, int[] shape, boolean replace, Array p, int axis) {
    requireKey(key, "choice");
    Objects.requireNonNull(a, "choice: a is null");
    int[] drawShape = requireShape("choice", shape);
    boolean range = a.ndim() == 0;
    int nInputs;
    int ax = 0;
    if (range) {
      if (!a.dtype().isInteger()) {
        throw new IllegalArgumentException("choice: a must be an integer count or an array, got "
            + a.aval());
      }
      nInputs = a.intValue(); // ConcretizationError under jit, as in JAX
    } else {
      ax = normAxis("choice", axis, a.ndim());
      nInputs = a.dim(ax);
    }
    int nDraws = size(drawShape);
    if (nDraws == 0) {
      return Array.zeros(a.dtype(), drawShape); // JAX returns zeros of `shape` here
    }
    if (nInputs <= 0) {
      throw new IllegalArgumentException("choice: a must be greater than 0 unless no samples are "
          + "taken; got a population of " + nInputs);
    }
    if (!replace && nDraws > nInputs) {
      throw new IllegalArgumentException("choice: cannot take a larger sample (size " + nDraws
          + ") than the population (size " + nInputs + ") when replace=false; draw fewer, or "
          + "pass replace=true");
    }
    Array indices;
    Array result;
    if (p == null) {
      if (replace) {
        indices = randint(key, drawShape, 0, nInputs);
        result = range ? indices : a.take(indices, ax);
      } else {
        Array shuffled = range ? permutation(key, nInputs) : permutation(key, a, ax, false);
        result = shuffled.sliceAxis(range ? 0 : ax, 0, nDraws);
      }
    } else {
      Array probs = NumpyMath.floaty(p); // promote_dtypes_inexact
      if (probs.ndim() != 1 || probs.dim(0) != nInputs) {
        throw new ShapeError("choice: p must be null or a 1-D vector with the same size as "
            + "a.shape[axis]; p has shape " + ShapeError.format(p.shape())
            + " and a.shape[axis] is " + nInputs);
      }
      if (replace) {
        Array cumulative = probs.cumsum(0);
        Array total = cumulative.sliceAxis(0, nInputs - 1, nInputs).reshape();
        Array r = total.mul(uniform(key, drawShape, probs.dtype(), 0, 1).rsub(1));
        // searchsorted(cumulative, r, side="left"): how many cumulative sums lie below r
        indices = cumulative.lt(r.expandDims(r.ndim())).sum(r.ndim());
      } else {
        Array g = gumbel(key, new int[] {nInputs}, probs.dtype()).neg().sub(probs.log());
        indices = g.argsort(0).sliceAxis(0, 0, nDraws);
      }
      result = range ? indices : a.take(indices, ax);
    }
    if (range) {
      return result.reshape(drawShape);
    }
    int[] full = new int[a.ndim() - 1 + drawShape.length];
    int[] aShape = a.shape();
    System.arraycopy(aShape, 0, full, 0, ax);
    System.arraycopy(drawShape, 0, full, ax, drawShape.length);
    System.arraycopy(aShape, ax + 1, full, ax + drawShape.length, aShape.length - ax - 1);
    return result.reshape(full);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static Array[] words(Key key) {
    return key.words("Random");
  }

  private static Array iota(DType dtype, int n) {
    return Prims.IOTA.bind1(Params.of("dtype", dtype, "shape", new int[] {n}, "dimension", 0));
  }

  private static Array u32(long value) {
    return Array.scalar(DType.U32, value);
  }

  private static int size(int[] shape) {
    int size = 1;
    for (int d : shape) {
      size = Math.multiplyExact(size, d);
    }
    return size;
  }

  private static int[] remove(int[] shape, int position) {
    int[] out = new int[shape.length - 1];
    for (int i = 0, j = 0; i < shape.length; i++) {
      if (i != position) {
        out[j++] = shape[i];
      }
    }
    return out;
  }

  private static int[] insert(int[] shape, int position, int dim) {
    int[] out = new int[shape.length + 1];
    for (int i = 0, j = 0; i < out.length; i++) {
      out[i] = i == position ? dim : shape[j++];
    }
    return out;
  }

  /** NumPy broadcasting of two shapes, or null when they do not broadcast. */
  private static int[] broadcastOrNull(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        return null;
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  private static int normAxis(String function, int axis, int rank) {
    if (axis < -rank || axis >= rank) {
      throw new ShapeError(function + ": axis " + axis + " is out of range for an array of rank "
          + rank + "; use an axis from " + -rank + " to " + (rank - 1));
    }
    return axis < 0 ? axis + rank : axis;
  }

  static void requireKey(Key key, String function) {
    if (key == null) {
      throw new IllegalArgumentException(
          function + ": key is null; make one with Random.key(seed) or Random.split(key)");
    }
  }

  static int[] requireShape(String function, int[] shape) {
    Objects.requireNonNull(shape, () -> function + ": shape is null; pass new int[0] for a scalar");
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            function + ": shape " + ShapeError.format(shape) + " has a negative dimension");
      }
    }
    return shape.clone();
  }

  private static void requirePositive(String function, String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(function + ": " + name + " must be a positive number, got " + value);
    }
  }

  /** {@code finfo(dtype).eps}, the gap above 1: twice {@link #epsneg} (bf16 2^-7, f16 2^-10). */
  static double eps(DType dtype) {
    return 2 * epsneg(dtype);
  }

  /**
   * {@code finfo(dtype).epsneg}, the gap below 1: {@code 2^-(nmant + 1)}; {@code finfo.eps} is
   * twice it.
   */
  static double epsneg(DType dtype) {
    return switch (dtype) {
      case F32 -> 0x1p-24;
      case F64 -> 0x1p-53;
      case BF16 -> 0x1p-8;
      case F16 -> 0x1p-11;
      default -> throw new IllegalArgumentException("epsneg: " + dtype + " is not a float dtype");
    };
  }

  /**
   * {@code lax.nextafter(convert(value, dtype), ±inf)} for a 16-bit dtype: the neighbour of the
   * rounded value towards {@code +inf} ({@code up}) or {@code -inf}, as a double.
   */
  static double nextAfter16(DType dtype, double value, boolean up) {
    short bits = HalfFloats.fromDouble(dtype, value);
    int magnitude = bits & 0x7FFF;
    boolean negative = (bits & 0x8000) != 0;
    int next;
    if (magnitude == 0) {
      next = up ? 0x0001 : 0x8001; // the smallest subnormal of the direction's sign
    } else if (negative == up) {
      next = bits - 1; // towards zero
    } else {
      next = bits + 1; // away from zero
    }
    return HalfFloats.toFloat(dtype, (short) next);
  }

  static void requireFloat(String function, DType dtype) {
    Objects.requireNonNull(dtype, () -> function + ": dtype is null");
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException(function + ": dtype must be a float (F32, F64, BF16 or F16), got " + dtype
          + (function.equals("normal") || function.equals("uniform")
              ? "; for integers use Random.randint" : ""));
    }
  }
}
