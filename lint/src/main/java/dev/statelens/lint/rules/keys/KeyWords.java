package dev.statelens.lint.rules.keys;

import java.util.List;
import org.eclipse.jdt.core.dom.ClassInstanceCreation;
import org.eclipse.jdt.core.dom.Expression;
import org.eclipse.jdt.core.dom.MethodInvocation;
import org.eclipse.jdt.core.dom.NumberLiteral;

/**
 * A key taken apart into its words and put back together: {@code Random.wrapKeyData(
 * Random.keyData(k))} (or {@code new Key(k.keyData())}) holds {@code k}'s bits, so it is {@code k}
 * again; {@code Random.wrapKeyData(Random.keyData(ks).get(2))} is row 2 of a key array ({@code
 * Random.splitStacked}), a key of its own. JAX's reuse checker treats a wrapped key as fresh; the
 * draws are the same numbers all the same, so SL010 follows them to the key they came from.
 */
final class KeyWords {
  private KeyWords() {}

  /**
   * The key {@code rewrapped} rebuilds: its expression, and the row of a key array it picks
   * ({@code null}: the whole key).
   */
  record Source(Expression key, String row) {}

  /** What {@code e} rebuilds, when it wraps a key's own words; else null. */
  static Source of(Expression e, Imports imports) {
    Expression words = switch (Syntax.unwrap(e)) {
      case MethodInvocation mi when imports.onRandom(mi)
          && mi.getName().getIdentifier().equals("wrapKeyData") && mi.arguments().size() == 1 ->
        (Expression) mi.arguments().get(0);
      case ClassInstanceCreation c when imports.isKey(c.getType()) && c.arguments().size() == 1
          && c.getAnonymousClassDeclaration() == null -> (Expression) c.arguments().get(0);
      case null, default -> null;
    };
    if (words == null) {
      return null;
    }
    words = Syntax.unwrap(words);
    String row = null;
    if (words instanceof MethodInvocation get && get.getName().getIdentifier().equals("get")
        && get.arguments().size() == 1 && get.getExpression() != null) {
      row = constant((Expression) get.arguments().get(0));
      if (row == null) {
        return null; // a row picked at run time: not followed
      }
      words = Syntax.unwrap(get.getExpression());
    }
    Expression key = keyOf(words, imports);
    return key == null ? null : new Source(key, row);
  }

  /** {@code Random.keyData(k)} or {@code k.keyData()}: {@code k}; else null. */
  private static Expression keyOf(Expression words, Imports imports) {
    if (!(words instanceof MethodInvocation mi) || !mi.getName().getIdentifier().equals("keyData")) {
      return null;
    }
    List<?> arguments = mi.arguments();
    if (imports.onRandom(mi)) {
      return arguments.size() == 1 ? (Expression) arguments.get(0) : null;
    }
    return arguments.isEmpty() ? mi.getExpression() : null;
  }

  private static String constant(Expression index) {
    return Syntax.unwrap(index) instanceof NumberLiteral n && n.getToken().matches("\\d+")
        ? n.getToken() : null;
  }
}
