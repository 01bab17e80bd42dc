package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.backend.gpu.GpuProgram.Alias;
import dev.statelens.engine.backend.gpu.GpuProgram.Fill;
import dev.statelens.engine.backend.gpu.GpuProgram.Graph;
import dev.statelens.engine.backend.gpu.GpuProgram.Launch;
import dev.statelens.engine.backend.gpu.GpuProgram.Step;
import dev.statelens.engine.ir.Aval;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs generated kernels on the CPU to check what they compute, not only that they compile: the
 * kernel source is compiled by the host C++ compiler with a small header that plays the CUDA/HIP
 * execution model (blocks one after another; the threads of a block as real threads meeting at a
 * barrier for {@code __syncthreads}; {@code __shared__} as block-wide storage), and a generated
 * host driver runs each program's schedule. This is an emulation of the programming model, not of
 * a GPU: it proves the generator's index arithmetic, fusion, reductions, tiling and threefry, and
 * says nothing about speed or about the vendor compilers' code generation.
 */
final class CpuEmulation {
  private CpuEmulation() {}

  static final String HEADER = """
      #include <math.h>
      #include <stdio.h>
      #include <stdlib.h>
      #include <string.h>
      #include <barrier>
      #include <functional>
      #include <thread>
      #include <vector>
      struct sl_dim3 { unsigned int x, y, z; };
      static sl_dim3 blockIdx, blockDim, gridDim;
      static thread_local sl_dim3 threadIdx;
      #define __global__
      #define __device__
      #define __forceinline__ inline
      #define __launch_bounds__(n)
      #define __shared__ static
      static std::barrier<>* sl_bar = nullptr;
      static inline void __syncthreads() { sl_bar->arrive_and_wait(); }
      static inline float __int_as_float(int x) { float f; memcpy(&f, &x, 4); return f; }
      static inline float __uint_as_float(unsigned int x) { float f; memcpy(&f, &x, 4); return f; }
      static inline int __float_as_int(float x) { int i; memcpy(&i, &x, 4); return i; }
      static inline unsigned int __float_as_uint(float x) { unsigned int i; memcpy(&i, &x, 4); return i; }
      static inline double __longlong_as_double(long long x) { double d; memcpy(&d, &x, 8); return d; }
      // a product rounded to f32 that is never fused into a neighbouring add (compiled -ffp-contract=off)
      static inline float __fmul_rn(float a, float b) { return a * b; }
      static inline double erfinv(double y) {
        if (y <= -1.0) return y == -1.0 ? -INFINITY : NAN;
        if (y >= 1.0) return y == 1.0 ? INFINITY : NAN;
        if (y == 0.0) return y; // keeps -0, as the device's erfinv and the CPU backend do
        double x = 0.0;
        for (int k = 0; k < 100; k++) { double e = erf(x) - y; double dx = e / (1.1283791670955126 * exp(-x * x)); x -= dx; if (fabs(dx) < 1e-17 * (1 + fabs(x))) break; }
        return x;
      }
      static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
      static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
      static inline float erfinvf(float y) { return (float)erfinv((double)y); }
      static void sl_launch(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, bool sync,
                            const std::function<void()>& k) {
        gridDim = {gx, gy, gz}; blockDim = {bx, by, bz};
        unsigned nt = bx * by * bz;
        for (unsigned z = 0; z < gz; z++) for (unsigned y = 0; y < gy; y++) for (unsigned x = 0; x < gx; x++) {
          blockIdx = {x, y, z};
          if (!sync) {
            for (unsigned t = 0; t < nt; t++) { threadIdx = {t % bx, (t / bx) % by, t / (bx * by)}; k(); }
          } else {
            std::barrier<> bar(nt); sl_bar = &bar;
            std::vector<std::thread> ts;
            for (unsigned t = 0; t < nt; t++) ts.emplace_back([&, t] { threadIdx = {t % bx, (t / bx) % by, t / (bx * by)}; k(); });
            for (auto& th : ts) th.join();
            sl_bar = nullptr;
          }
        }
      }
      static void* sl_alloc(long long n) { return calloc(n > 0 ? n : 1, 1); }
      static void* sl_read(const char* dir, int k, long long n) {
        char p[4096]; snprintf(p, sizeof p, "%s/in%d.bin", dir, k);
        void* b = sl_alloc(n); FILE* f = fopen(p, "rb"); if (!f) { perror(p); exit(2); }
        if (n > 0 && fread(b, 1, n, f) != (size_t)n) { fprintf(stderr, "short read %s\\n", p); exit(2); }
        fclose(f); return b;
      }
      static void sl_write(const char* dir, int k, const void* b, long long n) {
        char p[4096]; snprintf(p, sizeof p, "%s/out%d.bin", dir, k);
        FILE* f = fopen(p, "wb"); if (!f) { perror(p); exit(2); }
        if (n > 0) fwrite(b, 1, n, f); fclose(f);
      }
      """;

