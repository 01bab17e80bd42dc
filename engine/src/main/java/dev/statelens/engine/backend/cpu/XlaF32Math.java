package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;

/**
 * {@code exp}, {@code log}, {@code tanh}, {@code logistic}, {@code expm1}, {@code log1p} and {@code erf} of f32 values as XLA's CPU backend
 * computes them (JAX 0.10.2, x86-64 with FMA): XLA does not call a libm but emits its own f32
 * approximations — Eigen's/Cephes' range-reduced polynomials for exp and log, a 13/6 rational
 * function for tanh, {@code 1 / (1 + exp(-x))} for logistic — and LLVM contracts each multiply
 * feeding an add into one FMA. These scalar functions repeat those operations in that order, with
 * {@link Math#fma(float, float, float)} exactly where XLA's machine code has a {@code vfmadd}, so
 * they give XLA's bits: every 97th f32 bit pattern of both signs (44 million inputs) plus zeros,
 * infinities and NaN agree bit for bit with {@code jax.jit(jnp.exp)} & co. (bench/cpu/xla_f32_math_sweep.py).
 *
 * <p>XLA runs with denormals flushed to zero (FTZ/DAZ): a subnormal result becomes 0 and
 * {@code log} of a subnormal input is {@code -inf}; these functions do the same, explicitly.
 * {@link XlaF32Vector} is the Vector API twin, with the same bits.
 */
final class XlaF32Math {
  private XlaF32Math() {}

  /** The functions, for dispatch from kernels, fused groups and generated code. */
  enum Fn {
    EXP, LOG, TANH, LOGISTIC, EXPM1, LOG1P, ERF;

    /** The f32 function of {@code p}, or null when XLA's result is Math's (rounded) there. */
    static Fn of(Primitive p) {
      return p == Prims.EXP ? EXP : p == Prims.LOG ? LOG : p == Prims.TANH ? TANH : p == Prims.LOGISTIC ? LOGISTIC
          : p == Prims.EXPM1 ? EXPM1 : p == Prims.LOG1P ? LOG1P : p == Prims.ERF ? ERF : null;
    }

    float apply(float x) {
      return switch (this) {
        case EXP -> exp(x);
        case LOG -> log(x);
        case TANH -> tanh(x);
        case LOGISTIC -> logistic(x);
        case EXPM1 -> expm1(x);
        case LOG1P -> log1p(x);
        case ERF -> erf(x);
      };
    }

    /** The name of the static method generated code calls. */
    String method() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final boolean VECTOR = vector();

