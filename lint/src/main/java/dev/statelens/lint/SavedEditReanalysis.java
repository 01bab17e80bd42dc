package dev.statelens.lint;

import dev.statelens.lint.analysis.TransformKind;
import dev.statelens.lint.analysis.TransformSite;
import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.incremental.LineTable;
import dev.statelens.lint.incremental.Members;
import dev.statelens.lint.incremental.TextEdit;
import dev.statelens.lint.incremental.TokenDiff;
import dev.statelens.lint.incremental.Tokens;
import dev.statelens.lint.source.FileSummary;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.SourceFile;
import dev.statelens.lint.source.TypeSummary;
import dev.statelens.lint.suppress.SuppressionToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jdt.core.compiler.ITerminalSymbols;
import org.eclipse.jdt.core.dom.CompilationUnit;

/**
 * Re-analysis of a saved edit of the file analyzed last, without compiling the whole file again.
 *
 * <p>JDT resolves a method body from the declarations of the project alone, never from other
 * bodies. So when an edit changes tokens inside one method body only (or only comments and
 * whitespace), every other body resolves as before, and a transform site whose analysis read none
 * of the changed body (its {@link SiteOutcome#members()}) has the same outcome, at shifted
 * positions. The sites that did read it, and the sites of the edited body, are analyzed again on
 * a binding parse of the file in which every body they do not need is blanked out (spaces, same
 * line breaks, so positions do not move): JDT then resolves a few bodies instead of all of them.
 *
 * <p>Anything outside that case returns null and {@link Linter#update} runs the full analysis:
 * an edit outside a body (imports, fields, signatures), an edit that changes what the index
 * knows of the file, syntax errors, another file changed since, or a re-analyzed site reading a
 * body that was blanked. The result is the one the full analysis gives; {@code
 * SavedEditEquivalenceTest} checks that on many edits.
 */
final class SavedEditReanalysis {

  private final Linter linter;
  private final EditMemo memo;
  /** Whether this re-analysis parsed the file through the linter's kept environment. */
  private boolean parsed;

  SavedEditReanalysis(Linter linter, EditMemo memo) {
    this.linter = linter;
    this.memo = memo;
  }

  /** The re-analysis of the saved file, or null when this edit needs the full one. */
  LintResult reanalyze(SourceFile file) {
    try {
      return run(file);
    } catch (RuntimeException | StackOverflowError e) {
      return null; // the full analysis reports what goes wrong
    }
  }

