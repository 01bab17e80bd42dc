package dev.statelens.engine.record.report;

import dev.statelens.engine.record.store.RunStoreException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statelens report RUN.db --out DIR}: an HTML page with PNG charts of a recorded run. */
@Command(name = "statelens report", mixinStandardHelpOptions = true,
    description = "Writes DIR/index.html and PNG charts of a recorded run: the loss curve, each state leaf's "
        + "trajectory and norm, the events, and the traced graph of each function.")
public final class ReportMain implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RUN.db", description = "the run store the recorder wrote")
  Path run;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "folder for index.html and the PNGs")
  Path out;

  @Option(names = "--points", defaultValue = "2000", description = "points per chart (runs are downsampled); default ${DEFAULT-VALUE}")
  int points;

  @Option(names = "--max-leaves", defaultValue = "40", description = "leaf charts per function; default ${DEFAULT-VALUE}")
  int maxLeaves;

  @Override
  public Integer call() throws Exception {
    if (points < 2) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--points must be at least 2, got " + points);
    }
    Path index = new ReportWriter(points, maxLeaves).write(run, out);
    System.out.println("statelens: report written to " + index);
    return 0;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    CommandLine cl = new CommandLine(new ReportMain());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof RunStoreException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("statelens report: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    System.exit(cl.execute(args));
  }
}
