package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ShapeEdits}: identities (four quarter turns, delete undoes insert, array_split's parts
 * concatenate back) and the errors; the real-JAX comparison is JaxReferenceTest's jnp7/shape cases.
 */
class ShapeEditsTest {
  private static final Array M = Array.arange(DType.F32, 0, 24, 1).reshape(2, 3, 4);

  @Test
  void identities() {
    Array r = M;
    for (int i = 0; i < 4; i++) {
      r = ShapeEdits.rot90(r, 1, 1, 2);
    }
    assertArrayEquals(M.toFloatArray(), r.toFloatArray());
    assertArrayEquals(ShapeEdits.rot90(M, 3, 0, 1).toFloatArray(), ShapeEdits.rot90(M, -1, 0, 1).toFloatArray());
    Array inserted = ShapeEdits.insert(M, new int[] {1, 3}, Array.of(-1f), 2);
    assertArrayEquals(new int[] {2, 3, 6}, inserted.shape());
    assertArrayEquals(M.toFloatArray(), ShapeEdits.delete(inserted, new int[] {1, 4}, 2).toFloatArray());
    List<Array> parts = ShapeEdits.arraySplit(M, 3, 2);
    assertEquals(List.of(2, 1, 1), parts.stream().map(p -> p.shape()[2]).toList());
    assertArrayEquals(M.toFloatArray(), Array.concatenate(2, parts).toFloatArray());
    assertArrayEquals(M.toFloatArray(), Array.stack(1, ShapeEdits.unstack(M, 1)).toFloatArray());
    assertArrayEquals(new float[] {0, 1, 2, 0, 1}, ShapeEdits.resize(Array.of(0f, 1f, 2f), 5).toFloatArray());
  }

  @Test
  void errorsNameTheFix() {
    Exception e = assertThrows(ShapeError.class, () -> ShapeEdits.rot90(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("reshape"), e.getMessage());
    assertThrows(ShapeError.class, () -> ShapeEdits.rot90(M, 1, 1, -2));
    e = assertThrows(ShapeError.class, () -> ShapeEdits.fliplr(Array.of(1f, 2f)));
    assertTrue(e.getMessage().contains("flipud"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> ShapeEdits.delete(M, new int[] {4}, 2));
    assertTrue(e.getMessage().contains("out of bounds") && e.getMessage().contains("-4 to 3"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> ShapeEdits.insert(M, new int[] {0, 1}, Array.ones(DType.F32, 2, 3, 3), 2));
    assertTrue(e.getMessage().contains("one slice per position"), e.getMessage());
    assertThrows(ShapeError.class, () -> ShapeEdits.resize(M, 2, -1));
    assertThrows(ShapeError.class, () -> ShapeEdits.arraySplit(M, 0, 0));
  }
}
