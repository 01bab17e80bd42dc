package dev.statelens.lint.report;

import dev.statelens.lint.Finding;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Notice;
import dev.statelens.lint.Severity;
import java.io.IOException;
import java.nio.file.Path;

/**
 * javac-style lines: {@code src/Counter.java:12:5: warning: [SL001] message}, then notices as
 * {@code note:} lines and a one-line summary.
 */
public final class TextReport implements Report {

  @Override
  public void write(LintResult result, Path baseDir, Appendable out) throws IOException {
    for (Finding f : result.findings()) {
      out.append(Report.relative(f.file(), baseDir)).append(':')
          .append(String.valueOf(f.range().line())).append(':')
          .append(String.valueOf(f.range().column())).append(": ")
          .append(f.severity().label()).append(": [").append(f.rule().id()).append("] ")
          .append(f.messageWithChain()).append('\n');
    }
    for (Notice n : result.notices()) {
      String where = n.file() == null ? "statelens" : Report.relative(n.file(), baseDir)
          + (n.line() > 0 ? ":" + n.line() : "");
      out.append(where).append(": note: ").append(n.message()).append('\n');
    }
    out.append(summary(result)).append('\n');
  }

  /** {@code 3 findings (1 error, 2 warnings) in 12 files, 2 suppressed, 1 note}. */
  static String summary(LintResult result) {
    int[] bySeverity = new int[Severity.values().length];
    for (Finding f : result.findings()) {
      bySeverity[f.severity().ordinal()]++;
    }
    StringBuilder s = new StringBuilder();
    s.append(plural(result.findings().size(), "finding"));
    if (!result.findings().isEmpty()) {
      s.append(" (");
      String sep = "";
      for (Severity sev : Severity.values()) {
        if (bySeverity[sev.ordinal()] > 0) {
          s.append(sep).append(plural(bySeverity[sev.ordinal()], sev.label()));
          sep = ", ";
        }
      }
      s.append(')');
    }
    s.append(" in ").append(plural(result.filesAnalyzed(), "file"));
    if (result.suppressed() > 0) {
      s.append(", ").append(result.suppressed()).append(" suppressed");
    }
    if (!result.notices().isEmpty()) {
      s.append(", ").append(plural(result.notices().size(), "note"));
    }
    return s.toString();
  }

  private static String plural(int n, String word) {
    return n + " " + word + (n == 1 ? "" : "s");
  }
}
