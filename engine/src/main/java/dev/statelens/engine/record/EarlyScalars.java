package dev.statelens.engine.record;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scalars logged with {@link Recorder#scalar} before the program's first jitted call while
 * recording is switched on from outside ({@code -Dstatelens.record}, {@code STATELENS_RECORD}: an
 * IDE launch). That recorder only opens at the first jitted call ({@link AutoStart}), so a setting
 * logged in the obvious place, before the training loop ({@code Recorder.scalar("lr", 0.01)}),
 * would otherwise be dropped. They are kept here (the last value per name, in the order first
 * logged) and written by the next recorder to open, at step 0, as if logged right after it opened.
 * After the first jitted call nothing more is kept: a recorder from outside has started by then or
 * will not start.
 */
final class EarlyScalars {
  private EarlyScalars() {}

  /** Plenty for settings; a program logging more names than this before its first call is not logging settings. */
  static final int MAX_KEPT = 1000;

  private static final Map<String, Double> kept = new LinkedHashMap<>(); // guarded by EarlyScalars.class
  private static boolean firstJitCallSeen; // guarded by EarlyScalars.class

  /** Whether a scalar logged now is kept: a recorder switched on from outside is yet to start. */
  static synchronized boolean keeping() {
    return !firstJitCallSeen && AutoStart.setting("statelens.record", "STATELENS_RECORD") != null;
  }

  /** No recorder is open: keeps the value if a recorder switched on from outside is yet to start. */
  static synchronized void keepIfRecordingStartsLater(String name, double value) {
    if (!keeping()) {
      return;
    }
    if (kept.size() < MAX_KEPT || kept.containsKey(name)) {
      kept.put(name, value);
    }
  }

  /** Writes the kept scalars into the recorder that just opened (at its step 0), and forgets them. */
  static void writeInto(Recorder r) {
    Map<String, Double> early;
    synchronized (EarlyScalars.class) {
      if (kept.isEmpty()) {
        return;
      }
      early = new LinkedHashMap<>(kept);
      kept.clear();
    }
    early.forEach((name, value) -> r.logScalar(name, value, null));
  }

  /** The first jitted call ran ({@link AutoStart#install}): a recorder from outside opens now or never. */
  static synchronized void firstJitCall() {
    firstJitCallSeen = true;
  }

  /** Drops what is kept when no recorder took it (recording could not start). */
  static synchronized void forget() {
    kept.clear();
  }
}
