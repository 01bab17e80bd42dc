package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import java.util.List;

/**
 * SL002: a collection, array, atomic or builder that exists outside the function is mutated
 * inside it.
 */
final class OuterMutationRule implements RuleCheck {

  @Override
  public Rule rule() {
    return Rule.SL002;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      if (Mutations.classify(effect).orElse(null) != Rule.SL002) {
        continue;
      }
      String what = switch (effect) {
        case Effect.ElementWrite w -> "Element write to array '" + Snippets.code(w.array())
            + "', which comes from outside the function,";
        case Effect.Call c -> "Call " + Snippets.call(c)
            + " mutates an object that comes from outside the function";
        default -> "Outside object mutated";
      };
      sink.report(Rule.SL002, effect, effect.node(),
          what + " " + effect.context().where() + ": " + Phrases.runsWhen(effect.context(), "the mutation")
              + ". Fix: build a new value inside the function and return it (explicit state)"
              + " instead of mutating shared objects.",
          List.of(FixId.SUPPRESS));
    }
  }
}
