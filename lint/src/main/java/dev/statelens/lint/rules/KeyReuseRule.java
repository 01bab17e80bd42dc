package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.Units;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BreakStatement;
import org.eclipse.jdt.core.dom.CatchClause;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.ContinueStatement;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.IfStatement;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.Initializer;
import org.eclipse.jdt.core.dom.LabeledStatement;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.SwitchStatement;
import org.eclipse.jdt.core.dom.SynchronizedStatement;
import org.eclipse.jdt.core.dom.ThrowStatement;
import org.eclipse.jdt.core.dom.TryStatement;
import org.eclipse.jdt.core.dom.Type;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;
import org.eclipse.jdt.core.dom.YieldStatement;

/**
 * SL010: the same PRNG {@code Key} drawn from twice — JAX's "never reuse a key". Unlike the other
 * rules it looks at every method and lambda body of a file, transformed or not (reuse is wrong in
 * eager code too), so it is a syntactic pass over one file rather than a {@link RuleCheck} over a
 * transform call's effects; the {@code Linter} runs it on each analyzed file.
 *
 * <p>Intraprocedural and by names: a local or parameter declared as the engine's {@code Key}
 * (or {@code var k = Random.key/foldIn(...)}) passed as the key of two consuming calls
 * ({@code Random.*} samplers and {@code split}, {@code Nn.dropout}, {@code initializer.init})
 * on one path with no assignment between, or consumed in a loop body (Java loops, and lambdas
 * given to {@code Lax.forI/scan/whileLoop}) that does not reassign it. {@code foldIn} derives a
 * key and is not a use. The two arms of an if/else or {@code ?:} are separate paths. Whatever it
 * cannot follow (fields, keys passed to user methods, untyped lambda parameters) is not reported.
 */
public final class KeyReuseRule {

  /** A reuse: where (the second consuming call) and the message. */
  public record Reuse(ASTNode at, String message) {}

  private static final String ENGINE = "dev.statelens.engine";
  /** {@code Random} functions that take a key without drawing from it. */
  private static final Set<String> NOT_CONSUMING = Set.of("foldIn", "key");
  /** {@code Init} factories whose initializers do not draw from the key. */
  private static final Set<String> CONSTANT_INITIALIZERS = Set.of("zeros", "ones", "constant");
  private static final Set<String> LAX_LOOPS = Set.of("forI", "scan", "whileLoop");

  private KeyReuseRule() {}

  /** The reuses in one file, in source order. */
  public static List<Reuse> find(CompilationUnit cu) {
    Imports imports = Imports.of(cu);
    if (!imports.key) {
      return List.of(); // the engine's Key is not imported (a fully qualified Key alone is not followed)
    }
    List<Reuse> found = new ArrayList<>();
    cu.accept(new ASTVisitor() {
      @Override
      public boolean visit(MethodDeclaration m) {
        if (m.getBody() != null) {
          new Body(cu, imports, found).run(m.parameters(), m.getBody());
        }
        return true; // lambdas and local classes inside are bodies of their own
      }

      @Override
      public boolean visit(LambdaExpression l) {
        new Body(cu, imports, found).run(l.parameters(), l.getBody());
        return true;
      }

      @Override
      public boolean visit(Initializer i) {
        new Body(cu, imports, found).run(List.of(), i.getBody());
        return true;
      }
    });
    found.sort(java.util.Comparator.comparingInt(r -> r.at().getStartPosition()));
    return found;
  }

  /**
   * Which engine names the file sees: {@code Key}, {@code Random}, {@code Nn}, {@code Lax}, and
   * whether a bare call can be a statically imported {@code Random} member. Read from the file's
   * imports ({@link Units.Imports}): a simple name is the engine's when imported from it, or when the
   * file imports (or is in) the engine package and no other import claims the name.
   */
  private record Imports(boolean key, boolean random, boolean nn, boolean lax, Units.Imports file) {

    static Imports of(CompilationUnit cu) {
      Units.Imports file = Units.Imports.of(cu);
      boolean inEngine = file.packageName().equals(ENGINE);
      return new Imports(visible(file, inEngine, "Key"), visible(file, inEngine, "Random"),
          visible(file, inEngine, "Nn"), visible(file, inEngine, "Lax"), file);
    }

