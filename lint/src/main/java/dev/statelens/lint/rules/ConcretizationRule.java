package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.TransformKind;
import dev.statelens.lint.analysis.TypeRef;
import dev.statelens.lint.fix.FixId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.NullLiteral;

/**
 * SL007: code that needs the concrete value of a traced array ({@code item()},
 * {@code floatValue()}, {@code toFloatArray()}, a Java condition computed from one, or a
 * {@code Nonzero} function whose result size is counted from the values because no static
 * {@code size} was given) fails under jit and vmap with ConcretizationError. Under grad alone
 * values are concrete, so it is fine.
 */
final class ConcretizationRule implements RuleCheck {

  /**
   * {@code Nonzero}'s functions whose one-argument form counts its result size on the host (JAX's
   * {@code jnp.nonzero(x)} without {@code size=}); each has an overload with a static size.
   */
  static final Set<String> SIZE_FROM_VALUES = Set.of("nonzero", "flatnonzero", "argwhere",
      "unique", "uniqueAll");

  static final Set<String> CONCRETIZING = Set.of("item", "floatValue", "doubleValue",
      "intValue", "longValue", "booleanValue", "boolValue", "toFloatArray", "toDoubleArray",
      "toIntArray", "toBooleanArray");

  @Override
  public Rule rule() {
    return Rule.SL007;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    List<ASTNode> concretizing = new ArrayList<>();
    for (Effect effect : effects) {
      if (effect instanceof Effect.Call call && appliesTo(effect) && isConcretizing(call)) {
        concretizing.add(call.node());
        if (sizeFromValues(call)) {
          sink.report(Rule.SL007, effect, effect.node(),
              "Concretization " + Snippets.call(call) + " without a size on a traced array "
                  + effect.context().where() + ": its result size depends on the values, which "
                  + transformName(effect) + " does not know while tracing, so this throws "
                  + "ConcretizationError. Fix: pass a static size, as JAX's size= argument: "
                  + sizedExample(call) + " (results past the true count are padded, extra ones "
                  + "cut off).",
              List.of(FixId.SUPPRESS));
          continue;
        }
        String in = conditionAround(call.node());
        sink.report(Rule.SL007, effect, effect.node(),
            "Concretization " + Snippets.call(call) + " on a traced array" + in + " "
                + effect.context().where() + ": under " + transformName(effect)
                + " the array has no value yet, so this throws ConcretizationError. " + FIX,
            List.of(FixId.SUPPRESS));
      }
    }
    for (Effect effect : effects) {
      if (effect instanceof Effect.Condition condition && appliesTo(effect)
          && condition.value().traced() && !containsAny(condition.node(), concretizing)) {
        sink.report(Rule.SL007, effect, effect.node(),
            "Java control flow on a traced value '" + Snippets.code(condition.node()) + "' "
                + effect.context().where() + ": the condition has no concrete value while "
                + "tracing, so this throws ConcretizationError. " + FIX,
            List.of(FixId.SUPPRESS));
      }
    }
  }

  private static final String FIX = "Fix: compute both branches and select with "
      + "Array.where(cond, a, b), or use Lax.cond(pred, ...) for control flow on traced values.";

  /** jit when the code ends up jitted (also {@code jit(grad(f))}), else vmap. */
  private static String transformName(Effect effect) {
    return effect.context().site().underJit() ? "jit" : effect.context().site().kind().methodName();
  }

  private static boolean appliesTo(Effect effect) {
    return effect.context().site().underJit()
        || effect.context().site().kind() == TransformKind.VMAP;
  }

  private static boolean isConcretizing(Effect.Call call) {
    if (sizeFromValues(call)) {
      return true;
    }
    if (call.receiver() == null || !call.receiver().traced()
        || !CONCRETIZING.contains(call.name())) {
      return false;
    }
    TypeRef type = call.receiverType();
    // Integer.intValue() on a boxed argument is plain Java; only arrays concretize.
    return type == null || type.is("dev.statelens.engine.Array")
        || !(type.qualifiedName() != null && type.qualifiedName().startsWith("java."));
  }

  /** {@code Nonzero.unique(x)} on a traced {@code x}: a size-from-values form. */
  private static boolean sizeFromValues(Effect.Call call) {
    if (call.receiver() != null || !call.callee().ownerIs("dev.statelens.engine.Nonzero")
        || call.args().isEmpty() || !call.args().get(0).traced()) {
      return false;
    }
    // uniqueAxis(x, axis): the two-argument form along an axis counts on the host too, and so does
    // uniqueAllAxis(x, axis, null, fill): its size is a boxed Integer where null means "count"
    return SIZE_FROM_VALUES.contains(call.name()) && call.args().size() == 1
        || call.name().equals("uniqueAxis") && call.args().size() == 2
        || call.name().equals("uniqueAllAxis") && call.args().size() == 4
            && call.argExpressions().get(2) instanceof NullLiteral;
  }

  /** The call with a size, as the user would write it: {@code Nonzero.unique(x, 10)}. */
  private static String sizedExample(Effect.Call call) {
    String argument = Snippets.code(call.argExpressions().get(0));
    String size = switch (call.name()) {
      case "uniqueAll" -> "10, null";
      case "uniqueAxis" -> Snippets.code(call.argExpressions().get(1)) + ", 10, null";
      case "uniqueAllAxis" -> Snippets.code(call.argExpressions().get(1)) + ", 10, null";
      default -> "10";
    };
    return "Nonzero." + call.name() + "(" + (argument.length() > 24 ? "x" : argument) + ", " + size
        + ")";
  }

  /** " in an if condition" when the node is part of a Java condition. */
  private static String conditionAround(ASTNode node) {
    for (ASTNode n = node; n != null && n.getParent() != null; n = n.getParent()) {
      var location = n.getLocationInParent();
      if (location == org.eclipse.jdt.core.dom.IfStatement.EXPRESSION_PROPERTY) {
        return " in an if condition";
      }
      if (location == org.eclipse.jdt.core.dom.WhileStatement.EXPRESSION_PROPERTY
          || location == org.eclipse.jdt.core.dom.DoStatement.EXPRESSION_PROPERTY
          || location == org.eclipse.jdt.core.dom.ForStatement.EXPRESSION_PROPERTY) {
        return " in a loop condition";
      }
      if (location == ConditionalExpression.EXPRESSION_PROPERTY) {
        return " in a ?: condition";
      }
      if (location == org.eclipse.jdt.core.dom.SwitchStatement.EXPRESSION_PROPERTY
          || location == org.eclipse.jdt.core.dom.SwitchExpression.EXPRESSION_PROPERTY) {
        return " in a switch selector";
      }
      if (n instanceof org.eclipse.jdt.core.dom.Statement) {
        return "";
      }
    }
    return "";
  }

  private static boolean containsAny(Expression condition, List<ASTNode> nodes) {
    int start = condition.getStartPosition();
    int end = start + condition.getLength();
    for (ASTNode n : nodes) {
      if (n.getRoot() == condition.getRoot() && n.getStartPosition() >= start
          && n.getStartPosition() < end) {
        return true;
      }
    }
    return false;
  }
}
