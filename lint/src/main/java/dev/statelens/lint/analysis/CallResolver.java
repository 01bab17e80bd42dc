package dev.statelens.lint.analysis;

import dev.statelens.lint.source.TypeSummary;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionMethodReference;
import org.eclipse.jdt.core.dom.IMethodBinding;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.MethodReference;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;
import org.eclipse.jdt.core.dom.SuperMethodReference;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.TypeMethodReference;

/**
 * Finds which method a call invokes and, when it is in the analyzed sources, its declaration:
 * by binding where JDT resolved the call, else by receiver type, name and argument count.
 */
public final class CallResolver {

  private static final int MAX_HIERARCHY_DEPTH = 12;

  private final NameResolver names;
  private final Units units;

  public CallResolver(NameResolver names) {
    this.names = names;
    this.units = names.units();
    names.setCallResolver(this);
  }

  /** Memo of the resolutions: each call is asked about in every fixpoint round. */
  private final java.util.Map<ASTNode, CalleeRef> resolved = new java.util.IdentityHashMap<>();

  public CalleeRef resolve(MethodInvocation call) {
    CalleeRef known = resolved.get(call);
    if (known == null) {
      known = resolveUncached(call);
      resolved.put(call, known);
    }
    return known;
  }

  /** The method a method reference ({@code obj::m}, {@code Type::m}, {@code this::m}) names. */
  public CalleeRef resolve(MethodReference reference) {
    CalleeRef known = resolved.get(reference);
    if (known == null) {
      known = resolveUncached(reference);
      resolved.put(reference, known);
    }
    return known;
  }

  private CalleeRef resolveUncached(MethodInvocation call) {
    String name = call.getName().getIdentifier();
    int arity = call.arguments().size();
    IMethodBinding binding = call.resolveMethodBinding();
    if (binding != null && !binding.isRecovered() && binding.getDeclaringClass() != null
        && takes(binding, arity)) {
      return fromBinding(binding, call);
    }
    Expression receiver = call.getExpression();
    if (receiver == null) {
      return unqualified(call, name, arity);
    }
    if (receiver instanceof ThisExpression th) {
      ASTNode type = th.getQualifier() == null
          ? NameResolver.enclosingTypeNode(th)
          : NameResolver.outerTypeNamed(th, th.getQualifier().getFullyQualifiedName());
      MethodDeclaration decl = type == null ? null : findInType(type, name, arity, 0);
      return new CalleeRef(typeRefOf(type), name, false, decl);
    }
    if (receiver instanceof Name qualifier) {
      Symbol symbol = names.resolveQualifier(qualifier);
      if (symbol instanceof Symbol.TypeName t) {
        return inType(t.type(), name, arity, true);
      }
    }
    return inType(names.typeOf(receiver), name, arity, false);
  }

  /**
   * Whether a method binding can take {@code arity} arguments. JDT binds a call that fits no
   * overload to the name's only or nearest method (not marked recovered): after Convert to explicit
   * state in an unsaved editor, Main (bound against the Counter on disk) had
   * {@code counter.count(state)} bound to the old {@code count()}, and the squiggle moved to the kept
   * adapter's field write. Such a call is resolved by name and arity instead.
   */
  private static boolean takes(IMethodBinding binding, int arity) {
    int parameters = binding.getParameterTypes().length;
    return binding.isVarargs() ? arity >= parameters - 1 : arity == parameters;
  }

  public CalleeRef resolve(SuperMethodInvocation call) {
    String name = call.getName().getIdentifier();
    IMethodBinding binding = call.resolveMethodBinding();
    if (binding != null && !binding.isRecovered() && binding.getDeclaringClass() != null) {
      return fromBinding(binding, call);
    }
    ASTNode type = NameResolver.enclosingTypeNode(call);
    if (type instanceof AbstractTypeDeclaration decl) {
      TypeSummary summary = units.index().type(NameResolver.qualifiedName(decl)).orElse(null);
      if (summary != null) {
        for (TypeSummary s : names.supertypes(summary)) {
          MethodDeclaration found = findInSummary(s, name, call.arguments().size(), 0);
          if (found != null) {
            return new CalleeRef(TypeRef.named(s.qualifiedName()), name, false, found);
          }
        }
      }
    }
    return new CalleeRef(null, name, false, null);
  }

