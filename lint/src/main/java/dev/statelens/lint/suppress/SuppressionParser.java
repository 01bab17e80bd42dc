package dev.statelens.lint.suppress;

import dev.statelens.lint.Rule;
import dev.statelens.lint.source.Ranges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.Annotation;
import org.eclipse.jdt.core.dom.ArrayInitializer;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MemberValuePair;
import org.eclipse.jdt.core.dom.NormalAnnotation;
import org.eclipse.jdt.core.dom.SingleMemberAnnotation;
import org.eclipse.jdt.core.dom.StringLiteral;

/**
 * Reads {@code @SuppressWarnings("statelens")} and {@code @SuppressWarnings("statelens:SL001")}
 * (also several ids: {@code "statelens:SL001,SL006"}) on classes, methods, fields, locals and
 * parameters.
 */
public final class SuppressionParser {

  /** The prefix of every StateLens suppression token. */
  public static final String PREFIX = "statelens";

  private SuppressionParser() {}

  public static List<SuppressionToken> tokens(Path file, CompilationUnit cu) {
    List<SuppressionToken> tokens = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(SingleMemberAnnotation node) {
        if (isSuppressWarnings(node)) {
          collect(node, node.getValue());
        }
        return false;
      }

      @Override
      public boolean visit(NormalAnnotation node) {
        if (isSuppressWarnings(node)) {
          for (Object v : node.values()) {
            MemberValuePair pair = (MemberValuePair) v;
            if (pair.getName().getIdentifier().equals("value")) {
              collect(node, pair.getValue());
            }
          }
        }
        return false;
      }

      private void collect(Annotation annotation, Expression value) {
        ASTNode scope = annotation.getParent();
        List<Expression> literals = new ArrayList<>();
        if (value instanceof ArrayInitializer array) {
          for (Object e : array.expressions()) {
            literals.add((Expression) e);
          }
        } else {
          literals.add(value);
        }
        for (Expression e : literals) {
          if (e instanceof StringLiteral literal) {
            parse(literal.getLiteralValue()).ifPresent(parsed -> tokens.add(new SuppressionToken(
                file, Ranges.of(literal), scope.getStartPosition(),
                scope.getStartPosition() + scope.getLength(), literal.getLiteralValue(),
                parsed.rules(), parsed.unknownId())));
          }
        }
      }
    });
    return tokens;
  }

  private static boolean isSuppressWarnings(Annotation annotation) {
    String name = annotation.getTypeName().getFullyQualifiedName();
    return name.equals("SuppressWarnings") || name.equals("java.lang.SuppressWarnings");
  }

  /** The rules a token suppresses; empty when the token is not a StateLens token. */
  static java.util.Optional<Parsed> parse(String token) {
    String t = token.trim();
    if (t.equalsIgnoreCase(PREFIX)) {
      return java.util.Optional.of(new Parsed(EnumSet.allOf(Rule.class), null));
    }
    if (!t.toLowerCase(Locale.ROOT).startsWith(PREFIX + ":")) {
      return java.util.Optional.empty();
    }
    Set<Rule> rules = EnumSet.noneOf(Rule.class);
    String unknown = null;
    for (String id : t.substring(PREFIX.length() + 1).split(",")) {
      try {
        rules.add(Rule.parse(id));
      } catch (IllegalArgumentException e) {
        unknown = id.trim();
      }
    }
    return java.util.Optional.of(new Parsed(rules, unknown));
  }

  record Parsed(Set<Rule> rules, String unknownId) {}
}
