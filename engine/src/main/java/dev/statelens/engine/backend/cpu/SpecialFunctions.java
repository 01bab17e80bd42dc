package dev.statelens.engine.backend.cpu;

/**
 * The kernels of lax's special functions, in double (an f32 result is this rounded once; bf16/f16
 * go through f32, {@link Widen16}). Each follows the algorithm JAX 0.10.2 runs, operation for
 * operation, so f64 results are XLA's up to its libm and multiply-add contraction:
 *
 * <ul>
 *   <li>{@code lgamma}, {@code digamma}: Lanczos (g = 7, 8 terms) with the reflection below 0.5,
 *       as XLA's {@code math.cc} / StableHLO's {@code chlo.lgamma}, {@code chlo.digamma} (NaN at
 *       0 and the negative integers);
 *   <li>{@code zeta} (Hurwitz) and {@code polygamma}: StableHLO's {@code chlo.zeta} (9 terms and
 *       a 12-term Euler-Maclaurin tail), {@code polygamma(n, x) = (-1)^(n+1) n! zeta(n+1, x)};
 *   <li>{@code igamma}, {@code igammac}, {@code igamma_grad_a}, {@code random_gamma_grad}:
 *       {@code jax/_src/lax/special.py}'s series below {@code max(1, a)} and Cephes' continued
 *       fraction above it, with the derivative in {@code a} carried along;
 *   <li>{@code betainc}: {@code regularized_incomplete_beta_impl}, the Lentz continued fraction
 *       of DLMF 8.17.22 with the symmetry {@code I_x(a, b) = 1 - I_{1-x}(b, a)}.
 * </ul>
 *
 * <p>JAX runs the loops of an f32 call in f32 with f32's epsilon; here they run in double to
 * double's epsilon, so f32 results are the more accurate ones (docs/arrays.md gives the ulps).
 * JAX's loops run over the whole array until every element has converged; each element here
 * stops when it has converged (the extra iterations JAX gives early finishers change its last bit
 * at most).
 */
final class SpecialFunctions {
  private SpecialFunctions() {}

  private static final double EPS = Math.ulp(1.0);            // finfo(float64).eps
  private static final double LOG_MAX = Math.log(Double.MAX_VALUE);
  private static final double TINY = Double.MIN_NORMAL;        // finfo(float64).tiny

  // ---- Lanczos: lgamma, digamma ---------------------------------------------------------------

  private static final double LANCZOS_G = 7;
  private static final double LANCZOS_BASE = 0.99999999999980993227684700473478;
  private static final double[] LANCZOS = {
    676.520368121885098567009190444019, -1259.13921672240287047156078755283,
    771.3234287776530788486528258894, -176.61502916214059906584551354,
    12.507343278686904814458936853, -0.13857109526572011689554707,
    9.984369578019570859563e-6, 1.50563273514931155834e-7};
  private static final double LOG_PI = Math.log(Math.PI);
  private static final double LOG_SQRT_TWO_PI = (Math.log(2) + Math.log(Math.PI)) / 2;
  private static final double G_PLUS_HALF = LANCZOS_G + 0.5;
  private static final double LOG_G_PLUS_HALF = Math.log(LANCZOS_G + 0.5);

  /** {@code lax.lgamma}: {@code log|Gamma(x)|}; +inf at 0, the negative integers and ±inf. */
  static double lgamma(double input) {
    boolean reflect = input < 0.5;
    double z = reflect ? -input : input - 1;
    double x = LANCZOS_BASE;
    for (int i = 0; i < LANCZOS.length; i++) {
      x = x + LANCZOS[i] / (z + i + 1);
    }
    // log(t) = log(g + 1/2) + log1p(z / (g + 1/2)); the first term as (z + 1/2 - t/log t) log t so t log t cannot overflow
    double t = G_PLUS_HALF + z;
    double logT = LOG_G_PLUS_HALF + Math.log1p(z / G_PLUS_HALF);
    // XLA's CPU code contracts c + a*b into one fused multiply-add here (lgamma(2) is exactly 0 only so)
    double logY = Math.fma(z + 0.5 - t / logT, logT, LOG_SQRT_TWO_PI) + Math.log(x);
    // reflection: log(pi) - lgamma(1 - x) - log|sin(pi x)|, sin taken of the fractional part folded into [0, 1/2]
    double absInput = Math.abs(input);
    double absFrac = absInput - Math.floor(absInput);
    double reduced = absFrac > 0.5 ? 1 - absFrac : absFrac;
    double reflectionDenom = Math.log(Math.sin(Math.PI * reduced));
    double reflection = Double.isFinite(reflectionDenom) ? LOG_PI - reflectionDenom - logY : -reflectionDenom;
    double result = reflect ? reflection : logY;
    return Double.isInfinite(input) ? Double.POSITIVE_INFINITY : result;
  }

