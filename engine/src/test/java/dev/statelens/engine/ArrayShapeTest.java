package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Factories, promotion, broadcasting, reductions, shape ops and matmul against plain Java. */
class ArrayShapeTest {

  private static float[] seq(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  @Test
  void factoriesHaveJaxDtypes() {
    assertEquals(DType.F32, Array.scalar(1.5).dtype());
    assertEquals(0, Array.scalar(1.5).ndim());
    assertEquals(DType.F32, Array.of(1f, 2f).dtype());
    assertEquals(DType.F64, Array.of(1.0, 2.0).dtype());
    assertEquals(DType.I32, Array.of(1, 2).dtype());
    assertEquals(DType.BOOL, Array.of(true).dtype());
    Array m = Array.of(DType.F32, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    assertArrayEquals(new int[] {2, 3}, m.shape());
    assertEquals(6, m.size());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.toFloatArray());
    assertArrayEquals(new float[] {0, 0, 0, 0}, Array.zeros(2, 2).toFloatArray());
    assertArrayEquals(new int[] {1, 1}, Array.ones(DType.I32, 2).toIntArray());
    assertArrayEquals(new float[] {7, 7, 7}, Array.full(new int[] {3}, 7).toFloatArray());
    assertArrayEquals(new int[] {0, 1, 2, 3}, Array.arange(4).toIntArray());
    assertArrayEquals(new int[] {2, 4, 6}, Array.arange(2, 8, 2).toIntArray());
    assertArrayEquals(new float[] {0, 1, 2}, Array.iota(DType.F32, 3).toFloatArray());
    assertArrayEquals(new float[] {0f, 0.5f, 1f, 1.5f}, Array.arange(0.0, 2.0, 0.5).toFloatArray());
    ShapeError e = assertThrows(ShapeError.class, () -> Array.of(DType.F32, new int[] {2, 2}, 1, 2, 3));
    assertTrue(e.getMessage().contains("[2,2]") && e.getMessage().contains("4") && e.getMessage().contains("3"), e.getMessage());
  }

  @Test
  void scalarExtraction() {
    assertEquals(2.5, Array.scalar(2.5).item());
    assertEquals(2.5f, Array.of(2.5f).floatValue());
    assertEquals(7, Array.scalar(DType.I32, 7).intValue());
    assertTrue(Array.scalar(DType.BOOL, 1).boolValue());
    ShapeError e = assertThrows(ShapeError.class, () -> Array.of(1f, 2f).item());
    assertTrue(e.getMessage().contains("size 1") && e.getMessage().contains("[2]"), e.getMessage());
  }

  @Test
  void typePromotionFollowsJax() {
    assertEquals(DType.F32, Array.of(1, 2).add(Array.of(1f, 2f)).dtype());
    assertEquals(DType.F64, Array.of(1f).add(Array.of(1.0)).dtype());
    assertEquals(DType.I32, Array.of(true).add(Array.of(1)).dtype());
    assertEquals(DType.I32, Array.of(1).add(Array.of(DType.U32, new int[] {1}, 1)).dtype());
    // Java numbers are weak: they keep the array's dtype
    assertEquals(DType.F32, Array.of(1f).mul(0.5).dtype());
    assertEquals(DType.F64, Array.of(1.0).mul(0.5).dtype());
    assertEquals(DType.I32, Array.of(3).add(1).dtype());
    assertEquals(DType.F32, Array.of(3).mul(0.5).dtype(), "int array * fractional number gives the default float");
    assertArrayEquals(new float[] {1.5f}, Array.of(3).mul(0.5).toFloatArray());
    assertEquals(DType.F32, Array.of(1, 2).mean().dtype());
    assertEquals(DType.F32, Array.of(4).sqrt().dtype());
    assertEquals(DType.I32, Array.of(true, true, false).sum().dtype());
    assertEquals(2, Array.of(true, true, false).sum().intValue());
  }

  @Test
  void broadcastingFollowsNumpy() {
    Array a = Array.of(DType.F32, new int[] {3, 1}, 1, 2, 3);
    Array b = Array.of(10f, 20f, 30f, 40f);
    Array r = a.add(b);
    assertArrayEquals(new int[] {3, 4}, r.shape());
    assertArrayEquals(new float[] {11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43}, r.toFloatArray());
    assertArrayEquals(new int[] {2, 3, 4}, Array.zeros(2, 1, 4).mul(Array.zeros(3, 1)).shape());
    assertArrayEquals(new int[] {2, 3}, Array.of(1f, 2f, 3f).broadcastTo(2, 3).shape());
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, Array.of(1f, 2f, 3f).broadcastTo(2, 3).toFloatArray());
  }

