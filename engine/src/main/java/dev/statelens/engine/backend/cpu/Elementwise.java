package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Prims;

/**
 * Elementwise kernels: plain loops over primitive arrays. A rank-0 operand mixed with a shaped
 * one is read with stride 0. F32 arithmetic is done in double and rounded once, which gives the
 * correctly rounded float result for + - * / sqrt. Float kernels over more than 64k elements
 * split over the cores ({@link Parallel}); each element's result is the same either way.
 */
final class Elementwise {
  private Elementwise() {}

  @FunctionalInterface interface D2D { double apply(double x); }
  @FunctionalInterface interface I2I { int apply(int x); }
  @FunctionalInterface interface DD2D { double apply(double a, double b); }
  @FunctionalInterface interface II2I { int apply(int a, int b); }
  @FunctionalInterface interface BB2B { boolean apply(boolean a, boolean b); }
  @FunctionalInterface interface DDTest { boolean test(double a, double b); }
  @FunctionalInterface interface IITest { boolean test(int a, int b); }

  // The float functions of the eager kernels, by primitive: the fused loops (FusedElementwise)
  // call exactly these, so fused and unfused results agree bit for bit.
  static final java.util.Map<dev.statelens.engine.ir.Primitive, D2D> FLOAT_UNARY = new java.util.concurrent.ConcurrentHashMap<>();
  static final java.util.Map<dev.statelens.engine.ir.Primitive, DD2D> FLOAT_BINARY = new java.util.concurrent.ConcurrentHashMap<>();
  static final java.util.Map<dev.statelens.engine.ir.Primitive, DDTest> FLOAT_COMPARE = new java.util.concurrent.ConcurrentHashMap<>();

