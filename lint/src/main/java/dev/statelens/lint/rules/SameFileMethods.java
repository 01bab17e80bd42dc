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
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.ParameterizedType;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SimpleType;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclaration;

/**
 * The methods and constructors one file declares, and which of them a call names — by the call's
 * receiver (none, {@code this}, {@code Outer.this}, or a type declared in this file), its name and
 * its argument count; {@code new T(...)}, {@code this(...)} and {@code super(...)} by the type (one
 * declared in this file) and the argument count. Syntactic and confined to the file (no bindings, no supertypes), so a result depends on
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
  /** Type declaration -> its declared constructors (none listed: only the implicit one). */
  private final Map<ASTNode, List<MethodDeclaration>> constructors = new IdentityHashMap<>();
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
        if (m.isConstructor()) {
          methods.constructors.computeIfAbsent(m.getParent(), k -> new ArrayList<>()).add(m);
        } else {
          methods.byType.computeIfAbsent(m.getParent(), k -> new HashMap<>())
              .computeIfAbsent(m.getName().getIdentifier(), k -> new ArrayList<>()).add(m);
        }
        methods.all.add(m);
        return true;
      }
    });
    return methods;
  }

  /** Every method and constructor of the file, in source order. */
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

  /**
   * The constructor {@code new T(...)}, {@code this(...)} or {@code super(...)} runs, when its
   * class is declared in this file (for {@code super}, the enclosing class's superclass); other
   * calls and classes: {@link Lookup#ELSEWHERE}.
   */
  Lookup constructor(ASTNode call) {
    return switch (call) {
      case ClassInstanceCreation c -> {
        String simple = simpleName(c.getType());
        List<ASTNode> types = simple == null ? null : namedTypes.get(simple);
        if (types == null) {
          yield Lookup.ELSEWHERE;
        }
        yield types.size() == 1 ? fitting(constructors.getOrDefault(types.get(0), List.of()),
            c.arguments().size()) : Lookup.AMBIGUOUS;
      }
      case ConstructorInvocation c -> {
        ASTNode type = NameResolver.enclosingTypeNode(c);
        yield type == null ? Lookup.ELSEWHERE
            : fitting(constructors.getOrDefault(type, List.of()), c.arguments().size());
      }
      case SuperConstructorInvocation c -> {
        String simple = NameResolver.enclosingTypeNode(c) instanceof TypeDeclaration t
            && t.getSuperclassType() != null ? simpleName(t.getSuperclassType()) : null;
        List<ASTNode> types = simple == null ? null : namedTypes.get(simple);
        if (types == null) {
          yield Lookup.ELSEWHERE;
        }
        yield types.size() == 1 ? fitting(constructors.getOrDefault(types.get(0), List.of()),
            c.arguments().size()) : Lookup.AMBIGUOUS;
      }
      default -> Lookup.ELSEWHERE;
    };
  }

  private static String simpleName(Type type) {
    if (type instanceof ParameterizedType p) {
      type = p.getType();
    }
    if (type instanceof SimpleType s) {
      return s.getName() instanceof QualifiedName q ? q.getName().getIdentifier()
          : ((SimpleName) s.getName()).getIdentifier();
    }
    return null;
  }

  private Lookup in(ASTNode type, String name, int arity) {
    List<MethodDeclaration> named = byType.getOrDefault(type, Map.of()).getOrDefault(name, List.of());
    if (named.isEmpty()) {
      return Lookup.ELSEWHERE;
    }
    return fitting(named, arity);
  }

  /** The one of {@code named} that {@code arity} arguments fit (none declared: ELSEWHERE). */
  private static Lookup fitting(List<MethodDeclaration> named, int arity) {
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
