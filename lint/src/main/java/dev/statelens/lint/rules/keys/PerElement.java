package dev.statelens.lint.rules.keys;

import java.util.Set;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;

/**
 * Calls whose lambda runs once per step or element, so a draw from a captured key in it repeats:
 * {@code Lax.forI/scan/whileLoop}, and stream operations (syntactically: no bindings).
 */
final class PerElement {
  static final Set<String> LAX_LOOPS = Set.of("forI", "scan", "whileLoop");
  /**
   * Stream operations whose lambda runs once per element, when called on a stream
   * ({@link #isStream}); {@code forEach} on any object (a collection's, a map's) too.
   */
  private static final Set<String> PER_ELEMENT = Set.of("map", "mapToObj", "mapToInt",
      "mapToLong", "mapToDouble", "flatMap", "mapMulti", "filter", "peek", "forEach",
      "forEachOrdered", "anyMatch", "allMatch", "noneMatch", "takeWhile", "dropWhile", "reduce");
  /** Operations that return a stream again: a chain of them on a stream is a stream. */
  private static final Set<String> STREAM_STEPS = Set.of("map", "mapToObj", "mapToInt",
      "mapToLong", "mapToDouble", "flatMap", "mapMulti", "filter", "peek", "limit", "skip",
      "distinct", "sorted", "boxed", "parallel", "sequential", "unordered", "takeWhile",
      "dropWhile", "asLongStream", "asDoubleStream");
  private static final Set<String> STREAM_TYPES = Set.of("Stream", "IntStream", "LongStream",
      "DoubleStream");

  private PerElement() {}

  /** {@code Lax.forI/scan/whileLoop(...)}: its body lambda runs once per step. */
  static boolean laxLoop(MethodInvocation call, Imports imports) {
    return Imports.on(call, "Lax", imports.lax())
        && LAX_LOOPS.contains(call.getName().getIdentifier());
  }

  /**
   * A stream operation whose lambda runs per element: {@code forEach} on any object, the others
   * on a stream ({@link #isStream}).
   */
  static boolean perElement(MethodInvocation call) {
    String name = call.getName().getIdentifier();
    if ((name.equals("generate") || name.equals("iterate"))
        && call.getExpression() instanceof Name type && STREAM_TYPES.contains(Syntax.simple(type))) {
      return true; // Stream.generate(() -> ...): the supplier runs for each element
    }
    if (!PER_ELEMENT.contains(name) || call.getExpression() == null) {
      return false;
    }
    return name.equals("forEach") || name.equals("forEachOrdered") || isStream(call.getExpression());
  }

  /**
   * Syntactically a stream: {@code Stream/IntStream/LongStream/DoubleStream.*(...)},
   * {@code Arrays.stream(...)}, {@code x.stream()}, {@code x.parallelStream()}, and stream steps
   * ({@code map}, {@code filter}, {@code limit}, ...) on one. Without bindings a user's own
   * {@code map} on some other object is not one.
   */
  private static boolean isStream(Expression e) {
    if (!(e instanceof MethodInvocation mi)) {
      return e instanceof ParenthesizedExpression p && isStream(p.getExpression());
    }
    String name = mi.getName().getIdentifier();
    Expression receiver = mi.getExpression();
    if (receiver instanceof Name type && (STREAM_TYPES.contains(Syntax.simple(type))
        || (Syntax.simple(type).equals("Arrays") && name.equals("stream")))) {
      return true;
    }
    if (receiver != null && (name.equals("stream") || name.equals("parallelStream"))
        && mi.arguments().isEmpty()) {
      return true;
    }
    return STREAM_STEPS.contains(name) && receiver != null && isStream(receiver);
  }
}
