package dev.statelens.lint.rules.keys;

import java.util.Set;

/**
 * A key as a call is given it: {@code text} as written ({@code key}, {@code ks.first()},
 * {@code p.key()}, {@code keep(key)}, {@code this.key}), {@code root} the variable whose
 * assignment changes it, {@code values} the values it may hold (see {@link State});
 * {@code field}: the key is a field of the class ({@link FieldKeys}).
 */
record KeyRef(String text, String root, Set<String> values, boolean field) {
  KeyRef(String text, String root, Set<String> values) {
    this(text, root, values, false);
  }

  /** Whether it is a plain local variable (the quick fixes split and reassign only those). */
  boolean variable() {
    return !field && text.equals(root);
  }
}
