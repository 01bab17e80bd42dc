package dev.statelens.debugger.model;

import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Path;

/**
 * Why a run file could not be opened, in the words a user needs: the run store's message (which
 * names the file and the fix) without SQLite's own error text, which goes to the Error Log with
 * the exception instead.
 */
public final class RunFileProblems {
  private RunFileProblems() {}

  /** The message for the dialog: names {@code file} and what to do. */
  public static String userMessage(Path file, Throwable t) {
    String m = t.getMessage();
    if (t instanceof RunStoreException || t instanceof IllegalStateException) {
      if (m != null && !m.isBlank()) {
        return withoutSqliteText(m);
      }
    }
    return "Cannot read " + file + " as a StateLens run (" + t.getClass().getSimpleName()
        + "; the Error Log has the details). Open a .db file the recorder wrote, or re-record the run.";
  }

  /**
   * Drops SQLite's wording ("([SQLITE_CORRUPT] The database disk image is malformed (…))") from a
   * run store message; what is left already says what is wrong and what to do.
   */
  static String withoutSqliteText(String m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (true) {
      int k = m.indexOf("([SQLITE_", i);
      if (k < 0) {
        out.append(m, i, m.length());
        break;
      }
      out.append(m, i, k > i && m.charAt(k - 1) == ' ' ? k - 1 : k);
      i = closing(m, k) + 1;
    }
    String r = out.toString();
    int raw = r.indexOf("[SQLITE_");
    if (raw >= 0) { // an unclassified failure: keep the sentence up to SQLite's text
      r = r.substring(0, raw).replaceAll("[:\\s]+$", "") + " (SQLite's report is in the Error Log).";
    }
    return r;
  }

  private static int closing(String s, int open) {
    int depth = 0;
    for (int j = open; j < s.length(); j++) {
      if (s.charAt(j) == '(') {
        depth++;
      } else if (s.charAt(j) == ')' && --depth == 0) {
        return j;
      }
    }
    return s.length() - 1;
  }
}
