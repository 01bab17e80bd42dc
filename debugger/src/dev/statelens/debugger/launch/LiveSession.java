package dev.statelens.debugger.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Format;
import dev.statelens.debugger.model.Run;
import dev.statelens.engine.record.live.ControlServer;
import dev.statelens.engine.record.live.Protocol;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The IDE side of one live training run: a loopback {@link ControlServer} with a per-launch token,
 * the program's state as its messages report it (running, paused at a step, finished), and the
 * commands (pause, step, run to, run until NaN / loss above / event, resume). Pausing happens at
 * jit-call boundaries: the program blocks before its next jitted call, with the run store flushed.
 */
public final class LiveSession implements AutoCloseable {
  /** Where the program is. */
  public enum State { WAITING, RUNNING, PAUSED, TERMINATED }

  private final ControlServer server;
  private final Run run;
  private final List<Consumer<LiveSession>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state = State.WAITING;
  private volatile String function;
  private volatile long step = -1;
  private volatile String reason = "";
  private volatile long pauses;
  private volatile String lastEvent = "";
  /** Paused at exit: after the program's last jitted call, which met a break (no next call came). */
  private volatile boolean atExit;

  private LiveSession(ControlServer server, Run run) {
    this.server = server;
    this.run = run;
  }

  /** Listens on a free loopback port for the program that will record to {@code run}. */
  public static LiveSession start(Run run) throws IOException {
    LiveSession s = new LiveSession(ControlServer.start(), run);
    run.setLive(true);
    s.updateStatus();
    return s;
  }

  public Run run() {
    return run;
  }

  public int port() {
    return server.port();
  }

  public String token() {
    return server.token();
  }

  /** JVM options for the program: native access, record to the run file, connect to this session. */
  public List<String> jvmOptions() {
    List<String> o = new java.util.ArrayList<>();
    // SQLite's JDBC driver (and the GPU backends) load native code: without this every launch
    // starts with four red "restricted method" warnings in the Console
    o.add("--enable-native-access=ALL-UNNAMED");
    o.add("-Dstatelens.record=" + run.path());
    o.add("-Dstatelens.info=stdout"); // "recording to …" is not an error: keep it out of the red stderr
    o.addAll(List.of(server.jvmOptions()));
    return o;
  }

  /**
   * The run file the program says it records (its hello) when that is not this launch's: a
   * {@code Recorder} it opened in its own code, which the launch's {@code -Dstatelens.record} then
   * leaves alone; null when it records the launch's file (or nothing, or has not connected).
   */
  public java.nio.file.Path recordsElsewhere() {
    return recordsElsewhere;
  }

  private volatile java.nio.file.Path recordsElsewhere;
  /** The run of {@link #recordsElsewhere()}'s file once the State Flow view opened it (null before). */
  private volatile Run ownRun;

  /**
   * Makes {@code own}, the run of the file the program records itself, follow this session as the
   * launch's run does: live while the program runs, the thread's label as its status, and the
   * state the Debug view's frame reads.
   */
  public void followOwnRun(Run own) {
    ownRun = own;
    updateStatus();
    if (DebuggerPlugin.getDefault() != null) {
      DebuggerPlugin.runs().changed(own);
    }
  }

  /** The run that holds the program's steps: the file it records itself, once opened, else the launch's. */
  public Run recordedRun() {
    Run own = ownRun;
    return own != null ? own : run;
  }

  static java.nio.file.Path otherRunFile(JsonNode hello, java.nio.file.Path launchFile) {
    String recorded = hello == null ? null : hello.path("run").asText(null);
    if (recorded == null || recorded.isBlank()) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(recorded).toAbsolutePath().normalize();
    return p.equals(launchFile.toAbsolutePath().normalize()) ? null : p;
  }

  /**
   * Waits (on a daemon thread) for the program to connect, then follows its messages. With
   * {@code pauseAtStart} the program stops before its first jitted call.
   */
  public void acceptAsync(Duration timeout, boolean pauseAtStart) {
    Thread.ofPlatform().daemon().name("statelens-live-" + run.name()).start(() -> {
      try {
        JsonNode hello = server.accept(timeout, pauseAtStart);
        recordsElsewhere = otherRunFile(hello, run.path());
        set(State.RUNNING, null, -1, "");
        follow();
      } catch (IOException e) {
        if (state != State.TERMINATED) { // not already ended by processExited()
          set(State.TERMINATED, null, -1, "the program did not connect: " + e.getMessage());
        }
      }
    });
  }

