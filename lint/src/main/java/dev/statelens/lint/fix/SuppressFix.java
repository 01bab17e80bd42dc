package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.Annotation;
import org.eclipse.jdt.core.dom.ArrayInitializer;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MemberValuePair;
import org.eclipse.jdt.core.dom.NormalAnnotation;
import org.eclipse.jdt.core.dom.SingleMemberAnnotation;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Adds {@code "statelens:SLxxx"} to the {@code @SuppressWarnings} of the declaration around the
 * finding: the local variable, method, field or class it is in (merged into an existing
 * annotation).
 */
final class SuppressFix {

  private SuppressFix() {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    ASTNode node = QuickFixes.nodeAt(edits.cu, finding);
    ASTNode target = null;
    for (ASTNode n = node; n != null; n = n.getParent()) {
      if (n instanceof VariableDeclarationStatement || n instanceof BodyDeclaration) {
        target = n;
        break;
      }
    }
    if (target == null) {
      return new FixOutcome.NotApplicable(FixId.SUPPRESS,
          "no declaration around the finding to annotate");
    }
    String token = "statelens:" + finding.rule().id();
    String quoted = "\"" + token + "\"";
    java.util.List<?> modifiers = target instanceof BodyDeclaration body
        ? body.modifiers()
        : ((VariableDeclarationStatement) target).modifiers();
    for (Object m : modifiers) {
      if (m instanceof Annotation a && isSuppressWarnings(a)) {
        Expression value = valueOf(a);
        if (value == null) {
          continue;
        }
        if (value.toString().contains(quoted)) {
          return new FixOutcome.NotApplicable(FixId.SUPPRESS, "already suppressed with " + quoted);
        }
        if (value instanceof ArrayInitializer array) {
          int end = array.getStartPosition() + array.getLength() - 1; // the closing brace
          edits.insert(end, array.expressions().isEmpty() ? quoted : ", " + quoted);
        } else {
          edits.replace(value, "{" + edits.text(value) + ", " + quoted + "}");
        }
        return files.applied(FixId.SUPPRESS, "Suppress " + finding.rule().id() + " here");
      }
    }
    int at = firstModifierOrStart(target, edits.source);
    edits.insert(at, "@SuppressWarnings(" + quoted + ")\n" + edits.indentAt(at));
    return files.applied(FixId.SUPPRESS, "Suppress " + finding.rule().id() + " with @SuppressWarnings");
  }

  /** Where an annotation goes: after the Javadoc, before the first modifier or the type. */
  private static int firstModifierOrStart(ASTNode target, String source) {
    if (target instanceof BodyDeclaration body) {
      if (!body.modifiers().isEmpty()) {
        return ((ASTNode) body.modifiers().get(0)).getStartPosition();
      }
      if (body.getJavadoc() != null) {
        int at = body.getJavadoc().getStartPosition() + body.getJavadoc().getLength();
        while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
          at++;
        }
        return at;
      }
    }
    return target.getStartPosition();
  }

  private static boolean isSuppressWarnings(Annotation a) {
    String name = a.getTypeName().getFullyQualifiedName();
    return name.equals("SuppressWarnings") || name.equals("java.lang.SuppressWarnings");
  }

  private static Expression valueOf(Annotation a) {
    if (a instanceof SingleMemberAnnotation s) {
      return s.getValue();
    }
    if (a instanceof NormalAnnotation n) {
      for (Object v : n.values()) {
        MemberValuePair pair = (MemberValuePair) v;
        if (pair.getName().getIdentifier().equals("value")) {
          return pair.getValue();
        }
      }
    }
    return null;
  }

}
