package dev.statelens.engine;

import java.util.List;
import java.util.function.Function;

/**
 * Kummer's confluent hypergeometric function {@code 1F1(a; b; x)} behind {@link Special#hyp1f1},
 * as JAX 0.10.2 computes it (Pearson, Olver and Porter 2014): the Taylor series for
 * {@code |x| < 100}, the asymptotic series {@code Gamma(b)/Gamma(a) e^x x^(a-b) sum_k ...} from
 * 100, each at most 250 terms and stopping once a term is below eps of the sum, element by element
 * ({@link ElementwiseWhile}: JAX's {@code lax.cond} and {@code while_loop} under
 * {@code jnp.vectorize}); then 1 where a = 0, {@code e^x} where a = b != 0, inf where b = 0 != a.
 * The arithmetic is JAX's, in the arguments' dtype. Derivatives are JAX's custom JVP: the series
 * of {@code d/da} and {@code d/db} (digamma differences) and {@code d/dx = a/b 1F1(a+1; b+1; x)}.
 */
final class Hypergeometric1F1 {
  private Hypergeometric1F1() {}

  /** The most terms JAX's loops take. */
  private static final int MAX_TERMS = 250;

  static Array hyp1f1(Array a, Array b, Array x) {
    return HYP1F1.apply(List.of(a, b, x));
  }

  private static final Function<List<Array>, Array> A_DERIVATIVE = loopSeries("a", true);
  private static final Function<List<Array>, Array> B_DERIVATIVE = loopSeries("b", false);

  /** JAX's {@code defjvps}: the three partial derivatives times their tangents, summed. */
  private static final Function<List<Array>, Array> HYP1F1 = Transforms.customJvp(
      (List<Array> p) -> value(p.get(0), p.get(1), p.get(2)),
      (List<Array> p, List<Array> t) -> {
        Array a = p.get(0);
        Array b = p.get(1);
        Array x = p.get(2);
        Array inA = A_DERIVATIVE.apply(p).mul(t.get(0));
        Array inB = B_DERIVATIVE.apply(p).mul(t.get(1));
        Array inX = a.div(b).mul(hyp1f1(a.add(1.0), b.add(1.0), x)).mul(t.get(2));
        return Pair.of(value(a, b, x), inA.add(inB).add(inX));
      });

  /**
   * The a- or b-derivative series as a function grad cannot go through: JAX's is a while loop, so
   * its second derivatives in a and b raise an error in JAX too (reverse mode through while_loop);
   * here the backward pass says so rather than silently dropping the loop's own derivative.
   */
  private static Function<List<Array>, Array> loopSeries(String argument, boolean inA) {
    Function<List<Array>, Array> f = p -> derivative(p.get(0).stopGradient(), p.get(1).stopGradient(),
        p.get(2).stopGradient(), inA);
    return Transforms.customVjp(f, (List<Array> p) -> Pair.of(f.apply(p), List.<Array>of()),
        (List<Array> residuals, Array g) -> {
          throw new UnsupportedOperationException("hyp1f1: the derivative in " + argument + " is a while-loop series "
              + "(as JAX's _hyp1f1_" + argument + "_derivative), which reverse mode cannot differentiate again (JAX "
              + "raises too); take second derivatives in x only, or by finite differences of grad");
        });
  }

  private static Array value(Array a0, Array b0, Array x0) {
    // the value is never differentiated (the custom JVP gives the derivative), and grad refuses while loops
    Array a = a0.stopGradient();
    Array b = b0.stopGradient();
    Array x = x0.stopGradient();
    Array small = x.abs().lt(100);
    // each series gets its own elements; the others a value whose first term is 0, ending the loop
    Array series = series(a, b, Array.where(small, x, 0.0));
    Array asymptotic = asymptotic(a, b, Array.where(small, Double.POSITIVE_INFINITY, x));
    Array result = Array.where(small, series, asymptotic);
    Array aZero = a.eq(0);
    Array aNonZero = aZero.logicalNot();
    // JAX's select_n index (a == 0) + 2 (a == b != 0) + 3 (b == 0 != a): at most one of them holds
    return Array.select(List.of(aZero, a.eq(b).logicalAnd(aNonZero), b.eq(0).logicalAnd(aNonZero)),
        List.of(Array.onesLike(x), x.exp(), Array.full(x.dtype(), x.shape(), Double.POSITIVE_INFINITY)), result);
  }

  /** {@code _hyp1f1_serie}: {@code sum_k (a)_k / (b)_k x^k / k!}. */
  private static Array series(Array a, Array b, Array x) {
    double eps = RandomSampler.eps(x.dtype());
    List<Array> end = ElementwiseWhile.run(c -> c.get(1).lt(MAX_TERMS).logicalAnd(c.get(2).abs().div(c.get(0).abs()).gt(eps)),
        c -> {
          Array k = c.get(1);
          Array term = c.get(2).mul(a.add(k).div(b.add(k)).mul(x).div(k.add(1.0)));
          return List.of(c.get(0).add(c.get(2)), k.add(1.0), term);
        }, List.of(Array.onesLike(x), Array.onesLike(x), a.div(b).mul(x)));
    return end.get(0);
  }

  /** {@code _hyp1f1_asymptotic}: {@code Gamma(b)/Gamma(a) e^x x^(a-b) sum_k (b-a)_k (1-a)_k / k! x^-k}. */
  private static Array asymptotic(Array a, Array b, Array x) {
    double eps = RandomSampler.eps(x.dtype());
    Array bMinusA = b.sub(a);
    Array oneMinusA = a.rsub(1.0);
    List<Array> end = ElementwiseWhile.run(c -> c.get(1).lt(MAX_TERMS).logicalAnd(c.get(2).abs().div(c.get(0).abs()).gt(eps)),
        c -> {
          Array k = c.get(1);
          Array term = c.get(2).mul(bMinusA.add(k).mul(oneMinusA.add(k)).div(k.add(1.0)).div(x));
          return List.of(c.get(0).add(c.get(2)), k.add(1.0), term);
        }, List.of(Array.onesLike(x), Array.onesLike(x), bMinusA.mul(oneMinusA).div(x)));
    return Special.gamma(b).div(Special.gamma(a)).mul(x.exp()).mul(x.pow(a.sub(b))).mul(end.get(0));
  }

  /**
   * {@code _hyp1f1_a_derivative} ({@code inA}) or {@code _hyp1f1_b_derivative}: the series with each
   * term times {@code digamma(a + k) - digamma(a)} (or {@code digamma(b) - digamma(b + k)}), from 0.
   */
  private static Array derivative(Array a, Array b, Array x, boolean inA) {
    double eps = RandomSampler.eps(x.dtype());
    Array digammaA = Special.digamma(a);
    Array digammaB = Special.digamma(b);
    List<Array> end = ElementwiseWhile.run(c -> c.get(1).lt(MAX_TERMS).logicalAnd(c.get(2).abs().div(c.get(0).abs()).gt(eps)),
        c -> {
          Array k = c.get(1);
          Array weight = inA ? Special.digamma(a.add(k)).sub(digammaA) : digammaB.sub(Special.digamma(b.add(k)));
          Array term = c.get(2).mul(a.add(k).div(b.add(k)).mul(x).div(k.add(1.0)));
          return List.of(c.get(0).add(c.get(2).mul(weight)), k.add(1.0), term);
        }, List.of(Array.zerosLike(x), Array.onesLike(x), a.div(b).mul(x)));
    return end.get(0);
  }
}
