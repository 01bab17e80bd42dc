package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16-bit floats in generated GPU code, under {@link CpuEmulation} (g++): the prelude's
 * conversions equal {@link HalfFloats} on every bf16/f16 pattern and on float and double edge
 * cases, and every {@link SixteenBitCases#device()} graph gives the CPU backend's result bit for
 * bit (the same rule: widen, compute in f32, round each op's 16-bit output; reductions and
 * matmuls sum in f32 and round once). Sums are compared on inputs whose sums are exact in f32
 * (multiples of 1/8), since the two backends add in different orders; elementwise inputs are
 * arbitrary 16-bit values with NaN, infinities, -0 and subnormals among them. Skips without g++.
 */
class SixteenBitKernelsTest {

  private static Path compiler() {
    Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    assumeTrue(cxx.isPresent(), "no host C++ compiler (g++/clang++) to run the kernels under emulation");
    return cxx.get();
  }

  @Test
  void everyDeviceCaseIsGeneratedWithoutHostStepsAndTheHostOnesWithThem() {
    for (Map.Entry<String, Jaxpr> c : SixteenBitCases.device().entrySet()) {
      GpuProgram p = KernelGenerator.generate(c.getValue());
      assertEquals(List.of(), KernelGenerator.hostSteps(p), c.getKey() + " must run on the device");
      assertTrue(p.source().contains("unsigned short"), c.getKey() + ": 16-bit values are stored as their bits");
    }
    for (Map.Entry<String, Jaxpr> c : SixteenBitCases.host().entrySet()) {
      GpuProgram p = KernelGenerator.generate(c.getValue());
      assertEquals(1, KernelGenerator.hostSteps(p).size(), c.getKey() + " runs on the host (CPU kernel, Widen16)");
    }
    assertTrue(SixteenBitCases.device().size() > 150, "the case list lost its cases: " + SixteenBitCases.device().size());
  }

  @Test
  void a16BitMatmulNeverGoesToBlas() {
    for (Map.Entry<String, Jaxpr> c : SixteenBitCases.device().entrySet()) {
      for (GpuProgram.Step s : KernelGenerator.generate(c.getValue()).main().steps()) {
        if (s instanceof GpuProgram.Launch l) {
          assertNull(l.gemm(), c.getKey() + ": only plain f32 matmuls take cuBLAS/hipBLAS");
        }
      }
    }
  }

  @Test
  void generatedKernelsMatchTheCpuBackendBitForBit(@TempDir Path dir) throws Exception {
    Path cxx = compiler();
    List<String> labels = new ArrayList<>();
    List<Jaxpr> graphs = new ArrayList<>();
    List<GpuProgram> programs = new ArrayList<>();
    SixteenBitCases.device().forEach((label, j) -> {
      GpuProgram p = KernelGenerator.generate(j);
      assertTrue(CpuEmulation.supports(p), label + " has a step the emulation cannot run");
      labels.add(label);
      graphs.add(j);
      programs.add(p);
    });
    Path exe = dir.resolve("emu");
    assertNull(CpuEmulation.build(cxx, CpuEmulation.source(programs), dir, exe), "the emulator did not build");
    List<List<Object>> inputs = new ArrayList<>();
    for (int k = 0; k < programs.size(); k++) {
      // seeded by the case's label, not its place: ElementwiseOps' Set.of lists iterate in a
      // per-JVM order, so a place-based seed gave a case other inputs in each run
      List<Object> in = inputs(graphs.get(k), 7000 + labels.get(k).hashCode());
      inputs.add(in);
    }
    CpuEmulation.runAll(exe, dir, programs, inputs);

    List<String> mismatches = new ArrayList<>();
    for (int k = 0; k < programs.size(); k++) {
      Jaxpr j = graphs.get(k);
      List<Object> expected = Reference.run(Backends.cpu(), j, inputs.get(k));
      List<Object> actual = CpuEmulation.readOutputs(dir.resolve("p" + k), programs.get(k).main());
      for (int o = 0; o < expected.size(); o++) {
        String m = bitMismatch(j.outAvals().get(o), expected.get(o), actual.get(o));
        if (m != null) {
          mismatches.add(labels.get(k) + " output " + o + ": " + m);
        }
      }
    }
    System.out.println("[gpu] 16-bit: emulated " + programs.size() + " programs; " + mismatches.size() + " mismatches");
    assertTrue(mismatches.isEmpty(), mismatches.size() + " outputs differ from the CPU backend:\n" + String.join("\n", mismatches));
  }

  /**
   * Inputs for a 16-bit case: other dtypes as {@link Reference#inputs}; 16-bit ones multiples of
   * 1/8 in [-2, 2] where the graph sums (exact in f32 in any order), else arbitrary values in
   * [-3, 3] rounded to the type, every 7th element a special value.
   */
  /**
   * Primitives whose CPU kernel and the device's part ways on an f32-subnormal argument: log, log1p,
   * expm1, erf are XLA's (XlaF32Math: subnormals read as 0, as JAX); the CPU's zeta gives NaN where
   * an argument is subnormal and the device's (and JAX) inf — a CPU edge left in docs/special.md.
   * (A subnormal reached zeta in one CI run only, when inputs were seeded by the case's place.)
   */
  private static final Set<String> FLUSHES_SUBNORMAL_INPUTS = Set.of("log", "log1p", "expm1", "erf", "zeta");

  static List<Object> inputs(Jaxpr j, long seed) {
    List<Object> in = new ArrayList<>(Reference.inputs(j, seed));
    java.util.Random r = new java.util.Random(seed);
    boolean sums = Reference.accumulates(j) || j.eqns().stream().anyMatch(e -> e.primitive().name().startsWith("reduce_"));
    boolean flushes = j.eqns().stream().anyMatch(e -> FLUSHES_SUBNORMAL_INPUTS.contains(e.primitive().name()));
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    for (int k = 0; k < vars.size(); k++) {
      Aval a = vars.get(k).aval();
      DType d = a.dtype();
      if (!d.is16BitFloat()) {
        continue;
      }
      // a bf16 that is an f32 subnormal, except where the graph takes a function the CPU computes as
      // XLA does with subnormals read as 0 (log(tiny) = -inf, log1p(tiny) = 0, as JAX), which the
      // device's logf/log1pf do not (-88.5, tiny)
      double tiny = d != DType.BF16 ? 3e-6 : flushes ? 3e-38 : 3e-39;
      double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
          tiny, d == DType.BF16 ? 1e38 : 60000, -1.5, 1e-3};
      short[] h = new short[a.size()];
      for (int i = 0; i < h.length; i++) {
        double v = sums ? Math.rint((r.nextDouble() * 4 - 2) * 8) / 8
            : i % 7 == 3 ? special[r.nextInt(special.length)] : r.nextDouble() * 6 - 3;
        h[i] = HalfFloats.fromDouble(d, v);
      }
      in.set(k, h);
    }
    return in;
  }

  /** Null when equal bit for bit (any NaN equals any NaN; -0 differs from 0), else the first difference. */
  static String bitMismatch(Aval a, Object expected, Object actual) {
    DType d = a.dtype();
    for (int i = 0; i < a.size(); i++) {
      if (d.is16BitFloat()) {
        short e = ((short[]) expected)[i];
        short g = ((short[]) actual)[i];
        boolean nan = Float.isNaN(HalfFloats.toFloat(d, e)) && Float.isNaN(HalfFloats.toFloat(d, g));
        if (e != g && !nan) {
          return "element " + i + ": expected 0x" + Integer.toHexString(e & 0xFFFF) + " (" + HalfFloats.toFloat(d, e)
              + "), got 0x" + Integer.toHexString(g & 0xFFFF) + " (" + HalfFloats.toFloat(d, g) + ")";
        }
      } else {
        double e = HostArrays.getDouble(expected, d, i);
        double g = HostArrays.getDouble(actual, d, i);
        if (Double.compare(e, g) != 0 && !(Double.isNaN(e) && Double.isNaN(g))) {
          return "element " + i + ": expected " + e + ", got " + g;
        }
      }
    }
    return null;
  }

  // ---- the prelude's conversions -------------------------------------------------------------

  private static final String CONVERSIONS_MAIN = """
      int main(int argc, char** argv) {
        const long long nf = atoll(argv[2]), nd = atoll(argv[3]);
        const float* f = (const float*)sl_read(argv[1], 0, nf * 4);
        const double* d = (const double*)sl_read(argv[1], 1, nd * 8);
        unsigned short* fo = (unsigned short*)sl_alloc(nf * 4);
        for (long long i = 0; i < nf; i++) { fo[2 * i] = sl_f32_to_bf16(f[i]); fo[2 * i + 1] = sl_f32_to_f16(f[i]); }
        float* ho = (float*)sl_alloc(65536LL * 8);
        for (int h = 0; h < 65536; h++) { ho[2 * h] = sl_bf16_to_f32((unsigned short)h); ho[2 * h + 1] = sl_f16_to_f32((unsigned short)h); }
        unsigned short* dout = (unsigned short*)sl_alloc(nd * 4);
        for (long long i = 0; i < nd; i++) {
          const float odd = sl_f64_to_f32_odd(d[i]);
          dout[2 * i] = sl_f32_to_bf16(odd); dout[2 * i + 1] = sl_f32_to_f16(odd);
        }
        sl_write(argv[1], 0, fo, nf * 4); sl_write(argv[1], 1, ho, 65536LL * 8); sl_write(argv[1], 2, dout, nd * 4);
        return 0;
      }
      """;

  /** Floats that probe both roundings: ties and their neighbours, subnormals, overflow edges, NaNs. */
  static float[] floatPatterns() {
    List<Integer> bits = new ArrayList<>();
    java.util.Random r = new java.util.Random(16);
    for (int i = 0; i < 20000; i++) {
      bits.add(r.nextInt());
    }
    for (int i = 0; i < 4000; i++) { // bf16 ties (low 16 bits 0x8000) and one below / above
      int hi = r.nextInt() & 0xFFFF0000;
      bits.add(hi | 0x8000);
      bits.add(hi | 0x7FFF);
      bits.add(hi | 0x8001);
    }
    for (int h = 0; h < 0x7C00; h += 7) { // every 7th f16 magnitude: exact, the tie above it, one ulp either side
      int f = Float.floatToRawIntBits(Float.float16ToFloat((short) h));
      int ulp = Math.max(1, Float.floatToRawIntBits(Float.float16ToFloat((short) (h + 1))) - f);
      for (int sign : new int[] {0, 0x80000000}) {
        bits.add(sign | f);
        bits.add(sign | (f + ulp / 2));
        bits.add(sign | (f + ulp / 2 - 1));
        bits.add(sign | (f + ulp / 2 + 1));
      }
    }
    for (float v : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, 65504f, 65519.996f,
        65520f, 65536f, -65520f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5.9604645e-8f,
        2.9802322e-8f, 2.9802326e-8f, 6.1035156e-5f, 6.1031e-5f, 3.3895314e38f, 3.3961776e38f}) {
      bits.add(Float.floatToRawIntBits(v));
    }
    for (int nan : new int[] {0x7FC00000, 0xFFC00000, 0x7F800001, 0xFF800001, 0x7FBFFFFF, 0x7FFFFFFF, 0xFFFF0000, 0x7F810000}) {
      bits.add(nan);
    }
    float[] out = new float[bits.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.intBitsToFloat(bits.get(i));
    }
    return out;
  }

  /** Doubles whose rounding to 16 bits must happen once: just off ties, beyond float's range, tiny, integers. */
  static double[] doublePatterns() {
    List<Double> v = new ArrayList<>();
    java.util.Random r = new java.util.Random(64);
    for (int i = 0; i < 5000; i++) {
      v.add(Double.longBitsToDouble(r.nextLong()));
      v.add((r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(40) - 20));
      v.add((double) r.nextInt());
      v.add((double) (r.nextInt() & 0xFFFFFFFFL));
    }
    for (int h = 1; h < 0x7C00; h += 13) { // f16 and bf16 ties nudged by less than a float ulp
      double f16 = Float.float16ToFloat((short) h);
      double f16up = Float.float16ToFloat((short) (h + 1));
      double tie = (f16 + f16up) / 2;
      v.add(tie);
      v.add(Math.nextUp(tie));
      v.add(Math.nextDown(tie));
      double b = HalfFloats.bf16ToFloat((short) h);
      double bt = (b + HalfFloats.bf16ToFloat((short) (h + 1))) / 2;
      v.add(Math.nextUp(bt));
      v.add(Math.nextDown(bt));
      v.add(-Math.nextUp(bt));
    }
    for (double x : new double[] {0.0, -0.0, 1e300, -1e300, 1e-300, -1e-300, Double.MIN_VALUE, 3.4028235677973366e38,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 65520.0, Math.nextDown(65520.0), 16777217.0, 257.0}) {
      v.add(x);
    }
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void preludeConversionsEqualHalfFloatsOnEveryPattern(@TempDir Path dir) throws Exception {
    Path cxx = compiler();
    float[] fs = floatPatterns();
    double[] ds = doublePatterns();
    ByteBuffer fb = ByteBuffer.allocate(fs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : fs) {
      fb.putInt(Float.floatToRawIntBits(f));
    }
    ByteBuffer db = ByteBuffer.allocate(ds.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : ds) {
      db.putLong(Double.doubleToRawLongBits(d));
    }
    Files.write(dir.resolve("in0.bin"), fb.array());
    Files.write(dir.resolve("in1.bin"), db.array());
    Path exe = dir.resolve("conv");
    assertNull(CpuEmulation.build(cxx, CpuEmulation.HEADER + Prelude.TEXT + CONVERSIONS_MAIN, dir, exe), "did not build");
    Process p = new ProcessBuilder(exe.toString(), dir.toString(), Integer.toString(fs.length), Integer.toString(ds.length))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "timed out");
    assertEquals(0, p.exitValue(), out);

    List<String> wrong = new ArrayList<>();
    ByteBuffer fo = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("out0.bin"))).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : fs) {
      check(wrong, "f32->bf16 of 0x" + Integer.toHexString(Float.floatToRawIntBits(f)), HalfFloats.floatToBf16(f), fo.getShort());
      check(wrong, "f32->f16 of 0x" + Integer.toHexString(Float.floatToRawIntBits(f)), HalfFloats.floatToF16(f), fo.getShort());
    }
    ByteBuffer ho = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("out1.bin"))).order(ByteOrder.LITTLE_ENDIAN);
    for (int h = 0; h < 65536; h++) {
      int bf = ho.getInt();
      int hf = ho.getInt();
      if (bf != Float.floatToRawIntBits(HalfFloats.bf16ToFloat((short) h))) {
        wrong.add("bf16->f32 of 0x" + Integer.toHexString(h) + ": got 0x" + Integer.toHexString(bf));
      }
      if (hf != Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) h))) {
        wrong.add("f16->f32 of 0x" + Integer.toHexString(h) + ": got 0x" + Integer.toHexString(hf));
      }
    }
    ByteBuffer dout = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("out2.bin"))).order(ByteOrder.LITTLE_ENDIAN);
    for (double d : ds) {
      check(wrong, "f64->bf16 of " + d, HalfFloats.doubleToBf16(d), dout.getShort());
      check(wrong, "f64->f16 of " + d, HalfFloats.doubleToF16(d), dout.getShort());
    }
    System.out.println("[gpu] 16-bit conversions: " + fs.length + " floats, 65536 patterns each way, " + ds.length
        + " doubles; " + wrong.size() + " differ");
    assertTrue(wrong.isEmpty(), wrong.size() + " conversions differ from HalfFloats, first: "
        + wrong.subList(0, Math.min(20, wrong.size())));
  }

  private static void check(List<String> wrong, String what, short expected, short actual) {
    if (expected != actual) {
      wrong.add(what + ": expected 0x" + Integer.toHexString(expected & 0xFFFF) + ", got 0x" + Integer.toHexString(actual & 0xFFFF));
    }
  }
}
