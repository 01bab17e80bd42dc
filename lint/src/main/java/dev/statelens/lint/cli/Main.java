package dev.statelens.lint.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code statelens lint PATH... [--classpath CP] [--format text|json|sarif] [--rules ...]}.
 * Exit codes: 0 no findings, 1 findings, 2 usage or I/O error.
 */
@Command(name = "statelens", mixinStandardHelpOptions = true, version = "statelens 0.1.0",
    description = "StateLens command line.", subcommands = LintCommand.class)
public final class Main implements Runnable {

  public static final int CLEAN = 0;
  public static final int FINDINGS = 1;
  public static final int ERROR = 2;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: use 'statelens lint PATH...'");
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    // `statelens lint --version` printed nothing: the subcommand had no version of its own
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().version(cli.getCommandSpec().version()));
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(e -> ERROR);
    cli.setParameterExceptionHandler((e, a) -> {
      CommandLine command = e.getCommandLine();
      // picocli checks required PATHs before unknown options: `lint --bogus` would blame the PATH
      String name = command.getCommandSpec().qualifiedName();
      String message = e instanceof CommandLine.MissingParameterException
          ? unknownOption(command, a).map(o -> "Unknown option: '" + o + "'").orElse(missing(e, name))
          : e.getMessage().replace("option option", "option"); // picocli's wording for a bad KEY=VALUE
      err.println(name + ": " + message); // "statelens lint: ...", as other errors
      err.println("Run './" + name + " --help' for the options.");
      return ERROR;
    });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** No PATH says what to give; picocli's other "Missing ..." messages already name the option. */
  private static String missing(CommandLine.ParameterException e, String name) {
    boolean noPath = e instanceof CommandLine.MissingParameterException m
        && m.getMissing().stream().anyMatch(arg -> !arg.isOption());
    return noPath
        ? "no PATH given: name the Java files or folders to analyze, e.g. ./" + name + " src/main/java"
        : e.getMessage();
  }

  /** The first argument that looks like an option but is not one of the command's. */
  private static java.util.Optional<String> unknownOption(CommandLine command, String[] args) {
    return java.util.Arrays.stream(args)
        .filter(a -> a.startsWith("-") && !a.equals("-") && !a.equals("--"))
        .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
        .filter(a -> command.getCommandSpec().findOption(a) == null
            && !command.getCommandSpec().name().equals(a))
        .findFirst();
  }
}
