package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.ComplexHost;
import dev.statelens.engine.ir.ArrayPrims;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ComplexPrims;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.ir.Primitive;
import java.util.Map;
import java.util.Set;

/**
 * complex64 on the CPU backend, wrapped once around every kernel ({@link CpuKernels#register}),
 * as {@link Widen16} is for 16-bit floats. A c64 buffer is interleaved (re, im) f32 pairs.
 *
 * <ul>
 *   <li>Primitives that act on each part alone (layout ops, gather/scatter-add, select, sums) run
 *       the real kernel twice, on the real parts and on the imaginary parts, and interleave the
 *       results: no kernel needs to know about complex numbers. add, sub and neg, per part too,
 *       run on the interleaved arrays directly (no part copies).
 *   <li>Primitives where the parts interact (mul, div, pow, abs, square, sign, eq, ne, cumprod,
 *       dot_general) have a complex kernel here; the elementary functions (exp, log, sqrt, sin,
 *       tanh, ...) are in {@link ComplexMath}.
 *   <li>Any other primitive refuses c64 with an error (the shape rules refuse it earlier, at
 *       trace time, for the ones JAX refuses).
 * </ul>
 * {@link FusedComplex} runs chains of the elementwise ones fused, with these same formulas.
 */
public final class ComplexKernels {
  private ComplexKernels() {}

  /** Kernels whose own code handles c64 buffers (convert, printing, data-agnostic reshapes). */
  private static final Set<Primitive> PASS_THROUGH = Set.of(Prims.CONVERT_ELEMENT_TYPE, Prims.DEBUG_PRINT,
      Prims.RESHAPE, Prims.SQUEEZE, Prims.STOP_GRADIENT);

  /** Run once on the real parts and once on the imaginary parts. */
  private static final Set<Primitive> PER_PART = Set.of(Prims.REDUCE_SUM,
      Prims.BROADCAST_IN_DIM, Prims.TRANSPOSE, Prims.REV, Prims.SLICE, Prims.PAD, Prims.CONCATENATE, Prims.GATHER,
      Prims.SCATTER_ADD, Prims.SELECT_N, ArrayPrims.SCATTER,
      ArrayPrims.DYNAMIC_SLICE, ArrayPrims.DYNAMIC_UPDATE_SLICE,
      ArrayPrims.CUMSUM);

  /** A kernel that takes c64 buffers as they are (registered through {@link #handlesComplex}). */
  record Native(CpuKernel kernel) implements CpuKernel {
    @Override
    public CpuBuffer[] apply(Params params, CpuBuffer[] inputs, Aval[] outAvals) {
      return kernel.apply(params, inputs, outAvals);
    }
  }

  /** Marks {@code kernel} as handling c64 buffers itself (no splitting around it). */
  public static CpuKernel handlesComplex(CpuKernel kernel) {
    return new Native(kernel);
  }

  static CpuKernel wrap(Primitive p, CpuKernel kernel) {
    if (kernel instanceof Native || kernel instanceof Split || PASS_THROUGH.contains(p)) {
      return kernel;
    }
    return new Split(p, kernel);
  }

  record Split(Primitive p, CpuKernel real) implements CpuKernel {
    @Override
    public CpuBuffer[] apply(Params params, CpuBuffer[] inputs, Aval[] outAvals) {
      if (!DTypeWrapping.involves(inputs, outAvals, DType::isComplex) || DTypeWrapping.hasSubGraph(params)) {
        return real.apply(params, inputs, outAvals);
      }
      CpuKernel own = COMPLEX.get(p);
      if (own != null) {
        return own.apply(params, inputs, outAvals);
      }
      if (PER_PART.contains(p)) {
        return perPart(real, params, inputs, outAvals);
      }
      throw new UnsupportedOperationException(p.name() + " does not support complex64 on the CPU backend;"
          + " apply it to real(), imag() or abs() of the value");
    }
  }

  static IllegalStateException reachedRealKernel(Primitive p) {
    return new IllegalStateException(p.name() + ": a complex64 operand reached a real kernel (ComplexKernels)");
  }

  // ---- per part ----------------------------------------------------------------------------

  static CpuBuffer[] perPart(CpuKernel real, Params params, CpuBuffer[] inputs, Aval[] outAvals) {
    CpuBuffer[] re = new CpuBuffer[inputs.length];
    CpuBuffer[] im = new CpuBuffer[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      re[i] = part(inputs[i], 0);
      im[i] = part(inputs[i], 1);
    }
    Aval[] realOut = DTypeWrapping.asF32(outAvals, DType::isComplex);
    CpuBuffer[] r = real.apply(params, re, realOut);
    CpuBuffer[] s = real.apply(params, im, realOut);
    CpuBuffer[] out = new CpuBuffer[outAvals.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = outAvals[i].dtype().isComplex() ? join(outAvals[i], r[i].f32(), s[i].f32()) : r[i];
    }
    return out;
  }