    private static boolean visible(Units.Imports file, boolean inEngine, String simple) {
      String imported = file.qualify(simple);
      return imported != null ? imported.equals(ENGINE + "." + simple)
          : inEngine || file.importsOnDemand(ENGINE);
    }

    /** {@code normal(key, ...)} with {@code import static dev.statelens.engine.Random.normal} (or {@code .*}). */
    boolean staticRandom(String member) {
      String random = ENGINE + ".Random";
      return random.equals(file.staticOwner(member)) || file.staticWildcardOwners().contains(random);
    }
  }

  /** One method, lambda or initializer body: its Key variables and where each was last drawn from. */
  private static final class Body {
    private final CompilationUnit cu;
    private final Imports imports;
    private final List<Reuse> found;
    private final Set<String> keys = new HashSet<>();
    /** Key name -> the consuming call since its last assignment, on the current path. */
    private Map<String, MethodInvocation> used = new HashMap<>();
    /** The names each enclosing loop body assigns or declares, innermost first. */
    private final Deque<LoopScope> loops = new ArrayDeque<>();
    /** The current path ended (return, throw, break, continue). */
    private boolean ended;

    private record LoopScope(Statement loop, Set<String> assigned) {}

    Body(CompilationUnit cu, Imports imports, List<Reuse> found) {
      this.cu = cu;
      this.imports = imports;
      this.found = found;
    }

    void run(List<?> parameters, ASTNode body) {
      for (Object p : parameters) {
        if (p instanceof SingleVariableDeclaration d && isKeyType(d.getType())) {
          keys.add(d.getName().getIdentifier());
        }
      }
      collectDeclarations(body);
      if (keys.isEmpty()) {
        return;
      }
      if (body instanceof Statement s) {
        statement(s);
      } else if (body instanceof Expression e) {
        expression(e);
      }
    }

    // ---- which names are keys

    private void collectDeclarations(ASTNode body) {
      body.accept(new ASTVisitor() {
        @Override
        public boolean visit(LambdaExpression node) {
          return false;
        }

        @Override
        public boolean visit(AnonymousClassDeclaration node) {
          return false;
        }

        @Override
        public boolean visit(TypeDeclarationStatement node) {
          return false;
        }

        @Override
        public boolean visit(VariableDeclarationStatement node) {
          addKeys(node.getType(), node.fragments());
          return true;
        }

        @Override
        public boolean visit(VariableDeclarationExpression node) {
          addKeys(node.getType(), node.fragments());
          return true;
        }

        @Override
        public boolean visit(SingleVariableDeclaration node) {
          if (isKeyType(node.getType())) {
            keys.add(node.getName().getIdentifier());
          }
          return true;
        }
      });
    }

    private void addKeys(Type type, List<?> fragments) {
      for (Object o : fragments) {
        VariableDeclarationFragment f = (VariableDeclarationFragment) o;
        if (isKeyType(type) || (type.isVar() && makesKey(f.getInitializer()))) {
          keys.add(f.getName().getIdentifier());
        }
      }
    }

    private boolean isKeyType(Type type) {
      String name = type.toString();
      return (name.equals("Key") && imports.key) || name.equals(ENGINE + ".Key");
    }

    /** {@code Random.key(...)}, {@code Random.foldIn(...)}, {@code Random.split(...).first()}. */
    private boolean makesKey(Expression init) {
      if (!(init instanceof MethodInvocation mi)) {
        return false;
      }
      String name = mi.getName().getIdentifier();
      if (onRandom(mi)) {
        return name.equals("key") || name.equals("foldIn");
      }
      return (name.equals("first") || name.equals("second"))
          && mi.getExpression() instanceof MethodInvocation inner && onRandom(inner)
          && inner.getName().getIdentifier().equals("split") && inner.arguments().size() == 1;
    }

    // ---- statements

