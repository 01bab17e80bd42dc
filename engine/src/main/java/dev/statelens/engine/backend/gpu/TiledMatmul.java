package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;

/**
 * The generated {@code dot_general} kernel: a block per {@code TILE_M x TILE_N} outputs and batch
 * index, {@code TILE_K} deep, 256 threads with 4x4 outputs each, indices mapped by arithmetic. One
 * template for every element type; an {@link Element} says what differs — the tile's type, the
 * accumulators and their zeroing, how an operand element is loaded into the tile (and the padding
 * outside the matrix), the multiply-accumulate step and the stored value. Real types keep one
 * accumulator per output ({@link #real}); complex64 keeps the CPU's four f32 sums ({@link #COMPLEX64}).
 */
final class TiledMatmul {
  private TiledMatmul() {}

  static final int TILE_M = 64;
  static final int TILE_N = 64;
  static final int TILE_K = 16;

  /**
   * What one element type puts into the template. {@code loadA}/{@code loadB} read {@code A[LHS]} /
   * {@code B[RHS]} (the flat operand indices, substituted last); {@code multiplyAdd} and
   * {@code store} see {@code av[a]}, {@code bv[c]} and the accumulators at {@code [a][c]}.
   */
  record Element(String label, String note, String tile, String accumulators, String zero, String setup,
      String loadA, String loadB, String padding, String multiplyAdd, String store) {}

  /**
   * A real (or 16-bit) matmul: one accumulator per output, of C type {@code acc} (float for 16-bit
   * operands, unsigned for int32 so that overflow wraps), loads widened by {@link CTypes#load}.
   */
  static Element real(String acc, DType lhs, DType rhs, String store) {
    String cast = "(" + acc + ")";
    return new Element("", "", acc, acc + " acc[4][4];", "acc[a][c] = " + cast + "0;", "",
        cast + CTypes.load(lhs, "A", "LHS"), cast + CTypes.load(rhs, "B", "RHS"), cast + "0",
        "acc[a][c] += av[a] * bv[c];", store);
  }

  /**
   * complex64 as the CPU computes it ({@code ComplexKernels.dotGeneral}): four f32 sums
   * {@code ac, bd, ad, bc} over k, then {@code (ac - bd) + (ad + bc)i}.
   */
  static final Element COMPLEX64 = new Element("complex ", "; four f32 sums each, as the CPU", "sl_c64",
      "float ac[4][4], bd[4][4], ad[4][4], bc[4][4];",
      "{ ac[a][c] = 0.0f; bd[a][c] = 0.0f; ad[a][c] = 0.0f; bc[a][c] = 0.0f; }",
      "  const sl_c64 zero = sl_cmake(0.0f, 0.0f);\n", "A[LHS]", "B[RHS]", "zero",
      "{\n          ac[a][c] += av[a].re * bv[c].re; bd[a][c] += av[a].im * bv[c].im;\n"
          + "          ad[a][c] += av[a].re * bv[c].im; bc[a][c] += av[a].im * bv[c].re;\n        }",
      "sl_cmake(ac[a][c] - bd[a][c], ad[a][c] + bc[a][c])");

  /**
   * The kernel {@code name} computing {@code C[b, m, n] = sum_k A[LHS] B[RHS]} with pointer types
   * {@code lty, rty, oty}; {@code lhs}/{@code rhs} are the operands' flat indices in {@code bb, mm,
   * kk} and {@code bb, kk, nn}.
   */
  static String kernel(String name, String origin, String lty, String rty, String oty, long m, long n, long k,
      String lhs, String rhs, Element e) {
    return """
        extern "C" __global__ void __launch_bounds__(256) NAME(const LTY* __restrict__ A, const RTY* __restrict__ B, OTY* __restrict__ C) {
          // LABELdot_general ORIGIN: tiled TMxTN, TK deep, 4x4 outputs per threadNOTE
          __shared__ TILE As[TK][TM + 1];
          __shared__ TILE Bs[TK][TN + 1];
          const int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
          const sl_idx bb = blockIdx.z;
          const sl_idx m0 = (sl_idx)blockIdx.y * TM, n0 = (sl_idx)blockIdx.x * TN;
          ACCUMULATORS
          #pragma unroll
          for (int a = 0; a < 4; a++) {
            #pragma unroll
            for (int c = 0; c < 4; c++) ZERO
          }
        SETUP  for (sl_idx k0 = 0; k0 < KLL; k0 += TK) {
            for (int t = threadIdx.x; t < TM * TK; t += 256) {
              const int am = t / TK, ak = t % TK;
              { const sl_idx mm = m0 + am, kk = k0 + ak;
                As[ak][am] = (mm < MLL && kk < KLL) ? LOADA : PADDING; }
              const int bk = t / TN, bn = t % TN;
              { const sl_idx kk = k0 + bk, nn = n0 + bn;
                Bs[bk][bn] = (kk < KLL && nn < NLL) ? LOADB : PADDING; }
            }
            __syncthreads();
            #pragma unroll
            for (int q = 0; q < TK; q++) {
              TILE av[4], bv[4];
              #pragma unroll
              for (int a = 0; a < 4; a++) av[a] = As[q][ty + 16 * a];
              #pragma unroll
              for (int c = 0; c < 4; c++) bv[c] = Bs[q][tx + 16 * c];
              #pragma unroll
              for (int a = 0; a < 4; a++) {
                #pragma unroll
                for (int c = 0; c < 4; c++) MULTIPLY_ADD
              }
            }
            __syncthreads();
          }
          #pragma unroll
          for (int a = 0; a < 4; a++) {
            #pragma unroll
            for (int c = 0; c < 4; c++) {
              const sl_idx mm = m0 + ty + 16 * a, nn = n0 + tx + 16 * c;
              if (mm < MLL && nn < NLL) C[(bb * MLL + mm) * NLL + nn] = STOREC;
            }
          }
        }
        """
        // the element's pieces first (they hold LHS/RHS), the shapes and indices last
        .replace("ACCUMULATORS", e.accumulators()).replace("ZERO", e.zero()).replace("SETUP", e.setup())
        .replace("LOADA", e.loadA()).replace("LOADB", e.loadB()).replace("PADDING", e.padding())
        .replace("MULTIPLY_ADD", e.multiplyAdd()).replace("STOREC", e.store()).replace("TILE", e.tile())
        .replace("LTY", lty).replace("RTY", rty).replace("OTY", oty)
        .replace("NAME", name).replace("LABEL", e.label()).replace("ORIGIN", origin).replace("NOTE", e.note())
        .replace("TM", Integer.toString(TILE_M)).replace("TN", Integer.toString(TILE_N))
        .replace("TK", Integer.toString(TILE_K)).replace("MLL", m + "LL").replace("NLL", n + "LL")
        .replace("KLL", k + "LL").replace("LHS", lhs).replace("RHS", rhs);
  }
}
