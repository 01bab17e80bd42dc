package dev.statelens.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.statelens.engine.backend.gpu.GpuProgram.Gemm;
import org.junit.jupiter.api.Test;

/**
 * The row-major to column-major argument mapping of the cuBLAS path, checked against a Java
 * implementation of BLAS sgemm's column-major semantics (no GPU needed; the call itself is
 * exercised by GpuParityTest on a GPU).
 */
class CublasMappingTest {

  /** Reference column-major sgemm: C = op(A) op(B), alpha 1, beta 0. */
  static void sgemm(int transa, int transb, int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < m; i++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          float av = transa == 0 ? a[i + p * lda] : a[p + i * lda];
          float bv = transb == 0 ? b[p + j * ldb] : b[j + p * ldb];
          s += av * bv;
        }
        c[i + j * ldc] = s;
      }
    }
  }

  private static void check(int m, int n, int k, boolean transA, boolean transB) {
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) a[i] = (i * 7 % 11) - 5;
    for (int i = 0; i < b.length; i++) b[i] = (i * 5 % 13) - 6;
    // logical A[i][p], B[p][j], stored row-major as [m,k] / [k,m] and [k,n] / [n,k]
    float[] expected = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          float av = transA ? a[p * m + i] : a[i * k + p];
          float bv = transB ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        expected[i * n + j] = s;
      }
    }
    int[] q = Cublas.columnMajor(new Gemm(m, n, k, transA, transB));
    float[] c = new float[m * n];
    sgemm(q[0], q[1], q[2], q[3], q[4], b, q[5], a, q[6], c, q[7]);
    assertArrayEquals(expected, c, "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB);
  }

  @Test
  void everyLayoutTheGeneratorMarks() {
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        check(5, 3, 4, ta, tb);
        check(1, 7, 2, ta, tb);
      }
    }
  }

  @Test
  void tf32IsOptInAndABadValueSaysWhatToUse() {
    org.junit.jupiter.api.Assertions.assertEquals(Cublas.DEFAULT_MATH, Cublas.mathMode(null));
    org.junit.jupiter.api.Assertions.assertEquals(Cublas.DEFAULT_MATH, Cublas.mathMode("false"));
    org.junit.jupiter.api.Assertions.assertEquals(Cublas.TF32_TENSOR_OP_MATH, Cublas.mathMode("true"));
    org.junit.jupiter.api.Assertions.assertEquals(Cublas.TF32_TENSOR_OP_MATH, Cublas.mathMode(" TRUE "));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Cublas.mathMode("yes"));
    org.junit.jupiter.api.Assertions.assertEquals("-Dstatelens.cuda.tf32=yes is not a boolean: use true (TF32 tensor-core matmuls, "
        + "as JAX's default) or false (true fp32, the default)", e.getMessage());
  }
}
