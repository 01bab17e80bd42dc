package dev.statelens.lint.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.IMethodBinding;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;

/** Finds the calls of {@code Transforms.jit/grad/valueAndGrad/vmap} in a file. */
public final class SiteFinder {

  private final NameResolver names;
  private final FunctionResolver functions;

  public SiteFinder(NameResolver names, FunctionResolver functions) {
    this.names = names;
    this.functions = functions;
  }

  public List<TransformSite> find(CompilationUnit cu) {
    Path file = Units.fileOf(cu);
    List<TransformSite> sites = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodInvocation call) {
        kindOf(call).ifPresent(kind -> {
          if (kind == TransformKind.CUSTOM_VJP && !insideTransforms(call)) {
            // customVjp(f, fwd, bwd): all three functions are traced
            for (Object arg : call.arguments()) {
              sites.add(new TransformSite(kind, call, (Expression) arg, file, false));
            }
          } else if (!call.arguments().isEmpty() && !insideTransforms(call)) {
            // jit(name, fn) names first; vmap(fn, inAxes...) puts the axes after the function.
            Expression fn = (Expression) (kind == TransformKind.JIT
                ? call.arguments().get(call.arguments().size() - 1)
                : call.arguments().get(0));
            sites.add(new TransformSite(kind, call, fn, file, kind == TransformKind.JIT));
          }
        });
        return true;
      }
    });
    // jit(grad(f)) and `var g = grad(f); jit(g)`: the inner function is traced by jit too.
    Set<MethodInvocation> underJit = new HashSet<>();
    for (TransformSite site : sites) {
      if (site.underJit() && functions.resolve(site) instanceof TracedFunction.Nested nested) {
        underJit.add(nested.innerTransform());
      }
    }
    List<TransformSite> out = new ArrayList<>(sites.size());
    for (TransformSite site : sites) {
      out.add(underJit.contains(site.call()) ? site.underJit(true) : site);
    }
    return out;
  }

  /** The engine's own overloads delegate to each other; they are not user sites. */
  private static boolean insideTransforms(MethodInvocation call) {
    for (org.eclipse.jdt.core.dom.ASTNode n = call.getParent(); n != null; n = n.getParent()) {
      if (n instanceof org.eclipse.jdt.core.dom.AbstractTypeDeclaration type) {
        return NameResolver.qualifiedName(type).equals(TransformKind.TRANSFORMS_CLASS);
      }
    }
    return false;
  }

  /** Which transform a call is, if it is one. */
  public Optional<TransformKind> kindOf(MethodInvocation call) {
    Optional<TransformKind> kind = TransformKind.byMethodName(call.getName().getIdentifier());
    if (kind.isEmpty()) {
      return kind;
    }
    IMethodBinding binding = call.resolveMethodBinding();
    if (binding != null && !binding.isRecovered() && binding.getDeclaringClass() != null) {
      String owner = binding.getDeclaringClass().getErasure().getQualifiedName();
      return TransformKind.TRANSFORMS_CLASS.equals(owner) ? kind : Optional.empty();
    }
    return isTransformsByName(call) ? kind : Optional.empty();
  }

  private boolean isTransformsByName(MethodInvocation call) {
    Units.Imports imports = names.units().imports(call);
    Expression receiver = call.getExpression();
    if (receiver == null) {
      String owner = imports.staticOwner(call.getName().getIdentifier());
      return TransformKind.TRANSFORMS_CLASS.equals(owner)
          || imports.staticWildcardOwners().contains(TransformKind.TRANSFORMS_CLASS);
    }
    if (!(receiver instanceof Name name)) {
      return false;
    }
    String text = name.getFullyQualifiedName();
    if (text.equals(TransformKind.TRANSFORMS_CLASS)) {
      return true;
    }
    if (!text.equals("Transforms")) {
      return false;
    }
    String imported = imports.qualify("Transforms");
    if (imported != null) {
      return imported.equals(TransformKind.TRANSFORMS_CLASS);
    }
    // Not imported by name: the engine's unless the project declares its own Transforms.
    return names.units().index().typesNamed("Transforms").stream()
        .allMatch(t -> t.qualifiedName().equals(TransformKind.TRANSFORMS_CLASS));
  }
}
