package dev.statelens.debugger.ui;

import java.util.function.ToIntFunction;

/**
 * A cell's text shortened to its column's width: cut after its last whole word that fits, with
 * "…", or with its numbers rounded to 3 or 2 significant digits when that shows more. GTK cuts a cell at
 * the pixel, mid-number: the state tree's summary "mean 5.6897e-05 ± …" in a narrow Value column
 * read "mean 5.6897e-0", which looks like 5.69.
 */
public final class FitText {
  static final String ELLIPSIS = " …";

  private FitText() {}

  /**
   * {@code text} if it fits in {@code width} pixels, else its words that fit followed by " …"
   * (a word is never cut, nor left dangling as a lone "±"; "…" alone when not even the first word
   * fits). When writing its numbers to 3 (or 2) significant digits shows more of it, that: a number
   * is rounded, never cut ("mean 5.6897e-0" would read as 5.69).
   */
  public static String fit(String text, int width, ToIntFunction<String> measure) {
    if (text.isEmpty() || measure.applyAsInt(text) <= width) {
      return text;
    }
    String best = cutAtWord(text, width, measure);
    // numbers to 3, then 2 significant digits ("mean -6.71e-06 …" rather than "mean …"): rounded, never cut
    for (int digits = 3; digits >= 2; digits--) {
      String compact = compact(text, digits);
      String shorter = measure.applyAsInt(compact) <= width ? compact : cutAtWord(compact, width, measure);
      if (kept(shorter) > kept(best)) {
        best = shorter;
      }
    }
    return best;
  }

  /** How many words of the text a fitted string shows. */
  private static long kept(String fitted) {
    long spaces = fitted.chars().filter(c -> c == ' ').count();
    return fitted.endsWith(ELLIPSIS.strip()) ? spaces : spaces + 1;
  }

  /** {@code text} with every number written to {@code digits} significant digits (brackets and commas kept). */
  static String compact(String text, int digits) {
    StringBuilder b = new StringBuilder();
    for (String word : text.split(" ", -1)) {
      int from = 0, to = word.length();
      while (from < to && (word.charAt(from) == '[' || word.charAt(from) == '(')) {
        from++;
      }
      while (to > from && ",])%".indexOf(word.charAt(to - 1)) >= 0) {
        to--;
      }
      String core = word.substring(from, to);
      String shortened = core;
      if (core.chars().anyMatch(Character::isDigit)) {
        try {
          double v = Double.parseDouble(core);
          String g = String.format(java.util.Locale.ROOT, "%." + digits + "g", v);
          shortened = g.length() < core.length() ? g : core;
        } catch (NumberFormatException e) {
          // not a number: kept as it is
        }
      }
      b.append(word, 0, from).append(shortened)
          .append(word, to, word.length()).append(' ');
    }
    return b.substring(0, b.length() - 1);
  }

  private static String cutAtWord(String text, int width, ToIntFunction<String> measure) {
    String best = ELLIPSIS.strip();
    int end = text.indexOf(' ');
    while (end > 0) {
      String candidate = text.substring(0, end) + ELLIPSIS;
      if (measure.applyAsInt(candidate) > width) {
        break;
      }
      String lastWord = text.substring(text.lastIndexOf(' ', end - 1) + 1, end);
      if (lastWord.chars().anyMatch(Character::isLetterOrDigit)) { // not "mean 0.1 ± …"
        best = candidate;
      }
      end = text.indexOf(' ', end + 1);
    }
    return best;
  }
}