    private void statement(Statement s) {
      if (ended) {
        return; // unreachable on this path
      }
      switch (s) {
        case Block b -> b.statements().forEach(o -> statement((Statement) o));
        case ExpressionStatement e -> expression(e.getExpression());
        case VariableDeclarationStatement d -> declare(d.fragments());
        case IfStatement i -> {
          expression(i.getExpression());
          Map<String, MethodInvocation> before = new HashMap<>(used);
          statement(i.getThenStatement());
          Arm then = arm(before);
          if (i.getElseStatement() != null) {
            statement(i.getElseStatement());
          }
          join(List.of(then, arm(before)), before);
        }
        case ForStatement f -> {
          f.initializers().forEach(o -> expression((Expression) o));
          if (f.getExpression() != null) {
            expression(f.getExpression());
          }
          loop(f, f.getBody(), f.updaters());
        }
        case EnhancedForStatement f -> {
          expression(f.getExpression());
          used.remove(f.getParameter().getName().getIdentifier());
          loop(f, f.getBody(), List.of(f.getParameter()));
        }
        case WhileStatement w -> {
          expression(w.getExpression());
          loop(w, w.getBody(), List.of());
        }
        case DoStatement d -> {
          loop(d, d.getBody(), List.of(d.getExpression()));
        }
        case ReturnStatement r -> {
          if (r.getExpression() != null) {
            expression(r.getExpression());
          }
          ended = true;
        }
        case ThrowStatement t -> {
          expression(t.getExpression());
          ended = true;
        }
        case YieldStatement y -> {
          expression(y.getExpression());
          ended = true;
        }
        case BreakStatement b -> ended = true;
        case ContinueStatement c -> ended = true;
        case SynchronizedStatement sync -> {
          expression(sync.getExpression());
          statement(sync.getBody());
        }
        case LabeledStatement l -> statement(l.getBody());
        case TryStatement t -> tryStatement(t);
        case SwitchStatement sw -> switchStatement(sw);
        default -> { } // local classes, asserts, empty statements: nothing to follow
      }
    }

    private void declare(List<?> fragments) {
      for (Object o : fragments) {
        VariableDeclaration f = (VariableDeclaration) o;
        if (f.getInitializer() != null) {
          expression(f.getInitializer());
        }
        used.remove(f.getName().getIdentifier()); // a new variable, nothing drawn from it yet
      }
    }

    /** The state at the end of one arm (null: the arm ended), then resets to {@code before}. */
    private record Arm(Map<String, MethodInvocation> used) {}

    private Arm arm(Map<String, MethodInvocation> before) {
      Arm arm = new Arm(ended ? null : used);
      used = new HashMap<>(before);
      ended = false;
      return arm;
    }

    /**
     * After a branch: a key is used if it was used on any arm that goes on (a later draw reuses
     * it on that path); the path ends if every arm ended.
     */
    private void join(List<Arm> arms, Map<String, MethodInvocation> before) {
      Map<String, MethodInvocation> joined = new HashMap<>();
      boolean any = false;
      for (Arm a : arms) {
        if (a.used() != null) {
          any = true;
          a.used().forEach(joined::putIfAbsent);
        }
      }
      used = any ? joined : new HashMap<>(before);
      ended = !any;
    }

    /** @param updaters what runs with each iteration besides the body (a for-each's variable) */
    private void loop(Statement loop, Statement body, List<?> updaters) {
      Set<String> assigned = assignedIn(body);
      for (Object u : updaters) {
        assigned.addAll(assignedIn((ASTNode) u));
      }
      Map<String, MethodInvocation> before = new HashMap<>(used);
      loops.push(new LoopScope(loop, assigned));
      statement(body);
      ended = false; // break/continue end the iteration, not the code after the loop
      updaters.stream().filter(Expression.class::isInstance)
          .forEach(o -> expression((Expression) o));
      loops.pop();
      // the body may run zero times: used before the loop, or on the way out of it
      before.forEach(used::putIfAbsent);
      ended = false;
    }

    private void tryStatement(TryStatement t) {
      t.resources().forEach(o -> expression((Expression) o));
      Map<String, MethodInvocation> before = new HashMap<>(used);
      statement(t.getBody());
      List<Arm> arms = new ArrayList<>();
      arms.add(arm(before));
      for (Object o : t.catchClauses()) {
        statement(((CatchClause) o).getBody());
        arms.add(arm(before));
      }
      join(arms, before);
      if (t.getFinally() != null) {
        boolean wasEnded = ended;
        ended = false;
        statement(t.getFinally());
        ended |= wasEnded;
      }
    }

