package dev.statelens.engine.record.report;

import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunStoreException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code statelens report RUN.db [--out DIR]}: an HTML page with PNG charts of a recorded run;
 * {@code statelens report A.db B.db [...]}: one page comparing the runs ({@link CompareWriter}).
 */
@Command(name = "statelens report", mixinStandardHelpOptions = true, version = "statelens 0.1.0",
    description = {"Writes DIR/index.html and PNG charts of a recorded run: the loss curve, each state leaf's "
        + "trajectory and norm, the events, and the traced graph of each function.",
        "With two or more runs: one page comparing them, their loss and gradient/update norms overlaid by step "
        + "and a table of each run's facts with the ones that differ highlighted."})
public final class ReportMain implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN.db", description = "the run store(s) the recorder wrote; two or more: a comparison")
  List<Path> runs;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "folder for index.html and the PNGs; default: beside the run, RUN-report (runs/linreg.db -> runs/linreg-report); "
          + "for a comparison beside the first run, A-vs-B (runs/lr-0.1-vs-lr-0.01)")
  Path out;

  @Option(names = "--points", paramLabel = "N", defaultValue = "2000", description = "points per chart (runs are downsampled); default ${DEFAULT-VALUE}")
  int points;

  @Option(names = "--max-leaves", paramLabel = "N", defaultValue = "40", description = "leaf charts per function; default ${DEFAULT-VALUE}")
  int maxLeaves;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec; // usage errors go to this command's streams, not a new CommandLine's

  @Override
  public Integer call() throws Exception {
    if (points < 2) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--points must be at least 2, got " + points);
    }
    if (maxLeaves < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-leaves must be 0 or more, got " + maxLeaves);
    }
    if (runs.size() > 1) {
      if (out == null) {
        out = CompareWriter.defaultOut(runs);
      }
      Path index = new CompareWriter(points).write(runs, out);
      spec.commandLine().getOut().println("statelens: comparison of " + runs.size() + " runs written to " + index);
      return 0;
    }
    Path run = runs.get(0);
    if (out == null) {
      out = defaultOut(run);
    }
    Path index = new ReportWriter(points, maxLeaves).write(run, out);
    System.out.println("statelens: report written to " + index);
    try (RunStore store = RunStore.open(run)) { // a killed run reports fine; say so where it is read
      ReportWriter.recordingNote(store).ifPresent(note -> System.out.println("statelens: " + run + ": " + note));
    }
    return 0;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** Where the report goes without --out: beside the run file, its name without .db plus "-report". */
  static Path defaultOut(Path run) {
    String name = run.getFileName().toString();
    String stem = name.endsWith(".db") && name.length() > 3 ? name.substring(0, name.length() - 3) : name;
    return run.resolveSibling(stem + "-report");
  }

  /**
   * The command with its error handling: bad input is one line on stderr and exit code 2, not a
   * stack trace (a run file SQLite could not read adds SQLite's report on a second, indented line).
   */
  static CommandLine commandLine() {
    ReportMain report = new ReportMain();
    CommandLine cl = new CommandLine(report);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof RunStoreException bad) {
        // the sentence with the fix; SQLite's own report, when it has one, indented below it
        cmd.getErr().println("statelens report: " + bad.summary());
        bad.detail().ifPresent(sqlite -> cmd.getErr().println("  (SQLite: " + sqlite + ")"));
        return 2;
      }
      if (e instanceof IllegalArgumentException) {
        cmd.getErr().println("statelens report: " + e.getMessage());
        return 2;
      }
      if (e instanceof IOException io) {
        cmd.getErr().println("statelens report: cannot write the report to " + report.out + ": " + reason(io)
            + ". Pass a folder you can write with --out DIR (it is created if missing).");
        return 2;
      }
      throw e;
    });
    // a usage mistake is one line and where the options are, not the whole help page
    cl.setParameterExceptionHandler((e, args) -> {
      // picocli checks the required RUN.db before unknown options: `report --bogus` would blame RUN.db
      String message = e instanceof CommandLine.MissingParameterException m
          && m.getMissing().stream().anyMatch(arg -> !arg.isOption()) // not an option without its value
          ? unknownOption(e.getCommandLine(), args).map(o -> "Unknown option: '" + o + "'")
              .orElse("no RUN.db given: name the run file the recorder wrote, e.g. ./statelens report runs/linreg.db")
          : e.getMessage();
      e.getCommandLine().getErr().println("statelens report: " + message);
      e.getCommandLine().getErr().println("Run './statelens report --help' for the options.");
      return 2;
    });
    return cl;
  }

  /** The first argument that looks like an option but is not one of the command's (as lint's CLI). */
  private static Optional<String> unknownOption(CommandLine command, String[] args) {
    return Arrays.stream(args)
        .filter(a -> a.startsWith("-") && !a.equals("-") && !a.equals("--"))
        .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
        .filter(a -> command.getCommandSpec().findOption(a) == null)
        .findFirst();
  }

  /** Why the output could not be written; NIO's own messages are just the path. */
  private static String reason(IOException e) {
    return switch (e) {
      case FileAlreadyExistsException x -> x.getFile() + " exists and is not a folder";
      case AccessDeniedException x -> "permission denied (" + x.getFile() + ")";
      case NoSuchFileException x -> x.getFile() + " cannot be created";
      case FileSystemException x when x.getReason() != null -> x.getReason() + " (" + x.getFile() + ")";
      default -> String.valueOf(e.getMessage());
    };
  }
}
