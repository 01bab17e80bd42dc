package dev.statelens.engine.backend.cpu;

/**
 * c64 {@code pow} over many elements ({@link ComplexKernels#powLoop}): {@link ComplexMath#pow}'s
 * steps a chunk of elements at a time. XLA's kernel runs its own f32 exp and log inline, as vector
 * code, between its C library calls; one element at a time they were scalar calls here (~26 of
 * ~100 ns an element). In chunks they run as {@link XlaF32Math#apply}'s vector loops over the
 * chunk, between a first pass (modulus, {@code atan2f}, {@code powf}) and a last one (the angle's
 * {@code cosf}/{@code sinf}, the special cases). The same bits: the passes are
 * {@link ComplexMath}'s own steps and the vector exp/log are lane for lane the scalar ones
 * ({@code XlaF32MathTest}); the C library is still called once per element and function, as XLA
 * calls it (its vector variants give other bits: docs/decisions.md, perf7).
 */
final class ComplexPow {
  private ComplexPow() {}

  /** Elements per chunk: the steps between the passes stay in L1 (six arrays of 1 KiB). */
  static final int CHUNK = 256;

  /** Per thread: modulus, arg, powered, exp's argument, exp, log of a chunk. */
  private static final ThreadLocal<float[][]> STEPS = ThreadLocal.withInitial(() -> new float[6][CHUNK]);

  /** {@code r[ro + 2k ..] = x[xo + k xs ..] ^ y[yo + k ys ..]} for {@code k < len} (steps 2: dense, 0: a scalar). */
  static void loop(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] r, int ro, int len) {
    float[][] steps = STEPS.get();
    float[] modulus = steps[0];
    float[] arg = steps[1];
    float[] powered = steps[2];
    float[] expArgument = steps[3];
    float[] exp = steps[4];
    float[] log = steps[5];
    for (int k0 = 0; k0 < len; k0 += CHUNK) {
      int m = Math.min(CHUNK, len - k0);
      for (int k = 0; k < m; k++) {
        int i = xo + (k0 + k) * xs;
        int j = yo + (k0 + k) * ys;
        modulus[k] = ComplexKernels.abs(x[i], x[i + 1]);
        arg[k] = ComplexMath.powArg(x[i], x[i + 1]);
        powered[k] = ComplexMath.powPowered(modulus[k], y[j]);
        expArgument[k] = ComplexMath.powExpArgument(y[j + 1], arg[k]);
      }
      XlaF32Math.apply(XlaF32Math.Fn.EXP, expArgument, 0, exp, 0, m);
      XlaF32Math.apply(XlaF32Math.Fn.LOG, modulus, 0, log, 0, m);
      for (int k = 0; k < m; k++) {
        int i = xo + (k0 + k) * xs;
        int j = yo + (k0 + k) * ys;
        ComplexMath.powFinish(x[i], x[i + 1], y[j], y[j + 1], modulus[k], arg[k], powered[k], exp[k], log[k], r,
            ro + 2 * (k0 + k));
      }
    }
  }
}