  /** {@code lax.digamma}: {@code Gamma'(x) / Gamma(x)}; NaN at 0 and the negative integers (chlo's poles). */
  static double digamma(double input) {
    boolean reflect = input < 0.5;
    double z = reflect ? -input : input - 1;
    double num = 0;
    double denom = LANCZOS_BASE;
    for (int i = 0; i < LANCZOS.length; i++) {
      double zi = z + i + 1;
      num = num - LANCZOS[i] / (zi * zi);
      denom = denom + LANCZOS[i] / zi;
    }
    double t = G_PLUS_HALF + z;
    double logT = LOG_G_PLUS_HALF + Math.log1p(z / G_PLUS_HALF);
    double y = logT + num / denom - LANCZOS_G / t;
    // digamma(x) = digamma(1 - x) - pi cot(pi x), with x shifted into [-1/2, 1/2] first
    double reduced = input + Math.abs(Math.floor(input + 0.5));
    double reflection = y - Math.PI * Math.cos(Math.PI * reduced) / Math.sin(Math.PI * reduced);
    double result = reflect ? reflection : y;
    return input <= 0 && input == Math.floor(input) ? Double.NaN : result;
  }

  // ---- zeta, polygamma ------------------------------------------------------------------------

  private static final double[] ZETA = {
    -7.1661652561756670113e18, 1.8152105401943546773e17, -4.5979787224074726105e15,
    1.1646782814350067249e14, -2.950130727918164224e12, 7.47242496e10, -1.8924375803183791606e9,
    47900160.0, -1209600.0, 30240.0, -720.0, 12.0};

  /** The Hurwitz zeta function {@code sum_k (q + k)^-x} ({@code chlo.zeta}); x must be >= 1. */
  static double zeta(double x, double q) {
    double a = q;
    double negX = -x;
    double initialSum = Math.pow(q, negX);
    double negPower = 0;
    for (int i = 0; i < 9; i++) {
      a = a + 1;
      negPower = Math.pow(a, negX);
      initialSum = initialSum + negPower;
    }
    a = a + 1;
    negPower = Math.pow(a, negX);
    double s = initialSum + negPower * a / (x - 1);
    double aInverseSquare = 1 / (a * a);
    double horner = 0;
    for (int i = 0; i < 11; i++) {
      double factor = (x + (22 - 2 * i)) * (x + (21 - 2 * i));
      horner = factor * (aInverseSquare * (horner + 1 / ZETA[i]));
    }
    s = s + negPower * (0.5 + x / a * (1 / ZETA[11] + horner));
    // chlo.zeta keeps initialSum where |negPower| < |initialSum| * (the smallest subnormal); XLA's CPU
    // flushes that subnormal constant to 0, so in JAX the test never holds and the result is always s
    // (NaN where the Euler-Maclaurin tail overflows: x = inf with q in (0, 1), x near 1e38)
    double out = s;
    if (x < 1) {
      out = Double.NaN;
    }
    boolean qLeZero = q <= 0;
    if (qLeZero && x != Math.floor(x)) {
      out = Double.NaN;
    }
    if (qLeZero && q == Math.floor(q)) {
      boolean evenInt = x == Math.floor(x) && x % 2 == 0;
      out = evenInt ? Double.POSITIVE_INFINITY : Double.NaN;
    }
    return x == 1 ? Double.POSITIVE_INFINITY : out;
  }

