package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Eqn;
import java.util.List;
import java.util.Set;

/**
 * complex64 in generated device code: a c64 value is {@code sl_c64}, two floats laid out as the
 * interleaved pairs in memory, so loads, stores and every layout op (index arithmetic on the load)
 * work unchanged. The arithmetic is the CPU's ({@code backend/cpu/ComplexKernels},
 * {@code ComplexMath}): products and squares in f32 as XLA CPU computes them, quotients in double
 * rounded once, C99 Annex G division, XLA's
 * exp; the other elementary functions, pow and sign are {@link ComplexDeviceMath}; sums and
 * cumsum are the reduction and scan kernels over {@code sl_c64}, max/min, cumprod, cummax and
 * cummin fold in XLA's orders ({@link ComplexFolds}), matmuls are {@link TiledMatmul#COMPLEX64} or
 * Cgemm. Equations outside {@link #onDevice} (FFTs, gathers, ...) stay host steps
 * ({@link KernelGenerator#onHost}); FFTs go to cuFFT/hipFFT where they load ({@link DeviceFft}).
 */
final class ComplexDevice {
  private ComplexDevice() {}

  /** Elementwise primitives with c64 device code. */
  private static final Set<String> ELEMENTWISE = Set.of("add", "sub", "neg", "mul", "div", "square", "exp", "abs",
      "eq", "ne", "select_n", "convert_element_type", "real", "imag", "conj", "complex", "stop_gradient", "sign", "pow",
      "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh");
  /** Layout ops: moving whole sl_c64 values by index arithmetic needs nothing complex-specific. */
  private static final Set<String> LAYOUT = Set.of("broadcast_in_dim", "transpose", "slice", "pad", "rev",
      "concatenate", "reshape", "squeeze");

  /**
   * Reductions and scans with c64 kernels: sums and cumsum add each part as the f32 ones do (the
   * CPU's per-part kernels); max/min, prod, cumprod, cummax and cummin fold in XLA CPU's orders
   * ({@link ComplexFolds}).
   */
  private static final Set<String> REDUCTIONS = Set.of("reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "cumsum", "cumprod",
      "cummax", "cummin");

  /**
   * complex64 {@code dot_general}: the generated kernel (cuBLAS/hipBLAS {@code Cgemm} computes plain
   * 2-D products where the library has it, {@link Blas#cgemm}), with its own BLAS hint.
   */
  private static final Set<String> MATMUL = Set.of("dot_general");

  /** The lax primitives only complex values have (elementwise). */
  static final Set<String> COMPLEX_ONLY = Set.of("real", "imag", "conj", "complex");

  /** True when {@code e} (with a c64 operand or result) has device code here. */
  static boolean onDevice(Eqn e) {
    String n = e.primitive().name();
    if (n.equals("convert_element_type")) {
      DType from = e.inputs().get(0).aval().dtype();
      DType to = e.outputs().get(0).aval().dtype();
      return (from == DType.F32 || from == DType.C64) && (to == DType.F32 || to == DType.C64);
    }
    return ELEMENTWISE.contains(n) || LAYOUT.contains(n) || REDUCTIONS.contains(n) || MATMUL.contains(n);
  }

