package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Nn#maxPool}, {@link Nn#avgPool} (flax's NHWC pools) and {@link Lax#reduceWindowSum} /
 * {@link Lax#reduceWindowMax}: hand-computed cases, SAME/VALID shapes, direct loops
 * ({@link ConvReference#reduceWindow}), jit == eager, errors. Gradients: {@code ConvGradTest}.
 */
class PoolTest {

  /** 4x4 image 0..15, 2x2 windows, stride 2. */
  @Test
  void handComputedMaxAndAveragePools() {
    Array x = Array.arange(16).astype(DType.F32).reshape(1, 4, 4, 1);
    Array max = Nn.maxPool(x, new int[] {2, 2}, new int[] {2, 2}, "VALID");
    assertArrayEquals(new int[] {1, 2, 2, 1}, max.shape());
    assertArrayEquals(new float[] {5, 7, 13, 15}, max.toFloatArray(), 0);
    Array avg = Nn.avgPool(x, new int[] {2, 2}, new int[] {2, 2}, "VALID");
    assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, avg.toFloatArray(), 0);
    // 3x3 windows, stride 2, SAME on 4: out ceil(4/2) = 2, total pad (2-1)*2+3-4 = 1 -> (0, 1)
    Array sameMax = Nn.maxPool(x, new int[] {3, 3}, new int[] {2, 2}, "SAME");
    assertArrayEquals(new float[] {10, 11, 14, 15}, sameMax.toFloatArray(), 0);
    Array sameAvg = Nn.avgPool(x, new int[] {3, 3}, new int[] {2, 2}, "SAME");
    // window at (0,0): rows 0-2, cols 0-2: sum 0+1+2+4+5+6+8+9+10 = 45; at (0,1): cols 2-3 (+pad): 2+3+6+7+10+11 = 39
    assertArrayEquals(new float[] {45 / 9f, 39 / 9f, (12 + 13 + 14 + 8 + 9 + 10) / 9f, (10 + 11 + 14 + 15) / 9f},
        sameAvg.toFloatArray(), 1e-6f);
    Array counted = Nn.avgPool(x, new int[] {3, 3}, new int[] {2, 2}, "SAME", false);
    assertArrayEquals(new float[] {45 / 9f, 39 / 6f, 66 / 6f, 50 / 4f}, counted.toFloatArray(), 1e-6f);
    // flax's default strides are 1
    Array dense = Nn.maxPool(x, new int[] {2, 2}, null, "VALID");
    assertArrayEquals(new float[] {5, 6, 7, 9, 10, 11, 13, 14, 15}, dense.toFloatArray(), 0);
  }

  @Test
  void matchesDirectLoopsOverEveryAxis() {
    Random rng = new Random(3);
    int[] xs = {2, 7, 6, 3};
    double[] x = ConvReference.random(rng, ConvReference.size(xs));
    int[][] windows = {{1, 3, 2, 1}, {2, 2, 3, 1}, {1, 1, 1, 3}};
    int[][] strides = {{1, 2, 1, 1}, {1, 3, 2, 1}, {1, 1, 1, 2}};
    int[][][] pads = {{{0, 0}, {1, 1}, {0, 1}, {0, 0}}, {{0, 1}, {2, 0}, {1, 1}, {0, 0}}, {{0, 0}, {0, 0}, {0, 0}, {1, 1}}};
    for (int k = 0; k < windows.length; k++) {
      for (boolean max : new boolean[] {false, true}) {
        ConvReference.Result want = ConvReference.reduceWindow(x, xs, windows[k], strides[k], pads[k], max);
        Array xa = ConvReference.array(x, xs);
        Array got = max ? Lax.reduceWindowMax(xa, windows[k], strides[k], pads[k])
            : Lax.reduceWindowSum(xa, windows[k], strides[k], pads[k]);
        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.data(), got.toDoubleArray(), 1e-12, (max ? "max " : "sum ") + k);
        Array f32 = max ? Lax.reduceWindowMax(xa.astype(DType.F32), windows[k], strides[k], pads[k])
            : Lax.reduceWindowSum(xa.astype(DType.F32), windows[k], strides[k], pads[k]);
        assertArrayEquals(want.data(), f32.toDoubleArray(), 1e-5);
      }
    }
  }

  @Test
  void unbatchedInputJitAndNaN() {
    Array img = Array.arange(16).astype(DType.F32).reshape(4, 4, 1);
    Array y = Nn.maxPool(img, new int[] {2, 2}, new int[] {2, 2}, "VALID");
    assertArrayEquals(new int[] {2, 2, 1}, y.shape());
    Array x = Array.arange(2 * 6 * 6 * 3).astype(DType.F32).reshape(2, 6, 6, 3).sin();
    var f = (java.util.function.Function<Array, Array>) a ->
        Nn.avgPool(Nn.maxPool(a, new int[] {2, 2}, new int[] {1, 1}, "SAME"), new int[] {3, 3}, new int[] {2, 2}, "VALID");
    assertArrayEquals(f.apply(x).toFloatArray(), Transforms.jit(f).apply(x).toFloatArray(), 0);
    Array nan = Array.of(DType.F32, new int[] {1, 2, 2, 1}, 1f, Float.NaN, 3f, 2f);
    assertTrue(Float.isNaN(Nn.maxPool(nan, new int[] {2, 2}, null, "VALID").toFloatArray()[0]), "NaN propagates");
  }

  @Test
  void errorsNameTheLayout() {
    Array x = Array.ones(2, 4, 4, 3);
    ShapeError rank = assertThrows(ShapeError.class, () -> Nn.maxPool(x, new int[] {2}, null, "VALID"));
    assertTrue(rank.getMessage().contains("[N, spatial..., C]"), rank.getMessage());
    IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
        () -> Nn.avgPool(x, new int[] {2, 2}, null, "same-ish"));
    assertTrue(pad.getMessage().contains("VALID"), pad.getMessage());
    ShapeError dil = assertThrows(ShapeError.class, () -> Lax.reduceWindowSum(x, new int[] {1, 2}, null, new int[][] {{0, 0}, {0, 0}}));
    assertTrue(dil.getMessage().contains("one per axis"), dil.getMessage());
  }
}
