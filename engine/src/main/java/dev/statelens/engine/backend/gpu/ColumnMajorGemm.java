package dev.statelens.engine.backend.gpu;

/**
 * A row-major {@link GpuProgram.Gemm} as the column-major BLAS {@code sgemm} call that computes it
 * without copies: a row-major matrix read column-major is its transpose, so row-major
 * {@code C = op(A) op(B)} is column-major {@code C^T = op(B)^T op(A)^T}, i.e. BLAS's first
 * operand is B and its second is A. Shared by cuBLAS and hipBLAS, which differ only in the codes
 * of their operation enum ({@code CUBLAS_OP_N/T} = 0/1, {@code HIPBLAS_OP_N/T} = 111/112).
 *
 * @param transFirst whether BLAS's first operand (our B) is transposed
 * @param transSecond whether BLAS's second operand (our A) is transposed
 * @param m BLAS's m: our n
 * @param n BLAS's n: our m
 * @param k the contracted extent
 * @param ldFirst the leading dimension of B (its row length as stored)
 * @param ldSecond the leading dimension of A (its row length as stored)
 * @param ldc the leading dimension of C: our n
 */
public record ColumnMajorGemm(boolean transFirst, boolean transSecond, int m, int n, int k, int ldFirst,
    int ldSecond, int ldc) {

  public static ColumnMajorGemm of(GpuProgram.Gemm g) {
    return new ColumnMajorGemm(g.transB(), g.transA(), g.n(), g.m(), g.k(),
        g.transB() ? g.k() : g.n(), g.transA() ? g.m() : g.k(), g.n());
  }

  /**
   * {@code {transa, transb, m, n, k, lda, ldb, ldc}} of the call, the operations written with the
   * vendor's codes for "no transpose" ({@code opN}) and "transpose" ({@code opT}); BLAS's A
   * argument is then our B and its B argument our A.
   */
  public int[] args(int opN, int opT) {
    return new int[] {transFirst ? opT : opN, transSecond ? opT : opN, m, n, k, ldFirst, ldSecond, ldc};
  }
}
