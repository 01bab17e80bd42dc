package dev.statelens.lint.rules.keys;

import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;

/**
 * A visitor that enters the nested scopes {@link Nested} names and no others, so each walk says
 * at its use which it skips ({@code new Walk(Nested.OWN) {...}}). A subclass that overrides one
 * of these visits decides for that node itself.
 */
abstract class Walk extends ASTVisitor {
  private final Nested nested;

  Walk(Nested nested) {
    this.nested = nested;
  }

  @Override
  public boolean visit(LambdaExpression node) {
    return nested.lambdas;
  }

  @Override
  public boolean visit(AnonymousClassDeclaration node) {
    return nested.anonymousClasses;
  }

  @Override
  public boolean visit(TypeDeclarationStatement node) {
    return nested.localClasses;
  }
}