  static void registerAll() {
    // numeric unary
    unary(Prims.NEG, x -> -x, x -> -x, x -> -x, null);
    unary(Prims.SIGN, Math::signum, Integer::signum, x -> x != 0 ? 1 : 0, null);
    unary(Prims.ABS, Math::abs, Math::abs, x -> x, null);
    unary(Prims.SQUARE, x -> x * x, x -> x * x, x -> x * x, null);
    unary(Prims.NOT, null, x -> ~x, x -> ~x, true);
    // float unary
    unary(Prims.FLOOR, Math::floor, null, null, null);
    unary(Prims.CEIL, Math::ceil, null, null, null);
    unary(Prims.ROUND, Elementwise::roundHalfAway, null, null, null);
    unary(Prims.EXP, Math::exp, null, null, null);
    unary(Prims.LOG, Math::log, null, null, null);
    unary(Prims.LOG1P, Math::log1p, null, null, null);
    unary(Prims.ERF, Erf::erf, null, null, null);
    // XLA's split: 1 - erf below |x| = 1, Cephes' rational tail above (SpecialFunctions.erfc)
    unary(Prims.ERFC, SpecialFunctions::erfc, null, null, null);
    unary(Prims.LGAMMA, SpecialFunctions::lgamma, null, null, null);
    unary(Prims.DIGAMMA, SpecialFunctions::digamma, null, null, null);
    unary(Prims.EXPM1, Math::expm1, null, null, null);
    unary(Prims.TANH, Math::tanh, null, null, null);
    unary(Prims.LOGISTIC, Elementwise::logistic, null, null, null);
    unary(Prims.SIN, Math::sin, null, null, null);
    unary(Prims.COS, Math::cos, null, null, null);
    unary(Prims.TAN, Math::tan, null, null, null);
    unary(Prims.ASIN, Math::asin, null, null, null);
    unary(Prims.ACOS, Math::acos, null, null, null);
    unary(Prims.ATAN, Math::atan, null, null, null);
    unary(Prims.SINH, Math::sinh, null, null, null);
    unary(Prims.COSH, Math::cosh, null, null, null);
    unary(Prims.ASINH, InverseHyperbolic::asinh, null, null, null);
    unary(Prims.ACOSH, InverseHyperbolic::acosh, null, null, null);
    unary(Prims.ATANH, InverseHyperbolic::atanh, null, null, null);
    // 2^x exact at integers (JAX's f32 exp(ln 2 * x) is not: 8192.004 for 2^13)
    unary(Prims.EXP2, x -> Math.pow(2, x), null, null, null);
    unary(Prims.SQRT, Math::sqrt, null, null, null);
    unary(Prims.RSQRT, x -> 1 / Math.sqrt(x), null, null, null);
    unary(Prims.CBRT, Math::cbrt, null, null, null);
    CpuKernels.register(Prims.STOP_GRADIENT, (p, in, out) -> new CpuBuffer[] {in[0]});
    CpuKernels.register(Prims.IS_FINITE, (p, in, out) -> {
      int n = in[0].aval().size();
      boolean[] o = new boolean[n];
      if (in[0].data() instanceof float[] a) {
        for (int i = 0; i < n; i++) o[i] = Float.isFinite(a[i]);
      } else {
        double[] a = in[0].f64();
        for (int i = 0; i < n; i++) o[i] = Double.isFinite(a[i]);
      }
      return one(out[0], o);
    });

    // arithmetic
    binary(Prims.ADD, Double::sum, Integer::sum, Integer::sum, null);
    binary(Prims.SUB, (a, b) -> a - b, (a, b) -> a - b, (a, b) -> a - b, null);
    binary(Prims.MUL, (a, b) -> a * b, (a, b) -> a * b, (a, b) -> a * b, null);
    binary(Prims.DIV, (a, b) -> a / b, Elementwise::divI32, Elementwise::divU32, null);
    binary(Prims.REM, (a, b) -> a % b, (a, b) -> b == 0 ? a : a % b,
        (a, b) -> b == 0 ? a : Integer.remainderUnsigned(a, b), null);
    binary(Prims.POW, Math::pow, Elementwise::powI32, Elementwise::powI32, null);
    binary(Prims.MAX, Elementwise::maxNaN, Math::max, (a, b) -> Integer.compareUnsigned(a, b) >= 0 ? a : b, (a, b) -> a | b);
    binary(Prims.MIN, Elementwise::minNaN, Math::min, (a, b) -> Integer.compareUnsigned(a, b) <= 0 ? a : b, (a, b) -> a & b);
    binary(Prims.ATAN2, Math::atan2, null, null, null);
    binary(Prims.POLYGAMMA, SpecialFunctions::polygamma, null, null, null);
    // not a FLOAT_BINARY (so not fused): f32 zeta has its own steps (SpecialFunctions.zetaF32)
    CpuKernels.register(Prims.ZETA, (params, in, out) -> one(out[0], zeta(in, out[0].size())));
    binary(Prims.IGAMMA, SpecialFunctions::igamma, null, null, null);
    binary(Prims.IGAMMAC, SpecialFunctions::igammac, null, null, null);
    binary(Prims.IGAMMA_GRAD_A, SpecialFunctions::igammaGradA, null, null, null);
    binary(Prims.RANDOM_GAMMA_GRAD, SpecialFunctions::randomGammaGrad, null, null, null);
    CpuKernels.register(Prims.BETAINC, (params, in, out) -> one(out[0], ternaryFloat(in, out[0].size())));
    binary(Prims.AND, null, (a, b) -> a & b, (a, b) -> a & b, (a, b) -> a & b);
    binary(Prims.OR, null, (a, b) -> a | b, (a, b) -> a | b, (a, b) -> a | b);
    binary(Prims.XOR, null, (a, b) -> a ^ b, (a, b) -> a ^ b, (a, b) -> a ^ b);
    II2I shl = (a, b) -> Integer.compareUnsigned(b, 32) >= 0 ? 0 : a << b;
    II2I shrl = (a, b) -> Integer.compareUnsigned(b, 32) >= 0 ? 0 : a >>> b;
    II2I shra = (a, b) -> Integer.compareUnsigned(b, 32) >= 0 ? a >> 31 : a >> b;
    binary(Prims.SHIFT_LEFT, null, shl, shl, null);
    binary(Prims.SHIFT_RIGHT_LOGICAL, null, shrl, shrl, null);
    binary(Prims.SHIFT_RIGHT_ARITHMETIC, null, shra, shra, null);

    // comparisons
    compare(Prims.EQ, (a, b) -> a == b, (a, b) -> a == b, (a, b) -> a == b);
    compare(Prims.NE, (a, b) -> a != b, (a, b) -> a != b, (a, b) -> a != b);
    compare(Prims.LT, (a, b) -> a < b, (a, b) -> a < b, (a, b) -> Integer.compareUnsigned(a, b) < 0);
    compare(Prims.LE, (a, b) -> a <= b, (a, b) -> a <= b, (a, b) -> Integer.compareUnsigned(a, b) <= 0);
    compare(Prims.GT, (a, b) -> a > b, (a, b) -> a > b, (a, b) -> Integer.compareUnsigned(a, b) > 0);
    compare(Prims.GE, (a, b) -> a >= b, (a, b) -> a >= b, (a, b) -> Integer.compareUnsigned(a, b) >= 0);

    CpuKernels.register(Prims.SELECT_N, (p, in, out) -> select(in[0], in[1], in[2], out[0]));
    CpuKernels.register(Prims.CONVERT_ELEMENT_TYPE, (p, in, out) ->
        one(out[0], HostArrays.convert(in[0].data(), in[0].aval().dtype(), out[0].dtype())));
    CpuKernels.register(Prims.BITCAST_CONVERT_TYPE, (p, in, out) -> one(out[0], bitcast(in[0], out[0].dtype())));
  }

