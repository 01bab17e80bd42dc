package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code bench/gpu/complex_reference.py}'s cases (every {@code fn} under
 * {@code complex/}): complex64 math and autodiff through complex values. A complex array travels
 * as two f32 tensors {@code NAME_re}, {@code NAME_im}, as in {@link StateLensFftSide}.
 */
final class StateLensComplexSide {
  private StateLensComplexSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("complex/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("complex/".length());
    JsonNode args = c.args();
    Map<String, Array> out = new LinkedHashMap<>();
    Array result;
    if (fn.startsWith("unary/")) {
      result = unary(fn.substring("unary/".length()), complex(in, "x"));
    } else if (fn.startsWith("binary/")) {
      result = binary(fn.substring("binary/".length()), complex(in, "a"), complex(in, "b"));
    } else if (fn.startsWith("predicate/")) {
      Array x = complex(in, "x");
      result = switch (fn.substring("predicate/".length())) {
        case "isnan" -> x.isnan();
        case "isfinite" -> x.isFinite();
        case "isinf" -> x.isinf();
        default -> throw new IllegalArgumentException("no twin for complex/" + fn);
      };
    } else if (fn.startsWith("grad/holomorphic/")) {
      String name = fn.substring("grad/holomorphic/".length());
      result = Transforms.grad((Array z) -> holomorphic(name, z).sum(), true).apply(complex(in, "z"));
    } else if (fn.startsWith("grad/real/")) {
      String name = fn.substring("grad/real/".length());
      result = Transforms.grad((Array z) -> realLoss(name, z)).apply(complex(in, "z"));
    } else if (fn.startsWith("bits/")) {
      result = bits(fn.substring("bits/".length()), args, in);
    } else if (fn.startsWith("customvjp/")) {
      return ComplexCustomVjpTwins.run(fn.substring("customvjp/".length()), in);
    } else if (fn.equals("jvp/real_to_complex")) {
      Pair<Array, Array> pt = Transforms.jvp(StateLensComplexSide::realToComplex, in.get("x"), in.get("t"));
      put(out, "out", pt.first());
      put(out, "tangent", pt.second());
      return out;
    } else if (fn.startsWith("jvp/")) {
      Function<Array, Array> f = z -> mapping(fn.substring("jvp/".length()), z);
      Pair<Array, Array> pt = Transforms.jvp(f, complex(in, "z"), complex(in, "t"));
      put(out, "out", pt.first());
      put(out, "tangent", pt.second());
      return out;
    } else if (fn.startsWith("vjp/")) {
      Function<Array, Array> f = z -> mapping(fn.substring("vjp/".length()), z);
      VjpResult<Array, Array> v = Transforms.vjp(f, complex(in, "z"));
      Array t = complex(in, "t");
      result = v.pullback().apply(v.out().dtype().isComplex() ? t : t.real());
    } else if (fn.equals("jacfwd/real_to_complex")) {
      result = Transforms.jacfwd(StateLensComplexSide::realToComplex).apply(in.get("x"));
    } else if (fn.equals("jacfwd/holomorphic")) {
      result = Transforms.jacfwd(StateLensComplexSide::holomorphicVector, true).apply(complex(in, "z"));
    } else if (fn.equals("jacrev/holomorphic")) {
      result = Transforms.jacrev(StateLensComplexSide::holomorphicVector, true).apply(complex(in, "z"));
    } else if (fn.equals("jacrev/real_output")) {
      result = Transforms.jacrev((Array z) -> z.mul(z.flip(0)).abs().add(z.log().real())).apply(complex(in, "z"));
    } else if (fn.equals("grad/spectral1d")) {
      List<Array> params = List.of(in.get("u"), in.get("wr"), in.get("wi"));
      Pair<Array, List<Array>> vg = Transforms.valueAndGrad(StateLensComplexSide::spectralLoss).apply(params);
      out.put("du", vg.second().get(0));
      out.put("dwr", vg.second().get(1));
      out.put("dwi", vg.second().get(2));
      out.put("loss", vg.first());
      return out;
    } else {
      throw new IllegalArgumentException("jax-reference complex case '" + fn
          + "': no StateLens twin; add a branch to StateLensComplexSide.run");
    }
    put(out, "out", result);
    return out;
  }

  static void put(Map<String, Array> out, String name, Array v) {
    if (v.dtype().isComplex()) {
      out.put(name + "_re", v.real());
      out.put(name + "_im", v.imag());
    } else {
      out.put(name, v);
    }
  }

  static Array complex(Map<String, Array> in, String name) {
    return Array.complex(in.get(name + "_re"), in.get(name + "_im"));
  }

  private static Array binary(String name, Array a, Array b) {
    return switch (name) {
      case "pow" -> a.pow(b);
      case "pow_real" -> a.pow(2.5);
      case "pow_negative_axis" -> Array.of(-4f, -1f, -0.25f).astype(DType.C64).pow(0.5);
      case "integer_pow_2" -> a.integerPow(2);
      case "integer_pow_5" -> a.integerPow(5);
      case "integer_pow_-3" -> a.integerPow(-3);
      case "reciprocal_div" -> a.reciprocal().add(b.div(a));
      case "prod" -> a.prod();
      case "prod_axis" -> a.prod(1);
      case "cumsum" -> a.cumsum();
      case "cumprod" -> a.cumprod();
      case "cumprod_axis0" -> a.cumprod(0);
      case "mean_axis" -> a.mean(0);
      case "dot", "dot_matrix" -> a.dot(b);
      case "vdot" -> a.vdot(b);
      case "vdot_matrix" -> a.vdot(a);
      case "where" -> Array.where(a.abs().gt(1), a, b);
      case "where_scalar" -> Array.where(a.real().gt(0), a, 0.5);
      default -> throw new IllegalArgumentException("jax-reference complex/binary case '" + name
          + "': no StateLens twin; add a branch to StateLensComplexSide.binary");
    };
  }

