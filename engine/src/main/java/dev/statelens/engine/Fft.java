package dev.statelens.engine;

import dev.statelens.engine.fft.FftPrims;
import java.util.Arrays;

/**
 * {@code jax.numpy.fft}: discrete Fourier transforms over any axes and lengths, each one
 * {@code fft} equation ({@link FftPrims}) under jit, grad and vmap. Real input to the complex
 * transforms is converted to complex64; results are complex64 (c64) or, for the inverse real
 * transforms, f32. {@code n}/{@code s} crop or zero-pad the input first; {@code norm} is
 * {@code "backward"} (default: no scaling forward, 1/n inverse), {@code "ortho"} (1/sqrt(n) both
 * ways) or {@code "forward"} (1/n forward, none inverse). See docs/fft.md.
 */
public final class Fft {
  private Fft() {}

  // ---- 1-D ---------------------------------------------------------------------------------

  /** {@code jnp.fft.fft(a)} over the last axis. */
  public static Array fft(Array a) { return fft(a, null, -1, null); }

  /** {@code jnp.fft.fft(a, n, axis, norm)}; {@code n} null keeps the axis length, {@code norm} null is "backward". */
  public static Array fft(Array a, Integer n, int axis, String norm) {
    return transform("fft", a, FftPrims.FFT, lengths(n), new int[] {axis}, norm);
  }

  public static Array ifft(Array a) { return ifft(a, null, -1, null); }

  public static Array ifft(Array a, Integer n, int axis, String norm) {
    return transform("ifft", a, FftPrims.IFFT, lengths(n), new int[] {axis}, norm);
  }

  /** {@code jnp.fft.rfft}: the n/2+1 non-negative frequency bins of a real signal. */
  public static Array rfft(Array a) { return rfft(a, null, -1, null); }

  public static Array rfft(Array a, Integer n, int axis, String norm) {
    return transform("rfft", a, FftPrims.RFFT, lengths(n), new int[] {axis}, norm);
  }

  /** {@code jnp.fft.irfft}: the real signal of length n (default 2 * (bins - 1)) with these bins. */
  public static Array irfft(Array a) { return irfft(a, null, -1, null); }

  public static Array irfft(Array a, Integer n, int axis, String norm) {
    return transform("irfft", a, FftPrims.IRFFT, lengths(n), new int[] {axis}, norm);
  }

  // ---- 2-D and n-D -------------------------------------------------------------------------

  private static final int[] LAST_TWO = {-2, -1};

  public static Array fft2(Array a) { return fftn(a, null, LAST_TWO, null); }
  public static Array fft2(Array a, int[] s, int[] axes, String norm) { return fftn(a, s, axes == null ? LAST_TWO : axes, norm); }
  public static Array ifft2(Array a) { return ifftn(a, null, LAST_TWO, null); }
  public static Array ifft2(Array a, int[] s, int[] axes, String norm) { return ifftn(a, s, axes == null ? LAST_TWO : axes, norm); }
  public static Array rfft2(Array a) { return rfftn(a, null, LAST_TWO, null); }
  public static Array rfft2(Array a, int[] s, int[] axes, String norm) { return rfftn(a, s, axes == null ? LAST_TWO : axes, norm); }
  public static Array irfft2(Array a) { return irfftn(a, null, LAST_TWO, null); }
  public static Array irfft2(Array a, int[] s, int[] axes, String norm) { return irfftn(a, s, axes == null ? LAST_TWO : axes, norm); }

  /** {@code jnp.fft.fftn(a, s, axes, norm)}: axes null means the last len(s) axes, or all when s is null too. */
  public static Array fftn(Array a) { return fftn(a, null, null, null); }
  public static Array fftn(Array a, int[] s, int[] axes, String norm) {
    return transform("fftn", a, FftPrims.FFT, s, defaultAxes(a, s, axes), norm);
  }
  public static Array ifftn(Array a) { return ifftn(a, null, null, null); }
  public static Array ifftn(Array a, int[] s, int[] axes, String norm) {
    return transform("ifftn", a, FftPrims.IFFT, s, defaultAxes(a, s, axes), norm);
  }
  public static Array rfftn(Array a) { return rfftn(a, null, null, null); }
  public static Array rfftn(Array a, int[] s, int[] axes, String norm) {
    return transform("rfftn", a, FftPrims.RFFT, s, defaultAxes(a, s, axes), norm);
  }
  public static Array irfftn(Array a) { return irfftn(a, null, null, null); }
  public static Array irfftn(Array a, int[] s, int[] axes, String norm) {
    return transform("irfftn", a, FftPrims.IRFFT, s, defaultAxes(a, s, axes), norm);
  }

  // ---- frequencies and shifts --------------------------------------------------------------

  /** {@code jnp.fft.fftfreq(n, d)}: {@code [0, 1, ..., -(n/2), ..., -1] / (d n)}, f32. */
  public static Array fftfreq(int n, double d) {
    requirePositive("fftfreq", n);
    float[] f = new float[n];
    float scale = (float) (d * n);
    int positive = (n - 1) / 2 + 1;
    for (int i = 0; i < n; i++) {
      f[i] = (i < positive ? i : i - n) / scale;
    }
    return Array.of(f);
  }

  public static Array fftfreq(int n) { return fftfreq(n, 1.0); }

  /** {@code jnp.fft.rfftfreq(n, d)}: {@code [0, 1, ..., n/2] / (d n)}, f32. */
  public static Array rfftfreq(int n, double d) {
    requirePositive("rfftfreq", n);
    float[] f = new float[n / 2 + 1];
    float scale = (float) (d * n);
    for (int i = 0; i < f.length; i++) {
      f[i] = i / scale;
    }
    return Array.of(f);
  }

