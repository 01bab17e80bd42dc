package dev.statelens.debugger.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a query occurs in a text, ignoring case, optionally as a whole word (not inside a longer
 * name: {@code fk} finds the variable {@code fk} where it is defined and used, not {@code bfk} or
 * {@code fka}). One pass of {@link String#indexOf} over a lower-cased copy kept with the text, so a
 * keystroke in the find field costs a scan, not a re-layout.
 */
public final class TextMatches {
  private final String lower;

  public TextMatches(String text) {
    this.lower = text.toLowerCase(Locale.ROOT);
  }

  /** The start offsets of {@code query}'s matches, in order (none for an empty query). */
  public int[] find(String query, boolean wholeWord) {
    if (query.isEmpty()) {
      return new int[0];
    }
    String q = query.toLowerCase(Locale.ROOT);
    int[] found = new int[16];
    int n = 0;
    for (int at = lower.indexOf(q); at >= 0; at = lower.indexOf(q, at + 1)) {
      if (wholeWord && !(boundary(at - 1) && boundary(at + q.length()))) {
        continue;
      }
      if (n == found.length) {
        found = Arrays.copyOf(found, n * 2);
      }
      found[n++] = at;
    }
    return Arrays.copyOf(found, n);
  }

  /** No name character at {@code i} (a name: letters, digits, underscore). */
  private boolean boundary(int i) {
    if (i < 0 || i >= lower.length()) {
      return true;
    }
    char c = lower.charAt(i);
    return !(Character.isLetterOrDigit(c) || c == '_');
  }
}