  private LintResult run(SourceFile file) {
    Path path = file.path();
    String before = memo.summary().file().content();
    String text = file.content();
    if (!memo.summary().hasTransformCall() || sameFileNameElsewhere(path)
        || text.contains("\\u") || before.contains("\\u")) {
      return null; // unicode escapes can spell names and line breaks the scanner sees differently
    }
    Tokens after = Tokens.scan(text);
    if (after == null) {
      return null;
    }
    TokenDiff diff = TokenDiff.of(memo.tokens(), after);
    TextEdit edit = TextEdit.between(before, text);
    Members members = memo.members().moved(edit::map);
    int changed = members == null ? -2 : Members.changedBody(diff, memo.members(), members);
    if (changed == -2 || mentionsSuppression(before.substring(edit.oldStart(), edit.oldEnd()))
        || mentionsSuppression(text.substring(edit.newStart(), edit.newEnd()))) {
      return null;
    }
    LineTable lines = LineTable.of(text);
    Shift shift = new Shift(diff, lines, path);
    List<SiteOutcome> outcomes = new ArrayList<>();
    Set<Integer> again = new HashSet<>(); // new call offsets of sites to analyze again
    Set<Integer> needed = new TreeSet<>(); // members whose bodies the binding parse keeps
    if (changed >= 0) {
      needed.add(changed);
    }
    // customVjp(f, fwd, bwd) is one call with three sites: analyzed again together or not at all
    Set<Integer> callsAgain = new HashSet<>();
    for (SiteOutcome old : memo.sites()) {
      if (old.members() != null && old.members().contains(changed) && !(changed >= 0 && old.member() == changed)) {
        callsAgain.add(old.callOffset());
      }
    }
    for (SiteOutcome old : memo.sites()) {
      if (changed >= 0 && old.member() == changed) {
        continue; // the edited body's sites are found again below
      }
      if (old.members() == null) {
        return null;
      }
      SiteOutcome moved = callsAgain.contains(old.callOffset()) ? null : shift.outcome(old);
      if (moved != null) {
        outcomes.add(moved);
      } else {
        int at = diff.mapStart(old.callOffset());
        if (at < 0) {
          return null;
        }
        again.add(at);
        needed.addAll(old.members());
      }
    }
    boolean editedBodyMaySite = changed >= 0 && Linter.mayCallTransform(text.substring(
        members.get(changed).bodyStart(), members.get(changed).bodyEnd()));
    char[] reduced = null;
    if (changed >= 0 || !again.isEmpty()) {
      addCallees(needed, members, after);
      reduced = blankOtherBodies(text, members, needed);
    }
    FileSummary reducedFacts = null;
    if (changed >= 0) {
      reducedFacts = reducedFacts(path, reduced);
      if (reducedFacts == null || !sameFactsAsBefore(path, before, needed, reducedFacts)) {
        return null;
      }
    }
    FileSummary summary = movedSummary(file, edit, lines);
    if (summary == null) {
      return null;
    }
    linter.addParsed(file, null, summary); // a fallback from here on indexes it again
    if (!again.isEmpty() || editedBodyMaySite) {
      List<SiteOutcome> fresh = analyzeAgain(file, reduced, members, changed, again, needed,
          outcomes);
      if (fresh == null) {
        return null;
      }
      outcomes.addAll(fresh);
    }
    outcomes.sort(Comparator.comparingInt(SiteOutcome::callOffset));
    if (!consistent(outcomes)) {
      return null;
    }
    Map<String, Finding> found = new LinkedHashMap<>();
    List<Notice> notices = new ArrayList<>();
    for (SiteOutcome outcome : outcomes) {
      Linter.replay(outcome, found, notices);
    }
    linter.remember(new EditMemo(summary, linter.indexVersion(), after, members, outcomes,
        reducedFacts, parsed || memo.keptParse()));
    return linter.suppressAndSort(found.values(), List.of(summary), notices);
  }

  /**
   * Analyzes the sites at {@code again} and those of the edited body on a binding parse that
   * keeps only the bodies they need; null when one of them read a blanked body.
   */
  private List<SiteOutcome> analyzeAgain(SourceFile file, char[] reduced, Members members,
      int changed, Set<Integer> again, Set<Integer> needed, List<SiteOutcome> reused) {
    // the edit is inside one body (or comments): the file declares the types it declared when
    // the memo's chain last parsed it, so what JDT read of its package stays valid
    CompilationUnit bound = linter.bindingEnvironment().parse(file.path(), reduced,
        linter.index().sourceRoots(), linter.config().classpath(), memo.keptParse());
    parsed = true;
    Linter.Analysis analysis = linter.new Analysis(
        new Units(linter.index(), Map.of(file.path(), bound), linter.syntaxTrees()));
    List<TransformSite> wanted = new ArrayList<>();
    Set<Integer> traced = new HashSet<>(); // inner transforms of jit(grad(f)) sites
    for (SiteOutcome o : reused) {
      if (o.nestedTarget() >= 0) {
        traced.add(o.nestedTarget());
      }
    }
    for (TransformSite site : analysis.finder().find(bound)) {
      int at = site.call().getStartPosition();
      if (again.contains(at) || (changed >= 0 && members.at(at) == changed)) {
        wanted.add(site);
        var inner = analysis.nestedTransform(site);
        if (inner != null) {
          traced.add(inner.getStartPosition());
        }
      }
    }
    if (wanted.stream().map(s -> s.call().getStartPosition()).distinct().filter(again::contains).count()
        != again.size()) {
      return null;
    }
    List<SiteOutcome> fresh = new ArrayList<>();
    for (TransformSite site : wanted) {
      boolean underJit = site.kind() == TransformKind.JIT
          || traced.contains(site.call().getStartPosition());
      SiteOutcome outcome = analysis.analyzeSite(site.underJit(underJit), members);
      if (outcome.members() == null || !needed.containsAll(outcome.members())) {
        return null;
      }
      fresh.add(outcome);
    }
    return fresh;
  }