  /**
   * f32 {@code zeta} as XLA computes it for JAX: {@link #zeta}'s steps in f32, each result flushed
   * to zero when subnormal (XLA's CPU runs with FTZ/DAZ). In double the same formula stays finite
   * where XLA's f32 intermediates overflow — {@code (q + 10)^2} and {@code (x + 22)(x + 21)} past
   * 3.4e38 make the Euler-Maclaurin tail {@code inf * 0}, so {@code zeta(1e20, 1e38)} is NaN in JAX —
   * and the flushes are what keep others finite ({@code zeta(1e15, 1e12)} is 0: the tail's first
   * term, ~1e-43, is flushed before it can grow past 3.4e38). Matches real JAX 0.10.2's NaN, inf
   * and zero answers on a 4028-point grid from 1 to 1e38, values within an ulp.
   */
  static float zetaF32(float x, float q) {
    x = ftz(x);
    q = ftz(q);
    float negX = -x;
    float initialSum = powF32(q, negX);
    float a = q;
    float negPower = 0;
    for (int i = 0; i < 9; i++) {
      a = ftz(q + (i + 1));
      negPower = powF32(a, negX);
      initialSum = ftz(initialSum + negPower);
    }
    a = ftz(q + 10);
    negPower = powF32(a, negX);
    float s = ftz(initialSum + ftz(ftz(negPower * a) / ftz(x - 1)));
    float aInverseSquare = ftz(1f / ftz(a * a));
    float horner = 0;
    for (int i = 0; i < 11; i++) {
      float factor = ftz(ftz(x + (22 - 2 * i)) * ftz(x + (21 - 2 * i)));
      horner = ftz(factor * ftz(aInverseSquare * ftz(horner + (float) (1 / ZETA[i]))));
    }
    s = ftz(s + ftz(negPower * ftz(0.5f + ftz(ftz(x / a) * ftz((float) (1 / ZETA[11]) + horner)))));
    float out = s;
    if (x < 1) {
      out = Float.NaN;
    }
    boolean qLeZero = q <= 0;
    if (qLeZero && x != (float) Math.floor(x)) {
      out = Float.NaN;
    }
    if (qLeZero && q == (float) Math.floor(q)) {
      boolean evenInt = x == (float) Math.floor(x) && x % 2 == 0;
      out = evenInt ? Float.POSITIVE_INFINITY : Float.NaN;
    }
    return x == 1 ? Float.POSITIVE_INFINITY : out;
  }

  private static float powF32(float a, float b) {
    return ftz((float) Math.pow(a, b));
  }

  private static float ftz(float v) {
    return XlaF32Math.flushSubnormal(v);
  }

  /** {@code lax.polygamma(n, x)}: the n-th derivative of digamma; NaN unless n is a natural number. */
  static double polygamma(double n, double x) {
    double sign = 2 * (n % 2) - 1;
    double nPlusOne = n + 1;
    double result = sign * Math.exp(lgamma(nPlusOne)) * zeta(nPlusOne, x);
    if (n == 0) {
      result = digamma(x);
    }
    return n != Math.floor(n) || n < 0 ? Double.NaN : result;
  }

  // ---- erfc -----------------------------------------------------------------------------------

  private static final double[] ERF_T = {
    9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
    7.00332514112805075473E3, 5.55923013010394962768E4};
  private static final double[] ERF_U = {
    1.00000000000000000000E0, 3.35617141647503099647E1, 5.21357949780152679795E2,
    4.59432382970980127987E3, 2.26290000613890934246E4, 4.92673942608635921086E4};
  private static final double[] ERFC_P = {
    2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
    4.86371970985681366614E1, 1.96520832956077098242E2, 5.26445194995477358631E2,
    9.34528527171957607540E2, 1.02755188689515710272E3, 5.57535335369399327526E2};
  private static final double[] ERFC_Q = {
    1.00000000000000000000E0, 1.32281951154744992508E1, 8.67072140885989742329E1,
    3.54937778887819891062E2, 9.75708501743205489753E2, 1.82390916687909736289E3,
    2.24633760818710981792E3, 1.65666309194161350182E3, 5.57535340817727675546E2};
  private static final double[] ERFC_R = {
    5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0,
    6.16021097993053585195E0, 7.40974269950448939160E0, 2.97886665372100240670E0};
  private static final double[] ERFC_S = {
    1.00000000000000000000E0, 2.26052863220117276590E0, 9.39603524938001434673E0,
    1.20489539808096656605E1, 1.70814450747565897222E1, 9.60896809063285878198E0,
    3.36907645100081516050E0};
  private static final double MAXLOG = 7.09782712893383996843E2;

