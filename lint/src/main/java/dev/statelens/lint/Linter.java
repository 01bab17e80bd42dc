package dev.statelens.lint;

import dev.statelens.lint.analysis.CallResolver;
import dev.statelens.lint.analysis.Effect;
import dev.statelens.lint.analysis.FunctionAnalyzer;
import dev.statelens.lint.analysis.FunctionResolver;
import dev.statelens.lint.analysis.NameResolver;
import dev.statelens.lint.analysis.SiteFinder;
import dev.statelens.lint.analysis.TracedFunction;
import dev.statelens.lint.analysis.TransformKind;
import dev.statelens.lint.analysis.TransformSite;
import dev.statelens.lint.analysis.Units;
import dev.statelens.lint.fix.FixId;
import dev.statelens.lint.fix.KeySplitFix;
import dev.statelens.lint.incremental.Members;
import dev.statelens.lint.rules.FindingSink;
import dev.statelens.lint.rules.JitPerCallRule;
import dev.statelens.lint.rules.keys.KeyReuseRule;
import dev.statelens.lint.rules.RuleCheck;
import dev.statelens.lint.rules.Rules;
import dev.statelens.lint.source.BindingEnvironment;
import dev.statelens.lint.source.FileSummary;
import dev.statelens.lint.source.JavaParsing;
import dev.statelens.lint.source.ProjectIndex;
import dev.statelens.lint.source.Ranges;
import dev.statelens.lint.source.SourceCollector;
import dev.statelens.lint.source.SourceFile;
import dev.statelens.lint.suppress.SuppressionToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jdt.core.dom.ASTNode;
import org.eclipse.jdt.core.dom.CompilationUnit;
import org.eclipse.jdt.core.dom.MethodInvocation;

/**
 * The analyzer's entry point: indexes the sources, finds the transform calls, walks the
 * transformed code and everything it calls, runs the rules, applies suppressions.
 *
 * <p>A {@code Linter} keeps its index, so an editor can re-analyze one changed file
 * ({@link #update}) without re-reading the project. Not thread-safe.
 */
public final class Linter {

  /** Syntax errors listed per file before the rest are summarized as "and N more". */
  private static final int SYNTAX_ERRORS_LISTED = 3;

  private final LintConfig config;
  private final ProjectIndex index = new ProjectIndex();
  private final Map<Path, SourceFile> sources = new LinkedHashMap<>();
  /**
   * Syntax-only ASTs kept between analyses: those of files with transform calls (from indexing)
   * and of the files their code calls into (parsed on demand). Replaced when a file changes.
   */
  private final Map<Path, CompilationUnit> syntaxTrees = new java.util.HashMap<>();
  /** Counts index changes: a kept {@link EditMemo} is only valid while nothing else changed. */
  private long indexVersion;
  /** What the last re-analysis of a saved file kept for the next one (null: nothing). */
  private EditMemo memo;
  /** Whether the last {@link #update} reused the memo (for tests and benchmarks). */
  private boolean lastUpdateReused;
  /** JDT's JDK and class path lookup, kept between the binding parses of single files. */
  private final BindingEnvironment bindingEnvironment = new BindingEnvironment();
  /** The project's ASTs with bindings from the last {@link #updateAll}, while the disk is unchanged. */
  private KeptBindings keptBindings;
  /** Whether the last {@link #updateAll} reused the kept ASTs (for tests and benchmarks). */
  private boolean keptBindingsUsed;
  /** Per-site outcomes of the last whole-project analysis, for {@link #updateAll}; or null. */
  private KeptSites keptSites;
  /** Files whose sites the last {@link #updateAll} analyzed again (null: all of them). */
  private Set<Path> lastReanalyzed;
  /** SL010's findings per file, for the text they were found in (every file, not only sites). */
  private final Map<Path, FileFindings> keyReuses = new java.util.HashMap<>();
  /**
   * SL010's view of each file for the others ({@link KeyReuseRule#findAndExport}: which methods of its
   * types draw from a Key parameter), for the text it was taken from.
   */
  private final Map<Path, FileExports> keyExports = new java.util.HashMap<>();
  /** SL011's findings per file, for the text they were found in. */
  private final Map<Path, FileFindings> jitsPerCall = new java.util.HashMap<>();
  /** {@link #keyExports} by type name ({@link #keyType}); null: to be built again. */
  private Map<String, Map<String, Object>> keyTypes;

  /**
   * SL010's findings of a file's text; {@code consulted}: the other files' types they looked up
   * and what they found, so they are found again when one of those changes.
   */
  private record FileFindings(SourceFile source, List<Finding> findings,
      Map<String, Object> consulted) {}

  private record FileExports(SourceFile source,
      Map<String, List<KeyReuseRule.Exported>> types) {}

  public Linter(LintConfig config) {
    this.config = config;
  }

