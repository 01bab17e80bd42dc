package dev.statelens.engine.backend.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link GpuDriver} for tests, on the CPU: "device" memory is native host memory, "compiling"
 * builds the generated source with g++ under {@link CpuEmulation#HEADER} into a shared library,
 * and "launching" calls a generated entry point through FFM. With it the real
 * {@link GpuBackend} and {@link GpuExecutable} (buffers, aliases, fills, cond, scan, host steps,
 * lifetimes) run end to end without a GPU. Counts live allocations, to check that intermediates
 * are freed.
 */
final class EmulatedDriver implements GpuDriver {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void __launch_bounds__\\(\\d+\\) (\\w+)\\(([^)]*)\\)");

  private final Path cxx;
  private final Path dir;
  private final Map<Long, MemorySegment> live = new ConcurrentHashMap<>();
  private final List<SymbolLookup> modules = new ArrayList<>();
  private final Map<Long, MethodHandle> launchers = new ConcurrentHashMap<>();
  private final AtomicLong compiles = new AtomicLong();
  private final AtomicLong launches = new AtomicLong();
  private final AtomicLong toHost = new AtomicLong();
  private final AtomicLong mallocs = new AtomicLong();

  EmulatedDriver(Path cxx, Path dir) {
    this.cxx = cxx;
    this.dir = dir;
  }

  /** A driver compiling into {@code dir} with the host's g++ (or clang++); skips the test without one. */
  static EmulatedDriver withHostCompiler(Path dir) {
    java.util.Optional<Path> cxx = OfflineCompilers.onPath("g++").or(() -> OfflineCompilers.onPath("clang++"));
    org.junit.jupiter.api.Assumptions.assumeTrue(cxx.isPresent(),
        "no host C++ compiler (g++/clang++) for the emulated driver");
    return new EmulatedDriver(cxx.get(), dir);
  }

  /**
   * The real {@link GpuBackend} on this driver, without the disk kernel cache; {@code pooled}
   * false also turns the memory pool off, so a freed buffer reaches the driver at once.
   */
  GpuBackend backend(boolean pooled) {
    Map<String, String> props = pooled ? Map.of("statelens.gpu.cacheDir", "none")
        : Map.of("statelens.gpu.cacheDir", "none", "statelens.gpu.poolBytes", "0");
    return dev.statelens.engine.testing.TemporaryProperties.get(props, () -> new GpuBackend(this));
  }

  int liveAllocations() {
    return live.size();
  }

  java.util.Set<Long> livePointers() {
    return new java.util.HashSet<>(live.keySet());
  }

  long compiles() {
    return compiles.get();
  }

  long launches() {
    return launches.get();
  }

  long mallocs() {
    return mallocs.get();
  }

  long copiesToHost() {
    return toHost.get();
  }

  @Override public String platform() { return "emulated"; }
  @Override public String deviceName() { return "CPU emulation"; }
  @Override public String arch() { return "host"; }
  @Override public String compilerVersion() { return "g++"; }

  @Override
  public long malloc(long bytes) {
    mallocs.incrementAndGet();
    MemorySegment m = Arena.global().allocate(Math.max(1, bytes), 16);
    live.put(m.address(), m);
    return m.address();
  }

  @Override
  public void free(long ptr) {
    if (live.remove(ptr) == null) {
      throw new GpuException("free of unknown or freed pointer 0x" + Long.toHexString(ptr));
    }
  }

  private MemorySegment at(long ptr, long bytes) {
    return MemorySegment.ofAddress(ptr).reinterpret(bytes);
  }

  @Override
  public void copyToDevice(long dst, MemorySegment src, long bytes) {
    at(dst, bytes).copyFrom(src.asSlice(0, bytes));
  }

  @Override
  public void copyToHost(MemorySegment dst, long src, long bytes) {
    toHost.incrementAndGet();
    dst.asSlice(0, bytes).copyFrom(at(src, bytes));
  }

  @Override
  public void copyOnDevice(long dst, long src, long bytes) {
    at(dst, bytes).copyFrom(at(src, bytes));
  }

  /** The source plus one {@code extern "C"} launcher per kernel, as a shared library. */
  @Override
  public byte[] compile(String source, String fileName) {
    compiles.incrementAndGet();
    StringBuilder sb = new StringBuilder(CpuEmulation.HEADER).append(source).append('\n');
    Matcher m = KERNEL.matcher(source);
    while (m.find()) {
      String name = m.group(1);
      List<String> args = new ArrayList<>();
      String[] params = m.group(2).split(",");
      for (int i = 0; i < params.length; i++) {
        String type = params[i].trim().replaceAll("\\s*__restrict__\\s+\\w+$", "");
        args.add("*(" + type + "*)args[" + i + "]");
      }
      boolean sync = CpuEmulation.kernelUsesSync(source, name);
      sb.append("extern \"C\" void launch_").append(name)
          .append("(int gx, int gy, int gz, int bx, int by, int bz, void** args) {\n")
          .append("  sl_launch(gx, gy, gz, bx, by, bz, ").append(sync).append(", [&] { ").append(name)
          .append("(").append(String.join(", ", args)).append("); });\n}\n");
    }
    try {
      Path src = Files.createTempFile(dir, "kernels", ".cpp");
      Path lib = Path.of(src.toString().replace(".cpp", ".so"));
      Files.writeString(src, sb.toString());
      Process p = new ProcessBuilder(cxx.toString(), "-std=c++20", "-O1", "-shared", "-fPIC", "-pthread", "-w",
          "-o", lib.toString(), src.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new GpuException("g++ failed on " + fileName + ": " + out);
      }
      return lib.toString().getBytes();
    } catch (IOException e) {
      throw new GpuException("emulated compile failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GpuException("interrupted");
    }
  }

  @Override
  public synchronized long loadModule(byte[] image) {
    modules.add(SymbolLookup.libraryLookup(Path.of(new String(image)), Arena.global()));
    return modules.size();
  }

  @Override
  public long function(long module, String name) {
    MemorySegment f = modules.get((int) module - 1).find("launch_" + name)
        .orElseThrow(() -> new GpuException("no kernel " + name + " in the module"));
    launchers.computeIfAbsent(f.address(), a -> LINKER.downcallHandle(f, FunctionDescriptor.ofVoid(
        JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)));
    return f.address();
  }

  @Override
  public void launch(long function, int[] grid, int[] block, int sharedBytes, long[] pointerArgs) {
    launches.incrementAndGet();
    try (Arena a = Arena.ofConfined()) {
      launchers.get(function).invokeExact(grid[0], grid[1], grid[2], block[0], block[1], block[2],
          GpuArgs.pack(a, pointerArgs));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException("emulated launch failed: " + t);
    }
  }

  @Override
  public void synchronize() {}
}
