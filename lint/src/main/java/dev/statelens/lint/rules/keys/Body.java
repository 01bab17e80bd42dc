package dev.statelens.lint.rules.keys;

import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.rules.Snippets;
import dev.statelens.lint.rules.keys.KeyReuseRule.Reuse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.BreakStatement;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.CatchClause;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.ContinueStatement;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionStatement;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.IfStatement;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.LabeledStatement;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;
import org.eclipse.jdt.core.dom.SwitchStatement;
import org.eclipse.jdt.core.dom.SynchronizedStatement;
import org.eclipse.jdt.core.dom.ThrowStatement;
import org.eclipse.jdt.core.dom.TryStatement;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;
import org.eclipse.jdt.core.dom.YieldStatement;

/**
 * One method, lambda or initializer body: its Key variables and where each was last drawn from,
 * followed statement by statement in evaluation order ({@link State} per path, joined after
 * branches, loop bodies twice). Each consuming call ({@link ConsumingCalls}) records its draw on
 * the values the key may hold; a value drawn from before on the path, or in a loop that does not
 * reassign the key, is a {@link Reuse}. Summarizing a method ({@link Summaries}) it records
 * instead which of its parameters are drawn from.
 */
final class Body {
  /** Loops nested deeper than this are followed once: each level doubles the passes below it. */
  private static final int TWO_PASS_DEPTH = 6;

  private final FileScope file;
  private final Imports imports;
  private final SameFileMethods methods;
  private final Messages messages;
  private final List<Reuse> found;
  /** Summarizing a method: its parameter -> the first draw from the caller's key; else null. */
  private final Map<String, ASTNode> drawnParameters;
  private final Set<String> parameters = new HashSet<>();
  private final Set<String> keys = new HashSet<>();
  /** Locals and parameters that keep keys inside (records, lists, arrays). */
  private final Map<String, Container> containers = new HashMap<>();
  /** Container tokens made in this body -> their contents (null: a list or array not followed). */
  private final Map<String, Contents> contents = new HashMap<>();
  private State state = new State(contents);
  /** The names each enclosing loop body assigns or declares, innermost first. */
  private final Deque<LoopScope> loops = new ArrayDeque<>();
  /** The current path ended (return, throw, break, continue). */
  private boolean ended;
  /** Numbers the values assignments make ({@code key#3}). */
  private int madeValues;
  /** The class's Key fields this body follows as keys ({@link FieldKeys}); none when summarizing. */
  private Set<String> fieldKeys = Set.of();
  /** What each call consumes (set by {@link #run}: it needs the body). */
  private ConsumingCalls calls;

  private record LoopScope(Statement loop, Set<String> assigned) {}

  Body(FileScope file, List<Reuse> found, Map<String, ASTNode> drawnParameters) {
    this.file = file;
    this.imports = file.imports;
    this.methods = file.methods;
    this.messages = new Messages(file.cu);
    this.found = found;
    this.drawnParameters = drawnParameters;
  }

  /** Whether this follows a method to summarize it (no reports, no other files). */
  boolean summarizing() {
    return drawnParameters != null;
  }

