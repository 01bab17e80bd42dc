package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.GuardedPattern;
import org.eclipse.jdt.core.dom.IBinding;
import org.eclipse.jdt.core.dom.ITypeBinding;
import org.eclipse.jdt.core.dom.IVariableBinding;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.NodeFinder;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.SuperFieldAccess;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;
import org.eclipse.jdt.core.dom.UnionType;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;

/**
 * "Use the result" for SL009: {@code state.at(0).set(v);} becomes
 * {@code state = state.at(0).set(v);}, and {@code Optim.applyUpdates(params, g);} becomes
 * {@code params = Optim.applyUpdates(params, g);}. The variable assigned is the root of the call
 * chain (a method call's receiver) or a static call's first argument.
 *
 * <p>Offered only where the assignment compiles and matters: the variable is a local or
 * parameter (a field would be SL001's side effect), not final, not captured by a lambda, inner
 * class or switch guard (those need it effectively final), and read after the statement (else
 * the assignment would still do nothing). {@link #check} decides this from syntax, with bindings
 * where the AST has them; the rule also checks that the result's type fits the variable, which
 * needs the bindings the fix's syntax-only AST lacks (see {@link #resultFits}).
 */
public final class UseResultFix {

  /** Array methods whose result is not an Array (so {@code x = x.shape()} would not compile). */
  private static final Set<String> NON_ARRAY_METHODS = Set.of(
      "split", "splitAt", "aval", "buffer", "dtype", "str", "toString", "tracer", "shape", "dim",
      "ndim", "size", "rank", "item", "floatValue", "doubleValue", "intValue", "longValue",
      "boolValue", "booleanValue", "toFloatArray", "toDoubleArray", "toIntArray",
      "toBooleanArray", "isConcrete", "isTracer", "scalarValueForLiteral", "equals", "hashCode",
      "getClass");
  /** {@code x.at(i)} is an IndexUpdate; these of its methods return the updated Array. */
  private static final Set<String> INDEX_UPDATE_METHODS = Set.of("get", "set", "add", "mul", "min", "max");
  /** Engine static functions whose result is not an Array of the first argument's type. */
  private static final Set<String> NON_ARRAY_STATICS = Set.of(
      "cond", "switchCase", "forI", "fori", "scan", "whileLoop", "map", "mapN", "mapWithPath",
      "flatten", "unflatten", "leaves", "split", "key", "foldIn", "globalNorm");

  /**
   * Classes whose static functions compute something new from their arguments: assigning the
   * result back to the first argument ({@code a = Linalg.cholesky(a)}, {@code key = Random.normal(key)})
   * would be wrong, so the fix names a new variable instead.
   */
  private static final Set<String> NEW_VALUE_CLASSES = Set.of("Linalg", "Random", "Init");

  private UseResultFix() {}

  private static String simpleName(org.eclipse.jdt.core.dom.Name name) {
    return name instanceof QualifiedName q ? q.getName().getIdentifier() : name.toString();
  }

  /** Whether the fix applies to a discarded call, and to which variable. */
  public sealed interface Check {
    /** @param root the name to assign; @param variable its declaration */
    record Assignable(SimpleName root, VariableDeclaration variable) implements Check {}