  /**
   * Adds the members the needed bodies call by name (and the constructors, where they create
   * objects), transitively: a re-analyzed site usually follows those calls. What this misses is
   * caught after the analysis (a read of a blanked body falls back to the full analysis).
   */
  private static void addCallees(Set<Integer> needed, Members members, Tokens tokens) {
    List<Integer> work = new ArrayList<>(needed);
    while (!work.isEmpty()) {
      Members.Member m = members.get(work.remove(work.size() - 1));
      Set<String> names = new HashSet<>();
      boolean constructs = false;
      for (int k = tokens.firstFrom(m.bodyStart() + 1); k < tokens.size()
          && tokens.start(k) < m.bodyEnd() - 1; k++) {
        int type = tokens.type(k);
        if (type == ITerminalSymbols.TokenNameIdentifier) {
          names.add(tokens.text().substring(tokens.start(k), tokens.end(k)));
        } else if (type == ITerminalSymbols.TokenNamenew || ((type == ITerminalSymbols.TokenNamethis
            || type == ITerminalSymbols.TokenNamesuper) && k + 1 < tokens.size()
            && tokens.type(k + 1) == ITerminalSymbols.TokenNameLPAREN)) {
          constructs = true;
        }
      }
      for (Members.Member other : members.all()) {
        boolean called = other.constructor() ? constructs : names.contains(other.name());
        if (called && needed.add(other.ordinal())) {
          work.add(other.ordinal());
        }
      }
    }
  }

  /** What the index would know of the reduced text; null with syntax errors in it. */
  private static FileSummary reducedFacts(Path path, char[] reduced) {
    SourceFile file = new SourceFile(path, new String(reduced));
    FileSummary facts = ProjectIndex.summarize(file, JavaParsing.parseSyntax(file));
    return facts.syntaxErrors().isEmpty() ? facts : null;
  }

  /**
   * Whether what the index knows of the file is unchanged, judged on both versions with the same
   * bodies left out ({@code now}: the facts of the new one): what it knows is a union over the
   * bodies (names, field writes, transform calls, local types), and only the edited body
   * differs. The old version's reduced text is usually the one the previous re-analysis of the
   * same body summarized: its summary is reused then.
   */
  private boolean sameFactsAsBefore(Path path, String before, Set<Integer> needed,
      FileSummary now) {
    String old = new String(blankOtherBodies(before, memo.members(), needed));
    FileSummary then = memo.reduced() != null && memo.reduced().file().content().equals(old)
        ? memo.reduced() : reducedFacts(path, old.toCharArray());
    return then != null && sameFacts(then, now, memo.summary());
  }

  /** The kept index entry at the new positions; null where one falls in the edited region. */
  private FileSummary movedSummary(SourceFile file, TextEdit edit, LineTable lines) {
    FileSummary old = memo.summary();
    List<TypeSummary> types = new ArrayList<>();
    for (TypeSummary t : old.types()) {
      int offset = edit.map(t.offset());
      if (offset < 0) {
        return null;
      }
      types.add(new TypeSummary(t.qualifiedName(), t.file(), offset, t.superclass(),
          t.interfaces(), t.fields(), t.methodNames(), t.fieldsAssignedAfterInit()));
    }
    List<SuppressionToken> suppressions = new ArrayList<>();
    for (SuppressionToken t : old.suppressions()) {
      int start = edit.map(t.literal().offset());
      int end = edit.mapEnd(t.literal().endOffset());
      int scopeStart = edit.map(t.scopeStart());
      int scopeEnd = edit.mapEnd(t.scopeEnd());
      if (start < 0 || end < 0 || scopeStart < 0 || scopeEnd < 0) {
        return null;
      }
      suppressions.add(new SuppressionToken(t.file(), lines.range(start, end - start),
          scopeStart, scopeEnd, t.token(), t.rules(), t.unknownId()));
    }
    return new FileSummary(file, old.packageName(), types, old.hasTransformCall(),
        old.referencedNames(), old.fieldNamesAssignedThroughQualifier(), suppressions, List.of());
  }

  /** Suppressions are re-read only by a full analysis. */
  private static boolean mentionsSuppression(String region) {
    return region.contains("statelens") || region.contains("SuppressWarnings");
  }

