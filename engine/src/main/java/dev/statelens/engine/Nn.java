package dev.statelens.engine;

import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;

/**
 * Neural-network functions as {@code jax.nn} (and optax's softmax cross-entropy) define them,
 * with their numerics: the normalizers subtract a stop-gradient maximum, so logits of ±1000
 * give finite values and finite, correct gradients. Each is a composition of the engine's
 * primitives, so {@code jit}, {@code grad}, {@code vmap}, the recorder and the GPU backends
 * need nothing new for them.
 *
 * <pre>{@code
 * Array logits = mlp(params, x);                              // [batch, classes]
 * Array loss = Nn.softmaxCrossEntropy(logits, labels).mean(); // labels: i32[batch]
 * }</pre>
 */
public final class Nn {
  private Nn() {}

  private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

  /**
   * {@code jax.nn.relu}: {@code max(x, 0)}. As in JAX the gradient at 0 is 0 (JAX's custom JVP),
   * not the half that {@code maximum} gives at a tie; NaN stays NaN.
   */
  public static Array relu(Array x) {
    return Array.where(x.le(0), 0.0, x);
  }

  /**
   * {@code jax.nn.gelu(x, approximate)}. {@code approximate=true} is the tanh form
   * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, JAX's default; {@code false} the exact
   * form {@code x/2 (1 + erf(x / sqrt(2)))} (the {@code erf} primitive).
   */
  public static Array gelu(Array x, boolean approximate) {
    Array f = floaty(x);
    if (!approximate) {
      return f.mul(0.5).mul(f.mul(1 / Math.sqrt(2)).erf().add(1));
    }
    Array inner = f.add(f.mul(f).mul(f).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return f.mul(0.5).mul(inner.tanh().add(1));
  }

  /** {@code jax.nn.gelu(x)}: the tanh approximation (JAX's default). */
  public static Array gelu(Array x) {
    return gelu(x, true);
  }

  /**
   * {@code jax.nn.softplus}: {@code log(1 + exp(x))}, computed as
   * {@code max(x, 0) + log1p(exp(-|x|))} (JAX's {@code logaddexp(x, 0)}), which neither overflows
   * for large x nor loses small values for very negative x.
   */
  public static Array softplus(Array x) {
    Array f = floaty(x);
    return f.maximum(0).add(f.abs().neg().exp().log1p());
  }

  /** {@code jax.nn.silu} (swish): {@code x * sigmoid(x)}. */
  public static Array silu(Array x) {
    Array f = floaty(x);
    return f.mul(f.sigmoid());
  }

  /** {@code jax.nn.log_sigmoid}: {@code -softplus(-x)}, finite for x = -1000. */
  public static Array logSigmoid(Array x) {
    return softplus(floaty(x).neg()).neg();
  }

  /**
   * {@code jax.nn.softmax(x, axis)}: {@code exp(x - max) / sum(exp(x - max))} along {@code axis}
   * (negative counts from the end), the max held constant for the gradient.
   */
  public static Array softmax(Array x, int axis) {
    Array unnormalized = floaty(x).sub(stableMax(x, axis)).exp();
    return unnormalized.div(unnormalized.sumKeepDims(axis));
  }

  /** {@code jax.nn.softmax(x)} over the last axis. */
  public static Array softmax(Array x) {
    return softmax(x, -1);
  }

  /**
   * {@code jax.nn.log_softmax(x, axis)}: {@code shifted - log(sum(exp(shifted)))} with
   * {@code shifted = x - max}; a logit far below the max gives a large negative value, not -inf.
   */
  public static Array logSoftmax(Array x, int axis) {
    Array shifted = floaty(x).sub(stableMax(x, axis));
    return shifted.sub(shifted.exp().sumKeepDims(axis).log());
  }

  /** {@code jax.nn.log_softmax(x)} over the last axis. */
  public static Array logSoftmax(Array x) {
    return logSoftmax(x, -1);
  }

  /**
   * {@code jax.nn.logsumexp(x, axis, keepdims)} ({@code jax.scipy.special.logsumexp}):
   * {@code log(sum(exp(x - m))) + m} with {@code m} the stop-gradient max along {@code axis}
   * (a non-finite max is replaced by 0, as JAX does, so all -inf gives -inf, not NaN).
   */
  public static Array logsumexp(Array x, int axis, boolean keepDims) {
    Array m = stableMax(x, axis);
    Array r = floaty(x).sub(m).exp().sumKeepDims(axis).log().add(m);
    return keepDims ? r : r.squeeze(axis);
  }

  /** {@code jax.nn.logsumexp(x)} over all elements, a rank-0 result. */
  public static Array logsumexp(Array x) {
    return logsumexp(x.reshape(-1), 0, false);
  }

  /**
   * {@code jax.nn.one_hot(labels, numClasses, dtype)}: a new last axis of length
   * {@code numClasses} holding 1 at each label and 0 elsewhere, computed as
   * {@code labels[..., None] == iota(numClasses)}. Labels are i32 or u32; a label outside
   * {@code [0, numClasses)} (e.g. -1 for padding) gives an all-zero row, as in JAX.
   */
  public static Array oneHot(Array labels, int numClasses, DType dtype) {
    if (!labels.dtype().isInteger()) {
      throw new ShapeError("oneHot: labels must be i32 or u32 class indices, got " + labels.aval()
          + "; convert them with astype(DType.I32)");
    }
    if (numClasses < 0) {
      throw new IllegalArgumentException("oneHot: numClasses must be >= 0, got " + numClasses);
    }
    int[] shape = java.util.Arrays.copyOf(labels.shape(), labels.ndim() + 1);
    shape[labels.ndim()] = numClasses;
    Array classes = Prims.IOTA.bind1(Params.of("dtype", labels.dtype(), "shape", shape, "dimension", labels.ndim()));
    return labels.expandDims(-1).eq(classes).astype(dtype);
  }

  /** {@code jax.nn.one_hot(labels, numClasses)}: F32. */
  public static Array oneHot(Array labels, int numClasses) {
    return oneHot(labels, numClasses, DType.F32);
  }

  /**
   * Softmax cross-entropy per example, as optax: the caller takes the mean. Two kinds of labels,
   * told apart by dtype:
   * <ul>
   *   <li>integer labels (i32/u32) of shape {@code logits.shape[:-1]}:
   *       {@code optax.softmax_cross_entropy_with_integer_labels}, i.e.
   *       {@code logsumexp(logits) - logits[label]}; the label's logit is picked with
   *       {@link Array#takeAlongAxis} (a gather, whose gradient is a scatter-add), so a label
   *       outside {@code [0, classes)} is clamped to the nearest class: check labels that can be
   *       out of range;
   *   <li>float labels of the logits' shape (one-hot rows or probabilities):
   *       {@code optax.softmax_cross_entropy}, i.e. {@code -sum(labels * log_softmax(logits))}.
   * </ul>
   * Stable for any finite logits (±1000 gives finite losses and gradients).
   */
  public static Array softmaxCrossEntropy(Array logits, Array labels) {
    if (logits.ndim() == 0) {
      throw new ShapeError("softmaxCrossEntropy: logits must have a class axis (the last), got rank-0 "
          + logits.aval());
    }
    if (labels.dtype().isInteger()) {
      int[] expected = java.util.Arrays.copyOf(logits.shape(), logits.ndim() - 1);
      if (!java.util.Arrays.equals(expected, labels.shape())) {
        throw new ShapeError("softmaxCrossEntropy: integer labels " + labels.aval().shapeString()
            + " must have the logits' shape without the class axis, " + ShapeError.format(expected)
            + " for logits " + logits.aval().shapeString() + "; for one-hot labels pass floats of the logits' shape");
      }
      Array f = floaty(logits);
      Array labelLogit = f.takeAlongAxis(labels.expandDims(-1), -1).squeeze(-1);
      return logsumexp(f, -1, false).sub(labelLogit);
    }
    if (labels.dtype() == DType.BOOL) {
      throw new ShapeError("softmaxCrossEntropy: labels are bool " + labels.aval()
          + "; pass i32 class indices or float one-hot/probability rows (astype(DType.F32))");
    }
    if (!java.util.Arrays.equals(labels.shape(), logits.shape())) {
      throw new ShapeError("softmaxCrossEntropy: float labels " + labels.aval().shapeString()
          + " must have the logits' shape " + logits.aval().shapeString()
          + " (one probability per class); for class indices pass i32 labels of shape "
          + ShapeError.format(java.util.Arrays.copyOf(logits.shape(), logits.ndim() - 1)));
    }
    return labels.mul(logSoftmax(logits, -1)).sum(-1).neg();
  }

  /** The max along {@code axis} (kept), held constant for gradients; non-finite maxima become 0. */
  private static Array stableMax(Array x, int axis) {
    Array m = floaty(x).maxKeepDims(axis);
    return Array.where(m.isFinite(), m, 0.0).stopGradient();
  }

  private static Array floaty(Array x) {
    if (x.dtype().isFloating()) {
      return x;
    }
    if (x.dtype() == DType.BOOL) {
      throw new ShapeError("Nn: got a bool array " + x.aval() + "; convert it with astype(DType.F32)");
    }
    return x.astype(DType.F32);
  }

  // ---- convolution and pooling (flax's NHWC layouts; docs/nn.md) -------------------------------

  /**
   * A 2-D convolution as {@code flax.linen.Conv} computes it: input {@code [N, H, W, C]}, kernel
   * {@code [KH, KW, C, O]} (HWIO), output {@code [N, H', W', O]}; {@code padding} "SAME" or
   * "VALID" ({@code lax.padtype_to_pads}). The primitive is {@code conv_general_dilated}.
   */
  public static Array conv2d(Array x, Array w, int[] strides, String padding) {
    if (x.ndim() != 4 || w.ndim() != 4) {
      throw new ShapeError("Nn.conv2d: input " + x.aval().shapeString() + " must be [N, H, W, C] and kernel "
          + w.aval().shapeString() + " [KH, KW, C, O]; for 1-D or 3-D use Nn.conv, for NCHW/OIHW Lax.conv");
    }
    return conv(x, w, strides, padding, null, 1);
  }

  /**
   * {@code conv2d} in any spatial rank ({@code [N, spatial..., C]} and {@code [window..., C/G, O]}:
   * 1-D, 2-D, 3-D) with kernel dilation (null for 1) and {@code featureGroups} (flax's
   * {@code feature_group_count}; 1 for an ordinary convolution, C for depthwise).
   */
  public static Array conv(Array x, Array w, int[] strides, String padding, int[] dilation, int featureGroups) {
    if (x.ndim() != w.ndim() || x.ndim() < 3) {
      throw new ShapeError("Nn.conv: input " + x.aval().shapeString() + " must be [N, spatial..., C] and kernel "
          + w.aval().shapeString() + " [spatial..., C, O] of the same rank (4 for conv2d: NHWC and HWIO)");
    }
    return Convolutions.convChannelsLast(x, w, strides, padding, dilation, featureGroups);
  }

  /**
   * {@code flax.linen.max_pool(x, window_shape, strides, padding)}: maxima over windows of the
   * spatial dims of {@code [N, spatial..., C]} (or unbatched {@code [spatial..., C]});
   * {@code strides} null means 1 (flax's default); padding "SAME"/"VALID" ({@code -inf} padding).
   */
  public static Array maxPool(Array x, int[] window, int[] strides, String padding) {
    return Convolutions.pool("max_pool", x, window, strides, padding);
  }

  /**
   * {@code flax.linen.avg_pool(x, window_shape, strides, padding)}: window sums over the window's
   * size ({@code count_include_pad=True}, flax's default: SAME's padding counts as zeros).
   */
  public static Array avgPool(Array x, int[] window, int[] strides, String padding) {
    return Convolutions.avgPool(x, window, strides, padding, true);
  }

  /** {@code avg_pool} with {@code count_include_pad}: false divides by the real elements in each window. */
  public static Array avgPool(Array x, int[] window, int[] strides, String padding, boolean countIncludePad) {
    return Convolutions.avgPool(x, window, strides, padding, countIncludePad);
  }
}