  /** True if the emulation can run the program (launches, aliases and fills only). */
  static boolean supports(GpuProgram p) {
    return p.main().steps().stream().allMatch(s -> s instanceof Launch || s instanceof Alias || s instanceof Fill);
  }

  /** One executable running every program: {@code ./emu DIR0 DIR1 ...}, program i on DIRi. */
  static String source(List<GpuProgram> programs) {
    StringBuilder sb = new StringBuilder(HEADER);
    sb.append(Prelude.TEXT);
    for (int i = 0; i < programs.size(); i++) {
      GpuProgram p = programs.get(i);
      String prefix = "sl_p" + i + "_k";
      sb.append(p.source().substring(Prelude.TEXT.length()).replace("sl_k", prefix));
      sb.append(driver(p, i, prefix));
    }
    sb.append("typedef void (*sl_prog)(const char*);\nstatic sl_prog sl_programs[] = {");
    for (int i = 0; i < programs.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append("run_p").append(i);
    }
    sb.append("};\nint main(int argc, char** argv) {\n"
        + "  for (int i = 1; i < argc; i++) sl_programs[i - 1](argv[i]);\n  return 0;\n}\n");
    return sb.toString();
  }

  private static String driver(GpuProgram p, int index, String prefix) {
    Graph g = p.main();
    StringBuilder sb = new StringBuilder();
    sb.append("static void run_p").append(index).append("(const char* dir) {\n");
    sb.append("  static void* s[").append(Math.max(1, g.slots().size())).append("];\n");
    for (int k = 0; k < g.inputs().length; k++) {
      int slot = g.inputs()[k];
      sb.append("  s[").append(slot).append("] = sl_read(dir, ").append(k).append(", ")
          .append(GpuBackend.bytes(g.slots().get(slot))).append(");\n");
    }
    for (Step step : g.steps()) {
      switch (step) {
        case Launch l -> {
          for (int o : l.outputs()) {
            sb.append("  s[").append(o).append("] = sl_alloc(").append(GpuBackend.bytes(g.slots().get(o))).append(");\n");
          }
          List<String> args = new ArrayList<>();
          for (int a : l.args()) {
            args.add("(" + CTypes.storage(g.slots().get(a).dtype()) + "*)s[" + a + "]");
          }
          boolean sync = kernelUsesSync(p, l.kernel());
          sb.append("  sl_launch(").append(l.grid()[0]).append(", ").append(l.grid()[1]).append(", ")
              .append(l.grid()[2]).append(", ").append(l.block()[0]).append(", ").append(l.block()[1])
              .append(", ").append(l.block()[2]).append(", ").append(sync).append(", [&] { ")
              .append(l.kernel().replace("sl_k", prefix)).append("(").append(String.join(", ", args)).append("); });\n");
        }
        case Alias a -> sb.append("  s[").append(a.dst()).append("] = s[").append(a.src()).append("];\n");
        case Fill f -> {
          DType d = f.value().dtype();
          sb.append("  { ").append(CTypes.storage(d)).append(" v = ").append(CTypes.store(d, CTypes.literal(f.value())))
              .append("; s[").append(f.slot()).append("] = sl_alloc(").append(CTypes.bytes(d))
              .append("); memcpy(s[").append(f.slot()).append("], &v, ").append(CTypes.bytes(d)).append("); }\n");
        }
        default -> throw new IllegalArgumentException("emulation runs launches, aliases and fills only, not " + step);
      }
    }
    for (int k = 0; k < g.outputs().length; k++) {
      int slot = g.outputs()[k];
      sb.append("  sl_write(dir, ").append(k).append(", s[").append(slot).append("], ")
          .append(GpuBackend.bytes(g.slots().get(slot))).append(");\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static boolean kernelUsesSync(GpuProgram p, String kernel) {
    return kernelUsesSync(p.source(), kernel);
  }

  static boolean kernelUsesSync(String source, String kernel) {
    int at = source.indexOf(" " + kernel + "(");
    int end = source.indexOf("\n}\n", at);
    return source.substring(at, end).contains("__syncthreads");
  }

  static void writeInputs(Path dir, Graph g, List<Object> inputs) throws IOException {
    Files.createDirectories(dir);
    for (int k = 0; k < inputs.size(); k++) {
      Files.write(dir.resolve("in" + k + ".bin"), toBytes(g.slots().get(g.inputs()[k]), inputs.get(k)));
    }
  }

  /**
   * Runs the emulator {@code exe} over every program with its inputs (written to
   * {@code dir/p<k>}, where the outputs land too); fails with the emulator's output if it does.
   */
  static void runAll(Path exe, Path dir, List<GpuProgram> programs, List<List<Object>> inputs)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(exe.toString()));
    for (int k = 0; k < programs.size(); k++) {
      Path d = dir.resolve("p" + k);
      writeInputs(d, programs.get(k).main(), inputs.get(k));
      cmd.add(d.toString());
    }
    Process run = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(run.getInputStream().readAllBytes());
    if (!run.waitFor(10, TimeUnit.MINUTES)) {
      run.destroyForcibly();
      throw new AssertionError("emulation timed out");
    }
    if (run.exitValue() != 0) {
      throw new AssertionError("emulation failed: " + out);
    }
  }

