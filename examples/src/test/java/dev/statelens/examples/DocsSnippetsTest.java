package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ```java} block of the README and the engine docs must compile against the real
 * engine, so a newcomer's first copy-paste works.
 *
 * <p>Each block becomes one class in memory: standard imports ({@code dev.statelens.engine.*},
 * {@code .checkpoint.*}, {@code java.util.*}, {@code java.util.function.*}, {@code
 * java.nio.file.*}), the block's {@code import} lines hoisted, top-level type and {@code static}
 * declarations (lines at column 0 starting with {@code record }, {@code class }, {@code interface
 * }, {@code enum }, {@code static }, a modifier such as {@code private }, or a method
 * declaration like {@code Array noisy(Array x) { ... }}) as class members, everything else as
 * the body of {@code void snippet() throws Exception}. All blocks are compiled in ONE javac task (speed), and the
 * compiler's messages are reported at the markdown's {@code file:line}.
 *
 * <p>Markers, an HTML comment on the line right before the fence (invisible when rendered):
 *
 * <ul>
 *   <li>{@code <!-- snippet: partial -->} a deliberately partial fragment (uses names defined
 *       elsewhere in the page, or {@code ...} for "your code here"): skipped, listed.
 *   <li>{@code <!-- snippet: given} … {@code -->} hidden declarations (the page's {@code Params},
 *       {@code params}, a {@code batch}) that a fragment uses but the reader has seen earlier or
 *       can guess: compiled in front of the block, its errors reported at the comment's lines.
 *       Preferred over {@code partial}, since the fragment's calls are still checked.
 *   <li>{@code <!-- snippet: bad -->} an intentionally wrong "before" example. Decision: skipped
 *       and listed, not asserted to fail — StateLens' wrong examples are wrong at run time (stateful
 *       code under jit compiles fine; that is why the linter exists), so "must not compile" would
 *       reject exactly the examples the docs need.
 * </ul>
 *
 * Skips are JUnit aborts, so they show as skipped with the reason in the report.
 */
class DocsSnippetsTest {
  /** The documents whose snippets are checked, relative to the repository root. */
  static final List<String> DOCS =
      List.of(
          "README.md",
          "docs/autodiff.md",
          "docs/arrays.md",
          "docs/control-flow.md",
          "docs/linalg.md",
          "docs/checkpoints.md",
          "docs/nn.md",
          "docs/optim.md",
          "docs/vmap.md",
          "docs/prng.md",
          "docs/special.md",
          "docs/stats.md",
          "docs/fft.md",
          "docs/debugging.md",
          "docs/lint.md",
          "docs/run-store.md",
          "docs/live-protocol.md",
          "docs/architecture.md",
          "docs/cpu-backend.md",
          "docs/examples.md",
          "docs/sharp-bits.md");

  /** {@code <!-- snippet: partial -->}, optionally with a reason: {@code <!-- snippet: partial: lint's API -->}. */
  private static final Pattern MARKER = Pattern.compile("^<!--\\s*snippet:\\s*(\\w+)(?:\\s*[:\u2014-]\\s*(.*?))?\\s*-->\\s*$");
  private static final Pattern GIVEN = Pattern.compile("^<!--\\s*snippet:\\s*given\\s*$");
  private static final Pattern MEMBER_START =
      Pattern.compile("^(record|class|interface|enum|static|sealed|final|abstract|public|private|protected)\\b.*");
  /**
   * A method declared at column 0 without a modifier ({@code Array noisy(Array x) { ... }}): a
   * type, a lower-case name, a parameter list without '=' (so no assignment or call statement
   * matches), an optional throws clause and '{'. Control keywords are not names.
   */
  private static final Pattern METHOD_START =
      Pattern.compile(
          "^(?!(?:return|new|else|throw|yield|case)\\b)[A-Za-z_][\\w.]*(?:<.*>)?(?:\\[\\])*\\s+"
              + "(?!(?:if|for|while|switch|catch|synchronized)\\b)[a-z_]\\w*\\s*\\([^=]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?\\{.*");

  /**
   * One fenced block: where it starts (the fence's line, 1-based), its marker if any, and the
   * hidden declarations of a {@code given} comment (empty if none) with their first line.
   */
  record Snippet(
      String doc, int line, String marker, String why, List<String> lines, List<String> given, int givenLine) {
    Snippet(String doc, int line, String marker, List<String> lines) {
      this(doc, line, marker, null, lines, List.of(), 0);
    }

    String name() {
      return doc + ":" + line;
    }

    String className() {
      return "Snippet_" + doc.replaceAll("[^A-Za-z0-9]", "_") + "_" + line;
    }

    @Override
    public String toString() {
      return name();
    }
  }

  /** A generated compilation unit and, per generated line, the markdown line it came from. */
  record Unit(Snippet snippet, String source, int[] mdLine) {}

  // ---- extraction ----

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    for (Path q = p; q != null; q = q.getParent()) {
      if (Files.isRegularFile(q.resolve("docs/autodiff.md")) && Files.isRegularFile(q.resolve("README.md"))) {
        return q;
      }
    }
    throw new IllegalStateException(
        "DocsSnippetsTest: no repository root (a folder with README.md and docs/autodiff.md) above "
            + p
            + "; run it from the repository or its examples/ module");
  }

  static List<Snippet> extract(Path root) throws IOException {
    List<Snippet> out = new ArrayList<>();
    for (String doc : DOCS) out.addAll(extractFile(root, doc));
    return out;
  }

  static List<Snippet> extractFile(Path root, String doc) throws IOException {
    List<Snippet> out = new ArrayList<>();
    Path file = root.resolve(doc);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("DocsSnippetsTest: " + doc + " is missing; remove it from DOCS or restore it");
    }
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) continue;
      String marker = null, why = null;
      List<String> given = List.of();
      int givenLine = 0;
      if (i > 0) {
        Matcher m = MARKER.matcher(lines.get(i - 1).strip());
        if (m.matches()) {
          marker = m.group(1).toLowerCase(Locale.ROOT);
          why = m.group(2);
        }
        if (lines.get(i - 1).strip().equals("-->")) {
          int open = i - 2;
          while (open >= 0 && !GIVEN.matcher(lines.get(open).strip()).matches()) open--;
          if (open < 0) throw new IllegalStateException(doc + ":" + i + ": '-->' before a ```java block without '<!-- snippet: given'");
          given = List.copyOf(lines.subList(open + 1, i - 1));
          givenLine = open + 2;
        }
      }
      int start = i;
      List<String> body = new ArrayList<>();
      for (i++; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) body.add(lines.get(i));
      if (i == lines.size()) throw new IllegalStateException(doc + ":" + (start + 1) + ": ```java block never closed");
      out.add(new Snippet(doc, start + 1, marker, why, body, given, givenLine));
    }
    return out;
  }

  // ---- wrapping ----

  static Unit wrap(Snippet s) {
    List<String> src = new ArrayList<>();
    List<Integer> map = new ArrayList<>();
    var add = (java.util.function.BiConsumer<String, Integer>) (text, md) -> {
      src.add(text);
      map.add(md);
    };
    add.accept("package snippets;", s.line());
    for (String imp :
        List.of(
            "dev.statelens.engine.*",
            "dev.statelens.engine.checkpoint.*",
            "java.util.*",
            "java.util.function.*",
            "java.nio.file.*",
            // java.util.Random would make the simple name ambiguous; the docs mean the engine's
            "dev.statelens.engine.Random")) {
      add.accept("import " + imp + ";", s.line());
    }
    // first pass: imports and members (with their line numbers), then statements
    List<Integer> members = new ArrayList<>(), statements = new ArrayList<>();
    List<String> lines = new ArrayList<>(s.given());
    lines.addAll(s.lines());
    int[] md = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      md[i] = i < s.given().size() ? s.givenLine() + i : s.line() + 1 + i - s.given().size();
    }
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("import ")) {
        add.accept(l, md[i]);
      } else if (MEMBER_START.matcher(l).matches() || METHOD_START.matcher(l).matches()) {
        // a member runs until its braces balance at a line ending in '}' or ';'
        int depth = 0;
        for (; i < lines.size(); i++) {
          members.add(i);
          depth += braces(lines.get(i));
          String t = stripComment(lines.get(i)).strip();
          if (depth <= 0 && (t.endsWith("}") || t.endsWith(";"))) break;
        }
      } else {
        statements.add(i);
      }
    }
    add.accept("class " + s.className() + " {", s.line());
    for (int i : members) add.accept(lines.get(i), md[i]);
    add.accept("void snippet() throws Exception {", s.line());
    for (int i : statements) add.accept(lines.get(i), md[i]);
    add.accept("}}", s.line() + s.lines().size());
    return new Unit(s, String.join("\n", src) + "\n", map.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int braces(String line) {
    String t = stripComment(line).replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])'", "''");
    int d = 0;
    for (char c : t.toCharArray()) d += c == '{' ? 1 : c == '}' ? -1 : 0;
    return d;
  }

  private static String stripComment(String line) {
    int c = line.indexOf("//");
    return c < 0 ? line : line.substring(0, c);
  }

  // ---- compiling (once, all snippets) ----

  private static List<Snippet> snippets;
  private static Map<String, List<String>> errors; // by snippet name, "doc:line: message"

  static synchronized List<Snippet> snippets() throws IOException {
    if (snippets == null) snippets = extract(repoRoot());
    return snippets;
  }

  static synchronized Map<String, List<String>> compileAll() throws IOException {
    if (errors != null) return errors;
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Assumptions.assumeTrue(javac != null, "no system Java compiler (running on a JRE?); the snippets need a JDK");
    Map<String, Unit> units = new LinkedHashMap<>();
    List<JavaFileObject> sources = new ArrayList<>();
    for (Snippet s : snippets()) {
      if (s.marker() != null) continue;
      Unit u = wrap(s);
      units.put(s.className(), u);
      sources.add(
          new SimpleJavaFileObject(URI.create("string:///snippets/" + s.className() + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return u.source();
            }
          });
    }
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    try (StandardJavaFileManager std = javac.getStandardFileManager(diags, Locale.ROOT, null);
        JavaFileManager discard = new DiscardingFileManager(std)) {
      // should-stop.ifError=FLOW: one snippet's syntax error must not hide the others' type errors
      // (javac otherwise stops every unit after parsing); nothing is generated anyway
      List<String> options =
          List.of("-proc:none", "-classpath", System.getProperty("java.class.path"), "-Xlint:none", "-nowarn",
              "-XDshould-stop.ifError=FLOW");
      javac.getTask(null, discard, diags, options, null, sources).call();
    }
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Unit u : units.values()) byName.put(u.snippet().name(), new ArrayList<>());
    for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) continue;
      String cls = d.getSource() == null ? null : Path.of(d.getSource().toUri().getPath()).getFileName().toString().replace(".java", "");
      Unit u = cls == null ? null : units.get(cls);
      if (u == null) {
        byName.computeIfAbsent("(no snippet)", k -> new ArrayList<>()).add(d.getMessage(Locale.ROOT));
        continue;
      }
      int gen = (int) d.getLineNumber();
      int md = gen >= 1 && gen <= u.mdLine().length ? u.mdLine()[gen - 1] : u.snippet().line();
      String code = gen >= 1 && gen <= u.mdLine().length ? u.source().lines().toList().get(gen - 1).strip() : "";
      byName.get(u.snippet().name())
          .add(u.snippet().doc() + ":" + md + ": " + d.getMessage(Locale.ROOT) + "\n    " + code);
    }
    errors = byName;
    return errors;
  }

  /** Class files go nowhere: only the diagnostics matter. */
  private static final class DiscardingFileManager extends ForwardingJavaFileManager<JavaFileManager> {
    DiscardingFileManager(JavaFileManager m) {
      super(m);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return OutputStream.nullOutputStream();
        }
      };
    }
  }

  // ---- tests ----

  static Stream<Snippet> allSnippets() throws IOException {
    return snippets().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allSnippets")
  void compiles(Snippet s) throws IOException {
    Assumptions.assumeTrue(
        s.marker() == null,
        () -> s.name() + " is marked '" + s.marker() + "'" + (s.why() == null ? "" : " (" + s.why() + ")") + ": not compiled");
    List<String> errs = compileAll().get(s.name());
    if (!errs.isEmpty()) {
      fail(s.name() + " does not compile (fix the doc, or mark it <!-- snippet: partial -->):\n  "
          + String.join("\n  ", errs));
    }
  }

  @Test
  void everyDocHasSnippetsAndEveryMarkerIsKnown() throws IOException {
    List<Snippet> all = snippets();
    for (String doc : DOCS) {
      assertTrue(all.stream().anyMatch(s -> s.doc().equals(doc)), doc + " has no ```java block: the extractor or the doc changed");
    }
    for (Snippet s : all) {
      assertTrue(s.marker() == null || s.marker().equals("partial") || s.marker().equals("bad"),
          s.name() + ": unknown marker '" + s.marker() + "' (use partial or bad)");
    }
    List<String> marked = all.stream().filter(s -> s.marker() != null).map(s -> s.name() + " (" + s.marker() + (s.why() == null ? "" : ": " + s.why()) + ")").toList();
    System.out.printf("DocsSnippetsTest: %d snippets, %d compiled, %d skipped: %s%n",
        all.size(), all.size() - marked.size(), marked.size(), marked);
    // at least half the blocks must be checked, or marking everything partial would make this test pointless
    assertTrue(marked.size() * 2 <= all.size(), "more than half of the snippets are marked: " + marked);
  }

  /** A new page with Java (docs/special.md was one) is checked too: it must be listed in DOCS. */
  @Test
  void everyDocWithAJavaBlockIsListed() throws IOException {
    Path root = repoRoot();
    List<String> unlisted;
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      unlisted = docs.filter(p -> p.toString().endsWith(".md"))
          .filter(p -> {
            try {
              return Files.readAllLines(p).stream().anyMatch(l -> l.strip().equals("```java"));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(p -> "docs/" + p.getFileName())
          .filter(doc -> !DOCS.contains(doc))
          .sorted()
          .toList();
    }
    assertEquals(List.of(), unlisted, "pages with ```java blocks that DocsSnippetsTest does not compile: add them to DOCS");
  }

  @Test
  void noDiagnosticsOutsideTheSnippets() throws IOException {
    Assumptions.assumeTrue(snippets().stream().anyMatch(s -> s.marker() == null));
    Map<String, List<String>> all = compileAll();
    assertFalse(all.containsKey("(no snippet)"), () -> String.valueOf(all.get("(no snippet)")));
  }

  /** A marker may carry its reason after a colon; the marker itself stays a plain word. */
  @Test
  void markerReasons(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("r.md"), String.join("\n", "<!-- snippet: partial: lint's API, not on this classpath -->",
        "```java", "Linter l;", "```", "<!-- snippet: bad -->", "```java", "x", "```", ""));
    List<Snippet> found = extractFile(dir, "r.md");
    assertEquals(List.of("partial", "bad"), found.stream().map(Snippet::marker).toList());
    assertEquals("lint's API, not on this classpath", found.get(0).why());
    assertEquals(null, found.get(1).why());
  }

  /** A given comment's lines go in front of the block, mapped to the comment's own lines. */
  @Test
  void givenDeclarationsPrecedeTheBlock(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("g.md"), String.join("\n", "text", "<!-- snippet: given", "record P(Array a) {}",
        "P p = new P(Array.scalar(1));", "-->", "```java", "Array b = p.a();", "```", ""));
    List<Snippet> found = extractFile(dir, "g.md");
    assertEquals(1, found.size());
    Snippet s = found.get(0);
    assertEquals(6, s.line());
    assertEquals(List.of("record P(Array a) {}", "P p = new P(Array.scalar(1));"), s.given());
    Unit u = wrap(s);
    List<String> src = u.source().lines().toList();
    assertEquals(3, u.mdLine()[src.indexOf("record P(Array a) {}")]);
    assertEquals(4, u.mdLine()[src.indexOf("P p = new P(Array.scalar(1));")]);
    assertEquals(7, u.mdLine()[src.indexOf("Array b = p.a();")]);
    assertTrue(src.indexOf("P p = new P(Array.scalar(1));") < src.indexOf("Array b = p.a();"));
  }

  /** A method or a modified field at column 0 is a member; statements that look alike are not. */
  @Test
  void methodsAndModifiedFieldsAreMembers() {
    List<String> lines =
        List.of(
            "private float rate = 0.1f;",
            "Array noisy(Array x) { double n = Math.random(); return x.add(n); }",
            "Array y = Array.scalar(1).add(2);",
            "Pair<Array, Array> out = Pair.of(y, y);",
            "for (int i = 0; i < 2; i++) { y = noisy(y); }",
            "if (rate > 0) { y = y.mul(rate); }");
    Unit u = wrap(new Snippet("m.md", 1, null, lines));
    List<String> src = u.source().lines().toList();
    int method = src.indexOf("void snippet() throws Exception {");
    assertTrue(src.indexOf(lines.get(0)) < method && src.indexOf(lines.get(1)) < method, u.source());
    for (String stmt : lines.subList(2, lines.size())) assertTrue(src.indexOf(stmt) > method, stmt + " in\n" + u.source());
  }

  /** The wrapper itself: a type at column 0 becomes a member, the rest the method's body. */
  @Test
  void wrapPutsTypesAtClassLevelAndMapsLines() {
    Snippet s = new Snippet("x.md", 10, null, List.of("record P(Array a) {}", "var p = new P(Array.scalar(1));"));
    Unit u = wrap(s);
    List<String> src = u.source().lines().toList();
    int rec = src.indexOf("record P(Array a) {}"), method = src.indexOf("void snippet() throws Exception {");
    int stmt = src.indexOf("var p = new P(Array.scalar(1));");
    assertTrue(rec >= 0 && rec < method && method < stmt, u.source());
    assertEquals(11, u.mdLine()[rec]);
    assertEquals(12, u.mdLine()[stmt]);
    assertEquals(List.of(), Stream.of(u.source()).filter(t -> t.contains("```")).collect(Collectors.toList()));
  }
}
