package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.NameResolver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * The class a call's receiver is, as one body's text says it ({@code Model model},
 * {@code this.model}, {@code new Model(...)}, {@code Model.noise}): which file's methods a call
 * such as {@code model.forward(key)} runs.
 */
final class Receivers {
  private final FileScope file;
  /** The body being followed (its parent declares the parameters). */
  private final ASTNode body;
  private Map<String, String> localTypes;

  Receivers(FileScope file, ASTNode body) {
    this.file = file;
    this.body = body;
  }

  /**
   * The simple name of the type a call's receiver is, when the text says it: a type name
   * ({@code Model.noise}), a local, parameter or field declared with a type
   * ({@code Model model}), {@code new Model(...)}, {@code this.model}; else null.
   */
  String typeOf(Expression receiver) {
    return switch (receiver) {
      case SimpleName n -> {
        String id = n.getIdentifier();
        String declared = localTypes().get(id);
        if (declared == null) {
          declared = fieldType(n, id);
        }
        if (declared == null && Character.isUpperCase(id.charAt(0))) {
          declared = id; // a type's static method
        }
        yield declared;
      }
      case QualifiedName q when Character.isUpperCase(q.getName().getIdentifier().charAt(0))
          && Character.isLowerCase(q.getQualifier().getFullyQualifiedName().charAt(0)) ->
        q.getName().getIdentifier(); // dev.demo.Model.noise(...)
      case FieldAccess f when f.getExpression() instanceof ThisExpression ->
        fieldType(f, f.getName().getIdentifier());
      case ClassInstanceCreation c when c.getAnonymousClassDeclaration() == null ->
        Syntax.simpleTypeName(c.getType());
      case ParenthesizedExpression p -> typeOf(p.getExpression());
      case MethodInvocation mi when mi.arguments().isEmpty() && mi.getExpression() != null
          && typeOf(mi.getExpression()) instanceof String owner
          && file.methods.recordComponentType(owner, mi.getName().getIdentifier()) instanceof Type t
          && file.methods.plainRecord(owner) instanceof List<String> plain
          && plain.contains(mi.getName().getIdentifier()) ->
        Syntax.simpleTypeName(t); // state.params(): a record component's declared type
      case null, default -> null;
    };
  }

  /** The body's locals and parameters with a declared class type (or {@code var x = new T()}). */
  private Map<String, String> localTypes() {
    if (localTypes == null) {
      localTypes = new HashMap<>();
      ASTNode scope = body.getParent();
      scope.accept(new Walk(Nested.ALL) {
        @Override
        public boolean visit(SingleVariableDeclaration node) {
          put(node.getName().getIdentifier(), node.getType(), null);
          return true;
        }

        @Override
        public boolean visit(VariableDeclarationStatement node) {
          node.fragments().forEach(o -> put(((VariableDeclarationFragment) o).getName()
              .getIdentifier(), node.getType(), ((VariableDeclarationFragment) o).getInitializer()));
          return true;
        }

        @Override
        public boolean visit(VariableDeclarationExpression node) {
          node.fragments().forEach(o -> put(((VariableDeclarationFragment) o).getName()
              .getIdentifier(), node.getType(), ((VariableDeclarationFragment) o).getInitializer()));
          return true;
        }

        private void put(String name, Type type, Expression init) {
          String simple = type.isVar() && init instanceof ClassInstanceCreation c
              ? Syntax.simpleTypeName(c.getType()) : type.isVar() ? null
              : Syntax.simpleTypeName(type);
          if (localTypes.containsKey(name) && !Objects.equals(localTypes.get(name), simple)) {
            simple = null; // two locals of one name in different scopes: not told apart
          }
          localTypes.put(name, simple);
        }
      });
    }
    return localTypes;
  }

  /** The declared type of field {@code name} of the class around {@code node} (or an outer one). */
  private String fieldType(ASTNode node, String name) {
    for (ASTNode t = NameResolver.enclosingTypeNode(node); t != null;
        t = NameResolver.enclosingTypeNode(t)) {
      ASTNode type = t;
      Map<String, String> fields = file.fieldTypes.computeIfAbsent(type, k -> {
        Map<String, String> declared = new HashMap<>();
        List<?> members = type instanceof AbstractTypeDeclaration d
            ? d.bodyDeclarations() : type instanceof AnonymousClassDeclaration a
                ? a.bodyDeclarations() : List.of();
        for (Object o : members) {
          if (o instanceof FieldDeclaration f) {
            for (Object v : f.fragments()) {
              declared.put(((VariableDeclarationFragment) v).getName().getIdentifier(),
                  Syntax.simpleTypeName(f.getType()));
            }
          }
        }
        return declared;
      });
      if (fields.containsKey(name)) {
        return fields.get(name);
      }
    }
    return null;
  }
}
