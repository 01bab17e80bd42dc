package dev.statelens.engine.backend.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled images by source hash: in memory for the process, and on disk under
 * {@code ~/.cache/statelens/kernels/<platform>-<arch>/<compiler>/<sha256>.bin} (the directory
 * can be set with {@code -Dstatelens.gpu.cacheDir}; {@code none} turns the disk cache off), so a
 * second run of the same program skips the runtime compiler. The key includes the device arch
 * and the compiler version, so an image is never loaded on a device it was not built for.
 */
public final class KernelCache {
  private final GpuDriver driver;
  private final Path dir;
  private final Map<String, byte[]> memory = new ConcurrentHashMap<>();

  public KernelCache(GpuDriver driver) {
    this.driver = driver;
    this.dir = directory(driver);
  }

  static Path directory(GpuDriver d) {
    String configured = System.getProperty("statelens.gpu.cacheDir");
    if ("none".equals(configured)) {
      return null;
    }
    Path root = configured != null ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".cache", "statelens", "kernels");
    return root.resolve(safe(d.platform() + "-" + d.arch())).resolve(safe(d.compilerVersion()));
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The image for {@code program}, compiled at most once per key. */
  public byte[] image(GpuProgram program) {
    return memory.computeIfAbsent(program.sourceHash(), h -> load(program));
  }

  private byte[] load(GpuProgram program) {
    Path file = dir == null ? null : dir.resolve(program.sourceHash() + ".bin");
    if (file != null && Files.isRegularFile(file)) {
      try {
        return Files.readAllBytes(file);
      } catch (IOException e) {
        // unreadable cache entry: compile again
      }
    }
    byte[] image = driver.compile(program.source(), "statelens_" + program.sourceHash().substring(0, 12) + ".cu");
    if (file != null) {
      try {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, program.sourceHash(), ".tmp");
        Files.write(tmp, image);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        // a read-only home is fine: the in-memory cache still works
      }
    }
    return image;
  }
}
