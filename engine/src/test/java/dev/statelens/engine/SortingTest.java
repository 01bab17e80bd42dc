package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Sorting} and {@code Lax.sort} with several keys: the orders JAX gives (checked by hand
 * here; against real JAX in {@code JaxReferenceTest}'s jnp8/sort cases), unsigned partition,
 * jit, and the errors that name the fix.
 */
class SortingTest {
  private static Array i32(int... v) {
    return Array.of(DType.I32, new int[] {v.length}, v);
  }

  @Test
  void descendingArgsortKeepsTiesInTheirOriginalOrder() {
    Array x = Array.of(2f, 5f, 2f, 5f, 1f);
    assertArrayEquals(new int[] {1, 3, 0, 2, 4}, Sorting.argsort(x, -1, true, true).toIntArray());
    assertArrayEquals(new float[] {5, 5, 2, 2, 1}, Sorting.sort(x, -1, true, true).toFloatArray());
    // axis null: the flattened array
    Array m = Array.of(3f, 1f, 2f, 0f).reshape(2, 2);
    assertArrayEquals(new float[] {3, 2, 1, 0}, Sorting.sort(m, null, true, true).toFloatArray());
  }

  @Test
  void lexsortAndMultiKeyLaxSortAreLexicographic() {
    Array primary = i32(1, 0, 1, 0, 1);
    Array secondary = i32(9, 8, 7, 8, 6);
    // sorted by primary, ties by secondary, remaining ties by position
    assertArrayEquals(new int[] {1, 3, 4, 2, 0}, Sorting.lexsort(List.of(secondary, primary), -1).toIntArray());
    List<Array> sorted = Lax.sort(List.of(primary, secondary, i32(0, 1, 2, 3, 4)), 0, true, 2);
    assertArrayEquals(new int[] {0, 0, 1, 1, 1}, sorted.get(0).toIntArray());
    assertArrayEquals(new int[] {8, 8, 6, 7, 9}, sorted.get(1).toIntArray());
    assertArrayEquals(new int[] {1, 3, 4, 2, 0}, sorted.get(2).toIntArray());
    assertArrayEquals(new int[] {0}, Sorting.lexsort(List.of(Array.scalar(3)), 0).reshape(1).toIntArray());
  }

  @Test
  void partitionPutsTheKthInPlaceWithJaxsOrderAround() {
    Array x = Array.of(5f, 1f, 4f, 2f, 3f);
    assertArrayEquals(new float[] {1, 2, 3, 5, 4}, Sorting.partition(x, 2, -1).toFloatArray());
    assertArrayEquals(new int[] {1, 3, 4, 0, 2}, Sorting.argpartition(x, 2, -1).toIntArray());
    // unsigned: 0xFFFFFFFF is the largest, not -1
    Array u = Array.of(DType.U32, new int[] {4}, 7, -1, 0, 3);
    assertArrayEquals(new int[] {0, 3, 7, -1}, Sorting.partition(u, 2, -1).toIntArray());
    assertArrayEquals(new int[] {2, 3, 0, 1}, Sorting.argpartition(u, 2, -1).toIntArray());
    Array jitted = Transforms.jit((Array t) -> Sorting.partition(t, -2, -1)).apply(x);
    assertArrayEquals(Sorting.partition(x, 3, -1).toFloatArray(), jitted.toFloatArray());
  }

  @Test
  @SuppressWarnings("statelens:SL007") // a traced value concretized on purpose: the error under test
  void uniqueAlongAnAxisKeepsWholeSlices() {
    Array rows = Array.of(DType.I32, new int[] {4, 2}, 3, 1, 0, 2, 3, 1, 0, 1);
    Nonzero.Unique u = Nonzero.uniqueAllAxis(rows, 0, null, null);
    assertArrayEquals(new int[] {0, 1, 0, 2, 3, 1}, u.values().toIntArray());
    assertArrayEquals(new int[] {3, 1, 0}, u.indices().toIntArray());
    assertArrayEquals(new int[] {2, 1, 2, 0}, u.inverse().toIntArray());
    assertArrayEquals(new int[] {1, 1, 2}, u.counts().toIntArray());
    // columns: [3,0,3,0] and [1,2,1,1] are distinct; a fixed size under jit pads with the fill value
    Array cols = Transforms.jit((Array t) -> Nonzero.uniqueAxis(t, 1, 3, -1.0)).apply(rows);
    assertArrayEquals(new int[] {4, 3}, cols.shape());
    assertArrayEquals(new int[] {1, 3, -1, 2, 0, -1, 1, 3, -1, 1, 0, -1}, cols.toIntArray());
    var traced = assertThrows(ConcretizationError.class,
        () -> Transforms.jit((Array t) -> Nonzero.uniqueAxis(t, 0)).apply(rows));
    assertTrue(traced.getMessage().contains("size"), traced.getMessage());
    var axis = assertThrows(ShapeError.class, () -> Nonzero.uniqueAxis(rows, 2));
    assertTrue(axis.getMessage().contains("axis 2") && axis.getMessage().contains("from -2 to 1"), axis.getMessage());
  }

  @Test
  void badArgumentsAreRefusedWithTheFix() {
    Array x = Array.of(1f, 2f, 3f);
    var k = assertThrows(ShapeError.class, () -> Sorting.partition(x, 3, -1));
    assertTrue(k.getMessage().contains("kth=3") && k.getMessage().contains("from -3 to 2"), k.getMessage());
    var n = assertThrows(IllegalArgumentException.class, () -> Lax.sort(List.of(x, x), 0, true, 3));
    assertTrue(n.getMessage().contains("num_keys=3"), n.getMessage());
    var s = assertThrows(ShapeError.class, () -> Lax.sort(List.of(x, Array.of(1f, 2f)), 0, true, 2));
    assertTrue(s.getMessage().contains("differ in shape"), s.getMessage());
    var m = assertThrows(IllegalArgumentException.class, () -> Sorting.searchsorted(x, x, "left", "binary"));
    assertTrue(m.getMessage().contains("\"binary\"") && m.getMessage().contains("scan"), m.getMessage());
    var l = assertThrows(ShapeError.class, () -> Sorting.lexsort(List.of(x, Array.of(1f, 2f)), -1));
    assertTrue(l.getMessage().contains("same shape"), l.getMessage());
  }
}
