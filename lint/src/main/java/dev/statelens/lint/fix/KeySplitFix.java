package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.analysis.WriteVisitor;
import dev.statelens.lint.rules.keys.KeyReuseRule;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ASTVisitor;
import org.eclipse.jdt.core.dom.AnonymousClassDeclaration;
import org.eclipse.jdt.core.dom.Block;
import org.eclipse.jdt.core.dom.AbstractTypeDeclaration;
import org.eclipse.jdt.core.dom.BodyDeclaration;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.ConstructorInvocation;
import org.eclipse.jdt.core.dom.DoStatement;
import org.eclipse.jdt.core.dom.EnhancedForStatement;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.ForStatement;
import org.eclipse.jdt.core.dom.ImportDeclaration;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.Modifier;
import org.eclipse.jdt.core.dom.Name;
import org.eclipse.jdt.core.dom.PrimitiveType;
import org.eclipse.jdt.core.dom.SimpleName;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.Statement;
import org.eclipse.jdt.core.dom.SuperConstructorInvocation;
import org.eclipse.jdt.core.dom.SwitchExpression;
import org.eclipse.jdt.core.dom.TryStatement;
import org.eclipse.jdt.core.dom.TypeDeclarationStatement;
import org.eclipse.jdt.core.dom.VariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationExpression;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;
import org.eclipse.jdt.core.dom.WhileStatement;

/**
 * SL010's fixes, JAX's "split before you draw":
 *
 * <ul>
 *   <li>{@link FixId#SPLIT_KEY} on two draws of one key: before the earlier draw,
 *       {@code var keys = Random.split(key); key = keys.first();} and that draw takes
 *       {@code keys.second()}, so the later draw gets a key nobody drew from (the split must come
 *       before the first draw: splitting a key already drawn from is itself a reuse). On a draw
 *       in a loop: the same two statements at the top of the loop body. On a draw after
 *       {@code var ks = Random.split(key)}: the draw takes the half of {@code ks} nothing else
 *       uses.
 *   <li>{@link FixId#FOLD_IN} on a draw in a counted loop ({@code for (int i = ...)}): the draw
 *       takes {@code Random.foldIn(key, i)}, JAX's per-step key; works for final keys too.
 * </ul>
 *
 * <p>Applied only where the result compiles and is right: the key is a local or parameter that
 * may be assigned (not final, not captured by a lambda or inner class) for the splitting forms;
 * the statement to split before sits in a block; and linting the fixed text finds no reuse that
 * was not there before (checked by running {@link KeyReuseRule} on it), so a fix never trades
 * one SL010 for another. Works on syntax alone, like the rule.
 *
 * <p>In two steps, so that linting stays cheap: a finding lists a fix when the first conditions
 * hold ({@link #listed}, on every lint); the re-lint runs only when the fix is asked for
 * ({@link #verify} for an IDE's proposals, {@link QuickFixes#apply} before anything is applied).
 */
public final class KeySplitFix {

  private static final String RANDOM = "dev.statelens.engine.Random";

  private KeySplitFix() {}

  /** One text edit in the original source. */
  private record Edit(int offset, int length, String text) {}

  /** A rewrite that applies: its menu label and edits. */
  private record Plan(String label, List<Edit> edits) {}

  /**
   * The SL010 fixes to list for each reuse {@link KeyReuseRule#find} gave for {@code source} (in
   * its order): those whose rewrite can be planned from the syntax (the key may be assigned, the
   * earlier draw is in a block, the loop has an int index, ...). Cheap, so it runs on every lint.
   * Whether the rewrite leaves no new reuse needs the fixed text linted again (about a parse of
   * the file), so that is checked only when a fix is asked for: {@link #verify} (what an IDE
   * proposes) and {@link QuickFixes#apply} (what is applied).
   */
  public static Map<KeyReuseRule.Reuse, List<FixId>> listed(String source,
      List<KeyReuseRule.Reuse> all) {
    Map<KeyReuseRule.Reuse, List<FixId>> out = new IdentityHashMap<>();
    UsedNames names = new UsedNames(); // one walk of the file for all the plans
    for (KeyReuseRule.Reuse reuse : all) {
      List<FixId> fixes = new ArrayList<>();
      for (FixId fix : List.of(FixId.SPLIT_KEY, FixId.FOLD_IN)) {
        try {
          if (planned(fix, source, reuse, names) instanceof Plan) {
            fixes.add(fix);
          }
        } catch (RuntimeException e) {
          // code this fix does not understand: not listed (the finding itself stands)
        }
      }
      out.put(reuse, fixes);
    }
    return out;
  }

