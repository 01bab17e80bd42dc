package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The StateLens twin of {@code jax_reference.py}'s {@code random3_cases}: the samplers whose
 * {@code fn} starts with {@code random/} (gamma, loggamma, beta, dirichlet, chisquare, t, f,
 * poisson, geometric, cauchy, multivariate_normal, orthogonal, ball), through {@link Random}'s
 * public API. Scalar parameters are built in the case's dtype, as JAX converts a Python float
 * ({@code 0.3} in float64 is not float32's {@code 0.3}); array inputs are float32 values exact in
 * both dtypes.
 */
final class StateLensSamplersSide {

  private StateLensSamplersSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("random/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in, Key key, RandomSampler s) {
    if (s != RandomSampler.PARTITIONABLE) {
      throw new IllegalStateException("the random/ cases use Random (jax_threefry_partitionable=True); this file "
          + "was written with False: rerun jax_reference.py with JAX's default");
    }
    JsonNode a = c.args();
    DType dtype = a.has("dtype") ? DType.parse(a.path("dtype").asText()) : DType.F32;
    int[] shape = a.path("shape").isArray() ? ints(a.path("shape")) : null;
    Array out = switch (c.fn()) {
      case "random/gamma" -> Random.gamma(key, param(a, in, "a", dtype), shape, dtype);
      case "random/loggamma" -> Random.loggamma(key, param(a, in, "a", dtype), shape, dtype);
      case "random/beta" -> Random.beta(key, param(a, in, "a", dtype), param(a, in, "b", dtype), shape, dtype);
      case "random/dirichlet" -> Random.dirichlet(key, in.get("alpha").astype(dtype), shape, dtype);
      case "random/chisquare" -> Random.chisquare(key, param(a, in, "df", dtype), shape, dtype);
      case "random/t" -> Random.t(key, param(a, in, "df", dtype), shape, dtype);
      case "random/f" -> Random.f(key, param(a, in, "dfnum", dtype), param(a, in, "dfden", dtype), shape, dtype);
      case "random/cauchy" -> Random.cauchy(key, shape, dtype);
      case "random/poisson" -> Random.poisson(key, param(a, in, "lam", DType.F32), shape, DType.I32);
      case "random/geometric" -> Random.geometric(key, param(a, in, "p", DType.F32), shape, DType.I32);
      case "random/multivariate_normal" -> Random.multivariateNormal(key, in.get("mean").astype(dtype),
          in.get("cov").astype(dtype), shape, dtype, a.path("method").asText());
      case "random/orthogonal" -> Random.orthogonal(key, a.path("n").asInt(), shape, dtype, a.path("m").asInt());
      case "random/ball" -> Random.ball(key, a.path("d").asInt(), a.path("p").asDouble(), shape, dtype);
      default -> throw new IllegalArgumentException("jax-reference case " + c.name() + ": no StateLens twin for fn '"
          + c.fn() + "'; add a branch to StateLensSamplersSide.run");
    };
    Map<String, Array> result = new LinkedHashMap<>();
    result.put("out", out);
    return result;
  }

  /** A parameter: the input array of that name, else the scalar argument in {@code dtype}. */
  private static Array param(JsonNode args, Map<String, Array> in, String name, DType dtype) {
    if (in.containsKey(name)) {
      return in.get(name).astype(dtype);
    }
    if (!args.has(name)) {
      throw new IllegalArgumentException("jax-reference: the case has neither an input nor an argument '" + name + "'");
    }
    return Array.scalar(dtype, args.path(name).asDouble());
  }

  private static int[] ints(JsonNode n) {
    int[] r = new int[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asInt();
    }
    return r;
  }
}
