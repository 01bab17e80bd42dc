package dev.statelens.engine.record;

import java.io.PrintStream;

/**
 * One-line notices the recorder gives the user that are not problems: where a run is recorded,
 * where an earlier run file was moved, that the IDE let go of the program. They go to stderr, since
 * stdout is the program's own output, unless {@code statelens.info=stdout}
 * ({@code STATELENS_INFO=stdout}): the IDE's training launches set it, because Eclipse's Console
 * paints all of stderr red and these lines are not errors. Warnings stay on stderr.
 */
public final class Notices {
  private Notices() {}

  /** Says {@code "statelens: " + line} on the notice stream. */
  public static void info(String line) {
    stream().println("statelens: " + line);
  }

  /** The stream info notices go to now (read on each call: a test or a launch may set it late). */
  static PrintStream stream() {
    return "stdout".equalsIgnoreCase(AutoStart.setting("statelens.info", "STATELENS_INFO")) ? System.out : System.err;
  }
}