  private void follow() {
    try {
      while (true) {
        JsonNode m = server.next(Duration.ofSeconds(1));
        if (m == null) {
          continue;
        }
        switch (m.path("type").asText()) {
          case Protocol.PAUSED -> {
            pauses++;
            atExit = m.path("exit").asBoolean(false);
            set(State.PAUSED, m.path("function").asText(null), m.path("step").asLong(-1), reasonOf(m));
          }
          case Protocol.RESUMED -> set(State.RUNNING, function, step, "");
          case Protocol.EVENT -> {
            lastEvent = m.path("kind").asText() + " at step " + m.path("step").asLong() + ": " + m.path("message").asText();
            changed();
          }
          case Protocol.BYE, "closed" -> {
            set(State.TERMINATED, function, step, "finished");
            return;
          }
          default -> { }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A {@code paused} message's reason as the view shows it ({@link #reason(String, Double, Double)}). */
  private static String reasonOf(JsonNode paused) {
    return reason(paused.path("reason").asText(""),
        paused.path("loss").isNumber() ? paused.path("loss").asDouble() : null,
        paused.path("threshold").isNumber() ? paused.path("threshold").asDouble() : null);
  }

  /**
   * A pause's reason as the view shows it: a loss break's loss and threshold (the {@code paused}
   * message's numbers) formatted as the view formats scalars ({@code runUntil: loss 4.09943 above
   * 0.001}; the engine's text has every digit of the double), other reasons, and a loss break from an
   * engine that sends no numbers, as sent.
   */
  public static String reason(String sent, Double loss, Double threshold) {
    if (loss != null && threshold != null) {
      return "runUntil: loss " + Format.num(loss) + " above " + Format.num(threshold);
    }
    return sent;
  }

  private void set(State s, String fn, long st, String why) {
    state = s;
    function = fn;
    step = st;
    reason = why;
    changed();
  }

  private void changed() {
    updateStatus();
    for (Consumer<LiveSession> l : listeners) {
      try {
        l.accept(this);
      } catch (RuntimeException e) {
        DebuggerPlugin.log("live session listener failed", e);
      }
    }
    if (DebuggerPlugin.getDefault() != null) {
      for (Run r : followedRuns()) {
        DebuggerPlugin.runs().changed(r);
      }
    }
  }

  private void updateStatus() {
    boolean live = state != State.TERMINATED;
    String status = label();
    for (Run r : followedRuns()) {
      r.setLive(live);
      r.setStatus(status);
    }
  }

  /** The runs that show this session's state: the launch's, and the program's own file once opened. */
  private List<Run> followedRuns() {
    Run own = ownRun;
    return own == null ? List.of(run) : List.of(run, own);
  }

  /**
   * "update — paused before step 37" (the Debug view's thread label): before call 37, so the State
   * Flow view's last step is 36 and the words agree with it.
   */
  public String label() {
    return switch (state) {
      case WAITING -> "waiting for the program to connect";
      case RUNNING -> (function == null ? "training" : function) + " — running";
      case PAUSED -> (atExit ? function + " — after its last call, step " + (step - 1) + ": paused at exit"
          : function + " — paused before step " + step) + (reason.isEmpty() || reason.equals("pause")
          || reason.equals("step") ? "" : " (" + reason + ")");
      case TERMINATED -> "finished" + (reason.isEmpty() || reason.equals("finished") ? "" : ": " + reason);
    };
  }

  public State state() {
    return state;
  }

  /** The function and step the program is paused before (its next jitted call). */
  public String function() {
    return function;
  }

  public long step() {
    return step;
  }

  /**
   * Whether the program is paused at exit: its last call met a break (or ran a step) and no next
   * call comes; {@link #step()} is then that call's step + 1, and Resume lets the program finish.
   */
  public boolean atExit() {
    return state == State.PAUSED && atExit;
  }

  public String reason() {
    return reason;
  }

  /** How many times the program paused so far. */
  public long pauses() {
    return pauses;
  }

  public String lastEvent() {
    return lastEvent;
  }

  public void addListener(Consumer<LiveSession> l) {
    listeners.add(l);
  }

  public void removeListener(Consumer<LiveSession> l) {
    listeners.remove(l);
  }

  // ---- commands ---------------------------------------------------------------------------------

  public void pause() throws IOException {
    server.pause();
  }

  public void resume() throws IOException {
    server.resume();
  }

  /** Runs {@code count} more jitted calls, then pauses. */
  public void step(long count) throws IOException {
    server.step(count);
  }

  /** Runs until just before {@code function}'s call {@code step}. */
  public void runTo(String function, long step) throws IOException {
    server.runTo(function, step);
  }

  public void runUntilNaN() throws IOException {
    server.runUntilNaN();
  }

  public void runUntilLossAbove(double threshold) throws IOException {
    server.runUntilLossAbove(threshold);
  }

  /** Runs until an event of {@code kind} ({@code stale_state}, {@code retrace}, …; null = any). */
  public void runUntilEvent(String kind) throws IOException {
    server.runUntilEvent(kind);
  }

  public boolean isConnected() {
    return state == State.RUNNING || state == State.PAUSED;
  }

  /**
   * The launched program's process ended. Before it connected (no jitted call yet, or it failed
   * first) nothing else would end the session until the accept timeout, and the launch would look
   * alive for minutes: end it now. A connected program's disconnection ends the session by itself.
   */
  public void processExited() {
    if (state != State.WAITING) {
      return;
    }
    set(State.TERMINATED, null, -1, "the program exited before its first jitted call");
    try {
      server.close(); // stops the waiting accept
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Lets the program run on unobserved and stops listening. */
  @Override
  public void close() {
    try {
      if (isConnected()) {
        server.detach();
      }
    } catch (IOException ignored) {
      // the program is gone already
    }
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    if (state != State.TERMINATED) {
      set(State.TERMINATED, function, step, "detached");
    }
  }
}
