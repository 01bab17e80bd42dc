package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.backend.BackendUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

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

  /**
   * The first of {@code names} that loads and exports {@code symbol}, bound by {@code bind}; else
   * why none: each library that loaded but lacks the symbol (or could not be bound), or, when
   * none loaded, {@code notFound}.
   */
  public static BlasChoice firstUsable(String backend, List<String> names, String symbol,
      Function<Native, Blas> bind, String notFound) {
    List<String> unusable = new ArrayList<>();
    for (String lib : names) {
      Optional<Native> n = Native.tryOpen(backend, lib);
      if (n.isEmpty()) {
        continue;
      }
      if (!n.get().has(symbol)) {
        unusable.add(lib + " has no " + symbol);
        continue;
      }
      try {
        return of(bind.apply(n.get()));
      } catch (BackendUnavailableException e) {
        unusable.add(e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
      }
    }
    return none(unusable.isEmpty() ? notFound : String.join("; ", unusable));
  }

  public Optional<Blas> get() {
    return Optional.ofNullable(blas);
  }

  /** e.g. {@code hipBLAS (libhipblas.so.2)} or {@code tiled kernel (libhipblas.so not found ...)}. */
  public String describe() {
    return blas != null ? blas.name() : "tiled kernel (" + whyNot + ")";
  }
}
