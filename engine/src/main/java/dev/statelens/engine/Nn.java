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
    return Array.where(x.le(0), 0, x); // a weak int 0: an int32 x stays int32, as jax.nn.relu
  }

  /**
   * {@code jax.nn.gelu(x, approximate)}. {@code approximate=true} is the tanh form
   * {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, JAX's default; {@code false} the exact
   * form {@code x/2 erfc(-x / sqrt(2))} (the {@code erfc} primitive, as JAX: no cancellation in the negative tail).
   */
  public static Array gelu(Array x, boolean approximate) {
    Array f = floaty(x);
    if (!approximate) {
      // JAX's 0.5 x erfc(-x sqrt(1/2)): 1 + erf(x / sqrt 2) would round to 0 below x = -5.5 (gelu -0 for -1e-9)
      return f.mul(0.5).mul(f.neg().mul(Math.sqrt(0.5)).erfc());
    }
    Array inner = f.add(f.mul(f).mul(f).mul(0.044715)).mul(SQRT_2_OVER_PI);
    return f.mul(0.5).mul(inner.tanh().add(1));
  }

  /** {@code jax.nn.gelu(x)}: the tanh approximation (JAX's default). */
  public static Array gelu(Array x) {
    return gelu(x, true);
  }

  /**
   * {@code jax.nn.softplus}: {@code log(1 + exp(x))} as JAX's {@code logaddexp(x, 0)}, i.e.
   * {@code max(x, 0) + log1p(exp(-|x|))}, which neither overflows for large x nor loses small
   * values for very negative x; its gradient is logaddexp's custom JVP {@code exp(x - softplus(x))}
   * (1/2 at 0, as JAX).
   */
  public static Array softplus(Array x) {
    return floaty(x).logaddexp(0.0);
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
   * {@code jax.nn.dot_product_attention(query, key, value)}: {@code softmax(Q K^T / sqrt(H)) V} per
   * head, JAX's XLA implementation. Query {@code [B, T, N, H]}, key and value {@code [B, S, K, H]}
   * with {@code N} a multiple of {@code K} (grouped-query attention: query heads {@code K*g..K*g+g-1}
   * share key head {@code g}); rank-3 or lower inputs get leading axes of 1. The softmax runs in f32
   * for bf16/f16 inputs. See docs/nn.md.
   */
  public static Array dotProductAttention(Array query, Array key, Array value) {
    return Attention.dotProductAttention(query, key, value, null, null, null, false, null, null, null);
  }

  /**
   * {@link #dotProductAttention(Array, Array, Array)} with a {@code bias} added to the logits and a
   * bool {@code mask} (true = attend), each broadcastable to {@code [B, N, T, S]} (null: none), a
   * {@code scale} (null: {@code 1/sqrt(H)}) and {@code isCausal} (query t attends to keys at or
   * before t). Masked logits become {@code -0.7 * finfo(dtype).max} (capped to f32's), as JAX.
   */
  public static Array dotProductAttention(Array query, Array key, Array value, Array bias, Array mask, Double scale,
      boolean isCausal) {
    return Attention.dotProductAttention(query, key, value, bias, mask, scale, isCausal, null, null, null);
  }

  /**
   * The full form: also JAX's {@code query_seq_lengths} / {@code key_value_seq_lengths} (i32[B]:
   * positions at or past a length are masked, and query rows past theirs give 0) and
   * {@code local_window_size} ({@code {left, right}}: query t attends to keys in
   * {@code [t - left, t + right]}); each null for none.
   */
  public static Array dotProductAttention(Array query, Array key, Array value, Array bias, Array mask, Double scale,
      boolean isCausal, Array querySeqLengths, Array keyValueSeqLengths, int[] localWindowSize) {
    return Attention.dotProductAttention(query, key, value, bias, mask, scale, isCausal, querySeqLengths,
        keyValueSeqLengths, localWindowSize);
  }

  /**
   * {@code jax.nn.dot_product_attention(query, key, value, **options)}: the keyword arguments by name,
   * e.g. {@code jax.nn.dot_product_attention(q, k, v, is_causal=True)} is
   * {@code Nn.dotProductAttention(q, k, v, AttentionOptions.defaults().withCausal(true))}. The same
   * computation as the positional forms.
   */
  public static Array dotProductAttention(Array query, Array key, Array value, AttentionOptions options) {
    java.util.Objects.requireNonNull(options, "Nn.dotProductAttention: options (AttentionOptions.defaults() for JAX's)");
    return Attention.dotProductAttention(query, key, value, options.bias(), options.mask(), options.scale(),
        options.isCausal(), options.querySeqLengths(), options.keyValueSeqLengths(), options.localWindowSize());
  }

  /**
   * The keyword arguments of {@link #dotProductAttention(Array, Array, Array, AttentionOptions)} with
   * JAX's defaults ({@link #defaults()}: none of them); change one with its {@code with...} method.
   *
   * @param bias added to the logits, broadcastable to {@code [B, N, T, S]} (null: none)
   * @param mask bool, true = attend, broadcastable to {@code [B, N, T, S]} (null: none)
   * @param scale the logits' scale (null: {@code 1/sqrt(H)})
   * @param isCausal query t attends to keys at or before t
   * @param querySeqLengths i32[B]: query rows at or past a length give 0 (null: none)
   * @param keyValueSeqLengths i32[B]: keys at or past a length are masked (null: none)
   * @param localWindowSize {@code {left, right}}: query t attends to keys in {@code [t - left, t + right]} (null: all)
   */
  public record AttentionOptions(Array bias, Array mask, Double scale, boolean isCausal, Array querySeqLengths,
      Array keyValueSeqLengths, int[] localWindowSize) {
    public AttentionOptions {
      if (localWindowSize != null && localWindowSize.length != 2) {
        throw new IllegalArgumentException("Nn.AttentionOptions: localWindowSize must be {left, right}, got "
            + localWindowSize.length + " numbers (withLocalWindow(left, right))");
      }
      localWindowSize = localWindowSize == null ? null : localWindowSize.clone();
    }

    /** JAX's defaults: no bias, no mask, scale {@code 1/sqrt(H)}, not causal, no lengths, no window. */
    public static AttentionOptions defaults() {
      return new AttentionOptions(null, null, null, false, null, null, null);
    }

    @Override
    public int[] localWindowSize() {
      return localWindowSize == null ? null : localWindowSize.clone();
    }

    public AttentionOptions withBias(Array b) {
      return new AttentionOptions(b, mask, scale, isCausal, querySeqLengths, keyValueSeqLengths, localWindowSize);
    }

    public AttentionOptions withMask(Array m) {
      return new AttentionOptions(bias, m, scale, isCausal, querySeqLengths, keyValueSeqLengths, localWindowSize);
    }

    public AttentionOptions withScale(double s) {
      return new AttentionOptions(bias, mask, s, isCausal, querySeqLengths, keyValueSeqLengths, localWindowSize);
    }

    /** JAX's {@code is_causal}. */
    public AttentionOptions withCausal(boolean causal) {
      return new AttentionOptions(bias, mask, scale, causal, querySeqLengths, keyValueSeqLengths, localWindowSize);
    }

    /** JAX's {@code query_seq_lengths} and {@code key_value_seq_lengths} (either null for none). */
    public AttentionOptions withSeqLengths(Array query, Array keyValue) {
      return new AttentionOptions(bias, mask, scale, isCausal, query, keyValue, localWindowSize);
    }

    /** JAX's {@code local_window_size=(left, right)}. */
    public AttentionOptions withLocalWindow(int left, int right) {
      return new AttentionOptions(bias, mask, scale, isCausal, querySeqLengths, keyValueSeqLengths, new int[] {left, right});
    }
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

  /**
   * {@code optax.sigmoid_binary_cross_entropy(logits, labels)}: the per-element loss of
   * independent binary predictions, {@code -labels * log_sigmoid(logits) - (1 - labels) *
   * log_sigmoid(-logits)}, as optax writes it (finite for logits of ±1000). Labels are 0/1 or
   * probabilities (bool and integer labels are converted to the logits' dtype, as optax's
   * {@code astype}), broadcast against the logits; sum or average the result yourself.
   */
  public static Array sigmoidBinaryCrossEntropy(Array logits, Array labels) {
    if (!logits.dtype().isFloating()) {
      throw new ShapeError("sigmoidBinaryCrossEntropy: logits must be floating point, got " + logits.aval()
          + "; convert them with astype(DType.F32)");
    }
    Array p = labels.astype(logits.dtype());
    return p.mul(logSigmoid(logits)).neg().sub(p.neg().add(1.0).mul(logSigmoid(logits.neg())));
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

  // ---- more jax.nn activations, standardize, flax's LayerNorm and dropout (docs/nn.md) ----------
  // Each follows jax/_src/nn/functions.py op for op (where vs maximum vs expm1), so values and the
  // gradient at the kinks (0, ±1, 6) are the ones JAX gives.

  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /**
   * {@code jax.nn.relu6}: {@code min(max(x, 0), 6)}. As JAX's custom JVP the gradient is 1 only
   * strictly inside {@code (0, 6)}: 0 at 0, at 6, outside, and at NaN (which stays NaN).
   */
  public static Array relu6(Array x) {
    Array f = floaty(x);
    // inside (0, 6) the identity carries the gradient; elsewhere the clipped value is a constant
    return Array.where(f.gt(0).and(f.lt(6)), f, f.clip(0, 6).stopGradient());
  }

  /** {@code jax.nn.leaky_relu(x, negative_slope)}: {@code where(x >= 0, x, slope * x)}; gradient 1 at 0. */
  public static Array leakyRelu(Array x, double negativeSlope) {
    Array f = floaty(x);
    return Array.where(f.ge(0), f, f.mul(negativeSlope));
  }

  /** {@code jax.nn.leaky_relu(x)}: slope 0.01. */
  public static Array leakyRelu(Array x) {
    return leakyRelu(x, 1e-2);
  }

  /**
   * {@code jax.nn.elu(x, alpha)}: {@code where(x > 0, x, alpha * expm1(where(x > 0, 0, x)))}; the
   * inner where keeps {@code expm1} of large x from overflowing into the unused branch's gradient.
   * The gradient at 0 is {@code alpha} (the expm1 side).
   */
  public static Array elu(Array x, double alpha) {
    Array f = floaty(x);
    Array positive = f.gt(0);
    return Array.where(positive, f, Array.where(positive, 0.0, f).expm1().mul(alpha));
  }

  /** {@code jax.nn.elu(x)}: alpha 1. */
  public static Array elu(Array x) {
    return elu(x, 1.0);
  }

  /**
   * {@code jax.nn.celu(x, alpha)}: {@code max(x, 0) + alpha * expm1(min(x, 0) / alpha)}. At 0
   * {@code max} and {@code min} each pass half the gradient, so it is 1 there (continuous).
   */
  public static Array celu(Array x, double alpha) {
    if (alpha == 0 || Double.isNaN(alpha)) {
      throw new IllegalArgumentException("Nn.celu: alpha must be a nonzero number (it divides x), got " + alpha
          + "; JAX's default is 1.0");
    }
    Array f = floaty(x);
    return f.maximum(0.0).add(f.minimum(0.0).div(alpha).expm1().mul(alpha));
  }

  /** {@code jax.nn.celu(x)}: alpha 1. */
  public static Array celu(Array x) {
    return celu(x, 1.0);
  }

  /**
   * {@code jax.nn.selu}: {@code scale * elu(x, alpha)} with JAX's constants
   * {@code alpha = 1.6732632423543772848170429916717}, {@code scale = 1.0507009873554804934193349852946}.
   */
  public static Array selu(Array x) {
    return elu(x, SELU_ALPHA).mul(SELU_SCALE);
  }

  /** {@code jax.nn.hard_tanh}: {@code where(x > 1, 1, where(x < -1, -1, x))}; gradient 1 on [-1, 1], ±1 included. */
  public static Array hardTanh(Array x) {
    Array f = floaty(x);
    return Array.where(f.gt(1), 1.0, Array.where(f.lt(-1), -1.0, f));
  }

  /** {@code jax.nn.hard_sigmoid}: {@code relu6(x + 3) / 6}; gradient 0 at -3 and 3 (relu6's). */
  public static Array hardSigmoid(Array x) {
    return relu6(floaty(x).add(3.0)).div(6.0);
  }

  /** {@code jax.nn.hard_silu} (= {@code hard_swish}): {@code x * hard_sigmoid(x)}. */
  public static Array hardSilu(Array x) {
    Array f = floaty(x);
    return f.mul(hardSigmoid(f));
  }

  /** {@code jax.nn.hard_swish}: the same function as {@link #hardSilu}. */
  public static Array hardSwish(Array x) {
    return hardSilu(x);
  }

  /** {@code jax.nn.swish}: the same function as {@link #silu}. */
  public static Array swish(Array x) {
    return silu(x);
  }

  /**
   * {@code jax.nn.log1mexp}: {@code log(1 - exp(-x))}, accurate for small and large {@code x}
   * ({@code log(-expm1(-x))} below {@code log 2}, {@code log1p(-exp(-x))} above). JAX's custom JVP
   * {@code g / expm1(x)}, so the gradient has no cancellation either.
   */
  public static Array log1mexp(Array x) {
    return LOG1MEXP.apply(floaty(x));
  }

  private static final java.util.function.Function<Array, Array> LOG1MEXP = Transforms.customJvp(
      Nn::log1mexpPrimal, (Array x, Array t) -> Pair.of(log1mexpPrimal(x), t.div(x.expm1())));

  private static Array log1mexpPrimal(Array x) {
    return Array.where(x.lt(Math.log(2.0)), x.neg().expm1().neg().log(), x.neg().exp().neg().log1p());
  }

  /** {@code jax.nn.logmeanexp(x, axis, keepdims)}: {@code logsumexp(x, axis) - log(x.shape[axis])}. */
  public static Array logmeanexp(Array x, int axis, boolean keepDims) {
    Array lse = logsumexp(x, axis, keepDims);
    int a = axis < 0 ? axis + x.ndim() : axis;
    return lse.sub(Array.scalar(lse.dtype(), x.dim(a)).log());
  }

  /** {@code jax.nn.logmeanexp(x)} over all elements, a rank-0 result. */
  public static Array logmeanexp(Array x) {
    return logmeanexp(x.reshape(-1), 0, false);
  }

  /** {@code jax.nn.squareplus(x, b=4)}: {@code (x + sqrt(x^2 + b)) / 2}, a smooth relu. */
  public static Array squareplus(Array x) {
    return squareplus(x, 4);
  }

  /** {@code jax.nn.squareplus(x, b)}. */
  public static Array squareplus(Array x, double b) {
    Array f = floaty(x);
    return f.add(f.square().add(b).sqrt()).div(2.0);
  }

  /** {@code jax.nn.soft_sign}: {@code x / (|x| + 1)}. */
  public static Array softSign(Array x) {
    Array f = floaty(x);
    return f.div(f.abs().add(1.0));
  }

  /** {@code jax.nn.sparse_plus}: 0 up to -1, {@code (x + 1)^2 / 4} on (-1, 1), {@code x} from 1. */
  public static Array sparsePlus(Array x) {
    Array f = floaty(x);
    return Array.where(f.le(-1.0), 0.0, Array.where(f.ge(1.0), f, f.add(1.0).square().div(4.0)));
  }

  /** {@code jax.nn.sparse_sigmoid}: {@code clip((x + 1) / 2, 0, 1)}, sparse_plus's derivative. */
  public static Array sparseSigmoid(Array x) {
    return floaty(x).add(1.0).clip(0.0, 2.0).mul(0.5);
  }

  /** {@code jax.nn.mish}: {@code x * tanh(softplus(x))}. */
  public static Array mish(Array x) {
    Array f = floaty(x);
    return f.mul(softplus(f).tanh());
  }

  /**
   * {@code jax.nn.glu(x, axis)}: the two halves {@code a, b} of {@code axis} give
   * {@code a * sigmoid(b)}; the axis length must be even.
   */
  public static Array glu(Array x, int axis) {
    if (x.ndim() == 0) {
      throw new ShapeError("Nn.glu: needs an axis to halve, got rank-0 " + x.aval());
    }
    int a = axis < 0 ? axis + x.ndim() : axis;
    if (a < 0 || a >= x.ndim()) {
      throw new ShapeError("Nn.glu: axis " + axis + " is out of range for " + x.aval().shapeString());
    }
    if (x.dim(a) % 2 != 0) {
      throw new ShapeError("Nn.glu: axis " + axis + " of " + x.aval().shapeString() + " has odd length " + x.dim(a)
          + "; glu splits it into two equal halves (value, gate), so it must be even");
    }
    java.util.List<Array> halves = floaty(x).split(2, a);
    return halves.get(0).mul(halves.get(1).sigmoid());
  }

  /** {@code jax.nn.glu(x)} over the last axis. */
  public static Array glu(Array x) {
    return glu(x, -1);
  }

  /**
   * {@code jax.nn.standardize(x, axis, epsilon=eps)}: {@code (x - mean) * rsqrt(var + eps)} along
   * {@code axis}, with JAX's {@code var = mean(x²) - mean²} (not {@code jnp.var}'s two-pass form).
   * The gradient flows through the mean and variance.
   */
  public static Array standardize(Array x, int axis, double eps) {
    Array f = floaty(x);
    Array mean = f.meanKeepDims(axis);
    Array variance = f.square().meanKeepDims(axis).sub(mean.square());
    return f.sub(mean).mul(variance.add(eps).rsqrt());
  }

  /** {@code jax.nn.standardize(x)}: the last axis, epsilon 1e-5. */
  public static Array standardize(Array x) {
    return standardize(x, -1, 1e-5);
  }

  /**
   * {@code flax.linen.LayerNorm}'s math over the last axis (features), as a function of its
   * parameters: {@code mean = mean(x)}, {@code var = max(0, mean(x²) - mean²)} (flax's fast
   * variance), {@code y = (x - mean) * (rsqrt(var + eps) * scale) + bias}. {@code scale} and
   * {@code bias} have shape {@code [features]}; either may be null ({@code use_scale=False} /
   * {@code use_bias=False}).
   */
  public static Array layerNorm(Array x, Array scale, Array bias, double eps) {
    if (x.ndim() == 0) {
      throw new ShapeError("Nn.layerNorm: needs a feature axis (the last), got rank-0 " + x.aval());
    }
    int features = x.dim(x.ndim() - 1);
    checkFeatureParam("scale", scale, features, x);
    checkFeatureParam("bias", bias, features, x);
    Array f = floaty(x);
    Array mean = f.meanKeepDims(-1);
    Array variance = f.square().meanKeepDims(-1).sub(mean.square()).maximum(0.0);
    Array mul = variance.add(eps).rsqrt();
    if (scale != null) {
      mul = mul.mul(scale);
    }
    Array y = f.sub(mean).mul(mul);
    return bias == null ? y : y.add(bias);
  }

  /** {@link #layerNorm(Array, Array, Array, double)} with flax's default epsilon 1e-6. */
  public static Array layerNorm(Array x, Array scale, Array bias) {
    return layerNorm(x, scale, bias, 1e-6);
  }

  private static void checkFeatureParam(String name, Array p, int features, Array x) {
    if (p != null && (p.ndim() != 1 || p.dim(0) != features)) {
      throw new ShapeError("Nn.layerNorm: " + name + " " + p.aval().shapeString() + " must have shape ["
          + features + "] (the last axis of x " + x.aval().shapeString() + "); pass null to leave it out");
    }
  }

  /**
   * {@code flax.linen.Dropout} in training mode as a function: each element is kept with
   * probability {@code 1 - rate} ({@link Random#bernoulli(Key, double, int...)} over x's shape)
   * and divided by {@code 1 - rate}, the rest are 0, so the expectation is x. {@code rate == 0}
   * returns x itself and {@code rate == 1} zeros, as flax does. Use a fresh key per call (split).
   */
  public static Array dropout(Key key, double rate, Array x) {
    java.util.Objects.requireNonNull(key, "Nn.dropout: key");
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("Nn.dropout: rate is the probability of dropping an element and must be in [0, 1], got "
          + rate + "; e.g. 0.1 drops 10% (pass 0 to keep everything)");
    }
    if (rate == 0) {
      return x;
    }
    Array f = floaty(x);
    if (rate == 1) {
      return Array.zerosLike(f);
    }
    double keepProb = 1.0 - rate;
    Array keep = Random.bernoulli(key, keepProb, f.shape());
    return Array.where(keep, f.div(keepProb), Array.zerosLike(f));
  }
}
