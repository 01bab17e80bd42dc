package dev.statelens.lint.incremental;

/**
 * Two versions of a text as one replaced region: the longest common prefix and suffix. Offsets
 * outside the region move by the length difference; offsets inside it do not map.
 */
public final class TextEdit {

  private final int prefix;
  private final int oldSuffixStart;
  private final int delta;

  private TextEdit(int prefix, int oldSuffixStart, int delta) {
    this.prefix = prefix;
    this.oldSuffixStart = oldSuffixStart;
    this.delta = delta;
  }

  public static TextEdit between(String before, String after) {
    int max = Math.min(before.length(), after.length());
    int prefix = 0;
    while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix && before.charAt(before.length() - 1 - suffix)
        == after.charAt(after.length() - 1 - suffix)) {
      suffix++;
    }
    return new TextEdit(prefix, before.length() - suffix, after.length() - before.length());
  }

  /** The new offset of the character at old {@code offset}, or -1 inside the replaced region. */
  public int map(int offset) {
    if (offset < prefix) {
      return offset;
    }
    return offset >= oldSuffixStart ? offset + delta : -1;
  }

  /** The new exclusive end of an old range ending at {@code end} (exclusive), or -1. */
  public int mapEnd(int end) {
    if (end <= prefix) {
      return end;
    }
    int last = map(end - 1);
    return last < 0 ? -1 : last + 1;
  }

  /** The replaced region of the old text, [start, end). */
  public int oldStart() {
    return prefix;
  }

  public int oldEnd() {
    return oldSuffixStart;
  }

  /** The replaced region of the new text, [start, end). */
  public int newStart() {
    return prefix;
  }

  public int newEnd() {
    return oldSuffixStart + delta;
  }
}
