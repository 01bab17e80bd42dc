package dev.statelens.lint.cli;

import dev.statelens.lint.LintConfig;
import dev.statelens.lint.LintResult;
import dev.statelens.lint.Linter;
import dev.statelens.lint.Rule;
import dev.statelens.lint.Severity;
import dev.statelens.lint.report.Report;
import dev.statelens.lint.report.SarifReport;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statelens lint}: analyzes Java sources for side effects in jitted code. */
@Command(name = "lint", mixinStandardHelpOptions = true,
    description = {
        "Finds side effects inside functions handed to Transforms.jit, grad, vmap and the other "
            + "transforms (and in what they call), a PRNG key drawn from twice (SL010, in all code) "
            + "and a jit made anew in every loop iteration (SL011). Rules with examples: docs/lint.md.",
        "Exit codes: 0 no findings, 1 findings, 2 usage or I/O error."})
final class LintCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Java files or folders to analyze.")
  List<Path> paths;

  @Option(names = {"--classpath", "-cp"}, paramLabel = "CP",
      description = "Jars and class folders the sources compile against (the engine jar, "
          + "libraries), separated by '${sys:path.separator}'. Improves type resolution.")
  String classpath;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: text, json or sarif (SARIF 2.1.0). Default: ${DEFAULT-VALUE}.")
  Report.Format format;

  @Option(names = "--rules", paramLabel = "RULE", split = ",",
      description = "Only these rules (ids such as SL001 or names such as field-write), "
          + "comma-separated. Default: all.")
  List<String> rules;

  @Option(names = "--severity", paramLabel = "RULE=LEVEL", split = ",",
      description = "Override a rule's severity (error, warning, info), e.g. SL006=warning.")
  Map<String, String> severities;

  @Option(names = {"--output", "-o"}, paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(names = "--docs-uri", paramLabel = "URI",
      description = "SARIF only: the absolute address where docs/lint.md is published; written as "
          + "informationUri and each rule's helpUri. Without it the report has no links (the help "
          + "text names the section of docs/lint.md).")
  String docsUri;

  @Option(names = "--no-bindings",
      description = "Match types by name only (faster; less precise where names are ambiguous).")
  boolean noBindings;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    LintConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      err.println("statelens lint: " + e.getMessage());
      return Main.ERROR;
    }
    if (docsUri != null && !isAbsoluteUri(docsUri)) {
      err.println("statelens lint: --docs-uri '" + docsUri + "' is not an absolute URI: give the "
          + "full address of docs/lint.md, e.g. https://example.org/statelens/docs/lint.md");
      return Main.ERROR;
    }
    LintResult result;
    try {
      result = Linter.lintPaths(paths, config);
    } catch (IOException | UncheckedIOException e) {
      err.println("statelens lint: " + e.getMessage());
      return Main.ERROR;
    }
    if (result.filesAnalyzed() == 0) {
      // a wrong folder (docs/, target/) would otherwise pass a CI check as "0 findings"
      err.println("statelens lint: no .java files in " + String.join(", ", paths.stream().map(Path::toString).toList())
          + ": give the folders that hold your Java sources (e.g. src/main/java) or .java files.");
      return Main.ERROR;
    }
    Path base = Path.of("").toAbsolutePath();
    try {
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        report().write(result, base, out);
        out.flush();
      } else {
        try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
          report().write(result, base, w);
        }
        err.println("statelens lint: wrote " + output);
      }
    } catch (IOException e) {
      err.println("statelens lint: cannot write the report to " + output + ": " + reason(e)
          + ". Choose a writable --output file (its folder must exist), or leave --output out to print it.");
      return Main.ERROR;
    }
    return result.findings().isEmpty() ? Main.CLEAN : Main.FINDINGS;
  }

  private Report report() {
    return format == Report.Format.SARIF ? new SarifReport(docsUri) : Report.forFormat(format);
  }

  private static boolean isAbsoluteUri(String text) {
    try {
      java.net.URI uri = new java.net.URI(text);
      return uri.isAbsolute() && uri.getFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** Why a file could not be written; NIO's own messages are just the path. */
  private static String reason(IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException x -> "its folder does not exist";
      case java.nio.file.AccessDeniedException x -> "permission denied";
      case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
      default -> String.valueOf(e.getMessage());
    };
  }

  private LintConfig config() {
    LintConfig config = LintConfig.defaults().withBindings(!noBindings);
    if (rules != null) { // given, even as "" or ","
      Set<Rule> enabled = EnumSet.noneOf(Rule.class);
      for (String id : rules) {
        if (!id.isBlank()) {
          enabled.add(Rule.parse(id));
        }
      }
      if (enabled.isEmpty()) { // --rules "" would silently turn every rule off
        throw new IllegalArgumentException("--rules names no rule: give rule ids or names, comma-separated "
            + "(e.g. --rules SL001,SL010 or --rules field-write), or leave --rules out to run every rule");
      }
      config = config.withRules(enabled);
    }
    if (severities != null) {
      for (Map.Entry<String, String> e : severities.entrySet()) {
        config = config.withSeverity(Rule.parse(e.getKey()), Severity.parse(e.getValue()));
      }
    }
    if (classpath != null && !classpath.isBlank()) {
      List<Path> entries = new ArrayList<>();
      for (String entry : classpath.split(File.pathSeparator)) {
        if (entry.isBlank()) {
          continue;
        }
        Path p = Path.of(entry);
        if (!Files.exists(p)) {
          throw new IllegalArgumentException("classpath entry not found: " + entry
              + " (give existing jars or class folders, separated by '" + File.pathSeparator + "')");
        }
        entries.add(p);
      }
      config = config.withClasspath(entries);
    }
    return config;
  }
}
