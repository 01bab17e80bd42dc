package dev.statelens.lint.analysis;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;

/**
 * Code the analysis walks as one function: a lambda or a method with a body.
 *
 * @param owner the {@code LambdaExpression} or {@code MethodDeclaration}
 * @param code the lambda's body (block or expression) or the method's block
 * @param params its parameters
 * @param description how messages name it ({@code Counter.count}, {@code the lambda at Main.java:12})
 * @param typeNode the class body it belongs to (what {@code this} means inside)
 */
public record Body(
    ASTNode owner, ASTNode code, List<VariableDeclaration> params, String description, ASTNode typeNode) {

  public static Body of(LambdaExpression lambda) {
    List<VariableDeclaration> params = new ArrayList<>();
    for (Object p : lambda.parameters()) {
      params.add((VariableDeclaration) p);
    }
    CompilationUnit cu = (CompilationUnit) lambda.getRoot();
    String where = Units.fileOf(lambda).getFileName() + ":" + cu.getLineNumber(lambda.getStartPosition());
    return new Body(lambda, lambda.getBody(), params, "the lambda at " + where,
        NameResolver.enclosingTypeNode(lambda));
  }

  /** A method with a body; null when it has none (abstract, interface, native). */
  public static Body of(MethodDeclaration method) {
    if (method.getBody() == null) {
      return null;
    }
    List<VariableDeclaration> params = new ArrayList<>();
    for (Object p : method.parameters()) {
      params.add((VariableDeclaration) p);
    }
    return new Body(method, method.getBody(), params, describe(method), method.getParent());
  }

  /** {@code Counter.count}, {@code Outer.Inner.step}, {@code Counter.<init>} → {@code new Counter}. */
  public static String describe(MethodDeclaration method) {
    ASTNode parent = method.getParent();
    String owner;
    if (parent instanceof AbstractTypeDeclaration type) {
      String qualified = NameResolver.qualifiedName(type);
      CompilationUnit cu = (CompilationUnit) method.getRoot();
      String pkg = cu.getPackage() == null ? "" : cu.getPackage().getName().getFullyQualifiedName() + ".";
      owner = qualified.startsWith(pkg) ? qualified.substring(pkg.length()) : qualified;
    } else if (parent instanceof AnonymousClassDeclaration anon
        && anon.getParent() instanceof ClassInstanceCreation creation) {
      CompilationUnit cu = (CompilationUnit) method.getRoot();
      owner = "anonymous " + creation.getType() + " at " + Units.fileOf(method).getFileName() + ":"
          + cu.getLineNumber(creation.getStartPosition()) + ",";
      return owner + " method " + method.getName().getIdentifier();
    } else {
      owner = "?";
    }
    return method.isConstructor() ? "new " + owner : owner + "." + method.getName().getIdentifier();
  }
}
