package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Eqn;
import java.util.List;
import java.util.Set;

/**
 * C++ expressions for the elementwise primitives, by name (the IR's primitives are open, so GPU
 * code is keyed by name, as the architecture notes say). Each takes register values of the
 * operands and yields the register value of the result.
 */
final class ElementwiseOps {
  private ElementwiseOps() {}

  static final Set<String> UNARY = Set.of("neg", "sign", "abs", "floor", "ceil", "round", "exp",
      "log", "log1p", "expm1", "tanh", "logistic", "sin", "cos", "sqrt", "rsqrt", "square", "not",
      "is_finite", "stop_gradient", "erf_inv", "erf", "erfc", "tan", "asin", "acos", "atan", "sinh", "cosh",
      "asinh", "acosh", "atanh", "exp2", "lgamma", "digamma", "cbrt");
  static final Set<String> BINARY = Set.of("add", "sub", "mul", "div", "rem", "pow", "max", "min",
      "atan2", "and", "or", "xor", "shift_left", "shift_right_logical", "shift_right_arithmetic",
      "eq", "ne", "lt", "le", "gt", "ge", "polygamma", "zeta", "igamma", "igammac", "igamma_grad_a", "random_gamma_grad");
  static final Set<String> OTHER = Set.of("select_n", "convert_element_type",
      "bitcast_convert_type", "threefry2x32", "regularized_incomplete_beta");

  /** True for primitives computed per element (all operands at the output's index or rank-0). */
  static boolean isElementwise(Eqn e) {
    String n = e.primitive().name();
    return UNARY.contains(n) || BINARY.contains(n) || OTHER.contains(n) || ComplexDevice.COMPLEX_ONLY.contains(n);
  }

  /**
   * {@link #expr(Eqn, List, List, DType)} of a single-output elementwise equation with operand
   * registers {@code a}: the operands' dtypes are its inputs' (select_n's, its cases': the
   * predicate only picks) and the result's its output's.
   */
  static String expr(Eqn e, List<String> a) {
    List<DType> in = e.inputs().stream().map(x -> x.aval().dtype()).toList();
    if (e.primitive().name().equals("select_n")) {
      in = List.of(in.get(1));
    }
    return expr(e, a, in, e.outputs().get(0).aval().dtype());
  }

  /**
   * The expression for single-output primitives; {@code in} are the operands' dtypes. BF16/F16
   * operands are floats in registers, so an op on them is the F32 op (the caller rounds a 16-bit
   * result); {@code convert_element_type} alone sees the 16-bit types.
   */
  static String expr(Eqn e, List<String> a, List<DType> in, DType out) {
    String n = e.primitive().name();
    if (out == DType.C64 || in.contains(DType.C64)) {
      return ComplexDevice.expr(n, a, in, out);
    }
    if (!n.equals("convert_element_type") && !n.equals("bitcast_convert_type")) {
      in = in.stream().map(ElementwiseOps::compute).toList();
      out = compute(out);
    }
    DType t = in.isEmpty() ? out : in.get(0);
    boolean f32 = t == DType.F32;
    boolean fl = t.isFloating();
    String x = a.isEmpty() ? null : a.get(0);
    String y = a.size() > 1 ? a.get(1) : null;
    String sfx = f32 ? "f" : "";
    return switch (n) {
      case "neg" -> switch (t) {
        case U32 -> "(0u - " + x + ")";
        case I32 -> "sl_negi(" + x + ")";
        default -> "(-" + x + ")";
      };
      case "sign" -> switch (t) {
        case F32 -> "sl_signf(" + x + ")";
        case F64 -> "sl_signd(" + x + ")";
        case I32 -> "sl_signi(" + x + ")";
        default -> "(" + x + " != 0u ? 1u : 0u)";
      };
      case "abs" -> switch (t) {
        case F32 -> "fabsf(" + x + ")";
        case F64 -> "fabs(" + x + ")";
        case I32 -> "(" + x + " < 0 ? (int)(0u - (unsigned int)" + x + ") : " + x + ")";
        default -> x;
      };
      case "floor", "ceil", "exp", "log", "log1p", "expm1", "tanh", "sin", "cos", "sqrt", "rsqrt", "erf", "erfc",
          "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "exp2", "cbrt" ->
          n + sfx + "(" + x + ")";
      // special functions: SpecialDeviceFunctions (double, f32 rounded once), as the CPU backend
      case "lgamma", "digamma" -> "sl_" + n + sfx + "(" + x + ")";
      case "polygamma", "zeta", "igamma", "igammac", "igamma_grad_a", "random_gamma_grad" -> "sl_" + n + sfx + "(" + x + ", " + y + ")";
      case "regularized_incomplete_beta" -> "sl_betainc" + sfx + "(" + x + ", " + y + ", " + a.get(2) + ")";
      case "round" -> (f32 ? "roundf(" : "round(") + x + ")";
      case "logistic" -> (f32 ? "sl_logisticf(" : "sl_logisticd(") + x + ")";
      case "erf_inv" -> (f32 ? "erfinvf(" : "erfinv(") + x + ")";
      case "square" -> t == DType.I32 ? "sl_muli(" + x + ", " + x + ")" : "(" + x + " * " + x + ")";
      case "not" -> t == DType.BOOL ? "(!" + x + ")" : "(~" + x + ")";
      case "is_finite" -> "isfinite(" + x + ")";
      case "stop_gradient" -> x;
      // int32 add/sub/mul wrap (sl_addi & co. compute in unsigned: signed overflow is UB in C++)
      case "add" -> t == DType.I32 ? "sl_addi(" + x + ", " + y + ")"
          : bool(t, "(" + x + " || " + y + ")", "(" + x + " + " + y + ")");
      case "sub" -> t == DType.I32 ? "sl_subi(" + x + ", " + y + ")" : "(" + x + " - " + y + ")";
      case "mul" -> t == DType.I32 ? "sl_muli(" + x + ", " + y + ")"
          : bool(t, "(" + x + " && " + y + ")", "(" + x + " * " + y + ")");
      case "div" -> switch (t) {
        case I32 -> "sl_divi(" + x + ", " + y + ")";
        case U32 -> "sl_divu(" + x + ", " + y + ")";
        default -> "(" + x + " / " + y + ")";
      };
      case "rem" -> switch (t) {
        case F32 -> "fmodf(" + x + ", " + y + ")";
        case F64 -> "fmod(" + x + ", " + y + ")";
        case I32 -> "sl_remi(" + x + ", " + y + ")";
        default -> "sl_remu(" + x + ", " + y + ")";
      };
      case "pow" -> fl ? "pow" + sfx + "(" + x + ", " + y + ")"
          : t == DType.I32 ? "sl_powi(" + x + ", " + y + ")"
          : "(unsigned int)sl_powi((int)" + x + ", (int)" + y + ")";
      case "max" -> switch (t) {
        case F32 -> "sl_maxf(" + x + ", " + y + ")";
        case F64 -> "sl_maxd(" + x + ", " + y + ")";
        case BOOL -> "(" + x + " || " + y + ")";
        default -> "(" + x + " >= " + y + " ? " + x + " : " + y + ")";
      };
      case "min" -> switch (t) {
        case F32 -> "sl_minf(" + x + ", " + y + ")";
        case F64 -> "sl_mind(" + x + ", " + y + ")";
        case BOOL -> "(" + x + " && " + y + ")";
        default -> "(" + x + " <= " + y + " ? " + x + " : " + y + ")";
      };
      case "atan2" -> "atan2" + sfx + "(" + x + ", " + y + ")";
      case "and" -> bool(t, "(" + x + " && " + y + ")", "(" + x + " & " + y + ")");
      case "or" -> bool(t, "(" + x + " || " + y + ")", "(" + x + " | " + y + ")");
      case "xor" -> bool(t, "(" + x + " != " + y + ")", "(" + x + " ^ " + y + ")");
      case "shift_left" -> cast(t, "sl_shl((unsigned int)" + x + ", (unsigned int)" + y + ")");
      case "shift_right_logical" -> cast(t, "sl_shrl((unsigned int)" + x + ", (unsigned int)" + y + ")");
      case "shift_right_arithmetic" -> cast(t, "sl_shra((int)" + x + ", (unsigned int)" + y + ")");
      case "eq" -> "(" + x + " == " + y + ")";
      case "ne" -> "(" + x + " != " + y + ")";
      case "lt" -> "(" + x + " < " + y + ")";
      case "le" -> "(" + x + " <= " + y + ")";
      case "gt" -> "(" + x + " > " + y + ")";
      case "ge" -> "(" + x + " >= " + y + ")";
      case "select_n" -> "(" + x + " ? " + a.get(2) + " : " + y + ")";
      case "convert_element_type" -> convert(x, t, out);
      case "bitcast_convert_type" -> bitcast(x, t, out);
      default -> throw new IllegalArgumentException("no elementwise GPU code for primitive '" + n + "'");
    };
  }

