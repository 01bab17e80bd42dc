package dev.statelens.lint.incremental;

import org.eclipse.jdt.core.dom.AST;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodDeclaration;

/**
 * A file's skeleton: the file as JDT's DOM prints it with every method and constructor body of
 * {@link Members} emptied (comments, whitespace and positions dropped). Two versions with equal
 * skeletons declare the same things (imports, types, fields and their initializers, signatures);
 * only bodies differ, in any number. JDT resolves a body from declarations alone, so other
 * files' code resolves as before.
 *
 * <p>Printed from the DOM rather than scanned into tokens: inside Eclipse the package
 * {@code org.eclipse.jdt.core.compiler} is split between JDT core and its batch compiler, and
 * the scanner interface ({@code IScanner}) is not visible through the lint bundle's import.
 */
public final class Skeleton {

  private Skeleton() {}

  /** The skeleton of a syntax-only AST (not modified: a copy is emptied). */
  public static String of(CompilationUnit cu) {
    AST ast = AST.newAST(cu.getAST().apiLevel(), true);
    CompilationUnit copy = (CompilationUnit) ASTNode.copySubtree(ast, cu);
    for (MethodDeclaration method : Members.declarations(copy)) {
      method.setBody(ast.newBlock());
    }
    return copy.toString();
  }
}
