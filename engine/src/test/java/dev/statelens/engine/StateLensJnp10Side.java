package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp10/*} cases (session 16,
 * {@code bench/gpu/jnp10_reference.py}): {@link Special#expi}, {@code exp1}, {@code expn},
 * {@code hyp1f1}, {@code besselJn}, {@code sphHarmY} and zeta's special-value edges. A case's inputs are the array arguments
 * in order; bessel_jn's {@code v}/{@code n_iter} and sph_harm_y's {@code n_max} are in its args
 * (no {@code n_max}: the default, {@code max(n)}). {@code jnp10/grad/...} is the gradient of the
 * sum (of the real part) in the arguments its {@code argnums} lists; a label starting "jit" runs
 * under {@link Transforms#jit}, "vmap" under {@link Transforms#vmap} over the first argument.
 */
final class StateLensJnp10Side {
  private StateLensJnp10Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp10/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp10/".length());
    String label = c.name().substring(c.fn().length());
    List<Array> args = new ArrayList<>(in.values());
    Map<String, Array> out = new LinkedHashMap<>();
    if (fn.startsWith("grad/")) {
      Function<List<Array>, Array> f = function(fn.substring("grad/".length()), c);
      // only the argnums are differentiated (sph_harm_y's n and m are integers)
      List<Integer> argnums = new ArrayList<>();
      c.args().path("argnums").forEach(i -> argnums.add(i.asInt()));
      List<Array> wrt = argnums.stream().map(args::get).toList();
      List<Array> g = Transforms.grad((List<Array> t) -> {
        List<Array> all = new ArrayList<>(args);
        for (int k = 0; k < argnums.size(); k++) {
          all.set(argnums.get(k), t.get(k));
        }
        return realPart(f.apply(all)).sum();
      }).apply(wrt);
      for (int k = 0; k < argnums.size(); k++) {
        out.put("d" + argnums.get(k), g.get(k));
      }
      return out;
    }
    Function<List<Array>, Array> f = function(fn, c);
    Array result;
    if (label.startsWith("/jit")) {
      result = Transforms.jit((List<Array> t) -> f.apply(t)).apply(args);
    } else if (label.startsWith("/vmap")) {
      List<Array> rest = args.subList(1, args.size());
      result = Transforms.vmap((Array row) -> {
        List<Array> all = new ArrayList<>(List.of(row));
        all.addAll(rest);
        return f.apply(all);
      }).apply(args.get(0));
    } else {
      result = f.apply(args);
    }
    if (result.dtype().isComplex()) {
      out.put("re", result.real());
      out.put("im", result.imag());
    } else {
      out.put("out", result);
    }
    return out;
  }

  private static Array realPart(Array a) {
    return a.dtype().isComplex() ? a.real() : a;
  }

  private static Function<List<Array>, Array> function(String name, Case c) {
    JsonNode a = c.args();
    return switch (name) {
      case "special.expi" -> t -> Special.expi(t.get(0));
      case "special.exp1" -> t -> Special.exp1(t.get(0));
      case "special.expn" -> t -> Special.expn(t.get(0), t.get(1));
      case "special.hyp1f1" -> t -> Special.hyp1f1(t.get(0), t.get(1), t.get(2));
      case "special.zeta" -> t -> Special.zeta(t.get(0), t.get(1));
      case "special.bessel_jn" -> t -> Special.besselJn(t.get(0), a.path("v").asInt(), a.path("n_iter").asInt());
      case "special.sph_harm_y" -> a.has("n_max")
          ? t -> Special.sphHarmY(t.get(0), t.get(1), t.get(2), t.get(3), a.path("n_max").asInt())
          : t -> Special.sphHarmY(t.get(0), t.get(1), t.get(2), t.get(3));
      default -> throw new IllegalArgumentException("StateLensJnp10Side has no twin for " + c.name());
    };
  }
}
