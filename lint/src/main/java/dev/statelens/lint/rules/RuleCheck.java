package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import java.util.List;

/** One rule: looks at the effects of one transform call's code and reports problems. */
public interface RuleCheck {

  Rule rule();

  /** @param effects everything the code reachable from one transform call does, in order */
  void check(List<Effect> effects, FindingSink sink);
}
