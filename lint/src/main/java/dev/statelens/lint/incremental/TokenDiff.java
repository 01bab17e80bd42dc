package dev.statelens.lint.incremental;

/**
 * Where two versions of a file differ, token-wise: a common prefix and a common suffix of tokens
 * around one changed run. Positions in the common parts map from the old text to the new one;
 * positions in the changed run do not.
 */
public final class TokenDiff {

  private final Tokens before;
  private final Tokens after;
  private final int prefix;
  private final int suffix;

  private TokenDiff(Tokens before, Tokens after, int prefix, int suffix) {
    this.before = before;
    this.after = after;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  public static TokenDiff of(Tokens before, Tokens after) {
    int max = Math.min(before.size(), after.size());
    int prefix = 0;
    while (prefix < max && before.sameToken(prefix, after, prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && before.sameToken(before.size() - 1 - suffix, after, after.size() - 1 - suffix)) {
      suffix++;
    }
    return new TokenDiff(before, after, prefix, suffix);
  }

  /** Only comments and whitespace changed. */
  public boolean sameTokens() {
    return prefix == before.size() && prefix == after.size();
  }

  /** First changed token (same index in both versions). */
  public int firstChanged() {
    return prefix;
  }

  /** One past the last changed token of the old version. */
  public int endChangedBefore() {
    return before.size() - suffix;
  }

  /** One past the last changed token of the new version. */
  public int endChangedAfter() {
    return after.size() - suffix;
  }

  /** The new index of an old token outside the changed run, or -1 inside it. */
  public int mapToken(int oldToken) {
    if (oldToken < 0) {
      return -1;
    }
    if (oldToken < prefix) {
      return oldToken;
    }
    if (oldToken >= before.size() - suffix) {
      return oldToken + after.size() - before.size();
    }
    return -1;
  }

  /** The new offset of an old token start, or -1 (not a token start, or changed). */
  public int mapStart(int oldOffset) {
    int token = mapToken(before.startingAt(oldOffset));
    return token < 0 ? -1 : after.start(token);
  }

  /** The new offset of an old token end (exclusive), or -1. */
  public int mapEnd(int oldEndOffset) {
    int token = mapToken(before.endingAt(oldEndOffset));
    return token < 0 ? -1 : after.end(token);
  }

  public Tokens before() {
    return before;
  }

  public Tokens after() {
    return after;
  }
}
