package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.record.live.ControlServer;
import dev.statelens.engine.record.live.Protocol;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A break whose condition the program's last jitted call meets: there is no next call to pause
 * before, so the program pauses at exit (its recorder closing in the shutdown hook AutoStart adds),
 * after the last call, with the run committed but not yet finished; Resume lets it finish.
 */
class LiveExitPauseTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CALLS = 10; // ChildProgram nanLast: NaN at step 9, the last call

  @TempDir Path dir;

  private static List<String> options(ControlServer server, Path db) {
    List<String> o = new ArrayList<>(List.of(server.jvmOptions()));
    o.add("-Dstatelens.record=" + db);
    return o;
  }

  private static long nanOutputs(RunStore store, long step) {
    return store.state("nan", step).stream().filter(l -> l.role().equals("out")).mapToLong(LeafSample::nan).sum();
  }

  @Test
  void breakOnNaNAtTheLastCallPausesAtExitThenResumeFinishes() throws Exception {
    Path db = dir.resolve("nan-last.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, db), "nanLast", String.valueOf(CALLS))) {
      server.accept(WAIT, true);
      assertNotNull(server.await(Protocol.PAUSED, WAIT), child.output());
      server.runUntilNaN();

      JsonNode p = server.await(Protocol.PAUSED, WAIT);
      assertNotNull(p, "no pause after the last call's NaN: " + child.output());
      assertTrue(p.path("exit").asBoolean(), "a pause at exit says so: " + p);
      assertEquals("nan", p.get("function").asText());
      assertEquals(CALLS, p.get("step").asLong(), "as a pause before a call: the step after the last one");
      assertEquals(CALLS, p.get("seq").asLong());
      assertTrue(p.get("reason").asText().startsWith("runUntil: NaN in an output of nan at step " + (CALLS - 1)),
          p.toString());

      child.await("DONE", 60); // main has returned: the pause holds the exit
      Thread.sleep(300);
      assertTrue(child.process.isAlive(), "paused at exit, the program waits for Resume");
      try (RunStore store = RunStore.open(db)) {
        assertEquals(CALLS, store.callCount(), "every call is committed before the pause");
        assertTrue(nanOutputs(store, CALLS - 1) > 0, "the last call's NaN is there to inspect");
        assertEquals(0, nanOutputs(store, CALLS - 2));
        assertFalse(store.isFinished(), "the run is finished only after Resume");
      }

      server.resume();
      assertNotNull(server.await(Protocol.RESUMED, WAIT));
      assertNotNull(server.await(Protocol.BYE, WAIT), child.output());
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
    }
    try (RunStore store = RunStore.open(db)) {
      assertTrue(store.isFinished());
      assertEquals(CALLS, store.callCount());
    }
  }

  @Test
  void breakOnEventHearsTheWritersFirstNaNAtTheLastCall() throws Exception {
    Path db = dir.resolve("event-last.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, db), "nanLast", String.valueOf(CALLS))) {
      server.accept(WAIT, true);
      assertNotNull(server.await(Protocol.PAUSED, WAIT), child.output());
      server.runUntilEvent(EventKind.FIRST_NAN);

      JsonNode event = server.await(Protocol.EVENT, WAIT);
      assertNotNull(event, "the writer's first-NaN event reaches the IDE: " + child.output());
      assertEquals(EventKind.FIRST_NAN, event.get("kind").asText());
      assertEquals("nan", event.get("function").asText());
      assertEquals(CALLS - 1, event.get("step").asLong());
      JsonNode p = server.await(Protocol.PAUSED, WAIT);
      assertNotNull(p, child.output());
      assertTrue(p.path("exit").asBoolean(), p.toString());
      assertEquals(CALLS, p.get("step").asLong());
      assertTrue(p.get("reason").asText().startsWith("runUntil: event first_nan"), p.toString());
      server.resume();
      assertNotNull(server.await(Protocol.BYE, WAIT), child.output());
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
    }
  }

  @Test
  void withoutABreakTheProgramEndsWithoutPausing() throws Exception {
    Path db = dir.resolve("no-break.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, db), "nanLast", String.valueOf(CALLS))) {
      server.accept(WAIT, true);
      assertNotNull(server.await(Protocol.PAUSED, WAIT), child.output());
      server.resume();
      List<String> types = new ArrayList<>();
      JsonNode m;
      while ((m = server.next(WAIT)) != null) {
        String t = m.path("type").asText();
        if (!t.equals(Protocol.EVENT)) { // the first-NaN event is told, it does not pause
          types.add(t);
        }
        if (t.equals(Protocol.BYE) || t.equals("closed")) {
          break;
        }
      }
      assertEquals(List.of(Protocol.RESUMED, Protocol.BYE), types, child.output());
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
    }
    try (RunStore store = RunStore.open(db)) {
      assertTrue(store.isFinished());
    }
  }

  /**
   * The program opens its own Recorder (the IDE's {@code -Dstatelens.record} then records nothing):
   * the channel attaches to it, so the pause due after the last call comes as that recorder closes,
   * before its run is marked finished, and not again at JVM exit. Before, the channel was left
   * unattached and paused at exit after the program had closed its run as finished.
   */
  @Test
  void aRecorderTheProgramOpensItselfPausesBeforeItsRunIsFinishedAndOnlyOnce() throws Exception {
    Path own = dir.resolve("own.db");
    Path ide = dir.resolve("ide.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, ide), "ownRecorder", String.valueOf(CALLS), own.toString())) {
      JsonNode hello = server.accept(WAIT, true);
      assertEquals(own.toString(), hello.path("run").asText(), "the hello names the file actually recorded");
      assertNotNull(server.await(Protocol.PAUSED, WAIT), child.output());
      server.runUntilNaN();
      assertPausedAtExitBeforeFinishedThenEndsOnce(server, child, own);
    }
    assertFalse(java.nio.file.Files.exists(ide), "the program's recorder is the run: nothing at statelens.record");
  }

  /** As above with the recorder opened after a first jitted call, once the channel has connected. */
  @Test
  void aRecorderOpenedAfterTheChannelConnectedAttachesToIt() throws Exception {
    Path own = dir.resolve("late.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(List.of(server.jvmOptions()), "ownRecorder", String.valueOf(CALLS),
            own.toString(), "late")) {
      server.accept(WAIT, true);
      assertNotNull(server.await(Protocol.PAUSED, WAIT), child.output()); // before warmup
      server.runUntilNaN();
      assertPausedAtExitBeforeFinishedThenEndsOnce(server, child, own);
    }
  }

  private static void assertPausedAtExitBeforeFinishedThenEndsOnce(ControlServer server, ChildJvm child, Path db)
      throws Exception {
    JsonNode p = server.await(Protocol.PAUSED, WAIT);
    assertNotNull(p, "no pause after the last call's NaN: " + child.output());
    assertTrue(p.path("exit").asBoolean(), p.toString());
    assertEquals("nan", p.get("function").asText());
    assertEquals(CALLS, p.get("step").asLong(), "the recorder's step numbers: " + p);
    Thread.sleep(300);
    assertFalse(child.output().contains("CLOSED"), "the pause holds the recorder's close: " + child.output());
    try (RunStore store = RunStore.open(db)) {
      assertEquals(CALLS, store.callCount(), "every call is committed before the pause");
      assertTrue(nanOutputs(store, CALLS - 1) > 0);
      assertFalse(store.isFinished(), "paused before the run is marked finished");
    }
    server.resume();
    List<String> types = new ArrayList<>();
    JsonNode m;
    while ((m = server.next(WAIT)) != null) {
      String t = m.path("type").asText();
      if (!t.equals(Protocol.EVENT)) {
        types.add(t);
      }
      if (t.equals(Protocol.BYE) || t.equals("closed")) {
        break;
      }
    }
    assertEquals(List.of(Protocol.RESUMED, Protocol.BYE), types, "no second pause at JVM exit: " + child.output());
    assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, child.process.exitValue(), child.output());
    try (RunStore store = RunStore.open(db)) {
      assertTrue(store.isFinished());
      assertEquals(CALLS, store.callCount());
    }
  }
}
