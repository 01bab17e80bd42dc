package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.Effect;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;

/** Short source snippets for messages. */
final class Snippets {

  private static final int MAX = 48;

  private Snippets() {}

  /** {@code System.out.println(...)}: the receiver and name, arguments elided. */
  static String call(Effect.Call call) {
    if (call.node() instanceof MethodInvocation mi) {
      String receiver = mi.getExpression() == null ? "" : shorten(mi.getExpression().toString()) + ".";
      return receiver + mi.getName().getIdentifier() + "(" + (mi.arguments().isEmpty() ? "" : "...") + ")";
    }
    if (call.node() instanceof SuperMethodInvocation smi) {
      return "super." + smi.getName().getIdentifier() + "(...)";
    }
    return call.name() + "(...)";
  }

  static String code(ASTNode node) {
    return shorten(node.toString());
  }

  private static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() <= MAX ? flat : flat.substring(0, MAX - 3) + "...";
  }
}
