package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code cumsum}, {@code cumprod}, {@code sort}, {@code argsort}: values as NumPy gives them
 * (written out), NaN and signed zeros in sorts, stability, integer wrap, jit == eager, the jaxpr
 * names, and errors.
 */
class CumsumSortTest {
  private static final Array M = Array.of(DType.F32, new int[] {2, 3}, 1f, 2f, 3f, 4f, 5f, 6f);

  @Test
  void cumulativeSumsAndProducts() {
    // np.cumsum([[1,2,3],[4,5,6]], axis=1) / axis=0 / flattened
    assertArrayEquals(new float[] {1, 3, 6, 4, 9, 15}, M.cumsum(1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 5, 7, 9}, M.cumsum(0).toFloatArray());
    assertArrayEquals(new float[] {1, 3, 6, 10, 15, 21}, M.cumsum().toFloatArray());
    assertArrayEquals(new float[] {1, 2, 6, 4, 20, 120}, M.cumprod(-1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 4, 10, 18}, M.cumprod(0).toFloatArray());
    // bool counts as i32, as jnp.cumsum; i32 wraps
    Array c = Array.of(true, false, true, true).cumsum();
    assertEquals(DType.I32, c.dtype());
    assertArrayEquals(new int[] {1, 1, 2, 3}, c.toIntArray());
    assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE}, Array.of(Integer.MAX_VALUE, 1).cumsum().toIntArray());
    // f32 sums in order, in f32: 1e8 + 1 + 1 stays 1e8 (a pairwise sum would not)
    assertArrayEquals(new float[] {1e8f, 1e8f, 1e8f}, Array.of(1e8f, 1f, 1f).cumsum().toFloatArray());
    assertArrayEquals(new int[] {0, 2}, Array.zeros(DType.F32, 0, 2).cumsum(0).shape(), "empty axis");
  }

  @Test
  void runningMaximaAndMinima() {
    // lax.cummax([3, 1, 4, 1, 5]) and cummin; NaN propagates from where it appears
    Array x = Array.of(3f, 1f, 4f, 1f, 5f);
    assertArrayEquals(new float[] {3, 3, 4, 4, 5}, x.cummax(0).toFloatArray());
    assertArrayEquals(new float[] {3, 1, 1, 1, 1}, x.cummin(0).toFloatArray());
    assertArrayEquals(new float[] {2, Float.NaN, Float.NaN}, Array.of(2f, Float.NaN, 7f).cummax(0).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, M.cummax(1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, M.cummin(0).toFloatArray());
    assertArrayEquals(new int[] {-7, -2, -2}, Array.of(-7, -2, -9).cummax(0).toIntArray());
    // u32 compares unsigned: 0xFFFFFFFF is the largest
    assertArrayEquals(new int[] {5, -1, -1}, Array.of(DType.U32, new int[] {3}, 5, -1, 7).cummax(0).toIntArray());
  }

  @Test
  void sortIsStableWithNaNLastLikeNumPy() {
    Array x = Array.of(3f, Float.NaN, -1f, 0f, -0f, 2f, -Float.POSITIVE_INFINITY);
    // np.sort: [-inf, -1, 0, -0, 2, 3, nan] (0 and -0 equal: kept in input order)
    float[] s = x.sort().toFloatArray();
    assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, -1, 0, -0f, 2, 3, Float.NaN}, s);
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(s[2]), "+0 came first in the input");
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(s[3]));
    // np.argsort(x, kind='stable')
    assertArrayEquals(new int[] {6, 2, 3, 4, 5, 0, 1}, x.argsort().toIntArray());
    // rows sorted independently; axis 0 too
    Array m = Array.of(DType.I32, new int[] {2, 3}, 3, 1, 2, 0, 5, 0);
    assertArrayEquals(new int[] {1, 2, 3, 0, 0, 5}, m.sort(1).toIntArray());
    assertArrayEquals(new int[] {0, 1, 0, 3, 5, 2}, m.sort(0).toIntArray());
    assertArrayEquals(new int[] {1, 2, 0, 0, 2, 1}, m.argsort(1).toIntArray());
    // u32 sorts unsigned; bool false first
    assertArrayEquals(new int[] {1, 7, -1}, Array.of(DType.U32, new int[] {3}, -1, 7, 1).sort().toIntArray());
    assertArrayEquals(new boolean[] {false, true, true}, Array.of(true, false, true).sort().toBooleanArray());
    Array y = Array.of(5f, 1f, 4f);
    assertArrayEquals(y.sort().toFloatArray(), y.takeAlongAxis(y.argsort(), 0).toFloatArray());
  }

  @Test
  void longLinesMatchAReferenceSort() {
    java.util.Random rnd = new java.util.Random(11);
    float[] f = new float[2000];
    for (int i = 0; i < f.length; i++) {
      f[i] = switch (i % 97) {
        case 0 -> Float.NaN;
        case 1 -> Float.NEGATIVE_INFINITY;
        case 2 -> Float.POSITIVE_INFINITY;
        case 3 -> -Float.MIN_VALUE;
        default -> (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10));
      };
    }
    float[] expected = f.clone();
    java.util.Arrays.sort(expected); // no zeros here, so Java's order is NumPy's
    assertArrayEquals(expected, Array.of(f).sort().toFloatArray());
    // many ties: the stable argsort is a stable sort of the positions by key
    int[] k = new int[3000];
    for (int i = 0; i < k.length; i++) {
      k[i] = rnd.nextInt(20) - 10;
    }
    Integer[] pos = new Integer[k.length];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i;
    }
    java.util.Arrays.sort(pos, (a, b) -> Integer.compare(k[a], k[b]));
    assertArrayEquals(java.util.Arrays.stream(pos).mapToInt(Integer::intValue).toArray(), Array.of(k).argsort().toIntArray());
    double[] d = new double[500];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 50 == 0 ? Double.NaN : rnd.nextGaussian();
    }
    double[] de = d.clone();
    java.util.Arrays.sort(de);
    assertArrayEquals(de, Array.of(d).sort().toDoubleArray());
  }

  @Test
  void jitMatchesEager() {
    Function<Array, Array> f = x -> x.sort(1).add(x.cumsum(0)).add(x.argsort(0).astype(DType.F32)).mul(x.cumprod(1))
        .add(x.cummax(1)).sub(x.cummin(0));
    Array x = Array.of(DType.F32, new int[] {3, 4}, 5f, -2f, 0.5f, 7f, 1f, 1f, -3f, 2f, 0f, 9f, 4f, -1f);
    assertArrayEquals(f.apply(x).toFloatArray(), Transforms.jit(f).apply(x).toFloatArray());
    String jaxpr = Transforms.makeJaxpr(f, x).toString();
    assertTrue(jaxpr.contains("sort[") && jaxpr.contains("cumsum[") && jaxpr.contains("cumprod["), jaxpr);
  }

  @Test
  void clearErrors() {
    ShapeError e = assertThrows(ShapeError.class, () -> M.cumsum(2));
    assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.scalar(1).sort());
    assertTrue(e.getMessage().contains("rank-0"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> M.argsort(-3));
    assertTrue(e.getMessage().contains("-3"), e.getMessage());
  }
}
