package dev.statelens.lint.rules;

import dev.statelens.lint.Rule;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.Facts;
import dev.statelens.lint.analysis.Origin;
import dev.statelens.lint.analysis.TypeRef;
import java.util.Optional;
import java.util.Set;

/**
 * Which writes and calls mutate state outside the transformed function, and which rule owns
 * each: a traced value stored outside is a leaked tracer (SL008); otherwise a field write is
 * SL001 and any other outside mutation SL002. Objects created inside the function, and objects
 * whose origin is unknown, are never reported.
 */
final class Mutations {

  private static final Set<String> COLLECTION_MUTATORS = Set.of(
      "add", "addAll", "addFirst", "addLast", "remove", "removeAll", "removeIf", "retainAll",
      "clear", "set", "push", "pop", "poll", "pollFirst", "pollLast", "offer", "offerFirst",
      "offerLast", "removeFirst", "removeLast", "replaceAll", "sort", "put", "putAll",
      "putIfAbsent", "compute", "computeIfAbsent", "computeIfPresent", "merge", "replace",
      "putFirst", "putLast");
  private static final Set<String> BUILDER_MUTATORS = Set.of(
      "append", "insert", "delete", "deleteCharAt", "replace", "reverse", "setLength",
      "setCharAt", "appendCodePoint");
  private static final Set<String> ATOMIC_MUTATORS = Set.of(
      "set", "lazySet", "setPlain", "setOpaque", "setRelease", "setVolatile", "getAndSet",
      "incrementAndGet", "decrementAndGet", "getAndIncrement", "getAndDecrement", "addAndGet",
      "getAndAdd", "compareAndSet", "weakCompareAndSet", "compareAndExchange",
      "accumulateAndGet", "getAndAccumulate", "updateAndGet", "getAndUpdate", "add",
      "increment", "decrement", "accumulate", "reset", "sumThenReset");
  private static final Set<String> BITSET_MUTATORS = Set.of("set", "clear", "flip", "and", "or", "xor", "andNot");
  private static final Set<String> ARRAYS_MUTATORS = Set.of("fill", "sort", "setAll", "parallelSort", "parallelSetAll", "parallelPrefix");
  private static final Set<String> COLLECTIONS_MUTATORS = Set.of("sort", "shuffle", "reverse", "swap", "fill", "rotate", "addAll", "copy");

  private Mutations() {}

  /** The rule owning a write or call, if it mutates something outside the function. */
  static Optional<Rule> classify(Effect effect) {
    return switch (effect) {
      case Effect.FieldWrite w -> w.receiver() != Origin.OUTER
          ? Optional.empty()
          : Optional.of(w.value().traced() ? Rule.SL008 : Rule.SL001);
      case Effect.ElementWrite w -> w.arrayOrigin() != Origin.OUTER
          ? Optional.empty()
          : Optional.of(w.value().traced() ? Rule.SL008 : Rule.SL002);
      case Effect.Call call -> isOuterMutation(call)
          ? Optional.of(call.anyArgTraced() ? Rule.SL008 : Rule.SL002)
          : Optional.empty();
      default -> Optional.empty();
    };
  }

  private static boolean isOuterMutation(Effect.Call call) {
    String name = call.name();
    if (call.receiver() == null) {
      return staticMutation(call);
    }
    if (call.receiver().origin() != Origin.OUTER) {
      return false;
    }
    TypeRef type = call.receiverType();
    if (type == null) {
      return false;
    }
    if (type.isA("java.util.Collection") || type.isA("java.util.Map")) {
      return COLLECTION_MUTATORS.contains(name);
    }
    if (type.isA("java.util.Iterator")) {
      return name.equals("remove") || name.equals("set") || name.equals("add");
    }
    if (type.is("java.lang.StringBuilder") || type.is("java.lang.StringBuffer")) {
      return BUILDER_MUTATORS.contains(name);
    }
    if (type.isA("java.util.BitSet")) {
      return BITSET_MUTATORS.contains(name);
    }
    return isAtomic(type) && ATOMIC_MUTATORS.contains(name);
  }

  private static boolean isAtomic(TypeRef type) {
    String simple = type.simpleName();
    boolean atomicName = simple.startsWith("Atomic") || simple.equals("LongAdder")
        || simple.equals("DoubleAdder") || simple.equals("LongAccumulator")
        || simple.equals("DoubleAccumulator");
    return atomicName && (type.qualifiedName() == null
        || type.qualifiedName().startsWith("java.util.concurrent.atomic."));
  }

  private static boolean staticMutation(Effect.Call call) {
    String name = call.name();
    if (call.callee().ownerIs("java.util.Arrays") && ARRAYS_MUTATORS.contains(name)) {
      return argOrigin(call, 0) == Origin.OUTER;
    }
    if (call.callee().ownerIs("java.util.Collections") && COLLECTIONS_MUTATORS.contains(name)) {
      return argOrigin(call, 0) == Origin.OUTER;
    }
    if (call.callee().ownerIs("java.lang.System") && name.equals("arraycopy")) {
      return argOrigin(call, 2) == Origin.OUTER;
    }
    return false;
  }

  private static Origin argOrigin(Effect.Call call, int index) {
    if (index >= call.args().size()) {
      return Origin.UNKNOWN;
    }
    Facts facts = call.args().get(index);
    return facts.origin();
  }
}
