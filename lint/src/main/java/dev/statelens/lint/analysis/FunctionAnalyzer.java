package dev.statelens.lint.analysis;

import dev.statelens.lint.CallFrame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.Annotation;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.ArrayAccess;
import org.eclipse.jdt.core.dom.ArrayCreation;
import org.eclipse.jdt.core.dom.ArrayInitializer;
import org.eclipse.jdt.core.dom.Assignment;
import org.eclipse.jdt.core.dom.BooleanLiteral;
import org.eclipse.jdt.core.dom.CastExpression;
import org.eclipse.jdt.core.dom.CharacterLiteral;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ConditionalExpression;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ExpressionMethodReference;
import org.eclipse.jdt.core.dom.FieldAccess;
import org.eclipse.jdt.core.dom.FieldDeclaration;
import org.eclipse.jdt.core.dom.InfixExpression;
import org.eclipse.jdt.core.dom.InstanceofExpression;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.MethodReference;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.NullLiteral;
import org.eclipse.jdt.core.dom.NumberLiteral;
import org.eclipse.jdt.core.dom.ParenthesizedExpression;
import org.eclipse.jdt.core.dom.PatternInstanceofExpression;
import org.eclipse.jdt.core.dom.PostfixExpression;
import org.eclipse.jdt.core.dom.PrefixExpression;
import org.eclipse.jdt.core.dom.QualifiedName;
import org.eclipse.jdt.core.dom.RecordDeclaration;
import org.eclipse.jdt.core.dom.ReturnStatement;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.StringLiteral;
import org.eclipse.jdt.core.dom.SuperFieldAccess;
import org.eclipse.jdt.core.dom.SuperMethodInvocation;
import org.eclipse.jdt.core.dom.TextBlock;
import org.eclipse.jdt.core.dom.ThisExpression;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;
import org.eclipse.jdt.core.dom.TypeLiteral;
import org.eclipse.jdt.core.dom.TypeMethodReference;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;

/**
 * Walks the function of one transform call and everything it calls in the analyzed sources,
 * tracking which values are traced (derived from the function's parameters) and which objects
 * come from outside, and reports each {@link Effect} to a sink.
 *
 * <p>Per function the analysis is flow-insensitive over locals (facts only grow), iterated to a
 * fixpoint with reporting off, then walked once more with reporting on. Callees are analyzed per
 * calling context (facts of the arguments and of the receiver) and memoized; recursion gets a
 * conservative answer instead of looping.
 */
public final class FunctionAnalyzer {

  private static final int MAX_CALL_DEPTH = 16;
  private static final int MAX_FIXPOINT_ROUNDS = 4;

  /** Accessors returning part of the receiver: an outer receiver gives an outer result. */
  private static final Set<String> PART_ACCESSORS = Set.of(
      "get", "getFirst", "getLast", "peek", "peekFirst", "peekLast", "element", "iterator",
      "listIterator", "values", "keySet", "entrySet", "subList", "getValue", "getKey",
      "firstEntry", "lastEntry", "headMap", "tailMap", "first", "last", "floor", "ceiling");

  private final NameResolver names;
  private final CallResolver calls;
  private final TransformSite site;
  private final Consumer<Effect> sink;
  private final Map<Key, Facts> summaries = new HashMap<>();
  private final Set<Key> inProgress = new HashSet<>();
  private final Map<MethodDeclaration, Body> bodies = new java.util.IdentityHashMap<>();

  private record Key(ASTNode owner, List<Facts> params, Origin thisOrigin, boolean emit) {}

  public FunctionAnalyzer(NameResolver names, CallResolver calls, TransformSite site, Consumer<Effect> sink) {
    this.names = names;
    this.calls = calls;
    this.site = site;
    this.sink = sink;
  }

