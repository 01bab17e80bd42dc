package dev.statelens.lint.analysis;

import dev.statelens.lint.CallFrame;
import java.nio.file.Path;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;

/**
 * A call of {@code Transforms.jit/grad/valueAndGrad/vmap}.
 *
 * @param kind which transform
 * @param call the call expression
 * @param function the argument holding the transformed function
 * @param file the file of the call
 * @param underJit whether the function ends up traced by jit (directly, or as in
 *     {@code jit(grad(f))}); only then do concretization and trace-once semantics apply in full
 */
public record TransformSite(
    TransformKind kind, MethodInvocation call, Expression function, Path file, boolean underJit) {

  /** {@code jit(counter::count)}; long function texts are shortened. */
  public String description() {
    String fn = switch (function) {
      case org.eclipse.jdt.core.dom.LambdaExpression l -> "lambda";
      case org.eclipse.jdt.core.dom.ClassInstanceCreation c -> "new " + c.getType() + "() {...}";
      default -> function.toString();
    };
    if (fn.length() > 40) {
      fn = fn.substring(0, 37) + "...";
    }
    return kind.methodName() + "(" + fn + ")";
  }

  public int line() {
    return ((CompilationUnit) call.getRoot()).getLineNumber(call.getStartPosition());
  }

  /** {@code Main.java:12} */
  public String location() {
    return file.getFileName() + ":" + line();
  }

  public CallFrame frame() {
    return new CallFrame(description(), file, call.getStartPosition(), line());
  }

  public TransformSite underJit(boolean jit) {
    return new TransformSite(kind, call, function, file, jit);
  }
}
