package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.random.ErfInv;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * bf16/f16 sampling as JAX does it (docs/prng.md, "16-bit floats"): 8 random bits per bf16 value
 * and 16 per f16 value, the arithmetic in the 16-bit dtype. The expected values are computed here
 * in plain Java from the engine's 32-bit {@code Random.bits} (already checked against real JAX)
 * by the recipe read from JAX's source, one step at a time; the original layout's narrow bits are
 * checked against the values JAX publishes in its tests. Real JAX's own 16-bit outputs come in
 * through {@code JaxReferenceTest} once the reference file has them.
 */
// Each test reads one key's bits and the sampler's output from that same key on purpose: the
// sampler must be a function of exactly those bits (SL010 would ask for a split).
@SuppressWarnings("statelens:SL010")
class SixteenBitRandomTest {

  private static final Key KEY = Random.key(42);
  private static final float SQRT2_16 = 1.4140625f; // np.sqrt(2) in bf16 and in f16 alike

  // ---- the narrow bits ------------------------------------------------------------------------

  /** JAX tests/random_test.py testRngRandomBits, {@code key(1701)}, 8 and 16 bits (original layout). */
  @Test
  void originalLayoutNarrowBitsAreJaxsPublishedValues() {
    Key key = Random.key(1701);
    assertArrayEquals(new int[] {216, 115, 43},
        RandomSampler.ORIGINAL.narrowBits(key, new int[] {3}, 8).toIntArray());
    assertArrayEquals(new int[] {41682, 1300, 55017},
        RandomSampler.ORIGINAL.narrowBits(key, new int[] {3}, 16).toIntArray());
  }

  /** JAX's testRngRandomBitsViewProperty: 8-, 16- and 32-bit draws of 640 bits are the same bytes. */
  @Test
  void originalLayoutNarrowBitsViewAsTheWords() {
    Key key = Random.key(1701);
    int[] words = RandomSampler.ORIGINAL.bits(key, new int[] {20}).toIntArray();
    for (int width : new int[] {8, 16}) {
      int perWord = 32 / width;
      int[] pieces = RandomSampler.ORIGINAL.narrowBits(key, new int[] {640 / width}, width).toIntArray();
      int[] packed = new int[20];
      for (int i = 0; i < pieces.length; i++) {
        packed[i / perWord] |= pieces[i] << (width * (i % perWord)); // little-endian view
      }
      assertArrayEquals(words, packed, "width " + width);
    }
  }

  @Test
  void partitionableNarrowBitsAreTheLowBitsOfTheWord() {
    int[] words = Random.bits(KEY, 7).toIntArray();
    int[] eight = RandomSampler.PARTITIONABLE.narrowBits(KEY, new int[] {7}, 8).toIntArray();
    int[] sixteen = RandomSampler.PARTITIONABLE.narrowBits(KEY, new int[] {7}, 16).toIntArray();
    for (int i = 0; i < words.length; i++) {
      assertEquals(words[i] & 0xFF, eight[i]);
      assertEquals(words[i] & 0xFFFF, sixteen[i]);
    }
  }

  /** From the published 8 bits: bf16 keeps the top 7 of them as its mantissa. */
  @Test
  void originalLayoutBf16UniformFromJaxsPublishedBits() {
    float[] u = RandomSampler.ORIGINAL.uniform(Random.key(1701), new int[] {3}, DType.BF16, 0, 1).toFloatArray();
    assertArrayEquals(new float[] {(216 >>> 1) / 128f, (115 >>> 1) / 128f, (43 >>> 1) / 128f}, u);
  }

  // ---- uniform and normal, bit for bit with the recipe -------------------------------------------

  /** The unit value JAX builds from a 32-bit word: bf16 {@code (w & 0xFF) >> 1}, f16 {@code (w & 0xFFFF) >> 6}. */
  private static float unit(DType dtype, int word) {
    return dtype == DType.BF16 ? ((word & 0xFF) >>> 1) * 0x1p-7f : ((word & 0xFFFF) >>> 6) * 0x1p-10f;
  }

