package dev.statelens.engine.trace;

import java.util.Optional;

/**
 * Names a jitted function after the Java method that runs when it is traced, as JAX names
 * {@code jit(count)}: the frame just above the jit machinery on the stack ({@code count} for
 * {@code counter::count}; {@code <lambda>} for a lambda).
 */
final class FunctionNames {
  private static final StackWalker WALKER = StackWalker.getInstance();

  private FunctionNames() {}

  static String fromStack(String fallback) {
    Optional<String> found = WALKER.walk(frames -> {
      String candidate = null;
      for (var it = frames.iterator(); it.hasNext(); ) {
        StackWalker.StackFrame f = it.next();
        String cls = f.getClassName();
        if (cls.equals(JitFunction.class.getName()) && f.getMethodName().equals(JitFunction.TRACE_METHOD)) {
          return Optional.ofNullable(candidate);
        }
        if (!isMachinery(cls)) {
          candidate = f.getMethodName();
        }
      }
      return Optional.empty();
    });
    return found.map(FunctionNames::pretty).orElse(fallback);
  }

  private static boolean isMachinery(String cls) {
    // autodiff too: jit(grad(loss)) is named after loss, as in JAX, not after the grad wrapper
    return cls.startsWith("dev.statelens.engine.Transforms") || cls.startsWith("dev.statelens.engine.trace.")
        || cls.equals("dev.statelens.engine.autodiff.Grad");
  }

  private static String pretty(String method) {
    return method.startsWith("lambda$") ? "<lambda>" : method;
  }
}
