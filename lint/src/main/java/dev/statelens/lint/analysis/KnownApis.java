package dev.statelens.lint.analysis;

import java.util.Map;
import java.util.Set;

/**
 * Facts about library members that name-based analysis needs: engine type names, members
 * reachable by static wildcard import, and the types of well-known static fields.
 */
public final class KnownApis {

  /** Public types of {@code dev.statelens.engine} (see DESIGN.md). */
  public static final Set<String> ENGINE_TYPES = Set.of(
      "Array", "DType", "Transforms", "Fn3", "Fn4", "Tree", "TreeDef", "Pair", "Lax", "Debug",
      "Random", "Key", "Optim", "ShapeError", "UnexpectedTracerError", "ConcretizationError",
      "VjpResult", "ShapeDtype", "VmapMethod", "CallbackError");

  /**
   * The write methods that declare IOException (Files.write/writeString, Writer/OutputStream
   * write and append): SL003 offers the debug-callback fix on them, and the fix wraps them in a
   * try that rethrows unchecked.
   */
  public static final Set<String> IO_EXCEPTION_WRITES = Set.of("write", "writeString", "append");

  private static final Map<String, Set<String>> STATIC_MEMBERS = Map.of(
      TransformKind.TRANSFORMS_CLASS, Set.of("jit", "grad", "valueAndGrad", "vmap", "makeJaxpr",
          "valueAndGradWithAux", "gradWithAux", "vjp", "jvp", "jacrev", "jacfwd", "hessian",
          "customVjp", "checkpoint", "pureCallback", "ioCallback", "evalShape", "linearize",
          "linearTranspose"),
      "java.lang.Math", Set.of("random"),
      "java.lang.StrictMath", Set.of("random"),
      "java.lang.System", Set.of("nanoTime", "currentTimeMillis", "out", "err", "in"),
      "dev.statelens.engine.Debug", Set.of("print", "callback"));

  private static final Map<String, String> STATIC_FIELD_TYPES = Map.of(
      "java.lang.System#out", "java.io.PrintStream",
      "java.lang.System#err", "java.io.PrintStream",
      "java.lang.System#in", "java.io.InputStream");

  /** Calls whose result is a plain Java value even on a traced receiver. */
  private static final Set<String> CONCRETE_RESULTS = Set.of(
      "shape", "dtype", "ndim", "size", "rank", "item", "floatValue", "doubleValue", "intValue",
      "longValue", "boolValue", "booleanValue", "toFloatArray", "toDoubleArray", "toIntArray",
      "toBooleanArray", "hashCode", "equals", "toString", "length", "isEmpty", "getClass");

  private KnownApis() {}

  /** True for methods such as {@code shape()} or {@code item()} whose result is not traced. */
  public static boolean isConcreteResult(String methodName) {
    return CONCRETE_RESULTS.contains(methodName);
  }

  public static boolean hasStaticMember(String owner, String member) {
    return STATIC_MEMBERS.getOrDefault(owner, Set.of()).contains(member);
  }

  /** The type of a well-known static field ({@code System.out} is a PrintStream), or null. */
  public static TypeRef staticFieldType(TypeRef owner, String field) {
    if (owner == null) {
      return null;
    }
    String key = (owner.qualifiedName() != null ? owner.qualifiedName() : "java.lang." + owner.simpleName())
        + "#" + field;
    String type = STATIC_FIELD_TYPES.get(key);
    return type == null ? null : TypeRef.named(type);
  }

  /**
   * True for the engine's host callbacks ({@code Debug.callback}, {@code Transforms.pureCallback},
   * {@code Transforms.ioCallback}): the function handed to them runs on the host at run time with
   * concrete values, so its body is not part of the transformed function.
   */
  public static boolean isHostCallback(CalleeRef callee) {
    return callee.ownerIs("dev.statelens.engine.Debug") && callee.name().equals("callback")
        || callee.ownerIs(TransformKind.TRANSFORMS_CLASS)
            && (callee.name().equals("pureCallback") || callee.name().equals("ioCallback"));
  }

  /** The engine's own code is traced-aware by design: the analysis does not descend into it. */
  public static boolean isEngine(TypeRef type) {
    return type != null && type.qualifiedName() != null
        && type.qualifiedName().startsWith(TransformKind.ENGINE_PACKAGE + ".");
  }
}
