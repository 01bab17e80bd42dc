package dev.statelens.engine;

import java.util.Arrays;

/**
 * {@code jax.nn.dot_product_attention} with JAX's XLA implementation
 * ({@code _dot_product_attention_xla} / {@code _dot_product_attention_core} in
 * {@code jax/_src/nn/functions.py}): the same layout (query {@code [B, T, N, H]}, key and value
 * {@code [B, S, K, H]}, {@code N} a multiple of {@code K}: grouped-query heads), the same order of
 * operations (logits in at least f32, times the scale, plus the bias, masked with
 * {@code -0.7 * finfo.max} capped to f32's, softmax in f32, probabilities cast to the key's dtype,
 * then weighted values). A composition of einsum, where and softmax, so grad, jit and vmap follow.
 */
final class Attention {
  private Attention() {}

  static Array dotProductAttention(Array query, Array key, Array value, Array bias, Array mask, Double scale,
      boolean isCausal, Array querySeqLengths, Array keyValueSeqLengths, int[] localWindowSize) {
    if (query == null || key == null || value == null) {
      throw new IllegalArgumentException("Nn.dotProductAttention: query, key and value must not be null");
    }
    int[] outShape = query.shape();
    Array q = ensure4d("query", query);
    Array k = ensure4d("key", key);
    Array v = ensure4d("value", value);
    Array b = bias == null ? null : ensure4d("bias", bias);
    Array m = mask == null ? null : ensure4d("mask", mask);
    int batch = k.dim(0), s = k.dim(1), kHeads = k.dim(2), h = k.dim(3);
    if (!Arrays.equals(v.shape(), k.shape()) || v.dtype() != k.dtype()) {
      throw new ShapeError("Nn.dotProductAttention: value " + v.aval() + " must have key's shape and dtype "
          + k.aval() + " ([B, S, K, H])");
    }
    if (q.dim(0) != batch || q.dim(3) != h || q.dtype() != k.dtype()) {
      throw new ShapeError("Nn.dotProductAttention: query " + q.aval() + " must be [B, T, N, H] with key's B = "
          + batch + ", H = " + h + " and dtype " + k.dtype() + " (key is " + k.aval() + ")");
    }
    int t = q.dim(1), n = q.dim(2);
    if (n % kHeads != 0) {
      throw new ShapeError("Nn.dotProductAttention: the number of query heads must be a multiple of the key/value "
          + "heads, but got " + n + " vs " + kHeads + " (query " + q.aval() + ", key " + k.aval() + ")");
    }
    if (m != null && m.dtype() != DType.BOOL) {
      throw new ShapeError("Nn.dotProductAttention: mask must be bool (true = attend), got " + m.aval()
          + "; compare to get one, e.g. ids.ne(0)");
    }
    checkLengths("querySeqLengths", querySeqLengths, batch);
    checkLengths("keyValueSeqLengths", keyValueSeqLengths, batch);
    if (localWindowSize != null && localWindowSize.length != 2) {
      throw new IllegalArgumentException("Nn.dotProductAttention: localWindowSize is {left, right}, got "
          + Arrays.toString(localWindowSize) + "; for a symmetric window pass {w, w}");
    }
    int g = n / kHeads;
    double sc = scale == null ? 1.0 / Math.sqrt(h) : scale;
    DType logitsType = DType.promote(q.dtype(), DType.F32);
    // grouped heads: query [B, T, K, G, H]; JAX vmaps the core over G (in axis 3, out axis 3)
    Array qg = q.reshape(batch, t, kHeads, g, h).astype(logitsType);
    Array logits = Array.einsum("BTKGH,BSKH->BKGTS", qg, k.astype(logitsType));
    logits = logits.mul(Array.scalar(logitsType, sc));
    if (b != null) {
      logits = logits.add(grouped("bias", b, n, kHeads, g, t, s)).astype(logitsType);
    }
    logits = applyMasks(logits, m == null ? null : grouped("mask", m, n, kHeads, g, t, s), isCausal,
        querySeqLengths, keyValueSeqLengths, localWindowSize, t, s);
    Array probs = Nn.softmax(logits.astype(DType.F32), -1).astype(k.dtype());
    Array encoded = Array.einsum("BKGTS,BSKH->BTKGH", probs, v);
    if (querySeqLengths != null) {
      Array valid = Array.arange(t).reshape(1, t).lt(querySeqLengths.reshape(batch, 1));
      encoded = encoded.mul(valid.reshape(batch, t, 1, 1, 1).astype(encoded.dtype()));
    }
    return encoded.reshape(outShape);
  }