  /** Reads the Java files under {@code inputs} (files or folders) and lints them. */
  public static LintResult lintPaths(List<Path> inputs, LintConfig config) throws IOException {
    List<SourceFile> files = new ArrayList<>();
    for (Path p : SourceCollector.javaFiles(inputs)) {
      files.add(SourceFile.read(p));
    }
    return new Linter(config).lint(files);
  }

  /** Lints these sources as one project. */
  public LintResult lint(List<SourceFile> files) {
    List<Notice> notices = new ArrayList<>();
    for (SourceFile file : files) {
      add(file, null, notices);
    }
    return analyze(sources.keySet(), notices);
  }

  /**
   * Replaces one file (e.g. an editor buffer) and re-analyzes it: findings whose transform call
   * is in that file, plus its syntax errors. The rest of the project is taken from the index.
   */
  public LintResult update(SourceFile file) {
    EditMemo kept = memo;
    memo = null;
    keptSites = null; // other files' outcomes are not re-checked against this file's change
    if (kept != null && kept.path().equals(file.path()) && kept.version() == indexVersion
        && config.resolveBindings() && sameAsDisk(file)) {
      // a saved edit of the file re-analyzed last: reuse what the edit cannot have changed
      LintResult result = new SavedEditReanalysis(this, kept).reanalyze(file);
      lastUpdateReused = result != null;
      if (result != null) {
        return result;
      }
    }
    lastUpdateReused = false;
    List<Notice> notices = new ArrayList<>();
    CompilationUnit bound = parseSavedFileWithBindings(file);
    // one parse serves the index and the analysis when it is error-free
    add(file, bound != null && !hasErrors(bound) ? bound : null, notices);
    return analyze(List.of(file.path()), notices,
        bound == null ? Map.of() : Map.of(file.path(), bound), file.path());
  }

  /**
   * Replaces these files (saved texts or editor buffers) in the kept index and re-analyzes every
   * transform call of the project: the findings and notes of a fresh {@link #lint} of the same
   * texts in the same order, also those a call in another file reaches in a changed one (an
   * IDE shows a file's findings whatever file their call is in). Unchanged files are not parsed
   * again; the ASTs with bindings of the files as on disk are kept while no indexed file changes
   * on disk and no file is added, so an analysis after an unsaved edit parses only the edited
   * file (by names). Class folders and jars are not watched: call {@link #forgetBindings} when
   * they may have changed.
   */
  public LintResult updateAll(List<SourceFile> changed) {
    memo = null;
    lastUpdateReused = false;
    KeptSites kept = keptSites;
    keptSites = null;
    Map<Path, SourceFile> before = new LinkedHashMap<>();
    for (SourceFile file : changed) {
      before.putIfAbsent(file.path(), sources.get(file.path()));
    }
    List<Notice> notices = new ArrayList<>();
    for (SourceFile file : changed) {
      add(file, null, notices);
    }
    // only the files whose sites can see the change are analyzed again (null: every file)
    Set<Path> dirty = kept == null ? null : kept.affectedBy(before, index);
    lastReanalyzed = dirty == null ? null : dirty.stream()
        .filter(p -> index.file(p).map(FileSummary::hasTransformCall).orElse(false))
        .collect(java.util.stream.Collectors.toSet());
    return analyzeProject(notices, kept, dirty);
  }

  /**
   * Drops the ASTs and site outcomes {@link #updateAll} keeps (e.g. after a build, when class
   * folders or jars on the classpath may have changed): the next one analyzes every site.
   */
  public void forgetBindings() {
    keptBindings = null;
    keptSites = null;
  }

  /**
   * The files with transform calls whose calls the last {@link #updateAll} analyzed again; null
   * when it analyzed all of them (for tests and benchmarks).
   */
  public Set<Path> lastReanalyzedFiles() {
    return lastReanalyzed == null ? null : Set.copyOf(lastReanalyzed);
  }

  /** The files this linter holds, by path, with the text it analyzed last. */
  public Map<Path, SourceFile> sources() {
    return java.util.Collections.unmodifiableMap(sources);
  }

