package dev.statelens.lint.fix;

import dev.statelens.lint.Finding;
import java.util.Map;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.LambdaExpression;
import org.eclipse.jdt.core.dom.MethodDeclaration;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.SingleVariableDeclaration;
import org.eclipse.jdt.core.dom.VariableDeclarationFragment;
import org.eclipse.jdt.core.dom.VariableDeclarationStatement;

/**
 * Replaces an implicit random draw by the engine's keyed one and adds a {@code Key} parameter
 * to the method: {@code double noise = Math.random();} in {@code step(Array x)} becomes
 * {@code Array noise = Random.uniform(key);} in {@code step(Array x, Key key)}. Applies where
 * that is straightforward: a draw of one double/float/gaussian, used as a local's initializer or
 * directly as a call argument, in a method (a lambda's parameters are fixed by its interface).
 * Callers then pass a key, split per call with {@code Random.split}.
 */
public final class KeyParameterFix {

  private static final Map<String, String> DRAWS = Map.of(
      "random", "uniform", "nextDouble", "uniform", "nextFloat", "uniform",
      "nextGaussian", "normal");
  static final String KEY = "dev.statelens.engine.Key";
  static final String RANDOM = "dev.statelens.engine.Random";
  static final String ARRAY = "dev.statelens.engine.Array";

  private KeyParameterFix() {}

  static FixOutcome apply(Finding finding, QuickFixes.Files files) {
    Edits edits = files.of(finding.file());
    ASTNode node = QuickFixes.nodeAt(edits.cu, finding);
    String reason = whyNotApplicable(node);
    if (reason != null) {
      return notApplicable(reason);
    }
    MethodInvocation draw = drawAt(node);
    MethodDeclaration method = QuickFixes.ancestor(draw, MethodDeclaration.class);
    boolean asLocal = asLocal(draw);
    String keyName = existingKeyParameter(method);
    if (keyName == null) {
      keyName = "key";
      String param = edits.type(KEY) + " " + keyName;
      if (method.parameters().isEmpty()) {
        int open = edits.source.indexOf('(', method.getName().getStartPosition());
        edits.insert(open + 1, param);
      } else {
        ASTNode last = (ASTNode) method.parameters().get(method.parameters().size() - 1);
        edits.insert(last.getStartPosition() + last.getLength(), ", " + param);
      }
    }
    // java.util.Random imported? then the engine's Random must be written qualified.
    String random = edits.imports("java.util.Random") ? RANDOM : edits.type(RANDOM);
    String function = DRAWS.get(draw.getName().getIdentifier());
    edits.replace(draw, random + "." + function + "(" + keyName + ")");
    if (asLocal) {
      VariableDeclarationStatement statement = (VariableDeclarationStatement) draw.getParent().getParent();
      edits.replace(statement.getType(), edits.type(ARRAY));
    }
    return files.applied(FixId.KEY_PARAMETER, "Add a Key parameter to "
        + method.getName().getIdentifier() + " and draw with Random." + function
        + " (callers pass a key, split per call with Random.split)");
  }

  /**
   * Null when {@link #apply} rewrites the draw at {@code node} (the finding's node), else why not:
   * syntax only, so the rule offers the fix just where it applies.
   */
  public static String whyNotApplicable(ASTNode node) {
    MethodInvocation draw = drawAt(node);
    if (draw == null) {
      return "only Math.random() and nextDouble/nextFloat/nextGaussian draws are "
          + "rewritten; replace this one by Random.uniform/normal/randint(key, ...) by hand";
    }
    for (ASTNode n = draw.getParent(); n != null; n = n.getParent()) {
      if (n instanceof LambdaExpression) {
        return "the draw is in a lambda, whose parameters its interface fixes; "
            + "move the body into a method, or take a Key in the lambda's arguments by hand";
      }
      if (n instanceof MethodDeclaration) {
        break;
      }
    }
    MethodDeclaration method = QuickFixes.ancestor(draw, MethodDeclaration.class);
    if (method == null || method.getBody() == null) {
      return "the draw is not inside a method body";
    }
    boolean asArgument = draw.getLocationInParent() == MethodInvocation.ARGUMENTS_PROPERTY;
    if (!asLocal(draw) && !asArgument) {
      return "the drawn number is used in Java arithmetic; keyed draws are arrays, "
          + "so rewrite the expression with Array operations by hand";
    }
    return null;
  }

  /** {@code double noise = Math.random();}: a local of its own, of a floating type. */
  private static boolean asLocal(MethodInvocation draw) {
    return draw.getParent() instanceof VariableDeclarationFragment fragment
        && fragment.getInitializer() == draw
        && fragment.getParent() instanceof VariableDeclarationStatement statement
        && statement.fragments().size() == 1
        && statement.getType().toString().matches("double|float|var|Double|Float");
  }

  /** The draw call at the finding: the call itself, or the call on a generator created there. */
  private static MethodInvocation drawAt(ASTNode node) {
    Expression e = node instanceof Expression ex ? ex : null;
    if (e instanceof MethodInvocation mi && DRAWS.containsKey(mi.getName().getIdentifier())
        && (mi.getName().getIdentifier().equals("random") == (mi.getExpression() != null
            && mi.getExpression().toString().endsWith("Math")))) {
      return mi;
    }
    // new Random().nextDouble(), ThreadLocalRandom.current().nextDouble()
    if ((e instanceof ClassInstanceCreation || e instanceof MethodInvocation)
        && e.getParent() instanceof MethodInvocation outer
        && outer.getExpression() == e
        && DRAWS.containsKey(outer.getName().getIdentifier())
        && !outer.getName().getIdentifier().equals("random")) {
      return outer;
    }
    return null;
  }

  private static String existingKeyParameter(MethodDeclaration method) {
    for (Object p : method.parameters()) {
      SingleVariableDeclaration param = (SingleVariableDeclaration) p;
      String type = param.getType().toString();
      if (type.equals("Key") || type.equals(KEY)) {
        return param.getName().getIdentifier();
      }
    }
    return null;
  }

  private static FixOutcome notApplicable(String reason) {
    return new FixOutcome.NotApplicable(FixId.KEY_PARAMETER, reason);
  }
}
