package dev.statelens.lint.rules;

import dev.statelens.lint.analysis.Context;

/** Sentences several rules share, so messages read the same everywhere. */
final class Phrases {

  private Phrases() {}

  /** What happens to a Java side effect under the site's transform. */
  static String runsWhen(Context context, String what) {
    return context.site().underJit()
        ? what + " runs once, at trace time; later calls replay the traced result and never run it again"
        : what + " runs while " + context.site().kind().methodName()
            + " traces the function and is not part of the traced computation (under jit it would run only once)";
  }

  static final String EXPLICIT_STATE =
      "make the state explicit: take it as an argument and return the new value, "
          + "(State, args) -> Pair<Output, State>";
}
