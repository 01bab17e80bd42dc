package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.Origin;
import dev.statelens.lint.analysis.TypeRef;
import dev.statelens.lint.fix.FixId;
import java.util.List;
import java.util.Set;

/**
 * SL004: Java's implicit random sources. The engine's {@code Random} (static functions of an
 * explicit {@code Key}) is the fix, so static calls on a type named {@code Random} are not
 * reported unless it is {@code java.util.Random}.
 */
final class RandomnessRule implements RuleCheck {

  private static final Set<String> JDK_RANDOM_TYPES = Set.of("java.util.Random",
      "java.security.SecureRandom", "java.util.SplittableRandom",
      "java.util.concurrent.ThreadLocalRandom", "java.util.random.RandomGenerator");
  private static final Set<String> CREATED_TYPES = Set.of("Random", "SecureRandom",
      "SplittableRandom");

  @Override
  public Rule rule() {
    return Rule.SL004;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      String what = switch (effect) {
        case Effect.Call call -> describe(call);
        case Effect.Creation creation when creation.type() != null
            && CREATED_TYPES.contains(creation.type().simpleName())
            && !isEngine(creation.type()) -> "new " + creation.type().simpleName() + "(...)";
        default -> null;
      };
      if (what != null) {
        sink.report(Rule.SL004, effect, effect.node(),
            "Implicit randomness " + what + " " + effect.context().where()
                + ": the random number is drawn once, at trace time, and baked into the graph as "
                + "a constant; every later call sees the same number. Fix: add a Key parameter "
                + "and draw with Random.uniform(key, ...)/Random.normal(key, ...), splitting the "
                + "key outside (Random.split).",
            dev.statelens.lint.fix.KeyParameterFix.whyNotApplicable(effect.node()) == null
                ? List.of(FixId.KEY_PARAMETER, FixId.SUPPRESS)
                : List.of(FixId.SUPPRESS));
      }
    }
  }

  private static String describe(Effect.Call call) {
    String name = call.name();
    if (call.receiver() == null) {
      if ((call.callee().ownerIs("java.lang.Math") || call.callee().ownerIs("java.lang.StrictMath"))
          && name.equals("random")) {
        return "Math.random()";
      }
      if (call.callee().ownerIs("java.util.concurrent.ThreadLocalRandom") && name.equals("current")) {
        return "ThreadLocalRandom.current()";
      }
      if (call.callee().ownerIs("java.util.UUID") && name.equals("randomUUID")) {
        return "UUID.randomUUID()";
      }
      if (call.callee().ownerIs("java.util.random.RandomGenerator")
          && (name.equals("getDefault") || name.equals("of"))) {
        return "RandomGenerator." + name + "(...)";
      }
      return null;
    }
    TypeRef type = call.receiverType();
    boolean draws = name.startsWith("next") || name.equals("ints") || name.equals("longs")
        || name.equals("doubles");
    if (!draws || type == null || call.receiver().origin() == Origin.FRESH || isEngine(type)) {
      return null; // a generator made inside is reported where it is created
    }
    boolean jdk = JDK_RANDOM_TYPES.stream().anyMatch(type::isA)
        || (type.qualifiedName() == null && CREATED_TYPES.contains(type.simpleName()));
    return jdk ? Snippets.call(call) : null;
  }

  private static boolean isEngine(TypeRef type) {
    return type.qualifiedName() != null && type.qualifiedName().startsWith("dev.statelens.engine.");
  }
}
