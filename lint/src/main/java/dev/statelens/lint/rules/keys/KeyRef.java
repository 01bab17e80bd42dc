package dev.statelens.lint.rules.keys;

import java.util.Set;

/**
 * A key as a call is given it: {@code text} as written ({@code key}, {@code ks.first()},
 * {@code p.key()}, {@code keep(key)}), {@code root} the variable whose assignment changes it,
 * {@code values} the values it may hold (see {@link State}).
 */
record KeyRef(String text, String root, Set<String> values) {
  /** Whether it is a plain variable (the quick fixes split and reassign only those). */
  boolean variable() {
    return text.equals(root);
  }
}
