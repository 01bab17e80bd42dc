package dev.statelens.engine.backend;

import dev.statelens.engine.backend.cpu.CpuBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Backend selection: {@code STATELENS_BACKEND=cpu|rocm|cuda|auto} (or the system property
 * {@code statelens.backend}, which wins), default {@code cpu}.
 *
 * <ul>
 *   <li>{@code cpu}: the pure-Java backend, always available.
 *   <li>{@code rocm}, {@code cuda}: that GPU backend; if it cannot load, selection fails with a
 *       {@link BackendUnavailableException} whose one-line message says why (an explicit request
 *       is not silently downgraded).
 *   <li>{@code auto}: the first GPU backend that loads, else {@code cpu}, with one line on stderr
 *       per backend that could not load: {@code backend 'cuda' is not available: <why>; using cpu}.
 * </ul>
 */
public final class Backends {
  public static final String ENV = "STATELENS_BACKEND";
  public static final String PROPERTY = "statelens.backend";

  private static final Map<String, BackendProvider> PROVIDERS = new LinkedHashMap<>();
  private static volatile Backend current;

  static {
    for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
      PROVIDERS.putIfAbsent(p.name(), p);
    }
  }

  private Backends() {}

  /** Adds (or replaces) a provider; GPU backends not found by ServiceLoader register here. */
  public static synchronized void register(BackendProvider provider) {
    PROVIDERS.put(provider.name(), provider);
  }

  /** The process-wide backend, selected once from the environment. */
  public static Backend current() {
    Backend b = current;
    if (b == null) {
      synchronized (Backends.class) {
        b = current;
        if (b == null) {
          String spec = System.getProperty(PROPERTY);
          String source = "-D" + PROPERTY;
          if (spec == null || spec.isBlank()) {
            spec = System.getenv(ENV);
            source = ENV;
          }
          b = select(spec, source, true, System.err::println);
          current = b;
        }
      }
    }
    return b;
  }

  /** The CPU backend (always available). */
  public static Backend cpu() {
    return CpuBackend.INSTANCE;
  }

  /**
   * Resolves a selection string as {@link #current()} does, without caching it.
   *
   * @param notes receives one line per backend {@code auto} skipped
   */
  public static Backend select(String spec, java.util.function.Consumer<String> notes) {
    return select(spec, ENV, false, notes);
  }

  /**
   * As {@link #select(String, java.util.function.Consumer)}; the error names {@code source}
   * ({@code STATELENS_BACKEND} or {@code -Dstatelens.backend}) and, with {@code withFix}, says how
   * to run without that GPU runtime (what a user meets through {@link #current()}).
   */
  static Backend select(String spec, String source, boolean withFix, java.util.function.Consumer<String> notes) {
    String name = spec == null || spec.isBlank() ? "cpu" : spec.trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "cpu":
        return cpu();
      case "auto": {
        List<String> skipped = new ArrayList<>();
        for (String gpu : gpuNames()) {
          try {
            return load(gpu);
          } catch (BackendUnavailableException e) {
            skipped.add(e.getMessage());
          }
        }
        for (String why : skipped) {
          notes.accept(why + "; using cpu");
        }
        return cpu();
      }
      default:
        if (!gpuNames().contains(name) && !PROVIDERS.containsKey(name)) {
          throw new BackendUnavailableException("unknown backend '" + spec + "' in " + source
              + ": use cpu, rocm, cuda or auto");
        }
        if (!withFix) {
          return load(name);
        }
        try {
          return load(name);
        } catch (BackendUnavailableException e) {
          throw new BackendUnavailableException(e.getMessage() + ". " + source + "=" + spec.trim()
              + " asks for it; to run anyway, set " + source + "=auto (falls back to cpu) or cpu");
        }
    }
  }

  private static List<String> gpuNames() {
    List<String> names = new ArrayList<>(List.of("rocm", "cuda"));
    synchronized (Backends.class) {
      for (BackendProvider p : PROVIDERS.values()) {
        if (p.isGpu() && !names.contains(p.name())) {
          names.add(p.name());
        }
      }
    }
    return names;
  }

  private static Backend load(String name) {
    BackendProvider p;
    synchronized (Backends.class) {
      p = PROVIDERS.get(name);
    }
    if (p == null) {
      throw new BackendUnavailableException("backend '" + name + "' is not available: "
          + "this build has no " + name + " backend yet (only cpu); set " + ENV + "=cpu or auto");
    }
    try {
      return p.load();
    } catch (BackendUnavailableException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      throw new BackendUnavailableException("backend '" + name + "' is not available: " + e);
    }
  }
}
