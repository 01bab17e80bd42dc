package dev.statelens.lint.analysis;

import java.util.Optional;

/** The engine transforms whose functions are traced ({@code dev.statelens.engine.Transforms}). */
public enum TransformKind {
  JIT("jit", "jitted"),
  GRAD("grad", "differentiated by grad"),
  VALUE_AND_GRAD("valueAndGrad", "differentiated by valueAndGrad"),
  VMAP("vmap", "vectorized by vmap"),
  VALUE_AND_GRAD_WITH_AUX("valueAndGradWithAux", "differentiated by valueAndGradWithAux"),
  GRAD_WITH_AUX("gradWithAux", "differentiated by gradWithAux"),
  // vjp(fn, x) and jvp(fn, x, t) run fn at once; jacrev/jacfwd/hessian return a function
  VJP("vjp", "differentiated by vjp"),
  JVP("jvp", "differentiated by jvp"),
  JACREV("jacrev", "differentiated by jacrev"),
  JACFWD("jacfwd", "differentiated by jacfwd"),
  HESSIAN("hessian", "differentiated by hessian"),
  // customVjp's f, fwd and bwd (every argument) and checkpoint's f are traced when differentiated or jitted
  CUSTOM_VJP("customVjp", "given to customVjp"),
  CHECKPOINT("checkpoint", "rematerialized by checkpoint");

  public static final String TRANSFORMS_CLASS = "dev.statelens.engine.Transforms";
  public static final String ENGINE_PACKAGE = "dev.statelens.engine";

  private final String methodName;
  private final String participle;

  TransformKind(String methodName, String participle) {
    this.methodName = methodName;
    this.participle = participle;
  }

  public String methodName() {
    return methodName;
  }

  /** "jitted", "differentiated by grad", ... for messages. */
  public String participle() {
    return participle;
  }

  public static Optional<TransformKind> byMethodName(String name) {
    for (TransformKind k : values()) {
      if (k.methodName.equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