  /**
   * {@code lax.erfc} as XLA computes f64 (Cephes): {@code 1 - erf(x)} for {@code |x| <= 1}, where
   * erfc is at least 0.157 and the subtraction loses nothing, and the rational tail
   * {@code exp(-x^2) P(|x|)/Q(|x|)} (R/S from 8) beyond, which keeps its relative accuracy down to
   * the underflow.
   */
  static double erfc(double x) {
    if (!(Math.abs(x) > 1)) {
      double z = x * x;
      return 1 - x * polynomial(z, ERF_T) / polynomial(z, ERF_U);
    }
    double z = -x * x;
    double absX = Math.abs(x);
    double y = absX < 8
        ? Math.exp(z) * polynomial(absX, ERFC_P) / polynomial(absX, ERFC_Q)
        : Math.exp(z) * polynomial(absX, ERFC_R) / polynomial(absX, ERFC_S);
    double clamped = z < -MAXLOG ? 0 : y;
    return x < 0 ? 2 - clamped : clamped;
  }

  /** Horner, coefficients from the highest power down (XLA's EvaluatePolynomial). */
  private static double polynomial(double x, double[] c) {
    double p = c[0];
    for (int i = 1; i < c.length; i++) {
      p = p * x + c[i];
    }
    return p;
  }

  // ---- incomplete gamma -----------------------------------------------------------------------

  /** What the series and the continued fraction compute (JAX's IgammaMode). */
  private enum Mode { VALUE, DERIVATIVE, SAMPLE_DERIVATIVE }

  /** A bound JAX does not have, so that no input can hang a kernel; far beyond any convergence seen. */
  private static final int SERIES_CAP = 1_000_000;

  /** {@code lax.igamma(a, x)}: the regularized lower incomplete gamma function P(a, x). */
  static double igamma(double a, double x) {
    boolean isNan = Double.isNaN(a) || Double.isNaN(x);
    boolean xInf = x == Double.POSITIVE_INFINITY;
    boolean xZero = x == 0;
    boolean domainError = x < 0 || a < 0 || (a == 0 && xZero) || isNan;
    boolean useIgammac = x >= 1 && x > a;
    double logAx = a * Math.log(x) - x - lgamma(a);
    boolean underflow = logAx < -LOG_MAX;
    double ax = Math.exp(logAx);
    boolean enabled = !(xZero || domainError || underflow || xInf);
    double out = useIgammac
        ? 1 - continuedFraction(ax, x, a, enabled, Mode.VALUE)
        : series(ax, x, a, enabled, Mode.VALUE);
    if (xZero) {
      out = 0;
    }
    if (xInf) {
      out = 1;
    }
    return domainError ? Double.NaN : out;
  }

  /** {@code lax.igammac(a, x)}: {@code 1 - igamma(a, x)}, Q(a, x), accurate in its own tail. */
  static double igammac(double a, double x) {
    boolean isNan = Double.isNaN(a) || Double.isNaN(x);
    boolean aZero = a == 0;
    boolean xInf = x == Double.POSITIVE_INFINITY;
    boolean domainError = x < 0 || a < 0 || (aZero && x == 0) || isNan;
    boolean useIgamma = x < 1 || x < a;
    double logAx = a * Math.log(x) - x - lgamma(a);
    boolean underflow = logAx < -LOG_MAX;
    boolean enabled = !(domainError || underflow || xInf || aZero);
    double ax = Math.exp(logAx);
    double out = useIgamma
        ? 1 - series(ax, x, a, enabled, Mode.VALUE)
        : continuedFraction(ax, x, a, enabled, Mode.VALUE);
    if (xInf || aZero) {
      out = 0;
    }
    return domainError ? Double.NaN : out;
  }

  /** {@code lax.igamma_grad_a(a, x)}: {@code d igamma(a, x) / da}. */
  static double igammaGradA(double a, double x) {
    return gradA(a, x, Mode.DERIVATIVE);
  }