  /** The constructor a {@code new} expression runs, when it is in the analyzed sources. */
  public CalleeRef resolve(ClassInstanceCreation creation) {
    IMethodBinding binding = creation.resolveConstructorBinding();
    if (binding != null && !binding.isRecovered() && binding.getDeclaringClass() != null) {
      return fromBinding(binding, creation);
    }
    TypeRef type = names.typeFromText(creation.getType().toString(), creation);
    TypeSummary summary = names.summaryOf(type).orElse(null);
    MethodDeclaration ctor = null;
    if (summary != null) {
      ctor = units.declaration(summary)
          .map(decl -> constructor(decl, creation.arguments().size())).orElse(null);
    }
    return new CalleeRef(type, "<init>", false, ctor);
  }

  private CalleeRef resolveUncached(MethodReference reference) {
    IMethodBinding binding = reference.resolveMethodBinding();
    if (binding != null && !binding.isRecovered() && binding.getDeclaringClass() != null) {
      return fromBinding(binding, reference);
    }
    return switch (reference) {
      case ExpressionMethodReference ref -> {
        String name = ref.getName().getIdentifier();
        Expression receiver = ref.getExpression();
        if (receiver instanceof ThisExpression th) {
          ASTNode type = th.getQualifier() == null
              ? NameResolver.enclosingTypeNode(th)
              : NameResolver.outerTypeNamed(th, th.getQualifier().getFullyQualifiedName());
          yield new CalleeRef(typeRefOf(type), name, false,
              type == null ? null : findInType(type, name, -1, 0));
        }
        if (receiver instanceof Name qualifier
            && names.resolveQualifier(qualifier) instanceof Symbol.TypeName t) {
          yield inType(t.type(), name, -1, true);
        }
        yield inType(names.typeOf(receiver), name, -1, false);
      }
      case TypeMethodReference ref ->
          inType(names.typeFromText(ref.getType().toString(), ref), ref.getName().getIdentifier(), -1, true);
      case SuperMethodReference ref -> new CalleeRef(null, ref.getName().getIdentifier(), false, null);
      default -> new CalleeRef(null, "<new>", false, null);
    };
  }

  // ---------------------------------------------------------------- by binding

  private CalleeRef fromBinding(IMethodBinding binding, ASTNode site) {
    IMethodBinding decl = binding.getMethodDeclaration();
    ITypeBinding owner = decl.getDeclaringClass();
    boolean isStatic = Modifier.isStatic(decl.getModifiers());
    String name = decl.isConstructor() ? "<init>" : decl.getName();
    return new CalleeRef(TypeRef.of(owner), name, isStatic, declarationOf(decl, site));
  }

  /** The source declaration of a resolved method, searched in the project's files. */
  private MethodDeclaration declarationOf(IMethodBinding decl, ASTNode site) {
    ASTNode local = ((CompilationUnit) site.getRoot()).findDeclaringNode(decl.getKey());
    if (local instanceof MethodDeclaration md) {
      return md;
    }
    ITypeBinding owner = decl.getDeclaringClass().getErasure();
    String qualified = owner.getQualifiedName();
    if (qualified == null || qualified.isEmpty()) {
      return null;
    }
    TypeSummary summary = units.index().type(qualified).orElse(null);
    if (summary == null) {
      return null;
    }
    AbstractTypeDeclaration type = units.declaration(summary).orElse(null);
    if (type == null) {
      return null;
    }
    int arity = decl.getParameterTypes().length;
    for (Object b : type.bodyDeclarations()) {
      if (b instanceof MethodDeclaration md && md.parameters().size() == arity
          && md.isConstructor() == decl.isConstructor()
          && (decl.isConstructor() || md.getName().getIdentifier().equals(decl.getName()))
          && sameParameterTypes(md, decl)) {
        return md;
      }
    }
    return null;
  }

