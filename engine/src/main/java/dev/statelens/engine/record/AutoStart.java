package dev.statelens.engine.record;

import dev.statelens.engine.record.live.LiveControl;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Path;

/**
 * Starts recording and/or the live control channel when switched on from outside; called once,
 * reflectively, at the first jit call (see {@code JitListeners}). Settings, each a system property
 * or the environment variable beside it:
 * <ul>
 *   <li>{@code statelens.record} / {@code STATELENS_RECORD}: the run store to write;
 *   <li>{@code statelens.record.maxValues} / {@code STATELENS_RECORD_MAX_VALUES}: values kept per
 *       leaf (default 64; larger leaves keep an evenly spaced sample);
 *   <li>{@code statelens.record.every} / {@code STATELENS_RECORD_EVERY}: a value snapshot (leaf
 *       statistics and values, gradient and update norms) every k-th step of a function instead of
 *       every call (default 1); every call still gets its row, loss and logged scalars;
 *   <li>{@code statelens.control.port} / {@code STATELENS_CONTROL_PORT} and
 *       {@code statelens.control.token} / {@code STATELENS_CONTROL_TOKEN}: the IDE's control
 *       channel on 127.0.0.1;
 *   <li>{@code statelens.info} / {@code STATELENS_INFO}: {@code stdout} puts the notices that are
 *       not problems on stdout (see {@link Notices}).
 * </ul>
 * Both are closed by a shutdown hook, so a normal exit commits everything.
 */
public final class AutoStart {
  private AutoStart() {}

  static String setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * The recording options the settings ask for ({@code statelens.record.maxValues},
   * {@code statelens.record.every} or their environment variables), else the defaults; a value
   * that is not understood is said on stderr and left at its default.
   */
  static RunWriter.Options optionsFromSettings() {
    RunWriter.Options options = RunWriter.Options.defaults();
    String max = setting("statelens.record.maxValues", "STATELENS_RECORD_MAX_VALUES");
    if (max != null) {
      try {
        options = options.withMaxValues(Integer.parseInt(max));
      } catch (IllegalArgumentException e) {
        System.err.println("statelens: statelens.record.maxValues must be a number >= 0, got '" + max
            + "'; using " + options.maxValues() + ".");
      }
    }
    String every = setting("statelens.record.every", "STATELENS_RECORD_EVERY");
    if (every != null) {
      try {
        options = options.withEvery(Integer.parseInt(every));
      } catch (IllegalArgumentException e) {
        System.err.println("statelens: statelens.record.every must be a whole number >= 1 (1 = values at every "
            + "call), got '" + every + "'; using " + options.every() + ".");
      }
    }
    return options;
  }

  /** The IDE's control channel this JVM connected to at its first jit call, or null. */
  private static volatile LiveControl liveChannel;

  /** The control channel {@link #install} connected, for a {@link Recorder} opened later to attach to. */
  static LiveControl liveChannel() {
    return liveChannel;
  }

  /**
   * Reads the settings and starts what they ask for. A program that opened its own
   * {@link Recorder} before its first jit call keeps it (nothing is opened at
   * {@code statelens.record}), and the control channel attaches to it, as to one it opens later:
   * a pause due when the program ends then comes as that recorder closes, before its run is
   * marked finished (with the channel alone, it came at JVM exit, after "finished").
   */
  public static void install() {
    EarlyScalars.firstJitCall(); // scalars logged before now go into the recorder opened here
    try {
      installRecorderAndChannel();
    } finally {
      EarlyScalars.forget(); // none kept when recording could not start
    }
  }

  private static void installRecorderAndChannel() {
    String record = setting("statelens.record", "STATELENS_RECORD");
    Recorder opened = null;
    if (record != null && Recorder.current() == null) {
      RunWriter.Options options = optionsFromSettings();
      opened = Recorder.open(Path.of(record), options);
      Notices.info("recording to " + opened.path());
    }
    String port = setting("statelens.control.port", "STATELENS_CONTROL_PORT");
    LiveControl live = null;
    if (port != null) {
      int p;
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        System.err.println("statelens: statelens.control.port must be a port number, got '" + port + "'.");
        p = -1;
      }
      if (p > 0) {
        Recorder recording = Recorder.current(); // the one opened above, or the program's own
        live = LiveControl.connect(p, setting("statelens.control.token", "STATELENS_CONTROL_TOKEN"),
            recording == null ? record : recording.path().toString(), null);
        if (live != null) {
          liveChannel = live;
          if (recording != null) {
            recording.attach(live);
          }
        }
      }
    }
    Recorder r = opened; // the program closes a recorder it opened itself
    LiveControl l = live;
    if (r != null || l != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (r != null) {
          r.close();
        }
        if (l != null) {
          l.close();
        }
      }, "statelens-record-shutdown"));
    }
  }
}
