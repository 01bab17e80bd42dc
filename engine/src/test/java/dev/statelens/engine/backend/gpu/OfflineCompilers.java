package dev.statelens.engine.backend.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The device compilers the compile checks use when present: Debian's ROCm {@code hipcc} (apt
 * {@code hipcc} + {@code libamdhip64-dev}, for an AMD target, no device needed) and NVIDIA's
 * {@code nvcc} (on the GPU machine and wherever the CUDA toolkit is installed).
 */
final class OfflineCompilers {
  private OfflineCompilers() {}

  /** AMD target of the check: MI200 (gfx90a), a CDNA2 part that ROCm 5.2 supports. */
  static final String AMD_ARCH = "gfx90a";
  /** NVIDIA target of the check: H100 (sm_90). */
  static final String NVIDIA_ARCH = "sm_90";

  record Compiler(String name, List<String> command, String extension, Map<String, String> env) {}

  record Result(int exitCode, String output, long millis) {}

  static Optional<Path> onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/opt/rocm/bin", "/usr/local/cuda/bin")) {
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** hipcc for gfx90a as a code object ({@code --genco}); HIP_PLATFORM forced to amd (hipcc picks nvidia when nvcc is installed). */
  static Optional<Compiler> hipcc() {
    return onPath("hipcc").map(p -> new Compiler("hipcc",
        List.of(p.toString(), "--offload-arch=" + AMD_ARCH, "--genco", "-O3"), ".hip",
        Map.of("HIP_PLATFORM", "amd")));
  }

  /** nvcc for sm_90 as a cubin. */
  static Optional<Compiler> nvcc() {
    return onPath("nvcc").map(p -> new Compiler("nvcc",
        List.of(p.toString(), "-arch=" + NVIDIA_ARCH, "--cubin", "-O3"), ".cu", Map.of()));
  }

  /** Compiles {@code source}; the output holds the compiler's messages. */
  static Result compile(Compiler c, String source, Path dir) throws IOException, InterruptedException {
    Path file = dir.resolve("kernels" + c.extension());
    Files.writeString(file, source, StandardCharsets.UTF_8);
    List<String> cmd = new ArrayList<>(c.command());
    cmd.add("-o");
    cmd.add(dir.resolve("kernels." + c.name() + ".out").toString());
    cmd.add(file.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
    pb.environment().putAll(c.env());
    long t0 = System.nanoTime();
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, "timed out", 600_000);
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Several programs as one translation unit (one compiler start instead of hundreds): the
   * prelude once, each program's kernels renamed {@code sl_p<i>_k...}.
   */
  static String combine(List<GpuProgram> programs) {
    StringBuilder sb = new StringBuilder(Prelude.TEXT);
    for (int i = 0; i < programs.size(); i++) {
      String s = programs.get(i).source();
      if (!s.startsWith(Prelude.TEXT)) {
        throw new AssertionError("generated source does not start with the prelude");
      }
      sb.append(s.substring(Prelude.TEXT.length()).replace("sl_k", "sl_p" + i + "_k"));
    }
    return sb.toString();
  }
}