  static CpuBuffer[] one(Aval aval, Object data) {
    return new CpuBuffer[] {new CpuBuffer(aval, data)};
  }

  static double roundHalfAway(double x) {
    double a = Math.abs(x);
    double t = Math.floor(a);
    double r = a - t >= 0.5 ? t + 1 : t;
    return Math.copySign(r, x);
  }

  static double logistic(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  static double maxNaN(double a, double b) {
    return Math.max(a, b);
  }

  static double minNaN(double a, double b) {
    return Math.min(a, b);
  }

  /** XLA semantics: x/0 = -1, MIN/-1 = MIN. */
  static int divI32(int a, int b) {
    return b == 0 ? -1 : a / b;
  }

  static int divU32(int a, int b) {
    return b == 0 ? -1 : Integer.divideUnsigned(a, b);
  }

  /** Integer power by squaring; a negative exponent gives 0 unless the base is 1 or -1. */
  static int powI32(int base, int exp) {
    if (exp < 0) {
      return base == 1 ? 1 : base == -1 ? ((exp & 1) == 0 ? 1 : -1) : 0;
    }
    int result = 1;
    int b = base;
    int e = exp;
    while (e != 0) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
      e >>>= 1;
    }
    return result;
  }

  /** Kernels never see 16-bit operands: {@link Widen16} widens them to f32 around every kernel. */
  static IllegalStateException widenedBefore(dev.statelens.engine.ir.Primitive p) {
    return new IllegalStateException(p.name() + ": a 16-bit operand reached the f32 kernel unwidened (Widen16)");
  }

  private static void unary(dev.statelens.engine.ir.Primitive p, D2D f, I2I fi, I2I fu, Boolean boolNot) {
    if (f != null) {
      FLOAT_UNARY.put(p, f);
    }
    XlaF32Math.Fn xla = XlaF32Math.Fn.of(p); // f32 exp, log, tanh, logistic: XLA's own bits
    CpuKernels.register(p, (params, in, out) -> {
      CpuBuffer x = in[0];
      int n = x.aval().size();
      Object o = switch (x.aval().dtype()) {
        case F32 -> {
          float[] a = x.f32();
          float[] r = new float[n];
          Parallel.elementwise(n, (from, to) -> {
            if (xla != null) {
              XlaF32Math.apply(xla, a, from, r, from, to - from);
            } else {
              for (int i = from; i < to; i++) r[i] = (float) f.apply(a[i]);
            }
          });
          yield r;
        }
        case F64 -> {
          double[] a = x.f64();
          double[] r = new double[n];
          Parallel.elementwise(n, (from, to) -> {
            for (int i = from; i < to; i++) r[i] = f.apply(a[i]);
          });
          yield r;
        }
        case I32, U32 -> {
          I2I g = x.aval().dtype() == DType.I32 ? fi : fu;
          int[] a = x.i32();
          int[] r = new int[n];
          for (int i = 0; i < n; i++) r[i] = g.apply(a[i]);
          yield r;
        }
        case BOOL -> {
          if (boolNot == null) {
            throw new IllegalArgumentException(p.name() + " is not defined for bool");
          }
          boolean[] a = x.bool();
          boolean[] r = new boolean[n];
          for (int i = 0; i < n; i++) r[i] = !a[i];
          yield r;
        }
        case BF16, F16 -> throw Elementwise.widenedBefore(p);
        case C64 -> throw ComplexKernels.reachedRealKernel(p);
      };
      return one(out[0], o);
    });
  }

