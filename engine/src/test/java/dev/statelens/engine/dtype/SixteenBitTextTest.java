package dev.statelens.engine.dtype;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import org.junit.jupiter.api.Test;

/**
 * 16-bit arrays print as NumPy 2.4.6 with ml_dtypes 0.6.0 print them (expected strings copied from
 * their {@code repr}; JAX's {@code Array(...)} repr wraps the same text).
 */
class SixteenBitTextTest {

  private static String repr(DType d, float... v) {
    return Array.of(d, new int[] {v.length}, v).toString();
  }

  @Test
  void bfloat16LikeMlDtypes() {
    assertEquals("Array([1.00136e-05, 1, 300], dtype=bfloat16)", repr(DType.BF16, 1e-5f, 1f, 300f));
    assertEquals("Array([65536, 0.100098, 3], dtype=bfloat16)", repr(DType.BF16, 65504f, 0.1f, 3f));
    assertEquals("Array([0, -0, 1], dtype=bfloat16)", repr(DType.BF16, 0f, -0f, 1f));
    assertEquals("Array([0.333984, 0.667969, 1], dtype=bfloat16)", repr(DType.BF16, 1f / 3, 2f / 3, 1f));
    assertEquals("Array([9984, 19968, 3.5], dtype=bfloat16)", repr(DType.BF16, 1e4f, 2e4f, 3.5f));
    assertEquals("Array([[1.5, 2],\n       [3, 4]], dtype=bfloat16)",
        Array.of(DType.BF16, new int[] {2, 2}, 1.5f, 2f, 3f, 4f).toString());
  }

  @Test
  void float16LikeNumpy() {
    assertEquals("Array([1.e-05, 1.e+00, 3.e+02], dtype=float16)", repr(DType.F16, 1e-5f, 1f, 300f));
    assertEquals("Array([6.55e+04, 1.00e-01, 3.00e+00], dtype=float16)", repr(DType.F16, 65504f, 0.1f, 3f));
    assertEquals("Array([ 0., -0.,  1.], dtype=float16)", repr(DType.F16, 0f, -0f, 1f));
    assertEquals("Array([0.3333, 0.6665, 1.    ], dtype=float16)", repr(DType.F16, 1f / 3, 2f / 3, 1f));
    assertEquals("Array([1.0e+04, 2.0e+04, 3.5e+00], dtype=float16)", repr(DType.F16, 1e4f, 2e4f, 3.5f));
  }

  @Test
  void scalarsAsNumpysStr() {
    // jax.debug.print shows NumPy's str of each value
    assertEquals("1e-05", Array.scalar(DType.F16, 1e-5).str());
    assertEquals("6e-08", Array.scalar(DType.F16, 6e-8).str());
    assertEquals("0.1", Array.scalar(DType.F16, 0.1).str());
    assertEquals("-0.0", Array.scalar(DType.F16, -0.0).str());
    assertEquals("0.3333", Array.scalar(DType.F16, 1.0 / 3).str());
    assertEquals("999.0", Array.scalar(DType.F16, 999).str());
    assertEquals("1e+03", Array.scalar(DType.F16, 1000).str());
    assertEquals("1.024e+03", Array.scalar(DType.F16, 1024).str());
    assertEquals("1.2344e+04", Array.scalar(DType.F16, 12345).str());
    assertEquals("6.55e+04", Array.scalar(DType.F16, 65504).str());
    assertEquals("0.00012", Array.scalar(DType.F16, 0.00012).str());
    assertEquals("1.00136e-05", Array.scalar(DType.BF16, 1e-5).str());
    assertEquals("0.100098", Array.scalar(DType.BF16, 0.1).str());
    assertEquals("-0", Array.scalar(DType.BF16, -0.0).str());
  }
}
