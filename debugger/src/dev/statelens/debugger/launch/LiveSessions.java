package dev.statelens.debugger.launch;

import dev.statelens.debugger.model.Run;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live session of each run launched from this workbench (the State Flow view's live controls). */
public final class LiveSessions {
  private static final Map<Run, LiveSession> SESSIONS = new ConcurrentHashMap<>();

  private LiveSessions() {}

  public static void put(Run run, LiveSession s) {
    SESSIONS.put(run, s);
  }

  /** The session of {@code run}, or null (a recorded file, or no run). */
  public static LiveSession of(Run run) {
    return run == null ? null : SESSIONS.get(run);
  }

  public static void remove(Run run) {
    SESSIONS.remove(run);
  }
}
