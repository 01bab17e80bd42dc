package dev.statelens.lint.rules.keys;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What is known on the current path. A key variable holds a <em>value</em>, named by a token:
 * a parameter its own name (the caller's key), each assignment a new token; {@code Key k2 = key}
 * makes {@code k2} hold {@code key}'s value (a Java reference copy is the same key), and after a
 * join or {@code c ? a : b} a variable may hold several. Draws are recorded per value, so a draw
 * through one name and then another that holds the same value is a reuse.
 */
final class State {
  /** Key name -> the values it may hold, in a stable order; absent: its own name's token. */
  final Map<String, Set<String>> values = new HashMap<>();
  /** Value token -> the consuming use since the value was made. */
  final Map<String, Use> used = new HashMap<>();
  /** Container value token -> what it holds; shared by every path (a token's contents never change). */
  final Map<String, Contents> contents;

  State(Map<String, Contents> contents) {
    this.contents = contents;
  }

  State copy() {
    State c = new State(contents);
    c.values.putAll(values); // the sets are never changed in place
    c.used.putAll(used);
    return c;
  }

  Set<String> valuesOf(String name) {
    return values.getOrDefault(name, Set.of(name));
  }


  /**
   * {@code name} now holds {@code now}. A value no variable holds any more forgets its draw:
   * it cannot be drawn from again on this path, and a join must not pair that draw with the
   * same value still held on another path (the value a loop's zero-iteration path keeps).
   */
  void hold(String name, Set<String> now) {
    Set<String> before = valuesOf(name);
    values.put(name, now);
    for (String value : before) {
      if (!now.contains(value) && !held(value)) {
        used.remove(value);
      }
    }
  }

  /** Whether a variable holds {@code value} (a name's own value: while it is not assigned). */
  private boolean held(String value) {
    int slot = value.indexOf('/');
    if (slot >= 0) {
      return held(value.substring(0, slot)); // a container's own key: while it is held
    }
    if (!value.contains("#") && !values.containsKey(value)) {
      return true;
    }
    for (Set<String> held : values.values()) {
      if (held.contains(value)) {
        return true;
      }
      for (String token : held) { // kept in a record, list or array a variable holds
        Contents c = contents.get(token);
        if (c != null && c.slots().values().stream().anyMatch(v -> v.contains(value))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Joins another path into this one: what either may have. */
  void add(State other) {
    other.used.forEach(used::putIfAbsent);
    if (values.equals(other.values)) {
      return; // the usual case: both paths assigned the same
    }
    Set<String> names = new HashSet<>(values.keySet());
    names.addAll(other.values.keySet());
    for (String name : names) {
      Set<String> mine = valuesOf(name);
      Set<String> theirs = other.valuesOf(name);
      if (!mine.equals(theirs)) {
        Set<String> both = new LinkedHashSet<>(mine);
        both.addAll(theirs);
        values.put(name, both);
      }
    }
  }
}
