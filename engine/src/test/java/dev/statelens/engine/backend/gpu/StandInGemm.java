package dev.statelens.engine.backend.gpu;

/**
 * C shared by the stand-in BLAS libraries ({@link FakeRuntimes#HIPBLAS}, {@code CublasCgemmStandInTest}'s
 * libcublas): BLAS's argument checks and the column-major products on host memory, so each
 * vendor function is only its handle checks, its status codes, its counters and a call.
 */
public final class StandInGemm {
  private StandInGemm() {}

  /**
   * {@code sl_gemm_check}: 0 for valid arguments, {@code SL_GEMM_BAD_OP} for an operation code other
   * than the vendor's N and T (the backend never conjugates), {@code SL_GEMM_BAD_SIZE} for a negative
   * size, a missing alpha/beta or a leading dimension too small; {@code sl_gemm_extent}: the bytes a
   * column-major float matrix spans; {@code sl_sgemm} / {@code sl_cgemm}: {@code C = alpha op(A)
   * op(B) + beta C} in double, k in order (interleaved pairs, complex alpha and beta, for cgemm).
   */
  public static final String C = """
      #include <stdlib.h>
      #include <stddef.h>
      enum { SL_GEMM_BAD_OP = 1, SL_GEMM_BAD_SIZE = 2 };
      static int sl_gemm_check(int opN, int opT, int transa, int transb, int m, int n, int k, const float* alpha,
                               int lda, int ldb, const float* beta, int ldc) {
        if ((transa != opN && transa != opT) || (transb != opN && transb != opT)) return SL_GEMM_BAD_OP;
        int ar = transa == opN ? m : k, br = transb == opN ? k : n;
        if (m < 0 || n < 0 || k < 0 || !alpha || !beta) return SL_GEMM_BAD_SIZE;
        if (lda < (ar > 1 ? ar : 1) || ldb < (br > 1 ? br : 1) || ldc < (m > 1 ? m : 1)) return SL_GEMM_BAD_SIZE;
        return 0;
      }
      static size_t sl_gemm_extent(int ld, int rows, int cols) {
        return rows == 0 || cols == 0 ? 0 : ((size_t) (cols - 1) * ld + rows) * sizeof(float);
      }
      static void sl_sgemm(int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda,
                           const float* B, int ldb, const float* beta, float* C, int ldc) {
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < m; i++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              float a = ta ? A[p + (size_t) i * lda] : A[i + (size_t) p * lda];
              float b = tb ? B[j + (size_t) p * ldb] : B[p + (size_t) j * ldb];
              s += (double) a * b;
            }
            float* c = &C[i + (size_t) j * ldc];
            *c = (float) (*alpha * s + (*beta == 0 ? 0.0 : *beta * (double) *c));
          }
        }
      }
      static void sl_cgemm(int ta, int tb, int m, int n, int k, const float* alpha, const float* A, int lda,
                           const float* B, int ldb, const float* beta, float* C, int ldc) {
        for (int j = 0; j < n; j++) {
          for (int i = 0; i < m; i++) {
            double sr = 0, si = 0;
            for (int p = 0; p < k; p++) {
              size_t ai = ta ? p + (size_t) i * lda : i + (size_t) p * lda;
              size_t bi = tb ? j + (size_t) p * ldb : p + (size_t) j * ldb;
              double a = A[2 * ai], b = A[2 * ai + 1], c = B[2 * bi], d = B[2 * bi + 1];
              sr += a * c - b * d;
              si += a * d + b * c;
            }
            float* out = &C[2 * (i + (size_t) j * ldc)];
            double re = alpha[0] * sr - alpha[1] * si, im = alpha[0] * si + alpha[1] * sr;
            if (beta[0] != 0 || beta[1] != 0) {
              re += beta[0] * out[0] - beta[1] * out[1];
              im += beta[0] * out[1] + beta[1] * out[0];
            }
            out[0] = (float) re;
            out[1] = (float) im;
          }
        }
      }
      """;
}
