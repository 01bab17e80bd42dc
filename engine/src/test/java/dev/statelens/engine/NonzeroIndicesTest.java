package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Nonzero} and {@code Indices}: JAX's documented examples, the jit contract of {@code size}
 * and the errors. Values against real JAX: the {@code jnp6/*} cases of JaxReferenceTest.
 */
class NonzeroIndicesTest {

  @Test
  void nonzeroFollowsJaxsDocstring() {
    Array x = Array.of(0, 1, 0, 2, 0, 3, 0); // the docstring's x: non-zeros at 1, 3, 5
    assertArrayEquals(new int[] {1, 3, 5}, Nonzero.nonzero(x).get(0).toIntArray());
    var jitted = Transforms.jit((Array t) -> Nonzero.nonzero(t, 2).get(0));
    assertArrayEquals(new int[] {1, 3}, jitted.apply(x).toIntArray(), "size 2 truncates");
    assertArrayEquals(new int[] {1, 3, 5, 0, 0}, Transforms.jit((Array t) -> Nonzero.nonzero(t, 5).get(0)).apply(x)
        .toIntArray(), "size 5 pads with 0");
    assertArrayEquals(new int[] {1, 3, 5, 7, 7}, Nonzero.nonzero(x, 5, 7).get(0).toIntArray());
    assertArrayEquals(new int[] {0, 0, 0, 2, 1, 1}, Nonzero.argwhere(Array.of(DType.I32, new int[] {2, 3}, 1, 0, 2, 0, 3, 0))
        .reshape(-1).toIntArray()); // [[0, 0], [0, 2], [1, 1]]
  }

  @Test
  @SuppressWarnings("statelens:SL007") // no size under jit/vmap, on purpose: the error under test
  void withoutSizeUnderJitTheErrorNamesSize() {
    Array x = Array.of(0, 1, 0, 2);
    for (Runnable r : List.<Runnable>of(
        () -> Transforms.jit((Array t) -> Nonzero.nonzero(t).get(0)).apply(x),
        () -> Transforms.jit((Array t) -> Nonzero.unique(t)).apply(x),
        () -> Transforms.vmap((Array t) -> Nonzero.flatnonzero(t)).apply(x.reshape(2, 2)),
        () -> Transforms.jit((Array t) -> Nonzero.argwhere(t)).apply(x))) {
      var e = assertThrows(ConcretizationError.class, r::run);
      assertTrue(e.getMessage().contains("pass a static size"), e.getMessage());
    }
    var zeroD = assertThrows(ShapeError.class, () -> Nonzero.nonzero(Array.scalar(1)));
    assertTrue(zeroD.getMessage().contains("atleast1d"), zeroD.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Nonzero.nonzero(x, -1));
  }

  @Test
  void uniqueFollowsJaxsDocstring() {
    Array x = Array.of(3, 4, 1, 3, 1);
    assertArrayEquals(new int[] {1, 3, 4}, Nonzero.unique(x).toIntArray());
    assertArrayEquals(new int[] {1, 3}, Transforms.jit((Array t) -> Nonzero.unique(t, 2)).apply(x).toIntArray());
    assertArrayEquals(new int[] {1, 3, 4, 1, 1}, Nonzero.unique(x, 5).toIntArray(), "padded with the smallest value");
    assertArrayEquals(new int[] {1, 3, 4, 0, 0}, Nonzero.unique(x, 5, 0).toIntArray());
    Nonzero.Unique all = Nonzero.uniqueAll(x);
    assertArrayEquals(new int[] {2, 0, 1}, all.indices().toIntArray());
    assertArrayEquals(new int[] {1, 2, 0, 1, 0}, all.inverse().toIntArray());
    assertArrayEquals(new int[] {2, 2, 1}, all.counts().toIntArray());
    var empty = assertThrows(IllegalArgumentException.class, () -> Nonzero.unique(Array.zeros(0), 3));
    assertTrue(empty.getMessage().contains("fillValue"), empty.getMessage());
  }

  @Test
  void triangleAndDiagonalIndices() {
    List<Array> upper = Indices.triuIndices(3, 1, 3);
    assertArrayEquals(new int[] {0, 0, 1}, upper.get(0).toIntArray());
    assertArrayEquals(new int[] {1, 2, 2}, upper.get(1).toIntArray());
    List<Array> lower = Indices.trilIndices(3);
    assertArrayEquals(new int[] {0, 1, 1, 2, 2, 2}, lower.get(0).toIntArray());
    assertArrayEquals(new int[] {0, 0, 1, 0, 1, 2}, lower.get(1).toIntArray());
    assertEquals(3, Indices.diagIndices(4, 3).size());
    var notMatrix = assertThrows(ShapeError.class, () -> Indices.triuIndicesFrom(Array.zeros(2, 2, 2), 0));
    assertTrue(notMatrix.getMessage().contains("only 2-d"), notMatrix.getMessage());
    var ragged = assertThrows(ShapeError.class, () -> Indices.fillDiagonal(Array.zeros(2, 3, 2), 1));
    assertTrue(ragged.getMessage().contains("one length"), ragged.getMessage());
    assertThrows(ShapeError.class, () -> Indices.fillDiagonal(Array.zeros(3), 1));
  }

  @Test
  void unravelAndRavelRoundTripAndRaiseNamesTheFix() {
    Array flat = Array.of(0, 5, 11);
    List<Array> ij = Indices.unravelIndex(flat, 3, 4);
    assertArrayEquals(new int[] {0, 1, 2}, ij.get(0).toIntArray());
    assertArrayEquals(new int[] {0, 1, 3}, ij.get(1).toIntArray());
    assertArrayEquals(flat.toIntArray(), Indices.ravelMultiIndex(ij, new int[] {3, 4}).toIntArray());
    var oob = assertThrows(IllegalArgumentException.class,
        () -> Indices.ravelMultiIndex(List.of(Array.of(0, 3), Array.of(1, 1)), new int[] {3, 4}));
    assertTrue(oob.getMessage().contains("invalid entry 3") && oob.getMessage().contains("clip"), oob.getMessage());
    var traced = assertThrows(ConcretizationError.class, () -> Transforms.jit(
        (Array r) -> Indices.ravelMultiIndex(List.of(r, r), new int[] {3, 4})).apply(Array.of(0, 1)));
    assertTrue(traced.getMessage().contains("mode \"wrap\" or \"clip\""), traced.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Indices.unravelIndex(Array.of(1f), 3));
    assertThrows(ShapeError.class, () -> Indices.unravelIndex(Array.of(1), 3, 0));
  }

  @Test
  void arraysMdExampleRunsUnderJit() {
    var step = Transforms.jit((Array emb, Array labels) -> {
      List<Array> ij = Indices.triuIndices(8, 1, 8); // 28 pairs, static
      Array d = emb.take(ij.get(0), 0).sub(emb.take(ij.get(1), 0)).square().sum(1);
      Array classes = Nonzero.unique(labels, 4, -1); // size= makes it jittable
      return Pair.of(d.mean(), classes);
    });
    Array emb = Array.arange(16).astype(DType.F32).reshape(8, 2);
    Pair<Array, Array> out = step.apply(emb, Array.of(2, 0, 2, 5, 0, 2, 5, 5));
    double expected = 0; // pair (i, j) differs by (2(j - i), 2(j - i)): squared distance 8 (j - i)^2
    for (int i = 0; i < 8; i++) {
      for (int j = i + 1; j < 8; j++) {
        expected += 8.0 * (j - i) * (j - i) / 28;
      }
    }
    assertEquals(expected, out.first().item(), 1e-4);
    assertArrayEquals(new int[] {0, 2, 5, -1}, out.second().toIntArray());
  }
}
