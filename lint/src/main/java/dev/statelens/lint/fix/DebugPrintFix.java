package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
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
 * Debug.print takes arrays: operands of a concatenation known not to be arrays (a String, a
 * number: {@link NonArrays}) stay concatenated into the format, and a printf with such an argument
 * is not rewritten (the rule does not offer the fix then).
 */
public final class DebugPrintFix {

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
    Object plan = plan(call, edits::text);
    if (!(plan instanceof PrintArguments arguments)) {
      return new FixOutcome.NotApplicable(FixId.DEBUG_PRINT, (String) plan);
    }
    String debug = edits.type(DEBUG);
    edits.replace(call, debug + ".print(" + arguments.text() + ")");
    return files.applied(FixId.DEBUG_PRINT,
        "Replace with Debug.print (prints run-time values; arguments must be arrays)");
  }

  /**
   * Null when {@link #apply} can rewrite this console print into code that compiles, else why
   * not (the rule offers the fix only then).
   */
  public static String whyNotApplicable(MethodInvocation call) {
    return plan(call, ASTNode::toString) instanceof String reason ? reason : null;
  }

  /** Debug.print's argument list as source text: {@code "loss {}", loss}. */
  private record PrintArguments(String text) {}

  /**
   * Debug.print's arguments ({@code "loss {}", loss}), or a String saying why there are none. In a concatenation, operands that are not arrays (an int step, a String name) stay
   * concatenated into the format: their trace-time value is the value (Java values are static
   * under jit); printf arguments cannot, so a known non-array one rules the fix out.
   */
  private static Object plan(MethodInvocation call, Function<ASTNode, String> text) {
    StringBuilder format = new StringBuilder();
    List<String> args = new ArrayList<>();
    List<?> arguments = call.arguments();
    String name = call.getName().getIdentifier();
    if (name.equals("printf") || name.equals("format")) {
      int fmtIndex = !arguments.isEmpty() && !(arguments.get(0) instanceof StringLiteral) ? 1 : 0;
      if (arguments.size() <= fmtIndex || !(arguments.get(fmtIndex) instanceof StringLiteral fmt)) {
        return "the printf format is not a string literal";
      }
      for (int i = fmtIndex + 1; i < arguments.size(); i++) {
        Expression arg = (Expression) arguments.get(i);
        if (NonArrays.known(arg)) {
          return "printf argument '" + arg + "' is not an array, and Debug.print prints arrays only: "
              + "print it outside the transformed function, or pass it in as an array";
        }
        args.add(text.apply(arg));
      }
      format.append('"').append(escapedBody(fmt).replace("%n", "").replaceAll(
          "%(?!%)[-#+ 0,(<]*\\d*(\\.\\d+)?[a-zA-Z]", "{}").replace("%%", "%")).append('"');
    } else {
      // segments of the new format: literal text (merged into one quoted string) or Java operands
      List<String> segments = new ArrayList<>();
      StringBuilder literalText = new StringBuilder();
      if (!arguments.isEmpty()) {
        for (Expression part : concatParts((Expression) arguments.get(0))) {
          String literal = switch (part) {
            case StringLiteral s -> escapedBody(s).replace("{}", "{ }");
            case NumberLiteral n -> n.getToken();
            case BooleanLiteral b -> String.valueOf(b.booleanValue());
            case CharacterLiteral c -> String.valueOf(c.charValue());
            default -> null;
          };
          if (literal == null && NonArrays.known(part)) {
            segments.add('"' + literalText.toString() + '"');
            literalText.setLength(0);
            segments.add(part instanceof InfixExpression ? "(" + text.apply(part) + ")" : text.apply(part));
          } else if (literal == null) {
            literalText.append("{}");
            args.add(text.apply(part));
          } else {
            literalText.append(literal);
          }
        }
      }
      if (literalText.length() > 0 || segments.isEmpty()) {
        segments.add('"' + literalText.toString() + '"');
      }
      if (segments.size() > 2 && segments.get(0).equals("\"\"") && segments.get(2).startsWith("\"")) {
        segments.remove(0); // "" + name + "..." -> name + "...": a string follows, so it concatenates
      }
      format.append(String.join(" + ", segments));
    }
    StringBuilder out = new StringBuilder(format);
    for (String arg : args) {
      out.append(", ").append(arg);
    }
    return new PrintArguments(out.toString());
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
