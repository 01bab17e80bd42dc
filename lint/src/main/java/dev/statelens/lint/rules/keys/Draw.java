package dev.statelens.lint.rules.keys;

/** A key that {@code use} consumes. */
record Draw(KeyRef ref, Use use) {}