  /** The real (0) or imaginary (1) part of a c64 buffer as f32; other buffers as they are. */
  static CpuBuffer part(CpuBuffer b, int part) {
    if (!b.aval().dtype().isComplex()) {
      return b;
    }
    return new CpuBuffer(b.aval().withDType(DType.F32), ComplexHost.part(b.f32(), part));
  }

  static CpuBuffer join(Aval out, float[] re, float[] im) {
    return new CpuBuffer(out, ComplexHost.interleave(re, im));
  }

  // ---- complex kernels ---------------------------------------------------------------------

  /** Unary primitives that are a {@link ComplexMath} function: the kernels below and {@link FusedComplex}'s instructions. */
  static final Map<Primitive, ComplexMath.Unary> MATH = Map.ofEntries(
      Map.entry(Prims.EXP, ComplexMath::exp), Map.entry(Prims.EXPM1, ComplexMath::expm1),
      Map.entry(Prims.LOG, ComplexMath::log), Map.entry(Prims.LOG1P, ComplexMath::log1p),
      Map.entry(Prims.SQRT, ComplexMath::sqrt), Map.entry(Prims.RSQRT, ComplexMath::rsqrt),
      Map.entry(Prims.SIN, ComplexMath::sin), Map.entry(Prims.COS, ComplexMath::cos),
      Map.entry(Prims.TAN, ComplexMath::tan), Map.entry(Prims.SINH, ComplexMath::sinh),
      Map.entry(Prims.COSH, ComplexMath::cosh), Map.entry(Prims.TANH, ComplexMath::tanh));

  /**
   * Elements of c64 pow per thread at least: ~100 ns each, so a few thousand are worth a thread
   * (mul and div, ~1-2 ns, split at {@link Parallel#ELEMENTWISE_GRAIN} as the real kernels).
   */
  private static final int POW_GRAIN = 2048;

  /** c64 kernels of standard primitives whose parts interact. */
  private static final Map<Primitive, CpuKernel> COMPLEX = withMath(Map.ofEntries(
      Map.entry(Prims.ADD, (p, in, out) -> addOrSub(in, out[0], false)),
      Map.entry(Prims.SUB, (p, in, out) -> addOrSub(in, out[0], true)),
      Map.entry(Prims.NEG, (p, in, out) -> negate(in[0], out[0])),
      Map.entry(Prims.MUL, (p, in, out) -> binary(in, out[0], ComplexKernels::mulLoop, Parallel.ELEMENTWISE_GRAIN)),
      Map.entry(Prims.DIV, (p, in, out) -> binary(in, out[0], ComplexKernels::divLoop, Parallel.ELEMENTWISE_GRAIN)),
      Map.entry(Prims.POW, (p, in, out) -> binary(in, out[0], ComplexKernels::powLoop, POW_GRAIN)),
      Map.entry(Prims.SQUARE, (p, in, out) -> {
        float[] x = in[0].f32();
        float[] r = new float[x.length];
        squareLoop(x, 0, r, 0, x.length / 2);
        return new CpuBuffer[] {new CpuBuffer(out[0], r)};
      }),
      Map.entry(Prims.SIGN, (p, in, out) -> unary(in[0], out[0], ComplexKernels::sign)),
      Map.entry(Prims.ABS, (p, in, out) -> abs(in[0], out[0])),
      Map.entry(Prims.EQ, (p, in, out) -> equal(in, out[0], true)),
      Map.entry(Prims.NE, (p, in, out) -> equal(in, out[0], false)),
      Map.entry(ArrayPrims.CUMPROD, ComplexKernels::cumprod),
      Map.entry(Prims.REDUCE_MAX, (p, in, out) -> ComplexExtrema.reduce(p, in[0], out[0], true)),
      Map.entry(Prims.REDUCE_MIN, (p, in, out) -> ComplexExtrema.reduce(p, in[0], out[0], false)),
      Map.entry(ArrayPrims.CUMMAX, (p, in, out) -> ComplexExtrema.cumulative(p, in[0], out[0], true)),
      Map.entry(ArrayPrims.CUMMIN, (p, in, out) -> ComplexExtrema.cumulative(p, in[0], out[0], false)),
      Map.entry(Prims.DOT_GENERAL, ComplexKernels::dotGeneral)));

