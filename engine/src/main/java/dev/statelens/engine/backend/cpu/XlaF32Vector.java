package dev.statelens.engine.backend.cpu;

import static dev.statelens.engine.backend.cpu.XlaF32Math.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link XlaF32Math}'s functions on the Vector API, lane for lane the same operations (lanewise
 * FMA where the scalar twin calls {@code Math.fma}, masks and blends where it branches), so the
 * same bits ({@code XlaF32MathTest} compares the twins). Each method does the whole vectors of
 * {@code [0, len)} and returns where it stopped; the caller finishes the tail with the scalar
 * functions. Loaded only when {@code jdk.incubator.vector} is present.
 */
final class XlaF32Vector {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private XlaF32Vector() {}

  /** True when at least eight float lanes are intrinsified (AVX2 and wider). */
  static boolean available() {
    return S.vectorBitSize() >= 256;
  }

  /**
   * One loop per function, each in a method of its own, called through a method handle that C2
   * cannot inline ({@link #LOOPS}): each loop is then compiled on its own, with the whole inlining
   * budget for its vector code. Inlined into one dispatching caller, the loops of a process that
   * ran several functions (a transformer step: exp, log, tanh, logistic, expm1) shared that
   * caller's budget, C2 stopped inlining the vector code and allocated every vector: exp(x - y)
   * over 65,536 elements in a fused group took 390 µs after a transformer step had run, 140 µs
   * before (one call per block of 256 elements costs a few nanoseconds).
   */
  static int apply(Fn fn, float[] a, int ao, float[] r, int ro, int len) {
    try {
      return (int) LOOPS[fn.ordinal()].invokeExact(a, ao, r, ro, len);
    } catch (Throwable t) {
      throw new AssertionError(t); // the loops throw nothing
    }
  }

  /** Per {@link Fn}, in order, its loop; an array element is no constant to C2, so never inlined. */
  private static final java.lang.invoke.MethodHandle[] LOOPS = loops();

