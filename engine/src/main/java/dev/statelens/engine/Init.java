package dev.statelens.engine;

import dev.statelens.engine.backend.HalfFloats;
import java.util.Arrays;
import java.util.Objects;

/**
 * JAX's {@code jax.nn.initializers}: factories of {@link Initializer}s, with JAX's arithmetic so
 * that the same key gives the same weights as in JAX (see docs/nn.md for what is verified).
 *
 * <pre>{@code
 * List<Key> k = Random.split(key, 2);
 * Array w1 = Init.heNormal().init(k.get(0), 784, 256);     // jax.nn.initializers.he_normal()
 * Array w2 = Init.glorotUniform().init(k.get(1), 256, 10); // glorot_uniform()
 * Array b = Init.zeros().init(key, 10);
 * }</pre>
 *
 * <p>Fans follow {@code variance_scaling}: the input axis is {@code -2} and the output axis
 * {@code -1} (a dense {@code [in, out]} matrix, a flax/HWIO convolution kernel
 * {@code [h, w, in, out]}); every other axis is the receptive field, which multiplies both fans.
 * For PyTorch-style OIHW kernels pass {@code inAxes = {1}, outAxes = {0}} to
 * {@link #varianceScaling(double, Mode, Distribution, int[], int[], int[])}.
 */
public final class Init {
  private Init() {}

  /** The standard deviation of a standard normal truncated to (-2, 2) (JAX's constant). */
  static final double TRUNCATED_STDDEV = .87962566103423978;

  /** What the variance is divided by ({@code variance_scaling}'s {@code mode}). */
  public enum Mode {
    /** {@code "fan_in"}: the number of inputs. */
    FAN_IN,
    /** {@code "fan_out"}: the number of outputs. */
    FAN_OUT,
    /** {@code "fan_avg"}: {@code (fan_in + fan_out) / 2}. */
    FAN_AVG,
    /** {@code "fan_geo_avg"}: {@code (fan_in * fan_out) ** 0.5}. */
    FAN_GEO_AVG
  }

  /** {@code variance_scaling}'s {@code distribution}. */
  public enum Distribution {
    /** {@code "truncated_normal"}: normal truncated to two standard deviations, rescaled. */
    TRUNCATED_NORMAL,
    /** {@code "normal"}. */
    NORMAL,
    /** {@code "uniform"}: uniform on {@code [-limit, limit)} with the requested variance. */
    UNIFORM
  }

  // ---- constants --------------------------------------------------------------------------------

  /** {@code jax.nn.initializers.zeros}. */
  public static Initializer zeros() {
    return constant(0);
  }

  /** {@code jax.nn.initializers.ones}. */
  public static Initializer ones() {
    return constant(1);
  }

  /** {@code jax.nn.initializers.constant(value)}: every element {@code value} (the key is unused). */
  public static Initializer constant(double value) {
    return (key, shape, dtype) ->
        Array.full(Objects.requireNonNull(dtype, "dtype"), RandomSampler.requireShape("init", shape), value);
  }

  // ---- plain random -----------------------------------------------------------------------------

  /** {@code jax.nn.initializers.uniform()}: uniform on {@code [0, 0.01)}. */
  public static Initializer uniform() {
    return uniform(1e-2);
  }

  /** {@code jax.nn.initializers.uniform(scale)}: {@code uniform(key, shape, dtype) * scale}, in {@code [0, scale)}. */
  public static Initializer uniform(double scale) {
    return (key, shape, dtype) -> Random.uniform(key, shape, requireFloat(dtype)).mul(scale);
  }

  /** {@code jax.nn.initializers.normal()}: standard deviation 0.01. */
  public static Initializer normal() {
    return normal(1e-2);
  }

  /** {@code jax.nn.initializers.normal(stddev)}: {@code normal(key, shape, dtype) * stddev}. */
  public static Initializer normal(double stddev) {
    return (key, shape, dtype) -> Random.normal(key, shape, requireFloat(dtype)).mul(stddev);
  }

  /** {@code jax.nn.initializers.truncated_normal()}: stddev 0.01, truncated to (-2, 2) before scaling. */
  public static Initializer truncatedNormal() {
    return truncatedNormal(1e-2);
  }

  /** {@code jax.nn.initializers.truncated_normal(stddev)}: truncated to (-2, 2), times {@code stddev}. */
  public static Initializer truncatedNormal(double stddev) {
    return truncatedNormal(stddev, -2, 2);
  }