  private static void binary(dev.statelens.engine.ir.Primitive p, DD2D f, II2I fi, II2I fu, BB2B fb) {
    if (f != null) {
      FLOAT_BINARY.put(p, f);
    }
    CpuKernels.register(p, (params, in, out) -> {
      CpuBuffer x = in[0];
      CpuBuffer y = in[1];
      int n = out[0].size();
      int sx = x.aval().isScalar() ? 0 : 1;
      int sy = y.aval().isScalar() ? 0 : 1;
      Object o = switch (x.aval().dtype()) {
        case F32 -> binF32(p, f, x.f32(), sx, y.f32(), sy, n);
        case F64 -> binF64(p, f, x.f64(), sx, y.f64(), sy, n);
        case I32 -> binI32(fi, x.i32(), sx, y.i32(), sy, n);
        case U32 -> binI32(fu, x.i32(), sx, y.i32(), sy, n);
        case BOOL -> {
          boolean[] a = x.bool();
          boolean[] b = y.bool();
          boolean[] r = new boolean[n];
          if (sx == 1 && sy == 1 && p == Prims.AND) {
            for (int i = 0; i < n; i++) r[i] = a[i] & b[i]; // a causal mask's and: vectorized, no interface call
          } else if (sx == 1 && sy == 1 && p == Prims.OR) {
            for (int i = 0; i < n; i++) r[i] = a[i] | b[i];
          } else {
            for (int i = 0; i < n; i++) r[i] = fb.apply(a[i * sx], b[i * sy]);
          }
          yield r;
        }
        case BF16, F16 -> throw Elementwise.widenedBefore(p);
        case C64 -> throw ComplexKernels.reachedRealKernel(p);
      };
      return one(out[0], o);
    });
  }

