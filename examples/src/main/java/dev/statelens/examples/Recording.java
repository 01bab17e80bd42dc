package dev.statelens.examples;

import dev.statelens.engine.record.Recorder;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code --record RUN.db}: records the example's jitted calls into a run store. The examples'
 * code does not change when recorded; this only opens the engine's {@link Recorder} before the
 * program runs and closes it (committing everything) when the program ends.
 *
 * <p>Equivalent to {@code -Dstatelens.record=RUN.db} (what the IDE sets), which the engine reads
 * at the first jit call of a JVM; opening the recorder here also works when jit was used earlier
 * in the same JVM (the tests run several examples in one JVM), and ends the run deterministically
 * rather than in a shutdown hook.
 */
final class Recording implements AutoCloseable {
  private final Recorder recorder;
  private final PrintStream out;

  private Recording(Recorder recorder, PrintStream out) {
    this.recorder = recorder;
    this.out = out;
  }

  /**
   * Starts recording into {@code db}; nothing when {@code db} is null. Where the run goes is said
   * on {@code out} (it is not a problem); that {@code --record} is ignored, on {@code err}.
   */
  static Recording start(Path db, PrintStream out, PrintStream err) {
    if (db == null) {
      return new Recording(null, out);
    }
    Recorder running = Recorder.current();
    if (running != null) {
      err.println("statelens: already recording to " + running.path() + "; --record " + db + " is ignored");
      return new Recording(null, out);
    }
    Recorder recorder = Recorder.open(db);
    out.println("statelens: recording to " + recorder.path());
    return new Recording(recorder, out);
  }

  @Override
  public void close() {
    if (recorder != null) {
      recorder.close();
      out.println("statelens: run recorded in " + recorder.path()
          + " (./statelens report " + recorder.path() + " writes its HTML report)");
    }
  }
}
