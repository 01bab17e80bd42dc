package dev.statelens.engine.backend.gpu;

import java.util.function.Supplier;

/**
 * A driver's optional vendor library (its BLAS, its FFT), looked up on first use or on the first
 * description: loading a library costs time and may fail, so not at backend start. Two threads
 * racing both find the same library, so no lock is needed.
 */
public final class LazyLookup<T> implements Supplier<T> {
  private final Supplier<T> lookUp;
  private volatile T found;

  public LazyLookup(Supplier<T> lookUp) {
    this.lookUp = lookUp;
  }

  @Override
  public T get() {
    T f = found;
    if (f == null) {
      f = lookUp.get();
      found = f;
    }
    return f;
  }
}
