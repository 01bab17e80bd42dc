package dev.statelens.engine;

import dev.statelens.engine.trace.TraceStack;
import java.security.CodeSource;
import java.util.Objects;

/**
 * Operand shapes (or dtypes) that an operation cannot accept; the message names the op, both
 * shapes and, appended here, where the user's code called it: {@code (while tracing jit(step), at
 * Train.java:42)}, or {@code (at Train.java:42)} eagerly. Inside {@code jit} that line is the one
 * that was being traced, which the Java stack also shows; the message alone is enough in a log.
 */
public class ShapeError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  public ShapeError(String message) {
    super(message + where(message));
  }

  /** Formats a shape as {@code [3,4]} (no spaces), the form used in every error message. */
  public static String format(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }

  /**
   * {@code " (while tracing jit(step), at Train.java:42)"}: the innermost traced function (unless
   * the message already starts with it, as vmap's do) and the first caller outside the engine.
   */
  static String where(String message) {
    String traced = null;
    if (TraceStack.isTracing()) {
      String name = traceName(TraceStack.innermost().functionName());
      traced = message.startsWith(name) ? null : name;
    }
    String site = userFrame();
    if (traced == null && site == null) {
      return "";
    }
    return " (" + (traced == null ? "" : "while tracing " + traced + (site == null ? "" : ", "))
        + (site == null ? "" : "at " + site) + ")";
  }

  /** jit's traces by their function, the engine's own sub-traces (Lax bodies) by what they are. */
  private static String traceName(String functionName) {
    return switch (functionName) {
      case "scan_body" -> "a Lax.scan/forI body";
      case "cond_true", "cond_false" -> "a Lax.cond branch";
      case "while_cond" -> "a Lax.whileLoop cond";
      case "while_body" -> "a Lax.whileLoop body";
      case "make_jaxpr" -> "makeJaxpr";
      default -> functionName.startsWith("switch_branch") ? "a Lax.switchCase branch"
          : UnexpectedTracerError.traceName(functionName);
    };
  }

  /**
   * The first frame of user code, e.g. {@code Train.java:42}, or null: not the engine (told apart
   * by code source, so user code and tests in the engine's packages count as user code) and not
   * the JDK. Other errors (NaN checks) use it to name the user's line.
   */
  public static String userFrame() {
    CodeSource engine = ShapeError.class.getProtectionDomain().getCodeSource();
    return WALKER.walk(frames -> frames.filter(f -> {
      Class<?> c = f.getDeclaringClass();
      ClassLoader l = c.getClassLoader();
      return l != null && l != ClassLoader.getPlatformClassLoader()
          && !Objects.equals(c.getProtectionDomain().getCodeSource(), engine);
    }).findFirst().map(f -> (f.getFileName() != null ? f.getFileName() : f.getClassName())
        + (f.getLineNumber() > 0 ? ":" + f.getLineNumber() : "")).orElse(null));
  }
}
