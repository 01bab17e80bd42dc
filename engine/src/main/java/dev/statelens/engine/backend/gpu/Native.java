package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.backend.BackendUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A vendor library opened through {@code java.lang.foreign}: the first of several candidate
 * names that loads (or the path in a system property), and downcall handles by symbol name. A
 * library that is absent gives a one-line {@link BackendUnavailableException}, never a crash.
 */
public final class Native {
  private static final Linker LINKER = Linker.nativeLinker();

  private final String backend;
  private final String loaded;
  private final SymbolLookup lookup;

  private Native(String backend, String loaded, SymbolLookup lookup) {
    this.backend = backend;
    this.loaded = loaded;
    this.lookup = lookup;
  }

  /**
   * Opens the first loadable library of {@code candidates}, or the one named by the system
   * property {@code property} when it is set (a file name or a path).
   *
   * @param hint what to install, for the message when none loads
   */
  public static Native open(String backend, String property, List<String> candidates, String hint) {
    String override = System.getProperty(property);
    List<String> names = override != null && !override.isBlank() ? List.of(override.trim()) : candidates;
    for (String name : names) {
      Optional<Native> n = tryOpen(backend, name);
      if (n.isPresent()) {
        return n.get();
      }
    }
    if (names != candidates) {
      throw unavailable(backend, names.get(0) + " not found or not loadable (set by -D" + property + ")");
    }
    throw unavailable(backend, names.get(0) + " not found (" + hint + "; or set -D" + property
        + "=/path/to/" + names.get(0) + ")");
  }

  /** The library if it loads, else empty. */
  public static Optional<Native> tryOpen(String backend, String name) {
    try {
      // the global arena: a runtime library stays loaded for the life of the process
      return Optional.of(new Native(backend, name, SymbolLookup.libraryLookup(name, Arena.global())));
    } catch (IllegalArgumentException | IllegalCallerException e) {
      return Optional.empty();
    }
  }

  public static BackendUnavailableException unavailable(String backend, String why) {
    return new BackendUnavailableException("backend '" + backend + "' is not available: " + why);
  }

  /** The name the library was opened by. */
  public String name() {
    return loaded;
  }

  public boolean has(String symbol) {
    return lookup.find(symbol).isPresent();
  }

  /** A downcall handle; a missing symbol means the library is too old for this backend. */
  public MethodHandle fn(String symbol, FunctionDescriptor descriptor) {
    MemorySegment address = lookup.find(symbol).orElseThrow(() -> unavailable(backend,
        loaded + " has no " + symbol + " (runtime too old for this backend)"));
    return LINKER.downcallHandle(address, descriptor);
  }

  /** The first symbol of {@code symbols} the library has (versioned entry points such as {@code cuMemAlloc_v2}). */
  public MethodHandle fnAny(FunctionDescriptor descriptor, String... symbols) {
    List<String> tried = new ArrayList<>();
    for (String s : symbols) {
      if (has(s)) {
        return fn(s, descriptor);
      }
      tried.add(s);
    }
    throw unavailable(backend, loaded + " has none of " + tried + " (runtime too old for this backend)");
  }

  /** A C string returned by a library (not owned by Java). */
  public static String cString(MemorySegment ptr) {
    return ptr.equals(MemorySegment.NULL) ? "(no message)" : ptr.reinterpret(Long.MAX_VALUE).getString(0);
  }
}
