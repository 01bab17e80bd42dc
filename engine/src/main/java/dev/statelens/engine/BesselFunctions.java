package dev.statelens.engine;

import java.util.function.Function;

/**
 * The exponentially scaled modified Bessel functions {@code lax.bessel_i0e} and
 * {@code lax.bessel_i1e} behind {@link Special#i0e}, {@link Special#i1e}, {@link Special#i0},
 * {@link Special#i1} and {@link Stats.VonMises}. JAX 0.10.2 lowers i0e with
 * {@code jax/_src/lax/special.py}'s {@code _i0e_impl32/_i0e_impl64} and i1e with XLA's CHLO
 * {@code bessel_i1e}: both Cephes' Chebyshev series on {@code [0, 8]} and {@code (8, inf)} (the
 * f32 tables are the f64 tables' tails). This class evaluates the same series with the same
 * operations in the same dtype (F16/BF16 upcast to F32 and back, as JAX), and gives each function
 * JAX's own derivative ({@code ad.defjvp2}) rather than the series' derivative.
 */
final class BesselFunctions {
  private BesselFunctions() {}

  /** Cephes i0e, {@code exp(-x) I0(x)} on [0, 8] in {@code x/2 - 2}. The f32 series is the last 18. */
  private static final double[] I0E_A = {
      -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
      1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
      -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
      9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
      -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
      1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
      -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
      1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
      -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
      1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1};

  /** Cephes i0e, {@code exp(-x) sqrt(x) I0(x)} on (8, inf) in {@code 32/x - 2}. The f32 series is the last 7. */
  private static final double[] I0E_B = {
      -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
      3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
      1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
      -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
      7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
      -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
      3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
      2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
      8.04490411014108831608E-1};

  /** Cephes i1e, {@code exp(-x) I1(x) / x} on [0, 8]. The f32 series is the last 17. */
  private static final double[] I1E_A = {
      2.77791411276104639959E-18, -2.11142121435816608115E-17, 1.55363195773620046921E-16,
      -1.10559694773538630805E-15, 7.60068429473540693410E-15, -5.04218550472791168711E-14,
      3.22379336594557470981E-13, -1.98397439776494371520E-12, 1.17361862988909016308E-11,
      -6.66348972350202774223E-11, 3.62559028155211703701E-10, -1.88724975172282928790E-9,
      9.38153738649577178388E-9, -4.44505912879632808065E-8, 2.00329475355213526229E-7,
      -8.56872026469545474066E-7, 3.47025130813767847674E-6, -1.32731636560394358279E-5,
      4.78156510755005422638E-5, -1.61760815825896745588E-4, 5.12285956168575772895E-4,
      -1.51357245063125314899E-3, 4.15642294431288815669E-3, -1.05640848946261981558E-2,
      2.47264490306265168283E-2, -5.29459812080949914269E-2, 1.02643658689847095384E-1,
      -1.76416518357834055153E-1, 2.52587186443633654823E-1};

  /** Cephes i1e, {@code exp(-x) sqrt(x) I1(x)} on (8, inf). The f32 series is the last 7. */
  private static final double[] I1E_B = {
      7.51729631084210481353E-18, 4.41434832307170791151E-18, -4.65030536848935832153E-17,
      -3.20952592199342395980E-17, 2.96262899764595013876E-16, 3.30820231092092828324E-16,
      -1.88035477551078244854E-15, -3.81440307243700780478E-15, 1.04202769841288027642E-14,
      4.27244001671195135429E-14, -2.10154184277266431302E-14, -4.08355111109219731823E-13,
      -7.19855177624590851209E-13, 2.03562854414708950722E-12, 1.41258074366137813316E-11,
      3.25260358301548823856E-11, -1.89749581235054123450E-11, -5.58974346219658380687E-10,
      -3.83538038596423702205E-9, -2.63146884688951950684E-8, -2.51223623787020892529E-7,
      -3.88256480887769039346E-6, -1.10588938762623716291E-4, -9.76109749136146840777E-3,
      7.78576235018280120474E-1};

  /** {@code bessel_i0e(x)}, x already of a float dtype. */
  static Array i0e(Array x) {
    return I0E.apply(x);
  }

  /** {@code bessel_i1e(x)}, x already of a float dtype. */
  static Array i1e(Array x) {
    return I1E.apply(x);
  }