  /**
   * ASTs with bindings of every file with a transform call whose indexed text is the one on disk,
   * parsed in one batch as {@link #analyze} would parse them, or kept from the previous call
   * while the disk texts of all indexed files and the source roots are unchanged. Empty where JDT
   * fails: the analysis then parses again and reports why.
   */
  private Map<Path, CompilationUnit> keptBindings(Set<Path> wanted) {
    if (!config.resolveBindings()) {
      return Map.of();
    }
    Map<Path, String> disk = new java.util.HashMap<>();
    List<Path> needed = new ArrayList<>();
    for (SourceFile file : sources.values()) {
      String text = diskText(file.path());
      disk.put(file.path(), text);
      if (file.content().equals(text) && (wanted == null || wanted.contains(file.path()))
          && index.file(file.path()).map(FileSummary::hasTransformCall).orElse(false)) {
        needed.add(file.path());
      }
    }
    List<Path> roots = index.sourceRoots();
    KeptBindings kept = keptBindings;
    boolean sameDisk = kept != null && kept.disk().equals(disk) && kept.roots().equals(roots);
    keptBindingsUsed = sameDisk && kept.units().keySet().containsAll(needed);
    if (keptBindingsUsed) {
      Map<Path, CompilationUnit> out = new java.util.HashMap<>();
      needed.forEach(p -> out.put(p, kept.units().get(p)));
      return out;
    }
    keptBindings = null;
    // the disk is as when the kept ASTs were parsed: parse only the missing ones, keep all
    List<Path> missing = sameDisk
        ? needed.stream().filter(p -> !kept.units().containsKey(p)).toList() : needed;
    try {
      Map<Path, CompilationUnit> units = new java.util.HashMap<>(sameDisk ? kept.units() : Map.of());
      units.putAll(JavaParsing.parseWithBindings(missing, roots, config.classpath()));
      keptBindings = new KeptBindings(disk, roots, Map.copyOf(units));
      Map<Path, CompilationUnit> out = new java.util.HashMap<>();
      needed.forEach(p -> out.put(p, units.get(p)));
      out.values().removeIf(java.util.Objects::isNull);
      return out;
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /** One batch of binding ASTs and the disk state it was parsed from (a null text: no file). */
  private record KeptBindings(
      Map<Path, String> disk, List<Path> roots, Map<Path, CompilationUnit> units) {}

  private static String diskText(Path path) {
    try {
      return Files.isRegularFile(path) ? Files.readString(path) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A saved file that may call a transform, parsed with bindings before indexing, so that its
   * binding parse also yields its index entry instead of a second, syntax-only parse (~5 ms of a
   * 1,000-line file). Null where the analysis would not parse it with bindings anyway, or where
   * JDT fails (the analysis then retries and reports why).
   */
  private CompilationUnit parseSavedFileWithBindings(SourceFile file) {
    FileSummary previous = index.file(file.path()).orElse(null);
    if (previous == null || !config.resolveBindings() || !mayCallTransform(file)
        || !sameAsDisk(file)) {
      return null; // a new file can add a source root: parsed after indexing, as before
    }
    try {
      // the kept lookup: no JDK/jar set-up, secondary-type scan or code generation per save
      CompilationUnit cu = bindingEnvironment.parse(file.path(), file.content().toCharArray(),
          index.sourceRoots(), config.classpath());
      String pkg = cu == null || cu.getPackage() == null ? ""
          : cu.getPackage().getName().getFullyQualifiedName();
      // Same package, same source roots as a parse after indexing would have used.
      return cu != null && pkg.equals(previous.packageName()) ? cu : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Whether the text can contain a call to jit/grad/valueAndGrad/vmap (a superset check). */
  private static boolean mayCallTransform(SourceFile file) {
    return mayCallTransform(file.content());
  }

  static boolean mayCallTransform(String text) {
    return text.contains("jit") || text.contains("grad") || text.contains("Grad")
        || text.contains("vmap") || text.contains("vjp") || text.contains("jvp") || text.contains("jac")
        || text.contains("hessian") || text.contains("Vjp") || text.contains("checkpoint")
        || text.contains("\\u"); // a unicode escape can spell them
  }

  /**
   * Errors of a binding parse include unresolved types, which are not syntax errors; only an
   * error-free unit can be indexed as is (its syntax parse has no errors either).
   */
  private static boolean hasErrors(CompilationUnit cu) {
    for (org.eclipse.jdt.core.compiler.IProblem problem : cu.getProblems()) {
      if (problem.isError()) {
        return true;
      }
    }
    return false;
  }

  public ProjectIndex index() {
    return index;
  }

  /** Whether the last {@link #updateAll} parsed no file with bindings (it kept the ASTs). */
  public boolean lastUpdateKeptBindings() {
    return keptBindingsUsed;
  }

  /** Whether the last {@link #update} re-analyzed only what the saved edit changed. */
  boolean lastUpdateReused() {
    return lastUpdateReused;
  }

  LintConfig config() {
    return config;
  }

  long indexVersion() {
    return indexVersion;
  }

  BindingEnvironment bindingEnvironment() {
    return bindingEnvironment;
  }

  Map<Path, CompilationUnit> syntaxTrees() {
    return syntaxTrees;
  }

  /** Keeps what a saved edit's re-analysis produced, for the next edit of the same file. */
  void remember(EditMemo kept) {
    memo = kept;
  }

  /**
   * Indexes a file, from {@code bound} (its AST with bindings, already parsed) or else from a
   * syntax parse. A bound AST is not kept as the file's syntax tree: later analyses of other files
   * parse it syntax-only on demand, and no JDT lookup environment stays reachable.
   */
  private void add(SourceFile file, CompilationUnit bound, List<Notice> notices) {
    indexVersion++;
    try {
      CompilationUnit cu = bound != null ? bound : JavaParsing.parseSyntax(file);
      index.add(file, cu);
      sources.put(file.path(), file);
      keyReuses.put(file.path(), keyReuses(file, cu));
      syntaxTrees.remove(file.path());
      if (bound == null && index.file(file.path()).map(FileSummary::hasTransformCall).orElse(false)) {
        syntaxTrees.put(file.path(), cu);
      }
    } catch (RuntimeException | StackOverflowError e) {
      notices.add(new Notice(file.path(), 0, "skipped the file: the parser failed ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
    }
  }

  /**
   * Indexes a file already summarized (a saved edit's re-analysis). Its syntax tree, if given, is
   * kept as {@link #add} keeps it; without one, an analysis that needs it parses it then.
   */
  void addParsed(SourceFile file, CompilationUnit syntax, FileSummary summary) {
    indexVersion++;
    index.add(summary);
    sources.put(file.path(), file);
    keyReuses.remove(file.path()); // found again, from a syntax parse, when next reported
    syntaxTrees.remove(file.path());
    if (syntax != null && summary.hasTransformCall()) {
      syntaxTrees.put(file.path(), syntax);
    }
  }

  private LintResult analyze(Collection<Path> files, List<Notice> notices) {
    return analyze(files, notices, Map.of(), null);
  }

  /**
   * The whole project's analysis for {@link #updateAll}: the sites of the files in {@code dirty}
   * are analyzed again, the others replay their kept outcomes (every file when {@code dirty} is
   * null). ASTs with bindings are those {@link #keptBindings} keeps, of the files analyzed again
   * and of the files their code read that call a transform (as a full analysis binds them); where
   * the new analysis reads another such file, it runs again with that one bound too.
   */
  private LintResult analyzeProject(List<Notice> notices, KeptSites kept, Set<Path> dirty) {
    if (dirty == null) {
      return analyze(sources.keySet(), notices, keptBindings(null), null);
    }
    Set<Path> wanted = new java.util.HashSet<>(dirty);
    wanted.addAll(kept.filesReadFrom(dirty));
    while (true) {
      List<Notice> attempt = new ArrayList<>(notices);
      Map<Path, CompilationUnit> bound = keptBindings(wanted);
      Set<Path> read = new java.util.HashSet<>();
      LintResult result = analyze(sources.keySet(), attempt, bound, null, kept, dirty, read);
      read.removeAll(wanted);
      read.removeIf(p -> !bindable(p));
      if (read.isEmpty()) {
        return result;
      }
      wanted.addAll(read); // the new code reads a file a full analysis would have bound
    }
  }

  /** Whether a full analysis parses this file with bindings (a saved file with a transform call). */
  private boolean bindable(Path file) {
    return config.resolveBindings() && sameAsDisk(sources.get(file))
        && index.file(file).map(FileSummary::hasTransformCall).orElse(false);
  }

  /**
   * @param bound ASTs with bindings already parsed for some of the files (not parsed again)
   * @param remember a file whose per-site outcomes are kept for the next saved edit of it, if it
   *     is analyzed with bindings; or null
   */
  private LintResult analyze(Collection<Path> files, List<Notice> notices,
      Map<Path, CompilationUnit> bound, Path remember) {
    return analyze(files, notices, bound, remember, null, null, null);
  }

  /**
   * @param kept outcomes to replay for the files not in {@code dirty}; null: analyze every file
   * @param read collects the files the analyzed sites read (null: not collected)
   */
  private LintResult analyze(Collection<Path> files, List<Notice> notices,
      Map<Path, CompilationUnit> bound, Path remember, KeptSites kept, Set<Path> dirty,
      Set<Path> read) {
    boolean wholeProject = remember == null && files.size() == sources.size();
    KeptSites next = wholeProject ? new KeptSites() : null;
    List<FileSummary> summaries = new ArrayList<>();
    for (Path p : files) {
      index.file(p).ifPresent(summaries::add);
    }
    for (FileSummary summary : summaries) {
      reportSyntaxErrors(summary, notices);
    }
    List<Path> withSites = summaries.stream().filter(FileSummary::hasTransformCall)
        .map(s -> s.file().path()).toList();
    Map<Path, CompilationUnit> parsed = new java.util.HashMap<>(bound);
    parsed.keySet().retainAll(withSites);
    List<Path> toParse = withSites.stream()
        .filter(p -> !parsed.containsKey(p) && (dirty == null || dirty.contains(p))).toList();
    int before = notices.size();
    parsed.putAll(parseWithBindings(toParse, notices));
    if (notices.size() > before) {
      next = null; // types not resolved: nothing kept analyzed by names is reused later
    }
    Analysis analysis = new Analysis(new Units(index, parsed, syntaxTrees));
    Map<String, Finding> found = new LinkedHashMap<>();
    for (Path file : withSites) {
      if (dirty != null && !dirty.contains(file)) {
        List<KeptSites.Site> reused = kept.sites(file);
        for (KeptSites.Site site : reused) {
          replay(site.outcome(), found, notices);
        }
        if (next != null) {
          next.put(file, reused);
        }
        continue;
      }
      Members members = file.equals(remember) && parsed.containsKey(file)
          ? Members.of(parsed.get(file)) : null;
      List<SiteOutcome> outcomes = new ArrayList<>();
      List<KeptSites.Site> keptHere = new ArrayList<>();
      try {
        for (TransformSite site : analysis.finder().find(analysis.units().unit(file))) {
          KeptSites.Reads reads = new KeptSites.Reads();
          SiteOutcome outcome = analysis.analyzeSite(site, members, reads);
          outcomes.add(outcome);
          keptHere.add(new KeptSites.Site(outcome, reads.complete() ? reads.files() : null,
              reads.fields()));
          if (read != null) {
            read.addAll(reads.files());
          }
          replay(outcome, found, notices);
        }
        if (next != null) {
          next.put(file, keptHere);
        }
      } catch (RuntimeException | StackOverflowError e) {
        notices.add(new Notice(file, 0, "skipped the rest of the file: internal analyzer error ("
            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"));
        members = null;
        next = null;
      }
      if (members != null) {
        memo = EditMemo.of(index.file(file).orElseThrow(), indexVersion, members, outcomes);
      }
    }
    if (wholeProject) {
      keptSites = next;
    }
    return suppressAndSort(found.values(), summaries, notices);
  }

  /** Adds one site's outcome to the findings and notices, as its analysis would have. */
  static void replay(SiteOutcome outcome, Map<String, Finding> found, List<Notice> notices) {
    for (Finding f : outcome.candidates()) {
      keep(found, f);
    }
    notices.addAll(outcome.notices());
  }

  /** The resolvers and rules of one analysis, over one set of ASTs. */
  final class Analysis {
    private final Units units;
    private final NameResolver names;
    private final CallResolver calls;
    private final FunctionResolver functions;
    private final SiteFinder finder;
    private final List<RuleCheck> checks;

    Analysis(Units units) {
      this.units = units;
      names = new NameResolver(units);
      calls = new CallResolver(names);
      functions = new FunctionResolver(names, calls);
      finder = new SiteFinder(names, functions);
      checks = Rules.all(index).stream().filter(c -> config.enabled(c.rule())).toList();
    }

    Units units() {
      return units;
    }

    SiteFinder finder() {
      return finder;
    }

    /** The inner transform call a {@code jit} site traces ({@code jit(grad(f))}), or null. */
    MethodInvocation nestedTransform(TransformSite site) {
      return site.kind() == TransformKind.JIT
          && functions.resolve(site) instanceof TracedFunction.Nested nested
          ? nested.innerTransform() : null;
    }

    /**
     * Analyzes one site.
     *
     * @param members the members of the site's file, to record which ones the analysis read;
     *     null when nobody keeps the outcome
     */
    SiteOutcome analyzeSite(TransformSite site, Members members) {
      return analyzeSite(site, members, null);
    }

    /** @param reads collects the files and field names the analysis read; or null */
    SiteOutcome analyzeSite(TransformSite site, Members members, KeptSites.Reads reads) {
      List<Finding> candidates = new ArrayList<>();
      List<Notice> notices = new ArrayList<>();
      FunctionAnalyzer analyzer = null;
      boolean complete = true;
      List<Effect> effects = new ArrayList<>();
      try {
        switch (functions.resolve(site)) {
          case TracedFunction.Code code -> {
            analyzer = new FunctionAnalyzer(names, calls, site, effects::add);
            analyzer.analyzeEntry(code.body(), code.thisOrigin());
            FindingSink sink = (rule, effect, at, message, fixes) ->
                candidates.add(finding(rule, effect, at, message, fixes));
            for (RuleCheck check : checks) {
              check.check(effects, sink);
            }
          }
          case TracedFunction.Nested nested -> { } // the inner transform call is its own site
          case TracedFunction.Unresolved unresolved -> {
            if (unresolved.reason() != null) {
              notices.add(new Notice(site.file(), site.line(),
                  "not analyzed: " + site.description() + ": " + unresolved.reason()));
            }
          }
        }
      } catch (RuntimeException | StackOverflowError e) {
        complete = false;
        notices.add(new Notice(site.file(), site.line(), "not analyzed: " + site.description()
            + ": internal analyzer error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
            + ")"));
      }
      if (reads != null) {
        reads.record(site.file(), analyzer == null ? Set.of() : analyzer.analyzedCode(), effects,
            complete && notices.isEmpty());
      }
      Set<Integer> read = null;
      int nested = -1;
      if (members != null && complete) {
        read = new java.util.TreeSet<>();
        read.add(members.at(site.call()));
        if (analyzer != null) {
          for (ASTNode owner : analyzer.analyzedCode()) {
            if (site.file().equals(Units.fileOf(owner))) {
              read.add(members.at(owner));
            }
          }
        }
        read.remove(-1); // the skeleton: an edit there re-analyzes everything anyway
        MethodInvocation inner = nestedTransform(site);
        nested = inner == null ? -1 : inner.getStartPosition();
      }
      return new SiteOutcome(site.call().getStartPosition(), members == null ? -1
          : members.at(site.call()), site.kind() == TransformKind.JIT, site.underJit(), nested,
          read, candidates, notices);
    }
  }

  private Finding finding(Rule rule, Effect effect, ASTNode at, String message, List<FixId> fixes) {
    return new Finding(rule, config.severityOf(rule), Units.fileOf(at), Ranges.of(at), message,
        effect.context().chain(), fixes.stream().map(FixId::id).toList());
  }

  /** One finding per rule and place: the same callee reached twice keeps the shortest chain. */
  static void keep(Map<String, Finding> found, Finding f) {
    String key = f.rule() + "@" + f.file() + ":" + f.range().offset();
    Finding old = found.get(key);
    if (old == null || f.callChain().size() < old.callChain().size()) {
      found.put(key, f);
    }
  }

  private Map<Path, CompilationUnit> parseWithBindings(List<Path> files, List<Notice> notices) {
    if (!config.resolveBindings() || files.isEmpty()) {
      return Map.of();
    }
    List<Path> onDisk = new ArrayList<>();
    for (Path p : files) {
      if (sameAsDisk(sources.get(p))) {
        onDisk.add(p);
      }
    }
    try {
      return JavaParsing.parseWithBindings(onDisk, index.sourceRoots(), config.classpath());
    } catch (RuntimeException e) {
      notices.add(new Notice(null, 0, "types not resolved (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "); analyzed by names only"));
      return Map.of();
    }
  }

  /** Bindings come from files on disk; an editor buffer that differs is analyzed by names. */
  static boolean sameAsDisk(SourceFile file) {
    try {
      return file != null && Files.isRegularFile(file.path())
          && Files.readString(file.path()).equals(file.content());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static void reportSyntaxErrors(FileSummary summary, List<Notice> notices) {
    List<FileSummary.SyntaxError> errors = summary.syntaxErrors();
    for (int i = 0; i < Math.min(errors.size(), SYNTAX_ERRORS_LISTED); i++) {
      notices.add(new Notice(summary.file().path(), errors.get(i).line(),
          syntaxErrorNote(errors.get(i).message()) + "; analyzed the code around it as recovered"));
    }
    if (errors.size() > SYNTAX_ERRORS_LISTED) {
      // at the first unlisted error's line, so that notes sorted by line list it after the others
      // (at line 0 it came first, before the errors it counts on from)
      int more = errors.size() - SYNTAX_ERRORS_LISTED;
      notices.add(new Notice(summary.file().path(), errors.get(SYNTAX_ERRORS_LISTED).line(), "and " + more
          + " more syntax error" + (more == 1 ? "" : "s") + " from this line on"));
    }
  }

  /**
   * JDT's message under StateLens's own "syntax error" prefix, JDT's own "Syntax error" dropped
   * (the note read "syntax error: Syntax error, insert ..."): "Syntax error, insert X" becomes
   * "syntax error: insert X", "Syntax error on token X, ..." "syntax error on token X, ...", and
   * other messages ("String literal is not properly closed ...") follow "syntax error: ".
   */
  static String syntaxErrorNote(String jdtMessage) {
    if (jdtMessage.startsWith(JDT_SYNTAX_ERROR + ", ")) {
      return "syntax error: " + jdtMessage.substring(JDT_SYNTAX_ERROR.length() + 2);
    }
    if (jdtMessage.startsWith(JDT_SYNTAX_ERROR + " ")) {
      return "syntax error " + jdtMessage.substring(JDT_SYNTAX_ERROR.length() + 1);
    }
    return "syntax error: " + jdtMessage;
  }

  private static final String JDT_SYNTAX_ERROR = "Syntax error";

  LintResult suppressAndSort(Collection<Finding> siteFindings, List<FileSummary> summaries,
      List<Notice> notices) {
    List<Finding> candidates = new ArrayList<>(siteFindings);
    refreshKeyExports();
    settleKeyExports();
    for (FileSummary s : summaries) {
      candidates.addAll(keyReuses(s.file().path()));
      candidates.addAll(jitsPerCall(s.file().path()));
    }
    List<SuppressionToken> tokens = new ArrayList<>();
    for (FileSummary s : index.files()) {
      tokens.addAll(s.suppressions());
    }
    Map<SuppressionToken, Boolean> used = new IdentityHashMap<>();
    List<Finding> findings = new ArrayList<>();
    int suppressed = 0;
    for (Finding f : candidates) {
      boolean hidden = false;
      for (SuppressionToken t : tokens) {
        if (covers(t, f)) {
          used.put(t, true);
          hidden = true;
        }
      }
      if (hidden) {
        suppressed++;
      } else {
        findings.add(f);
      }
    }
    if (config.enabled(Rule.SL000)) {
      Set<Path> analyzed = new java.util.HashSet<>();
      summaries.forEach(s -> analyzed.add(s.file().path()));
      for (SuppressionToken t : tokens) {
        if (analyzed.contains(t.file())) {
          unusedSuppression(t, used.containsKey(t)).ifPresent(findings::add);
        }
      }
    }
    findings.sort(Comparator.comparing((Finding f) -> f.file().toString())
        .thenComparingInt(f -> f.range().line()).thenComparingInt(f -> f.range().column())
        .thenComparing(Finding::rule));
    notices.sort(Comparator.comparing((Notice n) -> n.file() == null ? "" : n.file().toString())
        .thenComparingInt(Notice::line));
    long lines = 0;
    for (FileSummary s : summaries) {
      lines += s.file().lineCount();
    }
    return new LintResult(findings, notices, summaries.size(), lines, suppressed);
  }

  /**
   * SL010 (key reuse) applies to all code, not only transformed code: it is found per file, from
   * any parse of the file's current text (it reads no bindings, so any parse gives the same).
   */
  private List<Finding> keyReuses(Path path) {
    SourceFile source = sources.get(path);
    FileFindings kept = keyReuses.get(path);
    if (source == null || (kept != null && kept.source() == source && stillSame(kept.consulted()))) {
      return kept == null ? List.of() : kept.findings();
    }
    FileFindings found = keyReusesParsed(source);
    keyReuses.put(path, found);
    return found.findings();
  }

  private FileFindings keyReusesParsed(SourceFile source) {
    CompilationUnit cu = syntaxTrees.get(source.path());
    try {
      return keyReuses(source, cu != null ? cu : JavaParsing.parseSyntax(source));
    } catch (RuntimeException | StackOverflowError e) {
      // the site analysis reports a file it cannot parse
      return new FileFindings(source, List.of(), Map.of());
    }
  }

  /**
   * Takes SL010's exports of every file whose text changed since they were taken (a saved edit's
   * re-analysis indexes a file without them), so that each file's findings see the project as
   * it is. Their findings come from the same parse.
   */
  private void refreshKeyExports() {
    if (!config.enabled(Rule.SL010)) {
      return;
    }
    for (SourceFile source : sources.values()) {
      FileExports kept = keyExports.get(source.path());
      if (kept == null || kept.source() != source) {
        keyReuses.put(source.path(), keyReusesParsed(source));
      }
    }
  }

  /**
   * SL010 follows calls through chains of files: a file's exports depend on the exports it looked
   * up, so a file whose lookups now answer differently is found again, which may change its own
   * exports and so its callers' lookups. Repeated until no exports change, at most
   * {@link #KEY_EXPORT_ROUNDS} times (each round carries a draw one file further up a chain; a
   * cycle of files settles, as the drawn parameters only grow, and the bound caps the cost).
   */
  private void settleKeyExports() {
    if (!config.enabled(Rule.SL010)) {
      return;
    }
    for (int round = 0; round < KEY_EXPORT_ROUNDS; round++) {
      boolean changed = false;
      for (SourceFile source : List.copyOf(sources.values())) {
        FileFindings kept = keyReuses.get(source.path());
        if (kept != null && !stillSame(kept.consulted())) {
          FileExports before = keyExports.get(source.path());
          keyReuses.put(source.path(), keyReusesParsed(source));
          FileExports after = keyExports.get(source.path());
          changed |= before == null || after == null || !before.types().equals(after.types());
        }
      }
      if (!changed) {
        return;
      }
    }
  }

  /** How many times {@link #settleKeyExports} goes over the files: the chain depth it follows. */
  private static final int KEY_EXPORT_ROUNDS = 8;

  /** Whether the other files' types a file's SL010 findings looked up are as they were. */
  private boolean stillSame(Map<String, Object> consulted) {
    for (var entry : consulted.entrySet()) {
      if (!java.util.Objects.equals(keyType(entry.getKey()), entry.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** What the project's files export for the type {@code name} ({@link KeyReuseRule.Project}). */
  private Object keyType(String name) {
    if (keyTypes == null) { // simple name -> qualified name -> exports (or AMBIGUOUS)
      keyTypes = new java.util.HashMap<>();
      for (FileExports e : keyExports.values()) {
        e.types().forEach((qualified, methods) -> keyTypes
            .computeIfAbsent(qualified.substring(qualified.lastIndexOf('.') + 1),
                k -> new java.util.TreeMap<String, Object>())
            .merge(qualified, methods, (a, b) -> KeyReuseRule.Project.AMBIGUOUS));
      }
    }
    return keyTypes.get(name);
  }

  private FileFindings keyReuses(SourceFile file, CompilationUnit cu) {
    if (!config.enabled(Rule.SL010)) {
      return new FileFindings(file, List.of(), Map.of());
    }
    List<Finding> found = new ArrayList<>();
    Map<String, Object> consulted = new java.util.HashMap<>();
    KeyReuseRule.FileResult result;
    try {
      result = KeyReuseRule.findAndExport(cu, file.path().getFileName().toString(),
          this::keyType, consulted);
    } catch (RuntimeException | StackOverflowError e) {
      // a fault in SL010 costs its findings in this file, not the file's other analyses
      result = new KeyReuseRule.FileResult(List.of(), Map.of());
      consulted.clear();
    }
    FileExports before = keyExports.put(file.path(), new FileExports(file, result.exports()));
    if (before == null || !before.types().equals(result.exports())) {
      keyTypes = null; // what the project offers changed (usually it did not: a body edit)
    }
    List<KeyReuseRule.Reuse> reuses = result.reuses();
    // split-key / fold-in where they may apply (verified when asked for), then suppress
    var splitFixes = KeySplitFix.listed(file.content(), reuses);
    for (KeyReuseRule.Reuse r : reuses) {
      List<String> fixes = new ArrayList<>();
      if (!r.acrossFiles()) { // QuickFixes.apply finds the reuse again in the one file
        splitFixes.get(r).forEach(f -> fixes.add(f.id()));
      }
      fixes.add(FixId.SUPPRESS.id());
      found.add(new Finding(Rule.SL010, config.severityOf(Rule.SL010), file.path(),
          Ranges.of(r.at()), r.message(), List.of(), fixes));
    }
    return new FileFindings(file, found, consulted);
  }

  /**
   * SL011 (a jit made per loop iteration) applies to all code, like SL010: found per file from a
   * syntax parse of its text, kept while the text is the same. Files that never say "jit" are
   * not parsed for it.
   */
  private List<Finding> jitsPerCall(Path path) {
    SourceFile source = sources.get(path);
    if (source == null || !config.enabled(Rule.SL011)) {
      return List.of();
    }
    FileFindings kept = jitsPerCall.get(path);
    if (kept != null && kept.source() == source) {
      return kept.findings();
    }
    List<Finding> found = new ArrayList<>();
    if (source.content().contains("jit")) {
      try {
        CompilationUnit cu = syntaxTrees.get(path);
        cu = cu != null ? cu : JavaParsing.parseSyntax(source);
        for (JitPerCallRule.PerCall p : JitPerCallRule.find(cu, path.getFileName().toString())) {
          List<String> fixes = new ArrayList<>();
          if (p.hoistable() != null) {
            fixes.add(FixId.HOIST_JIT.id());
          }
          fixes.add(FixId.SUPPRESS.id());
          found.add(new Finding(Rule.SL011, config.severityOf(Rule.SL011), path, Ranges.of(p.jit()),
              p.message(), List.of(), fixes));
        }
      } catch (RuntimeException | StackOverflowError e) {
        // a fault in SL011 costs its findings in this file, not the file's other analyses
        found.clear();
      }
    }
    jitsPerCall.put(path, new FileFindings(source, found, Map.of()));
    return found;
  }

  private static boolean covers(SuppressionToken t, Finding f) {
    if (t.covers(f.file(), f.range().offset(), f.rule())) {
      return true;
    }
    for (CallFrame frame : f.callChain()) {
      if (t.covers(frame.file(), frame.offset(), f.rule())) {
        return true;
      }
    }
    return false;
  }

  private java.util.Optional<Finding> unusedSuppression(SuppressionToken t, boolean used) {
    String message;
    if (t.unknownId() != null) {
      message = "@SuppressWarnings(\"" + t.token() + "\") names unknown rule '" + t.unknownId()
          + "': use statelens:SL001 ... statelens:"
          + Rule.values()[Rule.values().length - 1].id() + " (see docs/lint.md).";
    } else if (!used && t.rules().stream().anyMatch(r -> r != Rule.SL000 && config.enabled(r))) {
      message = "@SuppressWarnings(\"" + t.token() + "\") suppresses nothing: no "
          + (t.rules().size() >= Rule.values().length ? "StateLens" : t.token().substring(10))
          + " finding in its scope. Remove it.";
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new Finding(Rule.SL000, config.severityOf(Rule.SL000), t.file(),
        t.literal(), message, List.of(), List.of()));
  }
}