    /** @param reason why not, in one sentence the user can act on */
    record Refused(String reason) implements Check {}
  }

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    ASTNode node = QuickFixes.nodeAt(edits.cu, finding);
    if (!(node instanceof MethodInvocation call)) {
      return new FixOutcome.NotApplicable(FixId.USE_RESULT,
          "the finding is not at a call statement any more (the code changed); lint again");
    }
    return switch (check(call)) {
      case Check.Refused refused -> new FixOutcome.NotApplicable(FixId.USE_RESULT, refused.reason());
      case Check.Assignable ok -> {
        String name = ok.root().getIdentifier();
        edits.insert(call.getStartPosition(), name + " = ");
        yield files.applied(FixId.USE_RESULT, label(name, edits.text(call)));
      }
    };
  }

  /**
   * The menu label for the fix on the discarded call at {@code offset} of {@code source}
   * ("Use the result: state = state.at(0).set(v)"), or the plain label when it does not apply.
   */
  public static String labelAt(String source, int offset) {
    CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("Label.java"), source));
    ASTNode node = new NodeFinder(cu, offset, 0).getCoveringNode();
    ExpressionStatement statement = QuickFixes.ancestor(node, ExpressionStatement.class);
    if (statement != null && statement.getExpression() instanceof MethodInvocation call
        && check(call) instanceof Check.Assignable ok) {
      String text = source.substring(call.getStartPosition(), call.getStartPosition() + call.getLength());
      return label(ok.root().getIdentifier(), text);
    }
    return FixId.USE_RESULT.label();
  }

  private static String label(String name, String callText) {
    String flat = callText.replaceAll("\\s+", " ").trim();
    if (flat.length() > 48) {
      flat = flat.substring(0, 45) + "...";
    }
    return FixId.USE_RESULT.label() + ": " + name + " = " + flat;
  }

  /** Whether {@code call;} can become {@code root = call;} (types aside: see {@link #resultFits}). */
  public static Check check(MethodInvocation call) {
    if (!(call.getParent() instanceof ExpressionStatement statement)) {
      return new Check.Refused("the call's result is already used");
    }
    MethodInvocation innermost = innermost(call);
    if (innermost != call && isTypeOrStaticImport(innermost.getExpression())) {
      // Lax.sort(x).add(1): resultFits reads the type from a static call's own arguments only
      return new Check.Refused("the call chain does not start from a variable; "
          + "keep its value in one: var result = ...");
    }
    Object found = rootOrRefusal(call);
    if (!(found instanceof SimpleName root)) {
      return (Check.Refused) found;
    }
    IBinding binding = root.resolveBinding();
    VariableDeclaration variable = null;
    if (binding instanceof IVariableBinding v && !v.isRecovered()) {
      if (v.isField()) {
        return fieldRefused(root.getIdentifier());
      }
      if (((CompilationUnit) root.getRoot()).findDeclaringNode(v) instanceof VariableDeclaration d) {
        variable = d;
      }
    }
    if (variable == null) {
      variable = NameResolver.localByScope(root);
    }
    if (variable == null) {
      return fieldRefused(root.getIdentifier());
    }
    String id = root.getIdentifier();
    if (isFinal(variable)) {
      return new Check.Refused(id + " is final; keep the new value in another variable: var "
          + id + "2 = ...");
    }
    return usesAllow(statement, root, variable);
  }

  /**
   * Whether the call's result can be assigned to {@code variable}: by the bindings where they
   * resolved, else from the declared type (an Array variable and a call known to return an
   * Array; {@code Optim.applyUpdates(p, u)} where u is declared like p).
   *
   * @return null when it fits, else why not
   */
  public static String resultFits(MethodInvocation call, Check.Assignable target) {
    ITypeBinding result = call.resolveTypeBinding();
    IVariableBinding bound = target.variable().resolveBinding();
    String id = target.root().getIdentifier();
    if (result != null && !result.isRecovered() && bound != null && bound.getType() != null
        && !bound.getType().isRecovered()) {
      return result.isAssignmentCompatible(bound.getType()) ? null
          : "the result is a " + result.getName() + ", which " + id + " (a "
              + bound.getType().getName() + ") cannot hold; keep it in a new variable";
    }
    String declared = declaredType(target.variable());
    if (declared == null) {
      return "the type of " + id + " is not known without the engine on the classpath; "
          + "write the assignment by hand";
    }
    boolean array = declared.equals("Array") || declared.equals("dev.statelens.engine.Array");
    boolean staticCall = call.arguments().contains(target.root());
    if (!staticCall) {
      return array && chainStaysArray(call) ? null
          : "the result's type is not known to fit " + id + "; write the assignment by hand";
    }
    String name = call.getName().getIdentifier();
    if (name.equals("applyUpdates") && call.arguments().size() == 2
        && call.arguments().get(1) instanceof SimpleName updates) {
      VariableDeclaration u = NameResolver.localByScope(updates);
      return u != null && declared.equals(declaredType(u)) ? null
          : "applyUpdates returns the type of both its arguments, and they are declared "
              + "differently; write the assignment by hand";
    }
    return array && !NON_ARRAY_STATICS.contains(name) ? null
        : "the result's type is not known to fit " + id + "; write the assignment by hand";
  }

  /**
   * The variable a call chain's value belongs to: the name the chain starts from
   * ({@code state} in {@code state.at(0).set(v)}), or the first argument of the static call it
   * starts at ({@code params} in {@code Optim.applyUpdates(params, g)}, {@code x} in
   * {@code Lax.sort(x).add(1)}); empty when there is none. Whether it may be assigned is
   * {@link #check}'s question.
   */
  public static java.util.Optional<SimpleName> root(MethodInvocation call) {
    return rootOrRefusal(call) instanceof SimpleName root ? java.util.Optional.of(root) : java.util.Optional.empty();
  }

  /** {@link #root}'s name, or a {@link Check.Refused} saying why the chain has none. */
  private static Object rootOrRefusal(MethodInvocation call) {
    MethodInvocation innermost = innermost(call);
    Expression start = innermost.getExpression();
    if (isTypeOrStaticImport(start)) {
      if (start instanceof org.eclipse.jdt.core.dom.Name type && NEW_VALUE_CLASSES.contains(simpleName(type))) {
        return new Check.Refused(simpleName(type) + "'s result is a new value (a factor, a solution, a sample), "
            + "not its first argument updated; keep it in a variable: var result = ...");
      }
      if (innermost.arguments().isEmpty() || !(innermost.arguments().get(0) instanceof SimpleName first)) {
        return new Check.Refused("the first argument is not a variable to assign; "
            + "keep the value in one: var result = ...");
      }
      return first;
    }
    if (start instanceof SimpleName name) {
      return name;
    }
    if (start instanceof ThisExpression || start instanceof FieldAccess
        || start instanceof SuperFieldAccess || start instanceof QualifiedName) {
      return fieldRefused(start.toString());
    }
    return new Check.Refused("the call chain does not start from a variable; "
        + "keep its value in one: var result = ...");
  }

  /** The first call of a chain: {@code state.at(0)} in {@code state.at(0).set(v)}. */
  private static MethodInvocation innermost(MethodInvocation call) {
    MethodInvocation innermost = call;
    while (innermost.getExpression() instanceof MethodInvocation inner) {
      innermost = inner;
    }
    return innermost;
  }

  // ---------------------------------------------------------------- helpers

  private static Check.Refused fieldRefused(String what) {
    return new Check.Refused(what + " is not a local variable or parameter; assigning a field "
        + "inside transformed code is a side effect (SL001): return the new value instead");
  }

  /** {@code Lax} in {@code Lax.f(x)}, or no qualifier at all (a static import). */
  private static boolean isTypeOrStaticImport(Expression start) {
    if (start == null) {
      return true;
    }
    if (start instanceof SimpleName || start instanceof QualifiedName) {
      IBinding b = ((org.eclipse.jdt.core.dom.Name) start).resolveBinding();
      if (b instanceof ITypeBinding t && !t.isRecovered()) {
        return true;
      }
      if (b instanceof IVariableBinding v && !v.isRecovered()) {
        return false;
      }
      if (start instanceof SimpleName s && NameResolver.localByScope(s) != null) {
        return false;
      }
      String last = start instanceof QualifiedName q ? q.getName().getIdentifier()
          : ((SimpleName) start).getIdentifier();
      return Character.isUpperCase(last.charAt(0));
    }
    return false;
  }

  private static boolean isFinal(VariableDeclaration variable) {
    if (variable.resolveBinding() != null && Modifier.isFinal(variable.resolveBinding().getModifiers())) {
      return true;
    }
    return switch (variable) {
      case SingleVariableDeclaration s -> Modifier.isFinal(s.getModifiers())
          || s.getType() instanceof UnionType; // multi-catch parameters are implicitly final
      default -> switch (variable.getParent()) {
        case VariableDeclarationStatement vds -> Modifier.isFinal(vds.getModifiers());
        case VariableDeclarationExpression vde -> Modifier.isFinal(vde.getModifiers())
            || vde.getLocationInParent() == org.eclipse.jdt.core.dom.TryStatement.RESOURCES2_PROPERTY;
        default -> false; // an untyped lambda parameter
      };
    };
  }

  /**
   * The type written at the declaration, {@code int x[]} as {@code int[]} ({@link DeclaredTypes});
   * null for {@code var} and untyped lambda parameters.
   */
  private static String declaredType(VariableDeclaration variable) {
    String text = DeclaredTypes.typeOf(variable);
    return text.isEmpty() || text.equals("var") ? null : text;
  }

  /** Whether each call from the root on is an Array method returning an Array. */
  private static boolean chainStaysArray(MethodInvocation call) {
    Expression e = call;
    while (e instanceof MethodInvocation m) {
      String name = m.getName().getIdentifier();
      if (m.getExpression() instanceof MethodInvocation inner
          && inner.getName().getIdentifier().equals("at") && INDEX_UPDATE_METHODS.contains(name)) {
        e = inner.getExpression(); // x.at(i).set(v) is an Array: skip the at(i)
      } else if (NON_ARRAY_METHODS.contains(name) || name.equals("at")) {
        return false;
      } else {
        e = m.getExpression();
      }
    }
    return true;
  }

  /**
   * The other uses of the variable: none may be in a lambda, inner class or switch guard (they
   * need it effectively final), and one must read it after the statement (or in the loop around
   * it), else the assignment would still do nothing.
   */
  private static Check usesAllow(ExpressionStatement statement, SimpleName root,
      VariableDeclaration variable) {
    String id = root.getIdentifier();
    ASTNode captor = captor(root, variable);
    if (captor != null) {
      return new Check.Refused("this statement is in the " + kind(captor) + " at line "
          + Units.line(captor) + ", which captures " + id + " from outside and cannot assign it; "
          + "return the new value from it instead");
    }
    ASTNode scope = QuickFixes.ancestor(variable, BodyDeclaration.class);
    if (scope == null) {
      scope = variable.getRoot();
    }
    ASTNode loop = loopAround(statement, variable);
    int end = statement.getStartPosition() + statement.getLength();
    Check[] refusal = new Check[1];
    boolean[] readLater = new boolean[1];
    scope.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (name == root || refusal[0] != null || !name.getIdentifier().equals(id)
            || !isVariableReference(name) || !refersTo(name, variable)) {
          return false;
        }
        ASTNode c = captor(name, variable);
        if (c != null) {
          refusal[0] = new Check.Refused(id + " is also used in the " + kind(c) + " at line "
              + Units.line(c) + ", which needs it effectively final; keep the new value in another "
              + "variable: var " + id + "2 = ...");
        }
        boolean assignedOnly = name.getLocationInParent() == Assignment.LEFT_HAND_SIDE_PROPERTY
            && ((Assignment) name.getParent()).getOperator() == Assignment.Operator.ASSIGN;
        if (!assignedOnly && (name.getStartPosition() >= end
            || (loop != null && Units.within(name, loop)))) {
          readLater[0] = true;
        }
        return false;
      }
    });
    if (refusal[0] != null) {
      return refusal[0];
    }
    if (!readLater[0]) {
      return new Check.Refused(id + " is not read after this statement, so assigning it would "
          + "still do nothing; return the new value (or pass it on) instead");
    }
    return new Check.Assignable(root, variable);
  }

  /** The lambda, inner class or switch guard between a use and the variable's declaration. */
  private static ASTNode captor(SimpleName use, VariableDeclaration variable) {
    for (ASTNode n = use.getParent(); n != null; n = n.getParent()) {
      if (Units.within(variable, n)) {
        return null;
      }
      if (n instanceof LambdaExpression || n instanceof AnonymousClassDeclaration
          || n instanceof TypeDeclarationStatement || n instanceof GuardedPattern) {
        return n;
      }
    }
    return null;
  }

  /** The innermost loop around the statement inside the variable's scope (its reads count). */
  private static ASTNode loopAround(ASTNode statement, VariableDeclaration variable) {
    for (ASTNode n = statement.getParent(); n != null && !Units.within(variable, n); n = n.getParent()) {
      if (n instanceof LambdaExpression || n instanceof BodyDeclaration) {
        return null;
      }
      if (n instanceof WhileStatement || n instanceof DoStatement || n instanceof ForStatement
          || n instanceof EnhancedForStatement) {
        return n;
      }
    }
    return null;
  }

  private static boolean isVariableReference(SimpleName name) {
    var location = name.getLocationInParent();
    return !name.isDeclaration()
        && location != MethodInvocation.NAME_PROPERTY
        && location != FieldAccess.NAME_PROPERTY
        && location != SuperFieldAccess.NAME_PROPERTY
        && location != QualifiedName.NAME_PROPERTY
        && location != org.eclipse.jdt.core.dom.SuperMethodInvocation.NAME_PROPERTY
        && location != org.eclipse.jdt.core.dom.ExpressionMethodReference.NAME_PROPERTY
        && location != org.eclipse.jdt.core.dom.MemberValuePair.NAME_PROPERTY
        && !(name.getParent() instanceof org.eclipse.jdt.core.dom.Type)
        && !(name.getParent() instanceof org.eclipse.jdt.core.dom.BreakStatement)
        && !(name.getParent() instanceof org.eclipse.jdt.core.dom.ContinueStatement)
        && !(name.getParent() instanceof org.eclipse.jdt.core.dom.LabeledStatement);
  }

  private static boolean refersTo(SimpleName name, VariableDeclaration variable) {
    IBinding b = name.resolveBinding();
    IVariableBinding v = variable.resolveBinding();
    if (b instanceof IVariableBinding bound && !bound.isRecovered() && v != null && !v.isRecovered()) {
      return bound.isEqualTo(v);
    }
    return NameResolver.localByScope(name) == variable;
  }

  private static String kind(ASTNode captor) {
    return switch (captor) {
      case LambdaExpression l -> "lambda";
      case GuardedPattern g -> "switch guard";
      default -> "inner class";
    };
  }
}
