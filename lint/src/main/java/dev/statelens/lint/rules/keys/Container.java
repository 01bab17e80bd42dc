package dev.statelens.lint.rules.keys;

import java.util.List;
import java.util.Set;

/**
 * A local (or, for records, a parameter) that keeps keys inside. {@code components}: a
 * record's components in order (null where an accessor is declared, so not followed);
 * {@code keyComponents}: the accessors known to give a Key (for {@code var k = p.key()}).
 * Records are immutable, so {@code p.key()} is the same key while {@code p} is not
 * reassigned, wherever {@code p} came from; a list or array only when made in the body from
 * keys ({@code Random.split(key, 3)}, {@code List.of(a, b)}, {@code new Key[] {a, b}}).
 */
record Container(Holder holder, List<String> components, Set<String> keyComponents,
    boolean ofKeys) {}
