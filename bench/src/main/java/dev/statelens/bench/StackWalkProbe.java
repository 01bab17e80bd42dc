package dev.statelens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Where the trace-time cost of a source line per equation goes ({@code SourcePositions}, the
 * engine's StackWalker walk to the first frame outside the engine, docs/benchmarks.md): a user
 * frame under {@code depth} "engine" frames (the transformer step's walks average 16 frames), one
 * walk per call, five ways. Thread CPU time per walk, best of 8 rounds of 20,000. JDK only:
 *
 * <pre>java bench/src/main/java/dev/statelens/bench/StackWalkProbe.java 16</pre>
 */
public final class StackWalkProbe {
  private static final StackWalker METHOD_INFO = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final StackWalker CLASS_ONLY = StackWalker.getInstance(
      Set.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.DROP_METHOD_INFO));
  /** As SourcePositions.SKIPPED: the JDK and the "engine" (here this probe's own classes). */
  private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      return c.getClassLoader() == null || c == Engine.class || c == StackWalkProbe.class;
    }
  };

  private record Site(Class<?> declaring, String method, String descriptor, int bci) {}

  private static final ConcurrentHashMap<Site, Integer> LINES = new ConcurrentHashMap<>();
  private static volatile Object sink;

  private StackWalkProbe() {}

  private static StackWalker.StackFrame userFrame(StackWalker walker) {
    return walker.walk(frames -> frames.filter(f -> !SKIPPED.get(f.getDeclaringClass())).findFirst().orElse(null));
  }

  /** The five ways, by number. */
  private static final String[] WAYS = {
    "today: class, method, file, line (a StackTraceElement)",
    "line cached per (class, method, descriptor, bci)",
    "method info walked, frame's class only (no line)",
    "method info walked, bci + method name (no line)",
    "DROP_METHOD_INFO: class only (no line possible)",
  };

  private static Object position(int way) {
    return switch (way) {
      case 0 -> {
        StackWalker.StackFrame f = userFrame(METHOD_INFO);
        yield f.getClassName() + f.getMethodName() + f.getFileName() + f.getLineNumber();
      }
      case 1 -> {
        StackWalker.StackFrame f = userFrame(METHOD_INFO);
        yield LINES.computeIfAbsent(new Site(f.getDeclaringClass(), f.getMethodName(), f.getDescriptor(),
            f.getByteCodeIndex()), k -> f.getLineNumber());
      }
      case 2 -> userFrame(METHOD_INFO).getDeclaringClass();
      case 3 -> {
        StackWalker.StackFrame f = userFrame(METHOD_INFO);
        yield f.getByteCodeIndex() + f.getMethodName();
      }
      default -> userFrame(CLASS_ONLY).getDeclaringClass();
    };
  }

  /** The engine's frames between the user's call and the bind that asks for its position. */
  private static final class Engine {
    static Object bind(int depth, IntFunction<Object> ask) {
      return depth == 0 ? ask.apply(0) : bind(depth - 1, ask);
    }
  }

  /** The user's frame. */
  private static final class User {
    static Object call(int depth, int way) {
      return Engine.bind(depth, d -> position(way));
    }
  }

  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int depth = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    double[] best = new double[WAYS.length];
    Arrays.fill(best, Double.MAX_VALUE);
    for (int round = 0; round < 8; round++) {
      for (int way = 0; way < WAYS.length; way++) { // interleaved: the box's load falls on every way alike
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 20_000; i++) {
          sink = User.call(depth, way);
        }
        best[way] = Math.min(best[way], (mx.getCurrentThreadCpuTime() - c0) / 20_000e3);
      }
    }
    for (int way = 0; way < WAYS.length; way++) {
      System.out.printf("%d engine frames  %-56s %.2f us CPU per walk%n", depth, WAYS[way], best[way]);
    }
  }
}