  /** JAX's {@code _ensure_4d}: leading axes of size 1 up to rank 4. */
  private static Array ensure4d(String name, Array x) {
    if (x.ndim() > 4) {
      throw new ShapeError("Nn.dotProductAttention: " + name + " " + x.aval() + " has rank " + x.ndim()
          + "; the layout is [B, T|S, N|K, H] (rank 4 at most; lower ranks get leading axes of 1)");
    }
    return x.reshape(JnpCompositions.leadingOnes(x.shape(), 4));
  }

  private static void checkLengths(String name, Array lengths, int batch) {
    if (lengths != null && (lengths.dtype() != DType.I32 || lengths.ndim() != 1 || lengths.dim(0) != batch)) {
      throw new ShapeError("Nn.dotProductAttention: " + name + " must be i32[" + batch + "] (one length per batch "
          + "element), got " + lengths.aval());
    }
  }

  /** A bias or mask {@code [B|1, N|1, T|1, S|1]} as {@code [B|1, K, G, T|1, S|1]}. */
  private static Array grouped(String name, Array x, int n, int kHeads, int g, int t, int s) {
    int tn = x.dim(1);
    if (tn != 1 && tn != n || x.dim(2) != 1 && x.dim(2) != t || x.dim(3) != 1 && x.dim(3) != s) {
      throw new ShapeError("Nn.dotProductAttention: " + name + " " + x.aval() + " must broadcast to the logits [B, "
          + n + ", " + t + ", " + s + "] ([B, N, T, S], each axis its size or 1)");
    }
    return tn == 1 ? x.reshape(x.dim(0), 1, 1, x.dim(2), x.dim(3)) : x.reshape(x.dim(0), kHeads, g, x.dim(2), x.dim(3));
  }

  /** JAX's {@code _apply_masks} on {@code [B, K, G, T, S]} logits. */
  private static Array applyMasks(Array logits, Array mask, boolean isCausal, Array qLengths, Array kvLengths,
      int[] window, int t, int s) {
    if (mask == null && !isCausal && qLengths == null && kvLengths == null && window == null) {
      return logits;
    }
    Array combined = Array.full(DType.BOOL, logits.shape(), 1);
    if (mask != null) {
      combined = combined.logicalAnd(mask);
    }
    Array qPos = Array.arange(t).reshape(t, 1);
    Array kPos = Array.arange(s).reshape(1, s);
    if (isCausal) {
      combined = combined.logicalAnd(kPos.le(qPos));
    }
    if (window != null) {
      combined = combined.logicalAnd(qPos.le(kPos.add(window[0])).logicalAnd(qPos.ge(kPos.sub(window[1]))));
    }
    int batch = logits.dim(0);
    if (qLengths != null) {
      combined = combined.logicalAnd(qPos.reshape(1, 1, 1, t, 1).lt(qLengths.reshape(batch, 1, 1, 1, 1)));
    }
    if (kvLengths != null) {
      combined = combined.logicalAnd(kPos.reshape(1, 1, 1, 1, s).lt(kvLengths.reshape(batch, 1, 1, 1, 1)));
    }
    double max = Math.min(NumpyMath.maxFinite(logits.dtype()), Float.MAX_VALUE);
    return Array.where(combined, logits, Array.scalar(logits.dtype(), -0.7 * max));
  }
}
