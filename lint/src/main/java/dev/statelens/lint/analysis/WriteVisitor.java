package dev.statelens.lint.analysis;

import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.PostfixExpression;
import org.eclipse.jdt.core.dom.PrefixExpression;

/**
 * A visitor that hands each write in the code it walks to {@link #written}: the target of an
 * assignment ({@code x = ...}, {@code x += ...}) and the operand of {@code ++}/{@code --}, prefix or
 * postfix ({@code -x} and {@code !x} read, they do not write). It walks everything below; a
 * subclass skips a nested scope by overriding its visit.
 */
public abstract class WriteVisitor extends ASTVisitor {

  protected WriteVisitor() {}

  /** {@code visitDocTags}: as {@link ASTVisitor#ASTVisitor(boolean)}. */
  protected WriteVisitor(boolean visitDocTags) {
    super(visitDocTags);
  }

  /** {@code target} is written: a name, a field access, an array element... */
  protected abstract void written(Expression target);

  @Override
  public boolean visit(Assignment a) {
    written(a.getLeftHandSide());
    return true;
  }

  @Override
  public boolean visit(PrefixExpression p) {
    if (p.getOperator() == PrefixExpression.Operator.INCREMENT
        || p.getOperator() == PrefixExpression.Operator.DECREMENT) {
      written(p.getOperand());
    }
    return true;
  }

  @Override
  public boolean visit(PostfixExpression p) {
    written(p.getOperand());
    return true;
  }
}
