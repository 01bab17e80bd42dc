package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.NameResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.ThisExpression;

/**
 * The methods one file declares, and which of them a call names — by the call's receiver (none,
 * {@code this}, {@code Outer.this}, or a type declared in this file), its name and its argument
 * count. Syntactic and confined to the file (no bindings, no supertypes), so a result depends on
 * the file's text alone: a method inherited from another file is not known, and overloads with
 * the same argument count are not told apart.
 */
final class SameFileMethods {

  /**
   * What a call names. {@code declared} false: not a method of this file. {@code declared} with
   * a null {@code method}: the file declares methods of that name there but no single one fits
   * (overloads with the same argument count), so nothing can be said.
   */
  record Lookup(boolean declared, MethodDeclaration method) {
    static final Lookup ELSEWHERE = new Lookup(false, null);
    static final Lookup AMBIGUOUS = new Lookup(true, null);
  }

  /** Type declaration (named, anonymous, local) -> name -> the methods declared directly in it. */
  private final Map<ASTNode, Map<String, List<MethodDeclaration>>> byType = new IdentityHashMap<>();
  private final Map<String, List<ASTNode>> namedTypes = new HashMap<>();
  private final List<MethodDeclaration> all = new ArrayList<>();

  private SameFileMethods() {}

  static SameFileMethods of(CompilationUnit cu) {
    SameFileMethods methods = new SameFileMethods();
    cu.accept(new ASTVisitor() {
      @Override
      public void preVisit(ASTNode node) {
        if (node instanceof AbstractTypeDeclaration type) {
          methods.namedTypes.computeIfAbsent(type.getName().getIdentifier(), k -> new ArrayList<>())
              .add(type);
        }
      }

      @Override
      public boolean visit(MethodDeclaration m) {
        if (!m.isConstructor()) {
          methods.byType.computeIfAbsent(m.getParent(), k -> new HashMap<>())
              .computeIfAbsent(m.getName().getIdentifier(), k -> new ArrayList<>()).add(m);
          methods.all.add(m);
        }
        return true;
      }
    });
    return methods;
  }

  /** Every method (not constructor) of the file, in source order. */
  List<MethodDeclaration> all() {
    return all;
  }

  Lookup lookup(MethodInvocation call) {
    String name = call.getName().getIdentifier();
    int arity = call.arguments().size();
    Expression receiver = call.getExpression();
    if (receiver == null) {
      // Java's rule: the innermost enclosing class with a method of that name
      for (ASTNode t = NameResolver.enclosingTypeNode(call); t != null;
          t = NameResolver.enclosingTypeNode(t)) {
        Lookup found = in(t, name, arity);
        if (found.declared()) {
          return found;
        }
      }
      return Lookup.ELSEWHERE;
    }
    if (receiver instanceof ThisExpression self) {
      ASTNode type = self.getQualifier() == null ? NameResolver.enclosingTypeNode(self)
          : NameResolver.outerTypeNamed(self, self.getQualifier().getFullyQualifiedName());
      return type == null ? Lookup.ELSEWHERE : in(type, name, arity);
    }
    if (receiver instanceof Name typeName) {
      String simple = typeName instanceof QualifiedName q ? q.getName().getIdentifier()
          : ((SimpleName) typeName).getIdentifier();
      List<ASTNode> types = namedTypes.get(simple);
      if (types == null) {
        return Lookup.ELSEWHERE;
      }
      return types.size() == 1 ? in(types.get(0), name, arity) : Lookup.AMBIGUOUS;
    }
    return Lookup.ELSEWHERE; // a call on some object: its class is not known without bindings
  }

  private Lookup in(ASTNode type, String name, int arity) {
    List<MethodDeclaration> named = byType.getOrDefault(type, Map.of()).getOrDefault(name, List.of());
    if (named.isEmpty()) {
      return Lookup.ELSEWHERE;
    }
    List<MethodDeclaration> fitting = named.stream()
        .filter(m -> m.parameters().size() == arity
            || (m.isVarargs() && arity >= m.parameters().size() - 1))
        .toList();
    return fitting.size() == 1 ? new Lookup(true, fitting.get(0)) : Lookup.AMBIGUOUS;
  }
}