  /**
   * The text without the bodies not in {@code kept}, at the same positions (spaces, same line
   * breaks): a {@link Members.Member#standalone} member not kept is left out whole, since nothing
   * kept names it ({@link #addCallees}) and nothing else depends on it; any other body becomes
   * {@code throw null;}, which needs no return and leaves no final field unassigned, so JDT
   * reports no error there. A body with no line long enough for the statement is kept.
   */
  static char[] blankOtherBodies(String text, Members members, Set<Integer> kept) {
    char[] chars = text.toCharArray();
    for (Members.Member m : members.all()) {
      if (kept.contains(m.ordinal())) {
        continue;
      }
      if (m.standalone()) {
        blank(chars, m.declStart(), m.bodyEnd());
        continue;
      }
      int from = m.bodyStart() + 1;
      int to = m.bodyEnd() - 1;
      int room = -1; // where a line has space for the statement
      for (int i = from, run = 0; i < to && room < 0; i++) {
        run = chars[i] == '\n' || chars[i] == '\r' ? 0 : run + 1;
        if (run == THROW.length()) {
          room = i + 1 - run;
        }
      }
      if (room >= 0) {
        blank(chars, from, to);
        THROW.getChars(0, THROW.length(), chars, room);
      }
    }
    return chars;
  }

  private static void blank(char[] chars, int from, int to) {
    for (int i = from; i < to; i++) {
      if (chars[i] != '\n' && chars[i] != '\r') {
        chars[i] = ' ';
      }
    }
  }

  private static final String THROW = "throw null;";

  /** One outcome per call, and each site traced by jit exactly where some jit traces it. */
  private static boolean consistent(List<SiteOutcome> outcomes) {
    Set<Integer> traced = new HashSet<>();
    for (int i = 0; i < outcomes.size(); i++) {
      // one call has several sites only for customVjp (f, fwd, bwd), whose sites are never jit
      if (i > 0 && outcomes.get(i - 1).callOffset() == outcomes.get(i).callOffset()
          && (outcomes.get(i).jitKind() || outcomes.get(i - 1).jitKind())) {
        return false;
      }
      if (outcomes.get(i).nestedTarget() >= 0) {
        traced.add(outcomes.get(i).nestedTarget());
      }
    }
    for (SiteOutcome o : outcomes) {
      if (o.underJit() != (o.jitKind() || traced.contains(o.callOffset()))) {
        return false;
      }
    }
    return true;
  }

