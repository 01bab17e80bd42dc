package dev.statelens.engine;

import dev.statelens.engine.JaxReference.Case;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The StateLens twins of {@code jax_reference.py}'s {@code jnp8/*} cases (session 14,
 * {@code bench/gpu/stats_reference.py}): {@link Stats} (a case's inputs are the function's
 * positional arguments in order; {@code jnp8/grad/...} is the gradient of the sum in each),
 * {@code Special.logsumexp} with weights and sign, the sorting pieces, and the Bessel functions
 * ({@code stats/special.i0e} etc.: the stats table runs {@link Special}'s one-argument functions).
 */
final class StateLensJnp8Side {
  private StateLensJnp8Side() {}

  static boolean handles(String fn) {
    return fn.startsWith("jnp8/");
  }

  static Map<String, Array> run(Case c, Map<String, Array> in) {
    String fn = c.fn().substring("jnp8/".length());
    String label = c.name().substring(c.fn().length());
    Map<String, Array> out = new LinkedHashMap<>();
    List<Array> args = new ArrayList<>(in.values());
    if (fn.startsWith("stats/")) {
      Function<List<Array>, Array> f = stats(fn.substring("stats/".length()), args.size(), c);
      if (label.startsWith("/jit")) {
        out.put("out", Transforms.jit((Array a, Array b, Array d) -> f.apply(List.of(a, b, d)))
            .apply(args.get(0), args.get(1), args.get(2)));
      } else if (label.startsWith("/vmap")) {
        out.put("out", Transforms.vmap((Array row) -> f.apply(List.of(row, args.get(1)))).apply(args.get(0)));
      } else {
        out.put("out", f.apply(args));
      }
      return out;
    }
    if (fn.startsWith("grad/") && fn.contains(".")) {
      Function<List<Array>, Array> f = stats(fn.substring("grad/".length()), args.size(), c);
      List<Array> g = Transforms.grad((List<Array> t) -> f.apply(t).sum()).apply(args);
      for (int i = 0; i < g.size(); i++) {
        out.put("d" + i, g.get(i));
      }
      return out;
    }
    int axis = c.args().path("axis").asInt();
    int[] axes = axis == -99 ? null : new int[] {axis};
    boolean keepDims = c.args().path("keepdims").asBoolean();
    switch (fn) {
      case "logsumexp" -> out.put("out", Special.logsumexp(in.get("a"), axes, in.get("b"), keepDims));
      case "logsumexp_sign" -> {
        Pair<Array, Array> r = Special.logsumexpWithSign(in.get("a"), axes, in.get("b"), keepDims);
        out.put("out", r.first());
        out.put("sign", r.second());
      }
      case "grad/logsumexp" -> {
        Pair<Array, Array> g = Transforms.grad(
            (Pair<Array, Array> p) -> Special.logsumexp(p.first(), axes, p.second(), keepDims).sum())
            .apply(Pair.of(in.get("a"), in.get("b")));
        out.put("da", g.first());
        out.put("db", g.second());
      }
      case "expm" -> out.put("out", Linalg.expm(in.get("a"), c.args().path("upper_triangular").asBoolean(false),
          c.args().path("max_squarings").asInt(16)));
      case "grad/expm" -> out.put("da", Transforms.grad((Array t) -> Linalg.expm(t).mul(in.get("w")).sum())
          .apply(in.get("a")));
      default -> {
        if (!StateLensJnp8Sorting.run(fn, label, c, in, out)) {
          throw new IllegalArgumentException("StateLensJnp8Side has no twin for " + c.name());
        }
      }
    }
    return out;
  }

  /** {@code family.function} with {@code arity} positional arguments, as a function of the list. */
  private static Function<List<Array>, Array> stats(String name, int arity, Case c) {
    return switch (name + "/" + arity) {
      case "special.i0e/1" -> a -> Special.i0e(a.get(0));
      case "special.i1e/1" -> a -> Special.i1e(a.get(0));
      case "special.i0/1" -> a -> Special.i0(a.get(0));
      case "special.i1/1" -> a -> Special.i1(a.get(0));
      case "vonmises.logpdf/2" -> a -> Stats.VonMises.logpdf(a.get(0), a.get(1));
      case "vonmises.pdf/2" -> a -> Stats.VonMises.pdf(a.get(0), a.get(1));
      case "norm.logpdf/1" -> a -> Stats.Norm.logpdf(a.get(0));
      case "norm.cdf/1" -> a -> Stats.Norm.cdf(a.get(0));
      case "norm.logcdf/1" -> a -> Stats.Norm.logcdf(a.get(0));
      case "norm.logpdf/3" -> a -> Stats.Norm.logpdf(a.get(0), a.get(1), a.get(2));
      case "norm.pdf/3" -> a -> Stats.Norm.pdf(a.get(0), a.get(1), a.get(2));
      case "norm.cdf/3" -> a -> Stats.Norm.cdf(a.get(0), a.get(1), a.get(2));
      case "norm.logcdf/3" -> a -> Stats.Norm.logcdf(a.get(0), a.get(1), a.get(2));
      case "norm.sf/3" -> a -> Stats.Norm.sf(a.get(0), a.get(1), a.get(2));
      case "norm.logsf/3" -> a -> Stats.Norm.logsf(a.get(0), a.get(1), a.get(2));
      case "norm.ppf/3" -> a -> Stats.Norm.ppf(a.get(0), a.get(1), a.get(2));
      case "norm.isf/3" -> a -> Stats.Norm.isf(a.get(0), a.get(1), a.get(2));
      case "logistic.logpdf/3" -> a -> Stats.Logistic.logpdf(a.get(0), a.get(1), a.get(2));
      case "logistic.pdf/3" -> a -> Stats.Logistic.pdf(a.get(0), a.get(1), a.get(2));
      case "logistic.cdf/3" -> a -> Stats.Logistic.cdf(a.get(0), a.get(1), a.get(2));
      case "logistic.sf/3" -> a -> Stats.Logistic.sf(a.get(0), a.get(1), a.get(2));
      case "logistic.ppf/3" -> a -> Stats.Logistic.ppf(a.get(0), a.get(1), a.get(2));
      case "logistic.isf/3" -> a -> Stats.Logistic.isf(a.get(0), a.get(1), a.get(2));
      case "laplace.logpdf/3" -> a -> Stats.Laplace.logpdf(a.get(0), a.get(1), a.get(2));
      case "laplace.pdf/3" -> a -> Stats.Laplace.pdf(a.get(0), a.get(1), a.get(2));
      case "laplace.cdf/3" -> a -> Stats.Laplace.cdf(a.get(0), a.get(1), a.get(2));
      case "cauchy.logpdf/3" -> a -> Stats.Cauchy.logpdf(a.get(0), a.get(1), a.get(2));
      case "cauchy.pdf/3" -> a -> Stats.Cauchy.pdf(a.get(0), a.get(1), a.get(2));
      case "cauchy.cdf/3" -> a -> Stats.Cauchy.cdf(a.get(0), a.get(1), a.get(2));
      case "cauchy.logcdf/3" -> a -> Stats.Cauchy.logcdf(a.get(0), a.get(1), a.get(2));
      case "cauchy.sf/3" -> a -> Stats.Cauchy.sf(a.get(0), a.get(1), a.get(2));
      case "cauchy.logsf/3" -> a -> Stats.Cauchy.logsf(a.get(0), a.get(1), a.get(2));
      case "cauchy.ppf/3" -> a -> Stats.Cauchy.ppf(a.get(0), a.get(1), a.get(2));
      case "cauchy.isf/3" -> a -> Stats.Cauchy.isf(a.get(0), a.get(1), a.get(2));
      case "expon.logpdf/3" -> a -> Stats.Expon.logpdf(a.get(0), a.get(1), a.get(2));
      case "expon.pdf/3" -> a -> Stats.Expon.pdf(a.get(0), a.get(1), a.get(2));
      case "expon.cdf/3" -> a -> Stats.Expon.cdf(a.get(0), a.get(1), a.get(2));
      case "expon.logcdf/3" -> a -> Stats.Expon.logcdf(a.get(0), a.get(1), a.get(2));
      case "expon.sf/3" -> a -> Stats.Expon.sf(a.get(0), a.get(1), a.get(2));
      case "expon.logsf/3" -> a -> Stats.Expon.logsf(a.get(0), a.get(1), a.get(2));
      case "expon.ppf/3" -> a -> Stats.Expon.ppf(a.get(0), a.get(1), a.get(2));
      case "uniform.logpdf/3" -> a -> Stats.Uniform.logpdf(a.get(0), a.get(1), a.get(2));
      case "uniform.pdf/3" -> a -> Stats.Uniform.pdf(a.get(0), a.get(1), a.get(2));
      case "uniform.cdf/3" -> a -> Stats.Uniform.cdf(a.get(0), a.get(1), a.get(2));
      case "uniform.ppf/3" -> a -> Stats.Uniform.ppf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.logpdf/3" -> a -> Stats.Truncnorm.logpdf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.logpdf/5" -> a -> Stats.Truncnorm.logpdf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "truncnorm.pdf/3" -> a -> Stats.Truncnorm.pdf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.logcdf/3" -> a -> Stats.Truncnorm.logcdf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.cdf/3" -> a -> Stats.Truncnorm.cdf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.logsf/3" -> a -> Stats.Truncnorm.logsf(a.get(0), a.get(1), a.get(2));
      case "truncnorm.sf/3" -> a -> Stats.Truncnorm.sf(a.get(0), a.get(1), a.get(2));
      case "t.logpdf/2" -> a -> Stats.T.logpdf(a.get(0), a.get(1));
      case "t.logpdf/4" -> a -> Stats.T.logpdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "t.pdf/4" -> a -> Stats.T.pdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.logpdf/2" -> a -> Stats.Gamma.logpdf(a.get(0), a.get(1));
      case "gamma.cdf/2" -> a -> Stats.Gamma.cdf(a.get(0), a.get(1));
      case "gamma.logpdf/4" -> a -> Stats.Gamma.logpdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.pdf/4" -> a -> Stats.Gamma.pdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.cdf/4" -> a -> Stats.Gamma.cdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.logcdf/4" -> a -> Stats.Gamma.logcdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.sf/4" -> a -> Stats.Gamma.sf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "gamma.logsf/4" -> a -> Stats.Gamma.logsf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.logpdf/2" -> a -> Stats.Chi2.logpdf(a.get(0), a.get(1));
      case "chi2.logpdf/4" -> a -> Stats.Chi2.logpdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.pdf/4" -> a -> Stats.Chi2.pdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.cdf/4" -> a -> Stats.Chi2.cdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.logcdf/4" -> a -> Stats.Chi2.logcdf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.sf/4" -> a -> Stats.Chi2.sf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "chi2.logsf/4" -> a -> Stats.Chi2.logsf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "beta.logpdf/3" -> a -> Stats.Beta.logpdf(a.get(0), a.get(1), a.get(2));
      case "beta.logpdf/5" -> a -> Stats.Beta.logpdf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "beta.pdf/5" -> a -> Stats.Beta.pdf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "beta.cdf/5" -> a -> Stats.Beta.cdf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "beta.logcdf/5" -> a -> Stats.Beta.logcdf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "beta.sf/5" -> a -> Stats.Beta.sf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "beta.logsf/5" -> a -> Stats.Beta.logsf(a.get(0), a.get(1), a.get(2), a.get(3), a.get(4));
      case "poisson.logpmf/2" -> a -> Stats.Poisson.logpmf(a.get(0), a.get(1));
      case "poisson.logpmf/3" -> a -> Stats.Poisson.logpmf(a.get(0), a.get(1), a.get(2));
      case "poisson.pmf/3" -> a -> Stats.Poisson.pmf(a.get(0), a.get(1), a.get(2));
      case "poisson.cdf/3" -> a -> Stats.Poisson.cdf(a.get(0), a.get(1), a.get(2));
      case "bernoulli.logpmf/2" -> a -> Stats.Bernoulli.logpmf(a.get(0), a.get(1));
      case "bernoulli.logpmf/3" -> a -> Stats.Bernoulli.logpmf(a.get(0), a.get(1), a.get(2));
      case "bernoulli.pmf/3" -> a -> Stats.Bernoulli.pmf(a.get(0), a.get(1), a.get(2));
      case "bernoulli.cdf/2" -> a -> Stats.Bernoulli.cdf(a.get(0), a.get(1));
      case "bernoulli.ppf/2" -> a -> Stats.Bernoulli.ppf(a.get(0), a.get(1));
      case "binom.logpmf/3" -> a -> Stats.Binom.logpmf(a.get(0), a.get(1), a.get(2));
      case "binom.logpmf/4" -> a -> Stats.Binom.logpmf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "binom.pmf/4" -> a -> Stats.Binom.pmf(a.get(0), a.get(1), a.get(2), a.get(3));
      case "geom.logpmf/2" -> a -> Stats.Geom.logpmf(a.get(0), a.get(1));
      case "geom.logpmf/3" -> a -> Stats.Geom.logpmf(a.get(0), a.get(1), a.get(2));
      case "geom.pmf/3" -> a -> Stats.Geom.pmf(a.get(0), a.get(1), a.get(2));
      case "multinomial.logpmf/3" -> a -> Stats.Multinomial.logpmf(a.get(0), a.get(1), a.get(2));
      case "dirichlet.logpdf/2" -> a -> Stats.Dirichlet.logpdf(a.get(0), a.get(1));
      case "multivariate_normal.logpdf/3" -> a -> Stats.MultivariateNormal.logpdf(a.get(0), a.get(1), a.get(2));
      default -> throw new IllegalArgumentException("StateLensJnp8Side has no Stats twin for " + name + " with "
          + arity + " arguments (" + c.name() + ")");
    };
  }
}
