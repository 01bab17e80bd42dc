package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.BooleanLiteral;
import org.eclipse.jdt.core.dom.CharacterLiteral;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.StringLiteral;

/**
 * Turns {@code System.out.println("loss " + loss)} into {@code Debug.print("loss {}", loss)}:
 * string literals become the format, other operands become {@code {}} placeholders and
 * arguments; {@code printf} formats have their {@code %...} conversions replaced by {@code {}}.
 * Debug.print takes arrays, so non-array operands must be arrays (or constants) for the result to
 * compile; the label says so.
 */
final class DebugPrintFix {

  private static final Set<String> PRINTS = Set.of("println", "print", "printf", "format");
  static final String DEBUG = "dev.statelens.engine.Debug";

  private DebugPrintFix() {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    MethodInvocation call = QuickFixes.ancestor(QuickFixes.nodeAt(edits.cu, finding),
        MethodInvocation.class);
    if (call == null || !PRINTS.contains(call.getName().getIdentifier())
        || call.getExpression() == null
        || !call.getExpression().toString().matches("(java\\.lang\\.)?System\\.(out|err)")) {
      return new FixOutcome.NotApplicable(FixId.DEBUG_PRINT,
          "only System.out/System.err print calls can become Debug.print");
    }
    StringBuilder format = new StringBuilder();
    List<String> args = new ArrayList<>();
    List<?> arguments = call.arguments();
    String name = call.getName().getIdentifier();
    if (name.equals("printf") || name.equals("format")) {
      int fmtIndex = !arguments.isEmpty() && !(arguments.get(0) instanceof StringLiteral) ? 1 : 0;
      if (arguments.size() <= fmtIndex || !(arguments.get(fmtIndex) instanceof StringLiteral fmt)) {
        return new FixOutcome.NotApplicable(FixId.DEBUG_PRINT,
            "the printf format is not a string literal");
      }
      format.append(escapedBody(fmt).replace("%n", "").replaceAll(
          "%(?!%)[-#+ 0,(<]*\\d*(\\.\\d+)?[a-zA-Z]", "{}").replace("%%", "%"));
      for (int i = fmtIndex + 1; i < arguments.size(); i++) {
        args.add(edits.text((ASTNode) arguments.get(i)));
      }
    } else if (!arguments.isEmpty()) {
      for (Expression part : concatParts((Expression) arguments.get(0))) {
        switch (part) {
          case StringLiteral s -> format.append(escapedBody(s).replace("{}", "{ }"));
          case NumberLiteral n -> format.append(n.getToken());
          case BooleanLiteral b -> format.append(b.booleanValue());
          case CharacterLiteral c -> format.append(c.charValue());
          default -> {
            format.append("{}");
            args.add(edits.text(part));
          }
        }
      }
    }
    String debug = edits.type(DEBUG);
    StringBuilder replacement = new StringBuilder(debug).append(".print(\"").append(format).append('"');
    for (String arg : args) {
      replacement.append(", ").append(arg);
    }
    replacement.append(')');
    edits.replace(call, replacement.toString());
    return files.applied(FixId.DEBUG_PRINT,
        "Replace with Debug.print (prints run-time values; arguments must be arrays)");
  }

  /** {@code "a" + x + "b"} as its operands; anything else as itself. */
  private static List<Expression> concatParts(Expression e) {
    List<Expression> parts = new ArrayList<>();
    if (e instanceof InfixExpression infix && infix.getOperator() == InfixExpression.Operator.PLUS
        && isStringConcat(infix)) {
      parts.addAll(concatParts(infix.getLeftOperand()));
      parts.add(infix.getRightOperand());
      for (Object extra : infix.extendedOperands()) {
        parts.add((Expression) extra);
      }
      return parts;
    }
    parts.add(e);
    return parts;
  }

  /** A {@code +} chain is a string concatenation when a string literal is among its first two operands. */
  private static boolean isStringConcat(InfixExpression infix) {
    Expression left = infix.getLeftOperand();
    while (left instanceof InfixExpression inner && inner.getOperator() == InfixExpression.Operator.PLUS) {
      if (inner.getRightOperand() instanceof StringLiteral) {
        return true;
      }
      left = inner.getLeftOperand();
    }
    return left instanceof StringLiteral || infix.getRightOperand() instanceof StringLiteral;
  }

  private static String escapedBody(StringLiteral literal) {
    String escaped = literal.getEscapedValue();
    return escaped.substring(1, escaped.length() - 1);
  }
}