  /** JAX: {@code ad.defjvp2(bessel_i0e_p, lambda g, y, x: g * (bessel_i1e(x) - sign(x) * y))}. */
  private static final Function<Array, Array> I0E = Transforms.customJvp(
      BesselFunctions::i0eSeries,
      (Array x, Array t) -> {
        Array y = i0eSeries(x);
        return Pair.of(y, t.mul(i1e(x).sub(x.sign().mul(y))));
      });

  /**
   * JAX's {@code _bessel_i1e_jvp}: {@code i0e(x) - y (sign(x) + 1/x)}, with x clamped to eps and
   * the derivative 1/2 where {@code |x| <= eps} (the limit; 1/x would overflow).
   */
  private static final Function<Array, Array> I1E = Transforms.customJvp(
      BesselFunctions::i1eSeries,
      (Array x, Array t) -> {
        Array y = i1eSeries(x);
        double eps = RandomSampler.eps(x.dtype()); // finfo(dtype).eps
        Array notTiny = x.abs().gt(eps);
        Array safeX = Array.where(notTiny, x, eps);
        Array dydx = i0e(safeX).sub(y.mul(safeX.sign().add(safeX.reciprocal())));
        return Pair.of(y, t.mul(Array.where(notTiny, dydx, 0.5)));
      });

  private static Array i0eSeries(Array x) {
    return inF32OrF64(x, BesselFunctions::i0eF32OrF64);
  }

  private static Array i1eSeries(Array x) {
    return inF32OrF64(x, BesselFunctions::i1eF32OrF64);
  }

  /** {@code _i0e_impl32/64}: {@code |x| <= 8 ? cheb(|x|/2 - 2, A) : cheb(32/|x| - 2, B) / sqrt(|x|)}. */
  private static Array i0eF32OrF64(Array x) {
    boolean f64 = x.dtype() == DType.F64;
    Array z = x.abs();
    Array le8 = chebyshev(z.mul(0.5).sub(2.0), tail(I0E_A, f64 ? 30 : 18));
    Array gt8 = chebyshev(Array.scalar(z.dtype(), 32.0).div(z).sub(2.0), tail(I0E_B, f64 ? 25 : 7)).div(z.sqrt());
    return Array.where(z.le(8.0), le8, gt8);
  }

  /** CHLO's bessel_i1e: {@code sign(x) * (|x| <= 8 ? |x| cheb(|x|/2 - 2, A) : cheb(32/|x| - 2, B) / sqrt(|x|))}. */
  private static Array i1eF32OrF64(Array x) {
    boolean f64 = x.dtype() == DType.F64;
    Array z = x.abs();
    Array le8 = z.mul(chebyshev(z.mul(0.5).sub(2.0), tail(I1E_A, f64 ? 29 : 17)));
    Array gt8 = chebyshev(Array.scalar(z.dtype(), 32.0).div(z).sub(2.0), tail(I1E_B, f64 ? 25 : 7)).div(z.sqrt());
    return x.sign().mul(Array.where(z.le(8.0), le8, gt8));
  }

  /** F16/BF16 run in F32 and round back: the Cephes coefficients need F32's precision (as JAX and XLA). */
  private static Array inF32OrF64(Array x, Function<Array, Array> series) {
    DType dt = x.dtype();
    if (dt == DType.F32 || dt == DType.F64) {
      return series.apply(x);
    }
    return series.apply(x.astype(DType.F32)).astype(dt);
  }

  /**
   * JAX's {@code evaluate_chebyshev_polynomial} (Clenshaw): {@code b0 = x b1 - b2 + c} over the
   * coefficients, then {@code (b0 - b2) / 2}; the same operations in the same order, in x's dtype.
   */
  private static Array chebyshev(Array x, double[] coefficients) {
    Array b0 = Array.zeros(x.dtype(), x.shape());
    Array b1 = b0;
    Array b2 = b0;
    for (double c : coefficients) {
      b2 = b1;
      b1 = b0;
      b0 = x.mul(b1).sub(b2).add(Array.scalar(x.dtype(), c));
    }
    return b0.sub(b2).mul(0.5);
  }

  private static double[] tail(double[] coefficients, int n) {
    return java.util.Arrays.copyOfRange(coefficients, coefficients.length - n, coefficients.length);
  }
}
