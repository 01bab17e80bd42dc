package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel cache: one compilation per source and target, remembered across processes on disk. */
class KernelCacheTest {

  /** Only what the cache calls: compile (counted). */
  static final class CountingDriver implements GpuDriver {
    final String arch;
    int compiles;

    CountingDriver(String arch) {
      this.arch = arch;
    }

    @Override public String platform() { return "cuda"; }
    @Override public String deviceName() { return "test"; }
    @Override public String arch() { return arch; }
    @Override public String compilerVersion() { return "nvrtc 12.4"; }
    @Override public byte[] compile(String source, String fileName) {
      compiles++;
      return (arch + ":" + source.length()).getBytes();
    }
    @Override public long malloc(long bytes) { throw new UnsupportedOperationException(); }
    @Override public void free(long p) { throw new UnsupportedOperationException(); }
    @Override public void copyToDevice(long d, MemorySegment s, long n) { throw new UnsupportedOperationException(); }
    @Override public void copyToHost(MemorySegment d, long s, long n) { throw new UnsupportedOperationException(); }
    @Override public void copyOnDevice(long d, long s, long n) { throw new UnsupportedOperationException(); }
    @Override public long loadModule(byte[] image) { throw new UnsupportedOperationException(); }
    @Override public long function(long m, String n) { throw new UnsupportedOperationException(); }
    @Override public void launch(long f, int[] g, int[] b, int s, long[] a) { throw new UnsupportedOperationException(); }
    @Override public void synchronize() { throw new UnsupportedOperationException(); }
  }

  @Test
  void compilesOncePerSourceAndArchAndReusesTheDiskCopy(@TempDir Path dir) throws Exception {
    String old = System.getProperty("statelens.gpu.cacheDir");
    System.setProperty("statelens.gpu.cacheDir", dir.toString());
    try {
      GpuProgram p = KernelGenerator.generate(ExampleGraphs.linregUpdate());
      CountingDriver h100 = new CountingDriver("sm_90");
      byte[] first = new KernelCache(h100).image(p);
      KernelCache cache = new KernelCache(h100);
      assertArrayEquals(first, cache.image(p));
      assertArrayEquals(first, cache.image(KernelGenerator.generate(ExampleGraphs.linregUpdate())));
      assertEquals(1, h100.compiles, "a second process (new cache) must read the disk copy");
      assertEquals(1, Files.list(dir.resolve("cuda-sm_90").resolve("nvrtc_12.4")).count());

      CountingDriver a100 = new CountingDriver("sm_80");
      new KernelCache(a100).image(p);
      assertEquals(1, a100.compiles, "another arch must not reuse an sm_90 image");
    } finally {
      if (old == null) {
        System.clearProperty("statelens.gpu.cacheDir");
      } else {
        System.setProperty("statelens.gpu.cacheDir", old);
      }
    }
  }
}
