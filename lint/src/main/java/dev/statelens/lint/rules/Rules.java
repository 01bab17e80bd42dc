package dev.statelens.lint.rules;

import dev.statelens.lint.source.ProjectIndex;
import java.util.List;

/**
 * Every rule check over a transform call's effects, in rule-id order. SL010 (key reuse) is not
 * among them: it applies to all code, and the Linter runs {@link dev.statelens.lint.rules.keys.KeyReuseRule} on every file.
 */
public final class Rules {

  private Rules() {}

  public static List<RuleCheck> all(ProjectIndex index) {
    return List.of(new FieldWriteRule(), new OuterMutationRule(), new IoRule(),
        new RandomnessRule(), new ClockRule(), new MutableReadRule(index), new ConcretizationRule(),
        new LeakedTracerRule(), new DiscardedResultRule());
  }
}
