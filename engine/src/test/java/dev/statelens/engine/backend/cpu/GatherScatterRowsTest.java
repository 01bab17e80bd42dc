package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * f32 {@code gather} and {@code scatter_add} along an axis move and add whole rows (a vector at a
 * time where the Vector API runs): for rows shorter than, equal to and longer than a vector, with
 * outer axes, repeated and out-of-range indices, each element must be the definition's — the
 * gathered row, and for scatter_add the updates added in their order (the same float sums).
 */
class GatherScatterRowsTest {
  @Test
  void rowsGatherAndScatterAddAsDefined() {
    Random rnd = new Random(8);
    int checked = 0;
    for (int inner : new int[] {1, 3, 7, 8, 9, 16, 17, 24, 64, 65}) {
      for (int outer : new int[] {1, 3}) {
        int n = 1 + rnd.nextInt(12);
        int m = 1 + rnd.nextInt(40);
        float[] x = randoms(rnd, outer * n * inner);
        int[] idx = new int[m];
        for (int j = 0; j < m; j++) idx[j] = rnd.nextInt(n + 4) - 2; // repeats, and clamped ones
        float[] u = randoms(rnd, outer * m * inner);
        Array xs = Array.of(DType.F32, new int[] {outer, n, inner}, x);
        Array is = Array.of(DType.I32, new int[] {m}, idx);
        Array gathered = Prims.GATHER.bind1(Params.of("axis", 1), xs, is);
        Array added = Prims.SCATTER_ADD.bind1(Params.of("axis", 1), xs, is,
            Array.of(DType.F32, new int[] {outer, m, inner}, u));
        float[] g = new float[outer * m * inner];
        float[] s = x.clone();
        for (int o = 0; o < outer; o++) {
          for (int j = 0; j < m; j++) {
            int row = Math.max(0, Math.min(n - 1, idx[j])); // the kernels clamp, as XLA does
            for (int q = 0; q < inner; q++) {
              g[(o * m + j) * inner + q] = x[(o * n + row) * inner + q];
              s[(o * n + row) * inner + q] += u[(o * m + j) * inner + q];
            }
          }
        }
        String what = outer + " x " + n + " x " + inner + ", " + m + " indices";
        assertArrayEquals(g, gathered.toFloatArray(), "gather " + what);
        assertArrayEquals(s, added.toFloatArray(), "scatter_add " + what);
        checked++;
      }
    }
    assertEquals(20, checked);
  }

  private static float[] randoms(Random rnd, int n) {
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) rnd.nextGaussian();
    return f;
  }
}
