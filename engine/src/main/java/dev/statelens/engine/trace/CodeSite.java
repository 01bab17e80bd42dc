package dev.statelens.engine.trace;

/**
 * A place in the user's code, from a stack frame: where {@code Transforms.jit} was called, or the
 * method a jitted function ran while it was traced. The recorder stores it so that the IDE can
 * open the line.
 *
 * @param className binary name of the declaring class ({@code com.example.LinReg$Trainer})
 * @param methodName the method ({@code step}; {@code lambda$main$0} for a lambda body)
 * @param fileName the source file the class was compiled from, or null when not compiled in
 * @param line 1-based line, or -1 when unknown (no debug information)
 */
public record CodeSite(String className, String methodName, String fileName, int line) {

  static CodeSite of(StackWalker.StackFrame f) {
    return new CodeSite(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber() > 0 ? f.getLineNumber() : -1);
  }

  /** {@code Trainer.java:42} (the file and line, as a console shows them), or the class and method when unknown. */
  public String location() {
    if (fileName == null) {
      return className + "." + methodName;
    }
    return line > 0 ? fileName + ":" + line : fileName;
  }

  @Override
  public String toString() {
    return className + "." + methodName + "(" + (fileName == null ? "unknown source" : fileName)
        + (line > 0 ? ":" + line : "") + ")";
  }
}
