package dev.statelens.lint.analysis;

/** What a transform call's function argument turned out to be. */
public sealed interface TracedFunction {

  /** Code the analysis can walk. */
  record Code(Body body, Origin thisOrigin) implements TracedFunction {}

  /** The argument is itself a transform ({@code jit(grad(f))}); that inner call is its own site. */
  record Nested(org.eclipse.jdt.core.dom.MethodInvocation innerTransform) implements TracedFunction {}

  /**
   * Not analyzable. {@code reason} says why, for the "skipped" notices; null when there is
   * nothing worth saying (an engine function such as {@code Array::exp}).
   */
  record Unresolved(String reason) implements TracedFunction {}
}
