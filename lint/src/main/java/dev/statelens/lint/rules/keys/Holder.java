package dev.statelens.lint.rules.keys;

/** What kind of holder of keys a {@link Container} is: how its keys are read back. */
enum Holder {
  /** A record ({@code Pair}, or one of this file): {@code p.first()}, {@code p.key()}. */
  RECORD,
  /** An immutable list ({@code Random.split(key, n)}, {@code List.of(...)}): {@code ks.get(0)}. */
  LIST,
  /** An array no code of the body writes or hands on: {@code ks[0]}. */
  ARRAY
}
