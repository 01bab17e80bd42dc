package dev.statelens.lint.rules.keys;

/**
 * Which nested scopes a walk over a body enters ({@link Walk}). Each of SL010's walks chooses on
 * purpose: a lambda runs later (if at all) and is analyzed as a body of its own, but a loop's
 * assignments, an array's uses and a lambda's captured draws must see into nested lambdas too.
 */
enum Nested {
  /** Everything: lambdas, anonymous classes and local class declarations. */
  ALL(true, true, true),
  /** The body's own code only: not its lambdas, anonymous or local classes (other scopes). */
  OWN(false, false, false),
  /** Nested lambdas, but not anonymous or local classes (whose members are not this code's). */
  LAMBDAS(true, false, false),
  /**
   * Local class declarations, but not lambdas or anonymous classes: what a per-step lambda's
   * captured draws are looked for in (a nested lambda may not run each step).
   */
  LOCAL_CLASSES(false, false, true);

  final boolean lambdas;
  final boolean anonymousClasses;
  final boolean localClasses;

  Nested(boolean lambdas, boolean anonymousClasses, boolean localClasses) {
    this.lambdas = lambdas;
    this.anonymousClasses = anonymousClasses;
    this.localClasses = localClasses;
  }
}
