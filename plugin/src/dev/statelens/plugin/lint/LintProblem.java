package dev.statelens.plugin.lint;

import dev.statelens.lint.CallFrame;
import dev.statelens.lint.Finding;
import java.util.stream.Collectors;
import org.eclipse.jdt.core.compiler.CategorizedProblem;

/**
 * A finding as a JDT problem: editor squiggle and hover while reconciling, and (because the
 * marker type is managed) a persistent marker when recorded during a build. The hover shows the
 * message with the call chain.
 */
public final class LintProblem extends CategorizedProblem {

  private final Finding finding;
  private final char[] fileName;
  private int start;
  private int end;
  private int line;

  public LintProblem(Finding finding, char[] fileName) {
    this.finding = finding;
    this.fileName = fileName;
    this.start = finding.range().offset();
    this.end = finding.range().offset() + Math.max(finding.range().length(), 1) - 1; // inclusive
    this.line = finding.range().line();
  }

  public Finding finding() {
    return finding;
  }

  @Override
  public String getMarkerType() {
    return LintMarkers.PROBLEM;
  }

  @Override
  public int getCategoryID() {
    return CAT_POTENTIAL_PROGRAMMING_PROBLEM;
  }

  /** Arguments for quick-fix processors: rule id and comma-separated fix ids (no '#': JDT's separator). */
  @Override
  public String[] getArguments() {
    return new String[] {finding.rule().id(), String.join(",", finding.fixIds())};
  }

  @Override
  public int getID() {
    return LintMarkers.problemId(finding.rule());
  }

  @Override
  public String getMessage() {
    return "[" + finding.rule().id() + "] " + finding.messageWithChain();
  }

  @Override
  public char[] getOriginatingFileName() {
    return fileName;
  }

  @Override
  public int getSourceStart() {
    return start;
  }

  @Override
  public int getSourceEnd() {
    return end;
  }

  @Override
  public int getSourceLineNumber() {
    return line;
  }

  @Override
  public boolean isError() {
    return finding.severity() == dev.statelens.lint.Severity.ERROR;
  }

  @Override
  public boolean isWarning() {
    return finding.severity() == dev.statelens.lint.Severity.WARNING;
  }

  @Override
  public boolean isInfo() {
    return finding.severity() == dev.statelens.lint.Severity.INFO;
  }

  @Override
  public void setSourceStart(int sourceStart) {
    this.start = sourceStart;
  }

  @Override
  public void setSourceEnd(int sourceEnd) {
    this.end = sourceEnd;
  }

  @Override
  public void setSourceLineNumber(int lineNumber) {
    this.line = lineNumber;
  }

  @Override
  public String[] getExtraMarkerAttributeNames() {
    return new String[] {LintMarkers.RULE_ID, LintMarkers.FIX_IDS, LintMarkers.CALL_CHAIN};
  }

  @Override
  public Object[] getExtraMarkerAttributeValues() {
    return new Object[] {finding.rule().id(), String.join(",", finding.fixIds()), chain(finding)};
  }

  static String chain(Finding finding) {
    return finding.callChain().stream().map(CallFrame::render).collect(Collectors.joining(" -> "));
  }
}
