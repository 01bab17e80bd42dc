package dev.statelens.engine.backend.cpu;

/**
 * Batched row-major matrix multiply C[b] = A[b] (m x k) @ B[b] (k x n) for dot_general.
 *
 * <ul>
 *   <li>small products (under {@link #BLOCKED_MIN_FLOPS}): F32 with more than one column:
 *       {@link VectorMatmul#f32Small} (FMA rows, no packing; for k up to one K block the blocked
 *       kernel's bits); matrix-vector and F64 products a plain i-k-j loop, no packing;
 *   <li>large F32/F64 products: {@link VectorMatmul} (packed panels, FMA micro-kernel on the JDK
 *       Vector API) when {@code jdk.incubator.vector} is in the JVM (run with
 *       {@code --add-modules jdk.incubator.vector}); otherwise the i-k-j loop blocked over k;
 *   <li>both split the rows of C over the cores when the product is large ({@link Parallel}).
 * </ul>
 * The system property {@code statelens.cpu.vector=false} turns the Vector API path off.
 */
public final class Matmul {
  /** Below this many multiply-adds per batch entry packing does not pay. */
  static final long BLOCKED_MIN_FLOPS = 48L * 48 * 48;
  /** Up to this many multiply-adds a product with k ≤ one K block still runs the FMA rows unpacked. */
  static final long SMALL_MAX_FLOPS = 48L * 192 * 48;
  /** Multiply-adds per thread below which a second thread does not pay. */
  static final long PARALLEL_GRAIN_FLOPS = 1L << 20;

  /** Which implementation runs (tests and benchmarks pin one; AUTO is what dot_general uses). */
  public enum Impl { AUTO, SIMPLE, BLOCKED_SCALAR, VECTOR, SMALL_VECTOR }

  private static final boolean VECTOR = vectorAvailable();

  private Matmul() {}

  private static boolean vectorAvailable() {
    if ("false".equalsIgnoreCase(System.getProperty("statelens.cpu.vector", "true").trim())) {
      return false;
    }
    try {
      return VectorMatmul.floatLanes() >= 4;
    } catch (LinkageError | RuntimeException e) {
      return false; // no jdk.incubator.vector in this JVM (or bundle): scalar kernels
    }
  }

  /** True when the Vector API kernels are in use. */
  public static boolean vectorized() {
    return VECTOR;
  }

  /** A one-line description for benchmarks and diagnostics. */
  public static String describe() {
    return VECTOR ? "vector (" + VectorMatmul.floatLanes() + " float lanes), " + Parallel.threads() + " threads"
        : "scalar (jdk.incubator.vector not loaded), " + Parallel.threads() + " threads";
  }

  /** Row-major {@code a (m x k) @ b (k x n)} with a chosen implementation (for benchmarks). */
  public static float[] multiply(float[] a, float[] b, int m, int k, int n, Impl impl) {
    return f32(a, b, 1, m, k, n, impl);
  }

  static float[] f32(float[] a, float[] b, int batch, int m, int k, int n) {
    return f32(a, b, batch, m, k, n, Impl.AUTO);
  }

  static double[] f64(double[] a, double[] b, int batch, int m, int k, int n) {
    return f64(a, b, batch, m, k, n, Impl.AUTO);
  }

  /** The implementation {@code dot_general} runs for one {@code m x k x n} product (tests). */
  static Impl chosen(int m, int k, int n) {
    return choose(Impl.AUTO, m, k, n);
  }

