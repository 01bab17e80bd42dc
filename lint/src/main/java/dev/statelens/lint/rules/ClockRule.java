package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.fix.FixId;
import java.util.List;
import java.util.Set;

/** SL005: reading the clock inside transformed code freezes one instant into the graph. */
final class ClockRule implements RuleCheck {

  private static final Set<String> NOW_TYPES = Set.of("Instant", "LocalDateTime", "LocalDate",
      "LocalTime", "ZonedDateTime", "OffsetDateTime", "OffsetTime", "Year", "YearMonth",
      "MonthDay");

  @Override
  public Rule rule() {
    return Rule.SL005;
  }

  @Override
  public void check(List<Effect> effects, FindingSink sink) {
    for (Effect effect : effects) {
      String what = switch (effect) {
        case Effect.Call call -> describe(call);
        case Effect.Creation creation when creation.type() != null
            && creation.type().simpleName().equals("Date") && creation.args().isEmpty() ->
            "new Date()";
        default -> null;
      };
      if (what != null) {
        sink.report(Rule.SL005, effect, effect.node(),
            "Clock read " + what + " " + effect.context().where()
                + ": the time is read once, at trace time, and frozen into the graph; later "
                + "calls see the same value. Fix: read the clock outside the transformed function "
                + "and pass the value in as an argument.",
            List.of(FixId.SUPPRESS));
      }
    }
  }

  private static String describe(Effect.Call call) {
    String name = call.name();
    if (call.receiver() != null) {
      boolean clock = call.receiverType() != null && call.receiverType().isA("java.time.Clock")
          && (name.equals("millis") || name.equals("instant"));
      return clock ? Snippets.call(call) : null;
    }
    if (call.callee().ownerIs("java.lang.System")
        && (name.equals("nanoTime") || name.equals("currentTimeMillis"))) {
      return "System." + name + "()";
    }
    if (name.equals("now") && call.callee().owner() != null
        && NOW_TYPES.contains(call.callee().owner().simpleName())
        && (call.callee().owner().qualifiedName() == null
            || call.callee().owner().qualifiedName().startsWith("java.time."))) {
      return call.callee().owner().simpleName() + ".now()";
    }
    if (call.callee().ownerIs("java.util.Calendar") && name.equals("getInstance")) {
      return "Calendar.getInstance()";
    }
    return null;
  }
}
