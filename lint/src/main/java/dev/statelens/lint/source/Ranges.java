package dev.statelens.lint.source;

import dev.statelens.lint.SourceRange;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;

/** Source ranges from JDT offsets (JDT columns are 0-based; ours are 1-based). */
public final class Ranges {

  private Ranges() {}

  public static SourceRange of(ASTNode node) {
    return of((CompilationUnit) node.getRoot(), node.getStartPosition(), node.getLength());
  }

  public static SourceRange of(CompilationUnit cu, int offset, int length) {
    int line = Math.max(1, cu.getLineNumber(offset));
    int column = Math.max(0, cu.getColumnNumber(offset)) + 1;
    if (length <= 0) {
      return new SourceRange(offset, 0, line, column, line, column);
    }
    int last = offset + length - 1;
    int endLine = cu.getLineNumber(last);
    int endColumn = cu.getColumnNumber(last);
    if (endLine < 1 || endColumn < 0) {
      return new SourceRange(offset, length, line, column, line, column + length);
    }
    return new SourceRange(offset, length, line, column, Math.max(line, endLine), endColumn + 2);
  }
}
