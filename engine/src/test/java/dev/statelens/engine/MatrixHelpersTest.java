package dev.statelens.engine;

import static dev.statelens.engine.HelperChecks.gradCheck;
import static dev.statelens.engine.HelperChecks.jitMatchesEager;
import static dev.statelens.engine.HelperChecks.random;
import static dev.statelens.engine.HelperChecks.vmapMatchesLoop;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * diagonal/diag/trace, triu/tril, outer, norm and meshgrid against loops written here, with jit,
 * vmap, finite-difference gradients in F64 and the errors.
 */
class MatrixHelpersTest {
  private final Random rnd = new Random(11);

  /** x[i, i + offset] of an n x m row-major matrix, as a loop. */
  private static double[] diagLoop(double[] x, int n, int m, int offset) {
    java.util.List<Double> r = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int j = i + offset;
      if (j >= 0 && j < m) {
        r.add(x[i * m + j]);
      }
    }
    return r.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void diagonalForEveryOffsetAndAxes() {
    Array x = random(rnd, 3, 5);
    double[] v = x.toDoubleArray();
    for (int k = -4; k <= 6; k++) {
      Array d = x.diagonal(k);
      assertArrayEquals(diagLoop(v, 3, 5, k), d.toDoubleArray(), "offset " + k);
      assertEquals(1, d.ndim());
      assertArrayEquals(diagLoop(v, 3, 5, k), x.diag(k).toDoubleArray(), "diag of a matrix, k=" + k);
    }
    assertArrayEquals(diagLoop(v, 3, 5, 0), x.diagonal().toDoubleArray());
    // a stack: the other axes first, the diagonal last (axes 1 and 2 of [2, 4, 4])
    Array s = random(rnd, 2, 4, 3);
    Array d = s.diagonal(1, 0, 2);      // axes 0 and 2 -> shape [4, diag len]
    assertArrayEquals(new int[] {4, 2}, d.shape());
    double[] sv = s.toDoubleArray();
    for (int j = 0; j < 4; j++) {
      for (int i = 0; i < 2; i++) {
        assertEquals(sv[(i * 4 + j) * 3 + i + 1], d.get(j, i).doubleValue(), "s[" + i + "," + j + "," + (i + 1) + "]");
      }
    }
    assertArrayEquals(s.diagonal(0, -1, 0).shape(), new int[] {4, 2}, "axis order swaps the roles of rows and columns");
    assertEquals(sv[0] + sv[4 * 3 + 1], s.diagonal(0, 2, 0).get(0).sum().doubleValue(), 1e-12);
  }

