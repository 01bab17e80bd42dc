package dev.statelens.lint.analysis;

/** Where an object comes from, as seen by the transformed function. */
public enum Origin {
  /** Created while the function runs ({@code new}, array creation, a literal). Mutating it is fine. */
  FRESH,
  /**
   * Exists outside the function: a field's object, a captured local, a static, an argument.
   * Mutating it is a side effect that the traced graph does not contain.
   */
  OUTER,
  /** Not known (e.g. the result of a library call). Rules stay silent on unknown objects. */
  UNKNOWN;

  public Origin join(Origin other) {
    if (this == other) {
      return this;
    }
    if (this == OUTER || other == OUTER) {
      return OUTER;
    }
    return UNKNOWN;
  }
}
