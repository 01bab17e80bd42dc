package dev.statelens.engine;

/**
 * Two pytrees that must have the same structure do not, e.g. {@code params} and {@code grads}
 * in {@code Tree.map}. The message shows both structures and the path where they first differ.
 */
public final class TreeStructureError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient TreeDef expected;
  private final transient TreeDef actual;

  private TreeStructureError(String message, TreeDef expected, TreeDef actual) {
    super(message);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * The error for {@code actual} not matching {@code expected}; {@code context} says what was
   * being done ("Tree.map: tree 2 of 2 does not have the structure of tree 1").
   */
  public static TreeStructureError between(String context, TreeDef expected, TreeDef actual) {
    String difference = expected.firstDifference(actual);
    return new TreeStructureError(
        context + "; they first differ "
            + (difference == null ? "nowhere (equal structures)" : difference) + ".\n"
            + "  expected: " + expected + "\n"
            + "  actual:   " + actual + "\n"
            + "Build both trees the same way: same record types, list lengths, map keys, and "
            + "the same null/Optional.empty positions.",
        expected,
        actual);
  }

  public TreeDef expected() {
    return expected;
  }

  public TreeDef actual() {
    return actual;
  }
}
