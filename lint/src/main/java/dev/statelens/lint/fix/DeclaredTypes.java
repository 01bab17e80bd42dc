package dev.statelens.lint.fix;

import dev.statelens.lint.analysis.NameResolver;
import java.util.List;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * The declared type of the variable a name reads, by syntax: the declaration in scope at the use
 * ({@link NameResolver#localByScope}: the innermost local, parameter, lambda parameter, for or
 * catch variable, else a field of an enclosing class), and its type as written with the extra
 * dimensions after the name ({@code int x[]} is {@code int[]}, {@code int[] x[]} is
 * {@code int[][]}). The fixes that need to know whether a name holds an engine array, a number or
 * a string ask here, so a name declared twice in different scopes is read where it is used.
 */
final class DeclaredTypes {

  /**
   * A variable's declaration and its type as written ({@code "var"} for {@code var}, {@code ""}
   * for an implicitly typed lambda parameter); {@code field} when it is a field, not a local.
   */
  record Declared(VariableDeclaration declaration, String type, boolean field) {
    boolean isArray() {
      return type.equals("Array") || type.equals("dev.statelens.engine.Array");
    }
  }

  private DeclaredTypes() {}

  /** The variable {@code use} reads, or null when it is none the file declares (or not a variable). */
  static Declared at(SimpleName use) {
    VariableDeclaration local = NameResolver.localByScope(use);
    if (local != null) {
      return new Declared(local, typeOf(local), false);
    }
    String id = use.getIdentifier();
    for (ASTNode p = use.getParent(); p != null; p = p.getParent()) {
      List<?> members = p instanceof AbstractTypeDeclaration type ? type.bodyDeclarations()
          : p instanceof AnonymousClassDeclaration anon ? anon.bodyDeclarations() : null;
      if (members != null && NameResolver.fieldNamed(members, id) instanceof VariableDeclaration field) {
        return new Declared(field, typeOf(field), true);
      }
    }
    return null;
  }

  /** The type written at {@code d}, with its extra dimensions; "" when none is written. */
  static String typeOf(VariableDeclaration d) {
    String base = switch (d) {
      case SingleVariableDeclaration s -> s.getType() + (s.isVarargs() ? "[]" : "");
      default -> switch (d.getParent()) {
        case VariableDeclarationStatement s -> s.getType().toString();
        case VariableDeclarationExpression e -> e.getType().toString();
        case FieldDeclaration f -> f.getType().toString();
        default -> ""; // an implicitly typed lambda parameter
      };
    };
    return base.isEmpty() ? base : base + "[]".repeat(d.getExtraDimensions());
  }

  /** Every local, parameter and lambda parameter name declared in a member (empty for null). */
  static Set<String> namesDeclaredIn(ASTNode member) {
    Set<String> names = new java.util.HashSet<>();
    if (member != null) {
      member.accept(new ASTVisitor() {
        @Override
        public boolean visit(VariableDeclarationFragment f) {
          names.add(f.getName().getIdentifier());
          return true;
        }

        @Override
        public boolean visit(SingleVariableDeclaration d) {
          names.add(d.getName().getIdentifier());
          return true;
        }
      });
    }
    return names;
  }

  /** {@code wanted}, or {@code wanted2}, {@code wanted3}... when taken; the name is then taken. */
  static String freshName(String wanted, Set<String> taken) {
    String name = wanted;
    for (int i = 2; taken.contains(name); i++) {
      name = wanted + i;
    }
    taken.add(name);
    return name;
  }
}