  /**
   * {@code lax.random_gamma_grad(a, x)}: the derivative in {@code a} of a Gamma(a, 1) draw
   * {@code x} with its uniform held fixed, {@code -(d igamma/da) / (d igamma/dx)} (implicit
   * reparameterization).
   */
  static double randomGammaGrad(double a, double x) {
    return gradA(a, x, Mode.SAMPLE_DERIVATIVE);
  }

  private static double gradA(double a, double x, Mode mode) {
    boolean isNan = Double.isNaN(a) || Double.isNaN(x);
    boolean xZero = x == 0;
    boolean domainError = x < 0 || a <= 0;
    boolean useIgammac = x > 1 && x > a;
    double logAx = a * Math.log(x) - x - lgamma(a);
    boolean underflow = logAx < -LOG_MAX;
    double ax = Math.exp(logAx);
    boolean enabled = !(xZero || domainError || underflow || isNan);
    double out = useIgammac
        ? -continuedFraction(ax, x, a, enabled, mode)
        : series(ax, x, a, enabled, mode);
    if (xZero) {
      out = 0;
    }
    return domainError || isNan ? Double.NaN : out;
  }

  /** JAX's {@code _igamma_series}: {@code sum x^k / (a+1)...(a+k)}, and its derivative in a. */
  private static double series(double ax, double x, double a, boolean enabled, Mode mode) {
    double r = a;
    double c = 1;
    double ans = 1;
    double dcDa = 0;
    double dansDa = 0;
    for (int k = 0; enabled && k < SERIES_CAP; k++) {
      r = r + 1;
      dcDa = dcDa * (x / r) - (c * x) / (r * r);
      dansDa = dansDa + dcDa;
      c = c * (x / r);
      ans = ans + c;
      enabled = mode == Mode.VALUE ? c / ans > EPS : Math.abs(dcDa / dansDa) > EPS;
    }
    if (mode == Mode.VALUE) {
      return (ans * ax) / a;
    }
    double dlogaxDa = Math.log(x) - digamma(a + 1);
    return mode == Mode.DERIVATIVE
        ? ax * (ans * dlogaxDa + dansDa) / a
        : -(dansDa + ans * dlogaxDa) * x / a;
  }

  /** JAX's {@code _igammac_continued_fraction} (Cephes' igamc), at most 2000 steps, and its derivative in a. */
  private static double continuedFraction(double ax, double x, double a, boolean enabled, Mode mode) {
    double y = 1 - a;
    double z = x + y + 1;
    double c = 0;
    double pkm2 = 1;
    double qkm2 = x;
    double pkm1 = x + 1;
    double qkm1 = z * x;
    double ans = pkm1 / qkm1;
    double dpkm2Da = 0;
    double dqkm2Da = 0;
    double dpkm1Da = 0;
    double dqkm1Da = -x;
    double dansDa = (dpkm1Da - ans * dqkm1Da) / qkm1;
    while (c < 2000 && enabled) {
      c = c + 1;
      y = y + 1;
      z = z + 2;
      double yc = y * c;
      double pk = pkm1 * z - pkm2 * yc;
      double qk = qkm1 * z - qkm2 * yc;
      boolean qkNonzero = qk != 0;
      double r = pk / qk;
      double t = qkNonzero ? Math.abs((ans - r) / r) : 1;
      ans = qkNonzero ? r : ans;
      double dpkDa = dpkm1Da * z - pkm1 - dpkm2Da * yc + pkm2 * c;
      double dqkDa = dqkm1Da * z - qkm1 - dqkm2Da * yc + qkm2 * c;
      double dansDaNew = qkNonzero ? (dpkDa - ans * dqkDa) / qk : dansDa;
      double gradConditional = qkNonzero ? Math.abs(dansDaNew - dansDa) : 1;
      pkm2 = pkm1;
      pkm1 = pk;
      qkm2 = qkm1;
      qkm1 = qk;
      dpkm2Da = dpkm1Da;
      dqkm2Da = dqkm1Da;
      dpkm1Da = dpkDa;
      dqkm1Da = dqkDa;
      if (Math.abs(pk) > 1 / EPS) {
        pkm2 *= EPS;
        pkm1 *= EPS;
        qkm2 *= EPS;
        qkm1 *= EPS;
        dpkm2Da *= EPS;
        dqkm2Da *= EPS;
        dpkm1Da *= EPS;
        dqkm1Da *= EPS;
      }
      enabled = mode == Mode.VALUE ? t > EPS : gradConditional > EPS;
      dansDa = dansDaNew;
    }
    if (mode == Mode.VALUE) {
      return ans * ax;
    }
    double dlogaxDa = Math.log(x) - digamma(a);
    return mode == Mode.DERIVATIVE
        ? ax * (ans * dlogaxDa + dansDa)
        : -(dansDa + ans * dlogaxDa) * x;
  }