    private void switchStatement(SwitchStatement sw) {
      expression(sw.getExpression());
      Map<String, MethodInvocation> before = new HashMap<>(used);
      List<Arm> arms = new ArrayList<>();
      boolean defaultCase = false;
      for (Object o : sw.statements()) {
        if (o instanceof org.eclipse.jdt.core.dom.SwitchCase c) {
          defaultCase |= c.isDefault();
          // each case label starts a new path (fall-through is rare and not followed)
          arms.add(arm(before));
        } else {
          statement((Statement) o);
        }
      }
      arms.add(arm(before));
      if (!defaultCase) {
        arms.add(new Arm(new HashMap<>(before)));
      }
      join(arms.subList(1, arms.size()), before);
    }

    // ---- expressions, in evaluation order

    private void expression(Expression e) {
      e.accept(new ASTVisitor() {
        @Override
        public boolean visit(LambdaExpression node) {
          return false; // runs later, if at all: a body of its own
        }

        @Override
        public boolean visit(AnonymousClassDeclaration node) {
          return false;
        }

        @Override
        public boolean visit(org.eclipse.jdt.core.dom.SwitchExpression node) {
          return false; // not followed: its arms are paths of their own
        }

        @Override
        public boolean visit(ConditionalExpression node) {
          expression(node.getExpression());
          Map<String, MethodInvocation> before = new HashMap<>(used);
          expression(node.getThenExpression());
          Arm then = arm(before);
          expression(node.getElseExpression());
          join(List.of(then, arm(before)), before);
          return false;
        }

        @Override
        public boolean visit(InfixExpression node) {
          InfixExpression.Operator op = node.getOperator();
          if (op != InfixExpression.Operator.CONDITIONAL_AND
              && op != InfixExpression.Operator.CONDITIONAL_OR) {
            return true;
          }
          expression(node.getLeftOperand());
          List<Expression> rest = new ArrayList<>();
          rest.add(node.getRightOperand());
          node.extendedOperands().forEach(o -> rest.add((Expression) o));
          for (Expression r : rest) { // may not run: used after it only if used before it
            Map<String, MethodInvocation> before = new HashMap<>(used);
            expression(r);
            join(List.of(arm(before), new Arm(before)), before);
          }
          return false;
        }

        @Override
        public boolean visit(Assignment node) {
          expression(node.getRightHandSide());
          if (node.getLeftHandSide() instanceof SimpleName n) {
            used.remove(n.getIdentifier());
          } else {
            expression(node.getLeftHandSide());
          }
          return false;
        }

        @Override
        public boolean visit(VariableDeclarationExpression node) {
          declare(node.fragments());
          return false;
        }

        @Override
        public boolean visit(MethodInvocation node) {
          if (node.getExpression() != null) {
            expression(node.getExpression());
          }
          node.arguments().forEach(o -> expression((Expression) o));
          consumed(node);
          laxLoopBodies(node);
          return false;
        }
      });
    }

    // ---- consuming calls

    /** The key variable {@code call} draws from, or null. */
    private String consumedKey(MethodInvocation call) {
      if (call.arguments().isEmpty() || !(call.arguments().get(0) instanceof SimpleName arg)
          || !keys.contains(arg.getIdentifier())) {
        return null;
      }
      String name = call.getName().getIdentifier();
      boolean consuming = (onRandom(call) && !NOT_CONSUMING.contains(name))
          || (on(call, "Nn", imports.nn) && name.equals("dropout"))
          || (call.getExpression() != null && name.equals("init") && drawsOnInit(call))
          || (call.getExpression() == null && !NOT_CONSUMING.contains(name)
              && imports.staticRandom(name));
      return consuming ? arg.getIdentifier() : null;
    }

    private void consumed(MethodInvocation call) {
      String key = consumedKey(call);
      if (key == null) {
        return;
      }
      MethodInvocation before = used.get(key);
      if (before != null) {
        found.add(new Reuse(call, reuseMessage(key, before, call)));
      } else {
        for (LoopScope loop : loops) {
          if (!loop.assigned().contains(key)) {
            found.add(new Reuse(call, loopMessage(key, call, "the loop at line "
                + line(loop.loop()))));
            break;
          }
        }
      }
      used.put(key, call);
    }