  /** The dtype an operation computes in: F32 for the 16-bit floats (the CPU backend's Widen16 rule). */
  static DType compute(DType d) {
    return d.is16BitFloat() ? DType.F32 : d;
  }

  private static String bool(DType t, String ifBool, String otherwise) {
    return t == DType.BOOL ? ifBool : otherwise;
  }

  private static String cast(DType t, String e) {
    return "((" + CTypes.reg(t) + ")" + e + ")";
  }

  /** lax.convert_element_type, as HostArrays.convert. */
  static String convert(String x, DType from, DType to) {
    if (from == to) {
      return x;
    }
    if (to == DType.BOOL) {
      return "(" + x + " != 0)";
    }
    // 16-bit values are floats in registers (widened exactly), so from one converts as from F32
    if (from.is16BitFloat()) {
      from = DType.F32;
    }
    if (to.is16BitFloat()) {
      // round once: a float directly; f64 and integers through float rounded to odd (HostArrays.convert)
      String f = from == DType.F32 ? x : "sl_f64_to_f32_odd((double)" + x + ")";
      return CTypes.round16(to, f);
    }
    if (from.isFloating()) {
      return switch (to) {
        case F32 -> "((float)" + x + ")";
        case F64 -> "((double)" + x + ")";
        case I32 -> "sl_f2i((double)" + x + ")";
        case U32 -> "sl_f2u((double)" + x + ")";
        case BOOL, BF16, F16 -> throw new AssertionError();
        case C64 -> throw CTypes.complexUnsupported();
      };
    }
    // integers and bool: C conversions are exact (i32 <-> u32 reinterpret the bits)
    return "((" + CTypes.reg(to) + ")" + x + ")";
  }

  static String bitcast(String x, DType from, DType to) {
    if (from.is16BitFloat() || to.is16BitFloat()) {
      throw CTypes.no16Bit(from.is16BitFloat() ? from : to, "bitcast_convert_type");
    }
    if (from == to || (from.isInteger() && to.isInteger())) {
      return "((" + CTypes.reg(to) + ")" + x + ")";
    }
    if (from == DType.F32) {
      return to == DType.I32 ? "__float_as_int(" + x + ")" : "__float_as_uint(" + x + ")";
    }
    if (to == DType.F32) {
      return from == DType.I32 ? "__int_as_float(" + x + ")" : "__uint_as_float(" + x + ")";
    }
    throw new IllegalArgumentException("bitcast_convert_type from " + from + " to " + to + " has no GPU code");
  }
}