  /** Follows {@code body}, whose parent declares {@code parameterList}. */
  void run(List<?> parameterList, ASTNode body) {
    calls = new ConsumingCalls(file, this, new Receivers(file, body));
    for (Object p : parameterList) {
      if (p instanceof SingleVariableDeclaration d && imports.isKey(d.getType())) {
        keys.add(d.getName().getIdentifier());
        parameters.add(d.getName().getIdentifier()); // holds its own name's value: the caller's
      }
    }
    for (Object p : parameterList) {
      if (p instanceof SingleVariableDeclaration d && !d.isVarargs()
          && file.holders.record(d.getType()) instanceof Container c) {
        containers.put(d.getName().getIdentifier(), c); // a record given in: immutable
      }
    }
    containers.putAll(file.declaredContainers.computeIfAbsent(body, file.holders::declaredIn));
    keys.addAll(file.declaredKeys.computeIfAbsent(body,
        b -> new KeyDeclarations(file, keys, containers).in(b)));
    if (!summarizing()) { // a summary is about the caller's keys: parameters
      fieldKeys = file.fields.followedIn(body);
      keys.addAll(fieldKeys);
    }
    if (keys.isEmpty() && containers.isEmpty()) {
      return;
    }
    if (body instanceof Statement s) {
      statement(s);
    } else if (body instanceof Expression e) {
      expression(e);
    }
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
        State before = state.copy();
        statement(i.getThenStatement());
        Arm then = arm(before);
        if (i.getElseStatement() != null) {
          statement(i.getElseStatement());
        }
        join(List.of(then, arm(before)), before);
      }
      case ForStatement f -> {
        f.initializers().forEach(o -> expression((Expression) o));
        loop(f, f.getExpression(), f.getBody(), expressions(f.updaters()), null);
      }
      case EnhancedForStatement f -> {
        expression(f.getExpression());
        loop(f, null, f.getBody(), List.of(), f.getParameter().getName().getIdentifier());
      }
      case WhileStatement w -> loop(w, w.getExpression(), w.getBody(), List.of(), null);
      case DoStatement d -> loop(d, null, d.getBody(), List.of(d.getExpression()), null);
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
      case ConstructorInvocation c -> { // this(key, ...): the constructor it runs may draw
        c.arguments().forEach(o -> expression((Expression) o));
        consumed(c);
        renewFields(c);
      }
      case SuperConstructorInvocation c -> {
        if (c.getExpression() != null) {
          expression(c.getExpression());
        }
        c.arguments().forEach(o -> expression((Expression) o));
        consumed(c);
        renewFields(c);
      }
      case TryStatement t -> tryStatement(t);
      case SwitchStatement sw -> switchStatement(sw);
      default -> { } // local classes, asserts, empty statements: nothing to follow
    }
  }

  private static List<Expression> expressions(List<?> nodes) {
    return nodes.stream().map(Expression.class::cast).toList();
  }

  private void declare(List<?> fragments) {
    for (Object o : fragments) {
      VariableDeclaration f = (VariableDeclaration) o;
      if (f.getInitializer() != null) {
        expression(f.getInitializer());
      }
      assign(f.getName().getIdentifier(), f.getInitializer());
    }
  }

  /**
   * {@code name} now holds {@code value}: the value(s) of the key variable it copies, or a new
   * one (nothing drawn from it yet). Only key variables are tracked.
   */
  private void assign(String name, Expression value) {
    if (containers.get(name) instanceof Container c) {
      Set<String> copied = value != null && Syntax.unwrap(value) instanceof SimpleName n
          && containers.containsKey(n.getIdentifier()) ? state.valuesOf(n.getIdentifier()) : null;
      if (copied == null) {
        String token = fresh(name);
        contents.put(token, contentsOf(c, token, value));
        copied = Set.of(token);
      }
      state.hold(name, copied);
      return;
    }
    if (!keys.contains(name)) {
      return;
    }
    Set<String> copied = value == null ? null : copied(name, value);
    state.hold(name, copied != null ? copied : Set.of(fresh(name)));
  }

  /**
   * What a new container value {@code token} holds, made by {@code value}: the keys it was
   * built from by slot ({@code Pair.of(a, b)}, {@code new Params(key, w)}, {@code List.of(a, b)},
   * {@code new Key[] {a, b}}); keys of its own ({@code Random.split(key)}, or any record: its
   * components never change); null for a list or array from elsewhere (not followed).
   */
  private Contents contentsOf(Container c, String token, Expression value) {
    Expression v = value == null ? null : Syntax.unwrap(value);
    List<?> arguments = null;
    List<String> slots = c.components();
    switch (v) {
      case MethodInvocation mi when imports.onRandom(mi) && mi.getName().getIdentifier().equals("split") ->
        arguments = List.of();
      case MethodInvocation mi when Imports.on(mi, "Pair", imports.pair())
          && mi.getName().getIdentifier().equals("of") -> arguments = mi.arguments();
      case MethodInvocation mi when mi.getExpression() instanceof Name owner
          && owner.getFullyQualifiedName().equals("List")
          && mi.getName().getIdentifier().equals("of") -> arguments = mi.arguments();
      case MethodInvocation mi when mi.getExpression() instanceof Name owner
          && owner.getFullyQualifiedName().equals("List")
          && mi.getName().getIdentifier().equals("copyOf") -> arguments = List.of();
      case MethodInvocation mi when c.holder() == Holder.ARRAY
          && mi.getName().getIdentifier().equals("toArray")
          && mi.getExpression() instanceof MethodInvocation split && imports.onRandom(split)
          && split.getName().getIdentifier().equals("split") -> arguments = List.of();
      case ClassInstanceCreation n when c.holder() == Holder.RECORD
          && n.arguments().size() == slots.size() -> arguments = n.arguments();
      case org.eclipse.jdt.core.dom.ArrayCreation a when a.getInitializer() != null ->
        arguments = a.getInitializer().expressions();
      case org.eclipse.jdt.core.dom.ArrayInitializer a -> arguments = a.expressions();
      case null, default -> { }
    }
    if (arguments == null) {
      return c.holder() == Holder.RECORD ? new Contents(Map.of()) : null;
    }
    Map<String, Set<String>> held = new HashMap<>();
    for (int i = 0; i < arguments.size(); i++) {
      String slot = c.holder() == Holder.RECORD ? (i < slots.size() ? slots.get(i) : null)
          : Integer.toString(i);
      KeyRef ref = slot == null ? null : keyRef((Expression) arguments.get(i));
      if (ref != null) {
        held.put(slot, ref.values());
      }
    }
    return new Contents(held);
  }

  /** The values slot {@code slot} of container value {@code token} holds; null: not followed. */
  private Set<String> slot(Container c, String token, String slot) {
    Contents held = state.contents.get(token);
    if (held == null) {
      if (c.holder() != Holder.RECORD || state.contents.containsKey(token)) {
        return null; // a list or array from elsewhere
      }
      held = new Contents(Map.of()); // a record given in, or from elsewhere: its own keys
    }
    return held.slots().getOrDefault(slot, Set.of(token + "/" + slot));
  }

  /**
   * The key an argument passes, when it is one this body follows: a key variable, a key kept
   * in a container ({@code ks.first()}, {@code p.key()}, {@code ks.get(0)}, {@code ks[0]}), or
   * what a method of this file returns unchanged ({@code keep(key)}); else null.
   */
  KeyRef keyRef(Expression e) {
    if (KeyWords.of(e, imports) instanceof KeyWords.Source source) {
      KeyRef key = keyRef(source.key());
      return key == null ? null : new KeyRef(Snippets.code(e), key.root(), source.row() == null
          ? key.values() : rows(key.values(), source.row()), key.field());
    }
    return switch (e) {
      case SimpleName n when keys.contains(n.getIdentifier()) ->
        new KeyRef(n.getIdentifier(), n.getIdentifier(), state.valuesOf(n.getIdentifier()),
            fieldKeys.contains(n.getIdentifier()));
      case FieldAccess f when NameResolver.thisFieldName(f) instanceof String name
          && fieldKeys.contains(name) ->
        new KeyRef(Snippets.code(f), name, state.valuesOf(name), true);
      case ParenthesizedExpression p -> keyRef(p.getExpression());
      case CastExpression c -> keyRef(c.getExpression());
      case MethodInvocation mi -> {
        if (mi.getExpression() instanceof SimpleName n
            && containers.get(n.getIdentifier()) instanceof Container c) {
          yield slotRef(mi, n.getIdentifier(), c, Holders.slotOf(mi, c));
        }
        SameFileMethods.Lookup target = mi.arguments().isEmpty() ? SameFileMethods.Lookup.ELSEWHERE
            : methods.lookup(mi, this::argumentType);
        Integer index = target.method() == null ? null : file.returnsParameter.get(target.method());
        KeyRef given = index == null || index >= mi.arguments().size() ? null
            : keyRef((Expression) mi.arguments().get(index));
        yield given == null ? null : new KeyRef(Snippets.code(mi), given.root(), given.values());
      }
      case ArrayAccess a when a.getArray() instanceof SimpleName n
          && containers.get(n.getIdentifier()) instanceof Container c
          && c.holder() == Holder.ARRAY -> slotRef(a, n.getIdentifier(), c, Syntax.constantIndex(a));
      case null, default -> null;
    };
  }

  /** Row {@code row} of each key array value: a key of its own ({@code Random.splitStacked}). */
  private static Set<String> rows(Set<String> values, String row) {
    Set<String> rows = new LinkedHashSet<>();
    values.forEach(v -> rows.add(v + "/row" + row));
    return rows;
  }

  private KeyRef slotRef(Expression read, String container, Container c, String slot) {
    if (slot == null) {
      return null;
    }
    Set<String> values = new LinkedHashSet<>();
    for (String token : state.valuesOf(container)) {
      Set<String> held = slot(c, token, slot);
      if (held == null) {
        return null;
      }
      values.addAll(held);
    }
    return new KeyRef(Snippets.code(read), container, values);
  }

  /** An argument's type when the text says it: a key, or a literal's ({@link SameFileMethods.ArgumentTypes}). */
  String argumentType(Expression argument) {
    return keyRef(argument) != null ? "Key" : Syntax.literalType(argument);
  }

  private String fresh(String name) {
    return name + "#" + ++madeValues;
  }

  /**
   * The values {@code e} evaluates to when it copies a key variable ({@code key},
   * {@code (Key) key}, {@code c ? key : other}: an arm that is not a key variable gives a new
   * value), else null.
   */
  private Set<String> copied(String name, Expression e) {
    return switch (e) {
      case SimpleName n when keys.contains(n.getIdentifier()) -> state.valuesOf(n.getIdentifier());
      case MethodInvocation mi when keyRef(mi) instanceof KeyRef ref -> ref.values();
      case ArrayAccess a when keyRef(a) instanceof KeyRef ref -> ref.values();
      case FieldAccess f when keyRef(f) instanceof KeyRef ref -> ref.values();
      case ClassInstanceCreation c when keyRef(c) instanceof KeyRef ref -> ref.values();
      case ParenthesizedExpression p -> copied(name, p.getExpression());
      case CastExpression c -> copied(name, c.getExpression());
      case ConditionalExpression c -> {
        Set<String> then = copied(name, c.getThenExpression());
        Set<String> otherwise = copied(name, c.getElseExpression());
        if (then == null && otherwise == null) {
          yield null;
        }
        Set<String> either = new LinkedHashSet<>(then != null ? then : Set.of(fresh(name)));
        either.addAll(otherwise != null ? otherwise : Set.of(fresh(name)));
        yield either;
      }
      default -> null;
    };
  }

  /** The state at the end of one arm (null: the arm ended), then resets to {@code before}. */
  private record Arm(State state) {}

  private Arm arm(State before) {
    Arm arm = new Arm(ended ? null : state);
    state = before.copy();
    ended = false;
    return arm;
  }

  /**
   * After a branch: a key is used if it was used on any arm that goes on (a later draw reuses
   * it on that path); the path ends if every arm ended.
   */
  private void join(List<Arm> arms, State before) {
    State joined = null;
    for (Arm a : arms) {
      if (a.state() != null) {
        if (joined == null) {
          joined = a.state().copy(); // the first arm as it is; the others add what they may hold
        } else {
          joined.add(a.state());
        }
      }
    }
    state = joined != null ? joined : before.copy();
    ended = joined == null;
  }

  /**
   * A loop, followed as two iterations: the second starts from the state the first left, so a
   * key drawn from in one iteration and drawn from (or split) again in the next before being
   * reassigned is found. Paths that {@code continue} are not carried to the next iteration.
   *
   * @param condition checked before each iteration (for, while), or null
   * @param after what runs after the body each iteration (updaters, a do-while's condition)
   * @param eachVariable a for-each's variable, new in each iteration, or null
   */
  private void loop(Statement loop, Expression condition, Statement body, List<Expression> after,
      String eachVariable) {
    Set<String> assigned = file.assignedInLoop.computeIfAbsent(loop, l -> {
      Set<String> names = assignedIn(body);
      after.forEach(e -> names.addAll(assignedIn(e)));
      if (eachVariable != null) {
        names.add(eachVariable);
      }
      return names;
    });
    if (!fieldKeys.isEmpty()) { // a field may also be assigned by the methods the loop calls
      Set<String> renewed = file.fields.renewedIn(body, fieldKeys);
      after.forEach(e -> renewed.addAll(file.fields.renewedIn(e, fieldKeys)));
      if (!renewed.isEmpty()) {
        renewed.addAll(assigned);
        assigned = renewed;
      }
    }
    loops.push(new LoopScope(loop, assigned));
    List<State> leaving = new ArrayList<>(); // the states the loop may be left with
    int passes = loops.size() <= TWO_PASS_DEPTH ? 2 : 1;
    for (int pass = 1; pass <= passes; pass++) {
      if (pass == 2) {
        carriedOver(loop, true);
      }
      if (condition != null) {
        expression(condition);
      }
      leaving.add(state.copy()); // the body may run zero times, or no more
      if (eachVariable != null) {
        assign(eachVariable, null);
      }
      statement(body);
      boolean bodyEnds = ended; // every path breaks, continues, returns or throws
      ended = false; // break/continue end the iteration, not the code after the loop
      after.forEach(this::expression);
      if (bodyEnds) {
        break;
      }
    }
    loops.pop();
    // used on the way out of the last pass, else on an earlier exit
    State out = state;
    for (int i = leaving.size() - 1; i >= 0; i--) {
      out.add(leaving.get(i));
    }
    state = out;
    carriedOver(loop, false);
    ended = false;
  }

  /** Marks (or unmarks) the uses made inside {@code loop} as made by its previous iteration. */
  private void carriedOver(Statement loop, boolean mark) {
    state.used.replaceAll((key, use) -> {
      if (mark && use.carriedOver() == null && Syntax.inside(use.call(), loop)) {
        return new Use(use.call(), use.draw(), loop, use.via(), use.through());
      }
      if (!mark && use.carriedOver() == loop) {
        return new Use(use.call(), use.draw(), null, use.via(), use.through());
      }
      return use;
    });
  }

  private void tryStatement(TryStatement t) {
    t.resources().forEach(o -> expression((Expression) o));
    State before = state.copy();
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
    State before = state.copy();
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
      arms.add(new Arm(before.copy()));
    }
    join(arms.subList(1, arms.size()), before);
  }

  // ---- expressions, in evaluation order

  private void expression(Expression e) {
    e.accept(new Walk(Nested.OWN) { // a lambda runs later, if at all: a body of its own
      @Override
      public boolean visit(LambdaExpression node) {
        if (drawnParameters != null) {
          CapturedKeys.drawnInLambda(node, calls, parameters, drawnParameters);
        }
        return false;
      }

      @Override
      public boolean visit(org.eclipse.jdt.core.dom.SwitchExpression node) {
        return false; // not followed: its arms are paths of their own
      }

      @Override
      public boolean visit(ConditionalExpression node) {
        expression(node.getExpression());
        State before = state.copy();
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
          State before = state.copy();
          expression(r);
          join(List.of(arm(before), new Arm(before)), before);
        }
        return false;
      }

      @Override
      public boolean visit(Assignment node) {
        expression(node.getRightHandSide());
        if (node.getLeftHandSide() instanceof SimpleName n) {
          assign(n.getIdentifier(), node.getOperator() == Assignment.Operator.ASSIGN
              ? node.getRightHandSide() : null);
        } else if (NameResolver.thisFieldName(node.getLeftHandSide()) instanceof String field
            && fieldKeys.contains(field)) { // this.key = ...
          assign(field, node.getOperator() == Assignment.Operator.ASSIGN
              ? node.getRightHandSide() : null);
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
        renewFields(node);
        if (drawnParameters == null) {
          CapturedKeys.perStep(node, calls, messages, imports, found,
              lambda -> fieldKeys.isEmpty() ? Set.of() : file.fields.renewedIn(lambda, fieldKeys));
        }
        return false;
      }

      @Override
      public boolean visit(ClassInstanceCreation node) {
        if (node.getExpression() != null) {
          expression(node.getExpression());
        }
        node.arguments().forEach(o -> expression((Expression) o));
        consumed(node); // new Layer(key, ...): the file's constructor may draw from it
        renewFields(node);
        return false; // an anonymous class body: a body of its own
      }

      @Override
      public void endVisit(SuperMethodInvocation node) {
        renewFields(node); // after its arguments
      }
    });
  }

  /** After {@code call}: the followed fields it may have assigned hold new keys. */
  private void renewFields(ASTNode call) {
    if (fieldKeys.isEmpty()) {
      return;
    }
    for (String field : file.fields.renewedBy(call, fieldKeys)) {
      state.hold(field, Set.of(fresh(field)));
    }
  }

  // ---- consuming calls

  /** The key argument {@code index} of {@code call} passes, when it is one this body follows. */
  KeyRef keyArgument(ASTNode call, int index) {
    List<?> arguments = Syntax.arguments(call);
    return index < arguments.size() ? keyRef((Expression) arguments.get(index)) : null;
  }

  private void consumed(ASTNode call) {
    for (Draw d : calls.draws(call)) {
      KeyRef key = d.ref();
      Set<String> held = key.values();
      Use before = null;
      for (String value : held) {
        if (drawnParameters != null && parameters.contains(value)) {
          drawnParameters.putIfAbsent(value, d.use().draw()); // the caller's key, maybe copied
        }
        Use earlier = state.used.put(value, d.use());
        if (before == null) {
          before = earlier;
        }
      }
      if (drawnParameters == null) { // summarizing asks only which parameters are drawn from
        report(call, key, before, d.use());
      }
    }
  }

  /** {@code use} of {@code key} by {@code call}, after {@code before} (or null) on this path. */
  private void report(ASTNode call, KeyRef key, Use before, Use use) {
    if (before != null) {
      found.add(new Reuse(call, messages.reuse(key, before, use), key.text(), before.call(), null,
          use.through() != null || before.through() != null));
      return;
    }
    for (LoopScope loop : loops) {
      if (!loop.assigned().contains(key.root())) {
        found.add(new Reuse(call, messages.loop(key, use,
            "the loop at line " + messages.line(loop.loop())), key.text(), null, loop.loop(),
            use.through() != null));
        return;
      }
    }
  }

  private Set<String> assignedIn(ASTNode node) {
    Set<String> names = new HashSet<>();
    node.accept(new Walk(Nested.ALL) {
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
}
