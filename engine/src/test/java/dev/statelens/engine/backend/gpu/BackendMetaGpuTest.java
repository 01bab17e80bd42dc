package dev.statelens.engine.backend.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.statelens.engine.record.store.BackendMeta;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run on a GPU backend records the platform and the device (here the emulated driver's), not the CPU kernels. */
class BackendMetaGpuTest {
  @TempDir Path dir;

  @Test
  void aGpuBackendIsRecordedWithItsDeviceName() {
    GpuBackend gpu = new GpuBackend(new EmulatedDriver(Path.of("g++"), dir));
    Map<String, String> meta = BackendMeta.of(gpu);
    assertEquals(Map.of("backend", "emulated", "backend_device", "CPU emulation"), meta);
    assertEquals("emulated: CPU emulation", BackendMeta.describe(meta));
  }
}
