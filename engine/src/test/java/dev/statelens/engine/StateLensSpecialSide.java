package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code bench/gpu/special_reference.py}'s cases (every {@code fn} under
 * {@code special/}): {@link Special} (jax.scipy.special and the lax special functions), their
 * gradients ({@code special/grad/*}) and the gradient of {@link Random#gamma} and the samplers on
 * it in their parameters ({@code special/grad/random/*}). Inputs arrive in the case's dtype.
 */
final class StateLensSpecialSide {
  private StateLensSpecialSide() {}

  static boolean handles(String fn) {
    return fn.startsWith("special/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in, Key key) {
    String fn = c.fn().substring("special/".length());
    Map<String, Array> out = new LinkedHashMap<>();
    if (fn.equals("polygamma")) { // the order is in the label: special/polygamma/n=1/float32
      int n = Integer.parseInt(c.name().replaceAll(".*/n=(\\d+)/.*", "$1"));
      out.put("out", Special.polygamma(n, in.get("x")));
      return out;
    }
    if (fn.startsWith("grad/random/")) {
      randomGrad(c, fn.substring("grad/random/".length()), in, key, out);
      return out;
    }
    if (fn.startsWith("grad/")) {
      String name = fn.substring("grad/".length());
      List<String> names = new ArrayList<>(in.keySet());
      Function<List<Array>, Array> f = args -> function(name, names, args).sum();
      List<Array> grads = Transforms.grad(f).apply(new ArrayList<>(in.values()));
      for (int i = 0; i < names.size(); i++) {
        out.put("d" + names.get(i), grads.get(i));
      }
      return out;
    }
    out.put("out", function(fn, new ArrayList<>(in.keySet()), new ArrayList<>(in.values())));
    return out;
  }

  /** The StateLens function of each case name, on the inputs in the file's order. */
  private static Array function(String fn, List<String> names, List<Array> x) {
    Array x0 = x.get(0);
    return switch (fn) {
      case "gammaln" -> Special.gammaln(x0);
      case "digamma" -> Special.digamma(x0);
      case "erfc" -> Special.erfc(x0);
      case "erf" -> Special.erf(x0);
      case "erfinv" -> Special.erfinv(x0);
      case "ndtr" -> Special.ndtr(x0);
      case "log_ndtr" -> Special.logNdtr(x0);
      case "ndtri" -> Special.ndtri(x0);
      case "xlogy" -> Special.xlogy(x0, x.get(1));
      case "xlog1py" -> Special.xlog1py(x0, x.get(1));
      case "logit" -> Special.logit(x0);
      case "expit" -> Special.expit(x0);
      case "entr" -> Special.entr(x0);
      case "multigammaln" -> Special.multigammaln(x0, 3);
      case "gammainc" -> Special.gammainc(x0, x.get(1));
      case "gammaincc" -> Special.gammaincc(x0, x.get(1));
      case "igamma_grad_a" -> Special.igammaGradA(x0, x.get(1));
      case "random_gamma_grad" -> Special.randomGammaGrad(x0, x.get(1));
      case "betainc" -> names.size() == 1
          ? Special.betainc(Array.scalar(x0.dtype(), 2.5), Array.scalar(x0.dtype(), 4.0), x0) // grad/betainc: in x
          : Special.betainc(x0, x.get(1), x.get(2));
      case "betaln" -> Special.betaln(x0, x.get(1));
      default -> throw new IllegalArgumentException("jax-reference special case '" + fn
          + "': no StateLens twin; add a branch to StateLensSpecialSide.function");
    };
  }

  /** jax.grad of sum(sampler(key, parameter)) in the parameter(s): random_gamma_grad through each sampler. */
  private static void randomGrad(Case c, String fn, Map<String, Array> in, Key key, Map<String, Array> out) {
    JsonNode a = c.args();
    DType dt = DType.parse(a.path("dtype").asText());
    int[] shape = a.path("shape").isArray() ? ints(a.path("shape")) : null;
    switch (fn) {
      case "gamma", "loggamma" -> {
        Array alpha = in.get("a");
        boolean weighted = alpha.ndim() == 1 && !a.path("jit").asBoolean(false);
        Function<Array, Array> f = t -> {
          Array draw = fn.equals("gamma") ? Random.gamma(key, t, shape, dt) : Random.loggamma(key, t, shape, dt);
          return weighted ? draw.mul(Array.arange(DType.F32, 1, 5, 1).astype(dt)).sum() : draw.sum();
        };
        Function<Array, Array> g = Transforms.grad(f);
        out.put("da", a.path("jit").asBoolean(false) ? Transforms.jit(g).apply(alpha) : g.apply(alpha));
      }
      case "beta" -> {
        List<Array> grads = Transforms.grad((List<Array> p) -> Random.beta(key, p.get(0), p.get(1), shape, dt).sum())
            .apply(List.of(in.get("a"), in.get("b")));
        out.put("da", grads.get(0));
        out.put("db", grads.get(1));
      }
      case "dirichlet" -> out.put("dalpha", Transforms.grad((Array t) ->
          Random.dirichlet(key, t, shape, dt).mul(Array.arange(DType.F32, 1, 5, 1).astype(dt)).sum()).apply(in.get("alpha")));
      case "chisquare" -> out.put("ddf", Transforms.grad((Array t) -> Random.chisquare(key, t, shape, dt).sum())
          .apply(in.get("df")));
      case "t" -> out.put("ddf", Transforms.grad((Array t) -> Random.t(key, t, shape, dt).sum()).apply(in.get("df")));
      default -> throw new IllegalArgumentException("jax-reference special case 'grad/random/" + fn
          + "': no StateLens twin; add a branch to StateLensSpecialSide.randomGrad");
    }
  }

  private static int[] ints(JsonNode n) {
    int[] r = new int[n.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = n.get(i).asInt();
    }
    return r;
  }
}
