package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.Effect;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;

/** Short source snippets for messages. */
public final class Snippets {

  private static final int MAX = 48;
  /** Receivers up to this long are printed with their arguments. */
  private static final int SHORT_RECEIVER = 24;

  private Snippets() {}

  /** {@code System.out.println(...)}: the receiver and name, arguments elided. */
  static String call(Effect.Call call) {
    String text = call(call.node());
    return text != null ? text : call.name() + "(...)";
  }

  /**
   * A call as messages print it: {@code Random.normal(...)}, {@code new Layer(...)},
   * {@code this(...)}, {@code super.f(...)}; the receiver shortened, arguments elided ({@code ()}
   * when there are none). Null for a node that is not a call.
   */
  public static String call(ASTNode node) {
    return switch (node) {
      case MethodInvocation mi -> (mi.getExpression() == null ? ""
          : shorten(receiver(mi.getExpression())) + ".") + mi.getName().getIdentifier()
          + arguments(mi.arguments().isEmpty());
      case SuperMethodInvocation smi -> "super." + smi.getName().getIdentifier()
          + arguments(smi.arguments().isEmpty());
      case ClassInstanceCreation c -> "new " + shorten(c.getType().toString())
          + arguments(c.arguments().isEmpty());
      case ConstructorInvocation c -> "this" + arguments(c.arguments().isEmpty());
      case SuperConstructorInvocation c -> "super" + arguments(c.arguments().isEmpty());
      case null, default -> null;
    };
  }

  /**
   * A receiver as written when short ({@code state.at(0)}); a longer one with the arguments of
   * its calls elided ({@code Init.varianceScaling(...)}), so it keeps its names instead of being
   * cut mid-way.
   */
  private static String receiver(ASTNode node) {
    String text = node.toString();
    if (text.length() <= SHORT_RECEIVER) {
      return text;
    }
    return elided(node);
  }

  private static String elided(ASTNode node) {
    if (node instanceof MethodInvocation mi) {
      return (mi.getExpression() == null ? "" : elided(mi.getExpression()) + ".")
          + mi.getName().getIdentifier() + arguments(mi.arguments().isEmpty());
    }
    return node.toString();
  }

  private static String arguments(boolean none) {
    return none ? "()" : "(...)";
  }

  public static String code(ASTNode node) {
    return shorten(node.toString());
  }

  private static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX ? flat : flat.substring(0, MAX - 3) + "...";
  }
}
