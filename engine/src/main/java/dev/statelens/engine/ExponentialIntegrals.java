package dev.statelens.engine;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The exponential integrals behind {@link Special#expi}, {@link Special#exp1} and
 * {@link Special#expn}: JAX 0.10.2's port of Cephes' {@code ei.c} and {@code expn.c}
 * ({@code jax/_src/scipy/special.py}), the same operations in the argument's dtype. expi: seven
 * rational approximations on {@code (0, 2], (2, 4], ..., (32, 64]} and above, {@code -exp1(-x)}
 * for negative x. expn: the power series (x <= 1), the continued fraction (x > 1) and the
 * large-n expansion (n >= 5000), chosen as {@code jnp.piecewise} chooses (the last condition
 * that holds wins). Each of expn's loops runs element by element ({@link ElementwiseWhile}), and
 * elements another branch owns enter a loop with a value that ends it at once: JAX's
 * {@code jnp.piecewise} runs every branch on every element, so its continued fraction crawls on a
 * tiny x that the series owns ({@code exp1(1e-30)} did not return in 10 minutes); the values are
 * the same, only the wasted iterations are gone. Derivatives are JAX's custom JVPs:
 * {@code expi' = exp(x)/x}, {@code d expn(n, x)/dx = -expn(n-1, x)}, none in n (JAX's
 * {@code nondiff_argnums}: its gradient in n is 0).
 */
final class ExponentialIntegrals {
  private ExponentialIntegrals() {}

  private static final double EULER_GAMMA = 0.5772156649015329;

  /** {@code expi(x)} for a real float x. */
  static Array expi(Array x) {
    return EXPI.apply(x);
  }

  /** {@code expn(n, x)}, n and x of one real float dtype and shape. */
  static Array expn(Array n, Array x) {
    return EXPN.apply(n, x);
  }

  private static final Function<Array, Array> EXPI = Transforms.customJvp(
      ExponentialIntegrals::expiValue,
      (Array x, Array dx) -> Pair.of(expiValue(x), x.exp().div(x).mul(dx)));

  private static final BiFunction<Array, Array, Array> EXPN = Transforms.customJvp(
      ExponentialIntegrals::expnValue,
      (Array n, Array x, Array dn, Array dx) ->
          Pair.of(expnValue(n, x), dx.neg().mul(expn(n.sub(1.0), x))));

  // ---- expi ----------------------------------------------------------------------------------

  private static Array expiValue(Array input) {
    // the value is never differentiated (the custom JVP gives the derivative), and grad refuses while loops
    Array x = input.stopGradient();
    Array negative = x.lt(0);
    // -exp1(-x) on the negatives; elsewhere expn sees a negative argument and answers NaN at once
    Array neg = expnValue(Array.onesLike(x), x.neg()).neg();
    return Array.where(negative, neg, expiPositive(x));
  }

  /** {@code _expi_pos}: the interval's rational approximation; above 64 (and at 0, NaN, inf) {@code _expint7}. */
  private static Array expiPositive(Array x) {
    Array result = expintLarge(E7_A, E7_B, x);
    Array[] values = {expint1(x), expintLarge(E2_A, E2_B, x), expintLarge(E3_A, E3_B, x),
        expintLarge(E4_A, E4_B, x), expintLarge(E5_A, E5_B, x), expintLarge(E6_A, E6_B, x)};
    double lo = 0;
    double hi = 2;
    for (Array v : values) {
      result = Array.where(x.gt(lo).logicalAnd(x.le(hi)), v, result);
      lo = hi;
      hi *= 2;
    }
    return result;
  }

  /** {@code _expint1}, 0 < x <= 2: {@code x P(x)/Q(x) + euler_gamma + log(x)}. */
  private static Array expint1(Array x) {
    Array f = Special.polyval(E1_A, x).div(Special.polyval(E1_B, x));
    return x.mul(f).add(Array.scalar(x.dtype(), EULER_GAMMA)).add(x.log());
  }

  /** {@code _eval_expint_k}: {@code exp(x) w (1 + w P(w)/Q(w))} with {@code w = 1/x}. */
  private static Array expintLarge(double[] a, double[] b, Array x) {
    Array w = x.rdiv(1.0);
    Array f = Special.polyval(a, w).div(Special.polyval(b, w));
    f = w.mul(f).add(1.0);
    return x.exp().mul(w).mul(f);
  }

  // ---- expn ----------------------------------------------------------------------------------

  /**
   * {@code expn}'s {@code jnp.piecewise}: NaN where n < 0 or x < 0, inf at x = 0 with n < 2, 1/n at
   * x = 0 with n >= 2, {@code exp(-x)/x} at n = 0, the large-n expansion from n = 5000, the
   * continued fraction above x = 1, else the series; where several hold, the last.
   */
  private static Array expnValue(Array order, Array input) {
    // the value is never differentiated (the custom JVP gives the derivative), and grad refuses while loops
    Array n = order.stopGradient();
    Array x = input.stopGradient();
    DType dt = x.dtype();
    Array zero = Array.scalar(dt, 0);
    Array[] conds = {n.lt(0).logicalOr(x.lt(0)), x.eq(zero).logicalAnd(n.lt(2)), x.eq(zero).logicalAnd(n.ge(2)),
        n.eq(0).logicalAnd(x.ge(zero)), n.ge(5000), x.gt(1)};
    Array n1 = Array.where(n.eq(1), n.add(n), n);
    Array taken = Array.zerosLike(x).astype(DType.BOOL); // a later condition holds
    Array[] owns = new Array[conds.length];
    for (int i = conds.length - 1; i >= 0; i--) {
      owns[i] = conds[i].logicalAnd(taken.logicalNot());
      taken = taken.logicalOr(conds[i]);
    }
    Array seriesOwns = taken.logicalNot();
    // each loop gets its own elements; the others a value that ends the loop at its first test
    Array series = expnSeries(Array.where(seriesOwns, x, 0.5), Array.where(seriesOwns, n, 1.0));
    Array fraction = expnContinuedFraction(Array.where(owns[5], x, 0.0), Array.where(owns[5], n, 1.0));
    Array[] values = {Array.scalar(dt, Double.NaN).broadcastTo(x.shape()),
        Array.scalar(dt, Double.POSITIVE_INFINITY).broadcastTo(x.shape()), n1.rdiv(1.0), x.neg().exp().div(x),
        expnLargeN(x, n), fraction};
    Array result = series;
    for (int i = 0; i < values.length; i++) {
      result = Array.where(conds[i], values[i], result);
    }
    return result;
  }

  /** {@code _expn1}: the power series with the digamma term, for 0 < x <= 1. */
  private static Array expnSeries(Array x, Array n) {
    DType dt = x.dtype();
    double eps = RandomSampler.eps(dt);
    Array one = Array.onesLike(x);
    Array zero = Array.zerosLike(x);
    // psi(n) = -euler_gamma - log(x) + sum_{i=1}^{n-1} 1/i: fori_loop(1, n) over float bounds
    Array psi0 = Array.scalar(dt, -EULER_GAMMA).sub(x.log());
    List<Array> psiLoop = ElementwiseWhile.run(c -> c.get(0).lt(n),
        c -> List.of(c.get(0).add(1.0), c.get(1).add(c.get(0).rdiv(1.0))), List.of(one, psi0));
    Array psi = psiLoop.get(1);
    Array isOne = n.eq(1);
    Array n1 = Array.where(isOne, one.add(one), n);
    Array ans0 = Array.where(isOne, zero, n1.rsub(1.0).rdiv(1.0));
    Array z = x.neg();
    // carry: xk, yk, pk, ans, t
    List<Array> end = ElementwiseWhile.run(c -> x.gt(0).logicalAnd(c.get(4).gt(eps)), c -> {
      Array xk = c.get(0).add(1.0);
      Array yk = c.get(1).mul(z.div(xk));
      Array pk = c.get(2).add(1.0);
      Array ans = c.get(3).add(Array.where(pk.ne(0), yk.div(pk), 0.0));
      Array t = Array.where(ans.ne(0), yk.div(ans).abs(), 1.0);
      return List.of(xk, yk, pk, ans, t);
    }, List.of(zero, one, n.rsub(1.0), ans0, Array.full(dt, x.shape(), Double.POSITIVE_INFINITY)));
    Array r = n.sub(1.0);
    return z.pow(r).mul(psi).div(Special.gammaln(n).exp()).sub(end.get(3));
  }

  /** {@code _expn2}: the continued fraction, for x > 1 (rescaled by 2^57 when it grows). */
  private static Array expnContinuedFraction(Array x, Array n) {
    DType dt = x.dtype();
    double eps = RandomSampler.eps(dt);
    double big = 1.44115188075855872e17;
    Array one = Array.onesLike(x);
    Array xn = x.add(n);
    // carry: k, pkm2, qkm2, pkm1, qkm1, ans, t, r
    List<Array> init = List.of(one, one, x, one, xn, xn.rdiv(1.0),
        Array.full(dt, x.shape(), Double.POSITIVE_INFINITY), Array.zerosLike(x));
    List<Array> end = ElementwiseWhile.run(c -> x.gt(0).logicalAnd(c.get(6).gt(eps)), c -> {
      Array k = c.get(0).add(1.0);
      Array odd = k.rem(2.0).eq(1.0);
      Array yk = Array.where(odd, one, x);
      Array xk = Array.where(odd, n.add(k.sub(1.0).div(2.0)), k.div(2.0));
      Array pk = c.get(3).mul(yk).add(c.get(1).mul(xk));
      Array qk = c.get(4).mul(yk).add(c.get(2).mul(xk));
      Array nz = qk.ne(0);
      Array r = Array.where(nz, pk.div(qk), c.get(7));
      Array t = Array.where(nz, c.get(5).sub(r).div(r).abs(), 1.0);
      Array ans = Array.where(nz, r, c.get(5));
      Array isBig = pk.abs().gt(big);
      Array pkm2 = Array.where(isBig, c.get(3).div(big), c.get(3));
      Array pkm1 = Array.where(isBig, pk.div(big), pk);
      Array qkm2 = Array.where(isBig, c.get(4).div(big), c.get(4));
      Array qkm1 = Array.where(isBig, qk.div(big), qk);
      return List.of(k, pkm2, qkm2, pkm1, qkm1, ans, t, r);
    }, init);
    return end.get(5).mul(x.neg().exp());
  }

  /** {@code _expn3}: the expansion in 1/(x + n)^2 for n >= 5000. */
  private static Array expnLargeN(Array x, Array n) {
    Array xk = x.add(n);
    Array yk = xk.mul(xk).rdiv(1.0);
    Array t = n;
    Array ans = yk.mul(t).mul(x.mul(6.0).mul(x).sub(t.mul(8.0).mul(x)).add(t.mul(t)));
    ans = yk.mul(ans.add(t.mul(t.sub(x.mul(2.0)))));
    ans = yk.mul(ans.add(t));
    return ans.add(1.0).mul(x.neg().exp()).div(xk);
  }

  // ---- Cephes ei.c's coefficients (JAX's _expint1 .. _expint7) --------------------------------

  private static final double[] E1_A = {-5.350447357812542947283e0, 2.185049168816613393830e2,
    -4.176572384826693777058e3, 5.541176756393557601232e4, -3.313381331178144034309e5, 1.592627163384945414220e6};
  private static final double[] E1_B = {1.0, -5.250547959112862969197e1, 1.259616186786790571525e3,
    -1.756549581973534652631e4, 1.493062117002725991967e5, -7.294949239640527645655e5, 1.592627163384945429726e6};
  private static final double[] E2_A = {1.981808503259689673238e-2, -1.271645625984917501326e0,
    -2.088160335681228318920e0, 2.755544509187936721172e0, -4.409507048701600257171e-1, 4.665623805935891391017e-2,
    -1.545042679673485262580e-3, 7.059980605299617478514e-5};
  private static final double[] E2_B = {1.0, 1.476498670914921440652e0, 5.629177174822436244827e-1,
    1.699017897879307263248e-1, 2.291647179034212017463e-2, 4.450150439728752875043e-3, 1.727439612206521482874e-4,
    3.953167195549672482304e-5};
  private static final double[] E3_A = {-1.373215375871208729803e0, -7.084559133740838761406e-1,
    1.580806855547941010501e0, -2.601500427425622944234e-1, 2.994674694113713763365e-2, -1.038086040188744005513e-3,
    4.371064420753005429514e-5, 2.141783679522602903795e-6};
  private static final double[] E3_B = {1.0, 8.585231423622028380768e-1, 4.483285822873995129957e-1,
    7.687932158124475434091e-2, 2.449868241021887685904e-2, 8.832165941927796567926e-4, 4.590952299511353531215e-4,
    -4.729848351866523044863e-6, 2.665195537390710170105e-6};
  private static final double[] E4_A = {-2.106934601691916512584e0, 1.732733869664688041885e0,
    -2.423619178935841904839e-1, 2.322724180937565842585e-2, 2.372880440493179832059e-4, -8.343219561192552752335e-5,
    1.363408795605250394881e-5, -3.655412321999253963714e-7, 1.464941733975961318456e-8, 6.176407863710360207074e-10};
  private static final double[] E4_B = {1.0, -2.298062239901678075778e-1, 1.105077041474037862347e-1,
    -1.566542966630792353556e-2, 2.761106850817352773874e-3, -2.089148012284048449115e-4, 1.708528938807675304186e-5,
    -4.459311796356686423199e-7, 1.394634930353847498145e-8, 6.150865933977338354138e-10};
  private static final double[] E5_A = {-2.458119367674020323359e-1, -1.483382253322077687183e-1,
    7.248291795735551591813e-2, -1.348315687380940523823e-2, 1.342775069788636972294e-3, -7.942465637159712264564e-5,
    2.644179518984235952241e-6, -4.239473659313765177195e-8};
  private static final double[] E5_B = {1.0, -1.044225908443871106315e-1, -2.676453128101402655055e-1,
    9.695000254621984627876e-2, -1.601745692712991078208e-2, 1.496414899205908021882e-3, -8.462452563778485013756e-5,
    2.728938403476726394024e-6, -4.239462431819542051337e-8};
  private static final double[] E6_A = {1.212561118105456670844e-1, -5.823133179043894485122e-1,
    2.348887314557016779211e-1, -3.040034318113248237280e-2, 1.510082146865190661777e-3, -2.523137095499571377122e-5};
  private static final double[] E6_B = {1.0, -1.002252150365854016662e0, 2.928709694872224144953e-1,
    -3.337004338674007801307e-2, 1.560544881127388842819e-3, -2.523137093603234562648e-5};
  private static final double[] E7_A = {-7.657847078286127362028e-1, 6.886192415566705051750e-1,
    -2.132598113545206124553e-1, 3.346107552384193813594e-2, -3.076541477344756050249e-3, 1.747119316454907477380e-4,
    -6.103711682274170530369e-6, 1.218032765428652199087e-7, -1.086076102793290233007e-9};
  private static final double[] E7_B = {1.0, -1.888802868662308731041e0, 1.066691687211408896850e0,
    -2.751915982306380647738e-1, 3.930852688233823569726e-2, -3.414684558602365085394e-3, 1.866844370703555398195e-4,
    -6.345146083130515357861e-6, 1.239754287483206878024e-7, -1.086076102793126632978e-9};
}