  private static boolean sameParameterTypes(MethodDeclaration md, IMethodBinding decl) {
    ITypeBinding[] types = decl.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      String written = TypeRef.stripPackage(
          ((org.eclipse.jdt.core.dom.SingleVariableDeclaration) md.parameters().get(i)).getType().toString());
      String bound = TypeRef.stripPackage(types[i].getErasure().getName());
      if (!written.equals(bound) && !(types[i].isTypeVariable() || written.length() == 1)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- by name

  private CalleeRef unqualified(MethodInvocation call, String name, int arity) {
    for (ASTNode n = call.getParent(); n != null; n = n.getParent()) {
      if (n instanceof AbstractTypeDeclaration || n instanceof AnonymousClassDeclaration) {
        MethodDeclaration found = findInType(n, name, arity, 0);
        if (found != null) {
          ASTNode owner = found.getParent();
          return new CalleeRef(typeRefOf(owner), name,
              Modifier.isStatic(found.getModifiers()), found);
        }
      }
    }
    Units.Imports imports = units.imports(call);
    String owner = imports.staticOwner(name);
    if (owner != null) {
      return inType(TypeRef.named(owner), name, arity, true);
    }
    for (String wildcardOwner : imports.staticWildcardOwners()) {
      TypeRef t = TypeRef.named(wildcardOwner);
      CalleeRef found = inType(t, name, arity, true);
      if (found.declaration() != null || KnownApis.hasStaticMember(wildcardOwner, name)) {
        return found;
      }
    }
    return new CalleeRef(null, name, false, null);
  }

  private CalleeRef inType(TypeRef type, String name, int arity, boolean isStatic) {
    if (type == null) {
      return new CalleeRef(null, name, isStatic, null);
    }
    TypeSummary summary = names.summaryOf(type).orElse(null);
    MethodDeclaration decl = summary == null ? null : findInSummary(summary, name, arity, 0);
    return new CalleeRef(type, name, isStatic || (decl != null && Modifier.isStatic(decl.getModifiers())), decl);
  }

  private MethodDeclaration findInSummary(TypeSummary summary, String name, int arity, int depth) {
    AbstractTypeDeclaration decl = units.declaration(summary).orElse(null);
    return decl == null ? null : findInType(decl, name, arity, depth);
  }

  /** A method declared in or inherited by a type body; arity -1 matches any. */
  private MethodDeclaration findInType(ASTNode typeNode, String name, int arity, int depth) {
    MethodDeclaration abstractMatch = null;
    for (MethodDeclaration md : names.members(typeNode).methods(name)) {
      if (arityMatches(md, arity)) {
        if (md.getBody() != null) {
          return md;
        }
        abstractMatch = md;
      }
    }
    if (abstractMatch != null || depth > MAX_HIERARCHY_DEPTH) {
      return abstractMatch;
    }
    if (typeNode instanceof AbstractTypeDeclaration d) {
      TypeSummary summary = units.index().type(NameResolver.qualifiedName(d)).orElse(null);
      if (summary != null) {
        for (TypeSummary s : names.supertypes(summary)) {
          MethodDeclaration found = findInSummary(s, name, arity, depth + 1);
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  private static MethodDeclaration constructor(AbstractTypeDeclaration type, int arity) {
    for (Object b : type.bodyDeclarations()) {
      if (b instanceof MethodDeclaration md && md.isConstructor() && arityMatches(md, arity)) {
        return md;
      }
    }
    return null;
  }

  private static boolean arityMatches(MethodDeclaration md, int arity) {
    if (arity < 0) {
      return true;
    }
    int params = md.parameters().size();
    boolean varargs = params > 0
        && ((org.eclipse.jdt.core.dom.SingleVariableDeclaration) md.parameters().get(params - 1)).isVarargs();
    return params == arity || (varargs && arity >= params - 1);
  }

  private static TypeRef typeRefOf(ASTNode typeNode) {
    return typeNode instanceof AbstractTypeDeclaration decl
        ? TypeRef.named(NameResolver.qualifiedName(decl))
        : null;
  }

  /** Every method named {@code name} in a type body (used by quick fixes). */
  public static List<MethodDeclaration> methodsNamed(AbstractTypeDeclaration type, String name) {
    List<MethodDeclaration> out = new ArrayList<>();
    for (Object b : type.bodyDeclarations()) {
      if (b instanceof MethodDeclaration md && md.getName().getIdentifier().equals(name)) {
        out.add(md);
      }
    }
    return out;
  }
}