  // ---- incomplete beta ------------------------------------------------------------------------

  /** JAX's f64 iteration limit of the Lentz loop (f32: 200; here every dtype runs in double). */
  private static final int BETAINC_ITERATIONS = 600;

  /** {@code lax.betainc(a, b, x)}: the regularized incomplete beta function I_x(a, b). */
  static double betainc(double a, double b, double x) {
    boolean aIsZero = a == 0 || b == Double.POSITIVE_INFINITY;
    boolean bIsZero = b == 0 || a == Double.POSITIVE_INFINITY;
    boolean xZero = x == 0;
    boolean xOne = x == 1;
    boolean isNan = Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(x);
    boolean resultIsZero = (bIsZero && !xOne) || (aIsZero && xZero);
    boolean resultIsOne = (aIsZero && !xZero) || (bIsZero && xOne);
    boolean resultIsNan = a < 0 || b < 0 || x < 0 || x > 1 || (aIsZero && bIsZero) || isNan;
    // the continued fraction converges fast below (a+1)/(a+b+2); above, I_x(a, b) = 1 - I_{1-x}(b, a)
    boolean rapid = x < (a + 1) / (a + b + 2);
    double aa = rapid ? a : b;
    double bb = rapid ? b : a;
    double xx = rapid ? x : 1 - x;
    double fraction = lentzBetainc(aa, bb, xx);
    double lbetaSmallA = lgamma(bb) - lgamma(aa + bb);
    double lbeta = lgamma(aa) + lbetaSmallA;
    // a Gamma(a) -> 1 as a -> 0+: no division by a tiny a
    double factor = aa < TINY * 2
        ? Math.exp(Math.log1p(-xx) * bb - lbetaSmallA)
        : Math.exp(Math.log(xx) * aa + Math.log1p(-xx) * bb - lbeta) / aa;
    double result = fraction * factor;
    result = rapid ? result : 1 - result;
    if (resultIsZero) {
      result = 0;
    }
    if (resultIsOne) {
      result = 1;
    }
    return resultIsNan ? Double.NaN : result;
  }

  /** {@code lentz_thompson_barnett_algorithm} with betainc's partial numerators (DLMF 8.17.22) and denominators. */
  private static double lentzBetainc(double a, double b, double x) {
    double small = EPS / 2;
    double h = small; // the 0th partial denominator is 0, below `small`
    double cPrev = h;
    double dPrev = 0;
    for (int iteration = 1; iteration < BETAINC_ITERATIONS; iteration++) {
      double numerator = betaincNumerator(iteration, a, b, x);
      double c = 1 + numerator / cPrev;
      if (Math.abs(c) < small) {
        c = small;
      }
      double d = 1 + numerator * dPrev;
      if (Math.abs(d) < small) {
        d = small;
      }
      d = 1 / d;
      double delta = c * d;
      h = h * delta;
      cPrev = c;
      dPrev = d;
      if (!(Math.abs(delta - 1) >= small)) {
        break;
      }
    }
    return h;
  }

  private static double betaincNumerator(int iteration, double a, double b, double x) {
    if (iteration == 1) {
      return 1;
    }
    int mInt = Math.floorDiv(iteration - 1, 2);
    double m = mInt;
    if (iteration % 2 == 0) {
      if (mInt == 0) {
        return -(a + b) * x / (a + 1); // avoids inaccuracy for a near 0 under FTZ/DAZ, as JAX
      }
      return -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
    }
    return m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
  }
}
