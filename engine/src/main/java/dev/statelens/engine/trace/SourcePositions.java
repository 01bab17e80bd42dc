package dev.statelens.engine.trace;

import java.security.CodeSource;
import java.util.function.Supplier;

/**
 * The user's line for each equation a trace binds (JAX's {@code source_info}): the first stack
 * frame that is neither the engine's nor the JDK's. Asked only while staging (once per equation at
 * trace time, never when a compiled graph replays).
 *
 * <p>A thread-local override replaces the stack walk where the stack does not show the user's line:
 * {@code grad}'s reverse sweep binds each transpose under the position of the primal equation it
 * differentiates (marked backward), and an inlined jitted graph binds each equation under the
 * position its own trace recorded.
 */
public final class SourcePositions {
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final ThreadLocal<SourceInfo> OVERRIDE = new ThreadLocal<>();
  private static final java.net.URL ENGINE_LOCATION = location(SourcePositions.class);

  /**
   * Engine and JDK classes, skipped by the walk. Decided by where a class was loaded from, not by
   * package: the engine's own tests (same packages, another folder or bundle) are user code.
   */
  private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      ClassLoader loader = c.getClassLoader();
      if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
        return true; // the JDK: streams, reflection, lambdas' plumbing
      }
      if (ENGINE_LOCATION == null) {
        return c.getName().startsWith("dev.statelens.engine.");
      }
      return ENGINE_LOCATION.equals(location(c));
    }
  };

  private SourcePositions() {}

  private static java.net.URL location(Class<?> c) {
    CodeSource cs = c.getProtectionDomain().getCodeSource();
    return cs == null ? null : cs.getLocation();
  }

  /** The position of an equation bound now: the override, else the user's frame; null when none is on the stack. */
  public static SourceInfo current() {
    SourceInfo o = OVERRIDE.get();
    return o != null ? o : fromStack();
  }

  /** Whether operations bound now are staged into a graph (so that positions are wanted). */
  public static boolean staging() {
    return TraceStack.dynamic() instanceof StagingTrace;
  }

  /** The first frame outside the engine and the JDK, or null (no override: also where a host callback is created). */
  public static SourceInfo fromStack() {
    StackWalker.StackFrame f = WALKER.walk(frames -> frames.filter(x -> !SKIPPED.get(x.getDeclaringClass()))
        .findFirst().orElse(null));
    return f == null ? null : new SourceInfo(CodeSite.of(f), false);
  }

  /** Runs {@code body} with every equation it binds at {@code position} (null: as it is, the enclosing override or the stack). */
  public static <T> T at(SourceInfo position, Supplier<T> body) {
    if (position == null) {
      return body.get();
    }
    SourceInfo before = OVERRIDE.get();
    OVERRIDE.set(position);
    try {
      return body.get();
    } finally {
      OVERRIDE.set(before);
    }
  }

  /**
   * The position an inlined graph's equation is bound at: its recorded one, marked backward when
   * the enclosing override is (a sub-graph re-evaluated by a reverse sweep); the enclosing override
   * when the equation has none.
   */
  static SourceInfo inlined(SourceInfo recorded) {
    SourceInfo outer = OVERRIDE.get();
    if (recorded == null) {
      return outer;
    }
    return outer != null && outer.backward() ? recorded.transposed() : recorded;
  }
}
