package dev.statelens.engine.backend.gpu;

import java.lang.foreign.Arena;

/**
 * The one way the drivers wrap a call into a vendor library. Downcall handles declare
 * {@code throws Throwable}; here the library's own failures ({@link GpuException},
 * {@code BackendUnavailableException}) and errors pass through as they are, and anything checked
 * becomes a {@link GpuException} naming the call.
 */
public final class NativeCall {
  private NativeCall() {}

  /** A call that needs scratch memory: it gets a confined arena, freed when it returns. */
  @FunctionalInterface
  public interface InArena<T> {
    T run(Arena arena) throws Throwable;
  }

  /** A call that needs no scratch memory. */
  @FunctionalInterface
  public interface Action {
    void run() throws Throwable;
  }

  /** A call that returns a status code. */
  @FunctionalInterface
  public interface Status {
    int call() throws Throwable;
  }

  /** Runs {@code body} in a fresh confined arena; {@code what} names it in the error ("what failed: ..."). */
  public static <T> T inArena(String what, InArena<T> body) {
    try (Arena a = Arena.ofConfined()) {
      return body.run(a);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException(what + " failed: " + t);
    }
  }

  /** Runs {@code body} without an arena (the hot copy and free calls allocate nothing). */
  public static void run(String what, Action body) {
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new GpuException(what + " failed: " + t);
    }
  }
}