  private static float r(DType dtype, float x) {
    return HalfFloats.toFloat(dtype, HalfFloats.fromFloat(dtype, x));
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void uniformIsTheMantissaOfTheNarrowBits(DType dtype) {
    int n = 4096;
    int[] words = Random.bits(KEY, n).toIntArray();
    Array u = Random.uniform(KEY, new int[] {n}, dtype);
    assertEquals(dtype, u.dtype());
    float[] got = u.toFloatArray();
    for (int i = 0; i < n; i++) {
      assertBits(unit(dtype, words[i]), got[i], "element " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void uniformRangeRoundsEachOperationToTheDtype(DType dtype) {
    int n = 4096;
    int[] words = Random.bits(KEY, n).toIntArray();
    float lo = r(dtype, -0.3f); // convert_element_type(minval, dtype)
    float hi = r(dtype, 2.7f);
    float range = r(dtype, hi - lo);
    float[] got = Random.uniform(KEY, new int[] {n}, dtype, -0.3, 2.7).toFloatArray();
    for (int i = 0; i < n; i++) {
      float want = Math.max(lo, r(dtype, r(dtype, unit(dtype, words[i]) * range) + lo));
      assertBits(want, got[i], "element " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void normalIsSqrt2TimesErfInvOfTheUniform(DType dtype) {
    int n = 4096;
    int[] words = Random.bits(KEY, n).toIntArray();
    float lo = -1 + (dtype == DType.BF16 ? 0x1p-8f : 0x1p-11f); // nextafter(-1, 0) in dtype
    float range = r(dtype, 1 - lo);
    assertEquals(2f, range); // 1 - lo is a tie that rounds to 2, so u * 2 is exact
    assertEquals(SQRT2_16, r(dtype, (float) Math.sqrt(2)));
    float[] got = Random.normal(KEY, new int[] {n}, dtype).toFloatArray();
    for (int i = 0; i < n; i++) {
      float u = Math.max(lo, r(dtype, r(dtype, unit(dtype, words[i]) * range) + lo));
      // erf_inv: XLA upcasts 16-bit to f32, runs the f32 polynomial and rounds once
      float want = r(dtype, SQRT2_16 * r(dtype, ErfInv.erfInv(u)));
      assertBits(want, got[i], "element " + i);
    }
  }

  /** Fewer random bits than f32 means few distinct values: 128 bf16 normals, 1024 f16 ones. */
  @Test
  void sixteenBitNormalsTakeFewDistinctValues() {
    int n = 100_000;
    assertEquals(128, distinct(Random.normal(KEY, new int[] {n}, DType.BF16)));
    assertEquals(1024, distinct(Random.normal(KEY, new int[] {n}, DType.F16)));
  }

  private static long distinct(Array a) {
    float[] f = a.toFloatArray();
    return java.util.stream.IntStream.range(0, f.length).mapToDouble(i -> f[i]).distinct().count();
  }

  // ---- the other samplers: bounds, statistics ---------------------------------------------------

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void truncatedNormalStaysInsideTheOpenInterval(DType dtype) {
    float[] x = Random.truncatedNormal(KEY, -2, 2, new int[] {20_000}, dtype).toFloatArray();
    float above = (float) RandomSampler.nextAfter16(dtype, -2, true);
    float below = (float) RandomSampler.nextAfter16(dtype, 2, false);
    assertEquals(dtype == DType.BF16 ? -2 + 0x1p-7f : -2 + 0x1p-10f, above); // towards zero: the finer binade
    assertEquals(dtype == DType.BF16 ? 2 - 0x1p-7f : 2 - 0x1p-10f, below);
    for (float v : x) {
      assertTrue(v >= above && v <= below, () -> v + " outside (-2, 2)");
    }
    double[] m = moments(x);
    assertEquals(0, m[0], 0.03);
    assertEquals(0.8796256610342398, Math.sqrt(m[1]), 0.02); // JAX's truncated_normal stddev constant
  }

  @Test
  void nextAfter16StepsOneRepresentableValue() {
    assertEquals(0x1p-133, RandomSampler.nextAfter16(DType.BF16, 0, true)); // smallest bf16 subnormal
    assertEquals(-0x1p-24, RandomSampler.nextAfter16(DType.F16, -0.0, false));
    assertEquals(1 + 0x1p-7, RandomSampler.nextAfter16(DType.BF16, 1, true));
    assertEquals(1 - 0x1p-11, RandomSampler.nextAfter16(DType.F16, 1, false));
    assertEquals(-1 + 0x1p-8, RandomSampler.nextAfter16(DType.BF16, -1, true));
    assertEquals(65504, RandomSampler.nextAfter16(DType.F16, Double.POSITIVE_INFINITY, false));
  }

  /**
   * Mean and variance of 100 000 draws against the distribution the narrow bits give: {@code u}
   * uniform on 128 (bf16) or 1024 (f16) points {@code k / levels}, and each sampler's transform
   * of those points (whose moments differ visibly from the continuous ones: the bf16 gumbel mean
   * is about 0.53, not Euler's 0.577). Bounds are 5 standard errors plus the 16-bit rounding of
   * the outputs, with fixed keys, so they cannot flake.
   */
  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void momentsOf100000DrawsAreThoseOfTheNarrowGrid(DType dtype) {
    int n = 100_000;
    int levels = dtype == DType.BF16 ? 128 : 1024;
    double epsneg = dtype == DType.BF16 ? 0x1p-8 : 0x1p-11;
    double tiny = dtype == DType.BF16 ? 0x1p-126 : 0x1p-14;
    checkMoments("uniform", Random.uniform(Random.key(6), new int[] {n}, dtype), levels, u -> u);
    checkMoments("normal", Random.normal(Random.key(7), new int[] {n}, dtype), levels,
        u -> Math.sqrt(2) * erfInv(Math.max(-1 + epsneg, 2 * u - 1 + epsneg)));
    checkMoments("exponential", Random.exponential(Random.key(8), new int[] {n}, dtype), levels,
        u -> -Math.log1p(-u));
    checkMoments("gumbel", Random.gumbel(Random.key(9), new int[] {n}, dtype), levels,
        u -> -Math.log(-Math.log(Math.max(tiny, u))));
  }

  private static void checkMoments(String name, Array draws, int levels,
      java.util.function.DoubleUnaryOperator transform) {
    double mean = 0;
    double square = 0;
    for (int k = 0; k < levels; k++) {
      double v = transform.applyAsDouble((double) k / levels);
      mean += v / levels;
      square += v * v / levels;
    }
    double var = square - mean * mean;
    double[] m = moments(draws.toFloatArray());
    int n = draws.size();
    double slack = 0.005 * Math.sqrt(square); // 16-bit rounding of each output (bf16: 2^-9 relative)
    assertEquals(mean, m[0], 5 * Math.sqrt(var / n) + slack, name + " mean");
    assertEquals(var, m[1], 5 * var * Math.sqrt(2.0 / n) * 3 + 2 * slack * Math.sqrt(square), name + " variance");
  }

  /** erfinv in double by Newton's method on {@code erf} (from the test's own series): for the moments only. */
  private static double erfInv(double y) {
    double x = 0;
    for (int i = 0; i < 100; i++) {
      double step = (erf(x) - y) / (2 / Math.sqrt(Math.PI) * Math.exp(-x * x));
      x -= step;
      if (Math.abs(step) < 1e-15) {
        break;
      }
    }
    return x;
  }

  private static double erf(double x) {
    // Taylor series up to |x| < 3.5 (the largest 16-bit normal draw is under 3.3), summed in double
    double term = x;
    double sum = x;
    for (int k = 1; k < 200; k++) {
      term *= -x * x / k;
      sum += term / (2 * k + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  private static double[] moments(float[] x) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      var += (v - mean) * (v - mean);
    }
    return new double[] {mean, var / x.length};
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void everyFloatSamplerGivesFiniteValuesOfTheDtype(DType dtype) {
    Array all = allSamplers(KEY, dtype);
    for (float v : all.toFloatArray()) {
      assertTrue(Float.isFinite(v), () -> "non-finite " + v);
    }
    List<Key> k = Random.split(KEY, 6);
    assertEquals(DType.BOOL, Random.bernoulli(k.get(0), Array.scalar(dtype, 0.25), 5).dtype());
    Array p = Array.of(dtype, new int[] {4}, 0.1f, 0.2f, 0.3f, 0.4f); // choice draws in p's dtype
    for (int i : Random.choice(k.get(3), 4, new int[] {50}, true, p).toIntArray()) {
      assertTrue(i >= 0 && i < 4, () -> "index " + i);
    }
    assertEquals(4, Arrays.stream(Random.choice(k.get(4), 4, new int[] {4}, false, p).toIntArray()).distinct().count());
    assertEquals(DType.I32, Random.categorical(k.get(1), Array.of(dtype, new int[] {3}, 0f, 1f, 2f)).dtype());
    assertArrayEquals(new int[] {2, 3}, Random.normal(k.get(2), new int[] {2, 3}, dtype).shape());
    assertEquals(0, Random.uniform(k.get(5), new int[] {0}, dtype).size()); // its own key (SL010)
  }

  /**
   * jax.nn.initializers.variance_scaling in 16 bits: {@code variance = jnp.array(scale / n,
   * dtype)}, its square root and the truncated-normal constant each rounded to the dtype, as JAX
   * computes them (not the f32 factors rounded once).
   */
  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void varianceScalingInitializersComputeTheirFactorsInTheDtype(DType dtype) {
    int[] shape = {3, 4}; // fan_in 3, fan_out 4
    Key key = Random.key(5);
    float he = r(dtype, 2f / 3);
    float heStddev = r(dtype, r(dtype, (float) Math.sqrt(he)) / r(dtype, 0.87962566103423978f));
    assertBits(Random.truncatedNormal(key, -2, 2, shape, dtype).mul(heStddev).toFloatArray(),
        Init.heNormal().init(key, shape, dtype).toFloatArray());
    float glorot = r(dtype, 1f / 3.5f);
    float limit = r(dtype, (float) Math.sqrt(r(dtype, 3 * glorot)));
    Array g = Init.glorotUniform().init(key, shape, dtype);
    assertEquals(dtype, g.dtype());
    assertBits(Random.uniform(key, shape, dtype, -1, 1).mul(limit).toFloatArray(), g.toFloatArray());
    float lecun = r(dtype, (float) Math.sqrt(r(dtype, 1f / 3)));
    assertBits(Random.normal(key, shape, dtype).mul(lecun).toFloatArray(),
        Init.varianceScaling(1, Init.Mode.FAN_IN, Init.Distribution.NORMAL, new int[] {-2}, new int[] {-1},
            new int[0]).init(key, shape, dtype).toFloatArray());
  }

  // ---- jit == eager, vmap == loop ---------------------------------------------------------------

  private static Array allSamplers(Key key, DType dtype) {
    List<Key> k = Random.split(key, 14);
    int[] s = {5};
    Array logits = Array.of(dtype, new int[] {4}, 0.1f, 2f, -1f, 0.5f);
    return Array.concatenate(0,
        Random.uniform(k.get(0), s, dtype),
        Random.uniform(k.get(1), s, dtype, -3, 5),
        Random.normal(k.get(2), s, dtype),
        Random.truncatedNormal(k.get(3), -1, 2, s, dtype),
        Random.gumbel(k.get(4), s, dtype),
        Random.exponential(k.get(5), s, dtype),
        Random.laplace(k.get(6), s, dtype),
        Random.logistic(k.get(7), s, dtype),
        Random.rademacher(k.get(8), s, dtype),
        Random.pareto(k.get(9), 2, s, dtype),
        Random.weibullMin(k.get(10), 1.5, 2, s, dtype),
        Random.maxwell(k.get(11), s, dtype),
        Random.doubleSidedMaxwell(k.get(12), 1, 2, s, dtype),
        Random.categorical(k.get(13), logits, -1, 5).astype(dtype));
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void jitGivesTheEagerBits(DType dtype) {
    Key key = Random.key(2024);
    Array eager = allSamplers(key, dtype);
    Array jitted = Transforms.jit((Key k) -> allSamplers(k, dtype)).apply(key);
    assertEquals(dtype, jitted.dtype());
    assertBits(eager.toFloatArray(), jitted.toFloatArray());
  }

  @ParameterizedTest
  @EnumSource(names = {"BF16", "F16"})
  void vmapOverKeysEqualsTheLoop(DType dtype) {
    List<Key> keys = Random.split(Random.key(77), 3);
    Array stacked = Array.stack(0, keys.stream().map(Key::keyData).toList());
    Function<Array, Array> batched = Transforms.vmap((Array kd) -> allSamplers(new Key(kd), dtype));
    Array all = batched.apply(stacked);
    for (int i = 0; i < keys.size(); i++) {
      assertBits(allSamplers(keys.get(i), dtype).toFloatArray(), all.get(i).toFloatArray());
    }
  }

  // ---- what is still refused -------------------------------------------------------------------

  @Test
  void integerDtypesAreRefusedWithTheWayOut() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Random.uniform(KEY, new int[] {2}, DType.I32));
    assertTrue(e.getMessage().contains("BF16") && e.getMessage().contains("randint"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Random.normal(KEY, new int[] {2}, DType.U32));
    assertTrue(e.getMessage().contains("float"), e.getMessage());
  }

  private static void assertBits(float want, float got, String where) {
    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
        () -> where + ": want " + want + ", got " + got);
  }

  private static void assertBits(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertBits(want[i], got[i], "element " + i + " of " + Arrays.toString(got));
    }
  }
}