  /** Messages name files as {@code Model.java:12}: only unambiguous if no other file is named so. */
  private boolean sameFileNameElsewhere(Path path) {
    for (FileSummary f : linter.index().files()) {
      if (!f.file().path().equals(path)
          && f.file().path().getFileName().equals(path.getFileName())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the whole file's facts stay those of {@code full} when the facts of the bodies kept
   * in both reduced versions go from {@code then} to {@code now}. The facts are unions over the
   * bodies, so they stay if nothing was removed and what was added is known from elsewhere
   * already ({@code full} holds it); the declarations must be the same.
   */
  private static boolean sameFacts(FileSummary then, FileSummary now, FileSummary full) {
    if (!then.packageName().equals(now.packageName()) || then.types().size() != now.types().size()
        || (then.hasTransformCall() && !now.hasTransformCall())
        || (now.hasTransformCall() && !full.hasTransformCall())
        || !grows(then.referencedNames(), now.referencedNames(), full.referencedNames())
        || !grows(then.fieldNamesAssignedThroughQualifier(),
            now.fieldNamesAssignedThroughQualifier(), full.fieldNamesAssignedThroughQualifier())) {
      return false;
    }
    for (int i = 0; i < then.types().size(); i++) {
      TypeSummary s = then.types().get(i);
      TypeSummary t = now.types().get(i);
      TypeSummary whole = full.types().stream()
          .filter(w -> w.qualifiedName().equals(s.qualifiedName())).findFirst().orElse(null);
      boolean same = whole != null && s.qualifiedName().equals(t.qualifiedName())
          && s.file().equals(t.file()) && java.util.Objects.equals(s.superclass(), t.superclass())
          && s.interfaces().equals(t.interfaces()) && s.fields().equals(t.fields())
          && s.methodNames().equals(t.methodNames())
          && grows(s.fieldsAssignedAfterInit(), t.fieldsAssignedAfterInit(),
              whole.fieldsAssignedAfterInit());
      if (!same) {
        return false;
      }
    }
    return true;
  }

  /** {@code now} holds all of {@code then}, and what it adds is in {@code known}. */
  private static <T> boolean grows(Set<T> then, Set<T> now, Set<T> known) {
    if (!now.containsAll(then)) {
      return false;
    }
    for (T t : now) {
      if (!then.contains(t) && !known.contains(t)) {
        return false;
      }
    }
    return true;
  }

  /** Moves a kept outcome to the new version's positions; null where a position does not map. */
  private final class Shift {
    private final TokenDiff diff;
    private final LineTable syntax;
    private final Path path;
    private final Pattern fileLine;
    private final LineTable oldLines;
    private final Map<Integer, Integer> lines = new HashMap<>();

    Shift(TokenDiff diff, LineTable syntax, Path path) {
      this.diff = diff;
      this.syntax = syntax;
      this.path = path;
      this.fileLine = Pattern.compile(Pattern.quote(path.getFileName().toString()) + ":(\\d+)");
      this.oldLines = LineTable.of(memo.tokens().text());
    }

    SiteOutcome outcome(SiteOutcome old) {
      int call = diff.mapStart(old.callOffset());
      int nested = old.nestedTarget() < 0 ? -1 : diff.mapStart(old.nestedTarget());
      if (call < 0 || (old.nestedTarget() >= 0 && nested < 0)) {
        return null;
      }
      List<Finding> findings = new ArrayList<>();
      for (Finding f : old.candidates()) {
        Finding moved = finding(f);
        if (moved == null) {
          return null;
        }
        findings.add(moved);
      }
      int oldLine = oldLines.line(old.callOffset());
      int newLine = syntax.line(call);
      List<Notice> notices = new ArrayList<>();
      for (Notice n : old.notices()) {
        String message = text(n.message());
        if (message == null || !path.equals(n.file()) || n.line() != oldLine) {
          return null; // site notices are at the site's line
        }
        notices.add(new Notice(n.file(), newLine, message));
      }
      return new SiteOutcome(call, old.member(), old.jitKind(), old.underJit(), nested,
          old.members(), findings, notices);
    }

    private Finding finding(Finding f) {
      SourceRange range = f.range();
      if (path.equals(f.file())) {
        int start = diff.mapStart(range.offset());
        int end = range.length() == 0 ? start : diff.mapEnd(range.endOffset());
        if (start < 0 || end < 0) {
          return null;
        }
        range = syntax.range(start, end - start);
      }
      List<CallFrame> chain = new ArrayList<>();
      for (CallFrame frame : f.callChain()) {
        String description = text(frame.description());
        if (description == null) {
          return null;
        }
        if (path.equals(frame.file())) {
          int offset = diff.mapStart(frame.offset());
          if (offset < 0) {
            return null;
          }
          frame = new CallFrame(description, frame.file(), offset, syntax.line(offset));
        } else {
          frame = new CallFrame(description, frame.file(), frame.offset(), frame.line());
        }
        chain.add(frame);
      }
      String message = text(f.message());
      return message == null ? null
          : new Finding(f.rule(), f.severity(), f.file(), range, message, chain, f.fixIds());
    }

    /** The text with each {@code Model.java:12} of this file moved to the new line; or null. */
    private String text(String s) {
      Matcher m = fileLine.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int line = newLine(Integer.parseInt(m.group(1)));
        if (line < 0) {
          return null;
        }
        m.appendReplacement(out, Matcher.quoteReplacement(
            path.getFileName() + ":" + line));
      }
      m.appendTail(out);
      return out.toString();
    }

    /** Where the code of an old line is now: its tokens must all have moved to one new line. */
    private int newLine(int oldLine) {
      return lines.computeIfAbsent(oldLine, l -> {
        if (l < 1 || l > oldLines.lines()) {
          return -1;
        }
        int from = oldLines.start(l);
        int to = l < oldLines.lines() ? oldLines.start(l + 1) : Integer.MAX_VALUE;
        Tokens before = diff.before();
        int line = -1;
        for (int k = before.firstFrom(from); k < before.size() && before.start(k) < to; k++) {
          int moved = diff.mapToken(k);
          if (moved < 0) {
            return -1;
          }
          int at = syntax.line(diff.after().start(moved));
          if (line >= 0 && at != line) {
            return -1;
          }
          line = at;
        }
        return line;
      });
    }
  }
}