  private static boolean vector() {
    if (!Matmul.vectorized()) {
      return false; // also honours -Dstatelens.cpu.vector=false
    }
    try {
      return XlaF32Vector.available();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** {@code r[ro + j] = fn(a[ao + j])} for {@code j < len}: whole vectors on the Vector API, the tail here. */
  static void apply(Fn fn, float[] a, int ao, float[] r, int ro, int len) {
    int done = VECTOR ? XlaF32Vector.apply(fn, a, ao, r, ro, len) : 0;
    switch (fn) {
      case EXP -> { for (int j = done; j < len; j++) r[ro + j] = exp(a[ao + j]); }
      case LOG -> { for (int j = done; j < len; j++) r[ro + j] = log(a[ao + j]); }
      case TANH -> { for (int j = done; j < len; j++) r[ro + j] = tanh(a[ao + j]); }
      case LOGISTIC -> { for (int j = done; j < len; j++) r[ro + j] = logistic(a[ao + j]); }
      case EXPM1 -> { for (int j = done; j < len; j++) r[ro + j] = expm1(a[ao + j]); }
      case LOG1P -> { for (int j = done; j < len; j++) r[ro + j] = log1p(a[ao + j]); }
      case ERF -> { for (int j = done; j < len; j++) r[ro + j] = erf(a[ao + j]); }
    }
  }

  static float bits(int b) {
    return Float.intBitsToFloat(b);
  }

  // ---- tanh: XLA's EmitFastTanh (x for |x| < 4e-4, sign(x) for |x| >= 20, else p(x)/q(x) on
  // x clamped to where the ratio reaches exactly 1)

  static final float TANH_CLAMP = bits(0x40FFF644); // 7.9988117
  static final float TANH_SMALL = 0.0004f;
  static final float TANH_LARGE = 20f;
  static final float[] TANH_P = {-2.76076847742355e-16f, 2.00018790482477e-13f, -8.60467152213735e-11f,
      5.12229709037114e-08f, 1.48572235717979e-05f, 6.37261928875436e-04f, 4.89352455891786e-03f};
  static final float[] TANH_Q = {1.19825839466702e-06f, 1.18534705686654e-04f, 2.26843463243900e-03f,
      4.89352518554385e-03f};

  static float tanh(float x) {
    float ax = Math.abs(x);
    float c = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
    float c2 = c * c;
    float p = TANH_P[0];
    for (int i = 1; i < TANH_P.length; i++) {
      p = Math.fma(c2, p, TANH_P[i]);
    }
    p = c * p;
    float q = TANH_Q[0];
    for (int i = 1; i < TANH_Q.length; i++) {
      q = Math.fma(c2, q, TANH_Q[i]);
    }
    float r = ax < TANH_SMALL ? x : p / q;
    return ax >= TANH_LARGE ? Math.copySign(1f, x) : r;
  }

  // ---- exp: x = n ln2 + r (n = floor(x log2e + 1/2) clamped to [-127, 127], ln2 in two parts),
  // exp(r) = 1 + r + r^2 P(r), times 2^n built from its exponent bits (2^-127 is built as 0)

  static final float EXP_LO = -87.8f;
  static final float EXP_HI = 88.8f;
  static final float LOG2E = bits(0x3FB8AA3B);
  static final float LN2_HI = bits(0x3F318000); // 0.693359375
  static final float LN2_LO = bits(0xB95E8083); // -2.12194440e-4
  static final float[] EXP_P = {bits(0x39506967), bits(0x3AB743CE), bits(0x3C088908), bits(0x3D2AA9C1),
      bits(0x3E2AAAAA), 0.5f};

  /** {@code floor(v)} as XLA's vroundps, by truncation (|v| < 2^31 here; NaN gives 0 in both twins). */
  static float floor(float v) {
    float t = (int) v;
    return t > v ? t - 1 : t;
  }

  static float exp(float x) {
    float n = expExponent(x);
    return flushSubnormal(expMantissa(x, n) * pow2(n));
  }

  /** The n of {@code exp(x) = 2^n exp(r)}. */
  static float expExponent(float x) {
    float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
    return Math.min(Math.max(floor(Math.fma(c, LOG2E, 0.5f)), -127f), 127f);
  }

  /** {@code exp(r)}, r = x - n ln2 on x clamped as XLA clamps it. */
  static float expMantissa(float x, float n) {
    float c = Math.min(Math.max(x, EXP_LO), EXP_HI);
    float r = Math.fma(-n, LN2_HI, c);
    r = Math.fma(-n, LN2_LO, r);
    float y = EXP_P[0];
    for (int i = 1; i < EXP_P.length; i++) {
      y = Math.fma(y, r, EXP_P[i]);
    }
    return 1f + Math.fma(y, r * r, r);
  }

  static float pow2(float n) {
    return Float.intBitsToFloat(((int) n + 127) << 23);
  }

  // ---- logistic: 1 / (1 + exp(-x)), where XLA's fusion contracts exp's last multiply and the + 1

  static float logistic(float x) {
    float n = expExponent(-x);
    return flushSubnormal(1f / Math.fma(expMantissa(-x, n), pow2(n), 1f));
  }

  // ---- log: x = 2^e m, m in [sqrt(1/2), sqrt(2)), log(m) = f - f^2/2 + f^3 P(f) with f = m - 1,
  // plus e ln2 in two parts; 0 → -inf, +inf → +inf, negative or NaN → NaN

  static final float SQRT_HALF = bits(0x3F3504F3);
  static final float[] LOG_P = {bits(0x3D9021BB), bits(0xBDFE5D4F), bits(0x3E4CCEAC), bits(0xBDEBD1B8),
      bits(0x3E11E9BF), bits(0xBE7FFFFC), bits(0x3DEF251A), bits(0xBE2AAE50), bits(0x3EAAAAAA)};

  static float log(float x) {
    if (Math.abs(x) < Float.MIN_NORMAL) {
      return Float.NEGATIVE_INFINITY; // a subnormal is 0 to XLA (DAZ)
    }
    if (x == Float.POSITIVE_INFINITY) {
      return x;
    }
    if (!(x > 0)) {
      return Float.NaN;
    }
    int bits = Float.floatToRawIntBits(x);
    float e = 1f + (float) ((bits >>> 23) - 127);
    float m = Float.intBitsToFloat((bits & 0x807FFFFF) | 0x3F000000); // in [0.5, 1)
    boolean low = m < SQRT_HALF;
    float f = (m - 1f) + (low ? m : 0f);
    e = e - (low ? 1f : 0f);
    return logPolynomial(f, e);
  }

  /** {@code log(1 + f) + e ln2}, for the reduced {@code f} and exponent {@code e}. */
  static float logPolynomial(float f, float e) {
    float f2 = f * f;
    float f3 = f2 * f;
    float y1 = Math.fma(f, LOG_P[0], LOG_P[3]);
    float y2 = Math.fma(f, LOG_P[1], LOG_P[4]);
    float y3 = Math.fma(f, LOG_P[2], LOG_P[5]);
    y1 = Math.fma(y1, f, LOG_P[6]);
    y2 = Math.fma(y2, f, LOG_P[7]);
    y3 = Math.fma(y3, f, LOG_P[8]);
    float y = Math.fma(y1, f3, y2);
    y = Math.fma(y, f3, y3);
    y = Math.fma(y, f3, LN2_LO * e);
    return Math.fma(LN2_HI, e, Math.fma(-0.5f, f2, f) + y);
  }

  // ---- expm1, log1p (ElementalIrEmitter::EmitExpm1/EmitLog1p) and erf (EmitErfF32, Eigen's
  // rational interpolant with explicit FMAs): JAX's bits on the whole sweep, as the functions above

  /**
   * {@code tanh(x/2) (exp(x) + 1)} for {@code |x| <= 0.5}, {@code exp(x) - 1} above, and x itself
   * where x/2 is zero after FTZ (x below twice the smallest normal): a select, so a subnormal x
   * comes back unflushed, as in JAX.
   */
  static float expm1(float x) {
    float half = x * 0.5f;
    if (Math.abs(half) < Float.MIN_NORMAL) {
      return x;
    }
    float e = exp(x);
    return flushSubnormal(Math.abs(x) > 0.5f ? e - 1f : tanh(half) * (e + 1f));
  }

  // Cephes' log1p rational function, highest degree first, evaluated by Horner from zero
  static final float[] LOG1P_P = {4.5270000862445199635215E-5f, 4.9854102823193375972212E-1f,
      6.5787325942061044846969E0f, 2.9911919328553073277375E1f, 6.0949667980987787057556E1f,
      5.7112963590585538103336E1f, 2.0039553499201281259648E1f};
  static final float[] LOG1P_Q = {1f, 1.5062909083469192043167E1f, 8.3047565967967209469434E1f,
      2.2176239823732856465394E2f, 3.0909872225312059774938E2f, 2.1642788614495947685003E2f,
      6.0118660497603843919306E1f};
  static final float LOG1P_SMALL = 0.41421356237309504880f; // sqrt(2) - 1

  /** {@code log(x + 1)} from {@code sqrt(2) - 1} on, below it {@code x - x²/2 + x³ P(x)/Q(x)}. */
  static float log1p(float x) {
    if (!(Math.abs(x) < LOG1P_SMALL)) {
      return log(x + 1f);
    }
    float x2 = x * x;
    float p = 0f;
    for (float c : LOG1P_P) {
      p = Math.fma(p, x, c);
    }
    float q = 0f;
    for (float c : LOG1P_Q) {
      q = Math.fma(q, x, c);
    }
    float t = (x * x2) * (p / q);
    return flushSubnormal(x + Math.fma(-0.5f, x2, t));
  }

  static final float ERF_CLAMP = 3.832506856900711f; // erf^-1(1 - ulp/2): ±1 from here on
  static final float[] ERF_P = {0.00022905065861350646f, 0.0034082910107109506f, 0.050955695062380861f,
      0.18520832239976145f, 1.128379143519084f};
  static final float[] ERF_Q = {-1.1791602954361697e-7f, 0.000023547966471313185f, 0.0010179625278914885f,
      0.014070470171167667f, 0.11098505178285362f, 0.49746925110067538f, 1.0f};

  /** {@code x P(x²) / Q(x²)}, {@code ±1} for {@code |x| >= 3.8325}. */
  static float erf(float x) {
    if (ERF_CLAMP <= Math.abs(x)) {
      return Math.copySign(1f, x);
    }
    if (Math.abs(x) < Float.MIN_NORMAL) {
      return Math.copySign(0f, x); // DAZ: a subnormal x is zero (x P/Q of it would be normal)
    }
    float x2 = x * x;
    float p = Math.fma(x2, ERF_P[0], ERF_P[1]);
    for (int i = 2; i < ERF_P.length; i++) {
      p = Math.fma(x2, p, ERF_P[i]);
    }
    float q = Math.fma(x2, ERF_Q[0], ERF_Q[1]);
    for (int i = 2; i < ERF_Q.length; i++) {
      q = Math.fma(x2, q, ERF_Q[i]);
    }
    return flushSubnormal((x * p) / q);
  }

  static float flushSubnormal(float v) {
    return Math.abs(v) < Float.MIN_NORMAL ? Math.copySign(0f, v) : v;
  }
}
