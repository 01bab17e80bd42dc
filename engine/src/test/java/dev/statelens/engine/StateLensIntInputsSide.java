package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The StateLens twins of {@code bench/gpu/int_inputs_reference.py}'s cases (every {@code fn} under
 * {@code intinputs/}): jvp, linearize, jacrevAllowInt and vjp with an integer or bool input leaf.
 * Where JAX gives {@code float0} the case holds zeros of the primal's dtype, this engine's stand-in
 * (docs/decisions.md); the tangent passed for an integer leaf is such zeros too. Every output's dtype
 * is checked against the case's (the comparison itself goes through float32).
 */
final class StateLensIntInputsSide {
  private StateLensIntInputsSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("intinputs/");
  }

  /** {@code x * n + float(n)}. */
  private static Array f(Pair<Array, Array> p) {
    return p.first().mul(p.second()).add(p.second().astype(DType.F32));
  }

  /** {@code (x + float(n)) * n}: under jit XLA would contract a product feeding a sum into an FMA (decisions.md). */
  private static Array k(Pair<Array, Array> p) {
    return p.first().add(p.second().astype(DType.F32)).mul(p.second());
  }

  /** {@code sin(x) * n + x ** 2} ({@code x ** 2}: JAX's integer_pow, the long overload). */
  private static Array g(Pair<Array, Array> p) {
    return p.first().sin().mul(p.second()).add(p.first().pow(2));
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("intinputs/".length());
    Array x = in.get("x");
    Array n = in.get("n");
    Array t = in.get("t");
    Pair<Array, Array> at = Pair.of(x, n);
    Pair<Array, Array> direction = t == null || n == null ? null : Pair.of(t, noTangent(n));
    Map<String, Array> out = new LinkedHashMap<>();
    switch (fn) {
      case "jvp_mixed" -> put(out, Transforms.jvp(StateLensIntInputsSide::f, at, direction));
      case "jvp_int_out" -> put(out, Transforms.jvp((Array k) -> k.mul(3).sub(1), n, noTangent(n)));
      case "jvp_int_to_float" -> put(out, Transforms.jvp((Array k) -> k.astype(DType.F32).mul(2.5), n, noTangent(n)));
      case "jvp_bool_mask" -> {
        Array m = in.get("m");
        put(out, Transforms.jvp((Pair<Array, Array> p) -> Array.where(p.second(), p.first().mul(2), p.first()),
            Pair.of(x, m), Pair.of(t, noTangent(m))));
      }
      case "jvp_sin" -> put(out, Transforms.jvp(StateLensIntInputsSide::g, at, direction));
      case "jvp_jit" -> {
        BiFunction<Pair<Array, Array>, Pair<Array, Array>, Pair<Array, Array>> jitted =
            Transforms.jit((Pair<Array, Array> p, Pair<Array, Array> d) -> Transforms.jvp(StateLensIntInputsSide::k, p, d));
        put(out, jitted.apply(at, direction));
      }
      case "linearize" -> {
        Pair<Array, Function<Pair<Array, Array>, Array>> lin = Transforms.linearize(StateLensIntInputsSide::f, at);
        out.put("y", lin.first());
        out.put("ty", lin.second().apply(direction));
        out.put("ty2", lin.second().apply(Pair.of(in.get("t2"), noTangent(n))));
      }
      case "linearize_vmap" -> {
        Function<Pair<Array, Array>, Array> fJvp = Transforms.linearize(StateLensIntInputsSide::f, at).second();
        out.put("ty", Transforms.vmap((Array d) -> fJvp.apply(Pair.of(d, noTangent(n)))).apply(in.get("batch")));
      }
      case "jacrev_allow_int" -> {
        Pair<Array, Array> jac = Transforms.jacrevAllowInt((Pair<Array, Array> p) -> p.first().mul(p.second()).sum()
            .mul(p.first())).apply(at);
        out.put("jx", jac.first());
        out.put("jn", jac.second());
      }
      case "vjp" -> {
        VjpResult<Array, Pair<Array, Array>> r = Transforms.vjp(StateLensIntInputsSide::f, at);
        Pair<Array, Array> ct = r.pullback(t);
        out.put("y", r.out());
        out.put("cx", ct.first());
        out.put("cn", ct.second());
      }
      default -> throw new IllegalArgumentException("jax-reference case " + c.fn()
          + ": no StateLens twin; add a branch to StateLensIntInputsSide.run");
    }
    out.forEach((name, v) -> {
      DType want = DType.parse(c.outputs().get(name).dtype());
      if (v.dtype() != want) {
        throw new IllegalStateException(c.name() + " output " + name + ": StateLens gave " + v.dtype() + ", JAX "
            + want + (c.args().path("float0").toString().contains(name) ? " (float0: zeros of the primal's dtype)" : ""));
      }
    });
    return out;
  }

  /** What stands for JAX's float0 tangent of an integer or bool leaf here: zeros of its own dtype. */
  private static Array noTangent(Array primal) {
    return Array.zeros(primal.dtype(), primal.shape());
  }

  private static void put(Map<String, Array> out, Pair<Array, Array> valueAndTangent) {
    out.put("y", valueAndTangent.first());
    out.put("ty", valueAndTangent.second());
  }
}
