package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.TypeMembers;
import dev.statelens.lint.analysis.Units;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ArrayCreation;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionMethodReference;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.Initializer;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;
import org.eclipse.jdt.core.dom.SuperMethodReference;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeMethodReference;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;

/**
 * SL011: a {@code Transforms.jit} created anew on every iteration of a loop. The jitted function
 * {@code jit} returns owns its compile cache, so a new one traces and compiles again (JAX's "jit
 * inside a loop recompiles"; the engine notices it at run time too and logs a warning). Like
 * SL010 it is a syntactic pass over one file, transformed code or not.
 *
 * <p>Reported, precisely: a {@code jit(...)} call in a loop body (or a loop's condition or
 * update) whose jitted function is used only there — called at once ({@code jit(f).apply(x)}), or
 * kept in a local variable that is only called ({@code var step = jit(f); step.apply(s)}); and a
 * {@code jit(...)} so used in a method of the file that a loop of the file calls, or returned by
 * one whose result the loop only calls ({@code makeStep().apply(s)}); and {@code jit(f).apply(x)}
 * in a method no loop of the file calls, when the method may run many times: it is not private
 * (others call it), or a method that may calls it — not {@code main}, a constructor, or a test or
 * setup method ({@code @Test}, {@code @BeforeEach}, JMH's {@code @Setup}...), and not in a
 * {@code switch} arm (a dispatcher over cases). Not reported: a jit stored
 * in a field or static, passed on or added to a collection (one per model is a choice), made
 * before the loop, or inside a lambda (it runs when the lambda does); nor a jit of a function that
 * uses the loop's variables (or, made in a method, the method's parameters and locals): a
 * different function each time, as a test looping over its cases makes; nor in a loop over cases
 * written out in the code ({@code for (int n : new int[] {1, 8, 1001})}), whose jits retrace for
 * each case's shapes anyway.
 */
public final class JitPerCallRule {
  private static final String ENGINE = "dev.statelens.engine";

  /**
   * A jit made per iteration: the {@code jit(...)} call, the message, the loop (null for a jit
   * made per call of a method no loop of the file calls), and the local
   * declaration that could move before the loop (its jit's arguments use nothing the loop
   * declares), or null when none can.
   */
  public record PerCall(MethodInvocation jit, String message, Statement loop, VariableDeclarationStatement hoistable) {}

  private JitPerCallRule() {}

