package dev.statelens.lint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: formats, exit codes, options and error messages. */
class CliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Run(int code, String out, String err) {}

  static Run lint(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "lint";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Main.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  static String fixture(String name) {
    try {
      return Path.of(CliTest.class.getResource("/fixtures/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void textFormatIsJavacLikeAndExitCodeIsOneWithFindings() {
    Run run = lint(fixture("Sl001Counter.java"));
    assertEquals(Main.FINDINGS, run.code(), run.err());
    String first = run.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches(".*Sl001Counter\\.java:10:5: warning: \\[SL001\\] Field Sl001Counter\\.n "
        + "is written inside Sl001Counter\\.count, which is jitted at Sl001Counter\\.java:16: the write "
        + "runs once, at trace time; later calls replay the traced result.*Pair<Output, State>\\."), first);
    assertTrue(run.out().contains("1 finding (1 warning) in 1 file"), run.out());
  }

  @Test
  void cleanCodeExitsZero() {
    Run run = lint(fixture("PureCounterV2.java"), fixture("PureAdam.java"));
    assertEquals(Main.CLEAN, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("0 findings in 2 files"), run.out());
  }

  /** The help's one-line summary names the rules that are not about jitted functions' bodies too. */
  @Test
  void helpSaysWhatIsChecked() {
    Run help = lint("--help");
    assertEquals(Main.CLEAN, help.code(), help.err());
    assertTrue(help.out().contains("SL010") && help.out().contains("SL011") && help.out().contains("docs/lint.md"), help.out());
  }

  @Test
  void usageAndIoErrorsExitTwoWithAMessage() {
    Run missing = lint("no/such/dir");
    assertEquals(Main.ERROR, missing.code());
    assertTrue(missing.err().contains("no such file or folder: no/such/dir (looked for "
        + Path.of("no/such/dir").toAbsolutePath() + "); check the path"), missing.err());

    Run badRule = lint("--rules", "SL042", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, badRule.code());
    assertTrue(badRule.err().contains("unknown rule 'SL042'"), badRule.err());

    Run badFormat = lint("--format", "xml", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, badFormat.code());
    assertTrue(badFormat.err().startsWith("statelens lint: Invalid value for option '--format'")
        && badFormat.err().contains("TEXT, JSON, SARIF"), badFormat.err());

    Run noPaths = lint();
    assertEquals(Main.ERROR, noPaths.code());
    assertTrue(noPaths.err().startsWith("statelens lint: no PATH given: name the Java files or folders to analyze, "
        + "e.g. ./statelens lint src/main/java"), noPaths.err());
    assertTrue(noPaths.err().contains("Run './statelens lint --help' for the options."), noPaths.err());

    Run unknownOptionNoPath = lint("--bogus"); // the option is the mistake, not the missing PATH
    assertEquals(Main.ERROR, unknownOptionNoPath.code());
    assertTrue(unknownOptionNoPath.err().startsWith("statelens lint: Unknown option: '--bogus'"), unknownOptionNoPath.err());

    Run badSeverity = lint("--severity", "SL001=fatal", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, badSeverity.code());
    assertTrue(badSeverity.err().contains("unknown severity 'fatal'"), badSeverity.err());

    Run badClasspath = lint("--classpath", "missing.jar", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, badClasspath.code());
    assertTrue(badClasspath.err().contains("classpath entry not found: missing.jar"), badClasspath.err());

    StringWriter err = new StringWriter();
    assertEquals(Main.ERROR, Main.run(new String[0], new PrintWriter(new StringWriter()), new PrintWriter(err)));
    assertTrue(err.toString().contains("missing command"), err.toString());
  }

  @Test
  void aFolderWithoutJavaFilesIsAnErrorNotAPass(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("README.md"), "# not java");
    Run run = lint(dir.toString());
    assertEquals(Main.ERROR, run.code(), run.out());
    assertEquals("statelens lint: no .java files in " + dir + ": give the folders that hold your Java sources "
        + "(e.g. src/main/java) or .java files.", run.err().strip());
    assertEquals("", run.out());
  }

  @Test
  void anEmptyRulesListOrAMalformedSeverityIsAUsageError() {
    Run noRules = lint("--rules", ",", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, noRules.code(), noRules.out());
    assertTrue(noRules.err().startsWith("statelens lint: --rules names no rule: give rule ids or names"), noRules.err());
    Run blank = lint("--rules", "", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, blank.code(), blank.out());
    assertTrue(blank.err().contains("--rules names no rule"), blank.err());

    Run noLevel = lint("--severity", "SL001", fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, noLevel.code());
    assertTrue(noLevel.err().startsWith("statelens lint: Value for option '--severity' (RULE=LEVEL) should be in "
        + "KEY=VALUE"), noLevel.err());
  }

  @Test
  void versionAnswersOnTheLintCommandToo() {
    Run run = lint("--version");
    assertEquals(Main.CLEAN, run.code(), run.err());
    assertEquals("statelens 0.1.0", run.out().strip());
  }

  @Test
  void rulesOptionSelectsRules() {
    Run onlyClock = lint("--rules", "SL005", fixture("Sl001Counter.java"));
    assertEquals(Main.CLEAN, onlyClock.code(), onlyClock.out());
    Run bySlug = lint("--rules", "clock,field-write", fixture("Sl001Counter.java"));
    assertEquals(Main.FINDINGS, bySlug.code());
    assertTrue(bySlug.out().contains("[SL001]"));
  }

  @Test
  void severityOptionOverridesTheDefault() {
    Run run = lint("--severity", "SL001=error", fixture("Sl001Counter.java"));
    assertTrue(run.out().contains(": error: [SL001]"), run.out());
  }

  @Test
  void jsonFormatListsFindingsWithChainAndFixes() throws IOException {
    Run run = lint("--format", "json", fixture("Sl001Interprocedural.java"));
    assertEquals(Main.FINDINGS, run.code());
    JsonNode root = JSON.readTree(run.out());
    assertEquals(1, root.get("files").asInt());
    JsonNode findings = root.get("findings");
    assertEquals(2, findings.size());
    JsonNode first = findings.get(0);
    assertEquals("SL001", first.get("rule").asText());
    assertEquals("field-write", first.get("name").asText());
    assertEquals("warning", first.get("severity").asText());
    assertEquals(20, first.get("line").asInt());
    assertEquals(5, first.get("column").asInt());
    assertTrue(first.get("file").asText().endsWith("Sl001Interprocedural.java"));
    assertEquals(3, first.get("callChain").size());
    assertEquals("jit(this::outer)", first.get("callChain").get(0).get("call").asText());
    assertEquals("Sl001Interprocedural.record", first.get("callChain").get(2).get("call").asText());
    // a write in a callee of the jitted method: explicit-state converts the jitted method only,
    // so it is not listed (a listed fix applies; the plugin's Ctrl+1 offers the list)
    assertEquals("[\"suppress\"]", first.get("fixes").toString());
    assertTrue(root.get("notices").isArray());
  }

  /** The properties GitHub code scanning requires of an uploaded SARIF 2.1.0 file. */
  @Test
  void sarifHasWhatGithubCodeScanningRequires() throws IOException {
    Run run = lint("--format", "sarif", fixture("Sl003Io.java"), fixture("BrokenCode.java"));
    assertEquals(Main.FINDINGS, run.code());
    JsonNode root = JSON.readTree(run.out());
    assertEquals("2.1.0", root.get("version").asText());
    assertTrue(root.get("$schema").asText().contains("sarif-2.1.0"));
    JsonNode runs = root.get("runs");
    assertEquals(1, runs.size());
    JsonNode driver = runs.get(0).get("tool").get("driver");
    assertEquals("StateLens", driver.get("name").asText());
    JsonNode rules = driver.get("rules");
    assertEquals(dev.statelens.lint.Rule.values().length, rules.size()); // every rule, SL000 included
    for (JsonNode rule : rules) {
      assertTrue(rule.get("id").asText().matches("SL\\d{3}"));
      assertFalse(rule.get("shortDescription").get("text").asText().isBlank());
    }
    JsonNode results = runs.get(0).get("results");
    assertTrue(results.size() >= 6, results.toString());
    for (JsonNode result : results) {
      String ruleId = result.get("ruleId").asText();
      assertEquals(ruleId, rules.get(result.get("ruleIndex").asInt()).get("id").asText());
      assertTrue(result.get("level").asText().matches("error|warning|note"));
      assertFalse(result.get("message").get("text").asText().isBlank());
      JsonNode location = result.get("locations").get(0).get("physicalLocation");
      String uri = location.get("artifactLocation").get("uri").asText();
      assertTrue(uri.endsWith(".java"), uri);
      assertTrue(location.get("region").get("startLine").asInt() >= 1);
      assertTrue(location.get("region").get("startColumn").asInt() >= 1);
    }
    JsonNode viaCall = results.findParents("relatedLocations").get(0).get("relatedLocations");
    assertTrue(viaCall.size() >= 2);
    JsonNode notes = runs.get(0).get("invocations").get(0).get("toolExecutionNotifications");
    assertTrue(notes.size() >= 1, "BrokenCode's syntax errors are reported as notifications");
  }

  @Test
  void anUnwritableOutputFileSaysWhyAndWhatToDo(@TempDir Path dir) throws IOException {
    Path missingFolder = dir.resolve("no-such-folder").resolve("out.sarif");
    Run run = lint("--format", "sarif", "--output", missingFolder.toString(), fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, run.code());
    assertTrue(run.err().contains("cannot write the report to " + missingFolder + ": its folder does not exist. "
        + "Choose a writable --output file"), run.err());
    Path aFolder = Files.createDirectory(dir.resolve("a-folder"));
    run = lint("--output", aFolder.toString(), fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, run.code());
    assertTrue(run.err().contains("cannot write the report to " + aFolder + ": ") && run.err().contains("--output"),
        run.err());
  }

  @Test
  void aNonJavaFileAndAFileWithSyntaxErrorsAreToldApart(@TempDir Path dir) throws IOException {
    Path notes = Files.writeString(dir.resolve("notes.txt"), "not java");
    Run run = lint(notes.toString());
    assertEquals(Main.ERROR, run.code());
    assertTrue(run.err().contains("not a Java source file: " + notes + " (give .java files or folders)"), run.err());
    Path broken = Files.writeString(dir.resolve("Broken.java"), "class Broken {\n  void f( {\n    int x = ;\n  }\n");
    run = lint(broken.toString());
    assertEquals(Main.CLEAN, run.code(), "syntax errors are notes, the recovered code is still analyzed");
    assertTrue(run.out().contains("Broken.java:2: note: syntax error") && run.out().contains("analyzed the code around it"),
        run.out());
    assertTrue(run.out().lines().noneMatch(l -> l.toLowerCase(Locale.ROOT).contains("syntax error: syntax error")
        || l.contains("Syntax error")), "StateLens's prefix, not JDT's too:\n" + run.out());
  }

  /** JDT's "Syntax error, insert ..." and "Syntax error on token ..." under one "syntax error" prefix. */
  @Test
  void syntaxErrorNotesSayItOnce(@TempDir Path dir) throws IOException {
    Path broken = Files.writeString(dir.resolve("Broken.java"),
        "class Broken {\n  int f() {\n    return g(1;\n  }\n  int h() {\n    int x = = 2;\n    return x;\n  }\n}\n");
    Run run = lint(broken.toString());
    assertEquals(Main.CLEAN, run.code(), run.err());
    List<String> notes = run.out().lines().filter(l -> l.contains(": note: syntax error")).toList();
    assertTrue(notes.stream().anyMatch(l -> l.contains("Broken.java:3: note: syntax error: insert \")\" to complete")), run.out());
    assertTrue(notes.stream().anyMatch(l -> l.contains("Broken.java:6: note: syntax error on token \"=\"")), run.out());
    assertTrue(notes.stream().noneMatch(l -> l.contains("Syntax error")), run.out());
  }

  @Test
  void outputOptionWritesTheReportToAFile(@TempDir Path dir) throws IOException {
    Path report = dir.resolve("out.sarif");
    Run run = lint("--format", "sarif", "--output", report.toString(), fixture("Sl001Counter.java"));
    assertEquals(Main.FINDINGS, run.code());
    assertEquals("", run.out());
    assertEquals("2.1.0", JSON.readTree(Files.readString(report)).get("version").asText());
  }

  @Test
  void foldersAreWalkedForJavaFiles(@TempDir Path dir) throws IOException {
    Path pkg = Files.createDirectories(dir.resolve("src/demo"));
    Files.copy(Path.of(fixture("Sl001Counter.java")), pkg.resolve("Sl001Counter.java"));
    Files.writeString(pkg.resolve("notes.txt"), "not java");
    Run run = lint(dir.toString());
    assertEquals(Main.FINDINGS, run.code());
    assertTrue(run.out().contains("in 1 file"), run.out());
  }

  @Test
  void sarifUrisAreRelativeAndEncoded(@TempDir Path dir) throws IOException {
    Path spaced = Files.createDirectories(dir.resolve("my src"));
    Files.copy(Path.of(fixture("Sl001Counter.java")), spaced.resolve("Sl001Counter.java"));
    var result = dev.statelens.lint.Linter.lintPaths(java.util.List.of(spaced),
        dev.statelens.lint.LintConfig.defaults());
    JsonNode sarif = dev.statelens.lint.report.SarifReport.toSarif(result, dir);
    JsonNode artifact = sarif.get("runs").get(0).get("results").get(0).get("locations").get(0)
        .get("physicalLocation").get("artifactLocation");
    assertEquals("my%20src/Sl001Counter.java", artifact.get("uri").asText());
    assertEquals("%SRCROOT%", artifact.get("uriBaseId").asText());
  }
  /**
   * SARIF links to the docs only when told where they are published: no informationUri or
   * helpUri by default (optional in SARIF; the project has no docs site to point at), the help
   * text names the section of docs/lint.md; {@code --docs-uri} writes both; a relative address
   * is refused with the fix.
   */
  @Test
  void sarifLinksTheDocsOnlyWhereTheyArePublished(@TempDir Path dir) throws IOException {
    Path plain = dir.resolve("plain.sarif");
    assertEquals(Main.FINDINGS, lint("--format", "sarif", "--output", plain.toString(),
        fixture("Sl001Counter.java")).code());
    JsonNode driver = JSON.readTree(Files.readString(plain)).get("runs").get(0).get("tool")
        .get("driver");
    assertTrue(!driver.has("informationUri"), driver.toString());
    JsonNode sl010 = driver.get("rules").get(10);
    assertEquals("SL010", sl010.get("id").asText());
    assertTrue(!sl010.has("helpUri"), sl010.toString());
    assertEquals("The same PRNG Key drawn from twice (or in every loop iteration): correlated "
        + "random numbers. See docs/lint.md, section SL010 key-reuse.",
        sl010.get("help").get("text").asText());

    Path linked = dir.resolve("linked.sarif");
    String docs = "https://example.org/statelens/docs/lint.md";
    assertEquals(Main.FINDINGS, lint("--format", "sarif", "--docs-uri", docs, "--output",
        linked.toString(), fixture("Sl001Counter.java")).code());
    driver = JSON.readTree(Files.readString(linked)).get("runs").get(0).get("tool").get("driver");
    assertEquals(docs, driver.get("informationUri").asText());
    assertEquals(docs + "#sl010-key-reuse", driver.get("rules").get(10).get("helpUri").asText());

    Run relative = lint("--format", "sarif", "--docs-uri", "docs/lint.md",
        fixture("Sl001Counter.java"));
    assertEquals(Main.ERROR, relative.code());
    assertTrue(relative.err().contains("--docs-uri 'docs/lint.md' is not an absolute URI"),
        relative.err());
  }
}
