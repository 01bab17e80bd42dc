package dev.statelens.engine.record.store;

import dev.statelens.engine.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Summary of one array leaf as stored in {@code samples}: statistics over its finite elements,
 * NaN/Inf counts, and its values (all of them up to {@code maxValues}, else a deterministic
 * evenly spaced sample: element {@code floor(k * size / maxValues)} for k = 0..maxValues-1).
 *
 * <p>min/max/mean/std/norm are null when the leaf has no finite element. std is the population
 * standard deviation (NumPy's default {@code ddof=0}); norm is the L2 norm.
 */
public record LeafStats(DType dtype, int[] shape, int size, Double min, Double max, Double mean,
    Double std, Double norm, long nan, long inf, boolean sampled, byte[] values) {

  /** Computes the summary of host storage ({@code float[]}, {@code double[]}, {@code int[]}, {@code boolean[]}). */
  public static LeafStats of(DType dtype, int[] shape, Object host, int maxValues) {
    if (host instanceof short[] bits) {
      // bf16/f16: statistics of the widened (exact) f32 values, samples stored as f32
      return ofFloats(dtype, shape, dev.statelens.engine.backend.HalfFloats.toFloats(dtype, bits), maxValues);
    }
    if (dtype.isComplex()) {
      // c64: statistics and samples of the modulus |z| (f32), one per element
      float[] c = (float[]) host;
      float[] modulus = new float[c.length / 2];
      for (int i = 0; i < modulus.length; i++) {
        modulus[i] = (float) Math.hypot(c[2 * i], c[2 * i + 1]);
      }
      return ofFloats(dtype, shape, modulus, maxValues);
    }
    if (host instanceof float[] f) {
      return ofFloats(dtype, shape, f, maxValues);
    }
    int n = java.lang.reflect.Array.getLength(host);
    double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
    long nan = 0, inf = 0, finite = 0;
    for (int i = 0; i < n; i++) {
      double v = element(host, dtype, i);
      if (Double.isNaN(v)) {
        nan++;
      } else if (Double.isInfinite(v)) {
        inf++;
      } else {
        finite++;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        sum += v;
        sumSq += v * v;
      }
    }
    Double min = null, max = null, mean = null, std = null, norm = null;
    if (finite > 0) {
      double m = sum / finite;
      double var = 0;
      for (int i = 0; i < n; i++) { // second pass: numerically stable variance
        double v = element(host, dtype, i);
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          var += (v - m) * (v - m);
        }
      }
      min = mn;
      max = mx;
      mean = m;
      std = Math.sqrt(var / finite);
      norm = Math.sqrt(sumSq);
    }
    boolean sampled = n > maxValues;
    int count = sampled ? maxValues : n;
    return new LeafStats(dtype, shape.clone(), n, min, max, mean, std, norm, nan, inf, sampled,
        encode(host, dtype, n, count));
  }

  /**
   * {@link #of} for f32 storage, the common case, without the per-element type switch: the run
   * writer summarises every new leaf of every call. Same arithmetic in the same order, so the same
   * bits as the general path.
   */
  private static LeafStats ofFloats(DType dtype, int[] shape, float[] a, int maxValues) {
    int n = a.length;
    double mn = Double.POSITIVE_INFINITY, mx = Double.NEGATIVE_INFINITY, sum = 0, sumSq = 0;
    long nan = 0, inf = 0, finite = 0;
    for (float f : a) {
      double v = f;
      if (Double.isNaN(v)) {
        nan++;
      } else if (Double.isInfinite(v)) {
        inf++;
      } else {
        finite++;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        sum += v;
        sumSq += v * v;
      }
    }
    Double min = null, max = null, mean = null, std = null, norm = null;
    if (finite > 0) {
      double m = sum / finite;
      double var = 0;
      for (float f : a) {
        double v = f;
        if (!Double.isNaN(v) && !Double.isInfinite(v)) {
          var += (v - m) * (v - m);
        }
      }
      min = mn;
      max = mx;
      mean = m;
      std = Math.sqrt(var / finite);
      norm = Math.sqrt(sumSq);
    }
    boolean sampled = n > maxValues;
    int count = sampled ? maxValues : n;
    byte[] bytes = new byte[count * 4];
    for (int k = 0; k < count; k++) {
      int i = count == n ? k : (int) ((long) k * n / count);
      FLOAT_LE.set(bytes, 4 * k, a[i]);
    }
    return new LeafStats(dtype, shape.clone(), n, min, max, mean, std, norm, nan, inf, sampled, bytes);
  }

  private static final java.lang.invoke.VarHandle FLOAT_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  /** Element i as a double (U32 unsigned, bool 0/1). */
  static double element(Object host, DType dtype, int i) {
    return switch (host) {
      case float[] a -> a[i];
      case double[] a -> a[i];
      case int[] a -> dtype == DType.U32 ? Integer.toUnsignedLong(a[i]) : a[i];
      case boolean[] a -> a[i] ? 1 : 0;
      case short[] a -> dev.statelens.engine.backend.HalfFloats.toFloat(dtype, a[i]);
      default -> throw new IllegalArgumentException("not host array storage: " + host.getClass());
    };
  }

  /** Little-endian bytes of {@code count} elements picked evenly from {@code n}. */
  private static byte[] encode(Object host, DType dtype, int n, int count) {
    ByteBuffer b = ByteBuffer.allocate(count * bytesPerElement(dtype)).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < count; k++) {
      int i = count == n ? k : (int) ((long) k * n / count);
      switch (host) {
        case float[] a -> b.putFloat(a[i]);
        case double[] a -> b.putDouble(a[i]);
        case int[] a -> b.putInt(a[i]);
        case boolean[] a -> b.put((byte) (a[i] ? 1 : 0));
        default -> throw new IllegalArgumentException("not host array storage: " + host.getClass());
      }
    }
    return b.array();
  }

  public static int bytesPerElement(DType dtype) {
    return switch (dtype) {
      case F32, I32, U32 -> 4;
      case BF16, F16 -> 4; // samples of 16-bit leaves are stored widened to f32
      case C64 -> 4; // samples of complex leaves are their moduli |z| as f32
      case F64 -> 8;
      case BOOL -> 1;
    };
  }

  /** Decodes a {@code samples.vals} blob to doubles (U32 unsigned, bool 0/1). */
  public static double[] decode(DType dtype, byte[] blob) {
    if (blob == null) {
      return new double[0];
    }
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[blob.length / bytesPerElement(dtype)];
    for (int i = 0; i < out.length; i++) {
      out[i] = switch (dtype) {
        case F32, BF16, F16, C64 -> b.getFloat();
        case F64 -> b.getDouble();
        case I32 -> b.getInt();
        case U32 -> Integer.toUnsignedLong(b.getInt());
        case BOOL -> b.get();
      };
    }
    return out;
  }

  /** A rank-0 summary of one logged scalar. */
  public static LeafStats scalar(double v) {
    // of(F64, [], {v}, 1) without the general path's reflection and two passes (and with norm |v|,
    // which v*v could overflow): the writer rolls up every logged scalar (losses, norms) per step
    byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return new LeafStats(DType.F64, new int[0], 1, null, null, null, null, null, Double.isNaN(v) ? 1 : 0,
          Double.isNaN(v) ? 0 : 1, false, bytes);
    }
    Double d = v;
    return new LeafStats(DType.F64, new int[0], 1, d, d, d, 0.0, Math.abs(v), 0, 0, false, bytes);
  }

  /** Shape as stored: {@code [3,4]}, {@code []} for a scalar. */
  public static String shapeString(int[] shape) {
    return Arrays.toString(shape).replace(" ", "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LeafStats s && s.dtype == dtype && Arrays.equals(s.shape, shape)
        && Arrays.equals(s.values, values) && s.nan == nan && s.inf == inf;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return dtype.name().toLowerCase() + shapeString(shape) + " min=" + min + " max=" + max + " mean="
        + mean + " std=" + std + " norm=" + norm + " nan=" + nan + " inf=" + inf;
  }
}
