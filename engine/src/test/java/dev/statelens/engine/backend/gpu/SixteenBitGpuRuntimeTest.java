package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Lax;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 16-bit arrays through the GPU runtime ({@link GpuBackend} on {@link EmulatedDriver}): upload and
 * download keep the bits, the steps that run on the host for 16-bit values (sort, top_k, cumsum,
 * scatter_add) and whole 16-bit graphs give the CPU backend's result bit for bit.
 */
class SixteenBitGpuRuntimeTest {
  static Path dir;
  static GpuBackend gpu;

  @BeforeAll
  static void setUp() throws Exception {
    dir = Files.createTempDirectory("sl-emulated16");
    gpu = EmulatedDriver.withHostCompiler(dir).backend(false);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CpuEmulation.deleteFolder(dir);
  }

  @Test
  void uploadAndDownloadKeepTheBits() {
    short[] bits = {0x0000, (short) 0x8000, 0x3F80, (short) 0xBF80, 0x7F80, (short) 0xFF80, 0x7FC1, 0x0001, 0x7BFF, 0x1234};
    for (DType d : SixteenBitCases.HALF) {
      Buffer b = gpu.upload(Aval.of(d, bits.length), bits.clone());
      assertEquals(2L * bits.length, GpuBackend.bytes(b.aval()), "two bytes per element on the device");
      assertArrayEquals(bits, (short[]) gpu.download(b), d + " bits changed on the way");
    }
  }

  private static void matchesCpu(String label, Jaxpr j) {
    List<Object> in = SixteenBitKernelsTest.inputs(j, label.hashCode());
    List<Object> expected = Reference.run(Backends.cpu(), j, in);
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Buffer> inputs = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      inputs.add(gpu.upload(vars.get(i).aval(), in.get(i)));
    }
    List<Buffer> out = gpu.compile(j).execute(inputs);
    for (int o = 0; o < expected.size(); o++) {
      assertEquals(j.outAvals().get(o), out.get(o).aval(), label + " output " + o + " type");
      assertNull(SixteenBitKernelsTest.bitMismatch(j.outAvals().get(o), expected.get(o), gpu.download(out.get(o))),
          label + " output " + o);
    }
  }

  @Test
  void hostStepsOf16BitValuesGiveTheCpuResult() {
    SixteenBitCases.host().forEach(SixteenBitGpuRuntimeTest::matchesCpu);
  }

  /** scan with a bf16 carry and f32 outputs, a loop whose 256 + 1 rounds back to 256, a cond: on the device. */
  @Test
  void controlFlowCarries16BitValues() {
    Jaxpr scan = dev.statelens.engine.Transforms.makeJaxpr((Array c0, Array xs) -> {
      var r = Lax.scan((Array c, Array xi) -> dev.statelens.engine.Pair.of(c.mul(xi).add(0.1), c.astype(DType.F32)), c0, xs);
      return List.of(r.first(), r.second());
    }, Array.zeros(DType.BF16, 3), Array.zeros(DType.BF16, 6, 3));
    matchesCpu("scan bf16", scan);
    Jaxpr loop = dev.statelens.engine.Transforms.makeJaxpr((Array c0) -> Lax.forI(0, 5, (i, c) -> c.add(1).mul(1.01), c0),
        Array.zeros(DType.F16, 4));
    matchesCpu("forI f16", loop);
    Jaxpr cond = dev.statelens.engine.Transforms.makeJaxpr((Array x) -> Lax.cond(x.sum().gt(0), () -> x.mul(3), () -> x.exp()),
        Array.zeros(DType.BF16, 5));
    matchesCpu("cond bf16", cond);
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(scan)), "the scan body runs on the device");
  }

  /**
   * The gradient of a bf16 MLP loss (16 -> 64 -> 8 on 128 rows, a mixed-precision training step's
   * backward pass): matmuls, transposes, tanh' and the mean's sum, all 16-bit, on the device.
   */
  @Test
  void aBf16MlpGradientOnTheDevice() {
    var grad = dev.statelens.engine.Transforms.grad((List<Array> p) ->
        p.get(2).matmul(p.get(0)).tanh().matmul(p.get(1)).square().mean());
    Jaxpr j = dev.statelens.engine.Transforms.makeJaxpr((Array w1, Array w2, Array x) -> grad.apply(List.of(w1, w2, x)),
        Array.zeros(DType.BF16, 16, 64), Array.zeros(DType.BF16, 64, 8), Array.zeros(DType.BF16, 128, 16));
    assertEquals(List.of(), KernelGenerator.hostSteps(KernelGenerator.generate(j)));
    matchesCpu("bf16 MLP gradient", j);
  }

  @Test
  void whole16BitGraphsThroughTheRuntime() {
    Map<String, Jaxpr> cases = SixteenBitCases.device();
    for (String label : List.of("mlp layer bfloat16", "mlp layer float16", "fused chain into a reduction bfloat16",
        "mixed with f32 float16", "matmul bfloat16 -> float32", "convert float64 -> bfloat16", "iota float16")) {
      matchesCpu(label, cases.get(label));
    }
  }
}
