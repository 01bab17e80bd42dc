package dev.statelens.engine.record.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.trace.JitCall;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.JitListener;
import dev.statelens.engine.trace.JitListeners;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The program's side of the live control channel: connects to the IDE at 127.0.0.1:port, and
 * blocks the program before a jitted call while paused. Pauses happen only at jit-call
 * boundaries. If the IDE goes away (or never answers), the program runs on.
 *
 * <p>{@code flushBeforePause} runs before each pause (the recorder commits, so the IDE reading the
 * run store sees every step before the pause).
 */
public final class LiveControl implements JitListener, AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 3000;
  private static final int WELCOME_TIMEOUT_MS = 10_000;

  private final Socket socket;
  private final OutputStream out;
  private final BufferedReader in;
  private final Object lock = new Object();
  /** Commits the recorder's queue before a pause; set by {@link #flushBy} when a recorder attaches. */
  private volatile Runnable flushBeforePause;
  private volatile boolean connected = true;
  private long nextSeq;
  /** Without a recorder: steps count top-level calls from the first one seen, per function. */
  private final java.util.Map<JitFunction, Long> stepBase = new java.util.IdentityHashMap<>();
  /** The recorder's step numbers, when a run is recorded (see {@link #numberStepsBy}). */
  private volatile StepNumbers stepNumbers;
  /** The step of the top-level call running on this thread (one at a time per thread). */
  private final ThreadLocal<long[]> currentStep = ThreadLocal.withInitial(() -> new long[1]);

  /** Where a call's step number comes from: the recorder, which numbers calls when they start. */
  @FunctionalInterface
  public interface StepNumbers {
    /** The step of {@code function}'s call {@code callCount} (the engine's counter), or -1 if unknown. */
    long stepOf(JitFunction function, long callCount);
  }

  // guarded by lock
  private boolean paused;
  private boolean pauseRequested;
  private String pauseReason = "pause";
  /** A lossAbove break's loss and threshold, sent as numbers beside the reason (the IDE formats them). */
  private double breakLoss = Double.NaN;
  private double breakThreshold = Double.NaN;
  /** Time the program sat blocked in {@link #awaitResume}: the run's pauses, left out of its training time. */
  private long pausedNanos;
  private long stepsLeft = -1;
  private String targetFunction;
  private long targetStep = -1;
  private String condition;
  private double threshold;
  private String eventKind;
  /** The last call that reached the channel: where a pause at exit stands. */
  private String lastFunction;
  private long lastStep = -1;

  private LiveControl(Socket socket, Runnable flushBeforePause) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    this.flushBeforePause = flushBeforePause;
  }

  /**
   * Connects to the IDE and registers as a jit listener; null (after one line on stderr) when the
   * IDE cannot be reached or refuses, so the program runs on unobserved.
   */
  public static LiveControl connect(int port, String token, String runPath, Runnable flushBeforePause) {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
      LiveControl lc = new LiveControl(s, flushBeforePause);
      ObjectNode hello = Protocol.message(Protocol.HELLO);
      hello.put("protocol", Protocol.VERSION);
      hello.put("token", token == null ? "" : token);
      hello.put("pid", ProcessHandle.current().pid());
      hello.put("run", runPath);
      lc.send(hello);
      s.setSoTimeout(WELCOME_TIMEOUT_MS);
      String line = lc.in.readLine();
      if (line == null) {
        throw new IOException("the IDE closed the connection (wrong token?)");
      }
      JsonNode welcome = Protocol.parse(line);
      if (!Protocol.WELCOME.equals(welcome.path("type").asText())) {
        throw new IOException("expected welcome, got " + line);
      }
      int version = welcome.path("protocol").asInt(0);
      if (version < 1 || version > Protocol.VERSION) {
        throw new IOException("the IDE speaks protocol version " + version + ", this program " + Protocol.VERSION
            + "; update StateLens on the older side");
      }
      s.setSoTimeout(0);
      lc.paused = false;
      lc.pauseRequested = welcome.path("pause").asBoolean(false);
      Thread.ofPlatform().daemon().name("statelens-live-control").start(lc::readLoop);
      JitListeners.add(lc);
      return lc;
    } catch (IOException e) {
      System.err.println("statelens: live control on 127.0.0.1:" + port + " unavailable (" + e.getMessage()
          + "); the program runs on without it.");
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
      return null;
    }
  }

  public boolean isConnected() {
    return connected;
  }

  /**
   * Numbers steps as the recorder does, so "pause at step N", "run to step N" and the step the IDE
   * shows are the run file's steps even when several threads call one function at once (the
   * engine's call counter and the recorder's start order can then differ).
   */
  public void numberStepsBy(StepNumbers numbers) {
    this.stepNumbers = numbers;
  }

  /**
   * What commits the run before each pause: the recorder that attached last (it may be one the
   * program opened itself, after this channel connected).
   */
  public void flushBy(Runnable flush) {
    this.flushBeforePause = flush;
  }

  // ---- jit hooks (program thread) -------------------------------------------------------------

  @Override
  public void beforeCall(JitFunction function, long callCount) {
    long seq;
    long step;
    boolean pause;
    flushForEvents();
    StepNumbers numbers = stepNumbers;
    // asked outside our lock: the recorder calls into this object while holding its own
    long recorded = numbers == null ? -1 : numbers.stepOf(function, callCount);
    synchronized (lock) {
      seq = nextSeq++;
      // steps count from the first call seen, as the recorder's do
      long counted = callCount - stepBase.computeIfAbsent(function, f -> callCount);
      step = recorded >= 0 ? recorded : counted;
      currentStep.get()[0] = step;
      lastFunction = function.name();
      lastStep = step;
      if (!connected) {
        return;
      }
      if (stepsLeft == 0) {
        pauseRequested = true;
        pauseReason = "step";
      }
      if (targetStep >= 0 && (targetFunction == null ? seq == targetStep
          : targetFunction.equals(function.name()) && step == targetStep)) {
        pauseRequested = true;
        pauseReason = "runTo";
      }
      pause = pauseRequested;
    }
    Runnable flush = flushBeforePause;
    if (pause && flush != null) {
      flush.run(); // outside the lock: commands may arrive meanwhile
    }
    synchronized (lock) {
      if (pause && pauseRequested) {
        pauseRequested = false;
        stepsLeft = -1;
        targetStep = -1;
        targetFunction = null;
        ObjectNode m = Protocol.message(Protocol.PAUSED);
        m.put("seq", seq);
        m.put("function", function.name());
        m.put("step", step);
        putReason(m, pauseReason);
        awaitResume(m);
      }
      if (stepsLeft > 0) {
        stepsLeft--;
      }
    }
  }

  /**
   * While Break on event is on, commits what the recorder queued first: the writer finds the first
   * NaN/Inf in a leaf as it writes a call, so its event reaches {@link #eventObserved} during the
   * flush and the pause comes right after the call that had it, not a call or two later.
   */
  private void flushForEvents() {
    boolean events;
    synchronized (lock) {
      events = connected && Protocol.ON_EVENT.equals(condition);
    }
    Runnable flush = flushBeforePause;
    if (events && flush != null) {
      flush.run();
    }
  }

  /**
   * The program is ending (its recorder closes, or this channel does) while a pause is due before
   * a next call that will never come: a break whose condition the last call met, a Pause that
   * arrived during it, or a Step that ran it. Pauses here, after the last call, so the IDE can show
   * it: {@code paused} with {@code "exit": true}, {@code step} = that call's step + 1 (as a pause
   * before a call, the state shown is the outputs of step - 1). Resume (or detach, or the IDE going
   * away) lets the program finish. Does nothing when no pause is due.
   */
  public void pauseAtExit() {
    flushForEvents();
    synchronized (lock) {
      if (!connected || !(pauseRequested || stepsLeft == 0) || lastFunction == null) {
        return;
      }
    }
    Runnable flush = flushBeforePause;
    if (flush != null) {
      flush.run(); // every call committed before the IDE reads the run
    }
    synchronized (lock) {
      if (!connected || !(pauseRequested || stepsLeft == 0)) {
        return;
      }
      String reason = pauseRequested ? pauseReason : "step";
      clearTargets();
      ObjectNode m = Protocol.message(Protocol.PAUSED);
      m.put("seq", nextSeq);
      m.put("function", lastFunction);
      m.put("step", lastStep + 1);
      putReason(m, reason);
      m.put("exit", true);
      awaitResume(m);
    }
  }

  /** {@code reason}, and for a lossAbove break its {@code loss} and {@code threshold} as numbers (holding {@link #lock}). */
  private void putReason(ObjectNode m, String reason) {
    m.put("reason", reason);
    if (reason.startsWith("runUntil: loss ") && !Double.isNaN(breakThreshold)) {
      m.put("loss", breakLoss);
      m.put("threshold", breakThreshold);
    }
  }

  /**
   * How long the program has sat paused (blocked before a call or at exit) since it connected: the
   * recorder keeps it in the run file ({@code meta.paused_ms}) so a run's training time leaves it out.
   */
  public long pausedNanos() {
    synchronized (lock) {
      return pausedNanos;
    }
  }

  /** Sends {@code paused} and blocks the program (holding {@link #lock}) until resumed or detached. */
  private void awaitResume(ObjectNode pausedMessage) {
    paused = true;
    long start = System.nanoTime();
    send(pausedMessage);
    while (paused && connected) {
      try {
        lock.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    paused = false;
    pausedNanos += System.nanoTime() - start;
  }

  @Override
  public void afterCall(JitCall call) {
    String c;
    synchronized (lock) {
      c = condition;
    }
    if (c == null || !connected) {
      return;
    }
    String met = null;
    if (c.equals(Protocol.NAN)) {
      for (Array a : call.outputs()) {
        if (hasNaN(a)) {
          met = "NaN in an output of " + call.function().name() + " at step " + currentStep.get()[0];
          break;
        }
      }
    } else if (c.equals(Protocol.LOSS_ABOVE)) {
      java.util.List<String> paths = call.outputPaths();
      for (int i = 0; i < paths.size(); i++) {
        String p = paths.get(i);
        if ((p.equals("loss") || p.endsWith(".loss")) && call.outputs().get(i).size() == 1) {
          lossObserved(call.outputs().get(i).item());
        }
      }
      return;
    }
    if (met != null) {
      conditionMet(met);
    }
  }

  private static boolean hasNaN(Array a) {
    Object host = Backends.current().download(a.buffer());
    if (host instanceof float[] f) {
      for (float v : f) {
        if (Float.isNaN(v)) {
          return true;
        }
      }
      return false;
    }
    if (host instanceof double[] d) {
      for (double v : d) {
        if (Double.isNaN(v)) {
          return true;
        }
      }
    }
    if (host instanceof short[] h) { // bf16/f16 bits
      for (short v : h) {
        if (Float.isNaN(dev.statelens.engine.backend.HalfFloats.toFloat(a.dtype(), v))) {
          return true;
        }
      }
    }
    return false;
  }

  /** A loss value seen (output leaf named loss, or Recorder.scalar("loss", ...)). */
  public void lossObserved(double loss) {
    synchronized (lock) {
      if (Protocol.LOSS_ABOVE.equals(condition) && loss > threshold) {
        conditionMet("loss " + loss + " above " + threshold);
        breakLoss = loss;
        breakThreshold = threshold;
      }
    }
  }

  /** Whether a loss condition is active (the recorder then reads the loss on the program thread). */
  public boolean wantsLoss() {
    synchronized (lock) {
      return Protocol.LOSS_ABOVE.equals(condition);
    }
  }

  /** An event recorded by the recorder: forwarded to the IDE, and checked against runUntil event. */
  public void eventObserved(String kind, String function, long step, String message) {
    if (!connected) {
      return;
    }
    ObjectNode m = Protocol.message(Protocol.EVENT);
    m.put("kind", kind);
    m.put("function", function);
    m.put("step", step);
    m.put("message", message);
    send(m);
    boolean met;
    synchronized (lock) {
      met = Protocol.ON_EVENT.equals(condition) && (eventKind == null || eventKind.equals(kind));
    }
    if (met) {
      conditionMet("event " + kind + ": " + message);
    }
  }

  private void conditionMet(String why) {
    synchronized (lock) {
      condition = null;
      pauseRequested = true;
      pauseReason = "runUntil: " + why;
      breakLoss = Double.NaN;
      breakThreshold = Double.NaN;
    }
  }

  // ---- commands (reader thread) ---------------------------------------------------------------

  private void readLoop() {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          handle(Protocol.parse(line));
        } catch (IOException | IllegalArgumentException e) {
          ObjectNode err = Protocol.message(Protocol.ERROR);
          err.put("message", e.getMessage());
          send(err);
        }
      }
    } catch (IOException e) {
      // the IDE went away: fall through and run on
    } finally {
      disconnect("the IDE closed the control channel; the program runs on.");
    }
  }

  private void handle(JsonNode m) {
    String type = m.path("type").asText();
    synchronized (lock) {
      switch (type) {
        case Protocol.PAUSE -> {
          pauseRequested = true;
          pauseReason = "pause";
        }
        case Protocol.RESUME -> {
          clearTargets();
          release();
        }
        case Protocol.STEP -> {
          long n = m.path("count").asLong(1);
          if (n < 1) {
            throw new IllegalArgumentException("step: count must be >= 1, got " + n);
          }
          clearTargets();
          stepsLeft = n;
          release();
        }
        case Protocol.RUN_TO -> {
          if (!m.has("step")) {
            throw new IllegalArgumentException("runTo needs \"step\" (a step of \"function\", or a call number without it)");
          }
          clearTargets();
          targetStep = m.path("step").asLong();
          targetFunction = m.hasNonNull("function") ? m.get("function").asText() : null;
          release();
        }
        case Protocol.RUN_UNTIL -> {
          String c = m.path("condition").asText("");
          if (!c.equals(Protocol.NAN) && !c.equals(Protocol.LOSS_ABOVE) && !c.equals(Protocol.ON_EVENT)) {
            throw new IllegalArgumentException("runUntil: unknown condition '" + c + "'; use nan, lossAbove (with "
                + "threshold) or event (with optional kind)");
          }
          if (c.equals(Protocol.LOSS_ABOVE) && !m.has("threshold")) {
            throw new IllegalArgumentException("runUntil lossAbove needs \"threshold\"");
          }
          clearTargets();
          condition = c;
          threshold = m.path("threshold").asDouble();
          eventKind = m.hasNonNull("kind") ? m.get("kind").asText() : null;
          release();
        }
        case Protocol.DETACH -> {
          clearTargets();
          connected = false;
          release();
        }
        default -> throw new IllegalArgumentException("unknown message type '" + type + "'; protocol "
            + Protocol.VERSION + " accepts pause, resume, step, runTo, runUntil, detach");
      }
    }
    if (!connected) {
      closeSocket();
    }
  }

  private void clearTargets() {
    pauseRequested = false;
    stepsLeft = -1;
    targetStep = -1;
    targetFunction = null;
    condition = null;
  }

  private void release() {
    if (paused) {
      paused = false;
      ObjectNode r = Protocol.message(Protocol.RESUMED);
      send(r);
    }
    lock.notifyAll();
  }

  private void disconnect(String why) {
    boolean was;
    synchronized (lock) {
      was = connected;
      connected = false;
      clearTargets();
      paused = false;
      lock.notifyAll();
    }
    JitListeners.remove(this);
    if (was) {
      dev.statelens.engine.record.Notices.info(why);
    }
    closeSocket();
  }

  private void send(JsonNode m) {
    if (socket.isClosed()) {
      return;
    }
    byte[] bytes = (Protocol.line(m) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (out) {
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      connected = false; // the reader thread notices too and releases a pause
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Pauses first if a pause is due ({@link #pauseAtExit}), then says bye and disconnects; the program runs on. */
  @Override
  public void close() {
    pauseAtExit();
    if (connected) {
      send(Protocol.message(Protocol.BYE));
    }
    synchronized (lock) {
      connected = false;
      lock.notifyAll();
    }
    JitListeners.remove(this);
    closeSocket();
  }
}
