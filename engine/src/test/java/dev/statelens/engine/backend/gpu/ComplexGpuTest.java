package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * complex64 on the GPU backends: a c64 buffer is uploaded and downloaded as its interleaved f32
 * pairs; complex arithmetic, exp, abs, the parts and layout ops are device code
 * ({@link ComplexDevice}; their numbers: {@link EmulatedKernelsTest} over {@link ComplexCases}),
 * and the other complex steps (log, sqrt, ..., complex matmuls, sums, FFTs) are host steps the
 * CPU backend computes. End to end (the fno step on the emulated driver): {@code GpuRuntimeEmulatedTest}.
 */
class ComplexGpuTest {

  @Test
  void complexStepsWithoutDeviceCodeBecomeHostStepsTheRestStayOnTheDevice() {
    Array z = Array.complex(Array.of(1f, 2f), Array.of(3f, 4f));
    GpuProgram mulAbs = KernelGenerator.generate(Transforms.makeJaxpr((Array x) -> x.mul(x).abs().exp(), z));
    assertEquals(List.of(), KernelGenerator.hostSteps(mulAbs));
    assertEquals(1, mulAbs.kernels().size(), "mul, abs and the f32 exp fuse into one kernel");
    // the elementary functions are device code too (ComplexDeviceMath), fused with the arithmetic
    GpuProgram logMul = KernelGenerator.generate(Transforms.makeJaxpr((Array x) -> x.log().mul(x).sqrt().pow(x), z));
    assertEquals(List.of(), KernelGenerator.hostSteps(logMul));
    assertEquals(1, logMul.kernels().size(), "log, mul, sqrt and pow fuse into one kernel");
    // a graph whose inputs and outputs are real but which makes complex values inside (an FFT filter)
    Jaxpr filter = Transforms.makeJaxpr((Array x) -> Fft.irfft(Fft.rfft(x.tanh(), null, -1, null).mul(0.5), 8, -1, null),
        Array.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f));
    assertEquals(List.of("fft", "fft"), KernelGenerator.hostSteps(KernelGenerator.generate(filter)));
    ComplexCases.device().forEach((label, j) ->
        assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)), label));
    // a real graph has none
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(
        Transforms.makeJaxpr((Array x) -> x.mul(x), Array.of(1f, 2f)))));
  }

  @Test
  void complexArraysMoveToAndFromTheDeviceAsInterleavedPairs(@TempDir Path dir) {
    GpuBackend gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
    float[] pairs = {1f, -2f, 3.5f, Float.NaN, -0f, Float.POSITIVE_INFINITY};
    GpuBuffer b = gpu.upload(Aval.of(DType.C64, 3), pairs);
    assertEquals(24, GpuBackend.bytes(b.aval()));
    assertArrayEquals(pairs, (float[]) gpu.download(b));
    b.close();
  }
}
