package dev.statelens.engine.trace;

import java.util.Optional;

/**
 * Names a jitted function after the Java method that runs when it is traced, as JAX names
 * {@code jit(count)}: the frame just above the jit machinery on the stack ({@code count} for
 * {@code counter::count}; {@code <lambda>} for a lambda).
 */
public final class FunctionNames {
  private static final StackWalker WALKER = StackWalker.getInstance();
  /** By name, not package prefix, so that user code (and tests) in these packages is not skipped. */
  private static final java.util.Set<String> BATCHING_AND_IR = java.util.Set.of(
      "dev.statelens.engine.batching.Vmap", "dev.statelens.engine.batching.BatchTrace",
      "dev.statelens.engine.batching.Batching", "dev.statelens.engine.batching.StandardRules",
      "dev.statelens.engine.batching.ControlFlowRules", "dev.statelens.engine.ir.Primitive");

  private FunctionNames() {}

  static String fromStack(String fallback) {
    return calledFrom(JitFunction.class.getName(), JitFunction.TRACE_METHOD, fallback);
  }

  /**
   * The user's frame running inside {@code JitFunction.trace} (the traced method, at the line it
   * is executing), or null when none is on the stack (e.g. the function already returned).
   */
  static CodeSite siteFromStack() {
    return frameCalledFrom(JitFunction.class.getName(), JitFunction.TRACE_METHOD).map(CodeSite::of).orElse(null);
  }

  /**
   * Where the jit machinery was entered from: the first frame that is not the machinery itself
   * ({@code Transforms.jit} and this package), i.e. the user's {@code Transforms.jit(...)} call.
   */
  static CodeSite creationSite() {
    return WALKER.walk(frames -> frames.filter(f -> !isMachinery(f.getClassName())).findFirst())
        .map(CodeSite::of).orElse(null);
  }

  /**
   * The user's method running inside {@code anchorClass.anchorMethod} (the transformation's entry
   * point, e.g. vmap's), found on the current stack; {@code fallback} when there is none.
   */
  public static String calledFrom(String anchorClass, String anchorMethod, String fallback) {
    return frameCalledFrom(anchorClass, anchorMethod).map(f -> pretty(f.getMethodName())).orElse(fallback);
  }

  private static Optional<StackWalker.StackFrame> frameCalledFrom(String anchorClass, String anchorMethod) {
    return WALKER.walk(frames -> {
      StackWalker.StackFrame candidate = null;
      for (var it = frames.iterator(); it.hasNext(); ) {
        StackWalker.StackFrame f = it.next();
        String cls = f.getClassName();
        if (cls.equals(anchorClass) && f.getMethodName().equals(anchorMethod)) {
          return Optional.ofNullable(candidate);
        }
        if (!isMachinery(cls)) {
          candidate = f;
        }
      }
      return Optional.empty();
    });
  }

  private static boolean isMachinery(String cls) {
    // autodiff too: jit(grad(loss)) is named after loss, as in JAX, not after the grad wrapper
    return cls.startsWith("dev.statelens.engine.Transforms") || cls.startsWith("dev.statelens.engine.trace.")
        || cls.equals("dev.statelens.engine.autodiff.Grad")
        || BATCHING_AND_IR.contains(cls);
  }

  static String pretty(String method) {
    return method.startsWith("lambda$") ? "<lambda>" : method;
  }
}
