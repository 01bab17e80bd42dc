package dev.statelens.lint.rules;

import dev.statelens.lint.source.ProjectIndex;
import java.util.List;

/** Every rule check, in rule-id order. */
public final class Rules {

  private Rules() {}

  public static List<RuleCheck> all(ProjectIndex index) {
    return List.of(new FieldWriteRule(), new OuterMutationRule(), new IoRule(),
        new RandomnessRule(), new ClockRule(), new MutableReadRule(index), new ConcretizationRule(),
        new LeakedTracerRule(), new DiscardedResultRule());
  }
}