  /** Deletes a flat temporary folder of build products (null: nothing). */
  static void deleteFolder(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p); // loaded libraries stay mapped: deleting the files is safe
      }
    }
    Files.deleteIfExists(dir);
  }

  static List<Object> readOutputs(Path dir, Graph g) throws IOException {
    List<Object> out = new ArrayList<>();
    for (int k = 0; k < g.outputs().length; k++) {
      out.add(fromBytes(g.slots().get(g.outputs()[k]), Files.readAllBytes(dir.resolve("out" + k + ".bin"))));
    }
    return out;
  }

  static byte[] toBytes(Aval a, Object host) {
    ByteBuffer b = ByteBuffer.allocate((int) GpuBackend.bytes(a)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < java.lang.reflect.Array.getLength(host); i++) { // c64: 2 floats an element
      switch (host) {
        case float[] f -> b.putFloat(f[i]);
        case double[] d -> b.putDouble(d[i]);
        case int[] v -> b.putInt(v[i]);
        case short[] h -> b.putShort(h[i]); // bf16/f16 bits
        case boolean[] z -> b.put((byte) (z[i] ? 1 : 0));
        default -> throw new AssertionError();
      }
    }
    return b.array();
  }

  static Object fromBytes(Aval a, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    Object host = HostArrays.allocate(a.dtype(), a.size());
    for (int i = 0; i < java.lang.reflect.Array.getLength(host); i++) {
      switch (host) {
        case float[] f -> f[i] = b.getFloat();
        case double[] d -> d[i] = b.getDouble();
        case int[] v -> v[i] = b.getInt();
        case short[] h -> h[i] = b.getShort();
        case boolean[] z -> z[i] = b.get() != 0;
        default -> throw new AssertionError();
      }
    }
    return host;
  }

  /** Compiles the emulator with the host C++ compiler; returns its output on failure, else null. */
  static String build(Path cxx, String source, Path dir, Path exe) throws IOException, InterruptedException {
    Path src = dir.resolve("emu.cpp");
    Files.writeString(src, source);
    // Signed overflow is UB in C++ (the GPU gave -31 for INT_MIN + -31 before int32 went through
    // unsigned): under UBSan any signed overflow in a kernel aborts the emulator and fails the test.
    String out = compile(cxx, src, exe, List.of("-fsanitize=signed-integer-overflow",
        "-fno-sanitize-recover=signed-integer-overflow"));
    if (out != null) {
      System.err.println("emulator: building without UBSan (" + out.lines().findFirst().orElse("") + ")");
      out = compile(cxx, src, exe, List.of());
    }
    return out;
  }

  private static String compile(Path cxx, Path src, Path exe, List<String> extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(cxx.toString(), "-std=c++20", "-O1", "-ffp-contract=off", "-pthread", "-w"));
    cmd.addAll(extra);
    cmd.addAll(List.of("-o", exe.toString(), src.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      return out.length() > 6000 ? out.substring(0, 6000) : out;
    }
    return null;
  }
}
