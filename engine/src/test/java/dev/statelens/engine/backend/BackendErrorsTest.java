package dev.statelens.engine.backend;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.testing.TemporaryProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a user sees when {@code STATELENS_BACKEND} (or {@code -Dstatelens.backend}) names a GPU
 * runtime that is missing, or a backend that does not exist: the reason, which setting asked for
 * it, and how to run anyway. (The exact one-line reasons are pinned in BackendSelectionTest.)
 */
class BackendErrorsTest {

  private static String failure(String spec, String source) {
    return TemporaryProperties.get(Map.of("statelens.cuda.lib", "/nonexistent/libcuda.so.1",
        "statelens.rocm.lib", "/nonexistent/libamdhip64.so"), () -> assertThrows(BackendUnavailableException.class,
            () -> Backends.select(spec, source, true, n -> {})).getMessage());
  }

  @Test
  void aMissingGpuRuntimeSaysWhySettingAskedForItAndHowToRunAnyway() {
    String m = failure("cuda", Backends.ENV);
    assertTrue(m.startsWith("backend 'cuda' is not available: /nonexistent/libcuda.so.1 not found"), m);
    assertTrue(m.endsWith("STATELENS_BACKEND=cuda asks for it; to run anyway, set STATELENS_BACKEND=auto "
        + "(falls back to cpu) or cpu"), m);
    m = failure("rocm", "-D" + Backends.PROPERTY);
    assertTrue(m.startsWith("backend 'rocm' is not available: /nonexistent/libamdhip64.so not found"), m);
    assertTrue(m.contains("-Dstatelens.backend=rocm asks for it; to run anyway, set -Dstatelens.backend=auto"), m);
    assertTrue(!m.contains("\n"), "one line: " + m);
  }

  @Test
  void aTypoNamesTheValueTheSettingAndTheChoices() {
    assertTrue(failure("cdua", Backends.ENV).equals(
        "unknown backend 'cdua' in STATELENS_BACKEND: use cpu, rocm, cuda or auto"));
    String m = failure("gpu", "-D" + Backends.PROPERTY);
    assertTrue(m.equals("unknown backend 'gpu' in -Dstatelens.backend: use cpu, rocm, cuda or auto"), m);
  }
}