  /**
   * complex_reference.py's complex_bits_cases and division_and_power_bits_cases: XLA CPU's bits for
   * multiply, square, divide, power, abs and running products.
   */
  private static Array bits(String name, JsonNode args, Map<String, Array> in) {
    Array a = complex(in, "a");
    return switch (name) {
      case "mul" -> a.mul(complex(in, "b"));
      case "square" -> a.square();
      case "integer_pow_3" -> a.integerPow(3);
      case "mul_chain_jit" -> Transforms.jit((Array x, Array y) -> x.mul(y).mul(x).add(y.mul(y.conj())))
          .apply(a, complex(in, "b"));
      case "cumprod" -> dev.statelens.engine.ir.ArrayPrims.CUMPROD.bind1(dev.statelens.engine.ir.Params.of(
          "axis", args.get("axis").asInt(), "reverse", args.get("reverse").asBoolean()), a);
      case "prod" -> args.has("axes") ? a.prod(StateLensMoreSide.ints(args.get("axes"))) : a.prod();
      case "div" -> a.div(complex(in, "b"));
      case "pow" -> a.pow(complex(in, "b"));
      case "pow_real" -> a.pow(2.5);
      case "abs" -> a.abs();
      default -> throw new IllegalArgumentException("jax-reference complex/bits case '" + name
          + "': no StateLens twin; add a branch to StateLensComplexSide.bits");
    };
  }

  /** complex_reference.py's holomorphic functions (their derivative is the holomorphic grad). */
  private static Array holomorphic(String name, Array z) {
    return switch (name) {
      case "square" -> z.mul(z);
      case "cube" -> z.integerPow(3);
      case "sin" -> z.sin();
      case "cos" -> z.cos();
      case "tan" -> z.tan();
      case "log" -> z.log();
      case "sqrt" -> z.sqrt();
      case "exp_mul" -> z.exp().mul(z);
      case "reciprocal" -> z.reciprocal();
      case "tanh" -> z.tanh();
      case "sinh_cosh" -> z.sinh().mul(z.cosh());
      case "log1p_expm1" -> z.log1p().add(z.expm1());
      case "pow" -> z.pow(Array.complex(Array.scalar(0.5f), Array.scalar(0.25f)));
      case "rsqrt" -> z.rsqrt();
      default -> throw new IllegalArgumentException("no twin for complex/grad/holomorphic/" + name);
    };
  }

  private static Array realLoss(String name, Array z) {
    return switch (name) {
      case "abs2" -> z.abs().integerPow(2).sum();
      case "abs" -> z.abs().sum();
      case "real_log" -> z.log().real().sum();
      case "imag_sqrt" -> z.sqrt().mul(z).imag().sum();
      case "abs_sin_conj" -> z.sin().mul(z.conj()).abs().sum();
      case "angle_tanh" -> z.tanh().angle().sum();
      default -> throw new IllegalArgumentException("no twin for complex/grad/real/" + name);
    };
  }

  /** complex_reference.py's maps for jvp and vjp (holomorphic or not). */
  private static Array mapping(String name, Array z) {
    return switch (name) {
      case "square" -> z.mul(z);
      case "sin" -> z.sin();
      case "log" -> z.log();
      case "exp" -> z.exp();
      case "abs2" -> z.abs().integerPow(2);
      case "conj_mul" -> z.conj().mul(z.cos());
      case "real_imag" -> Array.complex(z.real().integerPow(2), z.imag().mul(z.real()));
      default -> throw new IllegalArgumentException("no twin for complex jvp/vjp " + name);
    };
  }

  /** {@code exp(1j x) * (x + 2j)}: a real input through complex values. */
  private static Array realToComplex(Array x) {
    Array i = Array.complex(Array.scalar(0f), Array.scalar(1f));
    return x.astype(DType.C64).mul(i).exp().mul(x.astype(DType.C64).add(Array.complex(Array.scalar(0f), Array.scalar(2f))));
  }

  /** {@code sin(z) * z[::-1] + z**2}. */
  private static Array holomorphicVector(Array z) {
    return z.sin().mul(z.flip(0)).add(z.integerPow(2));
  }

  /** A 1-D spectral layer with real parameters: rfft, 5 modes, complex channel weights, irfft. */
  static Array spectral(Array u, Array wr, Array wi) {
    Array uf = Fft.rfft(u).sliceAxis(1, 0, 5);
    Array mixed = Array.einsum("bm,km->bkm", uf, Array.complex(wr, wi));
    Array full = mixed.pad(new int[][] {{0, 0}, {0, 0}, {0, 9 - 5}}, 0);
    return Fft.irfft(full, 16, -1, null).tanh().sum(1);
  }

  private static Array spectralLoss(List<Array> p) {
    return spectral(p.get(0), p.get(1), p.get(2)).sub(p.get(0)).integerPow(2).mean();
  }

  private static Array unary(String name, Array z) {
    return switch (name) {
      case "log" -> z.log();
      case "sqrt" -> z.sqrt();
      case "rsqrt" -> z.rsqrt();
      case "sin" -> z.sin();
      case "cos" -> z.cos();
      case "tan" -> z.tan();
      case "sinh" -> z.sinh();
      case "cosh" -> z.cosh();
      case "tanh" -> z.tanh();
      case "expm1" -> z.expm1();
      case "log1p" -> z.log1p();
      case "reciprocal" -> z.reciprocal();
      case "exp" -> z.exp();
      default -> throw new IllegalArgumentException("jax-reference complex/unary case '" + name
          + "': no StateLens twin; add a branch to StateLensComplexSide.unary");
    };
  }
}
