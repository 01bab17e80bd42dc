package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.launch.FrameSourceDisplay;
import dev.statelens.debugger.launch.HintVariable;
import dev.statelens.debugger.launch.LeafVariable;
import dev.statelens.debugger.launch.LiveSession;
import dev.statelens.debugger.launch.LiveSessions;
import dev.statelens.debugger.launch.RunDebugTarget;
import dev.statelens.debugger.launch.StateFrame;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.live.LiveControl;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IVariable;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live run: a diverging training loop on a thread of this JVM records to a run store and obeys
 * the debugger's control channel (the same LiveControl a launched program starts). The debug
 * model pauses, steps and resumes it; the State Flow view follows; break on NaN stops it.
 */
class LiveRunTest {
  @TempDir
  Path dir;

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  static List<String> files(Path folder) {
    try (var s = java.nio.file.Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Starts a program thread that records {@code calls} steps of {@link Fixtures#step} at learning
   * rate {@code rate} into {@code db}, under the control of {@code session}'s live channel.
   */
  static Thread training(String threadName, LiveSession session, Path db, double rate, int calls) {
    return training(threadName, session, db, rate, calls, 0);
  }

  /** As {@link #training(String, LiveSession, Path, double, int)}, sleeping {@code sleepMs} after each call (time to pause it). */
  static Thread training(String threadName, LiveSession session, Path db, double rate, int calls, long sleepMs) {
    return Thread.ofPlatform().name(threadName).start(() -> {
      Fn3<Fixtures.Params, Array, Array, Fixtures.StepOut> update = Fixtures.step(rate);
      try (Recorder r = Recorder.open(db)) {
        LiveControl lc = LiveControl.connect(session.port(), session.token(), db.toString(), r::flush);
        r.attach(lc);
        Fixtures.Params p = new Fixtures.Params(Array.scalar(0.5), Array.scalar(0));
        Array x = Fixtures.xs(8);
        Array y = x.mul(2).sub(1);
        for (int i = 0; i < calls; i++) {
          p = update.apply(p, x, y).params();
          if (sleepMs > 0) {
            try {
              Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              break;
            }
          }
        }
        lc.close();
      }
    });
  }

  @Test
  void pauseStepResumeAndBreakOnNaN() throws Exception {
    Path db = dir.resolve("live.db");
    LiveFixture live = LiveFixture.start(db);
    LiveSession session = live.session;
    RunDebugTarget target = live.target;
    IThread thread = live.thread();

    Thread program = training("training", session, db, 1.5, 300); // diverges
    try {
      await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      assertEquals(0, session.step());
      assertTrue(thread.isSuspended());
      assertEquals("update — paused before step 0", thread.getName());
      // nothing recorded yet: the Variables view gets one row saying what to do, not an empty view
      IVariable[] hint = thread.getTopStackFrame().getVariables();
      assertEquals(1, hint.length, Arrays.toString(hint));
      assertTrue(hint[0] instanceof HintVariable, hint[0].toString());
      assertEquals("Press F6 (Step Over)", hint[0].getName());
      assertEquals("to run update's first call; then its state shows here and the editor opens its line",
          hint[0].getValue().getValueString());
      assertEquals(0, ((StateFrame) thread.getTopStackFrame()).leafCount());

      // the State Flow view on the run before its first call: a note saying so, not "Step -1 has no values"
      StateFlowView view = Ui.call(() -> {
        try {
          return OpenRunHandler.open(Ui.page(), db);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Ui.settle();
      String note = Ui.call(view::noValuesMessage);
      assertTrue(note.startsWith("update has not been called yet") && note.contains("Step or Resume"), note);
      assertEquals("", Ui.call(view::tracedGraphText), "no graph before the first trace");

      // Step Over in the Debug view = one jitted call
      thread.stepOver();
      await("step 1", () -> session.state() == LiveSession.State.PAUSED && session.step() == 1);
      // step 3 more
      long pauses = session.pauses();
      session.step(3);
      await("step 4", () -> session.pauses() > pauses && session.state() == LiveSession.State.PAUSED);
      assertEquals(4, session.step());
      assertEquals("update — paused before step 4", thread.getName());

      // the Variables view: the state the next call gets = outputs of step 3, by path
      IVariable[] vars = thread.getTopStackFrame().getVariables();
      List<String> names = Arrays.stream(vars).map(v -> ((LeafVariable) v).node().label()).toList();
      assertTrue(names.contains("params"), names.toString());
      LeafVariable params = (LeafVariable) Arrays.stream(vars).filter(v -> ((LeafVariable) v).node().label().equals("params")).findFirst()
          .orElseThrow();
      LeafVariable w = (LeafVariable) Arrays.stream(params.getVariables()).filter(v -> ((LeafVariable) v).node().label().equals("w"))
          .findFirst().orElseThrow();
      double w3;
      try (RunStore store = RunStore.open(db)) {
        LeafSample s = store.state("update", 3).stream().filter(l -> l.key().equals("out:params.w")).findFirst()
            .orElseThrow();
        w3 = s.values()[0];
      }
      assertEquals(w3, w.node().sample().values()[0]);
      assertEquals("f32()", w.getReferenceTypeName());

      // showing the frame's source: the step function's class (in this test bundle) is in no
      // workspace project, so nothing opens and Go to Source's message says why
      var frame = thread.getTopStackFrame();
      var earlier = FrameSourceDisplay.lastOutcome();
      int editors = Ui.call(() -> Ui.page().getEditorReferences().length);
      Ui.run(() -> frame.getAdapter(ISourceDisplay.class).displaySource(frame, Ui.page(), true));
      await("the frame's source outcome", () -> FrameSourceDisplay.lastOutcome() != earlier);
      assertFalse(FrameSourceDisplay.lastOutcome().opened());
      assertTrue(FrameSourceDisplay.lastOutcome().message().startsWith("Go to Source: dev.statelens.debugger.tests.")
          && FrameSourceDisplay.lastOutcome().message().contains("is not in any open Java project"),
          FrameSourceDisplay.lastOutcome().message());
      assertEquals(editors, Ui.call(() -> Ui.page().getEditorReferences().length), "no editor (no 'Source not found')");

      // the State Flow view, open since step 0, followed the paused run up to its last recorded step
      await("the view at step 3", () -> {
        Ui.settle();
        return Ui.call(() -> view.timeline().last()) == 3;
      });
      assertEquals(3, Ui.call(view::step));
      // Run to step offers a step still ahead: it read 0 here, and running to step 0 ran to the end
      await("Run to step's spinner ahead of the pause", () -> Ui.call(() -> view.runToStepSpinner().getSelection()) == 5);
      assertEquals(5, Ui.call(() -> view.runToStepSpinner().getMinimum()), "paused before step 4: step 5 is the first it can reach");
      assertEquals("", Ui.call(view::noValuesMessage), "the tree is back once the first call is in");
      assertTrue(Ui.call(() -> view.liveSession() == session));
      // the graph traced by the first call, read again once a call names it (it was empty at step 0)
      String graph = Ui.call(view::tracedGraphText);
      assertTrue(graph.startsWith("jit update: graph 1 of 1"), graph);

      // Break on NaN (it resumes by itself; a Resume first would let the program run past the
      // first NaN before the condition arrives)
      session.runUntilNaN();
      await("the NaN pause", () -> session.state() == LiveSession.State.PAUSED && session.reason().contains("NaN"));
      long nanCall = session.step() - 1;
      try (RunStore store = RunStore.open(db)) {
        long nan = store.state("update", nanCall).stream().filter(l -> l.role().equals("out"))
            .mapToLong(LeafSample::nan).sum();
        assertTrue(nan > 0, "the call before the pause produced NaN");
        long before = store.state("update", nanCall - 1).stream().filter(l -> l.role().equals("out"))
            .mapToLong(LeafSample::nan).sum();
        assertEquals(0, before, "and it was the first: the step before had none");
      }
      assertTrue(thread.getName().contains("paused"), thread.getName());
      // the view follows the live run to the NaN step
      await("the view to follow", () -> {
        Ui.settle();
        return Ui.call(() -> view.timeline().last()) == nanCall;
      });

      assertTrue(Ui.call(view::liveControlsShown), "paused, the Live row has its controls");
      thread.resume();
      await("the end of training", () -> session.state() == LiveSession.State.TERMINATED);
      assertTrue(target.isTerminated());
      // the Live row keeps its status, without the controls that can do nothing now (greyed out,
      // they looked clickable in the dark theme)
      await("the Live row's controls to go", () -> {
        Ui.settle();
        return !Ui.call(view::liveControlsShown);
      });

      // the recorder could not leave WAL mode while the view read the run; once the program is
      // done the view (the last reader) finishes it: one file, nothing beside it, every step read
      program.join(30_000);
      await("no -wal/-shm beside the run: " + files(dir), () -> files(dir).equals(List.of("live.db")));
      Ui.run(() -> view.selectStep(nanCall - 1));
      await("step " + (nanCall - 1) + " read from the finished file", () -> {
        Ui.settle();
        var st = Ui.call(view::stepState);
        return st != null && st.step() == nanCall - 1 && !st.roots().isEmpty();
      });
      try (RunStore store = RunStore.open(db)) {
        assertTrue(store.isFinished());
        assertEquals(300, store.callCount(), "every step is in the .db");
      }
      assertEquals(List.of("live.db"), files(dir), "reading it again leaves nothing beside it");
    } finally {
      program.join(30_000);
      live.close();
      Ui.closeStateFlowView();
    }
  }

  /**
   * Break on NaN when the program's last call is the one that turns NaN (the diverge example's
   * step 113): no next call comes, so the program pauses at exit, as its recorder closes; the
   * Debug view shows that call's outputs with their NaN, and Resume lets the program finish.
   */
  @Test
  void breakOnNaNAtTheLastCallPausesAtExit() throws Exception {
    Path db = dir.resolve("nan-last.db");
    LiveFixture live = LiveFixture.start(db);
    LiveSession session = live.session;
    IThread thread = live.thread();
    int calls = 6; // sqrt(4.5 - i): NaN at step 5 only, the last call
    Thread program = Thread.ofPlatform().name("training").start(() -> {
      java.util.function.Function<Array, Array> last = dev.statelens.engine.Transforms.jit("update",
          (Array t) -> Array.scalar(calls - 1.5).sub(t).sqrt());
      LiveControl lc;
      try (Recorder r = Recorder.open(db)) {
        lc = LiveControl.connect(session.port(), session.token(), db.toString(), r::flush);
        r.attach(lc);
        for (int i = 0; i < calls; i++) {
          last.apply(Array.scalar(i));
        }
      } // the recorder's close: the pause at exit happens here, before the run is marked finished
      lc.close();
    });
    try {
      await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      session.runUntilNaN();
      await("the pause at exit", () -> session.atExit());
      assertEquals(calls, session.step());
      assertTrue(session.reason().startsWith("runUntil: NaN in an output of update at step " + (calls - 1)),
          session.reason());
      assertTrue(thread.isSuspended());
      assertTrue(thread.getName().startsWith("update — after its last call, step " + (calls - 1) + ": paused at exit"),
          thread.getName());
      IVariable[] vars = thread.getTopStackFrame().getVariables();
      long nan = Arrays.stream(vars).mapToLong(v -> ((LeafVariable) v).node().nonFinite()).sum();
      assertTrue(nan > 0, "the frame shows the last call's outputs, NaN included");
      assertTrue(program.isAlive(), "the program waits at exit");
      try (RunStore store = RunStore.open(db)) {
        assertEquals(calls, store.callCount());
        assertFalse(store.isFinished());
      }
      thread.resume();
      await("the end of training", () -> session.state() == LiveSession.State.TERMINATED);
      program.join(30_000);
      assertFalse(program.isAlive());
      try (RunStore store = RunStore.open(db)) {
        assertTrue(store.isFinished());
      }
    } finally {
      program.join(30_000);
      live.close();
    }
  }

  /**
   * Terminate (the Console's red square) on a program paused at exit: the pause waits inside the
   * recorder's close, which a launched program runs in its shutdown hook, so its JVM ignores the
   * SIGTERM that ends a process. The process here stands for that JVM: it ends only once the program
   * has finished, else its terminate fails as Eclipse's does ("Terminate failed"). The target detaches
   * first, so the program finishes and the process ends; ending the process first failed.
   */
  @Test
  void terminateAProgramPausedAtExitDetachesItFirst() throws Exception {
    Path db = dir.resolve("terminate-at-exit.db");
    LiveFixture live = LiveFixture.start(db);
    LiveSession session = live.session;
    Thread program = Thread.ofPlatform().name("paused-at-exit").start(() -> {
      java.util.function.Function<Array, Array> last = dev.statelens.engine.Transforms.jit("update",
          (Array t) -> Array.scalar(0.5).sub(t).sqrt()); // NaN at step 1, the last call
      LiveControl lc;
      try (Recorder r = Recorder.open(db)) {
        lc = LiveControl.connect(session.port(), session.token(), db.toString(), r::flush);
        r.attach(lc);
        last.apply(Array.scalar(0));
        last.apply(Array.scalar(1));
      }
      lc.close();
    });
    JvmStandIn jvm = new JvmStandIn(program);
    RunDebugTarget target = new RunDebugTarget(new org.eclipse.debug.core.Launch(null, "debug", null), jvm, session);
    try {
      await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      session.runUntilNaN();
      await("the pause at exit", session::atExit);
      assertTrue(target.canTerminate());
      target.terminate(); // threw DebugException "Terminate failed" while the program waited at exit
      assertTrue(jvm.isTerminated(), "the process ended");
      assertFalse(program.isAlive(), "the program finished: detached, its pause at exit returned");
      assertTrue(target.isTerminated());
    } finally {
      program.join(30_000);
      live.close();
    }
  }

  /** A process whose terminate, like a JVM's SIGTERM during a blocked shutdown hook, waits for the program to finish. */
  private static final class JvmStandIn extends org.eclipse.core.runtime.PlatformObject
      implements org.eclipse.debug.core.model.IProcess {
    private final Thread program;

    JvmStandIn(Thread program) {
      this.program = program;
    }

    @Override
    public boolean canTerminate() {
      return !isTerminated();
    }

    @Override
    public boolean isTerminated() {
      return !program.isAlive();
    }

    @Override
    public void terminate() throws org.eclipse.debug.core.DebugException {
      try {
        program.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (program.isAlive()) {
        throw new org.eclipse.debug.core.DebugException(org.eclipse.core.runtime.Status.error("Terminate failed"));
      }
    }

    @Override
    public String getLabel() {
      return "training JVM";
    }

    @Override
    public org.eclipse.debug.core.ILaunch getLaunch() {
      return null;
    }

    @Override
    public org.eclipse.debug.core.model.IStreamsProxy getStreamsProxy() {
      return null;
    }

    @Override
    public void setAttribute(String key, String value) {}

    @Override
    public String getAttribute(String key) {
      return null;
    }

    @Override
    public int getExitValue() {
      return 0;
    }
  }

  /**
   * A launched program that opens its own Recorder records that file, not the launch's (the engine
   * then names it in its hello): once that file has its header the view opens it, as it opens the
   * launch's own file — listed in the Runs view, its Live row driving the program, the Debug view's
   * frame reading its state — where the user had to open it with File > Open StateLens Run….
   */
  @Test
  void aProgramRecordingItsOwnFileIsOpenedInTheViewOnceItHasItsHeader() throws Exception {
    Path launchFile = dir.resolve("launch.db");
    Path own = dir.resolve("own.db").toAbsolutePath().normalize();
    LiveFixture live = LiveFixture.start(launchFile); // paused before its first call
    LiveSession session = live.session;
    StateFlowView view = Ui.showRun(live.run);
    Ui.settle();
    assertEquals(StateFlowView.WAITING_FOR_FILE + "launch.db…", Ui.call(view::status));
    Thread program = Thread.ofPlatform().name("own-recorder").start(() -> {
      try (Recorder r = Recorder.open(own)) {
        LiveControl lc = LiveControl.connect(session.port(), session.token(), own.toString(), r::flush); // as AutoStart says it
        r.attach(lc);
        Fixtures.train(3);
        lc.close();
      }
    });
    Run ownRun = null;
    try {
      await("the pause before the first call", () -> session.state() == LiveSession.State.PAUSED);
      assertEquals(own, session.recordsElsewhere());
      // the view switches to the program's file (its poll re-reads every second)
      long deadline = System.currentTimeMillis() + 15_000;
      while (!own.equals(Ui.call(() -> view.run().path())) && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      ownRun = Ui.call(view::run);
      assertEquals(own, ownRun.path(), "the view shows the file the program records");
      assertSame(ownRun, DebuggerPlugin.runs().find(own), "listed in the Runs view");
      assertSame(session, Ui.call(view::liveSession), "its Live row drives the program");
      assertSame(ownRun, session.recordedRun());
      assertTrue(ownRun.isLive(), "re-read while the program runs");

      // Step Over: the Debug view's frame reads the state from the program's own file
      IThread thread = live.thread();
      thread.stepOver();
      await("step 1", () -> session.state() == LiveSession.State.PAUSED && session.step() == 1);
      List<String> names = Arrays.stream(thread.getTopStackFrame().getVariables())
          .map(v -> ((LeafVariable) v).node().label()).toList();
      assertTrue(names.contains("params") && names.contains("loss"), names.toString());

      session.resume();
      program.join(60_000);
      await("the program ended", () -> session.state() == LiveSession.State.TERMINATED);
      assertFalse(ownRun.isLive(), "finished with the program");
      deadline = System.currentTimeMillis() + 10_000;
      while (!Ui.call(view::status).startsWith("3 calls") && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
        Ui.settle();
      }
      assertTrue(Ui.call(view::status).startsWith("3 calls"), Ui.call(view::status));
      // the Function box shows its function whole: laid out while the run had none, it stayed an empty arrow
      Ui.run(() -> {
        var functionBox = (org.eclipse.swt.widgets.Combo) dev.statelens.test.support.Widgets.next(dev.statelens.test.support.Widgets.one(
            view.timeline().getParent(), org.eclipse.swt.widgets.Label.class, l -> l.getText().equals("  Function:")));
        int needed = functionBox.computeSize(org.eclipse.swt.SWT.DEFAULT, org.eclipse.swt.SWT.DEFAULT).x;
        assertFalse(functionBox.getText().isEmpty(), "a function is shown");
        assertTrue(functionBox.getSize().x >= needed, "the Function box is " + functionBox.getSize().x + " px, '"
            + functionBox.getText() + "' needs " + needed);
      });
      assertFalse(java.nio.file.Files.exists(launchFile), "nothing recorded the launch's file");
    } finally {
      live.close();
      if (ownRun != null) {
        LiveSessions.remove(ownRun);
      }
      Ui.closeStateFlowView();
      if (ownRun != null) {
        DebuggerPlugin.runs().remove(ownRun);
      }
    }
  }
}
