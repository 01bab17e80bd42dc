package dev.statelens.engine.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The platform C library's f32 {@code powf}, {@code atan2f}, {@code sinf} and {@code cosf}. XLA's
 * CPU backend emits no code of its own for these (unlike exp and log, {@link XlaF32Math}): its
 * kernels call the process's libm, so the same call here gives JAX's bits on the same machine.
 * glibc's are not all correctly rounded (atan2f is fdlibm's f32 code, ~15% of random points differ
 * from the correctly rounded value; sinf/cosf ~1.5%), so Java's double functions rounded once would
 * not do. Where no {@code libm.so.6} loads (not glibc), the double functions rounded once stand in.
 */
final class Libm {
  private Libm() {}

  private static final FunctionDescriptor BINARY =
      FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT);
  private static final FunctionDescriptor UNARY = FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_FLOAT);

  private static final Optional<SymbolLookup> LIB = open();
  private static final MethodHandle POWF = handle("powf", BINARY);
  private static final MethodHandle ATAN2F = handle("atan2f", BINARY);
  private static final MethodHandle SINF = handle("sinf", UNARY);
  private static final MethodHandle COSF = handle("cosf", UNARY);

  /** Whether the calls reach the C library (else Java's double functions rounded once). */
  static boolean isNative() {
    return POWF != null;
  }

  static float pow(float x, float y) {
    if (POWF == null) {
      return (float) StrictMath.pow(x, y);
    }
    try {
      return (float) POWF.invokeExact(x, y);
    } catch (Throwable t) {
      throw new IllegalStateException("libm powf", t);
    }
  }

  static float atan2(float y, float x) {
    if (ATAN2F == null) {
      return (float) StrictMath.atan2(y, x);
    }
    try {
      return (float) ATAN2F.invokeExact(y, x);
    } catch (Throwable t) {
      throw new IllegalStateException("libm atan2f", t);
    }
  }

  static float sin(float x) {
    if (SINF == null) {
      return (float) StrictMath.sin(x);
    }
    try {
      return (float) SINF.invokeExact(x);
    } catch (Throwable t) {
      throw new IllegalStateException("libm sinf", t);
    }
  }

  static float cos(float x) {
    if (COSF == null) {
      return (float) StrictMath.cos(x);
    }
    try {
      return (float) COSF.invokeExact(x);
    } catch (Throwable t) {
      throw new IllegalStateException("libm cosf", t);
    }
  }

  private static Optional<SymbolLookup> open() {
    if (Boolean.getBoolean("statelens.cpu.nolibm")) {
      return Optional.empty();
    }
    try {
      // the global arena: the C library stays loaded for the life of the process
      return Optional.of(SymbolLookup.libraryLookup("libm.so.6", Arena.global()));
    } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static MethodHandle handle(String name, FunctionDescriptor type) {
    try {
      // critical: a leaf call that neither blocks nor calls back, so no thread-state transition
      return LIB.flatMap(l -> l.find(name))
          .map(s -> Linker.nativeLinker().downcallHandle(s, type, Linker.Option.critical(false)))
          .orElse(null);
    } catch (IllegalCallerException | UnsupportedOperationException e) {
      return null; // native access denied: the stand-ins
    }
  }
}
