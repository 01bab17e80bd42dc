package dev.statelens.lint.rules.keys;

import dev.statelens.lint.rules.Snippets;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodInvocation;

/** SL010's finding texts: what was drawn twice, where, why it matters, and the fix. */
final class Messages {
  private final CompilationUnit cu;

  Messages(CompilationUnit cu) {
    this.cu = cu;
  }

  /** {@code second} draws from {@code ref} after {@code first} did on the same path. */
  String reuse(KeyRef ref, Use first, Use second) {
    String key = ref.text();
    String previous = first.carriedOver() == null ? ""
        : " in the previous iteration of the loop at line " + line(first.carriedOver());
    if (!first.via().equals(key)) { // a copy: Key k2 = key, c ? key : other, p.key(), keep(key)
      boolean plainCopy = (ref.variable() || ref.field())
          && first.via().matches("[\\p{L}_$][\\p{L}\\p{N}_$]*");
      boolean oneField = ref.field() && (first.via().equals(ref.root())
          || first.via().equals("this." + ref.root()));
      return "Key '" + key + "' is drawn from again by " + describe(second) + " after "
          + describe(first) + previous + " drew from '" + first.via() + "', which holds the "
          + "same key (" + (oneField ? "'" + ref.root() + "' and 'this." + ref.root()
                + "' are the same field"
              : plainCopy ? "assigning a Key copies the reference, not the key"
              : rebuilt(key) || rebuilt(first.via()) ? "a key rebuilt from its own words, "
              + "Random.wrapKeyData(Random.keyData(k)), holds the same bits"
              : "a Key kept in a record, pair, list or array, or returned by a method, is the "
              + "same reference, not a new key")
          + "), without a split between: draws from one key are correlated (often the same "
          + "bits). Fix: split it once and give each draw its own key: var ks = Random.split("
          + first.via() + "); ... ks.first() ... ks.second().";
    }
    String fix = row(key) ? "give each draw its own row of the key array (Random.splitStacked("
        + "key, n) makes n), or split the row once: var rk = Random.split(" + key + "); ... "
        + "rk.first() ... rk.second()."
        : ref.variable() ? "split it: var ks = Random.split(" + key + "); " + key
        + " = ks.first(); ... ks.second()."
        : ref.field() ? "split it once and give each draw its own key: var ks = Random.split("
            + key + "); ... ks.first() ... ks.second() (a field holds one key until it is "
            + "assigned)."
        : "split it once and give each draw its own key: var ks = Random.split(" + key
            + "); ... ks.first() ... ks.second(), or split more keys where it was made "
            + "(Random.split(key, n)).";
    return "Key '" + key + "' is drawn from again by " + describe(second) + " after "
        + describe(first) + previous
        + " without being split or reassigned: draws from one key are correlated (often the "
        + "same bits). Fix: " + fix;
  }

  /** {@code use} draws from {@code ref} on every iteration of {@code where}. */
  String loop(KeyRef ref, Use use, String where) {
    String key = ref.text();
    return "Key '" + key + "' is drawn from by " + describe(use) + " on every iteration of "
        + where + ", which does not reassign it: every iteration "
        + "gets the same random numbers. Fix: fold in the step: Random.foldIn(" + key
        + ", i)" + (ref.variable() ? ", or split and reassign the key each iteration: var ks = "
            + "Random.split(" + key + "); " + key + " = ks.first(); draw with ks.second()."
            : ".");
  }

  /** {@code use} draws from captured {@code ref} in a lambda {@code operation} runs per element. */
  String perElement(KeyRef ref, Use use, MethodInvocation operation) {
    String key = ref.text();
    return "Key '" + key + "' is drawn from by " + describe(use) + " in the lambda given to "
        + Snippets.call(operation) + " at line " + line(operation) + ", which runs once per "
        + "element and cannot reassign the captured key: every element gets the same random "
        + "numbers. Fix: fold in the element's index: Random.foldIn(" + key + ", i), or "
        + "split off a key per element: Random.split(" + key + ", n).get(i).";
  }

  /** A key rebuilt from key data ({@link KeyWords}): {@code Random.wrapKeyData(Random.keyData(k))}. */
  private static boolean rebuilt(String text) {
    return text.contains("keyData(");
  }

  /** One row of a key array, rebuilt: {@code Random.wrapKeyData(Random.keyData(ks).get(2))}. */
  private static boolean row(String text) {
    return rebuilt(text) && text.matches(".*\\.get\\(\\d+\\)\\)$");
  }

  /** {@code Random.normal(...) at line 5}, or {@code noise(...) at line 9 (through ...)}. */
  private String describe(Use use) {
    String text = Snippets.call(use.call()) + " at line " + line(use.call());
    if (use.through() != null) {
      return text + " (through " + use.through() + ")";
    }
    return use.draw() == use.call() ? text
        : text + " (through " + Snippets.call(use.draw()) + " at line " + line(use.draw()) + ")";
  }

  int line(ASTNode node) {
    return cu.getLineNumber(node.getStartPosition());
  }
}
