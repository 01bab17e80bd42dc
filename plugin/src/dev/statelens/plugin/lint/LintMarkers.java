package dev.statelens.plugin.lint;

/** The StateLens marker type and its attributes (declared in plugin.xml). */
public final class LintMarkers {

  /** Subtype of problemmarker and textmarker, managed by JDT's build (clean clears it). */
  public static final String PROBLEM = "dev.statelens.plugin.problem";
  /** Rule id, e.g. {@code SL001}. */
  public static final String RULE_ID = "ruleId";
  /** Applicable quick fixes, comma-separated {@code FixId} ids, e.g. {@code explicit-state,suppress}. */
  public static final String FIX_IDS = "fixIds";
  /** The call chain from the transform call to the finding, rendered for humans. */
  public static final String CALL_CHAIN = "callChain";

  /**
   * Problem ids for {@code IProblem#getID()} / {@code IProblemLocation#getProblemId()}: a base
   * outside JDT's own id ranges plus the rule's ordinal.
   */
  public static final int PROBLEM_ID_BASE = 0x5E100000;

  private LintMarkers() {}

  public static int problemId(dev.statelens.lint.Rule rule) {
    return PROBLEM_ID_BASE + rule.ordinal();
  }

  /** The rule a problem id stands for, or null when the id is not StateLens's. */
  public static dev.statelens.lint.Rule ruleOf(int problemId) {
    int ordinal = problemId - PROBLEM_ID_BASE;
    dev.statelens.lint.Rule[] rules = dev.statelens.lint.Rule.values();
    return ordinal >= 0 && ordinal < rules.length ? rules[ordinal] : null;
  }
}
