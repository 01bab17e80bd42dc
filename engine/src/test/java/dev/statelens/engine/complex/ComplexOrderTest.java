package dev.statelens.engine.complex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Sorting;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * jnp's lexicographic order on complex64 (real part, then imaginary part) where JAX 0.10.2 has one —
 * comparisons, maximum/minimum, max/min, sort/argsort; the values are checked against real JAX by
 * the {@code complexorder/} reference cases — and JAX's refusals where it has none. Here: the same
 * answers under jit and vmap, and the refusals' reasons.
 */
class ComplexOrderTest {
  private static final float NAN = Float.NaN;

  /** 1+2j, 1-1j, -3+0j, nan+0j, 0+nanj, 1+2j, 2+0j, -inf+1j */
  private static Array z() {
    return Array.complex(Array.of(1f, 1f, -3f, NAN, 0f, 1f, 2f, Float.NEGATIVE_INFINITY),
        Array.of(2f, -1f, 0f, 0f, NAN, 2f, 0f, 1f));
  }

  private static Array w() {
    return Array.complex(Array.of(1f, 1f, -3f, 0f, 0f, 1f, 2f, 0f), Array.of(3f, -2f, 1f, 0f, 1f, 2f, -1f, 0f));
  }

  @Test
  void comparisonsAndExtremaAreLexicographicAsJnp() {
    // the values of real JAX 0.10.2 for these points (jnp.less, jnp.maximum, jnp.max, jnp.argsort)
    assertArrayEquals(new boolean[] {true, false, true, false, false, false, false, true}, z().lt(w()).toBooleanArray());
    Array max = z().maximum(w());
    assertArrayEquals(new float[] {1, 1, -3, 0, 0, 1, 2, 0}, max.real().toFloatArray());
    assertArrayEquals(new float[] {3, -1, 1, 0, 1, 2, 0, 0}, max.imag().toFloatArray());
    Array top = z().max(); // the NaN elements do not win: XLA's fold moves on from them
    assertEquals(2.0, top.real().item());
    assertEquals(0.0, top.imag().item());
    assertArrayEquals(new int[] {7, 2, 4, 1, 0, 5, 6, 3}, z().argsort().toIntArray());
  }

  @Test
  void jitAndVmapGiveTheEagerOrder() {
    for (Function<Array, Array> f : java.util.List.<Function<Array, Array>>of(
        x -> x.lt(w()), x -> x.ge(w()), x -> x.maximum(w()), x -> x.minimum(w()), x -> x.max(), x -> x.min(),
        x -> Sorting.sort(x, 0, true, true), x -> x.argsort(0).astype(dev.statelens.engine.DType.F32))) {
      Array eager = f.apply(z());
      Array jit = Transforms.jit(f).apply(z());
      assertEquals(eager.toString(), jit.toString());
    }
    // vmap over rows: each row's max and sort as alone
    Array rows = Array.stack(0, z(), w(), z().conj());
    Array vmax = Transforms.vmap((Array r) -> r.max()).apply(rows);
    Array vsort = Transforms.vmap((Array r) -> r.sort(0)).apply(rows);
    for (int i = 0; i < 3; i++) {
      Array row = rows.sliceAxis(0, i, i + 1).squeeze(0);
      assertEquals(row.max().toString(), vmax.sliceAxis(0, i, i + 1).squeeze(0).toString());
      assertEquals(row.sort(0).toString(), vsort.sliceAxis(0, i, i + 1).squeeze(0).toString());
    }
  }

  @Test
  void pastThirtyTwoElementsTheNanFoldsAsXlasWindows() {
    // 40 elements: XLA folds windows [0, 20) and [20, 40) (the axis padded to 64, 12 before), then
    // the two partial results. The NaN at 25 ends only the second window's run, so 100 (at 5) wins;
    // one row-major fold would restart after the NaN and give max(x[26:]) = 3. Real JAX 0.10.2: 100+0j.
    float[] re = new float[40];
    for (int i = 0; i < re.length; i++) {
      re[i] = i % 7 - 3;
    }
    re[5] = 100;
    re[25] = NAN;
    Array x = Array.complex(Array.of(re), Array.zeros(40));
    for (Array top : java.util.List.of(x.max(), Transforms.jit((Array a) -> a.max()).apply(x))) {
      assertEquals(100.0, top.real().item());
      assertEquals(0.0, top.imag().item());
    }
    Array rows = Array.stack(0, x, x.flip(0));
    Array perRow = Transforms.vmap((Array r) -> r.max()).apply(rows);
    assertArrayEquals(new float[] {100, 100}, perRow.real().toFloatArray());
    assertEquals(perRow.toString(), rows.max(1).toString());
  }

  @Test
  void cummaxAndCumminAreLaxsOnComplex() {
    // lax.cummax/cummin of [1+2j, nan+0j, 2+0j, 0+5j, 3+nanj, 1+1j] in real JAX 0.10.2: a NaN part
    // does not propagate (XLA's complex max keeps the accumulator only when it is strictly greater)
    Array x = Array.complex(Array.of(1f, NAN, 2f, 0f, 3f, 1f), Array.of(2f, 0f, 0f, 5f, NAN, 1f));
    Array max = x.cummax(0);
    assertArrayEquals(new float[] {1, NAN, 2, 2, 3, 3}, max.real().toFloatArray());
    assertArrayEquals(new float[] {2, 0, 0, 0, NAN, NAN}, max.imag().toFloatArray());
    Array min = x.cummin(0);
    assertArrayEquals(new float[] {1, NAN, 2, 0, 0, 0}, min.real().toFloatArray());
    assertArrayEquals(new float[] {2, 0, 0, 5, 5, 5}, min.imag().toFloatArray());
    // jit and vmap run the same kernel; vmap's rows are the axis-1 scans
    assertEquals(max.toString(), Transforms.jit((Array a) -> a.cummax(0)).apply(x).toString());
    Array rows = Array.stack(0, x, x.flip(0));
    assertEquals(rows.cummin(1).toString(), Transforms.vmap((Array r) -> r.cummin(0)).apply(rows).toString());
  }

  @Test
  void whereJaxRefusesSoDoWeWithItsReason() {
    Array c = z();
    String argmax = assertThrows(RuntimeException.class, () -> c.argmax()).getMessage();
    assertTrue(argmax.contains("argmax") && argmax.contains("complex64") && argmax.contains("abs()"), argmax);
    assertThrows(RuntimeException.class, () -> c.argmin(0));
    String clip = assertThrows(IllegalArgumentException.class, () -> c.clip(0, 1)).getMessage();
    assertTrue(clip.contains("no ordering and cannot be clipped"), clip);
    assertThrows(IllegalArgumentException.class, () -> Array.of(1f, 2f).clip(c, c));
    String median = assertThrows(IllegalArgumentException.class, () -> c.median()).getMessage();
    assertTrue(median.contains("does not support complex input"), median);
    String topK = assertThrows(RuntimeException.class, () -> Lax.topK(c, 2)).getMessage();
    assertTrue(topK.contains("top_k is not compatible with complex inputs"), topK);
    // lax.lt itself refuses complex (jnp.less is the lexicographic one)
    String lt = assertThrows(RuntimeException.class, () -> Prims.LT.bind1(Params.EMPTY, c, c)).getMessage();
    assertTrue(lt.contains("complex64"), lt);
  }
}
