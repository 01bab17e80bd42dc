package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Lax#map}, {@link Lax#clamp}, {@link Lax#selectN}, {@link Lax#rev}, {@link Lax#batchMatmul}
 * and {@link Lax#reduce}: agreement with the plain array operations, pytrees, vmap, and the errors.
 * The real-JAX comparison is JaxReferenceTest's jnp7/lax cases.
 */
class LaxPiecesTest {

  @Test
  void mapEqualsVmapForEveryBatchSizeAndTakesPytrees() {
    Array xs = Array.arange(DType.F32, 0, 11, 1).reshape(11, 1).mul(Array.of(1f, -2f, 0.5f));
    Array expected = Transforms.vmap((Array r) -> r.exp().mul(r.sum())).apply(xs);
    for (int b : new int[] {1, 3, 4, 11, 20}) {
      assertArrayEquals(expected.toFloatArray(), Lax.map((Array r) -> r.exp().mul(r.sum()), xs, b).toFloatArray(), 1e-6f,
          "batchSize " + b);
    }
    List<Array> out = Lax.map((Pair<Array, Array> p) -> List.of(p.first().add(p.second()), p.first().sum()),
        Pair.of(xs, xs.mul(2)));
    assertArrayEquals(xs.mul(3).toFloatArray(), out.get(0).toFloatArray());
    assertArrayEquals(new int[] {11}, out.get(1).shape());
    // nested in vmap: a batch of mapped stacks
    Array nested = Transforms.vmap((Array t) -> Lax.map((Array r) -> r.square(), t, 2)).apply(xs.reshape(1, 11, 3));
    assertArrayEquals(xs.square().toFloatArray(), nested.reshape(11, 3).toFloatArray());
    assertThrows(IllegalArgumentException.class, () -> Lax.map((Array r) -> r, xs, 0));
  }

  @Test
  void reduceWithAnyAssociativeComputation() {
    Array x = Array.arange(DType.F32, 1, 8, 1).reshape(7, 1).mul(Array.of(1f, -1f, 2f));
    assertArrayEquals(x.max(0).toFloatArray(), Lax.reduce(x, Array.scalar(DType.F32, Float.NEGATIVE_INFINITY),
        Array::maximum, 0).toFloatArray());
    assertArrayEquals(x.prod(0, 1).toFloatArray(), Lax.reduce(x, Array.scalar(DType.F32, 1), Array::mul, 0, 1).toFloatArray());
    // an empty axis gives init; an init that is no identity is applied once per output element
    assertArrayEquals(new float[] {5f, 5f, 5f},
        Lax.reduce(Array.zeros(DType.F32, 0, 3), Array.scalar(DType.F32, 5), Array::add, 0).toFloatArray());
    assertArrayEquals(x.sum(0).add(10).toFloatArray(),
        Lax.reduce(x, Array.scalar(DType.F32, 10), Array::add, 0).toFloatArray());
    assertThrows(ShapeError.class, () -> Lax.reduce(x, Array.scalar(DType.F64, 0), Array::add, 0));
    assertThrows(ShapeError.class, () -> Lax.reduce(x, Array.scalar(DType.F32, 0), Array::add, -1));
  }

  @Test
  void clampSelectRevBatchMatmulAndTheirErrors() {
    Array x = Array.of(-2f, 0.5f, 3f);
    assertArrayEquals(new float[] {-1f, 0.5f, 1f}, Lax.clamp(Array.scalar(DType.F32, -1), x, Array.scalar(DType.F32, 1))
        .toFloatArray());
    Exception e = assertThrows(ShapeError.class, () -> Lax.clamp(Array.scalar(DType.F64, -1), x, Array.scalar(DType.F32, 1)));
    assertTrue(e.getMessage().contains("astype"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Lax.clamp(Array.of(0f, 0f), x, Array.scalar(DType.F32, 1)));
    assertTrue(e.getMessage().contains("clip"), e.getMessage());
    Array[] cases = {Array.of(1f, 1f, 1f), Array.of(2f, 2f, 2f), Array.of(3f, 3f, 3f)};
    assertArrayEquals(new float[] {3f, 1f, 2f}, Lax.selectN(Array.of(2, 0, 1), cases).toFloatArray());
    e = assertThrows(IllegalArgumentException.class,
        () -> Lax.selectN(Array.of(DType.BOOL, new int[] {3}, true, false, true), cases));
    assertTrue(e.getMessage().contains("int32"), e.getMessage());
    assertThrows(ShapeError.class, () -> Lax.selectN(Array.of(0, 1), cases));
    assertArrayEquals(new float[] {3f, 0.5f, -2f}, Lax.rev(x, 0).toFloatArray());
    Array a = Array.arange(DType.F32, 0, 12, 1).reshape(2, 2, 3);
    Array b = Array.arange(DType.F32, 0, 12, 1).reshape(2, 3, 2);
    assertArrayEquals(a.matmul(b).toFloatArray(), Lax.batchMatmul(a, b).toFloatArray());
    e = assertThrows(ShapeError.class, () -> Lax.batchMatmul(a, b.reshape(1, 2, 3, 2)));
    assertTrue(e.getMessage().contains("matmul"), e.getMessage());
    assertThrows(ShapeError.class, () -> Lax.batchMatmul(a, b.reshape(3, 2, 2)));
  }
}
