package dev.statelens.engine.complex;

import static dev.statelens.engine.complex.ComplexTest.pairs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Random;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Transforms;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** jnp.fft: known transforms, round trips, Parseval, a naive DFT at odd lengths, shapes, errors, jit and vmap. */
class FftTest {

  private static Array signal(int... shape) {
    return Random.normal(Random.key(shape.length * 31 + shape[shape.length - 1]), shape);
  }

  /** The O(n^2) DFT of the last axis, in double, as interleaved pairs. */
  static float[] naiveDft(float[] re, float[] im, boolean inverse) {
    int n = re.length;
    float[] out = new float[2 * n];
    for (int k = 0; k < n; k++) {
      double sr = 0;
      double si = 0;
      for (int j = 0; j < n; j++) {
        double a = (inverse ? 2 : -2) * Math.PI * ((long) j * k % n) / n;
        sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
        si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
      }
      out[2 * k] = (float) (inverse ? sr / n : sr);
      out[2 * k + 1] = (float) (inverse ? si / n : si);
    }
    return out;
  }

  static float maxAbs(float[] a) {
    float m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  @Test
  void deltaGivesOnesAndCosineGivesTwoSpikes() {
    float[] delta = new float[8];
    delta[0] = 1;
    float[] ones = new float[16];
    for (int i = 0; i < 16; i += 2) {
      ones[i] = 1;
    }
    assertArrayEquals(ones, pairs(Fft.fft(Array.of(delta))), 0);
    int n = 16;
    float[] cos = new float[n];
    for (int j = 0; j < n; j++) {
      cos[j] = (float) Math.cos(2 * Math.PI * 3 * j / n);
    }
    float[] spec = pairs(Fft.rfft(Array.of(cos)));
    assertEquals(2 * (n / 2 + 1), spec.length);
    for (int k = 0; k <= n / 2; k++) {
      assertEquals(k == 3 ? n / 2f : 0f, spec[2 * k], 1e-5f, "re " + k);
      assertEquals(0f, spec[2 * k + 1], 1e-5f, "im " + k);
    }
  }

  @Test
  void anyLengthMatchesTheNaiveDft() {
    for (int n : new int[] {1, 2, 3, 5, 6, 7, 8, 12, 17, 100, 128}) {
      Array re = signal(n);
      Array im = signal(n, 1).reshape(n);
      float[] want = naiveDft(re.toFloatArray(), im.toFloatArray(), false);
      float[] got = pairs(Fft.fft(Array.complex(re, im)));
      float tol = 2e-6f * maxAbs(want) * (float) Math.max(1, Math.log(n));
      assertArrayEquals(want, got, tol, "fft n=" + n);
      float[] wantInv = naiveDft(re.toFloatArray(), im.toFloatArray(), true);
      assertArrayEquals(wantInv, pairs(Fft.ifft(Array.complex(re, im))), tol / n + 1e-7f, "ifft n=" + n);
    }
  }

  /**
   * Each kernel path against the naive DFT: radix-2 with the radix-4 first pass (4, 1024),
   * mixed radix 2/3/5/7 (9, 10, 30, 98, 125, 250, 1000), Bluestein (11, 1031), and rfft/irfft's
   * half-length packing on top of each (even n) or the complex transform (odd n).
   */
  @Test
  void everyKernelPathMatchesTheNaiveDft() {
    for (int n : new int[] {4, 9, 10, 11, 30, 98, 125, 250, 1000, 1024, 1031}) {
      Array re = signal(n);
      Array im = signal(n, 1).reshape(n);
      float[] want = naiveDft(re.toFloatArray(), im.toFloatArray(), false);
      float tol = 2e-6f * maxAbs(want) * (float) Math.log(n);
      assertArrayEquals(want, pairs(Fft.fft(Array.complex(re, im))), tol, "fft n=" + n);
      float[] wantReal = naiveDft(re.toFloatArray(), new float[n], false);
      float[] gotReal = pairs(Fft.rfft(re));
      assertEquals(2 * (n / 2 + 1), gotReal.length);
      assertArrayEquals(java.util.Arrays.copyOf(wantReal, gotReal.length), gotReal,
          2e-6f * maxAbs(wantReal) * (float) Math.log(n), "rfft n=" + n);
      assertArrayEquals(re.toFloatArray(), Fft.irfft(Fft.rfft(re), n, -1, null).toFloatArray(),
          2e-6f * maxAbs(re.toFloatArray()), "irfft(rfft) n=" + n);
    }
  }

  @Test
  void roundTripsAndParseval() {
    for (int n : new int[] {6, 7, 64, 100}) {
      Array x = signal(3, n);
      assertArrayEquals(x.toFloatArray(), Fft.irfft(Fft.rfft(x), n, -1, null).toFloatArray(), 2e-6f, "irfft(rfft) n=" + n);
      Array z = Array.complex(x, x.flip(1));
      assertArrayEquals(pairs(z), pairs(Fft.ifft(Fft.fft(z))), 2e-6f, "ifft(fft) n=" + n);
      // Parseval: sum |x|^2 = sum |X|^2 / n ; with norm="ortho" the transform is unitary
      float energy = x.square().sum().floatValue();
      float spectral = Fft.fft(x).abs().square().sum().floatValue() / (3 * 0 + n);
      assertEquals(energy, spectral, 1e-4f * energy, "Parseval n=" + n);
      assertEquals(energy, Fft.fft(x, null, -1, "ortho").abs().square().sum().floatValue(), 1e-4f * energy);
    }
    Array img = signal(5, 6);
    assertArrayEquals(img.toFloatArray(), Fft.irfft2(Fft.rfft2(img), new int[] {5, 6}, null, null).toFloatArray(), 2e-6f);
    Array cube = Array.complex(signal(3, 4, 5), signal(2, 3, 4, 5).sliceAxis(0, 0, 1).reshape(3, 4, 5));
    assertArrayEquals(pairs(cube), pairs(Fft.ifftn(Fft.fftn(cube))), 2e-6f);
  }

  @Test
  void normsCropPadAndAxes() {
    Array x = signal(4, 6);
    float[] plain = pairs(Fft.fft(x, null, 0, null));
    float[] forward = pairs(Fft.fft(x, null, 0, "forward"));
    for (int i = 0; i < plain.length; i++) {
      assertEquals(plain[i] / 4, forward[i], 1e-6f);
    }
    assertArrayEquals(pairs(Fft.ifft(x, null, 0, null).mul(4f)), pairs(Fft.ifft(x, null, 0, "forward")), 1e-5f);
    // n crops or zero-pads the axis first
    assertArrayEquals(new int[] {4, 8}, Fft.fft(x, 8, 1, null).shape());
    assertArrayEquals(pairs(Fft.fft(x.sliceAxis(1, 0, 4))), pairs(Fft.fft(x, 4, -1, null)), 0);
    assertArrayEquals(new int[] {4, 5}, Fft.rfft(x, 8, -1, null).shape());
    assertArrayEquals(new int[] {4, 6}, Fft.irfft(Fft.rfft(x)).shape()); // n = 2 * (bins - 1) = 2 * (4 - 1)
    // fft over axis 0 equals transposing, fft over the last axis, transposing back
    assertArrayEquals(pairs(Fft.fft(x.T()).T()), pairs(Fft.fft(x, null, 0, null)), 0);
    // fft2 is fft of each axis; fftn with 4 axes runs two fft equations and equals the 1-D ones
    assertArrayEquals(pairs(Fft.fft(Fft.fft(x, null, 0, null))), pairs(Fft.fft2(x)), 2e-5f);
    Array h = signal(2, 3, 2, 3);
    Array byAxis = Fft.fft(Fft.fft(Fft.fft(Fft.fft(h, null, 0, null), null, 1, null), null, 2, null), null, 3, null);
    assertArrayEquals(pairs(byAxis), pairs(Fft.fftn(h)), 2e-5f);
  }

  @Test
  void frequenciesAndShifts() {
    assertArrayEquals(new float[] {0, 0.25f, -0.5f, -0.25f}, Fft.fftfreq(4).toFloatArray(), 0);
    assertArrayEquals(new float[] {0, 0.1f, 0.2f, -0.2f, -0.1f}, Fft.fftfreq(5, 2.0).toFloatArray(), 1e-7f);
    assertArrayEquals(new float[] {0, 0.2f, 0.4f}, Fft.rfftfreq(5).toFloatArray(), 1e-7f);
    Array f = Fft.fftfreq(5);
    assertArrayEquals(new float[] {-0.4f, -0.2f, 0, 0.2f, 0.4f}, Fft.fftshift(f).toFloatArray(), 1e-7f);
    assertArrayEquals(f.toFloatArray(), Fft.ifftshift(Fft.fftshift(f)).toFloatArray(), 0);
    Array m = Array.arange(6).reshape(2, 3);
    assertArrayEquals(new int[] {5, 3, 4, 2, 0, 1}, Fft.fftshift(m).toIntArray());
    assertArrayEquals(new int[] {2, 0, 1, 5, 3, 4}, Fft.fftshift(m, 1).toIntArray());
  }

  @Test
  void jitAndVmapGiveTheEagerResultWithOneFftEquation() {
    Array x = signal(3, 10);
    Function<Array, Array> f = a -> Fft.irfft(Fft.rfft(a).mul(Fft.rfft(a.flip(1))), 10, -1, "ortho");
    assertArrayEquals(f.apply(x).toFloatArray(), Transforms.jit(f).apply(x).toFloatArray(), 0);
    String text = Transforms.makeJaxpr((Array a) -> Fft.rfft(a), x).toString();
    assertTrue(text.contains("fft[fft_lengths=(10,) fft_type=2]"), text);
    Function<Array, Array> row = a -> Fft.fft(a).abs();
    Array batched = Transforms.vmap(row).apply(x);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(row.apply(x.get(i)).toFloatArray(), batched.get(i).toFloatArray(), 0);
    }
  }

  @Test
  void badInputIsRefusedWithTheFix() {
    Array z = Array.complex(Array.of(1f, 2f), Array.of(0f, 1f));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fft.rfft(z));
    assertTrue(e.getMessage().contains("use fft"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fft.fft(z, 0, -1, null));
    e = assertThrows(IllegalArgumentException.class, () -> Fft.fft(z, null, -1, "unitary"));
    assertTrue(e.getMessage().contains("ortho"), e.getMessage());
    assertThrows(ShapeError.class, () -> Fft.fft(z, null, 1, null));
    assertThrows(ShapeError.class, () -> Fft.fft(Array.scalar(1f)));
    assertThrows(ShapeError.class, () -> Fft.rfftn(signal(2, 2, 2, 2)));
    assertThrows(ShapeError.class, () -> Fft.fftn(signal(2, 3), new int[] {2}, new int[] {0, 1}, null));
    assertEquals(DType.F32, Fft.irfft(z).dtype());
  }
}
