package dev.statelens.plugin.fix;

import dev.statelens.lint.Rule;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.core.dom.AST;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTParser;
import org.eclipse.jdt.core.dom.Annotation;
import org.eclipse.jdt.core.dom.ArrayInitializer;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.ChildListPropertyDescriptor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.IExtendedModifier;
import org.eclipse.jdt.core.dom.NodeFinder;
import org.eclipse.jdt.core.dom.SingleMemberAnnotation;
import org.eclipse.jdt.core.dom.StringLiteral;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.rewrite.ASTRewrite;
import org.eclipse.jdt.core.dom.rewrite.ListRewrite;
import org.eclipse.jface.text.BadLocationException;
import org.eclipse.jface.text.Document;
import org.eclipse.text.edits.MalformedTreeException;
import org.eclipse.text.edits.TextEdit;

/**
 * Adds {@code @SuppressWarnings("statelens:SLxxx")} to the declaration around a finding (local
 * variable, method, field or type), merging with an existing {@code @SuppressWarnings}.
 */
final class SuppressRewrite {

  private SuppressRewrite() {}

  /** The new source, or null when no declaration encloses the offset. */
  static String apply(String source, int offset, int length, Rule rule) {
    ASTParser parser = ASTParser.newParser(AST.getJLSLatest());
    Map<String, String> options = JavaCore.getOptions();
    JavaCore.setComplianceOptions(JavaCore.latestSupportedJavaVersion(), options);
    parser.setCompilerOptions(options);
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
    String token = "statelens:" + rule.id();
    AST ast = unit.getAST();
    ASTRewrite rewrite = ASTRewrite.create(ast);
    ChildListPropertyDescriptor modifiersProperty = node instanceof BodyDeclaration b
        ? b.getModifiersProperty() : VariableDeclarationStatement.MODIFIERS2_PROPERTY;
    @SuppressWarnings("unchecked")
    List<IExtendedModifier> modifiers = (List<IExtendedModifier>) node.getStructuralProperty(modifiersProperty);
    StringLiteral literal = ast.newStringLiteral();
    literal.setLiteralValue(token);
    for (IExtendedModifier m : modifiers) {
      if (m instanceof Annotation a && isSuppressWarnings(a)) {
        if (a instanceof SingleMemberAnnotation single) {
          Expression value = single.getValue();
          if (value instanceof ArrayInitializer array) {
            rewrite.getListRewrite(array, ArrayInitializer.EXPRESSIONS_PROPERTY).insertLast(literal, null);
          } else {
            ArrayInitializer array = ast.newArrayInitializer();
            @SuppressWarnings("unchecked")
            List<Expression> expressions = array.expressions();
            expressions.add((Expression) rewrite.createCopyTarget(value));
            expressions.add(literal);
            rewrite.replace(value, array, null);
          }
          return applyRewrite(source, rewrite);
        }
        // @SuppressWarnings(value = ...) is rare; a second annotation would not compile, so replace it.
        rewrite.replace(a, newAnnotation(ast, literal), null);
        return applyRewrite(source, rewrite);
      }
    }
    ListRewrite list = rewrite.getListRewrite(node, modifiersProperty);
    list.insertFirst(newAnnotation(ast, literal), null);
    return applyRewrite(source, rewrite);
  }

  private static boolean isSuppressWarnings(Annotation a) {
    String name = a.getTypeName().getFullyQualifiedName();
    return name.equals("SuppressWarnings") || name.equals("java.lang.SuppressWarnings");
  }

  private static SingleMemberAnnotation newAnnotation(AST ast, StringLiteral literal) {
    SingleMemberAnnotation annotation = ast.newSingleMemberAnnotation();
    annotation.setTypeName(ast.newSimpleName("SuppressWarnings"));
    annotation.setValue(literal);
    return annotation;
  }

  private static String applyRewrite(String source, ASTRewrite rewrite) {
    Document document = new Document(source);
    TextEdit edit = rewrite.rewriteAST(document, JavaCore.getOptions());
    try {
      edit.apply(document);
    } catch (MalformedTreeException | BadLocationException e) {
      throw new IllegalStateException("suppress rewrite produced overlapping edits: " + e.getMessage(), e);
    }
    return document.get();
  }
}
