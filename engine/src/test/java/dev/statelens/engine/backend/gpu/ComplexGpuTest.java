package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fft;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * complex64 on the GPU backends: a c64 buffer is uploaded and downloaded as its interleaved f32
 * pairs; complex arithmetic, the elementary functions, the parts, layout ops, sums, max/min,
 * cumsum/cumprod/cummax/cummin and matmuls are device code ({@link ComplexDevice}, {@link ComplexDeviceMath};
 * their numbers: {@link EmulatedKernelsTest} over {@link ComplexCases}, {@link ComplexKernelsTest}
 * on edge values; Cgemm: {@code HipblasStandInTest}, {@code CublasCgemmStandInTest}), and the FFT
 * is a host step the CPU backend computes. End to end (the fno step on the emulated driver):
 * {@code GpuRuntimeEmulatedTest}.
 */
class ComplexGpuTest {

  @Test
  void onlyTheFftOfAComplexGraphIsAHostStep() {
    Array z = Array.complex(Array.of(1f, 2f), Array.of(3f, 4f));
    GpuProgram mulAbs = KernelGenerator.generate(Transforms.makeJaxpr((Array x) -> x.mul(x).abs().exp(), z));
    assertEquals(List.of(), KernelGenerator.hostSteps(mulAbs));
    assertEquals(1, mulAbs.kernels().size(), "mul, abs and the f32 exp fuse into one kernel");
    // the elementary functions are device code too (ComplexDeviceMath), fused with the arithmetic
    GpuProgram logMul = KernelGenerator.generate(Transforms.makeJaxpr((Array x) -> x.log().mul(x).sqrt().pow(x), z));
    assertEquals(List.of(), KernelGenerator.hostSteps(logMul));
    assertEquals(1, logMul.kernels().size(), "log, mul, sqrt and pow fuse into one kernel");
    // sums, folds, scans and matmuls too; a plain 2-D complex matmul is marked for cuBLAS/hipBLAS Cgemm
    Array m = Array.zeros(DType.C64, 4, 3);
    GpuProgram reduceMatmul = KernelGenerator.generate(Transforms.makeJaxpr((Array x) ->
        List.of(Array.dotGeneral(x, x, new int[] {1}, new int[] {1}, new int[0], new int[0]).sum(1), x.max(0),
            x.cumprod(1), x.prod()), m));
    assertEquals(List.of(), KernelGenerator.hostSteps(reduceMatmul));
    List<GpuProgram.Gemm> gemms = reduceMatmul.main().steps().stream()
        .filter(s -> s instanceof GpuProgram.Launch l && l.gemm() != null).map(s -> ((GpuProgram.Launch) s).gemm()).toList();
    assertEquals(List.of(new GpuProgram.Gemm(4, 4, 3, false, true, true)), gemms);
    // max/min over an axis longer than 32 and cummax/cummin fold in XLA's tree orders on the device too (ComplexFolds)
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(Transforms.makeJaxpr((Array x) ->
        List.of(x.max(1).add(x.min(0).sum()), Lax.cummax(x, 1, false), Lax.cummin(x, 0, true)),
        Array.zeros(DType.C64, 4, 33)))));
    // a graph whose inputs and outputs are real but which makes complex values inside (an FFT filter)
    Jaxpr filter = Transforms.makeJaxpr((Array x) -> Fft.irfft(Fft.rfft(x.tanh(), null, -1, null).mul(0.5), 8, -1, null),
        Array.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f));
    assertEquals(List.of("fft", "fft"), KernelGenerator.hostSteps(KernelGenerator.generate(filter)));
    // the spectral layer's training step: its FFTs (forward, inverse and their transposes) are all that leaves the device
    List<String> fno = KernelGenerator.hostSteps(KernelGenerator.generate(ExampleGraphs.fnoStep()));
    assertTrue(!fno.isEmpty() && fno.stream().allMatch("fft"::equals), fno.toString());
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