  /** A listed fix checked when it is asked for: what to show, or why not to. */
  public sealed interface Verdict {
    /** @param label the menu label ("Split the key before the draw at line 15 (...)") */
    record Proposed(String label) implements Verdict {}

    /** @param reason why the fix does not apply here, in a sentence the user can act on */
    record Refused(String reason) implements Verdict {}
  }

  /**
   * Whether {@code fix} applies to the SL010 finding at {@code offset} of {@code source}: the
   * rewrite is planned, applied to the text and the result linted again (no reuse that was not
   * there before). What {@link QuickFixes#apply} would do, without the edits: an IDE shows the
   * fix only when this is {@link Verdict.Proposed}. Checking several fixes of one text: use a
   * {@link Checker}, which parses and lints the text once for all of them.
   */
  public static Verdict verify(FixId fix, String source, int offset) {
    return Checker.of(source).verify(fix, offset);
  }

  /**
   * The SL010 fixes of one text, checked on request. The text is parsed and linted once, here;
   * each verdict (a fix at a finding) then costs only the parse and lint of its own fixed text,
   * and is kept, so asking again is free. Ctrl+1 checks every listed fix of a finding and the
   * Problems view every marker's: one checker per text shares the parse of the original.
   */
  public static final class Checker {
    private final String source;
    private final List<KeyReuseRule.Reuse> all;
    private final RuntimeException failure;
    private final Map<String, Verdict> verdicts = new HashMap<>();
    /** The names the text uses (for the split's fresh name), collected once for all fixes. */
    private final UsedNames names = new UsedNames();