  private static Impl choose(Impl impl, int m, int k, int n) {
    if (impl != Impl.AUTO) {
      if ((impl == Impl.VECTOR || impl == Impl.SMALL_VECTOR) && !VECTOR) {
        throw new IllegalStateException("Vector API kernels requested but jdk.incubator.vector is not loaded;"
            + " run the JVM with --add-modules jdk.incubator.vector");
      }
      return impl;
    }
    if ((long) m * k * n < BLOCKED_MIN_FLOPS) {
      // FMA rows without packing, narrow ones too (a gnn layer's [800,16] x [16,3], its weight
      // gradients contracting 800 edges): each element one FMA chain over k, as XLA's CPU dot
      // computes these (bench/cpu/dot_bits.py), and within one KC block the blocked kernel's sums.
      // A matrix-vector product keeps the scalar dot form.
      return VECTOR && n > 1 ? Impl.SMALL_VECTOR : Impl.SIMPLE;
    }
    if (VECTOR && n > 1 && k <= VectorMatmul.KC && (long) m * k * n <= SMALL_MAX_FLOPS) {
      // Muon's Newton–Schulz products (48 x 48 x 48, 48 x 48 x 192, 48 x 192 x 48): the blocked
      // kernel allocated and zeroed ~200 KB of packing buffers per call (38 µs for 48³); within
      // one K block the FMA rows give the blocked kernel's bits
      return Impl.SMALL_VECTOR;
    }
    return VECTOR ? Impl.VECTOR : Impl.BLOCKED_SCALAR;
  }

  /**
   * {@code aᵀ (k x m, row-major) transposed, times b}, when the product takes the blocked Vector
   * kernel (which packs A's columns in place: no transposed copy); null otherwise, and the caller
   * transposes A and calls {@link #f32}. Same bits as that path.
   */
  static float[] f32TransposedA(float[] at, float[] b, int m, int k, int n) {
    Impl use = choose(Impl.AUTO, m, k, n);
    if (use == Impl.SMALL_VECTOR) {
      // a small weight gradient (the gnn's [800,16]ᵀ[800,3]): FMA chains down A's rows in place,
      // no transposed copy of A, no B padded to 16 columns; the small kernel's bits
      float[] c = new float[m * n];
      VectorMatmul.f32SmallTransposedA(at, b, c, m, k, n);
      return c;
    }
    if (use != Impl.VECTOR) {
      return null;
    }
    float[] c = new float[m * n];
    Parallel.forRange(m, Parallel.parts((long) m * k * n, PARALLEL_GRAIN_FLOPS), VectorMatmul.MR,
        (r0, r1) -> VectorMatmul.f32Rows(at, 0, true, b, 0, c, 0, m, k, n, r0, r1));
    return c;
  }

  static float[] f32(float[] a, float[] b, int batch, int m, int k, int n, Impl impl) {
    float[] c = new float[batch * m * n];
    Impl use = choose(impl, m, k, n);
    long flops = (long) m * k * n;
    if (use == Impl.SMALL_VECTOR) {
      // many small products (attention's per-head ones): the batch entries are split over threads
      Parallel.forRange(batch, Parallel.parts(flops * batch, PARALLEL_GRAIN_FLOPS), 1,
          (e0, e1) -> VectorMatmul.f32Small(a, b, c, m, k, n, e0, e1));
      return c;
    }
    for (int bt = 0; bt < batch; bt++) {
      int ao = bt * m * k;
      int bo = bt * k * n;
      int co = bt * m * n;
      int parts = Parallel.parts(flops, PARALLEL_GRAIN_FLOPS);
      switch (use) {
        case VECTOR -> Parallel.forRange(m, parts, VectorMatmul.MR,
            (r0, r1) -> VectorMatmul.f32Rows(a, ao, b, bo, c, co, m, k, n, r0, r1));
        case BLOCKED_SCALAR -> Parallel.forRange(m, parts, 1, (r0, r1) -> blockedF32(a, ao, b, bo, c, co, k, n, r0, r1));
        default -> Parallel.forRange(m, parts, 1, (r0, r1) -> simpleF32(a, ao, b, bo, c, co, k, n, r0, r1));
      }
    }
    return c;
  }

