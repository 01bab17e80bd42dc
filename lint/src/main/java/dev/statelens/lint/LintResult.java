package dev.statelens.lint;

import java.util.List;

/**
 * What one lint run found.
 *
 * @param findings unsuppressed findings, sorted by file, line, column, rule
 * @param notices what could not be fully analyzed (syntax errors, functions the analyzer cannot
 *     see, internal errors), sorted by file and line
 * @param filesAnalyzed number of Java files read
 * @param linesAnalyzed number of lines in them
 * @param suppressed number of findings hidden by {@code @SuppressWarnings("statelens...")}
 */
public record LintResult(
    List<Finding> findings, List<Notice> notices, int filesAnalyzed, long linesAnalyzed,
    int suppressed) {

  public LintResult {
    findings = List.copyOf(findings);
    notices = List.copyOf(notices);
  }
}
