package dev.statelens.lint.analysis;

import java.util.List;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CreationReference;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.IMethodBinding;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.MethodReference;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Turns the function argument of a transform call into code to analyze: lambdas, method
 * references ({@code this::m}, {@code obj::m}, {@code Type::m}), anonymous classes, and locals or
 * final fields holding one of those.
 */
public final class FunctionResolver {

  private static final int MAX_INDIRECTIONS = 8;

  /** Single-method interfaces' method names, for anonymous classes when types do not resolve. */
  private static final List<String> FUNCTIONAL_METHOD_NAMES =
      List.of("apply", "get", "call", "run", "accept", "test", "applyAsDouble", "applyAsFloat");

  private final NameResolver names;
  private final CallResolver calls;

  public FunctionResolver(NameResolver names, CallResolver calls) {
    this.names = names;
    this.calls = calls;
  }

  public TracedFunction resolve(TransformSite site) {
    return resolve(site.function(), 0);
  }

  private TracedFunction resolve(Expression fn, int depth) {
    if (depth > MAX_INDIRECTIONS) {
      return new TracedFunction.Unresolved("the function passes through too many variables");
    }
    return switch (fn) {
      case ParenthesizedExpression p -> resolve(p.getExpression(), depth);
      case CastExpression c -> resolve(c.getExpression(), depth);
      case LambdaExpression lambda -> new TracedFunction.Code(Body.of(lambda), Origin.OUTER);
      case CreationReference ref -> new TracedFunction.Unresolved(null);
      case MethodReference ref -> methodReference(ref);
      case ClassInstanceCreation creation when creation.getAnonymousClassDeclaration() != null ->
          anonymous(creation);
      case ClassInstanceCreation creation -> namedClass(creation);
      case SimpleName name -> variable(name, depth);
      case MethodInvocation call -> isTransform(call)
          ? new TracedFunction.Nested(call)
          : new TracedFunction.Unresolved("the function is the result of " + call.getName()
              + "(...), which the analyzer does not follow; pass a lambda or method reference");
      default -> new TracedFunction.Unresolved(
          "cannot see which function '" + fn + "' is; pass a lambda or method reference");
    };
  }

  private boolean isTransform(MethodInvocation call) {
    return new SiteFinder(names, this).kindOf(call).isPresent();
  }

  private TracedFunction methodReference(MethodReference ref) {
    CalleeRef callee = calls.resolve(ref);
    if (KnownApis.isEngine(callee.owner())) {
      return new TracedFunction.Unresolved(null);
    }
    if (callee.declaration() == null) {
      return new TracedFunction.Unresolved(callee.owner() == null
          ? "cannot find the method '" + ref + "' refers to (not in the analyzed sources)"
          : null);
    }
    Body body = Body.of(callee.declaration());
    return body == null
        ? new TracedFunction.Unresolved("'" + ref + "' refers to a method without a body")
        : new TracedFunction.Code(body, Origin.OUTER);
  }

  private TracedFunction anonymous(ClassInstanceCreation creation) {
    AnonymousClassDeclaration anon = creation.getAnonymousClassDeclaration();
    ITypeBinding type = creation.resolveTypeBinding();
    String samName = type == null ? null : samName(type);
    MethodDeclaration chosen = functionalMethod(anon.bodyDeclarations(), samName);
    return chosen == null
        ? new TracedFunction.Unresolved("the anonymous class at this call declares no method")
        : new TracedFunction.Code(Body.of(chosen), Origin.OUTER);
  }

  /**
   * {@code jit(new Step())} with {@code Step} a class of the analyzed sources implementing a
   * functional interface: its functional method is the traced code, as for an anonymous class.
   */
  private TracedFunction namedClass(ClassInstanceCreation creation) {
    AbstractTypeDeclaration type = names.summaryOf(names.typeOf(creation))
        .flatMap(summary -> names.units().declaration(summary)).orElse(null);
    if (type == null) {
      return new TracedFunction.Unresolved("cannot find class " + creation.getType()
          + " in the analyzed sources; pass a lambda or method reference");
    }
    ITypeBinding binding = type.resolveBinding();
    MethodDeclaration chosen = functionalMethod(type.bodyDeclarations(),
        binding == null ? null : samName(binding));
    return chosen == null
        ? new TracedFunction.Unresolved("class " + creation.getType() + " declares no method with a body")
        : new TracedFunction.Code(Body.of(chosen), Origin.OUTER);
  }

  private static String samName(ITypeBinding type) {
    String samName = null;
    for (ITypeBinding candidate : type.getInterfaces()) {
      IMethodBinding sam = candidate.getFunctionalInterfaceMethod();
      if (sam != null) {
        samName = sam.getName();
      }
    }
    return samName;
  }

  /** The implementation of the functional method: by name when known, else a usual name, else the first. */
  private static MethodDeclaration functionalMethod(List<?> bodyDeclarations, String samName) {
    MethodDeclaration chosen = null;
    for (Object b : bodyDeclarations) {
      if (b instanceof MethodDeclaration md && md.getBody() != null
          && !Modifier.isStatic(md.getModifiers())) {
        String name = md.getName().getIdentifier();
        if (name.equals(samName) || (samName == null && FUNCTIONAL_METHOD_NAMES.contains(name))) {
          chosen = md;
          break;
        }
        if (chosen == null) {
          chosen = md;
        }
      }
    }
    return chosen;
  }

  private TracedFunction variable(SimpleName name, int depth) {
    return switch (names.resolve(name)) {
      case Symbol.Local local -> {
        VariableDeclaration decl = local.declaration();
        if (decl instanceof SingleVariableDeclaration param && param.getParent() instanceof MethodDeclaration m) {
          yield new TracedFunction.Unresolved("the function is parameter '" + name + "' of "
              + m.getName() + "(...); the analyzer checks functions where they are written, so "
              + "lint the callers' lambdas by passing them to jit directly");
        }
        yield decl.getInitializer() == null
            ? new TracedFunction.Unresolved("local '" + name + "' has no initializer to follow")
            : resolve(decl.getInitializer(), depth + 1);
      }
      case Symbol.Field field -> {
        VariableDeclarationFragment fragment = fieldDeclaration(field.field());
        yield fragment == null || fragment.getInitializer() == null
            ? new TracedFunction.Unresolved("cannot see the initializer of field '" + name + "'")
            : resolve(fragment.getInitializer(), depth + 1);
      }
      default -> new TracedFunction.Unresolved("cannot resolve '" + name + "'");
    };
  }

  private VariableDeclarationFragment fieldDeclaration(FieldInfo field) {
    if (field.ownerSummary() == null) {
      return null;
    }
    AbstractTypeDeclaration type = names.units().declaration(field.ownerSummary()).orElse(null);
    if (type == null) {
      return null;
    }
    for (Object b : type.bodyDeclarations()) {
      if (b instanceof FieldDeclaration fd) {
        for (Object f : fd.fragments()) {
          VariableDeclarationFragment fragment = (VariableDeclarationFragment) f;
          if (fragment.getName().getIdentifier().equals(field.name())) {
            return fragment;
          }
        }
      }
    }
    return null;
  }

}