  /** {@code kernels} and a kernel for each {@link #MATH} function. */
  private static Map<Primitive, CpuKernel> withMath(Map<Primitive, CpuKernel> kernels) {
    Map<Primitive, CpuKernel> all = new java.util.HashMap<>(kernels);
    MATH.forEach((p, f) -> all.put(p, (params, in, out) -> unary(in[0], out[0], f::apply)));
    return Map.copyOf(all);
  }

  private interface UnaryOp {
    void apply(double a, double b, float[] r, int i);
  }

  /**
   * {@code (a + bi)(c + di)} with XLA CPU's bits. Its IR is {@code re = ac - bd, im = bc + ad} in
   * f32 (no C99 infinity repair), and LLVM contracts each into one FMA: the compiled kernel (scalar
   * and vector loops alike) is {@code re = fma(a, c, -(bd))}, {@code im = fma(b, c, ad)} with
   * {@code bd}, {@code ad} rounded to f32 first ({@code vfmsub231}/{@code vfmadd231}).
   * {@link Math#fma} rounds once, as the instruction does. So an f32 product that overflows
   * decides: {@code (1e30+1e30i)^2} has {@code re = -inf}, where exact arithmetic gives 0.
   * Subnormal operands and steps are flushed, as XLA's kernels run ({@link ComplexMath#flush}).
   */
  static void mul(float a, float b, float c, float d, float[] r, int i) {
    a = ComplexMath.flush(a);
    b = ComplexMath.flush(b);
    c = ComplexMath.flush(c);
    d = ComplexMath.flush(d);
    r[i] = ComplexMath.flush(Math.fma(a, c, -ComplexMath.flush(b * d)));
    r[i + 1] = ComplexMath.flush(Math.fma(b, c, ComplexMath.flush(a * d)));
  }

  /**
   * {@code lax.square} of c64 as XLA expands {@code chlo.square}: {@code re = (a - b)(a + b)},
   * {@code +0} where {@code |a| = |b|} and a is finite (so {@code (3e38+3e38i)^2} is {@code 0+infi},
   * not NaN), {@code im = (ab) * 2}, in f32, flushed as {@link #mul} (JAX 0.10.2's bits; {@code x * x} is {@link #mul}).
   */
  static void square(float a, float b, float[] r, int i) {
    a = ComplexMath.flush(a);
    b = ComplexMath.flush(b);
    r[i] = Float.isFinite(a) && Math.abs(a) == Math.abs(b) ? 0f
        : ComplexMath.flush(ComplexMath.flush(a - b) * ComplexMath.flush(a + b));
    r[i + 1] = ComplexMath.flush(ComplexMath.flush(a * b) * 2f);
  }

  /** Running products along the axis in XLA's order ({@link ComplexScanTree}), each step {@link #mul}. */
  private static CpuBuffer[] cumprod(Params p, CpuBuffer[] in, Aval[] outAvals) {
    return new CpuBuffer[] {new CpuBuffer(outAvals[0], ComplexScanTree.scanLines(p, in[0], ComplexKernels::mul, 1f, 0f))};
  }

  static void sign(double a, double b, float[] r, int i) {
    double m = Math.hypot(a, b);
    r[i] = m == 0 ? 0f : (float) (a / m);
    r[i + 1] = m == 0 ? 0f : (float) (b / m);
  }

  /**
   * A whole-array c64 loop: {@code r[ro + 2k ..] = op(x[xo + k xs ..], y[yo + k ys ..])} for
   * {@code k < len}, an operand's step 2 (dense) or 0 (one scalar).
   */
  interface PairLoop {
    void run(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len);
  }

  /**
   * Whether {@link ComplexVector} runs mul, div and square (AVX2 and {@code jdk.incubator.vector};
   * {@code -Dstatelens.cpu.vector=false} turns it off with the other vector kernels).
   */
  static final boolean VECTOR = vector();

