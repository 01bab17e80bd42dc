package dev.statelens.engine.backend.gpu;

import java.util.function.Supplier;

/**
 * A driver's vendor BLAS, looked up on the first matmul or the first description (loading the
 * library costs time and may fail, so not at backend start). Two threads racing both find the
 * same library, so no lock is needed.
 */
public final class LazyBlasChoice {
  private final Supplier<BlasChoice> lookUp;
  private volatile BlasChoice choice;

  public LazyBlasChoice(Supplier<BlasChoice> lookUp) {
    this.lookUp = lookUp;
  }

  public BlasChoice get() {
    BlasChoice c = choice;
    if (c == null) {
      c = lookUp.get();
      choice = c;
    }
    return c;
  }
}
