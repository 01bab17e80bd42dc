package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import java.util.List;
import org.eclipse.jdt.core.dom.AST;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTParser;
import org.eclipse.jdt.core.dom.Annotation;
import org.eclipse.jdt.core.dom.ArrayInitializer;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.IExtendedModifier;
import org.eclipse.jdt.core.dom.Javadoc;
import org.eclipse.jdt.core.dom.NodeFinder;
import org.eclipse.jdt.core.dom.SingleMemberAnnotation;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Adds {@code @SuppressWarnings("statelens:SLxxx")} to the declaration around a finding (local
 * variable, method, field or type), merging with an existing {@code @SuppressWarnings}. Written
 * as plain text edits so the user's indentation and brace style survive (an AST rewrite would
 * re-indent with the formatter's settings).
 */
final class SuppressRewrite {

  private SuppressRewrite() {}

  /** The new source, or null when no declaration encloses the offset. */
  static String apply(String source, int offset, int length, Rule rule) {
    ASTParser parser = ASTParser.newParser(AST.getJLSLatest());
    parser.setSource(source.toCharArray());
    parser.setKind(ASTParser.K_COMPILATION_UNIT);
    CompilationUnit unit = (CompilationUnit) parser.createAST(null);
    ASTNode node = NodeFinder.perform(unit, offset, Math.max(length, 0));
    while (node != null && !(node instanceof BodyDeclaration) && !(node instanceof VariableDeclarationStatement)) {
      node = node.getParent();
    }
    if (node == null) {
      return null;
    }
    String literal = "\"statelens:" + rule.id() + "\"";
    @SuppressWarnings("unchecked")
    List<IExtendedModifier> modifiers = node instanceof BodyDeclaration b
        ? b.modifiers() : ((VariableDeclarationStatement) node).modifiers();
    for (IExtendedModifier m : modifiers) {
      if (m instanceof Annotation a && isSuppressWarnings(a)) {
        if (a instanceof SingleMemberAnnotation single) {
          Expression value = single.getValue();
          if (value instanceof ArrayInitializer array) {
            int close = array.getStartPosition() + array.getLength() - 1; // the '}'
            String sep = array.expressions().isEmpty() ? "" : ", ";
            int at = array.expressions().isEmpty() ? close : end((ASTNode) array.expressions().getLast());
            return source.substring(0, at) + sep + literal + source.substring(at);
          }
          return source.substring(0, value.getStartPosition()) + "{"
              + source.substring(value.getStartPosition(), end(value)) + ", " + literal + "}"
              + source.substring(end(value));
        }
        // @SuppressWarnings(value = ...) is rare: add ours beside it in the same annotation's place
        return source.substring(0, a.getStartPosition()) + "@SuppressWarnings(" + literal + ") "
            + source.substring(a.getStartPosition());
      }
    }
    int at = declarationStart(node, source);
    String indent = indentOfLine(source, at);
    return source.substring(0, at) + "@SuppressWarnings(" + literal + ")\n" + indent + source.substring(at);
  }

  private static int end(ASTNode n) {
    return n.getStartPosition() + n.getLength();
  }

  /** Where the declaration's first modifier or keyword starts (after its Javadoc). */
  private static int declarationStart(ASTNode node, String source) {
    int at = node.getStartPosition();
    if (node instanceof BodyDeclaration b && b.getJavadoc() != null) {
      Javadoc doc = b.getJavadoc();
      at = end(doc);
      while (at < source.length() && Character.isWhitespace(source.charAt(at))) {
        at++;
      }
    }
    return at;
  }

  private static String indentOfLine(String source, int offset) {
    int lineStart = source.lastIndexOf('\n', offset - 1) + 1;
    int i = lineStart;
    while (i < offset && (source.charAt(i) == ' ' || source.charAt(i) == '\t')) {
      i++;
    }
    return source.substring(lineStart, i);
  }

  private static boolean isSuppressWarnings(Annotation a) {
    String name = a.getTypeName().getFullyQualifiedName();
    return name.equals("SuppressWarnings") || name.equals("java.lang.SuppressWarnings");
  }
}
