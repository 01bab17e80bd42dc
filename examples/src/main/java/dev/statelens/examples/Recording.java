package dev.statelens.examples;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code --record RUN.db}: switches the engine's run recorder on the way the IDE does, through
 * the {@value #PROPERTY} system property, before the first jitted call. The examples' code does
 * not change when recorded.
 */
final class Recording {
  static final String PROPERTY = "statelens.record";
  /** Present in engine builds that contain the recorder. */
  static final String RECORDER_CLASS = "dev.statelens.engine.record.Recorder";

  private Recording() {}

  static boolean available() {
    try {
      Class.forName(RECORDER_CLASS, false, Recording.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** Asks for a recording into {@code db} (nothing when {@code db} is null). */
  static void start(Path db, PrintStream err) {
    if (db == null) {
      return;
    }
    if (!available()) {
      err.println("statelens: recording is not available in this build (no " + RECORDER_CLASS
          + "); running without --record");
      return;
    }
    System.setProperty(PROPERTY, db.toAbsolutePath().toString());
    err.println("statelens: recording to " + db);
  }
}
