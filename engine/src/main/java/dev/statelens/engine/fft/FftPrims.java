package dev.statelens.engine.fft;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.autodiff.Vjp;
import dev.statelens.engine.backend.cpu.ComplexKernels;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.batching.Batched;
import dev.statelens.engine.batching.Batching;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import java.util.Arrays;
import java.util.List;

/**
 * lax's {@code fft} primitive: one equation for every jnp.fft transform, with params
 * {@code fft_type} (0 FFT, 1 IFFT, 2 RFFT, 3 IRFFT: the numbers JAX prints) and
 * {@code fft_lengths} (1 to 3 lengths, the trailing axes it transforms). As XLA: IFFT and IRFFT
 * scale by {@code 1/prod(fft_lengths)}; RFFT takes f32 and keeps {@code n/2+1} outputs on the
 * last axis; IRFFT takes those and returns f32 of length {@code fft_lengths[-1]}. Kernel:
 * {@link FftKernel}; gradients are JAX's transpose rules; vmap adds leading axes.
 */
public final class FftPrims {
  private FftPrims() {}

  public static final int FFT = 0;
  public static final int IFFT = 1;
  public static final int RFFT = 2;
  public static final int IRFFT = 3;

  public static final Primitive FFT_P = new Primitive("fft", (in, p) -> {
    if (in.size() != 1) {
      throw new ShapeError("fft: expects 1 operand, got " + in.size());
    }
    return List.of(outAval(in.get(0), p.getInt("fft_type"), p.getInts("fft_lengths")));
  });

  static {
    CpuKernels.register(FFT_P, ComplexKernels.handlesComplex((p, in, out) ->
        new dev.statelens.engine.backend.cpu.CpuBuffer[] {
            FftKernel.apply(in[0], p.getInt("fft_type"), p.getInts("fft_lengths"), out[0])}));
    Vjp.register(FFT_P, (p, in, out, ct, needed) -> Arrays.asList(transpose(ct.get(0), p.getInt("fft_type"),
        p.getInts("fft_lengths"))));
    // the transform acts on trailing axes; the batch axis is in front, so the params stay as they are
    Batching.register(FFT_P, (ctx, p, in, out) -> List.of(Batched.mapped(
        FFT_P.bind1(p, Batching.materialize(in.get(0), in.get(0).exampleAval().shape(), ctx.batchSize())))));
  }

  /** Binds the primitive. */
  public static Array fft(Array x, int type, int... lengths) {
    return FFT_P.bind1(Params.of("fft_type", type, "fft_lengths", lengths.clone()), x);
  }

  static Aval outAval(Aval x, int type, int[] lengths) {
    if (type < FFT || type > IRFFT) {
      throw new ShapeError("fft: fft_type must be 0 (FFT), 1 (IFFT), 2 (RFFT) or 3 (IRFFT), got " + type);
    }
    int k = lengths.length;
    if (k < 1 || k > 3 || x.rank() < k) {
      throw new ShapeError("fft: 1 to 3 fft_lengths, at most the operand's rank, got " + Arrays.toString(lengths)
          + " for " + x);
    }
    DType want = type == RFFT ? DType.F32 : DType.C64;
    if (x.dtype() != want) {
      throw new ShapeError("fft: fft_type " + type + " needs a " + want.numpyName() + " operand, got " + x
          + (type == RFFT ? " (rfft takes real input; use fft for complex)" : "; convert with astype(DType.C64)"));
    }
    int[] shape = x.shape();
    int r = x.rank();
    for (int i = 0; i < k; i++) {
      int dim = shape[r - k + i];
      int want1 = type == IRFFT && i == k - 1 ? lengths[i] / 2 + 1 : lengths[i];
      if (lengths[i] < 1 || dim != want1) {
        throw new ShapeError("fft: operand " + x.shapeString() + " does not fit fft_lengths " + Arrays.toString(lengths)
            + " (fft_type " + type + "): axis " + (r - k + i) + " must be " + want1);
      }
    }
    int[] outShape = shape.clone();
    if (type == RFFT) {
      outShape[r - 1] = lengths[k - 1] / 2 + 1;
    } else if (type == IRFFT) {
      outShape[r - 1] = lengths[k - 1];
    }
    return Aval.of(type == IRFFT ? DType.F32 : DType.C64, outShape);
  }

  /**
   * JAX's transpose rules (jax/_src/lax/fft.py): the DFT matrix is symmetric, so FFT's transpose
   * is FFT and IFFT's is IFFT; RFFT's is the transpose of "FFT of the real input, keep n/2+1
   * bins"; IRFFT's is an RFFT with the mirrored bins doubled. Cotangents follow JAX's convention
   * (plain transposes, no conjugation), so grad matches JAX's.
   */
  static Array transpose(Array ct, int type, int[] lengths) {
    return switch (type) {
      case FFT, IFFT -> fft(ct, type, lengths);
      case RFFT -> rfftTranspose(ct, lengths);
      default -> irfftTranspose(ct, lengths);
    };
  }

  /**
   * RFFT = keep the first n/2+1 bins of FFT(complex(x)). Its transpose: pad the cotangent with
   * zeros to n bins, FFT (its own transpose), and take the real part (the transpose of the
   * real-to-complex embedding).
   */
  private static Array rfftTranspose(Array ct, int[] lengths) {
    int k = lengths.length;
    int last = ct.ndim() - 1;
    int n = lengths[k - 1];
    int kept = ct.dim(last);
    int[][] widths = new int[ct.ndim()][2];
    widths[last][1] = n - kept;
    Array full = ct.pad(widths, 0);
    return fft(full, FFT, lengths).real();
  }

  /**
   * JAX's {@code _irfft_transpose}: {@code conj(rfft(ct) * mask / prod(fft_lengths))}, the mask 1
   * on the bins without a mirror (0, and n/2 for even n) and 2 on the others; the conj is JAX's
   * convention for complex cotangents (jax-ml/jax#6223).
   */
  private static Array irfftTranspose(Array ct, int[] lengths) {
    Array x = fft(ct, RFFT, lengths);
    int bins = x.dim(x.ndim() - 1);
    boolean odd = lengths[lengths.length - 1] % 2 == 1;
    float[] mask = new float[bins];
    java.util.Arrays.fill(mask, 2f);
    mask[0] = 1f;
    if (!odd) {
      mask[bins - 1] = 1f;
    }
    long total = 1;
    for (int len : lengths) {
      total *= len;
    }
    return x.mul(Array.of(mask).mul((float) (1.0 / total))).conj();
  }
}