    private Checker(String source) {
      this.source = source;
      List<KeyReuseRule.Reuse> found = null;
      RuntimeException failed = null;
      try {
        CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("Verify.java"), source));
        found = KeyReuseRule.find(cu);
      } catch (RuntimeException e) {
        failed = e;
      }
      this.all = found;
      this.failure = failed;
    }

    /** Parses and lints {@code source} (once: keep the checker while the text is the same). */
    public static Checker of(String source) {
      return new Checker(source);
    }

    /** The text this checker verifies fixes of. */
    public String source() {
      return source;
    }

    /** {@link KeySplitFix#verify} on this text; computed once per fix and offset. */
    public synchronized Verdict verify(FixId fix, int offset) {
      return verdicts.computeIfAbsent(fix.id() + "@" + offset, k -> check(fix, offset));
    }

    private Verdict check(FixId fix, int offset) {
      if (failure != null) {
        return refusedFor(failure);
      }
      try {
        for (KeyReuseRule.Reuse r : all) {
          if (r.at().getStartPosition() == offset) {
            return switch (checked(fix, source, r, all, names)) {
              case Plan p -> new Verdict.Proposed(p.label());
              case String reason -> new Verdict.Refused(reason);
              default -> throw new IllegalStateException();
            };
          }
        }
        return new Verdict.Refused("the key is not reused there any more (the code changed); "
            + "lint again");
      } catch (RuntimeException e) {
        return refusedFor(e);
      }
    }

    private static Verdict refusedFor(RuntimeException e) {
      return new Verdict.Refused("the code around the finding could not be rewritten ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** The menu label of {@code fix} for the SL010 finding at {@code offset}, else its plain label. */
  public static String labelAt(FixId fix, String source, int offset) {
    return verify(fix, source, offset) instanceof Verdict.Proposed p ? p.label() : fix.label();
  }

  static FixOutcome apply(FixId fix, Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    List<KeyReuseRule.Reuse> all = KeyReuseRule.find(edits.cu);
    KeyReuseRule.Reuse reuse = all.stream()
        .filter(r -> r.at().getStartPosition() == finding.range().offset())
        .findFirst().orElse(null);
    if (reuse == null) {
      return new FixOutcome.NotApplicable(fix,
          "the key is not reused there any more (the code changed); lint again");
    }
    return switch (checked(fix, edits.source, reuse, all, new UsedNames())) {
      case Plan plan -> {
        plan.edits().forEach(e -> edits.replace(e.offset(), e.length(), e.text()));
        yield files.applied(fix, plan.label());
      }
      case String reason -> new FixOutcome.NotApplicable(fix, reason);
      default -> throw new IllegalStateException();
    };
  }

  /** The rewrite from the syntax alone, not yet verified; or why there is none (a String). */
  private static Object planned(FixId fix, String source, KeyReuseRule.Reuse reuse,
      UsedNames names) {
    if (!reuse.key().matches("[\\p{L}_$][\\p{L}\\p{N}_$]*")) {
      // ks.first(), p.key(), ks.get(0), keep(key): nothing to reassign or fold into in place
      return "the key is read from a record, pair, list or array (or returned by a method), not "
          + "a variable the fix could split and reassign; give each draw its own key by hand";
    }
    return fix == FixId.FOLD_IN ? foldIn(source, reuse) : split(source, reuse, names);
  }

  /** The plan, verified by linting the fixed text; or why not (a String). */
  private static Object checked(FixId fix, String source, KeyReuseRule.Reuse reuse,
      List<KeyReuseRule.Reuse> all, UsedNames names) {
    Object planned = planned(fix, source, reuse, names);
    if (!(planned instanceof Plan plan)) {
      return planned;
    }
    Edits rewrite = new Edits(source, (CompilationUnit) reuse.at().getRoot());
    plan.edits().forEach(e -> rewrite.replace(e.offset(), e.length(), e.text()));
    String fixed = rewrite.apply(); // the text apply() would write
    CompilationUnit cu = JavaParsing.parseSyntax(new SourceFile(Path.of("Fixed.java"), fixed));
    Set<Integer> before = new HashSet<>();
    for (KeyReuseRule.Reuse r : all) {
      if (r != reuse) {
        before.add(shifted(r.at().getStartPosition(), plan.edits()));
      }
    }
    for (KeyReuseRule.Reuse r : KeyReuseRule.find(cu)) {
      if (!before.contains(r.at().getStartPosition())) {
        return "the key would still be reused after this rewrite (line "
            + cu.getLineNumber(r.at().getStartPosition()) + " of the fixed text); split it by hand";
      }
    }
    return plan;
  }

  // ---------------------------------------------------------------- split

  private static Object split(String source, KeyReuseRule.Reuse reuse, UsedNames names) {
    String key = reuse.key();
    if (reuse.earlier() != null) {
      ASTNode earlier = reuse.earlier();
      if (earlier instanceof MethodInvocation split && isRandom(split, "split")) {
        return drawFromUnusedHalf(reuse, split);
      }
      if (keyArgument(earlier, key) == null) {
        return "the earlier draw takes this key under another name (a copy of the reference) or "
            + "more than once; split it by hand and give each draw its own key";
      }
      Object statement = statementBefore(earlier);
      if (statement instanceof String reason) {
        return reason;
      }
      return splitBefore(source, (Statement) statement, earlier, key, names,
          "Split the key before the draw at line " + Units.line(earlier));
    }
    if (!(reuse.loop() instanceof Statement loop)) {
      return "the key is captured by the lambda that runs each step, which cannot reassign it; "
          + "fold in the step by hand: Random.foldIn(" + key + ", step)";
    }
    if (!(loopBody(loop) instanceof Block body) || body.statements().isEmpty()) {
      return "the loop's body is not a block; add braces, then apply the fix";
    }
    ASTNode draw = reuse.at();
    if (boundaryBetween(draw, loop) != null) {
      return "the draw is in a lambda or inner class inside the loop, which cannot reassign "
          + key;
    }
    return splitBefore(source, (Statement) body.statements().get(0), draw, key, names,
        "Split the key in each iteration");
  }

  /**
   * {@code var keys = Random.split(key); key = keys.first();} before {@code statement}, and
   * {@code draw} takes {@code keys.second()}.
   */
  private static Object splitBefore(String source, Statement statement, ASTNode draw,
      String key, UsedNames names, String what) {
    SimpleName argument = keyArgument(draw, key);
    if (argument == null) {
      return "the call passes " + key + " more than once; split it by hand";
    }
    String refusal = assignable(argument);
    if (refusal != null) {
      return refusal;
    }
    CompilationUnit cu = (CompilationUnit) draw.getRoot();
    String keys = names.fresh(cu, "keys");
    int at = statement.getStartPosition();
    String indent = Edits.indentAt(source, at);
    String insert = "var " + keys + " = " + random(cu) + ".split(" + key + ");\n" + indent
        + key + " = " + keys + ".first();\n" + indent;
    List<Edit> edits = List.of(new Edit(at, 0, insert),
        new Edit(argument.getStartPosition(), argument.getLength(), keys + ".second()"));
    return new Plan(what + " (" + key + " = " + keys + ".first(), draw from " + keys
        + ".second())", edits);
  }

  /**
   * {@code var ks = Random.split(key); ... Random.normal(key)}: the draw takes the half of
   * {@code ks} that nothing else uses, when there is exactly one such use to make.
   */
  private static Object drawFromUnusedHalf(KeyReuseRule.Reuse reuse, MethodInvocation split) {
    String key = reuse.key();
    if (!(split.getParent() instanceof VariableDeclarationFragment fragment)
        || fragment.getInitializer() != split || split.arguments().size() != 1
        || !(fragment.getParent() instanceof VariableDeclarationStatement)) {
      return "the split's keys are not kept in a local; keep them (var ks = Random.split("
          + key + ")) and draw from the half not used";
    }
    ASTNode draw = reuse.at();
    SimpleName argument = keyArgument(draw, key);
    if (argument == null) {
      return "the call passes " + key + " more than once; split it by hand";
    }
    if (boundary(draw) != boundary(split)) {
      return "the draw runs more often than the split (a loop or lambda between them); "
          + "split the key where it is drawn";
    }
    String ks = fragment.getName().getIdentifier();
    Set<String> halves = new HashSet<>();
    boolean[] other = new boolean[1];
    ASTNode scope = scopeOf(fragment);
    scope.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (!name.getIdentifier().equals(ks) || name == fragment.getName()
            || NameResolver.localByScope(name) != fragment) {
          return false;
        }
        if (name.getParent() instanceof MethodInvocation half && half.getExpression() == name
            && half.arguments().isEmpty()
            && (half.getName().getIdentifier().equals("first")
                || half.getName().getIdentifier().equals("second"))) {
          halves.add(half.getName().getIdentifier());
        } else {
          other[0] = true; // passed on whole, or reassigned
        }
        return false;
      }
    });
    if (other[0] || halves.size() == 2) {
      return "both keys of the split at line " + Units.line(split) + " are used; split " + key
          + " again for this draw";
    }
    String half = halves.contains("first") ? "second" : "first";
    return new Plan("Draw from " + ks + "." + half + "(), the unused key of the split at line "
        + Units.line(split), List.of(new Edit(argument.getStartPosition(), argument.getLength(),
            ks + "." + half + "()")));
  }

  // ---------------------------------------------------------------- fold in

  /**
   * The draw takes {@code Random.foldIn(key, i)}: {@code i} a counted loop's int index, or the
   * index an {@code IntStream.range(a, b)} operation's lambda gets (distinct for each run).
   */
  private static Object foldIn(String source, KeyReuseRule.Reuse reuse) {
    String key = reuse.key();
    ASTNode loop = reuse.loop();
    ASTNode runs; // what runs once per index: the loop, or the stream operation's lambda
    String index;
    if (loop instanceof ForStatement f) {
      index = intIndex(f);
      if (index == null) {
        return "the loop has no int index (for (int i = ...)) to fold in";
      }
      runs = f;
    } else if (loop instanceof MethodInvocation op && indexLambda(op) instanceof LambdaExpression l) {
      index = ((VariableDeclaration) l.parameters().get(0)).getName().getIdentifier();
      runs = l;
    } else {
      return "folding in the step needs a counted loop: for (int i = ...) or "
          + "IntStream.range(a, b).mapToObj(i -> ...)";
    }
    ASTNode draw = reuse.at();
    SimpleName argument = keyArgument(draw, key);
    if (argument == null) {
      return "the call passes " + key + " more than once; fold in by hand";
    }
    if (boundaryBetween(draw, runs) != null) {
      return "the draw is in a lambda or inner class inside the loop";
    }
    VariableDeclaration declaration = NameResolver.localByScope(argument);
    // a field of the class (SL010 follows it within one method): folding in writes no field
    ASTNode member = declaration == null ? fieldMember(argument) : null;
    if (declaration == null && member == null) {
      return key + " is not a local variable, parameter or field";
    }
    // an outer loop would repeat the inner loop's indices: foldIn(key, i) again in each pass
    for (ASTNode n = loop.getParent(); n != null && n != member
        && (declaration == null || !Units.within(declaration, n)); n = n.getParent()) {
      if (isLoop(n) || n instanceof LambdaExpression || n instanceof BodyDeclaration) {
        return "the loop is inside another loop, whose passes would fold in the same indices; "
            + "fold in both indices by hand";
      }
    }
    ASTNode body = runs instanceof ForStatement f ? f.getBody() : ((LambdaExpression) runs).getBody();
    if (modifies(body, index)) {
      return "the loop's body changes " + index + ", so its values may repeat";
    }
    int[] uses = new int[1];
    runs.accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (name.getIdentifier().equals(key) && name != argument) {
          uses[0]++;
        }
        return false;
      }
    });
    if (uses[0] > 0) {
      return "the loop uses " + key + " elsewhere too; the same folded key would be drawn twice";
    }
    String folded = random((CompilationUnit) draw.getRoot()) + ".foldIn(" + key + ", " + index + ")";
    return new Plan(FixId.FOLD_IN.label() + " (draw from " + folded + ")",
        List.of(new Edit(argument.getStartPosition(), argument.getLength(), folded)));
  }

  /**
   * When {@code name} (no local or parameter: {@code localByScope} found none) is a field of the
   * class it is used in: the member of that class around it (a method, constructor, initializer
   * or field); else null.
   */
  private static ASTNode fieldMember(SimpleName name) {
    ASTNode member = name;
    while (member != null && !(member instanceof BodyDeclaration
        && member.getParent() instanceof AbstractTypeDeclaration)) {
      member = member.getParent();
    }
    return member != null && NameResolver.fieldNamed(
        ((AbstractTypeDeclaration) member.getParent()).bodyDeclarations(),
        name.getIdentifier()) != null ? member : null;
  }

  /**
   * {@code i -> ...} in {@code IntStream.range(a, b).mapToObj(i -> ...)} (or {@code rangeClosed},
   * any operation directly on it): one lambda parameter, the index, distinct for each run. Else
   * null.
   */
  private static LambdaExpression indexLambda(MethodInvocation op) {
    if (!(op.getExpression() instanceof MethodInvocation range)
        || !(range.getName().getIdentifier().equals("range")
            || range.getName().getIdentifier().equals("rangeClosed"))
        || !(range.getExpression() instanceof Name owner)
        || !(owner.getFullyQualifiedName().equals("IntStream")
            || owner.getFullyQualifiedName().equals("java.util.stream.IntStream"))
        || op.arguments().size() != 1
        || !(op.arguments().get(0) instanceof LambdaExpression lambda)
        || lambda.parameters().size() != 1) {
      return null;
    }
    return lambda;
  }

  /** {@code i} in {@code for (int i = 0; ...)}, or null. */
  private static String intIndex(ForStatement loop) {
    if (loop.initializers().size() == 1
        && loop.initializers().get(0) instanceof VariableDeclarationExpression vde
        && vde.getType() instanceof PrimitiveType p && p.getPrimitiveTypeCode() == PrimitiveType.INT
        && vde.fragments().size() == 1) {
      return ((VariableDeclarationFragment) vde.fragments().get(0)).getName().getIdentifier();
    }
    return null;
  }

  private static boolean modifies(ASTNode node, String name) {
    boolean[] found = new boolean[1];
    node.accept(new WriteVisitor() {
      @Override
      protected void written(Expression target) {
        found[0] |= target instanceof SimpleName n && n.getIdentifier().equals(name);
      }
    });
    return found[0];
  }

  // ---------------------------------------------------------------- checks

  /** The statement in a block that {@code draw} belongs to, or why there is none to split before. */
  private static Object statementBefore(ASTNode draw) {
    if (draw instanceof ConstructorInvocation || draw instanceof SuperConstructorInvocation) {
      return "the earlier draw is a this(...) or super(...) call; split the key by hand";
    }
    for (ASTNode n = draw.getParent(); n != null; n = n.getParent()) {
      if (n instanceof LambdaExpression || n instanceof AnonymousClassDeclaration
          || n instanceof SwitchExpression || n instanceof TypeDeclarationStatement) {
        return "the earlier draw is in a lambda, inner class or switch expression; "
            + "split the key by hand";
      }
      if (n instanceof Statement s) {
        if (isLoop(s)) {
          return "the earlier draw is in a loop's header; split the key by hand";
        }
        return s.getParent() instanceof Block ? s
            : "the earlier draw's statement is not in a block; add braces, then apply the fix";
      }
    }
    return "the earlier draw is not in a statement";
  }

  /** Null when the key behind {@code argument} may be assigned, else why not. */
  private static String assignable(SimpleName argument) {
    String key = argument.getIdentifier();
    VariableDeclaration declaration = NameResolver.localByScope(argument);
    if (declaration == null) {
      return key + " is not a local variable or parameter";
    }
    boolean isFinal = switch (declaration) {
      case SingleVariableDeclaration s -> Modifier.isFinal(s.getModifiers());
      default -> switch (declaration.getParent()) {
        case VariableDeclarationStatement vds -> Modifier.isFinal(vds.getModifiers());
        case VariableDeclarationExpression vde -> Modifier.isFinal(vde.getModifiers())
            || vde.getLocationInParent() == TryStatement.RESOURCES2_PROPERTY;
        default -> false;
      };
    };
    if (isFinal) {
      return key + " is final, so it cannot be advanced to the split's first key";
    }
    ASTNode[] captor = new ASTNode[1];
    scopeOf(declaration).accept(new ASTVisitor() {
      @Override
      public boolean visit(SimpleName name) {
        if (captor[0] == null && name.getIdentifier().equals(key)
            && NameResolver.localByScope(name) == declaration) {
          captor[0] = boundaryBetween(name, declaration.getParent());
        }
        return false;
      }
    });
    if (captor[0] != null) {
      return key + " is used in the lambda or inner class at line " + Units.line(captor[0])
          + ", which needs it effectively final; assigning it would not compile";
    }
    return null;
  }

  /** The lambda or inner class around {@code node} that does not contain {@code outer}, or null. */
  private static ASTNode boundaryBetween(ASTNode node, ASTNode outer) {
    for (ASTNode n = node.getParent(); n != null && !Units.within(outer, n); n = n.getParent()) {
      if (n instanceof LambdaExpression || n instanceof AnonymousClassDeclaration
          || n instanceof TypeDeclarationStatement) {
        return n;
      }
    }
    return null;
  }

  /** The innermost loop, lambda, inner class or member around a node: how often it runs. */
  private static ASTNode boundary(ASTNode node) {
    for (ASTNode n = node.getParent(); n != null; n = n.getParent()) {
      if (isLoop(n) || n instanceof LambdaExpression || n instanceof AnonymousClassDeclaration
          || n instanceof BodyDeclaration) {
        return n;
      }
    }
    return null;
  }

  /** Where a local is visible: its enclosing member (or lambda, for a lambda's parameter). */
  private static ASTNode scopeOf(VariableDeclaration declaration) {
    for (ASTNode n = declaration.getParent(); n != null; n = n.getParent()) {
      if (n instanceof BodyDeclaration || n instanceof LambdaExpression) {
        return n;
      }
    }
    return declaration.getRoot();
  }

  private static boolean isLoop(ASTNode n) {
    return n instanceof ForStatement || n instanceof EnhancedForStatement
        || n instanceof WhileStatement || n instanceof DoStatement;
  }

  private static Statement loopBody(Statement loop) {
    return switch (loop) {
      case ForStatement f -> f.getBody();
      case EnhancedForStatement f -> f.getBody();
      case WhileStatement w -> w.getBody();
      case DoStatement d -> d.getBody();
      default -> null;
    };
  }

  /** The one argument of {@code call} that is the key, or null (none, or several). */
  private static SimpleName keyArgument(ASTNode call, String key) {
    List<?> arguments = switch (call) {
      case MethodInvocation mi -> mi.arguments();
      case ClassInstanceCreation c -> c.arguments();
      case ConstructorInvocation c -> c.arguments();
      case SuperConstructorInvocation c -> c.arguments();
      default -> List.of();
    };
    SimpleName found = null;
    for (Object a : arguments) {
      if (a instanceof SimpleName n && n.getIdentifier().equals(key)) {
        if (found != null) {
          return null;
        }
        found = n;
      }
    }
    return found;
  }

  private static boolean isRandom(MethodInvocation call, String name) {
    return call.getName().getIdentifier().equals(name) && call.getExpression() instanceof Name owner
        && (owner.getFullyQualifiedName().equals("Random")
            || owner.getFullyQualifiedName().equals(RANDOM));
  }

  /**
   * How to write the engine's Random: {@code Random} when the file imports it (or its package)
   * or is in it, else qualified (no import to add, and no clash with java.util.Random).
   */
  private static String random(CompilationUnit cu) {
    boolean ownPackage = cu.getPackage() != null
        && cu.getPackage().getName().getFullyQualifiedName().equals("dev.statelens.engine");
    boolean onDemand = false;
    for (Object o : cu.imports()) {
      ImportDeclaration imp = (ImportDeclaration) o;
      String name = imp.getName().getFullyQualifiedName();
      if (imp.isStatic()) {
        continue;
      }
      if (!imp.isOnDemand() && name.equals(RANDOM)) {
        return "Random";
      }
      if (!imp.isOnDemand() && name.endsWith(".Random")) {
        return RANDOM; // another Random is imported
      }
      onDemand |= imp.isOnDemand() && name.equals("dev.statelens.engine");
    }
    return ownPackage || onDemand ? "Random" : RANDOM;
  }

  /**
   * The simple names a file uses, collected once per file (a walk of the whole tree) however many
   * plans ask: listing plans every reuse of the file.
   */
  private static final class UsedNames {
    private CompilationUnit cu;
    private Set<String> names;

    /** {@code base}, or {@code base2}, {@code base3}... whichever no name in {@code cu} uses. */
    String fresh(CompilationUnit cu, String base) {
      if (this.cu != cu) {
        Set<String> found = new HashSet<>();
        cu.accept(new ASTVisitor() {
          @Override
          public boolean visit(SimpleName name) {
            found.add(name.getIdentifier());
            return false;
          }
        });
        this.cu = cu;
        this.names = found;
      }
      String name = base;
      for (int i = 2; names.contains(name); i++) {
        name = base + i;
      }
      return name;
    }
  }

  /** Where {@code offset} of the original text is after the edits (insertions there go before it). */
  private static int shifted(int offset, List<Edit> edits) {
    int shift = 0;
    for (Edit e : edits) {
      if (e.offset() + e.length() <= offset) {
        shift += e.text().length() - e.length();
      }
    }
    return shift + offset;
  }
}
