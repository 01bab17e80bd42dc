package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.NameResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclaration;

/**
 * The methods and constructors one file declares, and which of them a call names — by the call's
 * receiver (none, {@code this}, {@code Outer.this}, or a type declared in this file), its name and
 * its argument count; {@code new T(...)}, {@code this(...)} and {@code super(...)} by the type (one
 * declared in this file) and the argument count. Syntactic and confined to the file (no bindings, no supertypes), so a result depends on
 * the file's text alone: a method inherited from another file is not known. Overloads with the
 * same argument count are told apart only by arguments whose type is plain from the text (a
 * {@code Key} variable, a literal: {@link ArgumentTypes}) and a parameter type that cannot take
 * it ({@code int} for a {@code Key}, {@code Key} for {@code 3}); when that leaves more than one,
 * nothing is said.
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

  /**
   * The type of a call's argument when it is plain from the text: {@code "Key"} for a key
   * variable, {@code "int"}, {@code "long"}, {@code "float"}, {@code "double"}, {@code "boolean"},
   * {@code "char"}, {@code "String"} for literals; null when not known (then any parameter fits).
   */
  @FunctionalInterface
  interface ArgumentTypes {
    String of(Expression argument);

    ArgumentTypes UNKNOWN = a -> null;
  }

  private static final Set<String> PRIMITIVES = Set.of("byte", "short", "char", "int", "long",
      "float", "double", "boolean");
  /** What each primitive widens to in a method call (no narrowing there, not even for literals). */
  private static final Map<String, Set<String>> WIDENS_TO = Map.of(
      "int", Set.of("int", "long", "float", "double", "Integer"),
      "long", Set.of("long", "float", "double", "Long"),
      "float", Set.of("float", "double", "Float"),
      "double", Set.of("double", "Double"),
      "char", Set.of("char", "int", "long", "float", "double", "Character"),
      "boolean", Set.of("boolean", "Boolean"));
  /** Reference types that hold none of the argument types above except their own. */
  private static final Set<String> CLOSED = Set.of("String", "Key", "Array", "Integer", "Long",
      "Float", "Double", "Character", "Boolean", "Short", "Byte");

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

  /**
   * The components of the record {@code simple} declared (once) in this file, in order, when
   * {@code new R(a, b)} stores {@code a} and {@code b} as they are: no canonical or compact
   * constructor is declared (one could replace the key). A component whose accessor is declared
   * (and may return something else) is null. Null when there is no such record.
   */
  List<String> plainRecord(String simple) {
    List<ASTNode> types = namedTypes.get(simple);
    if (types == null || types.size() != 1
        || !(types.get(0) instanceof org.eclipse.jdt.core.dom.RecordDeclaration record)) {
      return null;
    }
    List<?> components = record.recordComponents();
    for (MethodDeclaration c : constructors.getOrDefault(record, List.of())) {
      if (c.isCompactConstructor() || c.parameters().size() == components.size()) {
        return null;
      }
    }
    Map<String, List<MethodDeclaration>> declared = byType.getOrDefault(record, Map.of());
    List<String> names = new ArrayList<>();
    for (Object o : components) {
      String name = ((SingleVariableDeclaration) o).getName().getIdentifier();
      boolean accessor = declared.getOrDefault(name, List.of()).stream()
          .anyMatch(m -> m.parameters().isEmpty());
      names.add(accessor ? null : name);
    }
    return names;
  }

  /** The declared type of component {@code component} of the record {@code simple}, or null. */
  Type recordComponentType(String simple, String component) {
    List<ASTNode> types = namedTypes.get(simple);
    if (types == null || types.size() != 1
        || !(types.get(0) instanceof org.eclipse.jdt.core.dom.RecordDeclaration record)) {
      return null;
    }
    for (Object o : record.recordComponents()) {
      SingleVariableDeclaration c = (SingleVariableDeclaration) o;
      if (c.getName().getIdentifier().equals(component)) {
        return c.getType();
      }
    }
    return null;
  }

  /**
   * {@code call} on an object whose class {@code type} (a simple name) the caller knows from a
   * declaration: the method of that class of this file ({@link Lookup#ELSEWHERE} when the file
   * declares no single class of that name, or it has no method of that name).
   */
  Lookup lookupIn(String type, MethodInvocation call, ArgumentTypes types) {
    List<ASTNode> declared = namedTypes.get(type);
    if (declared == null || declared.size() != 1) {
      return Lookup.ELSEWHERE;
    }
    return in(declared.get(0), call.getName().getIdentifier(), call.arguments(), types);
  }

  /** Every method and constructor of the file, in source order. */
  List<MethodDeclaration> all() {
    return all;
  }

  Lookup lookup(MethodInvocation call) {
    return lookup(call, ArgumentTypes.UNKNOWN);
  }

  Lookup lookup(MethodInvocation call, ArgumentTypes types) {
    List<?> args = call.arguments();
    String name = call.getName().getIdentifier();
    int arity = call.arguments().size();
    Expression receiver = call.getExpression();
    if (receiver == null) {
      // Java's rule: the innermost enclosing class with a method of that name
      for (ASTNode t = NameResolver.enclosingTypeNode(call); t != null;
          t = NameResolver.enclosingTypeNode(t)) {
        Lookup found = in(t, name, args, types);
        if (found.declared()) {
          return found;
        }
      }
      return Lookup.ELSEWHERE;
    }
    if (receiver instanceof ThisExpression self) {
      ASTNode type = self.getQualifier() == null ? NameResolver.enclosingTypeNode(self)
          : NameResolver.outerTypeNamed(self, self.getQualifier().getFullyQualifiedName());
      return type == null ? Lookup.ELSEWHERE : in(type, name, args, types);
    }
    if (receiver instanceof Name typeName) {
      String simple = typeName instanceof QualifiedName q ? q.getName().getIdentifier()
          : ((SimpleName) typeName).getIdentifier();
      List<ASTNode> declared = namedTypes.get(simple);
      if (declared == null) {
        return Lookup.ELSEWHERE;
      }
      return declared.size() == 1 ? in(declared.get(0), name, args, types) : Lookup.AMBIGUOUS;
    }
    return Lookup.ELSEWHERE; // a call on some object: its class is not known without bindings
  }

  /**
   * The constructor {@code new T(...)}, {@code this(...)} or {@code super(...)} runs, when its
   * class is declared in this file (for {@code super}, the enclosing class's superclass); other
   * calls and classes: {@link Lookup#ELSEWHERE}.
   */
  Lookup constructor(ASTNode call) {
    return constructor(call, ArgumentTypes.UNKNOWN);
  }

  Lookup constructor(ASTNode call, ArgumentTypes argumentTypes) {
    return switch (call) {
      case ClassInstanceCreation c -> {
        String simple = simpleName(c.getType());
        List<ASTNode> types = simple == null ? null : namedTypes.get(simple);
        if (types == null) {
          yield Lookup.ELSEWHERE;
        }
        yield types.size() == 1 ? fitting(constructors.getOrDefault(types.get(0), List.of()),
            c.arguments(), argumentTypes) : Lookup.AMBIGUOUS;
      }
      case ConstructorInvocation c -> {
        ASTNode type = NameResolver.enclosingTypeNode(c);
        yield type == null ? Lookup.ELSEWHERE
            : fitting(constructors.getOrDefault(type, List.of()), c.arguments(), argumentTypes);
      }
      case SuperConstructorInvocation c -> {
        String simple = NameResolver.enclosingTypeNode(c) instanceof TypeDeclaration t
            && t.getSuperclassType() != null ? simpleName(t.getSuperclassType()) : null;
        List<ASTNode> types = simple == null ? null : namedTypes.get(simple);
        if (types == null) {
          yield Lookup.ELSEWHERE;
        }
        yield types.size() == 1 ? fitting(constructors.getOrDefault(types.get(0), List.of()),
            c.arguments(), argumentTypes) : Lookup.AMBIGUOUS;
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

  private Lookup in(ASTNode type, String name, List<?> args, ArgumentTypes types) {
    List<MethodDeclaration> named = byType.getOrDefault(type, Map.of()).getOrDefault(name, List.of());
    if (named.isEmpty()) {
      return Lookup.ELSEWHERE;
    }
    return fitting(named, args, types);
  }

  /**
   * The one of {@code named} that {@code args} fit: by count, then, among several, by the
   * argument types {@code types} knows (none declared: ELSEWHERE).
   */
  private static Lookup fitting(List<MethodDeclaration> named, List<?> args, ArgumentTypes types) {
    if (named.isEmpty()) {
      return Lookup.ELSEWHERE;
    }
    int arity = args.size();
    List<MethodDeclaration> fitting = named.stream()
        .filter(m -> m.parameters().size() == arity
            || (m.isVarargs() && arity >= m.parameters().size() - 1))
        .toList();
    if (fitting.size() > 1) {
      fitting = fitting.stream().filter(m -> mayTake(m, args, types)).toList();
    }
    return fitting.size() == 1 ? new Lookup(true, fitting.get(0)) : Lookup.AMBIGUOUS;
  }

  /** Whether no argument of a known type is one {@code m}'s parameter cannot take. */
  private static boolean mayTake(MethodDeclaration m, List<?> args, ArgumentTypes types) {
    List<?> parameters = m.parameters();
    for (int i = 0; i < args.size() && i < parameters.size(); i++) {
      SingleVariableDeclaration p = (SingleVariableDeclaration) parameters.get(i);
      if (p.isVarargs()) {
        return true; // not told apart further
      }
      String argument = types.of((Expression) args.get(i));
      if (argument != null && !takes(p.getType(), argument)) {
        return false;
      }
    }
    return true;
  }

  /** Whether a parameter of type {@code parameter} may take an argument of type {@code argument}. */
  private static boolean takes(Type parameter, String argument) {
    if (parameter.isArrayType()) {
      return takes("[]", argument);
    }
    String p = simpleName(parameter);
    return takes(p != null ? p : parameter.toString(), argument);
  }

  /**
   * The same for a parameter type written as a simple name ({@code "int"}, {@code "Key"},
   * {@code "T"}), or {@code "[]"} for an array type.
   */
  static boolean takes(String parameter, String argument) {
    if (parameter.equals("[]")) {
      return false; // none of the known argument types is an array
    }
    if (PRIMITIVES.contains(parameter)) {
      return WIDENS_TO.getOrDefault(argument, Set.of()).contains(parameter);
    }
    if (PRIMITIVES.contains(argument)) {
      return WIDENS_TO.get(argument).contains(parameter) || !CLOSED.contains(parameter);
    }
    // a Key or a String: a closed type takes only itself; anything else (Object, T, a
    // supertype the file does not show) may
    return parameter.equals(argument) || !CLOSED.contains(parameter);
  }

  /** Whether this file declares a type (class, record, enum, interface) of that simple name. */
  boolean declaresType(String simple) {
    return namedTypes.containsKey(simple);
  }

}