  @Test
  void shapeErrorsNameBothShapesAndTheOperation() {
    ShapeError e = assertThrows(ShapeError.class, () -> Array.zeros(3, 4).add(Array.zeros(5)));
    assertTrue(e.getMessage().startsWith("add: shapes [3,4] and [5] cannot be broadcast together. "), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2).mul(Array.zeros(3)));
    assertTrue(e.getMessage().startsWith("mul: shapes [2] and [3] cannot be broadcast together. "), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2, 3).matmul(Array.zeros(4, 5)));
    assertTrue(e.getMessage().startsWith("matmul: shapes [2,3] and [4,5]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(6).reshape(4, -1));
    assertTrue(e.getMessage().contains("[6]") && e.getMessage().contains("[4,-1]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(3).broadcastTo(4));
    assertTrue(e.getMessage().startsWith("broadcastTo: shape [3] cannot be broadcast to [4]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.concatenate(0, Array.zeros(2, 3), Array.zeros(2, 4)));
    assertTrue(e.getMessage().contains("[2,3]") && e.getMessage().contains("[2,4]"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.zeros(2, 3).sum(2));
    assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
    e = assertThrows(ShapeError.class, () -> Array.where(Array.of(true, false, true), Array.zeros(2), Array.zeros(2)));
    assertTrue(e.getMessage().startsWith("where: shapes"), e.getMessage());
  }

  @Test
  void reductionsOverAxes() {
    Array m = Array.of(DType.F32, new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    assertEquals(21f, m.sum().floatValue());
    assertArrayEquals(new float[] {5, 7, 9}, m.sum(0).toFloatArray());
    assertArrayEquals(new float[] {6, 15}, m.sum(1).toFloatArray());
    assertArrayEquals(new float[] {6, 15}, m.sum(-1).toFloatArray());
    assertArrayEquals(new int[] {2, 1}, m.sumKeepDims(1).shape());
    assertArrayEquals(new int[] {1, 1}, m.sumKeepDims().shape());
    assertEquals(3.5f, m.mean().floatValue());
    assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, m.mean(0).toFloatArray());
    assertArrayEquals(new int[] {1, 3}, m.meanKeepDims(0).shape());
    assertEquals(6f, m.max().floatValue());
    assertArrayEquals(new float[] {3, 6}, m.max(1).toFloatArray());
    assertArrayEquals(new float[] {1, 2, 3}, m.min(0).toFloatArray());
    assertArrayEquals(new int[] {2, 1}, m.maxKeepDims(1).shape());
    assertArrayEquals(new int[] {2, 2}, m.argmax(1).toIntArray());
    assertEquals(5, m.argmax().intValue());
    assertArrayEquals(new int[] {0, 0, 0}, m.argmin(0).toIntArray());
    assertEquals(DType.I32, m.argmax(0).dtype());
    assertTrue(Array.of(false, true).any().boolValue());
    assertTrue(!Array.of(false, true).all().boolValue());
    assertEquals(21, Array.of(DType.I32, new int[] {2, 3}, 1, 2, 3, 4, 5, 6).sum().intValue());
  }

  @Test
  void reductionOverMiddleAxisMatchesLoops() {
    Random rng = new Random(7);
    int a = 3, b = 4, c = 5;
    double[] v = new double[a * b * c];
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextGaussian();
    }
    Array x = Array.of(DType.F64, new int[] {a, b, c}, v);
    double[] s = x.sum(1).toDoubleArray();
    double[] mx = x.max(0, 2).toDoubleArray();
    for (int i = 0; i < a; i++) {
      for (int k = 0; k < c; k++) {
        double ref = 0;
        for (int j = 0; j < b; j++) {
          ref += v[(i * b + j) * c + k];
        }
        assertEquals(ref, s[i * c + k], 1e-12);
      }
    }
    for (int j = 0; j < b; j++) {
      double ref = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < a; i++) {
        for (int k = 0; k < c; k++) {
          ref = Math.max(ref, v[(i * b + j) * c + k]);
        }
      }
      assertEquals(ref, mx[j]);
    }
  }

  @Test
  void reshapeTransposeSqueezeExpand() {
    Array x = Array.of(DType.F32, new int[] {2, 3}, seq(6));
    assertArrayEquals(new int[] {3, 2}, x.reshape(3, -1).shape());
    assertArrayEquals(new int[] {6}, x.reshape(-1).shape());
    Array t = x.transpose();
    assertArrayEquals(new int[] {3, 2}, t.shape());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toFloatArray());
    assertArrayEquals(t.toFloatArray(), x.T().toFloatArray());
    Array y = Array.of(DType.F32, new int[] {2, 3, 4}, seq(24));
    Array p = y.transpose(1, 2, 0);
    assertArrayEquals(new int[] {3, 4, 2}, p.shape());
    float[] pv = p.toFloatArray();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        for (int k = 0; k < 2; k++) {
          assertEquals(k * 12 + i * 4 + j, pv[(i * 4 + j) * 2 + k]);
        }
      }
    }
    assertArrayEquals(new int[] {2, 1, 3}, x.expandDims(1).shape());
    assertArrayEquals(new int[] {2, 3, 1}, x.expandDims(-1).shape());
    assertArrayEquals(new int[] {2, 3}, x.expandDims(0).squeeze().shape());
    assertArrayEquals(new int[] {1, 3}, Array.zeros(1, 3, 1).squeeze(2).shape());
    assertThrows(ShapeError.class, () -> x.squeeze(0));
  }

  @Test
  void slicingAndIndexing() {
    Array x = Array.of(DType.F32, new int[] {3, 4}, seq(12));
    assertArrayEquals(new float[] {5, 6}, x.slice(new int[] {1, 1}, new int[] {2, 3}).toFloatArray());
    assertArrayEquals(new float[] {0, 2, 8, 10}, x.slice(new int[] {0, 0}, new int[] {3, 4}, new int[] {2, 2}).toFloatArray());
    assertArrayEquals(new float[] {4, 5, 6, 7}, x.get(1).toFloatArray());
    assertArrayEquals(new float[] {8, 9, 10, 11}, x.get(-1).toFloatArray());
    assertEquals(6f, x.get(1, 2).floatValue());
    assertEquals(0, x.get(1, 2).ndim());
    assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10}, x.sliceAxis(1, 1, 3).toFloatArray());
    assertArrayEquals(new float[] {3, 2, 1, 0}, x.get(0).flip(0).toFloatArray());
    ShapeError e = assertThrows(ShapeError.class, () -> x.get(3));
    assertTrue(e.getMessage().contains("index 3") && e.getMessage().contains("[3,4]"), e.getMessage());
  }

  @Test
  void concatenateAndStack() {
    Array a = Array.of(DType.F32, new int[] {2, 2}, 1, 2, 3, 4);
    Array b = Array.of(DType.F32, new int[] {2, 1}, 5, 6);
    Array c = Array.concatenate(1, a, b);
    assertArrayEquals(new int[] {2, 3}, c.shape());
    assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, c.toFloatArray());
    Array d = Array.concatenate(0, a, a);
    assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, d.toFloatArray());
    assertEquals(DType.F64, Array.concatenate(0, Array.of(1f), Array.of(2.0)).dtype());
    Array s = Array.stack(1, Array.of(1f, 2f), Array.of(3f, 4f));
    assertArrayEquals(new int[] {2, 2}, s.shape());
    assertArrayEquals(new float[] {1, 3, 2, 4}, s.toFloatArray());
  }

  @Test
  void matmulFollowsNumpy() {
    Random rng = new Random(3);
    int m = 3, k = 5, n = 4;
    float[] av = new float[m * k];
    float[] bv = new float[k * n];
    for (int i = 0; i < av.length; i++) av[i] = rng.nextFloat() - 0.5f;
    for (int i = 0; i < bv.length; i++) bv[i] = rng.nextFloat() - 0.5f;
    Array a = Array.of(DType.F32, new int[] {m, k}, av);
    Array b = Array.of(DType.F32, new int[] {k, n}, bv);
    float[] c = a.matmul(b).toFloatArray();
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double ref = 0;
        for (int p = 0; p < k; p++) ref += av[i * k + p] * bv[p * n + j];
        assertEquals(ref, c[i * n + j], 1e-5);
      }
    }
    // 1-D cases
    Array v = Array.of(1f, 2f, 3f, 4f, 5f);
    assertArrayEquals(new int[] {m}, a.matmul(v).shape());
    assertArrayEquals(new int[] {n}, v.matmul(b).shape());
    assertEquals(55f, v.matmul(v).floatValue());
    assertEquals(0, v.matmul(v).ndim());
    assertEquals(55f, v.dot(v).floatValue());
    // batched with broadcasting of the batch dims
    Array batch = Array.stack(0, a, a.mul(2));
    Array r = batch.matmul(b);
    assertArrayEquals(new int[] {2, m, n}, r.shape());
    float[] rv = r.toFloatArray();
    for (int i = 0; i < m * n; i++) {
      assertEquals(c[i], rv[i], 1e-6);
      assertEquals(2 * c[i], rv[m * n + i], 1e-5);
    }
    assertArrayEquals(new int[] {4, 2, m, n}, Array.zeros(4, 1, m, k).matmul(Array.zeros(2, k, n)).shape());
    // broadcast batch axes: each [i, j] entry is the 2-D product of the operands' broadcast entries
    Array left = Array.arange(4 * m * k).astype(DType.F32).mul(0.01).reshape(4, 1, m, k);
    Array right = Array.stack(0, b, b.mul(-3));
    Array both = left.matmul(right);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 2; j++) {
        Array li = left.sliceAxis(0, i, i + 1).reshape(m, k);
        Array rj = right.sliceAxis(0, j, j + 1).reshape(k, n);
        assertArrayEquals(li.matmul(rj).toFloatArray(), both.sliceAxis(0, i, i + 1).sliceAxis(1, j, j + 1).reshape(m, n)
            .toFloatArray(), 1e-6f);
      }
    }
    Array vecLeft = Array.of(1f, -2f, 0.5f, 3f, 2f); // a 1-D operand against a batch of matrices
    assertArrayEquals(new int[] {2, n}, vecLeft.matmul(right).shape());
    assertArrayEquals(vecLeft.matmul(b.mul(-3)).toFloatArray(), vecLeft.matmul(right).sliceAxis(0, 1, 2).reshape(n)
        .toFloatArray(), 1e-6f);
    Array vecRight = Array.of(0.5f, 1f, -1f, 2f, 0.25f); // a batch of matrices against a 1-D operand
    assertArrayEquals(new int[] {4, 1, m}, left.matmul(vecRight).shape());
    assertArrayEquals(left.sliceAxis(0, 2, 3).reshape(m, k).matmul(vecRight).toFloatArray(),
        left.matmul(vecRight).sliceAxis(0, 2, 3).reshape(m).toFloatArray(), 1e-6f);
    // transposed operand
    assertArrayEquals(a.matmul(b).toFloatArray(), b.T().matmul(a.T()).T().toFloatArray(), 1e-6f);
    // integer and f64
    assertArrayEquals(new int[] {19, 22, 43, 50},
        Array.of(DType.I32, new int[] {2, 2}, 1, 2, 3, 4).matmul(Array.of(DType.I32, new int[] {2, 2}, 5, 6, 7, 8)).toIntArray());
    assertEquals(DType.F64, Array.of(1.0, 2.0).matmul(Array.of(1f, 1f)).dtype());
  }

  @Test
  void dotOnMatrices() {
    Array a = Array.of(DType.F32, new int[] {2, 2}, 1, 2, 3, 4);
    assertArrayEquals(new float[] {7, 10, 15, 22}, a.dot(a).toFloatArray());
    assertArrayEquals(new float[] {2, 4, 6, 8}, a.dot(Array.scalar(2)).toFloatArray());
  }

  @Test
  void astypeAndBitcast() {
    assertArrayEquals(new int[] {1, -1, 0, Integer.MAX_VALUE, 0},
        Array.of(1.7f, -1.7f, 0.2f, 1e20f, Float.NaN).astype(DType.I32).toIntArray());
    assertArrayEquals(new int[] {0, 3, -1}, Array.of(-5f, 3.9f, 1e20f).astype(DType.U32).toIntArray());
    assertArrayEquals(new boolean[] {true, false, true}, Array.of(2f, 0f, Float.NaN).astype(DType.BOOL).toBooleanArray());
    assertArrayEquals(new float[] {1, 0}, Array.of(true, false).astype(DType.F32).toFloatArray());
    assertEquals(0x3F800000, Array.of(1f).bitcast(DType.U32).intValue());
    assertEquals(1f, Array.of(DType.U32, new int[] {1}, 0x3F800000).bitcast(DType.F32).floatValue());
    assertEquals(-0f, Array.of(DType.I32, new int[] {1}, 0x80000000).bitcast(DType.F32).floatValue());
    // lax.bitcast_convert_type(x, float32) of a float32 x: the same bits (the bound primitive, eager and jitted)
    Array bits = Array.of(1.5f, -0f, Float.NaN, Float.MIN_VALUE);
    java.util.function.Function<Array, Array> sameType = x -> dev.statelens.engine.ir.Prims.BITCAST_CONVERT_TYPE.bind1(
        dev.statelens.engine.ir.Params.of("new_dtype", DType.F32), x);
    assertArrayEquals(bits.bitcast(DType.I32).toIntArray(), sameType.apply(bits).bitcast(DType.I32).toIntArray());
    assertArrayEquals(bits.bitcast(DType.I32).toIntArray(),
        Transforms.jit(sameType).apply(bits).bitcast(DType.I32).toIntArray());
    ShapeError e = assertThrows(ShapeError.class, () -> Array.of(1.0).bitcast(DType.I32));
    assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("int32"), e.getMessage());
  }

  @Test
  void toStringLooksLikeJaxRepr() {
    assertEquals("Array([1., 2., 3.], dtype=float32)", Array.of(1f, 2f, 3f).toString());
    assertEquals("Array(0.5, dtype=float32)", Array.scalar(0.5).toString());
    assertEquals("Array([[1, 2],\n       [3, 4]], dtype=int32)", Array.of(DType.I32, new int[] {2, 2}, 1, 2, 3, 4).toString());
    assertEquals("Array([ True, False], dtype=bool)", Array.of(true, false).toString());
    assertEquals("Array([ 1. , -0.5], dtype=float64)", Array.of(1.0, -0.5).toString());
    assertEquals("[1. 2.]", Array.of(1f, 2f).str());
    assertEquals("1.0", Array.scalar(1).str());
    String big = Array.zeros(2000).toString();
    assertTrue(big.contains("...") && big.length() < 200, big);
  }
}
