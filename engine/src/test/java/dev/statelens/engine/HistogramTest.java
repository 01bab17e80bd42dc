package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code Array.histogram} / {@code histogramBinEdges}: hand-counted bins (the last edge closed,
 * values outside dropped), the data's range under jit, and the errors. Real-JAX values:
 * {@code jnp5/histogram*} in the jax-reference file.
 */
class HistogramTest {
  private static final Array A = Array.of(0f, 0.5f, 1f, 1.5f, 2f, 2f, -1f, 3f);

  @Test
  void countsPerBinWithTheLastEdgeClosed() {
    Pair<Array, Array> h = Array.histogram(A, 2, new double[] {0, 2});
    assertArrayEquals(new float[] {2, 4}, h.first().toFloatArray(), "[0,1): 0, 0.5; [1,2]: 1, 1.5, 2, 2");
    assertArrayEquals(new float[] {0, 1, 2}, h.second().toFloatArray());
    Pair<Array, Array> d = Array.histogram(A, 2, new double[] {0, 2}, null, true);
    assertArrayEquals(new float[] {1f / 3, 2f / 3}, d.first().toFloatArray(), 1e-7f, "a density integrates to 1");
    assertArrayEquals(new float[] {0.5f, 1f, 1.5f}, Array.histogramBinEdges(Array.of(1f, 1f), 2, null).toFloatArray(),
        "an empty range is widened by 0.5 each side");
  }

  @Test
  void theDataRangeIsTracedUnderJit() {
    Array eager = Array.histogram(A, 4, null).first();
    Array jitted = Transforms.jit((Array t) -> Array.histogram(t, 4, null).first()).apply(A);
    assertArrayEquals(new float[] {1, 2, 2, 3}, eager.toFloatArray());
    assertArrayEquals(eager.toFloatArray(), jitted.toFloatArray());
  }

  @Test
  void badInputNamesTheFix() {
    String msg = assertThrows(ShapeError.class, () -> Array.histogram(A, 0, null)).getMessage();
    assertTrue(msg.contains("bins must be >= 1"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.histogram(A, 3, new double[] {2, 0})).getMessage();
    assertTrue(msg.contains("swap"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.histogram(A, 3, null, Array.ones(3), false)).getMessage();
    assertTrue(msg.contains("must have a's shape"), msg);
    msg = assertThrows(ShapeError.class, () -> Array.histogram(A, Array.of(1f), null, false)).getMessage();
    assertTrue(msg.contains("at least 2 edges"), msg);
  }
}
