package dev.statelens.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp9/*} cases (session 15,
 * {@code bench/gpu/jnp9_reference.py}): the rest of {@link Stats} (a case's inputs are the
 * function's positional arguments in order; {@code jnp9/grad/...} is the gradient of the sum in
 * the arguments its {@code argnums} lists), {@link GaussianKde} ({@code jnp9/kde/...}) and the
 * {@link Special} functions of session 15 ({@code stats/special.<name>}).
 */
final class StateLensJnp9Side {
  private StateLensJnp9Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp9/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp9/".length());
    String label = c.name().substring(c.fn().length());
    Map<String, Array> out = new LinkedHashMap<>();
    List<Array> args = new ArrayList<>(in.values());
    if (fn.startsWith("stats/")) {
      Function<List<Array>, Array> f = stats(fn.substring("stats/".length()), args.size(), c);
      if (label.startsWith("/jit")) {
        out.put("out", Transforms.jit((List<Array> t) -> f.apply(t)).apply(args));
      } else if (label.startsWith("/vmap")) {
        List<Array> rest = args.subList(1, args.size());
        out.put("out", Transforms.vmap((Array row) -> {
          List<Array> all = new ArrayList<>(List.of(row));
          all.addAll(rest);
          return f.apply(all);
        }).apply(args.get(0)));
      } else {
        out.put("out", f.apply(args));
      }
      return out;
    }
    if (fn.startsWith("grad/")) {
      Function<List<Array>, Array> f = stats(fn.substring("grad/".length()), args.size(), c);
      List<Array> g = Transforms.grad((List<Array> t) -> f.apply(t).sum()).apply(args);
      for (JsonNode i : c.args().path("argnums")) {
        out.put("d" + i.asInt(), g.get(i.asInt()));
      }
      return out;
    }
    if (fn.startsWith("kde/")) {
      return kde(fn.substring("kde/".length()), label, c, in);
    }
    throw new IllegalArgumentException("StateLensJnp9Side has no twin for " + c.name());
  }

  private static Map<String, Array> kde(String method, String label, Case c, Map<String, Array> in) {
    Map<String, Array> out = new LinkedHashMap<>();
    String bw = c.args().path("bw").asText();
    Function<Array, GaussianKde> fit = data -> fit(data, bw, in.get("weights"));
    Array points = in.get("points");
    switch (method) {
      case "fit" -> {
        GaussianKde kde = fit.apply(in.get("dataset"));
        out.put("neff", kde.neff());
        out.put("covariance", kde.covariance());
        out.put("inv_cov", kde.invCov());
        out.put("weights", kde.weights());
      }
      case "evaluate" -> out.put("out", fit.apply(in.get("dataset")).evaluate(points));
      case "logpdf" -> out.put("out", label.endsWith("/jit")
          ? Transforms.jit((Array d, Array p) -> fit.apply(d).logpdf(p)).apply(in.get("dataset"), points)
          : fit.apply(in.get("dataset")).logpdf(points));
      case "integrate_box_1d" -> {
        DType dt = in.get("dataset").dtype();
        out.put("out", fit.apply(in.get("dataset")).integrateBox1d(Array.scalar(dt, c.args().path("low").asDouble()),
            Array.scalar(dt, c.args().path("high").asDouble())));
      }
      case "integrate_gaussian" -> out.put("out", fit.apply(in.get("dataset")).integrateGaussian(in.get("mean"),
          in.get("cov")));
      case "integrate_kde" -> out.put("out", fit.apply(in.get("dataset"))
          .integrateKde(fit(in.get("other"), c.args().path("other_bw").asText(), null)));
      case "resample" -> {
        int[] shape = new int[c.args().path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = c.args().path("shape").get(i).asInt();
        }
        out.put("out", fit.apply(in.get("dataset")).resample(Random.key(c.seed()), shape));
      }
      case "grad_logpdf" -> {
        Pair<Array, Array> g = Transforms.grad((Pair<Array, Array> t) -> fit.apply(t.first()).logpdf(t.second()).sum())
            .apply(Pair.of(in.get("dataset"), points));
        out.put("d0", g.first());
        out.put("d1", g.second());
      }
      default -> throw new IllegalArgumentException("StateLensJnp9Side has no gaussian_kde twin for " + c.name());
    }
    return out;
  }

  private static GaussianKde fit(Array data, String bw, Array weights) {
    return switch (bw) {
      case "scott", "silverman" -> GaussianKde.of(data, bw, weights);
      default -> GaussianKde.of(data, Double.parseDouble(bw), weights);
    };
  }

  /** {@code family.function} with {@code arity} positional arguments, as a function of the list. */
  private static Function<List<Array>, Array> stats(String name, int arity, Case c) {
    return switch (name + "/" + arity) {
      case "gumbel_l.logpdf/1" -> a -> Stats.GumbelL.logpdf(a.get(0));
      case "gumbel_l.cdf/1" -> a -> Stats.GumbelL.cdf(a.get(0));
      case "gumbel_l.ppf/1" -> a -> Stats.GumbelL.ppf(a.get(0));
      case "gumbel_l.logpdf/3" -> a -> Stats.GumbelL.logpdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.pdf/3" -> a -> Stats.GumbelL.pdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.logcdf/3" -> a -> Stats.GumbelL.logcdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.cdf/3" -> a -> Stats.GumbelL.cdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.logsf/3" -> a -> Stats.GumbelL.logsf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.sf/3" -> a -> Stats.GumbelL.sf(a.get(0), a.get(1), a.get(2));
      case "gumbel_l.ppf/3" -> a -> Stats.GumbelL.ppf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.logpdf/1" -> a -> Stats.GumbelR.logpdf(a.get(0));
      case "gumbel_r.cdf/1" -> a -> Stats.GumbelR.cdf(a.get(0));
      case "gumbel_r.ppf/1" -> a -> Stats.GumbelR.ppf(a.get(0));
      case "gumbel_r.logpdf/3" -> a -> Stats.GumbelR.logpdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.pdf/3" -> a -> Stats.GumbelR.pdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.logcdf/3" -> a -> Stats.GumbelR.logcdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.cdf/3" -> a -> Stats.GumbelR.cdf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.logsf/3" -> a -> Stats.GumbelR.logsf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.sf/3" -> a -> Stats.GumbelR.sf(a.get(0), a.get(1), a.get(2));
      case "gumbel_r.ppf/3" -> a -> Stats.GumbelR.ppf(a.get(0), a.get(1), a.get(2));
      case "pareto.logpdf/2" -> a -> Stats.Pareto.logpdf(a.get(0), a.get(1));
      case "pareto.ppf/2" -> a -> Stats.Pareto.ppf(a.get(0), a.get(1));
      case "pareto.logpdf/4" -> a -> Stats.Pareto.logpdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.pdf/4" -> a -> Stats.Pareto.pdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.cdf/4" -> a -> Stats.Pareto.cdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.logcdf/4" -> a -> Stats.Pareto.logcdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.sf/4" -> a -> Stats.Pareto.sf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.logsf/4" -> a -> Stats.Pareto.logsf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "pareto.ppf/4" -> a -> Stats.Pareto.ppf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gennorm.logpdf/2" -> a -> Stats.Gennorm.logpdf(a.get(0), a.get(1));
      case "gennorm.pdf/2" -> a -> Stats.Gennorm.pdf(a.get(0), a.get(1));
      case "gennorm.cdf/2" -> a -> Stats.Gennorm.cdf(a.get(0), a.get(1));
      case "wrapcauchy.logpdf/2" -> a -> Stats.Wrapcauchy.logpdf(a.get(0), a.get(1));
      case "wrapcauchy.pdf/2" -> a -> Stats.Wrapcauchy.pdf(a.get(0), a.get(1));
      case "betabinom.logpmf/4" -> a -> Stats.Betabinom.logpmf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "betabinom.logpmf/5" -> a -> Stats.Betabinom.logpmf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "betabinom.pmf/5" -> a -> Stats.Betabinom.pmf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "nbinom.logpmf/3" -> a -> Stats.Nbinom.logpmf(a.get(0), a.get(1), a.get(2));
      case "nbinom.logpmf/4" -> a -> Stats.Nbinom.logpmf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "nbinom.pmf/4" -> a -> Stats.Nbinom.pmf(a.get(0), a.get(1), a.get(2), a.get(3));
      default -> StateLensJnp9Special.function(name, arity, c);
    };
  }
}
