package dev.statelens.engine.backend;

/**
 * Makes a backend available by name ({@code rocm}, {@code cuda}); found through
 * {@link java.util.ServiceLoader} or {@link Backends#register}.
 */
public interface BackendProvider {
  /** The name used in {@code STATELENS_BACKEND}, e.g. {@code cuda}. */
  String name();

  /** True for GPU backends, which {@code auto} tries before {@code cpu}. */
  default boolean isGpu() {
    return true;
  }

  /** Loads the backend, or throws {@link BackendUnavailableException} saying why in one line. */
  Backend load();
}
