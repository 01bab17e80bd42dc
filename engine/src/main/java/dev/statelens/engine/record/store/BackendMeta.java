package dev.statelens.engine.record.store;

import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.BackendUnavailableException;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.cpu.Matmul;
import dev.statelens.engine.backend.gpu.GpuBackend;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which backend ran a run, as the run file's {@code meta} table records it when the recorder opens
 * the run ({@code backend}, {@code backend_device}, {@code cpu_kernels}; docs/run-store.md), and
 * the one line a comparison of runs shows for it, so a CPU run and a CUDA run of the same program
 * do not compare as if they were the same.
 */
public final class BackendMeta {
  /** {@code cpu}, {@code cuda} or {@code rocm}: the backend's name. */
  static final String BACKEND = "backend";
  /** A GPU backend's device, e.g. {@code NVIDIA H100 80GB HBM3}. */
  static final String DEVICE = "backend_device";
  /** The CPU backend's kernels: Vector API or scalar, and threads ({@link Matmul#describe()}). */
  static final String CPU_KERNELS = "cpu_kernels";

  private BackendMeta() {}

  /**
   * The keys for the process's backend; none when selecting it fails (a GPU asked for but not
   * there): the program meets that error, with its fix, at its first array, not in the recorder.
   */
  static Map<String, String> current() {
    try {
      return of(Backends.current());
    } catch (BackendUnavailableException e) {
      return Map.of();
    }
  }

  /** The keys for {@code backend}: its name, and its device (GPU) or its kernels (CPU). */
  public static Map<String, String> of(Backend backend) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(BACKEND, backend.name());
    if (backend instanceof GpuBackend gpu) {
      meta.put(DEVICE, gpu.driver().deviceName());
    } else if (backend.name().equals("cpu")) {
      meta.put(CPU_KERNELS, Matmul.describe());
    }
    return meta;
  }

  /**
   * {@code cpu: vector (8 float lanes), 2 threads} or {@code cuda: NVIDIA H100 80GB HBM3}; null when
   * the run recorded no backend (recorded before StateLens kept it).
   */
  public static String describe(Map<String, String> meta) {
    String name = meta.get(BACKEND);
    if (name == null) {
      return null;
    }
    String detail = meta.getOrDefault(DEVICE, meta.get(CPU_KERNELS));
    return detail == null ? name : name + ": " + detail;
  }
}
