package dev.statelens.engine.backend.gpu;

import java.util.Optional;

/**
 * What a driver's look-up of its vendor BLAS found: the library, or why the generated tiled
 * kernel computes matmuls instead (disabled, library missing, library too old). Kept so that the
 * backend's description can say which matmul path is active and why.
 */
public record BlasChoice(Blas blas, String whyNot) {
  public BlasChoice {
    if ((blas == null) == (whyNot == null)) {
      throw new IllegalArgumentException("a BlasChoice is either a library or a reason");
    }
  }

  public static BlasChoice of(Blas blas) {
    return new BlasChoice(blas, null);
  }

  public static BlasChoice none(String whyNot) {
    return new BlasChoice(null, whyNot);
  }

  /** The choice when {@code -Dstatelens.gpu.blas=false}. */
  public static BlasChoice disabled() {
    return none("vendor BLAS disabled by -Dstatelens.gpu.blas=false");
  }

  public Optional<Blas> get() {
    return Optional.ofNullable(blas);
  }

  /** e.g. {@code hipBLAS (libhipblas.so.2)} or {@code tiled kernel (libhipblas.so not found ...)}. */
  public String describe() {
    return blas != null ? blas.name() : "tiled kernel (" + whyNot + ")";
  }
}