  /**
   * {@code jax.nn.initializers.truncated_normal(stddev, lower=, upper=)}:
   * {@code truncated_normal(key, lower, upper, shape, dtype) * stddev}. Note that, as in JAX, the
   * result's standard deviation is below {@code stddev} (0.88 of it for (-2, 2)).
   */
  public static Initializer truncatedNormal(double stddev, double lower, double upper) {
    return (key, shape, dtype) ->
        Random.truncatedNormal(key, lower, upper, shape, requireFloat(dtype)).mul(stddev);
  }

  // ---- variance scaling -------------------------------------------------------------------------

  /** {@code glorot_uniform} (Xavier): {@code variance_scaling(1, fan_avg, uniform)}. */
  public static Initializer glorotUniform() {
    return varianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM);
  }

  /**
   * {@link #glorotUniform()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer glorotUniform(int[] inAxes, int[] outAxes) {
    return varianceScaling(1, Mode.FAN_AVG, Distribution.UNIFORM, inAxes, outAxes, new int[0]);
  }

  /** {@code glorot_normal} (Xavier): {@code variance_scaling(1, fan_avg, truncated_normal)}. */
  public static Initializer glorotNormal() {
    return varianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
  }

  /**
   * {@link #glorotNormal()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer glorotNormal(int[] inAxes, int[] outAxes) {
    return varianceScaling(1, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, inAxes, outAxes, new int[0]);
  }

  /** {@code lecun_uniform}: {@code variance_scaling(1, fan_in, uniform)}. */
  public static Initializer lecunUniform() {
    return varianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM);
  }

  /**
   * {@link #lecunUniform()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer lecunUniform(int[] inAxes, int[] outAxes) {
    return varianceScaling(1, Mode.FAN_IN, Distribution.UNIFORM, inAxes, outAxes, new int[0]);
  }

  /** {@code lecun_normal}: {@code variance_scaling(1, fan_in, truncated_normal)}. */
  public static Initializer lecunNormal() {
    return varianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
  }

  /**
   * {@link #lecunNormal()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer lecunNormal(int[] inAxes, int[] outAxes) {
    return varianceScaling(1, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, inAxes, outAxes, new int[0]);
  }

  /** {@code he_uniform} (Kaiming): {@code variance_scaling(2, fan_in, uniform)}. */
  public static Initializer heUniform() {
    return varianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM);
  }

  /**
   * {@link #heUniform()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer heUniform(int[] inAxes, int[] outAxes) {
    return varianceScaling(2, Mode.FAN_IN, Distribution.UNIFORM, inAxes, outAxes, new int[0]);
  }

  /** {@code he_normal} (Kaiming): {@code variance_scaling(2, fan_in, truncated_normal)}. */
  public static Initializer heNormal() {
    return varianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
  }

  /**
   * {@link #heNormal()} with JAX's {@code in_axis} / {@code out_axis}: the axes whose sizes multiply to
   * the fans, for a weight kept in a split shape (e.g. {@code [in, heads, head_dim]}: in {0}, out {1, 2}).
   */
  public static Initializer heNormal(int[] inAxes, int[] outAxes) {
    return varianceScaling(2, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, inAxes, outAxes, new int[0]);
  }

  /** {@code variance_scaling(scale, mode, distribution)} with JAX's axes: in {@code -2}, out {@code -1}. */
  public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution) {
    return varianceScaling(scale, mode, distribution, new int[] {-2}, new int[] {-1}, new int[0]);
  }

  /**
   * {@code jax.nn.initializers.variance_scaling(scale, mode, distribution, in_axis, out_axis,
   * batch_axis)}: samples with variance {@code scale / n}, {@code n} chosen by {@code mode} from
   * the {@linkplain #fans fans}. {@code TRUNCATED_NORMAL} draws {@code truncated_normal(-2, 2)}
   * times {@code sqrt(variance) / 0.87962566103423978} (the truncated distribution's own standard
   * deviation, so the result has the requested variance); {@code NORMAL} {@code normal *
   * sqrt(variance)}; {@code UNIFORM} {@code uniform(-1, 1) * sqrt(3 variance)}. The variance is
   * rounded to {@code dtype} first and the factors computed in {@code dtype}, as JAX does.
   */
  public static Initializer varianceScaling(double scale, Mode mode, Distribution distribution,
      int[] inAxes, int[] outAxes, int[] batchAxes) {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(distribution, "distribution");
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("varianceScaling: scale must be a positive number, got " + scale);
    }
    int[] in = inAxes.clone();
    int[] out = outAxes.clone();
    int[] batch = batchAxes.clone();
    return (key, shape, dtype) -> {
      requireFloat(dtype);
      double[] fans = fans(shape, in, out, batch);
      double denominator = switch (mode) {
        case FAN_IN -> fans[0];
        case FAN_OUT -> fans[1];
        case FAN_AVG -> (fans[0] + fans[1]) / 2;
        case FAN_GEO_AVG -> Math.pow(fans[0] * fans[1], 0.5);
      };
      double variance = round(dtype, scale / denominator); // jnp.array(.., dtype)
      return switch (distribution) {
        case TRUNCATED_NORMAL -> {
          double stddev = dtype == DType.F64 ? Math.sqrt(variance) / TRUNCATED_STDDEV
              : round(dtype, (float) sqrt(variance, dtype) / (float) round(dtype, TRUNCATED_STDDEV));
          yield Random.truncatedNormal(key, -2, 2, shape, dtype).mul(stddev);
        }
        case NORMAL -> Random.normal(key, shape, dtype).mul(sqrt(variance, dtype));
        case UNIFORM -> {
          double threeVariance = dtype == DType.F64 ? 3 * variance : round(dtype, 3f * (float) variance);
          yield Random.uniform(key, shape, dtype, -1, 1).mul(sqrt(threeVariance, dtype));
        }
      };
    };
  }

  /**
   * JAX's {@code _compute_fans}: {@code {fan_in, fan_out}} of a weight shape. {@code in_size} and
   * {@code out_size} are the products of the dimensions on {@code inAxes} / {@code outAxes}; the
   * receptive field is the product of all dimensions divided by in, out and batch sizes; each fan
   * is its size times the receptive field. A dense {@code [3, 5]}: {@code {3, 5}}; an HWIO
   * convolution kernel {@code [3, 3, 16, 32]}: {@code {144, 288}}.
   */
  public static double[] fans(int[] shape, int[] inAxes, int[] outAxes, int[] batchAxes) {
    int[] s = RandomSampler.requireShape("init", shape);
    if (s.length < 2) {
      throw new ShapeError("init: can't compute input and output sizes of a " + s.length
          + "-dimensional weights tensor " + ShapeError.format(s) + "; it must be at least 2-D "
          + "(use Init.zeros/ones/normal/uniform for biases)");
    }
    double total = 1;
    for (int d : s) {
      total *= d;
    }
    double inSize = product(s, inAxes, "inAxes");
    double outSize = product(s, outAxes, "outAxes");
    double batchSize = product(s, batchAxes, "batchAxes");
    double receptive = total / inSize / outSize / batchSize;
    return new double[] {inSize * receptive, outSize * receptive};
  }

  private static double product(int[] shape, int[] axes, String what) {
    double p = 1;
    for (int a : axes) {
      if (a < -shape.length || a >= shape.length) {
        throw new ShapeError("init: " + what + " " + Arrays.toString(axes) + " is out of range for shape "
            + ShapeError.format(shape) + "; use axes from " + -shape.length + " to " + (shape.length - 1));
      }
      p *= shape[a < 0 ? a + shape.length : a];
    }
    return p;
  }

  /** {@code sqrt} in {@code dtype}: F32's is correctly rounded, as XLA's; 16-bit is the f32 sqrt rounded, as XLA computes it. */
  private static double sqrt(double x, DType dtype) {
    return dtype == DType.F64 ? Math.sqrt(x) : round(dtype, (float) Math.sqrt(x));
  }

  /** {@code x} rounded to the float {@code dtype} (nearest even), as {@code jnp.array(x, dtype)}. */
  private static double round(DType dtype, double x) {
    return switch (dtype) {
      case F64 -> x;
      case BF16, F16 -> HalfFloats.round(dtype, x);
      default -> (float) x;
    };
  }

  private static DType requireFloat(DType dtype) {
    Objects.requireNonNull(dtype, "dtype");
    if (!dtype.isFloating()) {
      throw new IllegalArgumentException("init: dtype must be a float (F32, F64, BF16 or F16), got " + dtype
          + "; initialize in floats and convert with astype if you need integers");
    }
    return dtype;
  }
}