  private static boolean vector() {
    if (!Matmul.vectorized()) {
      return false;
    }
    try {
      return ComplexVector.available();
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** {@link #mul} over {@code len} elements: whole vectors in {@link ComplexVector}, the rest here. */
  static void mulLoop(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    for (int k = VECTOR ? ComplexVector.mul(x, xo, xs, y, yo, ys, r, ro, len) : 0; k < len; k++) {
      int i = xo + k * xs;
      int j = yo + k * ys;
      mul(x[i], x[i + 1], y[j], y[j + 1], r, ro + 2 * k);
    }
  }

  /** {@link ComplexMath#div} over {@code len} elements, as {@link #mulLoop}. */
  static void divLoop(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    for (int k = VECTOR ? ComplexVector.div(x, xo, xs, y, yo, ys, r, ro, len) : 0; k < len; k++) {
      int i = xo + k * xs;
      int j = yo + k * ys;
      ComplexMath.div(x[i], x[i + 1], y[j], y[j + 1], r, ro + 2 * k);
    }
  }

  /** {@link ComplexMath#pow} over {@code len} elements, a chunk at a time ({@link ComplexPow}: four C library calls per element). */
  static void powLoop(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    ComplexPow.loop(x, xo, xs, y, yo, ys, r, ro, len);
  }

  /** {@link #square} over {@code len} dense elements, as {@link #mulLoop}. */
  static void squareLoop(float[] x, int xo, float[] r, int ro, int len) {
    for (int k = VECTOR ? ComplexVector.square(x, xo, r, ro, len) : 0; k < len; k++) {
      square(x[xo + 2 * k], x[xo + 2 * k + 1], r, ro + 2 * k);
    }
  }

  private static CpuBuffer[] binary(CpuBuffer[] in, Aval out, PairLoop loop, int grain) {
    int sx = in[0].aval().isScalar() ? 0 : 2;
    int sy = in[1].aval().isScalar() ? 0 : 2;
    float[] x = in[0].f32();
    float[] y = in[1].f32();
    int n = out.size();
    float[] r = new float[2 * n];
    Parallel.forRange(n, Parallel.parts(n, grain), 64,
        (from, to) -> loop.run(x, from * sx, sx, y, from * sy, sy, r, 2 * from, to - from));
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  /**
   * c64 {@code x + y} or {@code x - y} on the interleaved arrays: each part is the f32 add of its
   * parts (what {@link #perPart} gives, subnormals kept), without splitting the operands into four
   * part arrays, running the real kernel twice and interleaving its two results (four arrays of
   * the output's size per call besides the output; 4.9 ns an element on c64 [65536] against mul's 1.7).
   */
  private static CpuBuffer[] addOrSub(CpuBuffer[] in, Aval out, boolean sub) {
    float[] x = in[0].f32();
    float[] y = in[1].f32();
    boolean xScalar = in[0].aval().isScalar();
    boolean yScalar = in[1].aval().isScalar();
    float[] r = new float[2 * out.size()];
    Parallel.elementwise(out.size(), (from, to) -> {
      int a = 2 * from;
      int b = 2 * to;
      if (!xScalar && !yScalar) {
        if (sub) {
          for (int i = a; i < b; i++) r[i] = x[i] - y[i];
        } else {
          for (int i = a; i < b; i++) r[i] = x[i] + y[i];
        }
      } else if (!xScalar) {
        float re = y[0];
        float im = y[1];
        for (int i = a; i < b; i += 2) {
          r[i] = sub ? x[i] - re : x[i] + re;
          r[i + 1] = sub ? x[i + 1] - im : x[i + 1] + im;
        }
      } else {
        float re = x[0];
        float im = x[1];
        int step = yScalar ? 0 : 1;
        for (int i = a; i < b; i += 2) {
          r[i] = sub ? re - y[i * step] : re + y[i * step];
          r[i + 1] = sub ? im - y[i * step + 1] : im + y[i * step + 1];
        }
      }
    });
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  /** c64 {@code -x}: each part negated in place in the interleaved array (as {@link #addOrSub}). */
  private static CpuBuffer[] negate(CpuBuffer in, Aval out) {
    float[] x = in.f32();
    float[] r = new float[x.length];
    Parallel.elementwise(out.size(), (from, to) -> {
      for (int i = 2 * from; i < 2 * to; i++) r[i] = -x[i];
    });
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  private static CpuBuffer[] unary(CpuBuffer in, Aval out, UnaryOp op) {
    float[] x = in.f32();
    float[] r = new float[x.length];
    for (int k = 0; k < x.length; k += 2) {
      op.apply(x[k], x[k + 1], r, k);
    }
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  private static CpuBuffer[] abs(CpuBuffer in, Aval out) {
    float[] x = in.f32();
    float[] r = new float[x.length / 2];
    for (int k = VECTOR ? ComplexVector.abs(x, r, r.length) : 0; k < r.length; k++) {
      r[k] = abs(x[2 * k], x[2 * k + 1]);
    }
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  /**
   * {@code |a + bi|} with XLA CPU's bits (also {@link FusedComplex}'s): its emitter's
   * {@code max * sqrt(fma(q, q, 1))} in f32, {@code q = min / max} of the parts' magnitudes, and
   * {@code min} where that is NaN (0/0 at zero, inf/inf at (inf, inf)); {@code Math.max/min} give NaN
   * when either is NaN, as {@code llvm.maximum/minimum}; subnormals flushed. {@code Math.hypot}
   * rounded to f32 differs from it in about a fifth of random inputs (real JAX 0.10.2,
   * complex/bits/abs), and takes ~20 ns.
   */
  static float abs(float re, float im) {
    float a = Math.abs(ComplexMath.flush(re));
    float b = Math.abs(ComplexMath.flush(im));
    float hi = Math.max(a, b);
    float lo = Math.min(a, b);
    float q = ComplexMath.flush(lo / hi);
    float m = ComplexMath.flush(hi * (float) Math.sqrt(Math.fma(q, q, 1f)));
    return Float.isNaN(m) ? lo : m;
  }

  private static CpuBuffer[] equal(CpuBuffer[] in, Aval out, boolean eq) {
    float[] x = in[0].f32();
    float[] y = in[1].f32();
    int sx = in[0].aval().isScalar() ? 0 : 2;
    int sy = in[1].aval().isScalar() ? 0 : 2;
    boolean[] r = new boolean[out.size()];
    for (int k = 0; k < r.length; k++) {
      boolean same = x[k * sx] == y[k * sy] && x[k * sx + 1] == y[k * sy + 1];
      r[k] = eq == same;
    }
    return new CpuBuffer[] {new CpuBuffer(out, r)};
  }

  /** (a + bi)(c + di) = (ac - bd) + (ad + bc)i with four real dot_generals. */
  private static CpuBuffer[] dotGeneral(Params p, CpuBuffer[] in, Aval[] out) {
    CpuKernel real = CpuKernels.lookup(Prims.DOT_GENERAL);
    Params realParams = p.has("preferred_element_type") ? p.with("preferred_element_type", DType.F32) : p;
    Aval[] realOut = {out[0].withDType(DType.F32)};
    CpuBuffer a = part(in[0], 0);
    CpuBuffer b = part(in[0], 1);
    CpuBuffer c = part(in[1], 0);
    CpuBuffer d = part(in[1], 1);
    float[] ac = real.apply(realParams, new CpuBuffer[] {a, c}, realOut)[0].f32();
    float[] bd = real.apply(realParams, new CpuBuffer[] {b, d}, realOut)[0].f32();
    float[] ad = real.apply(realParams, new CpuBuffer[] {a, d}, realOut)[0].f32();
    float[] bc = real.apply(realParams, new CpuBuffer[] {b, c}, realOut)[0].f32();
    float[] r = new float[2 * ac.length];
    for (int k = 0; k < ac.length; k++) {
      r[2 * k] = ac[k] - bd[k];
      r[2 * k + 1] = ad[k] + bc[k];
    }
    return new CpuBuffer[] {new CpuBuffer(out[0], r)};
  }

  // ---- the complex primitives ----------------------------------------------------------------

  static void registerAll() {
    CpuKernels.register(Prims.REDUCE_PROD, handlesComplex((p, in, out) -> new CpuBuffer[] {
        new CpuBuffer(out[0], ComplexReduceTree.reduce(p, in[0], out[0], ComplexKernels::mul, 1f, 0f))}));
    CpuKernels.register(ComplexPrims.COMPLEX, handlesComplex((p, in, out) -> {
      float[] re = in[0].f32();
      float[] im = in[1].f32();
      int n = out[0].size();
      int sr = in[0].aval().isScalar() ? 0 : 1;
      int si = in[1].aval().isScalar() ? 0 : 1;
      float[] r = new float[2 * n];
      for (int k = 0; k < n; k++) {
        r[2 * k] = re[k * sr];
        r[2 * k + 1] = im[k * si];
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], r)};
    }));
    CpuKernels.register(ComplexPrims.REAL, handlesComplex((p, in, out) ->
        new CpuBuffer[] {new CpuBuffer(out[0], ComplexHost.part(in[0].f32(), 0))}));
    CpuKernels.register(ComplexPrims.IMAG, handlesComplex((p, in, out) ->
        new CpuBuffer[] {new CpuBuffer(out[0], ComplexHost.part(in[0].f32(), 1))}));
    CpuKernels.register(ComplexPrims.CONJ, handlesComplex((p, in, out) -> {
      float[] r = in[0].f32().clone();
      for (int k = 1; k < r.length; k += 2) {
        r[k] = -r[k];
      }
      return new CpuBuffer[] {new CpuBuffer(out[0], r)};
    }));
  }
}
