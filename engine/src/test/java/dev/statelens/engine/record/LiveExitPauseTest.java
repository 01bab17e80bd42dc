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
}