  /** The expression of elementwise {@code name} over register values {@code a} (c64 operands or result). */
  static String expr(String name, List<String> a, List<DType> in, DType out) {
    String x = a.get(0);
    String y = a.size() > 1 ? a.get(1) : null;
    return switch (name) {
      case "add" -> "sl_cadd(" + x + ", " + y + ")";
      case "sub" -> "sl_csub(" + x + ", " + y + ")";
      case "neg" -> "sl_cneg(" + x + ")";
      case "mul" -> "sl_cmul(" + x + ", " + y + ")";
      case "square" -> "sl_csquare(" + x + ")";
      case "div" -> "sl_cdiv(" + x + ", " + y + ")";
      case "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sign" ->
          "sl_c" + name + "(" + x + ")"; // ComplexDeviceMath
      case "pow" -> "sl_cpow(" + x + ", " + y + ")";
      case "abs" -> "sl_cabs(" + x + ")";
      case "eq" -> "sl_ceq(" + x + ", " + y + ")";
      case "ne" -> "(!sl_ceq(" + x + ", " + y + "))";
      case "conj" -> "sl_cmake(" + x + ".re, -" + x + ".im)";
      case "real" -> "(" + x + ".re)";
      case "imag" -> "(" + x + ".im)";
      case "complex" -> "sl_cmake(" + x + ", " + y + ")";
      case "select_n" -> "(" + x + " ? " + a.get(2) + " : " + y + ")";
      case "stop_gradient" -> x;
      case "convert_element_type" -> in.get(0) == out ? x : out == DType.C64 ? "sl_cmake(" + x + ", 0.0f)" : "(" + x + ".re)";
      default -> throw new IllegalArgumentException("no complex64 GPU code for primitive '" + name + "'");
    };
  }

