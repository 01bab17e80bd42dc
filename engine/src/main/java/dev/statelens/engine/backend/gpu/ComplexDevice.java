package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Eqn;
import java.util.List;
import java.util.Set;

/**
 * complex64 in generated device code: a c64 value is {@code sl_c64}, two floats laid out as the
 * interleaved pairs in memory, so loads, stores and every layout op (index arithmetic on the load)
 * work unchanged. The arithmetic is the CPU's ({@code backend/cpu/ComplexKernels},
 * {@code ComplexMath}): products and quotients in double rounded once, C99 Annex G division, XLA's
 * exp; the other elementary functions, pow and sign are {@link ComplexDeviceMath}. Equations
 * outside {@link #onDevice} (complex matmuls, sums, FFTs, ...) stay host steps
 * ({@link KernelGenerator#onHost}).
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
    return ELEMENTWISE.contains(n) || LAYOUT.contains(n);
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
      case "square" -> "sl_cmul(" + x + ", " + x + ")";
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
      // complex64: interleaved (re, im) floats; arithmetic as backend/cpu/ComplexKernels (double, rounded once)
      struct sl_c64 { float re, im; };
      __device__ __forceinline__ sl_c64 sl_cmake(float re, float im) { sl_c64 z; z.re = re; z.im = im; return z; }
      __device__ __forceinline__ sl_c64 sl_cadd(sl_c64 a, sl_c64 b) { return sl_cmake(a.re + b.re, a.im + b.im); }
      __device__ __forceinline__ sl_c64 sl_csub(sl_c64 a, sl_c64 b) { return sl_cmake(a.re - b.re, a.im - b.im); }
      __device__ __forceinline__ sl_c64 sl_cneg(sl_c64 a) { return sl_cmake(-a.re, -a.im); }
      __device__ __forceinline__ bool sl_ceq(sl_c64 a, sl_c64 b) { return a.re == b.re && a.im == b.im; }
      __device__ __forceinline__ sl_c64 sl_cmul(sl_c64 x, sl_c64 y) {
        const double a = x.re, b = x.im, c = y.re, d = y.im;
        return sl_cmake((float)(a * c - b * d), (float)(a * d + b * c));
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