  static double[] f64(double[] a, double[] b, int batch, int m, int k, int n, Impl impl) {
    double[] c = new double[batch * m * n];
    Impl use = choose(impl, m, k, n);
    long flops = (long) m * k * n;
    for (int bt = 0; bt < batch; bt++) {
      int ao = bt * m * k;
      int bo = bt * k * n;
      int co = bt * m * n;
      int parts = Parallel.parts(flops, PARALLEL_GRAIN_FLOPS);
      switch (use) {
        case VECTOR -> Parallel.forRange(m, parts, VectorMatmul.MR,
            (r0, r1) -> VectorMatmul.f64Rows(a, ao, b, bo, c, co, m, k, n, r0, r1));
        case BLOCKED_SCALAR -> Parallel.forRange(m, parts, 1, (r0, r1) -> blockedF64(a, ao, b, bo, c, co, k, n, r0, r1));
        default -> Parallel.forRange(m, parts, 1, (r0, r1) -> simpleF64(a, ao, b, bo, c, co, k, n, r0, r1));
      }
    }
    return c;
  }

  /** i-k-j: the inner loop streams a row of B into a row of C (auto-vectorized by C2). */
  private static void simpleF32(float[] a, int ao, float[] b, int bo, float[] c, int co, int k, int n, int r0, int r1) {
    if (n == 1) {
      // matrix-vector: a dot product per row, same order and rounding as the loop below
      for (int i = r0; i < r1; i++) {
        float s = 0;
        int arow = ao + i * k;
        for (int p = 0; p < k; p++) {
          s += a[arow + p] * b[bo + p];
        }
        c[co + i] = s;
      }
      return;
    }
    for (int i = r0; i < r1; i++) {
      int crow = co + i * n;
      for (int p = 0; p < k; p++) {
        float av = a[ao + i * k + p];
        int brow = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[crow + j] += av * b[brow + j];
        }
      }
    }
  }

  private static void simpleF64(double[] a, int ao, double[] b, int bo, double[] c, int co, int k, int n, int r0, int r1) {
    if (n == 1) {
      for (int i = r0; i < r1; i++) {
        double s = 0;
        int arow = ao + i * k;
        for (int p = 0; p < k; p++) {
          s += a[arow + p] * b[bo + p];
        }
        c[co + i] = s;
      }
      return;
    }
    for (int i = r0; i < r1; i++) {
      int crow = co + i * n;
      for (int p = 0; p < k; p++) {
        double av = a[ao + i * k + p];
        int brow = bo + p * n;
        for (int j = 0; j < n; j++) {
          c[crow + j] += av * b[brow + j];
        }
      }
    }
  }

  private static final int SCALAR_KC = 128;
  private static final int SCALAR_NC = 1024;

  /** i-k-j blocked so the touched K x N block of B stays in L2 while rows of A stream by. */
  private static void blockedF32(float[] a, int ao, float[] b, int bo, float[] c, int co, int k, int n, int r0, int r1) {
    for (int jc = 0; jc < n; jc += SCALAR_NC) {
      int je = Math.min(n, jc + SCALAR_NC);
      for (int pc = 0; pc < k; pc += SCALAR_KC) {
        int pe = Math.min(k, pc + SCALAR_KC);
        for (int i = r0; i < r1; i++) {
          int crow = co + i * n;
          for (int p = pc; p < pe; p++) {
            float av = a[ao + i * k + p];
            int brow = bo + p * n;
            for (int j = jc; j < je; j++) {
              c[crow + j] += av * b[brow + j];
            }
          }
        }
      }
    }
  }

  private static void blockedF64(double[] a, int ao, double[] b, int bo, double[] c, int co, int k, int n, int r0, int r1) {
    for (int jc = 0; jc < n; jc += SCALAR_NC) {
      int je = Math.min(n, jc + SCALAR_NC);
      for (int pc = 0; pc < k; pc += SCALAR_KC) {
        int pe = Math.min(k, pc + SCALAR_KC);
        for (int i = r0; i < r1; i++) {
          int crow = co + i * n;
          for (int p = pc; p < pe; p++) {
            double av = a[ao + i * k + p];
            int brow = bo + p * n;
            for (int j = jc; j < je; j++) {
              c[crow + j] += av * b[brow + j];
            }
          }
        }
      }
    }
  }
}