    /**
     * {@code Lax.forI(0, n, (i, c) -> ... Random.normal(key, ...))}: a key captured from this
     * body is drawn from on every step (a captured local cannot be reassigned there).
     */
    private void laxLoopBodies(MethodInvocation call) {
      if (!on(call, "Lax", imports.lax) || !LAX_LOOPS.contains(call.getName().getIdentifier())) {
        return;
      }
      for (Object o : call.arguments()) {
        if (!(o instanceof LambdaExpression lambda)) {
          continue;
        }
        Set<String> own = new HashSet<>();
        lambda.accept(new ASTVisitor() {
          @Override
          public boolean visit(SingleVariableDeclaration node) {
            own.add(node.getName().getIdentifier());
            return true;
          }

          @Override
          public boolean visit(VariableDeclarationFragment node) {
            own.add(node.getName().getIdentifier());
            return true;
          }
        });
        lambda.getBody().accept(new ASTVisitor() {
          @Override
          public boolean visit(LambdaExpression node) {
            return false;
          }

          @Override
          public boolean visit(MethodInvocation node) {
            String key = consumedKey(node);
            if (key != null && !own.contains(key)) {
              found.add(new Reuse(node, loopMessage(key, node,
                  "the body of Lax." + call.getName().getIdentifier() + " at line " + line(call))));
            }
            return true;
          }
        });
      }
    }

    /** {@code Init.zeros().init(key, ...)} and the other constant initializers ignore the key. */
    private static boolean drawsOnInit(MethodInvocation init) {
      return !(init.getExpression() instanceof MethodInvocation factory
          && factory.getExpression() instanceof Name owner
          && (owner.getFullyQualifiedName().equals("Init")
              || owner.getFullyQualifiedName().equals(ENGINE + ".Init"))
          && CONSTANT_INITIALIZERS.contains(factory.getName().getIdentifier()));
    }

    private boolean onRandom(MethodInvocation call) {
      return on(call, "Random", imports.random);
    }

    /** A static call on the engine's {@code simple} class ({@code Random.normal}). */
    private static boolean on(MethodInvocation call, String simple, boolean visible) {
      if (!(call.getExpression() instanceof Name receiver)) {
        return false;
      }
      String name = receiver.getFullyQualifiedName();
      return (visible && name.equals(simple)) || name.equals(ENGINE + "." + simple);
    }

    private Set<String> assignedIn(ASTNode node) {
      Set<String> names = new HashSet<>();
      node.accept(new ASTVisitor() {
        @Override
        public boolean visit(Assignment a) {
          if (a.getLeftHandSide() instanceof SimpleName n) {
            names.add(n.getIdentifier());
          }
          return true;
        }

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
      return names;
    }

    // ---- messages

    private String reuseMessage(String key, MethodInvocation first, MethodInvocation second) {
      return "Key '" + key + "' is drawn from again by " + callText(second) + " at line "
          + line(second) + " after " + callText(first) + " at line " + line(first)
          + " without being split or reassigned: draws from one key are correlated (often the "
          + "same bits). Fix: split it: var ks = Random.split(" + key + "); " + key
          + " = ks.first(); ... ks.second().";
    }

    private String loopMessage(String key, MethodInvocation call, String where) {
      return "Key '" + key + "' is drawn from by " + callText(call) + " at line " + line(call)
          + " on every iteration of " + where + ", which does not reassign it: every iteration "
          + "gets the same random numbers. Fix: fold in the step: Random.foldIn(" + key
          + ", i), or split and reassign the key each iteration: var ks = Random.split(" + key
          + "); " + key + " = ks.first(); draw with ks.second().";
    }

    private static String callText(MethodInvocation call) {
      String receiver = call.getExpression() == null ? "" : call.getExpression() + ".";
      if (receiver.length() > 24) {
        receiver = "...";
      }
      return receiver + call.getName().getIdentifier() + "(...)";
    }

    private int line(ASTNode node) {
      return cu.getLineNumber(node.getStartPosition());
    }
  }
}