  // add/sub/mul/div/max/min get their own loops: a shared loop over the DD2D interface is a megamorphic
  // call per element. Float + - * / equal the double op rounded once to float (p=24 <= (53-2)/2),
  // so the results are the same bits as the generic path and the fused kernels. Each op has one
  // loop per layout (both dense, scalar right, scalar left): C2 vectorizes `a[i] + c` but not
  // `a[i * sa] + b[i * sb]` (x * 2 or maximum(x, 0) ran 5–7 times slower through the strided form).
  private static float[] binF32(dev.statelens.engine.ir.Primitive p, DD2D f, float[] a, int sa, float[] b, int sb, int n) {
    float[] r = new float[n];
    Parallel.elementwise(n, (from, to) -> {
      if (sa == 1 && sb == 1) {
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = a[i] + b[i]; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = a[i] - b[i]; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = a[i] * b[i]; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = a[i] / b[i]; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(a[i], b[i]); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(a[i], b[i]); }
        else { for (int i = from; i < to; i++) r[i] = (float) f.apply(a[i], b[i]); }
      } else if (sa == 1) { // b is a scalar
        float c = b[0];
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = a[i] + c; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = a[i] - c; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = a[i] * c; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = a[i] / c; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(a[i], c); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(a[i], c); }
        else { for (int i = from; i < to; i++) r[i] = (float) f.apply(a[i], c); }
      } else { // a is a scalar (b may be one too)
        float c = a[0];
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = c + b[i * sb]; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = c - b[i * sb]; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = c * b[i * sb]; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = c / b[i * sb]; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(c, b[i * sb]); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(c, b[i * sb]); }
        else { for (int i = from; i < to; i++) r[i] = (float) f.apply(c, b[i * sb]); }
      }
    });
    return r;
  }

  private static double[] binF64(dev.statelens.engine.ir.Primitive p, DD2D f, double[] a, int sa, double[] b, int sb, int n) {
    double[] r = new double[n];
    Parallel.elementwise(n, (from, to) -> {
      if (sa == 1 && sb == 1) {
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = a[i] + b[i]; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = a[i] - b[i]; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = a[i] * b[i]; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = a[i] / b[i]; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(a[i], b[i]); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(a[i], b[i]); }
        else { for (int i = from; i < to; i++) r[i] = f.apply(a[i], b[i]); }
      } else if (sa == 1) {
        double c = b[0];
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = a[i] + c; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = a[i] - c; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = a[i] * c; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = a[i] / c; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(a[i], c); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(a[i], c); }
        else { for (int i = from; i < to; i++) r[i] = f.apply(a[i], c); }
      } else {
        double c = a[0];
        if (p == Prims.ADD) { for (int i = from; i < to; i++) r[i] = c + b[i * sb]; }
        else if (p == Prims.SUB) { for (int i = from; i < to; i++) r[i] = c - b[i * sb]; }
        else if (p == Prims.MUL) { for (int i = from; i < to; i++) r[i] = c * b[i * sb]; }
        else if (p == Prims.DIV) { for (int i = from; i < to; i++) r[i] = c / b[i * sb]; }
        else if (p == Prims.MAX) { for (int i = from; i < to; i++) r[i] = Math.max(c, b[i * sb]); }
        else if (p == Prims.MIN) { for (int i = from; i < to; i++) r[i] = Math.min(c, b[i * sb]); }
        else { for (int i = from; i < to; i++) r[i] = f.apply(c, b[i * sb]); }
      }
    });
    return r;
  }

  private static int[] binI32(II2I f, int[] a, int sa, int[] b, int sb, int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = f.apply(a[i * sa], b[i * sb]);
    }
    return r;
  }

  /** zeta's loop: each operand read with stride 0 when rank-0; f32 in f32 ({@link SpecialFunctions#zetaF32}). */
  private static Object zeta(CpuBuffer[] in, int n) {
    int sx = in[0].aval().isScalar() ? 0 : 1;
    int sq = in[1].aval().isScalar() ? 0 : 1;
    if (in[0].data() instanceof float[] x) {
      float[] q = in[1].f32();
      float[] r = new float[n];
      Parallel.elementwise(n, (from, to) -> {
        for (int i = from; i < to; i++) r[i] = SpecialFunctions.zetaF32(x[i * sx], q[i * sq]);
      });
      return r;
    }
    double[] x = in[0].f64();
    double[] q = in[1].f64();
    double[] r = new double[n];
    Parallel.elementwise(n, (from, to) -> {
      for (int i = from; i < to; i++) r[i] = SpecialFunctions.zeta(x[i * sx], q[i * sq]);
    });
    return r;
  }

  /** betainc's loop: each operand read with stride 0 when rank-0; double, rounded once for f32. */
  private static Object ternaryFloat(CpuBuffer[] in, int n) {
    int sa = in[0].aval().isScalar() ? 0 : 1;
    int sb = in[1].aval().isScalar() ? 0 : 1;
    int sx = in[2].aval().isScalar() ? 0 : 1;
    if (in[0].data() instanceof float[] a) {
      float[] b = in[1].f32();
      float[] x = in[2].f32();
      float[] r = new float[n];
      Parallel.elementwise(n, (from, to) -> {
        for (int i = from; i < to; i++) r[i] = (float) SpecialFunctions.betainc(a[i * sa], b[i * sb], x[i * sx]);
      });
      return r;
    }
    double[] a = in[0].f64();
    double[] b = in[1].f64();
    double[] x = in[2].f64();
    double[] r = new double[n];
    Parallel.elementwise(n, (from, to) -> {
      for (int i = from; i < to; i++) r[i] = SpecialFunctions.betainc(a[i * sa], b[i * sb], x[i * sx]);
    });
    return r;
  }

  private static void compare(dev.statelens.engine.ir.Primitive p, DDTest f, IITest fi, IITest fu) {
    FLOAT_COMPARE.put(p, f);
    CpuKernels.register(p, (params, in, out) -> {
      CpuBuffer x = in[0];
      CpuBuffer y = in[1];
      int n = out[0].size();
      int sx = x.aval().isScalar() ? 0 : 1;
      int sy = y.aval().isScalar() ? 0 : 1;
      boolean[] r = new boolean[n];
      switch (x.aval().dtype()) {
        case F32 -> {
          // through doubles in blocks: the branch-free loops of FusedElementwise (f.test here was
          // a megamorphic call and a mispredicted branch per element)
          float[] a = x.f32();
          float[] b = y.f32();
          FusedElementwise.compareFloats(p, a, sx, b, sy, r, n);
        }
        case F64 -> {
          double[] a = x.f64();
          double[] b = y.f64();
          FusedElementwise.compareFloats(p, a, sx, b, sy, r, n);
        }
        case I32, U32 -> {
          IITest g = x.aval().dtype() == DType.I32 ? fi : fu;
          int[] a = x.i32();
          int[] b = y.i32();
          for (int i = 0; i < n; i++) r[i] = g.test(a[i * sx], b[i * sy]);
        }
        case BOOL -> {
          boolean[] a = x.bool();
          boolean[] b = y.bool();
          for (int i = 0; i < n; i++) r[i] = fi.test(a[i * sx] ? 1 : 0, b[i * sy] ? 1 : 0);
        }
      }
      return one(out[0], r);
    });
  }

  private static CpuBuffer[] select(CpuBuffer which, CpuBuffer c0, CpuBuffer c1, Aval out) {
    int n = out.size();
    boolean[] w = which.bool();
    int sw = which.aval().isScalar() ? 0 : 1;
    Object r = HostArrays.allocate(out.dtype(), n);
    switch (r) {
      // bit masks instead of `w ? b : a`: no branch to mispredict, and exactly one operand's bits
      case float[] o -> {
        float[] a = c0.f32(), b = c1.f32();
        for (int i = 0; i < n; i++) {
          int m = -(w[i * sw] ? 1 : 0);
          o[i] = Float.intBitsToFloat((Float.floatToRawIntBits(b[i]) & m) | (Float.floatToRawIntBits(a[i]) & ~m));
        }
      }
      case double[] o -> {
        double[] a = c0.f64(), b = c1.f64();
        for (int i = 0; i < n; i++) {
          long m = -(long) (w[i * sw] ? 1 : 0);
          o[i] = Double.longBitsToDouble((Double.doubleToRawLongBits(b[i]) & m) | (Double.doubleToRawLongBits(a[i]) & ~m));
        }
      }
      case int[] o -> { int[] a = c0.i32(), b = c1.i32(); for (int i = 0; i < n; i++) o[i] = w[i * sw] ? b[i] : a[i]; }
      case boolean[] o -> { boolean[] a = c0.bool(), b = c1.bool(); for (int i = 0; i < n; i++) o[i] = w[i * sw] ? b[i] : a[i]; }
      default -> throw new AssertionError();
    }
    return one(out, r);
  }

  private static Object bitcast(CpuBuffer x, DType to) {
    int n = x.aval().size();
    if (x.aval().dtype() == to) {
      return x.data(); // f32 -> f32 (a bound primitive; Array.bitcast returns the array itself): the same bits
    }
    if (x.data() instanceof float[] a) {
      int[] r = new int[n];
      for (int i = 0; i < n; i++) r[i] = Float.floatToRawIntBits(a[i]);
      return r;
    }
    if (to == DType.F32) {
      int[] a = x.i32();
      float[] r = new float[n];
      for (int i = 0; i < n; i++) r[i] = Float.intBitsToFloat(a[i]);
      return r;
    }
    return x.data(); // i32 <-> u32: same bits
  }
}