  private static java.lang.invoke.MethodHandle[] loops() {
    var lookup = java.lang.invoke.MethodHandles.lookup();
    var type = java.lang.invoke.MethodType.methodType(int.class, float[].class, int.class, float[].class, int.class,
        int.class);
    java.lang.invoke.MethodHandle[] m = new java.lang.invoke.MethodHandle[Fn.values().length];
    try {
      for (Fn fn : Fn.values()) {
        m[fn.ordinal()] = lookup.findStatic(XlaF32Vector.class, fn.method() + "Loop", type);
      }
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
    return m;
  }

  private static int expLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      exp(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int logLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      log(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int tanhLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      tanh(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int logisticLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      logistic(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int expm1Loop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      expm1(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int log1pLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      log1p(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  private static int erfLoop(float[] a, int ao, float[] r, int ro, int len) {
    int j = 0;
    for (; j + S.length() <= len; j += S.length()) {
      erf(FloatVector.fromArray(S, a, ao + j)).intoArray(r, ro + j);
    }
    return j;
  }

  /** {@link XlaF32Math#expm1}: both branches computed, the lanes picked by mask. */
  static FloatVector expm1(FloatVector x) {
    FloatVector half = x.mul(0.5f);
    FloatVector e = exp(x);
    FloatVector small = tanh(half).mul(e.add(1f));
    FloatVector r = flushSubnormal(small.blend(e.sub(1f), x.abs().compare(VectorOperators.GT, 0.5f)));
    return r.blend(x, half.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
  }

  /** {@link XlaF32Math#log1p}: the rational function below {@code sqrt(2) - 1}, {@code log(x + 1)} elsewhere. */
  static FloatVector log1p(FloatVector x) {
    FloatVector large = log(x.add(1f));
    FloatVector x2 = x.mul(x);
    FloatVector p = FloatVector.zero(S);
    for (float c : LOG1P_P) {
      p = p.fma(x, FloatVector.broadcast(S, c));
    }
    FloatVector q = FloatVector.zero(S);
    for (float c : LOG1P_Q) {
      q = q.fma(x, FloatVector.broadcast(S, c));
    }
    FloatVector t = x.mul(x2).mul(p.div(q));
    FloatVector small = flushSubnormal(x.add(FloatVector.broadcast(S, -0.5f).fma(x2, t)));
    return large.blend(small, x.abs().compare(VectorOperators.LT, LOG1P_SMALL));
  }

  /** {@link XlaF32Math#erf}: {@code x P(x²)/Q(x²)}, ±0 for a subnormal x (DAZ), ±1 from the clamp on. */
  static FloatVector erf(FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector x2 = x.mul(x);
    FloatVector p = x2.fma(FloatVector.broadcast(S, ERF_P[0]), FloatVector.broadcast(S, ERF_P[1]));
    for (int i = 2; i < ERF_P.length; i++) {
      p = x2.fma(p, FloatVector.broadcast(S, ERF_P[i]));
    }
    FloatVector q = x2.fma(FloatVector.broadcast(S, ERF_Q[0]), FloatVector.broadcast(S, ERF_Q[1]));
    for (int i = 2; i < ERF_Q.length; i++) {
      q = x2.fma(q, FloatVector.broadcast(S, ERF_Q[i]));
    }
    FloatVector r = flushSubnormal(x.mul(p).div(q));
    r = r.blend(signBits(x).reinterpretAsFloats(), ax.compare(VectorOperators.LT, Float.MIN_NORMAL));
    FloatVector one = signBits(x).or(Float.floatToRawIntBits(1f)).reinterpretAsFloats();
    return r.blend(one, ax.compare(VectorOperators.GE, ERF_CLAMP));
  }

  static FloatVector tanh(FloatVector x) {
    FloatVector ax = x.abs();
    FloatVector c = x.max(-TANH_CLAMP).min(TANH_CLAMP);
    FloatVector c2 = c.mul(c);
    FloatVector p = FloatVector.broadcast(S, TANH_P[0]);
    for (int i = 1; i < TANH_P.length; i++) {
      p = c2.fma(p, FloatVector.broadcast(S, TANH_P[i]));
    }
    p = c.mul(p);
    FloatVector q = FloatVector.broadcast(S, TANH_Q[0]);
    for (int i = 1; i < TANH_Q.length; i++) {
      q = c2.fma(q, FloatVector.broadcast(S, TANH_Q[i]));
    }
    FloatVector r = p.div(q).blend(x, ax.compare(VectorOperators.LT, TANH_SMALL));
    FloatVector one = signBits(x).or(Float.floatToRawIntBits(1f)).reinterpretAsFloats();
    return r.blend(one, ax.compare(VectorOperators.GE, TANH_LARGE));
  }

  static FloatVector exp(FloatVector x) {
    FloatVector n = expExponent(x);
    return flushSubnormal(expMantissa(x, n).mul(pow2(n)));
  }

  static FloatVector logistic(FloatVector x) {
    FloatVector m = x.neg();
    FloatVector n = expExponent(m);
    FloatVector one = FloatVector.broadcast(S, 1f);
    return flushSubnormal(one.div(expMantissa(m, n).fma(pow2(n), one)));
  }

  private static FloatVector expExponent(FloatVector x) {
    FloatVector c = x.max(EXP_LO).min(EXP_HI);
    return floor(c.fma(LOG2E, 0.5f)).max(-127f).min(127f);
  }

  private static FloatVector expMantissa(FloatVector x, FloatVector n) {
    FloatVector c = x.max(EXP_LO).min(EXP_HI);
    FloatVector minusN = n.neg();
    FloatVector r = minusN.fma(FloatVector.broadcast(S, LN2_HI), c);
    r = minusN.fma(FloatVector.broadcast(S, LN2_LO), r);
    FloatVector y = FloatVector.broadcast(S, EXP_P[0]);
    for (int i = 1; i < EXP_P.length; i++) {
      y = y.fma(r, FloatVector.broadcast(S, EXP_P[i]));
    }
    return y.fma(r.mul(r), r).add(1f);
  }

  /** Truncate, then step down where that rounded up: {@link XlaF32Math#floor}. */
  private static FloatVector floor(FloatVector v) {
    FloatVector t = (FloatVector) v.convert(VectorOperators.F2I, 0).convert(VectorOperators.I2F, 0);
    return t.sub(1f, t.compare(VectorOperators.GT, v));
  }

  private static FloatVector pow2(FloatVector n) {
    IntVector e = (IntVector) n.convert(VectorOperators.F2I, 0);
    return e.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  static FloatVector log(FloatVector x) {
    FloatVector ax = x.abs();
    VectorMask<Float> zero = ax.compare(VectorOperators.LT, Float.MIN_NORMAL);
    VectorMask<Float> inf = x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY);
    VectorMask<Float> nan = x.compare(VectorOperators.GT, 0f).not();
    IntVector bits = x.max(Float.MIN_NORMAL).reinterpretAsInts();
    FloatVector e = ((FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127).convert(VectorOperators.I2F, 0)).add(1f);
    FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
    VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
    FloatVector f = m.sub(1f).add(FloatVector.zero(S).blend(m, low));
    e = e.sub(1f, low);
    FloatVector r = logPolynomial(f, e);
    r = r.blend(Float.NaN, nan);
    r = r.blend(Float.POSITIVE_INFINITY, inf);
    return r.blend(Float.NEGATIVE_INFINITY, zero);
  }

  private static FloatVector logPolynomial(FloatVector f, FloatVector e) {
    FloatVector f2 = f.mul(f);
    FloatVector f3 = f2.mul(f);
    FloatVector y1 = f.fma(LOG_P[0], LOG_P[3]);
    FloatVector y2 = f.fma(LOG_P[1], LOG_P[4]);
    FloatVector y3 = f.fma(LOG_P[2], LOG_P[5]);
    y1 = y1.fma(f, FloatVector.broadcast(S, LOG_P[6]));
    y2 = y2.fma(f, FloatVector.broadcast(S, LOG_P[7]));
    y3 = y3.fma(f, FloatVector.broadcast(S, LOG_P[8]));
    FloatVector y = y1.fma(f3, y2);
    y = y.fma(f3, y3);
    y = y.fma(f3, e.mul(LN2_LO));
    return e.fma(FloatVector.broadcast(S, LN2_HI), f2.fma(FloatVector.broadcast(S, -0.5f), f).add(y));
  }

  private static IntVector signBits(FloatVector x) {
    return x.reinterpretAsInts().and(0x80000000);
  }

  private static FloatVector flushSubnormal(FloatVector v) {
    return v.blend(signBits(v).reinterpretAsFloats(), v.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
  }
}
