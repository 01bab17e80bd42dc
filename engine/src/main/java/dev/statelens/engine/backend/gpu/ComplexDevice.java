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
   * CPU's per-part kernels); max/min, cumprod, cummax and cummin fold in XLA CPU's orders
   * ({@link ComplexFolds}).
   */
  private static final Set<String> REDUCTIONS = Set.of("reduce_sum", "reduce_max", "reduce_min", "cumsum", "cumprod",
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
      // complex64: interleaved (re, im) floats; arithmetic as backend/cpu/ComplexKernels (mul/square in f32 as XLA CPU, div in double)
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
      // XLA CPU's bits (ComplexKernels.mul): re = fma(a, c, -(bd)), im = fma(b, c, ad), bd and ad rounded to
      // f32 first; __fmul_rn keeps nvcc/hipcc from contracting them into the fma or each other
      __device__ __forceinline__ sl_c64 sl_cmul(sl_c64 x, sl_c64 y) {
        return sl_cmake(fmaf(x.re, y.re, -__fmul_rn(x.im, y.im)), fmaf(x.im, y.re, __fmul_rn(x.re, y.im)));
      }
      // chlo.square as XLA expands it (ComplexKernels.square): re = (a - b)(a + b), +0 where |a| = |b| and a
      // is finite; im = (ab) * 2, each step rounded to f32
      __device__ __forceinline__ sl_c64 sl_csquare(sl_c64 x) {
        const float a = x.re, b = x.im;
        const float re = (isfinite(a) && fabsf(a) == fabsf(b)) ? 0.0f : __fmul_rn(a - b, a + b);
        return sl_cmake(re, __fmul_rn(__fmul_rn(a, b), 2.0f));
      }
      __device__ __forceinline__ float sl_cabs(sl_c64 x) { return (float)hypot((double)x.re, (double)x.im); }
      // exp(a + 0j) is real: the imaginary part stays 0 even where exp(a) is inf (ComplexMath.exp)
      __device__ __forceinline__ sl_c64 sl_cexp(sl_c64 x) {
        const double m = exp((double)x.re), b = x.im;
        return b == 0.0 ? sl_cmake((float)m, 0.0f) : sl_cmake((float)(m * cos(b)), (float)(m * sin(b)));
      }
      // exact in double for finite operands, else C99 Annex G (Smith's quotient, then the zero-divisor,
      // infinite-dividend and infinite-divisor answers): ComplexMath.div
      __device__ __forceinline__ sl_c64 sl_cdiv(sl_c64 x, sl_c64 y) {
        const double a = x.re, b = x.im, c = y.re, d = y.im;
        if (isfinite(a) && isfinite(b) && isfinite(c) && isfinite(d) && (c != 0.0 || d != 0.0)) {
          const double den = c * c + d * d;
          return sl_cmake((float)((a * c + b * d) / den), (float)((b * c - a * d) / den));
        }
        double re, im;
        if (fabs(c) < fabs(d)) { const double r = c / d, den = d + c * r; re = (a * r + b) / den; im = (b * r - a) / den; }
        else { const double r = d / c, den = c + d * r; re = (a + b * r) / den; im = (b - a * r) / den; }
        if (re != re && im != im) {
          const bool aFinite = isfinite(a) && isfinite(b), cFinite = isfinite(c) && isfinite(d);
          const double inf = __longlong_as_double(0x7ff0000000000000LL);
          if (c == 0.0 && d == 0.0 && (a == a || b == b)) { const double s = copysign(inf, c); re = s * a; im = s * b; }
          else if ((isinf(a) || isinf(b)) && cFinite) {
            const double p = copysign(isinf(a) ? 1.0 : 0.0, a), q = copysign(isinf(b) ? 1.0 : 0.0, b);
            re = inf * (p * c + q * d); im = inf * (q * c - p * d);
          } else if (aFinite && (isinf(c) || isinf(d))) {
            const double p = copysign(isinf(c) ? 1.0 : 0.0, c), q = copysign(isinf(d) ? 1.0 : 0.0, d);
            re = 0.0 * (a * p + b * q); im = 0.0 * (b * p - a * q);
          }
        }
        return sl_cmake((float)re, (float)im);
      }
      """;
}
