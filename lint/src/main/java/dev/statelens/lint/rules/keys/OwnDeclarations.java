package dev.statelens.lint.rules.keys;

import java.util.List;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Visits the local declarations a body makes itself ({@link Nested#OWN}: not in its lambdas,
 * anonymous or local classes, whose locals are theirs).
 */
abstract class OwnDeclarations extends Walk {
  OwnDeclarations() {
    super(Nested.OWN);
  }

  /** One {@code Type a = …, b = …;} statement or for-loop initializer. */
  abstract void locals(Type type, List<?> fragments);

  @Override
  public boolean visit(VariableDeclarationStatement node) {
    locals(node.getType(), node.fragments());
    return true;
  }

  @Override
  public boolean visit(VariableDeclarationExpression node) {
    locals(node.getType(), node.fragments());
    return true;
  }
}