  @Test
  void diagOfAVectorBuildsTheMatrix() {
    Array v = Array.of(1f, 2f, 3f);
    assertArrayEquals(new float[] {1, 0, 0, 0, 2, 0, 0, 0, 3}, v.diag().toFloatArray());
    Array up = v.diag(1);
    assertArrayEquals(new int[] {4, 4}, up.shape());
    assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0}, up.toFloatArray());
    Array down = v.diag(-2);
    float[] expected = new float[25];
    for (int i = 0; i < 3; i++) {
      expected[(i + 2) * 5 + i] = i + 1;
    }
    assertArrayEquals(expected, down.toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3}, down.diag(-2).toFloatArray(), "diag(diag(v, k), k) is v");
    assertArrayEquals(new int[] {1, 0, 0, 1}, Array.of(1, 1).diag().toIntArray(), "dtype kept");
  }

  @Test
  void traceSumsTheDiagonal() {
    Array x = random(rnd, 4, 4);
    double[] v = x.toDoubleArray();
    assertEquals(v[0] + v[5] + v[10] + v[15], x.trace().doubleValue(), 1e-12);
    assertEquals(v[1] + v[6] + v[11], x.trace(1, 0, 1).doubleValue(), 1e-12);
    Array stack = random(rnd, 3, 2, 2);
    double[] sv = stack.toDoubleArray();
    Array t = stack.trace(0, 1, 2);
    for (int b = 0; b < 3; b++) {
      assertEquals(sv[b * 4] + sv[b * 4 + 3], t.get(b).doubleValue(), 1e-12);
    }
  }

  @Test
  void triuAndTrilKeepTheBand() {
    Array x = random(rnd, 2, 4, 5);
    double[] v = x.toDoubleArray();
    for (int k = -5; k <= 5; k++) {
      double[] lower = x.tril(k).toDoubleArray();
      double[] upper = x.triu(k).toDoubleArray();
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < 4; i++) {
          for (int j = 0; j < 5; j++) {
            int at = (b * 4 + i) * 5 + j;
            assertEquals(j <= i + k ? v[at] : 0, lower[at], "tril k=" + k);
            assertEquals(j >= i + k ? v[at] : 0, upper[at], "triu k=" + k);
          }
        }
      }
    }
    assertArrayEquals(new boolean[] {true, false, true, true}, Array.of(true, true, true, true).reshape(2, 2).tril(0).toBooleanArray());
    // a causal mask under jit: softmax rows only see the past
    Array scores = random(rnd, 3, 3);
    Array p = Transforms.jit((Array s) -> {
      int n = s.dim(0);
      Array mask = Array.ones(DType.BOOL, n, n).tril(0);
      return Nn.softmax(Array.where(mask, s, Double.NEGATIVE_INFINITY), -1);
    }).apply(scores);
    assertEquals(1.0, p.get(0, 0).doubleValue(), 1e-12);
    assertEquals(0.0, p.get(1, 2).doubleValue());
    assertEquals(1.0, p.get(2).sum().doubleValue(), 1e-12);
  }

  @Test
  void outerFlattensBoth() {
    Array a = Array.of(DType.F64, new int[] {2, 2}, 1, 2, 3, 4);
    Array b = Array.of(DType.F64, new int[] {3}, 10, 20, 30);
    Array o = a.outer(b);
    assertArrayEquals(new int[] {4, 3}, o.shape());
    double[] got = o.toDoubleArray();
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals((i + 1) * (j + 1) * 10.0, got[i * 3 + j]);
      }
    }
  }

  @Test
  void vectorNorms() {
    double[] x = {3, -4, 0, 1.5, -0.5};
    Array a = Array.of(DType.F64, new int[] {5}, x);
    double sq = 0;
    double l1 = 0;
    double max = 0;
    double min = Double.POSITIVE_INFINITY;
    double p3 = 0;
    int nz = 0;
    for (double e : x) {
      sq += e * e;
      l1 += Math.abs(e);
      max = Math.max(max, Math.abs(e));
      min = Math.min(min, Math.abs(e));
      p3 += Math.pow(Math.abs(e), 3);
      nz += e != 0 ? 1 : 0;
    }
    assertEquals(Math.sqrt(sq), a.norm().doubleValue(), 1e-12);
    assertEquals(Math.sqrt(sq), a.norm(2).doubleValue(), 1e-12);
    assertEquals(l1, a.norm(1).doubleValue(), 1e-12);
    assertEquals(max, a.norm(Double.POSITIVE_INFINITY).doubleValue());
    assertEquals(min, a.norm(Double.NEGATIVE_INFINITY).doubleValue());
    assertEquals(nz, a.norm(0).doubleValue());
    assertEquals(Math.cbrt(p3), a.norm(3).doubleValue(), 1e-12);
    // per row of a matrix, and an int input promotes to f32
    Array m = Array.of(DType.F64, new int[] {2, 2}, 3, 4, 6, 8);
    assertArrayEquals(new double[] {5, 10}, m.norm(2, 1).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {Math.sqrt(45), Math.sqrt(80)}, m.norm(2, 0).toDoubleArray(), 1e-12);
    Array ints = Array.of(3, 4).norm();
    assertEquals(DType.F32, ints.dtype());
    assertEquals(5f, ints.floatValue());
  }

  @Test
  void matrixNorms() {
    // [[3, 0], [4, 5]]: A^T A = [[25, 20], [20, 25]], singular values sqrt(45), sqrt(5)
    Array a = Array.of(DType.F64, new int[] {2, 2}, 3, 0, 4, 5);
    assertEquals(Math.sqrt(50), a.norm("fro").doubleValue(), 1e-12);
    assertEquals(Math.sqrt(50), a.norm().doubleValue(), 1e-12);
    assertEquals(Math.sqrt(45) + Math.sqrt(5), a.norm("nuc").doubleValue(), 1e-9);
    assertEquals(Math.sqrt(45), a.norm(2).doubleValue(), 1e-9);
    assertEquals(Math.sqrt(5), a.norm(-2).doubleValue(), 1e-9);
    assertEquals(7, a.norm(1).doubleValue(), 1e-12, "max column sum |3|+|4|");
    assertEquals(5, a.norm(-1).doubleValue(), 1e-12, "min column sum");
    assertEquals(9, a.norm(Double.POSITIVE_INFINITY).doubleValue(), 1e-12, "max row sum |4|+|5|");
    assertEquals(3, a.norm(Double.NEGATIVE_INFINITY).doubleValue(), 1e-12, "min row sum");
    // over axes of a stack, in either order (1, 0 is the transpose's norm)
    Array s = random(rnd, 3, 2, 4);
    Array n1 = s.norm(1, 1, 2);
    Array inf10 = s.norm(Double.POSITIVE_INFINITY, 2, 1);
    for (int b = 0; b < 3; b++) {
      Array sb = s.get(b);
      assertEquals(sb.norm(1).doubleValue(), n1.get(b).doubleValue(), 1e-12);
      assertEquals(sb.T().norm(Double.POSITIVE_INFINITY).doubleValue(), inf10.get(b).doubleValue(), 1e-12);
    }
    assertArrayEquals(s.mul(s).sum(0, 2).sqrt().toDoubleArray(), s.norm("fro", 0, 2).toDoubleArray(), 1e-12);
  }

  @Test
  void meshgridXyAndIj() {
    Array x = Array.of(1f, 2f, 3f);
    Array y = Array.of(10f, 20f);
    List<Array> xy = Array.meshgrid(x, y);
    assertArrayEquals(new int[] {2, 3}, xy.get(0).shape());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, xy.get(0).toFloatArray());
    assertArrayEquals(new float[] {10, 10, 10, 20, 20, 20}, xy.get(1).toFloatArray());
    List<Array> ij = Array.meshgrid("ij", x, y);
    assertArrayEquals(new int[] {3, 2}, ij.get(0).shape());
    assertArrayEquals(new float[] {1, 1, 2, 2, 3, 3}, ij.get(0).toFloatArray());
    assertArrayEquals(new float[] {10, 20, 10, 20, 10, 20}, ij.get(1).toFloatArray());
    // three inputs with "xy": shape (len(y), len(x), len(z)), z varies along the last axis
    Array z = Array.of(DType.I32, new int[] {4}, 0, 1, 2, 3);
    List<Array> three = Array.meshgrid("xy", x, y, z);
    for (Array g : three) {
      assertArrayEquals(new int[] {2, 3, 4}, g.shape());
    }
    assertEquals(3f, three.get(0).get(1, 2, 3).floatValue());
    assertEquals(20f, three.get(1).get(1, 2, 3).floatValue());
    assertEquals(DType.I32, three.get(2).dtype());
    assertEquals(2, three.get(2).get(0, 0, 2).intValue());
  }

  @Test
  void jitAndVmapAgree() {
    Array m = random(rnd, 4, 5);
    jitMatchesEager("diagonal 1", x -> x.diagonal(1), m);
    jitMatchesEager("triu -1", x -> x.triu(-1), m);
    jitMatchesEager("norm nuc", x -> x.norm("nuc"), m);
    jitMatchesEager("diag of a vector", x -> x.diag(-1), random(rnd, 4));
    Array stack = random(rnd, 3, 4, 4);
    vmapMatchesLoop("diagonal", x -> x.diagonal(-1), stack);
    vmapMatchesLoop("trace", x -> x.trace(), stack);
    vmapMatchesLoop("tril", x -> x.tril(1), stack);
    vmapMatchesLoop("diag of rows", x -> x.diag(1), random(rnd, 3, 4));
    vmapMatchesLoop("row norms", x -> x.norm(1, 1), stack);
    vmapMatchesLoop("matrix 2-norm", x -> x.norm(2), stack);
    vmapMatchesLoop("outer", x -> x.outer(x), random(rnd, 3, 4));
  }

  @Test
  void gradientsMatchFiniteDifferences() {
    Array m = random(rnd, 3, 4);
    gradCheck("diagonal", a -> a.get(0).diagonal(1), m);
    gradCheck("diagonal of a stack", a -> a.get(0).diagonal(-1, 2, 1), random(rnd, 2, 3, 3));
    gradCheck("diag of a vector", a -> a.get(0).diag(-1), random(rnd, 3));
    gradCheck("trace", a -> a.get(0).trace(), random(rnd, 3, 3));
    gradCheck("triu", a -> a.get(0).triu(1), m);
    gradCheck("tril", a -> a.get(0).tril(-1), m);
    gradCheck("outer", a -> a.get(0).outer(a.get(1)), random(rnd, 3), random(rnd, 2));
    gradCheck("norm", a -> a.get(0).norm(), m);
    gradCheck("norm 1 per row", a -> a.get(0).norm(1, 1), m);
    gradCheck("norm 3", a -> a.get(0).norm(3, 0), m);
    gradCheck("norm inf", a -> a.get(0).norm(Double.POSITIVE_INFINITY, 1), m);
    gradCheck("matrix norm 1", a -> a.get(0).norm(1), m);
    gradCheck("fro", a -> a.get(0).norm("fro"), m);
    gradCheck("nuc", a -> a.get(0).norm("nuc"), m);
    gradCheck("matrix 2-norm", a -> a.get(0).norm(2), m);
  }

  @Test
  void badInputSaysWhatIsWrong() {
    ShapeError e = assertThrows(ShapeError.class, () -> Array.of(1f, 2f).diagonal());
    assertTrue(e.getMessage().contains("rank >= 2") && e.getMessage().contains("diag(v)"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2, 2).diagonal(0, 1, -1));
    assertTrue(e.getMessage().contains("both axis 1"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2, 2, 2).diag());
    assertTrue(e.getMessage().contains("diagonal(offset, axis1, axis2)"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(3).tril(0));
    assertTrue(e.getMessage().contains("tril") && e.getMessage().contains("rank >= 2"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(3, 3).norm(3));
    assertTrue(e.getMessage().contains("not a matrix norm"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(3).norm("fro"));
    assertTrue(e.getMessage().contains("needs two axes"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2, 3, 4).norm(2));
    assertTrue(e.getMessage().contains("pass the axes"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.meshgrid("yx", Array.zeros(2)));
    assertTrue(e.getMessage().contains("\"xy\"") && e.getMessage().contains("\"ij\""), e.getMessage());
  }
}
