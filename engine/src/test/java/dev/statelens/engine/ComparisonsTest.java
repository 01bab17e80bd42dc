package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * isclose, arrayEqual, isin, countNonzero, ptp, average, digitize, trapezoid and the nan-reductions: hand-checked
 * values, jit == eager and the errors. Real-JAX values: {@code jnp5/isclose} … {@code jnp5/nan_reductions}.
 */
class ComparisonsTest {
  private static final float NAN = Float.NaN;

  @Test
  void handCheckedValues() {
    Array a = Array.of(1f, NAN, Float.POSITIVE_INFINITY, 2f);
    Array b = Array.of(1.000001f, NAN, Float.POSITIVE_INFINITY, 3f);
    assertArrayEquals(new boolean[] {true, false, true, false}, Array.isclose(a, b).toBooleanArray());
    assertArrayEquals(new boolean[] {true, true, true, false}, Array.isclose(a, b, 1e-5, 1e-8, true).toBooleanArray());
    assertTrue(Array.arrayEqual(a, a, true).boolValue());
    assertTrue(!Array.arrayEqual(a, a, false).boolValue(), "NaN != NaN unless equalNan");
    assertArrayEquals(new boolean[] {true, false, true}, Array.isin(Array.of(1f, 2f, 4f), Array.of(4f, 1f), false)
        .toBooleanArray());
    Array m = Array.of(DType.F32, new int[] {2, 3}, new float[] {0, 1, 2, 3, 0, 5});
    assertEquals(4, m.countNonzero().intValue());
    assertArrayEquals(new int[] {1, 1, 2}, m.countNonzero(0).toIntArray());
    assertArrayEquals(new float[] {2, 5}, m.ptp(1).toFloatArray());
    assertArrayEquals(new float[] {(0 + 1 + 6) / 5f, (3 + 0 + 15) / 5f},
        Array.average(m, 1, Array.of(1f, 1f, 3f)).toFloatArray(), 1e-6f);
    Array n = Array.of(DType.F32, new int[] {2, 3}, new float[] {1, NAN, 3, NAN, NAN, NAN});
    assertArrayEquals(new float[] {3, NAN}, n.nanmax(1).toFloatArray());
    assertArrayEquals(new float[] {1, NAN}, n.nanmin(1).toFloatArray());
    assertArrayEquals(new float[] {3, 1}, n.nanprod(1).toFloatArray());
    assertArrayEquals(new float[] {1, NAN}, n.nanvar(1).toFloatArray());
    assertArrayEquals(new int[] {2, -1}, n.nanargmax(1).toIntArray(), "-1 where every element is NaN");
    assertArrayEquals(new int[] {0, 1, 2, 3}, Array.digitize(Array.of(-1f, 0f, 1.5f, 9f), Array.of(0f, 1f, 2f), false)
        .toIntArray());
    assertEquals(3f, Array.trapezoid(Array.of(0f, 2f, 2f), null, 1, -1).floatValue(), "(0+2)/2 + (2+2)/2");
    Array jitted = Transforms.jit((Array t) -> t.nanstd(1)).apply(n);
    assertArrayEquals(n.nanstd(1).toFloatArray(), jitted.toFloatArray());
  }

  @Test
  void averageWeightsMustFitTheAxis() {
    Array m = Array.ones(2, 3);
    String msg = assertThrows(ShapeError.class, () -> Array.average(m, 1, Array.ones(2))).getMessage();
    assertTrue(msg.contains("length of axis 1"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.average(m, null, Array.ones(3))).getMessage();
    assertTrue(msg.contains("pass an axis"), msg);
  }
}