  /** The jits created per iteration in one file, in source order. */
  public static List<PerCall> find(CompilationUnit cu, String fileName) {
    Units.Imports imports = Units.Imports.of(cu);
    boolean inEngine = imports.packageName().equals(ENGINE);
    String transforms = imports.qualify("Transforms");
    boolean transformsVisible = transforms != null ? transforms.equals(ENGINE + ".Transforms")
        : inEngine || imports.importsOnDemand(ENGINE);
    boolean staticJit = (ENGINE + ".Transforms").equals(imports.staticOwner("jit"))
        || imports.staticWildcardOwners().contains(ENGINE + ".Transforms");

    List<MethodInvocation> jits = new ArrayList<>();
    List<MethodInvocation> calls = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodInvocation call) {
        if (isJit(call, transformsVisible, staticJit)) {
          jits.add(call);
        } else if (call.getExpression() == null || call.getExpression() instanceof ThisExpression) {
          calls.add(call);
        }
        return true;
      }
    });
    Map<MethodInvocation, PerCall> found = new LinkedHashMap<>();
    // a jit used once, right where it is made: in a loop, or in a method the file's loops may call
    Map<MethodDeclaration, MethodInvocation> perCallMethods = new HashMap<>();
    Map<MethodDeclaration, MethodInvocation> factories = new HashMap<>();
    for (MethodInvocation jit : jits) {
      Expression value = outermost(jit);
      if (value.getParent() instanceof ReturnStatement ret && enclosingBody(ret) instanceof MethodDeclaration m) {
        factories.put(m, jit);
        continue;
      }
      if (!usedOnlyHere(value)) {
        continue;
      }
      Statement loop = loopAround(jit);
      if (loop != null && (usesNamesOf(jit, loop) || overWrittenCases(loop))) {
        continue; // a different function, or other shapes, each iteration: a choice
      }
      if (loop != null) {
        // the same function in every iteration of the loops around too: report (and hoist out of)
        // the outermost such loop, not the inner one, which the jit would still run in
        for (Statement outer = loopAround(loop); outer != null && !usesNamesOf(jit, outer)
            && !overWrittenCases(outer); outer = loopAround(outer)) {
          loop = outer;
        }
        found.put(jit, new PerCall(jit, inLoopMessage(fileName, loop), loop, hoistable(value, loop)));
      } else if (enclosingBody(jit) instanceof MethodDeclaration m && !usesNamesOf(jit, m)) {
        perCallMethods.put(m, jit);
      }
    }
    factories.values().removeIf(jit -> usesNamesOf(jit, enclosingBody(jit)));
    Map<MethodDeclaration, List<MethodDeclaration>> callers = new HashMap<>();
    Map<ASTNode, TypeMembers> members = new java.util.IdentityHashMap<>();
    for (MethodInvocation call : calls) {
      MethodDeclaration target = sameFileMethod(call, members);
      if (target == null) {
        continue;
      }
      if (enclosingBody(call) instanceof MethodDeclaration caller) {
        callers.computeIfAbsent(target, t -> new ArrayList<>()).add(caller);
      }
      Statement loop = loopAround(call);
      if (loop == null || overWrittenCases(loop)) {
        continue;
      }
      MethodInvocation jit = perCallMethods.get(target);
      if (jit == null && factories.containsKey(target) && usedOnlyHere(outermost(call))) {
        jit = factories.get(target);
      }
      if (jit != null && !found.containsKey(jit)) {
        found.put(jit, new PerCall(jit, inMethodMessage(fileName, target, loop), loop, null));
      }
    }
    // jit(f).apply(x) where no loop of the file calls the method: it runs whenever its callers
    // call it, and each time makes a jit that runs once (JAX's jax.jit(f)(x) habit: JAX caches
    // by function, the engine's cache is the jitted function's own). A jit kept in a local and
    // called once is the same cost, but the common shape of a one-off script: not reported.
    for (var entry : perCallMethods.entrySet()) {
      MethodInvocation jit = entry.getValue();
      if (!found.containsKey(jit) && outermost(jit).getLocationInParent() == MethodInvocation.EXPRESSION_PROPERTY
          && !inSwitchArm(jit, entry.getKey()) && runsRepeatedly(entry.getKey(), callers, new java.util.HashSet<>())) {
        found.put(jit, new PerCall(jit, perCallMessage(entry.getKey()), null, null));
      }
    }
    List<PerCall> out = new ArrayList<>(found.values());
    out.sort((a, b) -> Integer.compare(a.jit().getStartPosition(), b.jit().getStartPosition()));
    return out;
  }

  private static boolean isJit(MethodInvocation call, boolean transformsVisible, boolean staticJit) {
    if (!call.getName().getIdentifier().equals("jit")) {
      return false;
    }
    if (call.getExpression() == null) {
      return staticJit;
    }
    return call.getExpression() instanceof Name receiver
        && ((transformsVisible && receiver.getFullyQualifiedName().equals("Transforms"))
            || receiver.getFullyQualifiedName().equals(ENGINE + ".Transforms"));
  }

  /** The expression whose value is {@code e}'s: through parentheses and casts. */
  private static Expression outermost(Expression e) {
    Expression out = e;
    while (out.getParent() instanceof ParenthesizedExpression || out.getParent() instanceof CastExpression) {
      out = (Expression) out.getParent();
    }
    return out;
  }

  /**
   * Whether the jitted function {@code value} is used only where it is made: called at once, or
   * kept in a local variable that is only ever called (not passed on, returned, stored).
   */
  private static boolean usedOnlyHere(Expression value) {
    if (value.getLocationInParent() == MethodInvocation.EXPRESSION_PROPERTY) {
      return true;
    }
    VariableDeclaration local = null;
    if (value.getLocationInParent() == VariableDeclarationFragment.INITIALIZER_PROPERTY
        && value.getParent().getParent() instanceof VariableDeclarationStatement) {
      local = (VariableDeclaration) value.getParent();
    } else if (value.getLocationInParent() == Assignment.RIGHT_HAND_SIDE_PROPERTY
        && ((Assignment) value.getParent()).getLeftHandSide() instanceof SimpleName target) {
      local = NameResolver.localByScope(target); // null for a field: kept, not the trap
    }
    return local != null && onlyCalled(local);
  }

  /**
   * Annotations of methods a test runner or harness calls once per run ({@code @Test},
   * {@code @BeforeEach}, JMH's {@code @Setup}...): a jit made there once is not the trap.
   */
  private static final java.util.Set<String> RUN_ONCE = java.util.Set.of("Test", "ParameterizedTest",
      "RepeatedTest", "TestFactory", "TestTemplate", "BeforeEach", "BeforeAll", "AfterEach", "AfterAll",
      "Before", "After", "BeforeClass", "AfterClass", "Setup", "TearDown");

  /**
   * Whether {@code method} may run many times in a program: any method others can call (not
   * private), except {@code main}, constructors and test or setup methods, each of which runs once;
   * a private method when one of its callers in the file may.
   */
  private static boolean runsRepeatedly(MethodDeclaration method,
      Map<MethodDeclaration, List<MethodDeclaration>> callers, java.util.Set<MethodDeclaration> seen) {
    if (!seen.add(method) || method.isConstructor() || isMain(method) || runOnce(method)) {
      return false;
    }
    if (!org.eclipse.jdt.core.dom.Modifier.isPrivate(method.getModifiers())) {
      return true;
    }
    for (MethodDeclaration caller : callers.getOrDefault(method, List.of())) {
      if (runsRepeatedly(caller, callers, seen)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code jit} is in an arm of a {@code switch} in {@code method}: a dispatcher over
   * cases (a test's, a reference harness's by case name), each case its own function and inputs,
   * which retraces for its shapes anyway.
   */
  private static boolean inSwitchArm(ASTNode jit, MethodDeclaration method) {
    ASTNode child = jit;
    for (ASTNode p = jit.getParent(); p != null && p != method; child = p, p = p.getParent()) {
      if ((p instanceof org.eclipse.jdt.core.dom.SwitchStatement
          && child.getLocationInParent() == org.eclipse.jdt.core.dom.SwitchStatement.STATEMENTS_PROPERTY)
          || (p instanceof org.eclipse.jdt.core.dom.SwitchExpression
          && child.getLocationInParent() == org.eclipse.jdt.core.dom.SwitchExpression.STATEMENTS_PROPERTY)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isMain(MethodDeclaration m) {
    return m.getName().getIdentifier().equals("main") && m.parameters().size() == 1
        && org.eclipse.jdt.core.dom.Modifier.isStatic(m.getModifiers());
  }

  private static boolean runOnce(MethodDeclaration m) {
    for (Object modifier : m.modifiers()) {
      if (modifier instanceof org.eclipse.jdt.core.dom.Annotation a
          && RUN_ONCE.contains(a.getTypeName().getFullyQualifiedName()
              .substring(a.getTypeName().getFullyQualifiedName().lastIndexOf('.') + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Every use of the local is the receiver of a call ({@code step.apply(s)}) or an assignment to it. */
  private static boolean onlyCalled(VariableDeclaration local) {
    ASTNode scope = enclosingBody(local);
    if (scope == null) {
      return false;
    }
    String id = local.getName().getIdentifier();
    boolean[] escapes = {false};
    scope.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (escapes[0] || name.isDeclaration() || !name.getIdentifier().equals(id) || !isVariableUse(name)
            || NameResolver.localByScope(name) != local) {
          return false;
        }
        boolean called = name.getLocationInParent() == MethodInvocation.EXPRESSION_PROPERTY;
        boolean assigned = name.getLocationInParent() == Assignment.LEFT_HAND_SIDE_PROPERTY;
        escapes[0] = !called && !assigned;
        return false;
      }
    });
    return !escapes[0];
  }

  /**
   * Whether the jitted function uses a variable declared in {@code scope} (a loop, or a method:
   * its parameters and locals), so each run of the scope jits a different function.
   */
  private static boolean usesNamesOf(MethodInvocation jit, ASTNode scope) {
    boolean[] uses = {false};
    for (Object argument : jit.arguments()) {
      ((ASTNode) argument).accept(new ASTVisitor() {
        @Override
        public boolean visit(SimpleName name) {
          VariableDeclaration d = isVariableUse(name) ? NameResolver.localByScope(name) : null;
          uses[0] |= d != null && Units.within(d, scope) && !Units.within(d, jit);
          return false;
        }
      });
    }
    return uses[0];
  }

  /**
   * A loop over cases written out in the code ({@code for (int n : new int[] {1, 8, 1001})},
   * {@code List.of(x, x.neg())}, an enum's {@code values()}): a test's or a sweep's few cases,
   * each usually of other shapes or dtypes, so a jit made per case retraces anyway.
   */
  private static boolean overWrittenCases(Statement loop) {
    if (!(loop instanceof EnhancedForStatement each)) {
      return false;
    }
    Expression cases = each.getExpression();
    while (cases instanceof ParenthesizedExpression p) {
      cases = p.getExpression();
    }
    if (cases instanceof ArrayCreation array) {
      return array.getInitializer() != null;
    }
    return cases instanceof MethodInvocation call && call.getExpression() instanceof Name owner
        && (call.getName().getIdentifier().equals("values") && call.arguments().isEmpty()
            || CASE_LISTS.contains(owner.getFullyQualifiedName() + "." + call.getName().getIdentifier()));
  }

  private static final java.util.Set<String> CASE_LISTS = java.util.Set.of("List.of", "Set.of", "Arrays.asList",
      "Stream.of", "EnumSet.allOf", "EnumSet.of");

  /** Whether {@code name} may read a variable: not a method's, a member's or a type's name. */
  private static boolean isVariableUse(SimpleName name) {
    var location = name.getLocationInParent();
    return location != MethodInvocation.NAME_PROPERTY && location != ExpressionMethodReference.NAME_PROPERTY
        && location != TypeMethodReference.NAME_PROPERTY && location != SuperMethodReference.NAME_PROPERTY
        && location != FieldAccess.NAME_PROPERTY && location != QualifiedName.NAME_PROPERTY
        && location != SuperMethodInvocation.NAME_PROPERTY && !(name.getParent() instanceof Type);
  }

  /**
   * The loop whose iterations run {@code node}: the innermost loop statement it is in the body,
   * condition or update of, within its method or lambda body; null when none.
   */
  static Statement loopAround(ASTNode node) {
    ASTNode child = node;
    for (ASTNode p = node.getParent(); p != null && !isBodyBoundary(p); child = p, p = p.getParent()) {
      boolean repeated = switch (p) {
        case ForStatement f -> child.getLocationInParent() != ForStatement.INITIALIZERS_PROPERTY;
        case EnhancedForStatement f -> child.getLocationInParent() == EnhancedForStatement.BODY_PROPERTY;
        case WhileStatement w -> true;
        case DoStatement d -> true;
        default -> false;
      };
      if (repeated) {
        return (Statement) p;
      }
    }
    return null;
  }

  private static boolean isBodyBoundary(ASTNode n) {
    return n instanceof MethodDeclaration || n instanceof LambdaExpression || n instanceof Initializer
        || n instanceof AnonymousClassDeclaration || n instanceof AbstractTypeDeclaration;
  }

  /** The method, lambda or initializer {@code node} runs in (null at a field's initializer). */
  private static ASTNode enclosingBody(ASTNode node) {
    for (ASTNode p = node.getParent(); p != null; p = p.getParent()) {
      if (p instanceof MethodDeclaration || p instanceof LambdaExpression || p instanceof Initializer) {
        return p;
      }
      if (p instanceof AnonymousClassDeclaration || p instanceof AbstractTypeDeclaration) {
        return null;
      }
    }
    return null;
  }

  /**
   * {@code var step = jit(f);} as a statement of the loop's body block (its {@code f} uses nothing
   * the loop declares: such jits are not reported): it can move before the loop.
   */
  private static VariableDeclarationStatement hoistable(Expression value, Statement loop) {
    if (value.getLocationInParent() != VariableDeclarationFragment.INITIALIZER_PROPERTY
        || !(value.getParent().getParent() instanceof VariableDeclarationStatement declaration)
        || declaration.fragments().size() != 1 || !(declaration.getParent() instanceof Block body)
        || !inLoopBodies(body, loop)) {
      return null;
    }
    // before the loop means in the block that holds it, where no other variable may have the name
    Statement placed = placement(loop);
    if (!(placed.getParent() instanceof Block around)) {
      return null;
    }
    String id = ((VariableDeclarationFragment) declaration.fragments().get(0)).getName().getIdentifier();
    boolean[] clash = {false};
    around.accept(new ASTVisitor() {
      @Override
      public boolean visit(VariableDeclarationFragment f) {
        clash[0] |= f != declaration.fragments().get(0) && f.getName().getIdentifier().equals(id);
        return true;
      }

      @Override
      public boolean visit(org.eclipse.jdt.core.dom.SingleVariableDeclaration v) {
        clash[0] |= v.getName().getIdentifier().equals(id);
        return true;
      }
    });
    return clash[0] ? null : declaration;
  }

  /** {@code block} is {@code loop}'s body, or the body of loops nested in it as their bodies. */
  private static boolean inLoopBodies(Block block, Statement loop) {
    ASTNode n = block;
    while (n.getParent() != loop) {
      ASTNode parent = n.getParent();
      boolean loopBody = n.getLocationInParent() == ForStatement.BODY_PROPERTY
          || n.getLocationInParent() == EnhancedForStatement.BODY_PROPERTY
          || n.getLocationInParent() == WhileStatement.BODY_PROPERTY
          || n.getLocationInParent() == DoStatement.BODY_PROPERTY;
      if (!(loopBody || n instanceof Statement && parent instanceof Block) || parent == null) {
        return false;
      }
      n = parent;
    }
    return n.getLocationInParent() != ForStatement.INITIALIZERS_PROPERTY;
  }

  /** The statement a declaration hoisted out of {@code loop} goes before: the loop, or its label. */
  public static Statement placement(Statement loop) {
    Statement placed = loop;
    while (placed.getParent() instanceof org.eclipse.jdt.core.dom.LabeledStatement label) {
      placed = label;
    }
    return placed;
  }

  /**
   * The file's method {@code call} calls: the one of that name taking that many arguments, if
   * unique. {@code members}: each class body's index, made on first use (a scan of every member
   * per call was most of this rule's time in a large class).
   */
  private static MethodDeclaration sameFileMethod(MethodInvocation call, Map<ASTNode, TypeMembers> members) {
    ASTNode type = NameResolver.enclosingTypeNode(call);
    if (!(type instanceof AbstractTypeDeclaration || type instanceof AnonymousClassDeclaration)) {
      return null;
    }
    TypeMembers declared = members.computeIfAbsent(type, TypeMembers::of);
    MethodDeclaration match = null;
    for (MethodDeclaration m : declared.methods(call.getName().getIdentifier())) {
      if (m.parameters().size() == call.arguments().size() && !m.isVarargs()) {
        if (match != null) {
          return null; // overloads by type: not told apart by names
        }
        match = m;
      }
    }
    return match;
  }

  private static String at(String fileName, ASTNode node) {
    return fileName + ":" + Units.line(node);
  }

  private static final String WHY = "each Transforms.jit returns a new jitted function with an empty compile "
      + "cache, so it traces and compiles again every iteration";
  private static final String FIX = "Fix: create the jit once: a field, or before the loop, and call that one "
      + "(values that change go in as arguments).";

  private static String inLoopMessage(String fileName, Statement loop) {
    return "Transforms.jit(...) runs in every iteration of the loop at " + at(fileName, loop) + ": " + WHY + ". "
        + FIX;
  }

  private static String perCallMessage(MethodDeclaration method) {
    String name = method.getName().getIdentifier();
    return "Transforms.jit(...).apply runs on every call of " + name + "(...): the jitted function is "
        + "called once and dropped, and each Transforms.jit returns a new jitted function with an empty compile "
        + "cache, so every call of " + name + " traces and compiles again. Fix: create the jit once, in a field "
        + "(set in the constructor or on first use), and call that one (values that change go in as arguments).";
  }

  private static String inMethodMessage(String fileName, MethodDeclaration method, Statement loop) {
    return "Transforms.jit(...) runs on every call of " + method.getName().getIdentifier() + "(...), which the loop at "
        + at(fileName, loop) + " calls each iteration: " + WHY + ". " + FIX;
  }
}
