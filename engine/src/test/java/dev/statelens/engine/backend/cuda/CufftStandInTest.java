package dev.statelens.engine.backend.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.backend.gpu.DeviceFft;
import dev.statelens.engine.backend.gpu.GpuProgram.FftPlan;
import dev.statelens.engine.backend.gpu.GpuProgram.FftType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeviceFft}'s cuFFT binding (an {@code int} plan handle, where hipFFT's is a pointer:
 * {@code HipfftStandInTest} runs the hipFFT one end to end) against a stand-in libcufft built
 * here: {@code cufftPlanMany} records the plan in a table and returns its index,
 * {@code cufftExecC2C} computes a naive batched DFT in double on host memory. A forward and an
 * inverse transform of a batch equal the same DFT done here, bit for bit, through one plan.
 */
class CufftStandInTest {
  private static final String SOURCE = """
      #include <math.h>
      int sl_cufft_plans = 0;
      static int lens[16], batches[16];
      int cufftPlanMany(int* plan, int rank, int* n, int* inembed, int istride, int idist, int* onembed, int ostride,
                        int odist, int type, int batch) {
        if (rank != 1 || inembed || onembed || type != 0x29 || sl_cufft_plans == 16) return 4;
        lens[sl_cufft_plans] = n[0]; batches[sl_cufft_plans] = batch;
        *plan = sl_cufft_plans++;
        return 0;
      }
      int cufftExecC2C(int plan, const float* in, float* out, int direction) {
        if (plan < 0 || plan >= sl_cufft_plans || (direction != -1 && direction != 1)) return 1;
        int n = lens[plan];
        for (int b = 0; b < batches[plan]; b++) {
          for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
              double ph = direction * 2 * M_PI * (double) ((long) k * j % n) / n;
              double xr = in[2 * (b * n + j)], xi = in[2 * (b * n + j) + 1];
              sr += xr * cos(ph) - xi * sin(ph);
              si += xr * sin(ph) + xi * cos(ph);
            }
            out[2 * (b * n + k)] = (float) sr; out[2 * (b * n + k) + 1] = (float) si;
          }
        }
        return 0;
      }
      int cufftExecR2C(int plan, const float* in, float* out) { return 5; }
      int cufftExecC2R(int plan, const float* in, float* out) { return 5; }
      """;

  private static float[] dft(float[] x, int n, int batch, int direction) {
    float[] y = new float[x.length];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < n; k++) {
        double sr = 0;
        double si = 0;
        for (int j = 0; j < n; j++) {
          double ph = direction * 2 * Math.PI * (double) ((long) k * j % n) / n;
          double xr = x[2 * (b * n + j)];
          double xi = x[2 * (b * n + j) + 1];
          sr += xr * Math.cos(ph) - xi * Math.sin(ph);
          si += xr * Math.sin(ph) + xi * Math.cos(ph);
        }
        y[2 * (b * n + k)] = (float) sr;
        y[2 * (b * n + k) + 1] = (float) si;
      }
    }
    return y;
  }

  @Test
  void forwardAndInverseGoThroughOnePlanWithAnIntHandle(@TempDir Path dir) throws Exception {
    Path src = Files.writeString(dir.resolve("cufft.c"), SOURCE);
    Path lib = dir.resolve("libcufft-standin.so");
    Process cc;
    try {
      cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O1", "-w", "-o", lib.toString(), src.toString(), "-lm")
          .redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      assumeTrue(false, "no C compiler (cc) to build the stand-in libcufft");
      throw e;
    }
    String log = new String(cc.getInputStream().readAllBytes());
    assertTrue(cc.waitFor(2, TimeUnit.MINUTES) && cc.exitValue() == 0, "cc failed: " + log);
    DeviceFft fft = DeviceFft.open("cuda", "cufft", false, List.of(lib.toString())).orElseThrow();
    assertEquals("cuFFT (" + lib + ")", fft.name());
    int n = 12;
    int batch = 3;
    java.util.Random r = new java.util.Random(3);
    float[] x = new float[2 * n * batch];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble() * 4 - 2);
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment in = a.allocateFrom(JAVA_FLOAT, x);
      MemorySegment out = a.allocate(JAVA_FLOAT, x.length);
      // the plans of a forward and an inverse transform of one shape are separate entries (the type is in the key)
      fft.execute(new FftPlan(FftType.FFT, new int[] {n}, batch, null, null, x.length), in.address(), out.address());
      assertArrayEquals(dft(x, n, batch, -1), out.toArray(JAVA_FLOAT));
      fft.execute(new FftPlan(FftType.IFFT, new int[] {n}, batch, "unused", null, x.length), in.address(), out.address());
      assertArrayEquals(dft(x, n, batch, 1), out.toArray(JAVA_FLOAT), "inverse, unnormalized (the kernel scales)");
      fft.execute(new FftPlan(FftType.FFT, new int[] {n}, batch, null, null, x.length), in.address(), out.address());
      assertEquals(2, fft.plans(), "the forward plan was reused");
    }
  }
}
