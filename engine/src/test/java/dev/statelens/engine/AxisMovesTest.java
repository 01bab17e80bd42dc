package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * roll, moveaxis, swapaxes, ravel: values against NumPy's (written out by hand from numpy's
 * definitions), their gradients (the inverse move of the cotangent) and vmap (a batch axis in front).
 */
class AxisMovesTest {

  private static Array grid() { // [[0 1 2] [3 4 5]]
    return Array.arange(6).reshape(2, 3);
  }

  @Test
  void rollMovesElementsForwardWithWraparound() {
    assertArrayEquals(new int[] {4, 0, 1, 2, 3}, Array.arange(5).roll(1, 0).toIntArray());
    assertArrayEquals(new int[] {2, 3, 4, 0, 1}, Array.arange(5).roll(-2, 0).toIntArray());
    assertArrayEquals(new int[] {3, 4, 0, 1, 2}, Array.arange(5).roll(12, 0).toIntArray()); // 12 mod 5
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, Array.arange(5).roll(-5, 0).toIntArray());
    // without an axis: the flattened array, shape kept (jnp.roll(arange(6).reshape(2,3), -4))
    Array r = grid().roll(-4);
    assertArrayEquals(new int[] {2, 3}, r.shape());
    assertArrayEquals(new int[] {4, 5, 0, 1, 2, 3}, r.toIntArray());
    assertArrayEquals(new int[] {2, 0, 1, 5, 3, 4}, grid().roll(1, -1).toIntArray());
    assertArrayEquals(new int[] {3, 4, 5, 0, 1, 2}, grid().roll(1, 0).toIntArray());
    // several axes at once
    assertArrayEquals(new int[] {5, 3, 4, 2, 0, 1}, grid().roll(new int[] {1, 1}, new int[] {0, 1}).toIntArray());
    assertEquals(7, Array.scalar(DType.I32, 7).roll(3).intValue());
  }

  @Test
  void moveaxisAndSwapaxesPermuteAsNumpy() {
    Array x = Array.zeros(2, 3, 4, 5);
    assertArrayEquals(new int[] {2, 4, 5, 3}, x.moveaxis(1, -1).shape());
    assertArrayEquals(new int[] {5, 2, 3, 4}, x.moveaxis(-1, 0).shape());
    assertArrayEquals(new int[] {4, 5, 2, 3}, x.moveaxis(new int[] {0, 1}, new int[] {-2, -1}).shape());
    assertArrayEquals(new int[] {3, 2, 4, 5}, x.moveaxis(new int[] {1, 0}, new int[] {0, 1}).shape());
    assertArrayEquals(new int[] {2, 5, 4, 3}, x.swapaxes(1, 3).shape());
    // values: moveaxis of [2,3] is its transpose
    assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, grid().moveaxis(0, 1).toIntArray());
    assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, grid().swapaxes(0, -1).toIntArray());
    Array y = Array.arange(24).reshape(2, 3, 4);
    // numpy: np.moveaxis(arange(24).reshape(2,3,4), 2, 0)[1] = [[1 5 9] [13 17 21]]
    assertArrayEquals(new int[] {1, 5, 9, 13, 17, 21}, y.moveaxis(2, 0).sliceAxis(0, 1, 2).toIntArray());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, grid().ravel().toIntArray());
    assertArrayEquals(new int[] {6}, grid().ravel().shape());
    assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, grid().T().ravel().toIntArray());
  }

  @Test
  void badAxesSayWhatIsWrong() {
    Array x = Array.zeros(2, 3);
    var e = assertThrows(ShapeError.class, () -> x.moveaxis(new int[] {0, 0}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("repeated"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> x.moveaxis(new int[] {0}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("one destination per moved axis"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> x.swapaxes(0, 2));
    assertTrue(e.getMessage().contains("axis 2 is out of range"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> x.roll(new int[] {1}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("one shift per axis"), e.getMessage());
  }

  @Test
  void gradientsMoveTheCotangentBack() {
    Array w = Array.of(DType.F32, new int[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f);
    Array x = Array.zeros(2, 3);
    // d/dx sum(roll(x) * w) = roll(w, -shift)
    assertArrayEquals(w.roll(-1, 1).toFloatArray(),
        Transforms.grad((Array v) -> v.roll(1, 1).mul(w).sum()).apply(x).toFloatArray());
    assertArrayEquals(w.roll(4).toFloatArray(), Transforms.grad((Array v) -> v.roll(-4).mul(w).sum()).apply(x).toFloatArray());
    Array wt = w.T();
    assertArrayEquals(w.toFloatArray(), Transforms.grad((Array v) -> v.swapaxes(0, 1).mul(wt).sum()).apply(x).toFloatArray());
    assertArrayEquals(w.toFloatArray(), Transforms.grad((Array v) -> v.moveaxis(0, 1).mul(wt).sum()).apply(x).toFloatArray());
    assertArrayEquals(w.toFloatArray(), Transforms.grad((Array v) -> v.ravel().mul(w.ravel()).sum()).apply(x).toFloatArray());
  }

  @Test
  void vmapAndJitAgreeWithTheLoop() {
    Array xs = Array.arange(24).reshape(4, 2, 3).astype(DType.F32);
    for (java.util.function.Function<Array, Array> f : java.util.List.<java.util.function.Function<Array, Array>>of(
        v -> v.roll(1, 1), v -> v.roll(-2), v -> v.moveaxis(0, 1), v -> v.swapaxes(0, 1), Array::ravel)) {
      Array batched = Transforms.vmap(f).apply(xs);
      Array looped = Array.stack(0, java.util.stream.IntStream.range(0, 4)
          .mapToObj(i -> f.apply(xs.sliceAxis(0, i, i + 1).squeeze(0))).toList());
      assertArrayEquals(looped.shape(), batched.shape());
      assertArrayEquals(looped.toFloatArray(), batched.toFloatArray());
      assertArrayEquals(looped.toFloatArray(), Transforms.jit(Transforms.vmap(f)).apply(xs).toFloatArray());
    }
  }
}