  public static Array rfftfreq(int n) { return rfftfreq(n, 1.0); }

  /** {@code jnp.fft.fftshift(x, axes)}: the zero frequency to the centre (axes null: all). */
  public static Array fftshift(Array x, int... axes) { return shift(x, axes, false); }

  /** {@code jnp.fft.ifftshift(x, axes)}: undoes {@link #fftshift}. */
  public static Array ifftshift(Array x, int... axes) { return shift(x, axes, true); }

  private static Array shift(Array x, int[] axes, boolean inverse) {
    int[] ax = axes == null || axes.length == 0 ? Axes.all(x.ndim()) : Axes.normalize("fftshift", x, axes, "");
    int[] shifts = new int[ax.length];
    for (int i = 0; i < ax.length; i++) {
      int half = x.dim(ax[i]) / 2;
      shifts[i] = inverse ? -half : half;
    }
    return ax.length == 0 ? x : x.roll(shifts, ax);
  }

  // ---- the shared path -----------------------------------------------------------------------

  private static int[] lengths(Integer n) {
    return n == null ? null : new int[] {n};
  }

  private static int[] defaultAxes(Array a, int[] s, int[] axes) {
    if (axes != null) {
      return axes;
    }
    return Axes.last(a.ndim(), s == null ? a.ndim() : s.length);
  }

  private static Array transform(String op, Array a, int type, int[] s, int[] axes, String norm) {
    if (a.ndim() == 0) {
      throw new ShapeError(op + ": needs an array of rank >= 1, got a rank-0 " + a.aval());
    }
    int[] ax = Axes.normalize(op, a, axes, "");
    if (ax.length == 0) {
      throw new ShapeError(op + ": no axes to transform; give at least one axis");
    }
    boolean real = type == FftPrims.RFFT || type == FftPrims.IRFFT;
    if (real && ax.length > 3) {
      throw new ShapeError(op + ": at most 3 axes for the real transforms (as jnp.fft), got " + Arrays.toString(axes));
    }
    if (s != null && s.length != ax.length) {
      throw new ShapeError(op + ": s " + Arrays.toString(s) + " and axes " + Arrays.toString(axes)
          + " must have the same length");
    }
    Array x = convert(op, a, type);
    int last = ax.length - 1;
    int[] n = new int[ax.length]; // the transform lengths (irfft's last one is the output length)
    for (int i = 0; i < ax.length; i++) {
      n[i] = s != null ? s[i] : type == FftPrims.IRFFT && i == last ? 2 * (x.dim(ax[i]) - 1) : x.dim(ax[i]);
      requirePositive(op, n[i]);
      int have = type == FftPrims.IRFFT && i == last ? n[i] / 2 + 1 : n[i];
      x = resize(x, ax[i], have);
    }
    // the transformed axes go last, in order; the primitive takes up to 3 of them at a time
    int[] tail = Axes.last(x.ndim(), ax.length);
    Array y = x.moveaxis(ax, tail);
    for (int end = ax.length; end > 0; end -= 3) {
      int from = Math.max(0, end - 3);
      int[] group = Arrays.copyOfRange(n, from, end);
      Array part = moveGroupLast(y, tail, from, end);
      Array t = FftPrims.fft(part, type, group);
      y = moveGroupBack(t, tail, from, end);
    }
    y = y.moveaxis(tail, ax);
    return scaled(y, type, n, norm == null ? "backward" : norm, op);
  }

  /** Axes tail[from..end) of y to the very end (they already are when end is the last group). */
  private static Array moveGroupLast(Array y, int[] tail, int from, int end) {
    if (end == tail.length) {
      return y;
    }
    return y.moveaxis(Arrays.copyOfRange(tail, from, end), Axes.last(y.ndim(), end - from));
  }

  private static Array moveGroupBack(Array y, int[] tail, int from, int end) {
    if (end == tail.length) {
      return y;
    }
    return y.moveaxis(Axes.last(y.ndim(), end - from), Arrays.copyOfRange(tail, from, end));
  }

  private static Array convert(String op, Array a, int type) {
    DType d = a.dtype();
    if (type == FftPrims.RFFT) {
      if (d.isComplex()) {
        throw new IllegalArgumentException(op + ": takes real input, got " + a.aval()
            + "; use fft for complex input (or rfft of real())");
      }
      return a.astype(DType.F32);
    }
    return a.astype(DType.C64);
  }

  /** Crops or zero-pads axis {@code axis} to {@code n}. */
  private static Array resize(Array x, int axis, int n) {
    int have = x.dim(axis);
    if (have == n) {
      return x;
    }
    if (have > n) {
      return x.sliceAxis(axis, 0, n);
    }
    int[][] widths = new int[x.ndim()][2];
    widths[axis][1] = n - have;
    return x.pad(widths, 0);
  }

  private static Array scaled(Array y, int type, int[] n, String norm, String op) {
    double total = 1;
    for (int len : n) {
      total *= len;
    }
    boolean inverse = type == FftPrims.IFFT || type == FftPrims.IRFFT;
    return switch (norm) {
      case "backward" -> y;
      case "ortho" -> y.mul(inverse ? Math.sqrt(total) : 1 / Math.sqrt(total));
      case "forward" -> y.mul(inverse ? total : 1 / total);
      default -> throw new IllegalArgumentException(op + ": invalid norm '" + norm
          + "'; use \"backward\" (the default), \"ortho\" or \"forward\"");
    };
  }

  private static void requirePositive(String op, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(op + ": invalid number of data points (" + n + "); it must be >= 1");
    }
  }
}