  static final String TEXT = """
      // complex64: interleaved (re, im) floats; arithmetic as backend/cpu/ComplexKernels (mul/square/div in f32 as XLA CPU)
      struct sl_c64 { float re, im; };
      __device__ __forceinline__ sl_c64 sl_cmake(float re, float im) { sl_c64 z; z.re = re; z.im = im; return z; }
      __device__ __forceinline__ sl_c64 sl_cadd(sl_c64 a, sl_c64 b) { return sl_cmake(a.re + b.re, a.im + b.im); }
      __device__ __forceinline__ sl_c64 sl_csub(sl_c64 a, sl_c64 b) { return sl_cmake(a.re - b.re, a.im - b.im); }
      __device__ __forceinline__ sl_c64 sl_cneg(sl_c64 a) { return sl_cmake(-a.re, -a.im); }
      __device__ __forceinline__ bool sl_ceq(sl_c64 a, sl_c64 b) { return a.re == b.re && a.im == b.im; }
      // XLA's complex max/min step acc > x ? acc : x (min: <), lexicographic; a NaN part keeps x (ComplexExtrema.keeps)
      __device__ __forceinline__ sl_c64 sl_cmax_step(sl_c64 acc, sl_c64 x) {
        return (acc.re > x.re || (acc.re == x.re && acc.im > x.im)) ? acc : x;
      }
      __device__ __forceinline__ sl_c64 sl_cmin_step(sl_c64 acc, sl_c64 x) {
        return (acc.re < x.re || (acc.re == x.re && acc.im < x.im)) ? acc : x;
      }
      // a subnormal as XLA's CPU kernels see and leave it (FTZ/DAZ): zero of its sign (ComplexMath.flush)
      __device__ __forceinline__ float sl_flushf(float v) { return fabsf(v) < 1.17549435e-38f ? copysignf(0.0f, v) : v; }
      // XLA CPU's bits (ComplexKernels.mul): re = fma(a, c, -(bd)), im = fma(b, c, ad), bd and ad rounded to
      // f32 first (__fmul_rn keeps nvcc/hipcc from contracting them into the fma or each other), flushed
      __device__ __forceinline__ sl_c64 sl_cmul(sl_c64 x, sl_c64 y) {
        const float a = sl_flushf(x.re), b = sl_flushf(x.im), c = sl_flushf(y.re), d = sl_flushf(y.im);
        return sl_cmake(sl_flushf(fmaf(a, c, -sl_flushf(__fmul_rn(b, d)))), sl_flushf(fmaf(b, c, sl_flushf(__fmul_rn(a, d)))));
      }
      // chlo.square as XLA expands it (ComplexKernels.square): re = (a - b)(a + b), +0 where |a| = |b| and a
      // is finite; im = (ab) * 2, each step rounded to f32 and flushed
      __device__ __forceinline__ sl_c64 sl_csquare(sl_c64 x) {
        const float a = sl_flushf(x.re), b = sl_flushf(x.im);
        const float re = (isfinite(a) && fabsf(a) == fabsf(b)) ? 0.0f : sl_flushf(__fmul_rn(sl_flushf(a - b), sl_flushf(a + b)));
        return sl_cmake(re, sl_flushf(__fmul_rn(sl_flushf(__fmul_rn(a, b)), 2.0f)));
      }
      // XLA's |z| (ComplexKernels.abs): max * sqrt(fma(q, q, 1)), q = min / max of the parts' magnitudes, min
      // where that is NaN; a NaN part makes max and min NaN (llvm.maximum/minimum); flushed
      __device__ __forceinline__ float sl_cabs(sl_c64 x) {
        const float a = fabsf(sl_flushf(x.re)), b = fabsf(sl_flushf(x.im));
        const bool nan = a != a || b != b;
        const float hi = nan ? a + b : fmaxf(a, b), lo = nan ? a + b : fminf(a, b);
        const float q = sl_flushf(lo / hi);
        const float m = sl_flushf(__fmul_rn(hi, sqrtf(fmaf(q, q, 1.0f))));
        return m != m ? lo : m;
      }
      // exp(a + 0j) is real: the imaginary part stays 0 even where exp(a) is inf (ComplexMath.exp)
      __device__ __forceinline__ sl_c64 sl_cexp(sl_c64 x) {
        const double m = exp((double)x.re), b = x.im;
        return b == 0.0 ? sl_cmake((float)m, 0.0f) : sl_cmake((float)(m * cos(b)), (float)(m * sin(b)));
      }
      // XLA CPU's bits (ComplexMath.div): Smith's quotient in f32 with XLA's FMAs, flushed, then C99 Annex G's
      // zero-divisor, infinite-dividend and infinite-divisor answers where it is (NaN, NaN)
      __device__ __forceinline__ sl_c64 sl_cdiv(sl_c64 x, sl_c64 y) {
        const float a = sl_flushf(x.re), b = sl_flushf(x.im), c = sl_flushf(y.re), d = sl_flushf(y.im);
        float re, im;
        if (fabsf(c) < fabsf(d)) {
          const float r = sl_flushf(c / d), den = sl_flushf(fmaf(c, r, d));
          re = fmaf(a, r, b) / den; im = fmaf(b, r, -a) / den;
        } else {
          const float r = sl_flushf(d / c), den = sl_flushf(fmaf(d, r, c));
          re = fmaf(b, r, a) / den; im = fmaf(-a, r, b) / den;
        }
        if (re != re && im != im) {
          const bool aFinite = isfinite(a) && isfinite(b), cFinite = isfinite(c) && isfinite(d);
          const float inf = __int_as_float(0x7f800000);
          if (c == 0.0f && d == 0.0f && (a == a || b == b)) { const float s = copysignf(inf, c); re = __fmul_rn(s, a); im = __fmul_rn(s, b); }
          else if ((isinf(a) || isinf(b)) && cFinite) {
            const float p = copysignf(isinf(a) ? 1.0f : 0.0f, a), q = copysignf(isinf(b) ? 1.0f : 0.0f, b);
            re = __fmul_rn(inf, __fmul_rn(p, c) + __fmul_rn(q, d)); im = __fmul_rn(inf, __fmul_rn(q, c) - __fmul_rn(p, d));
          } else if (aFinite && (isinf(c) || isinf(d))) {
            const float p = copysignf(isinf(c) ? 1.0f : 0.0f, c), q = copysignf(isinf(d) ? 1.0f : 0.0f, d);
            re = __fmul_rn(0.0f, __fmul_rn(a, p) + __fmul_rn(b, q)); im = __fmul_rn(0.0f, __fmul_rn(b, p) - __fmul_rn(a, q));
          }
        }
        return sl_cmake(sl_flushf(re), sl_flushf(im));
      }
      """;
}
