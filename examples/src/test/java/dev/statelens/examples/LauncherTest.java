package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./statelens} launcher's own answers, which need no build: {@code help} names every
 * command the script has (its help is the script's header comment, easy to cut short when a line
 * is added), and an unknown command is one line with exit code 2.
 */
class LauncherTest {

  record Result(int code, String out, String err) {}

  static Result launcher(String... args) throws IOException, InterruptedException {
    Path root = DocsSnippetsTest.repoRoot();
    Path bash = Path.of("/bin/bash");
    Assumptions.assumeTrue(Files.isExecutable(bash), "no /bin/bash to run the launcher with");
    List<String> cmd = new java.util.ArrayList<>(List.of(bash.toString(), root.resolve("statelens").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    Process p = new ProcessBuilder(cmd).directory(root.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not answer within 60 s");
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void helpNamesEveryCommandOfTheScript() throws Exception {
    String script = Files.readString(DocsSnippetsTest.repoRoot().resolve("statelens"));
    Matcher arm = Pattern.compile("(?m)^  ([a-z]+)(?:\\|[^)]*)?\\)").matcher(script);
    List<String> commands = new java.util.ArrayList<>();
    while (arm.find()) {
      if (!arm.group(1).equals("help")) {
        commands.add(arm.group(1));
      }
    }
    assertTrue(commands.containsAll(List.of("test", "example", "lint", "report", "bench", "ide")), commands.toString());
    Result help = launcher("--help");
    assertEquals(0, help.code(), help.err());
    for (String command : commands) {
      assertTrue(help.out().contains("./statelens " + command), "help lacks '" + command + "':\n" + help.out());
    }
    assertTrue(help.out().lines().noneMatch(l -> l.startsWith("set ") || l.startsWith("#")), help.out());
  }

  /**
   * {@code ./statelens ide} rebuilds when a source of what it installs changed since its update site
   * was built; docs/lint.md is one (the plugin bundle ships the rules' texts from it), and an edit of
   * it alone did not rebuild. Run on a copy of the script in a bare tree ({@code ide --stale} builds
   * nothing), its update site's content.jar the build's marker.
   */
  @Test
  void theIdeIsStaleWhenTheRulesDocsChange() throws Exception {
    Path root = Files.createTempDirectory("launcher-ide");
    Files.copy(DocsSnippetsTest.repoRoot().resolve("statelens"), root.resolve("statelens"));
    long old = System.currentTimeMillis() - 3_600_000;
    for (String source : List.of("engine/src/main/A.java", "lint/pom.xml", "plugin/plugin.xml", "debugger/plugin.xml",
        "feature/feature.xml", "ide/setup/plugin.xml", "ide/product/pom.xml", "docs/lint.md", "docs/engine.md",
        "plugin/target-x/built.jar")) {
      touch(root.resolve(source), old);
    }
    Path marker = root.resolve("update-site/target/repository/content.jar");
    touch(marker, old + 60_000);
    Result upToDate = script(root, "ide", "--stale");
    assertEquals(0, upToDate.code(), upToDate.err());
    assertEquals("", upToDate.out(), "nothing changed since the build");

    touch(root.resolve("docs/engine.md"), old + 120_000);
    touch(root.resolve("plugin/target-x/built.jar"), old + 120_000);
    assertEquals("", script(root, "ide", "--stale").out(), "another page and a build output are not the IDE's sources");

    touch(root.resolve("docs/lint.md"), old + 120_000);
    Result edited = script(root, "ide", "--stale");
    assertEquals(0, edited.code(), edited.err());
    assertEquals("docs/lint.md", edited.out().strip(), "the rules' texts changed: the IDE is rebuilt");
  }

  private static void touch(Path file, long millis) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.writeString(file, file.getFileName().toString());
    }
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(millis));
  }

  /** The launcher copied to {@code root}, run there. */
  private static Result script(Path root, String... args) throws IOException, InterruptedException {
    List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", root.resolve("statelens").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(root.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not answer within 60 s");
    return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void anUnknownCommandIsOneLineAndExitTwo() throws Exception {
    Result r = launcher("exmaple");
    assertEquals(2, r.code());
    assertEquals("statelens: unknown command 'exmaple'. Run ./statelens help.", r.err().strip());
  }

  /** The examples {@code ./statelens example} runs: Main's commands, "help" aside. */
  private static List<String> mainExamples() {
    return new picocli.CommandLine(new Main(System.out, System.err)).getSubcommands().keySet().stream()
        .filter(n -> !n.equals("help")).toList();
  }

  /** The script's header is what {@code ./statelens help} prints: it names every example. */
  @Test
  void theScriptHeaderListsEveryExample() throws IOException {
    String script = Files.readString(DocsSnippetsTest.repoRoot().resolve("statelens"));
    Matcher line = Pattern.compile("(?m)^#   \\./statelens example ([a-z|]+) ").matcher(script);
    assertTrue(line.find(), "no './statelens example a|b|c' line in the script's header");
    assertEquals(java.util.Set.copyOf(mainExamples()), java.util.Set.of(line.group(1).split("\\|")),
        "the header's examples are Main's");
  }

  /**
   * The IDE's setup creates a launch configuration per example of {@code Startup.EXAMPLES}, and
   * the install test checks each: the two lists agree and name examples that exist. (The setup
   * bundle is built only in the Eclipse profile, so its source is read here.)
   */
  @Test
  void theIdeLaunchesAndTheInstallTestNameTheSameExamples() throws IOException {
    Path root = DocsSnippetsTest.repoRoot();
    Matcher startup = Pattern.compile("static final String\\[] EXAMPLES = \\{([^}]*)}").matcher(
        Files.readString(root.resolve("ide/setup/src/dev/statelens/ide/setup/Startup.java")));
    assertTrue(startup.find(), "Startup.EXAMPLES not found");
    List<String> launches = Pattern.compile("\"([a-z]+)\"").matcher(startup.group(1)).results().map(m -> m.group(1)).toList();
    Matcher installTest = Pattern.compile("(?m)^for example in ([a-z ]+); do").matcher(
        Files.readString(root.resolve("ide/product/install-test.sh")));
    assertTrue(installTest.find(), "install-test.sh's loop over the examples not found");
    assertEquals(launches, List.of(installTest.group(1).split(" ")), "install-test.sh checks every IDE launch");
    assertTrue(mainExamples().containsAll(launches), launches + " are not all among " + mainExamples());
    assertTrue(launches.containsAll(List.of("gnn", "transformer")), "the bigger states have their launches: " + launches);
  }

  /**
   * The IDE's setup names the debugger's launch type, its process factory (the Console without the
   * JVM's incubator-module warning) and its pause-at-start attribute by their ids, copied as strings
   * (the setup bundle does not depend on the debugger): each copy is the id the debugger declares. A
   * misspelt factory id only loses the Console's filter, silently.
   */
  @Test
  void theIdeSetupNamesTheDebuggersOwnIds() throws IOException {
    Path root = DocsSnippetsTest.repoRoot();
    String startup = Files.readString(root.resolve("ide/setup/src/dev/statelens/ide/setup/Startup.java"));
    String pluginXml = Files.readString(root.resolve("debugger/plugin.xml"));
    String delegate = Files.readString(root.resolve("debugger/src/dev/statelens/debugger/launch/TrainingLaunchDelegate.java"));
    assertEquals(startupId(startup, "TRAINING_LAUNCH"),
        declared(pluginXml, "<launchConfigurationType\\s+id=\"([^\"]+)\""), "the launch type");
    assertEquals(startupId(startup, "TRAINING_PROCESS_FACTORY"),
        declared(pluginXml, "<processFactory id=\"([^\"]+)\""), "the process factory");
    assertEquals(startupId(startup, "PAUSE_AT_START"),
        declared(delegate, "ATTR_PAUSE_AT_START = \"([^\"]+)\""), "the pause-at-start attribute");
  }

  private static String startupId(String source, String constant) {
    return declared(source, "static final String " + constant + " = \"([^\"]+)\"");
  }

  private static String declared(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "not found: " + regex);
    return m.group(1);
  }
}