  /** Analyzes the transformed function: every parameter is traced and comes from outside. */
  public void analyzeEntry(Body body, Origin thisOrigin) {
    List<Facts> params = new ArrayList<>();
    for (VariableDeclaration param : body.params()) {
      params.add(new Facts(isTraceable(names.typeOfDeclaration(param)), Origin.OUTER));
    }
    Context context = new Context(site, body.description(), true, List.of(site.frame()),
        Units.fileOf(body.owner()));
    analyze(body, params, thisOrigin, context, true, 0);
  }

  /**
   * The lambdas and methods this analysis walked (the entry and every callee followed), so that a
   * later re-analysis knows which code its findings depend on.
   */
  public Set<ASTNode> analyzedCode() {
    Set<ASTNode> owners = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Key key : summaries.keySet()) {
      owners.add(key.owner());
    }
    for (Key key : inProgress) {
      owners.add(key.owner());
    }
    return owners;
  }

  private Facts analyze(Body body, List<Facts> params, Origin thisOrigin, Context context,
      boolean emit, int depth) {
    Key key = new Key(body.owner(), List.copyOf(params), thisOrigin, emit);
    Facts cached = summaries.get(key);
    if (cached != null) {
      return cached;
    }
    Key running = new Key(body.owner(), key.params(), thisOrigin, false);
    if (!inProgress.add(running)) {
      return conservative(params);
    }
    try {
      Walker walker = new Walker(body, params, thisOrigin, context, depth);
      for (int round = 0; round < MAX_FIXPOINT_ROUNDS; round++) {
        walker.changed = false;
        walker.run(false);
        if (!walker.changed) {
          break;
        }
      }
      if (emit) {
        walker.run(true);
      }
      Facts result = walker.returns == null ? Facts.UNKNOWN : walker.returns;
      summaries.put(key, result);
      return result;
    } finally {
      inProgress.remove(running);
    }
  }

  /**
   * Whether an argument of this type becomes a tracer: arrays and pytrees of them do; strings,
   * primitives and their boxes are passed through unchanged (e.g. vmap's unmapped arguments).
   * Unknown types count as traceable.
   */
  private static boolean isTraceable(TypeRef type) {
    if (type == null) {
      return true;
    }
    String name = type.qualifiedName() != null ? type.qualifiedName() : type.simpleName();
    return !NON_TRACEABLE.contains(name);
  }

  private static final Set<String> NON_TRACEABLE = Set.of("int", "long", "float", "double",
      "boolean", "short", "byte", "char", "String", "java.lang.String", "java.lang.Integer",
      "java.lang.Long", "java.lang.Float", "java.lang.Double", "java.lang.Boolean",
      "java.lang.Short", "java.lang.Byte", "java.lang.Character", "Integer", "Long", "Float",
      "Double", "Boolean");

  private static Facts conservative(List<Facts> params) {
    boolean traced = params.stream().anyMatch(Facts::traced);
    return new Facts(traced, Origin.UNKNOWN);
  }

  /** One function's walk: its locals' facts and what it returns. */
  private final class Walker {
    private final Body body;
    private final List<Facts> params;
    private final Origin thisOrigin;
    private final Context context;
    private final int depth;
    private final Map<VariableDeclaration, Facts> locals = new HashMap<>();
    private boolean emit;
    private boolean changed;
    private Facts returns;
    /** Inside a lambda or anonymous class nested in the function: its returns are not ours. */
    private int nested;

    Walker(Body body, List<Facts> params, Origin thisOrigin, Context context, int depth) {
      this.body = body;
      this.params = params;
      this.thisOrigin = thisOrigin;
      this.context = context;
      this.depth = depth;
    }

    void run(boolean emitEffects) {
      this.emit = emitEffects;
      this.returns = null;
      this.nested = 0;
      for (int i = 0; i < body.params().size() && i < params.size(); i++) {
        locals.merge(body.params().get(i), params.get(i), Facts::join);
      }
      if (body.code() instanceof Expression expression) {
        returns = eval(expression);
      } else {
        walk(body.code());
      }
    }

    private void report(Effect effect) {
      if (emit) {
        sink.accept(effect);
      }
    }

    // ------------------------------------------------------------ statements

    private void walk(ASTNode statement) {
      statement.accept(new ASTVisitor() {
        @Override
        public boolean preVisit2(ASTNode node) {
          if (node instanceof Expression expression) {
            Facts value = eval(expression);
            if (isControlFlowCondition(expression)) {
              report(new Effect.Condition(expression, context, value));
            }
            return false;
          }
          return true;
        }

        @Override
        public boolean visit(VariableDeclarationFragment fragment) {
          if (fragment.getInitializer() != null) {
            assignLocal(fragment, eval(fragment.getInitializer()));
          }
          return false;
        }

        @Override
        public boolean visit(EnhancedForStatement loop) {
          Facts iterable = eval(loop.getExpression());
          assignLocal(loop.getParameter(), iterable);
          loop.getBody().accept(this);
          return false;
        }

        @Override
        public boolean visit(ReturnStatement ret) {
          if (ret.getExpression() != null) {
            Facts value = eval(ret.getExpression());
            if (nested == 0) {
              returns = returns == null ? value : returns.join(value);
            }
          }
          return false;
        }

        @Override
        public boolean visit(TypeDeclarationStatement local) {
          return false; // local classes run only when instantiated; `new` follows them
        }

        @Override
        public boolean visit(SingleVariableDeclaration declaration) {
          return false;
        }
      });
    }

    private void assignLocal(VariableDeclaration declaration, Facts facts) {
      Facts old = locals.get(declaration);
      Facts updated = old == null ? facts : old.join(facts);
      if (!updated.equals(old)) {
        locals.put(declaration, updated);
        changed = true;
      }
    }

    // ------------------------------------------------------------ expressions

    private Facts eval(Expression e) {
      return switch (e) {
        case null -> Facts.CONSTANT;
        case Annotation a -> Facts.CONSTANT;
        case NumberLiteral l -> Facts.CONSTANT;
        case StringLiteral l -> Facts.CONSTANT;
        case CharacterLiteral l -> Facts.CONSTANT;
        case BooleanLiteral l -> Facts.CONSTANT;
        case NullLiteral l -> Facts.CONSTANT;
        case TextBlock l -> Facts.CONSTANT;
        case TypeLiteral l -> Facts.CONSTANT;
        case SimpleName n -> evalName(n);
        case QualifiedName q -> evalQualified(q);
        case ThisExpression t -> new Facts(false, thisOriginOf(t));
        case FieldAccess fa -> evalFieldAccess(fa);
        case SuperFieldAccess sfa -> {
          FieldInfo field = names.fieldOf(sfa);
          if (field != null) {
            report(new Effect.FieldRead(sfa, context, field, thisOrigin));
          }
          yield new Facts(false, thisOrigin);
        }
        case ParenthesizedExpression p -> eval(p.getExpression());
        case CastExpression c -> eval(c.getExpression());
        case Assignment a -> evalAssignment(a);
        case PrefixExpression p -> {
          Facts operand = eval(p.getOperand());
          if (p.getOperator() == PrefixExpression.Operator.INCREMENT
              || p.getOperator() == PrefixExpression.Operator.DECREMENT) {
            write(p.getOperand(), operand, p);
          }
          yield new Facts(operand.traced(), Origin.FRESH);
        }
        case PostfixExpression p -> {
          Facts operand = eval(p.getOperand());
          write(p.getOperand(), operand, p);
          yield new Facts(operand.traced(), Origin.FRESH);
        }
        case InfixExpression i -> {
          boolean traced = eval(i.getLeftOperand()).traced() | eval(i.getRightOperand()).traced();
          for (Object extra : i.extendedOperands()) {
            traced |= eval((Expression) extra).traced();
          }
          yield new Facts(traced, Origin.FRESH);
        }
        case InstanceofExpression i -> {
          eval(i.getLeftOperand());
          yield Facts.CONSTANT;
        }
        case PatternInstanceofExpression i -> {
          Facts left = eval(i.getLeftOperand());
          if (i.getPattern() instanceof org.eclipse.jdt.core.dom.TypePattern tp) {
            assignLocal(tp.getPatternVariable(), left);
          }
          yield Facts.CONSTANT;
        }
        case ConditionalExpression c -> {
          report(new Effect.Condition(c.getExpression(), context, eval(c.getExpression())));
          yield eval(c.getThenExpression()).join(eval(c.getElseExpression()));
        }
        case ArrayAccess a -> {
          Facts array = eval(a.getArray());
          eval(a.getIndex());
          yield array;
        }
        case ArrayCreation a -> {
          for (Object dim : a.dimensions()) {
            eval((Expression) dim);
          }
          Facts init = a.getInitializer() == null ? Facts.CONSTANT : eval(a.getInitializer());
          yield new Facts(init.traced(), Origin.FRESH);
        }
        case ArrayInitializer a -> {
          boolean traced = false;
          for (Object element : a.expressions()) {
            traced |= eval((Expression) element).traced();
          }
          yield new Facts(traced, Origin.FRESH);
        }
        case ClassInstanceCreation c -> evalCreation(c);
        case MethodInvocation m -> evalCall(m);
        case SuperMethodInvocation s -> evalSuperCall(s);
        case LambdaExpression l -> {
          walkNestedLambda(l, true);
          yield Facts.CONSTANT;
        }
        case MethodReference r -> {
          followReference(r, true);
          yield Facts.CONSTANT;
        }
        default -> evalChildren(e);
      };
    }

    /** Switch expressions and other rare forms: evaluate what is inside, join the traced flag. */
    private Facts evalChildren(Expression e) {
      boolean[] traced = {false};
      int before = nested;
      e.accept(new ASTVisitor() {
        @Override
        public boolean preVisit2(ASTNode node) {
          if (node != e && node instanceof Expression inner) {
            Facts value = eval(inner);
            traced[0] |= value.traced();
            if (isControlFlowCondition(inner)) {
              report(new Effect.Condition(inner, context, value));
            }
            return false;
          }
          if (node instanceof VariableDeclarationFragment fragment && fragment.getInitializer() != null) {
            assignLocal(fragment, eval(fragment.getInitializer()));
            return false;
          }
          return true;
        }
      });
      nested = before;
      return new Facts(traced[0], Origin.UNKNOWN);
    }

    private Facts evalName(SimpleName name) {
      return switch (names.resolve(name)) {
        case Symbol.Local local -> {
          VariableDeclaration decl = local.declaration();
          if (!Units.within(decl, body.owner())) {
            yield Facts.OUTER; // captured from the enclosing method
          }
          Facts facts = locals.get(decl);
          yield facts == null ? Facts.UNKNOWN : facts;
        }
        case Symbol.Field field -> {
          Origin receiver = implicitReceiver(field.field(), name);
          report(new Effect.FieldRead(name, context, field.field(), receiver));
          yield new Facts(false, receiver);
        }
        default -> Facts.UNKNOWN;
      };
    }

    private Facts evalQualified(QualifiedName name) {
      FieldInfo field = names.fieldOf(name);
      if (field == null) {
        return Facts.UNKNOWN; // a type or package name
      }
      if (field.name().equals("length") && field.type() != null && field.isFinal()
          && field.owner() != null && field.owner().isArray()) {
        eval(name.getQualifier());
        return Facts.CONSTANT;
      }
      Facts qualifier = field.isStatic() ? Facts.OUTER : eval(name.getQualifier());
      report(new Effect.FieldRead(name, context, field, qualifier.origin()));
      return qualifier;
    }

    private Facts evalFieldAccess(FieldAccess access) {
      Facts receiver = eval(access.getExpression());
      FieldInfo field = names.fieldOf(access);
      if (field == null) {
        return Facts.UNKNOWN;
      }
      report(new Effect.FieldRead(access, context, field, field.isStatic() ? Origin.OUTER : receiver.origin()));
      return receiver;
    }

    private Facts evalAssignment(Assignment assignment) {
      Facts value = eval(assignment.getRightHandSide());
      if (assignment.getOperator() != Assignment.Operator.ASSIGN) {
        value = value.join(evalTargetAsRead(assignment.getLeftHandSide()));
      }
      write(assignment.getLeftHandSide(), value, assignment);
      return value;
    }

    private Facts evalTargetAsRead(Expression target) {
      return eval(target);
    }

    private void write(Expression target, Facts value, ASTNode node) {
      switch (target) {
        case ParenthesizedExpression p -> write(p.getExpression(), value, node);
        case SimpleName name -> {
          switch (names.resolve(name)) {
            case Symbol.Local local -> {
              if (Units.within(local.declaration(), body.owner())) {
                assignLocal(local.declaration(), value);
              }
            }
            case Symbol.Field field -> report(new Effect.FieldWrite(node, context, field.field(),
                implicitReceiver(field.field(), name), value));
            default -> { }
          }
        }
        case QualifiedName name -> {
          FieldInfo field = names.fieldOf(name);
          if (field != null) {
            Origin receiver = field.isStatic() ? Origin.OUTER : eval(name.getQualifier()).origin();
            report(new Effect.FieldWrite(node, context, field, receiver, value));
          }
        }
        case FieldAccess access -> {
          Facts receiver = eval(access.getExpression());
          FieldInfo field = names.fieldOf(access);
          if (field == null) {
            field = new FieldInfo(access.getName().getIdentifier(), null, false, false, null, null, null, false);
          }
          report(new Effect.FieldWrite(node, context, field,
              field.isStatic() ? Origin.OUTER : receiver.origin(), value));
        }
        case SuperFieldAccess access -> {
          FieldInfo field = names.fieldOf(access);
          if (field != null) {
            report(new Effect.FieldWrite(node, context, field, thisOrigin, value));
          }
        }
        case ArrayAccess access -> {
          Facts array = eval(access.getArray());
          eval(access.getIndex());
          report(new Effect.ElementWrite(node, context, access.getArray(), array.origin(), value));
        }
        default -> { }
      }
    }

    // ------------------------------------------------------------ calls

    private Facts evalCall(MethodInvocation call) {
      Expression receiverExpr = call.getExpression();
      boolean typeQualified = receiverExpr instanceof Name qualifier
          && names.resolveQualifier(qualifier) instanceof Symbol.TypeName;
      Facts receiver = receiverExpr == null || typeQualified ? null : eval(receiverExpr);
      CalleeRef callee = calls.resolve(call);
      List<Expression> argExprs = expressions(call.arguments());
      List<Facts> args = evalArguments(argExprs, receiver, !KnownApis.isHostCallback(callee));
      boolean isStatic = typeQualified || callee.isStatic();
      Facts receiverFacts = isStatic
          ? null
          : receiver != null ? receiver : new Facts(false, implicitCallReceiver(callee));
      TypeRef receiverType = receiverExpr == null || typeQualified ? callee.owner() : names.typeOf(receiverExpr);
      report(new Effect.Call(call, context, callee, receiverType, receiverFacts, args, argExprs));
      Facts followed = follow(callee, call, receiverFacts, args);
      if (followed != null) {
        return followed;
      }
      String name = callee.name();
      boolean traced = !KnownApis.isConcreteResult(name)
          && ((receiverFacts != null && receiverFacts.traced()) || args.stream().anyMatch(Facts::traced));
      Origin origin = receiverFacts != null && receiverFacts.origin() == Origin.OUTER
          && PART_ACCESSORS.contains(name) ? Origin.OUTER : Origin.UNKNOWN;
      return new Facts(traced, origin);
    }

    private Facts evalSuperCall(SuperMethodInvocation call) {
      CalleeRef callee = calls.resolve(call);
      List<Expression> argExprs = expressions(call.arguments());
      Facts receiver = new Facts(false, thisOrigin);
      List<Facts> args = evalArguments(argExprs, receiver, true);
      report(new Effect.Call(call, context, callee, callee.owner(), receiver, args, argExprs));
      Facts followed = follow(callee, call, receiver, args);
      return followed != null ? followed : new Facts(args.stream().anyMatch(Facts::traced), Origin.UNKNOWN);
    }

    private Facts evalCreation(ClassInstanceCreation creation) {
      if (creation.getExpression() != null) {
        eval(creation.getExpression());
      }
      List<Expression> argExprs = expressions(creation.arguments());
      List<Facts> args = evalArguments(argExprs, null, true);
      TypeRef type = names.typeFromText(creation.getType().toString(), creation);
      report(new Effect.Creation(creation, context, type, args));
      CalleeRef ctor = calls.resolve(creation);
      follow(ctor, creation, new Facts(false, Origin.FRESH), args);
      AnonymousClassDeclaration anon = creation.getAnonymousClassDeclaration();
      if (anon != null) {
        walkAnonymous(anon, true);
      }
      return new Facts(args.stream().anyMatch(Facts::traced), Origin.FRESH);
    }

    /**
     * Evaluates arguments; lambdas, method references and anonymous classes among them are
     * walked as part of this function, with parameters traced when the other arguments or the
     * receiver are (as in {@code Tree.map(p -> p.sub(...), params)}). Not with
     * {@code walkFunctions} false: a host callback's function runs at run time, outside the trace.
     */
    private List<Facts> evalArguments(List<Expression> argExprs, Facts receiver, boolean walkFunctions) {
      List<Facts> args = new ArrayList<>(argExprs.size());
      boolean anyTraced = receiver != null && receiver.traced();
      for (Expression arg : argExprs) {
        if (isFunctional(arg)) {
          args.add(Facts.CONSTANT);
        } else {
          Facts facts = eval(arg);
          anyTraced |= facts.traced();
          args.add(facts);
        }
      }
      if (!walkFunctions) {
        return args;
      }
      for (Expression arg : argExprs) {
        Expression inner = unwrap(arg);
        switch (inner) {
          case LambdaExpression lambda -> walkNestedLambda(lambda, anyTraced);
          case MethodReference ref -> followReference(ref, anyTraced);
          case ClassInstanceCreation creation when creation.getAnonymousClassDeclaration() != null ->
              evalCreation(creation);
          default -> { }
        }
      }
      return args;
    }

    private boolean isFunctional(Expression arg) {
      Expression inner = unwrap(arg);
      return inner instanceof LambdaExpression || inner instanceof MethodReference
          || (inner instanceof ClassInstanceCreation c && c.getAnonymousClassDeclaration() != null);
    }

    private void walkNestedLambda(LambdaExpression lambda, boolean paramsTraced) {
      for (Object p : lambda.parameters()) {
        assignLocal((VariableDeclaration) p, new Facts(paramsTraced, Origin.UNKNOWN));
      }
      nested++;
      try {
        if (lambda.getBody() instanceof Expression expression) {
          eval(expression);
        } else {
          walk(lambda.getBody());
        }
      } finally {
        nested--;
      }
    }

    private void walkAnonymous(AnonymousClassDeclaration anon, boolean paramsTraced) {
      nested++;
      try {
        for (Object b : anon.bodyDeclarations()) {
          if (b instanceof MethodDeclaration method && method.getBody() != null) {
            for (Object p : method.parameters()) {
              assignLocal((VariableDeclaration) p, new Facts(paramsTraced, Origin.UNKNOWN));
            }
            walk(method.getBody());
          } else if (b instanceof FieldDeclaration field) {
            for (Object f : field.fragments()) {
              VariableDeclarationFragment fragment = (VariableDeclarationFragment) f;
              if (fragment.getInitializer() != null) {
                eval(fragment.getInitializer());
              }
            }
          }
        }
      } finally {
        nested--;
      }
    }

    private void followReference(MethodReference ref, boolean paramsTraced) {
      CalleeRef callee = calls.resolve(ref);
      if (callee.declaration() == null) {
        return;
      }
      Origin receiver = switch (ref) {
        case ExpressionMethodReference r -> r.getExpression() instanceof Name qualifier
            && names.resolveQualifier(qualifier) instanceof Symbol.TypeName
            ? Origin.UNKNOWN
            : eval(r.getExpression()).origin();
        case TypeMethodReference r -> Origin.UNKNOWN;
        default -> thisOrigin;
      };
      List<Facts> params = new ArrayList<>();
      for (int i = 0; i < callee.declaration().parameters().size(); i++) {
        params.add(new Facts(paramsTraced, Origin.UNKNOWN));
      }
      follow(callee, ref, new Facts(false, receiver), params);
    }

    /** Analyzes a callee in the sources; null when it is not followed (library, engine, depth). */
    private Facts follow(CalleeRef callee, ASTNode callSite, Facts receiver, List<Facts> args) {
      MethodDeclaration decl = callee.declaration();
      if (decl == null || KnownApis.isEngine(callee.owner()) || depth >= MAX_CALL_DEPTH) {
        return null;
      }
      if (decl.getParent() instanceof AbstractTypeDeclaration owner
          && NameResolver.qualifiedName(owner).startsWith(TransformKind.ENGINE_PACKAGE + ".")) {
        return null;
      }
      Body calleeBody = bodies.computeIfAbsent(decl, Body::of);
      if (calleeBody == null) {
        return null;
      }
      List<Facts> params = alignArguments(args, calleeBody.params().size(), decl);
      Origin calleeThis = receiver == null ? Origin.UNKNOWN : receiver.origin();
      Facts known = summaries.get(new Key(decl, List.copyOf(params), calleeThis, emit));
      if (known != null) {
        return known; // analyzed in this context already: skip building the call chain
      }
      CompilationUnit cu = (CompilationUnit) callSite.getRoot();
      List<CallFrame> chain = new ArrayList<>(context.chain());
      chain.add(new CallFrame(calleeBody.description(), Units.fileOf(callSite),
          callSite.getStartPosition(), cu.getLineNumber(callSite.getStartPosition())));
      Context calleeContext = new Context(site, calleeBody.description(), false, chain,
          Units.fileOf(decl));
      return analyze(calleeBody, params, calleeThis, calleeContext, emit, depth + 1);
    }

    private List<Facts> alignArguments(List<Facts> args, int paramCount, MethodDeclaration decl) {
      List<Facts> params = new ArrayList<>(paramCount);
      for (int i = 0; i < paramCount; i++) {
        boolean last = i == paramCount - 1;
        boolean varargs = last && ((SingleVariableDeclaration) decl.parameters().get(i)).isVarargs();
        if (varargs) {
          Facts joined = new Facts(false, Origin.FRESH);
          for (int j = i; j < args.size(); j++) {
            joined = joined.join(args.get(j));
          }
          params.add(args.size() == paramCount ? args.get(i) : joined);
        } else {
          params.add(i < args.size() ? args.get(i) : Facts.UNKNOWN);
        }
      }
      return params;
    }

    // ------------------------------------------------------------ receivers

    /** Who {@code this} is at a {@code this} expression. */
    private Origin thisOriginOf(ThisExpression expression) {
      if (expression.getQualifier() != null) {
        ASTNode outer = NameResolver.outerTypeNamed(expression, expression.getQualifier().getFullyQualifiedName());
        return outer == body.typeNode() ? thisOrigin : Origin.OUTER;
      }
      ASTNode type = NameResolver.enclosingTypeNode(expression);
      return type != null && Units.within(type, body.owner()) ? Origin.FRESH : thisOrigin;
    }

    /**
     * The object a field named without qualifier belongs to: an object created inside the
     * function (anonymous class), the function's own {@code this}, or an enclosing instance.
     */
    private Origin implicitReceiver(FieldInfo field, ASTNode reference) {
      if (field.isStatic()) {
        return Origin.OUTER;
      }
      for (ASTNode type = NameResolver.enclosingTypeNode(reference); type != null;
          type = NameResolver.enclosingTypeNode(type)) {
        boolean declares = declaresField(type, field);
        if (Units.within(type, body.owner())) {
          if (declares) {
            return Origin.FRESH;
          }
          continue;
        }
        if (type == body.typeNode()) {
          if (declares || !declaredByEnclosing(type, field)) {
            return thisOrigin;
          }
          continue;
        }
        return Origin.OUTER; // a field of an enclosing instance
      }
      return thisOrigin;
    }

    /** The receiver of an unqualified instance call. */
    private Origin implicitCallReceiver(CalleeRef callee) {
      MethodDeclaration decl = callee.declaration();
      if (decl == null) {
        return thisOrigin;
      }
      ASTNode owner = decl.getParent();
      if (Units.within(owner, body.owner())) {
        return Origin.FRESH;
      }
      for (ASTNode type = NameResolver.enclosingTypeNode(body.typeNode()); type != null;
          type = NameResolver.enclosingTypeNode(type)) {
        if (type == owner) {
          return Origin.OUTER;
        }
      }
      return thisOrigin;
    }

    private boolean declaredByEnclosing(ASTNode type, FieldInfo field) {
      for (ASTNode outer = NameResolver.enclosingTypeNode(type); outer != null;
          outer = NameResolver.enclosingTypeNode(outer)) {
        if (declaresField(outer, field)) {
          return true;
        }
      }
      return false;
    }
  }

  // ------------------------------------------------------------ helpers

  private static boolean declaresField(ASTNode type, FieldInfo field) {
    List<?> members;
    if (type instanceof AbstractTypeDeclaration decl) {
      if (field.owner() != null && field.owner().qualifiedName() != null
          && field.owner().qualifiedName().equals(NameResolver.qualifiedName(decl))) {
        return true;
      }
      if (decl instanceof RecordDeclaration record) {
        for (Object c : record.recordComponents()) {
          if (((SingleVariableDeclaration) c).getName().getIdentifier().equals(field.name())) {
            return true;
          }
        }
      }
      members = decl.bodyDeclarations();
    } else {
      members = ((AnonymousClassDeclaration) type).bodyDeclarations();
    }
    for (Object m : members) {
      if (m instanceof FieldDeclaration fd) {
        for (Object f : fd.fragments()) {
          if (((VariableDeclarationFragment) f).getName().getIdentifier().equals(field.name())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The condition of an if/while/do/for statement or the selector of a switch. */
  private static boolean isControlFlowCondition(Expression e) {
    var location = e.getLocationInParent();
    return location == org.eclipse.jdt.core.dom.IfStatement.EXPRESSION_PROPERTY
        || location == org.eclipse.jdt.core.dom.WhileStatement.EXPRESSION_PROPERTY
        || location == org.eclipse.jdt.core.dom.DoStatement.EXPRESSION_PROPERTY
        || location == org.eclipse.jdt.core.dom.ForStatement.EXPRESSION_PROPERTY
        || location == org.eclipse.jdt.core.dom.SwitchStatement.EXPRESSION_PROPERTY
        || location == org.eclipse.jdt.core.dom.SwitchExpression.EXPRESSION_PROPERTY;
  }


  private static Expression unwrap(Expression e) {
    Expression inner = e;
    while (true) {
      if (inner instanceof ParenthesizedExpression p) {
        inner = p.getExpression();
      } else if (inner instanceof CastExpression c) {
        inner = c.getExpression();
      } else {
        return inner;
      }
    }
  }

  private static List<Expression> expressions(List<?> nodes) {
    List<Expression> out = new ArrayList<>(nodes.size());
    for (Object n : nodes) {
      out.add((Expression) n);
    }
    return out;
  }
}
