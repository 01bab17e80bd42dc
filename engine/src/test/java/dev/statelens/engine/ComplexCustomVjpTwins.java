package dev.statelens.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The twins of {@code complex_reference.py}'s {@code complex/customvjp/*} cases: {@code customVjp}
 * on complex arguments and outputs. bwd receives the output cotangent as JAX's own VJPs pass it
 * (for a holomorphic f, {@code ct * f'(z)}, no conjugate) and its answer is taken as it is.
 */
final class ComplexCustomVjpTwins {
  private ComplexCustomVjpTwins() {}

  private static Array c(double re, double im) {
    return Array.complex(Array.scalar((float) re), Array.scalar((float) im));
  }

  /** {@code sin(z) * z} with the hand-written rule {@code ct * f'(z)} (conjugated when asked). */
  static Function<Array, Array> sinTimesZ(boolean bwdConjugates) {
    Function<Array, Array> f = z -> z.sin().mul(z);
    return Transforms.customVjp(f, (Array z) -> Pair.of(f.apply(z), z), (Array z, Array g) -> {
      Array deriv = z.cos().mul(z).add(z.sin());
      return g.mul(bwdConjugates ? deriv.conj() : deriv);
    });
  }

  static Map<String, Array> run(String name, Map<String, Array> in) {
    Function<Array, Array> cf = sinTimesZ(false);
    Map<String, Array> out = new LinkedHashMap<>();
    switch (name) {
      case "real_to_complex" -> {
        Function<Array, Array> f = x -> x.astype(DType.C64).mul(c(1, 2)).mul(x.astype(DType.C64));
        Function<Array, Array> rc = Transforms.customVjp(f, (Array x) -> Pair.of(f.apply(x), x),
            (Array x, Array g) -> g.mul(c(2, 4)).mul(x.astype(DType.C64)).real());
        out.put("out", Transforms.grad((Array x) -> rc.apply(x).add(c(0, 1)).abs().sum()).apply(in.get("x")));
        return out;
      }
      case "two_args" -> {
        java.util.function.BiFunction<Array, Array, Array> two = Transforms.customVjp(
            (Array z, Array x) -> z.mul(x.astype(DType.C64)),
            (Array z, Array x) -> Pair.of(z.mul(x.astype(DType.C64)), Pair.of(z, x)),
            (Pair<Array, Array> r, Array g) -> Pair.of(g.mul(r.second().astype(DType.C64)), g.mul(r.first()).real()));
        List<Array> g = Transforms.grad((List<Array> p) -> two.apply(p.get(0), p.get(1)).sub(c(0, 0.5)).abs().sum())
            .apply(List.of(StateLensComplexSide.complex(in, "z"), in.get("x")));
        StateLensComplexSide.put(out, "dz", g.get(0));
        out.put("dx", g.get(1));
        return out;
      }
      default -> { }
    }
    Array z = StateLensComplexSide.complex(in, "z");
    Array t = StateLensComplexSide.complex(in, "t");
    Array result = switch (name) {
      case "grad_holomorphic" -> Transforms.grad((Array w) -> cf.apply(w).sum(), true).apply(z);
      case "grad_holomorphic_conj_bwd" -> Transforms.grad((Array w) -> sinTimesZ(true).apply(w).sum(), true).apply(z);
      case "grad_real_abs" -> Transforms.grad((Array w) -> cf.apply(w).abs().sum()).apply(z);
      case "grad_real_imag" -> Transforms.grad((Array w) -> cf.apply(w).mul(w).imag().sum()).apply(z);
      case "vjp" -> Transforms.vjp(cf, z).pullback().apply(t);
      case "jit_grad_real_abs" -> Transforms.jit(Transforms.grad((Array w) -> cf.apply(w).abs().sum())).apply(z);
      case "vmap_vjp" -> Transforms.vmap((Array w, Array u) -> Transforms.vjp(cf, w).pullback().apply(u)).apply(z, t);
      default -> throw new IllegalArgumentException("jax-reference complex/customvjp case '" + name
          + "': no StateLens twin; add a branch to ComplexCustomVjpTwins.run");
    };
    StateLensComplexSide.put(out, "out", result);
    return out;
  }
}
