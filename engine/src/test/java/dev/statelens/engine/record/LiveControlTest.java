package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.record.live.ControlServer;
import dev.statelens.engine.record.live.Protocol;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live control channel end to end: a child JVM paused, stepped and released by the IDE's side. */
class LiveControlTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static List<String> options(ControlServer server, Path db) {
    List<String> o = new ArrayList<>(List.of(server.jvmOptions()));
    o.add("-Dstatelens.record=" + db);
    return o;
  }

  @Test
  void pauseStepRunToRunUntilAndResume() throws Exception {
    Path db = dir.resolve("live.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, db), "steps", "40")) {
      JsonNode hello = server.accept(WAIT, true);
      assertEquals(Protocol.VERSION, hello.get("protocol").asInt());
      assertEquals(child.process.pid(), hello.get("pid").asLong());

      JsonNode p = server.await(Protocol.PAUSED, WAIT);
      assertNotNull(p, child.output());
      assertEquals(0, p.get("seq").asLong(), "paused before the first jitted call");
      assertEquals("train", p.get("function").asText());

      server.step(3);
      p = server.await(Protocol.PAUSED, WAIT);
      assertEquals(3, p.get("step").asLong());
      assertEquals("step", p.get("reason").asText());
      // while paused, the run store already holds the 3 steps that ran
      try (RunStore store = RunStore.open(db)) {
        assertEquals(3, store.calls("train", 0, 100).size());
      }
      Thread.sleep(300);
      assertTrue(child.process.isAlive());
      try (RunStore store = RunStore.open(db)) {
        assertEquals(3, store.callCount(), "nothing runs while paused");
      }

      server.runTo("train", 25);
      p = server.await(Protocol.PAUSED, WAIT);
      assertEquals(25, p.get("step").asLong());
      assertEquals("runTo", p.get("reason").asText());

      server.runUntilNaN();
      p = server.await(Protocol.PAUSED, WAIT);
      assertEquals("nan", p.get("function").asText());
      assertEquals(21, p.get("step").asLong(), "stops before the call after the first NaN (step 20)");
      assertTrue(p.get("reason").asText().startsWith("runUntil: NaN"), p.toString());

      server.resume();
      child.await("DONE", 60);
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
    }
    try (RunStore store = RunStore.open(db)) {
      assertEquals(40 + 30, store.callCount());
      assertTrue(store.isFinished());
    }
  }

  @Test
  void theProgramRunsOnWhenTheIdeDisappears() throws Exception {
    Path db = dir.resolve("gone.db");
    try (ChildJvm child = startPausedThenDrop(db)) {
      child.await("DONE", 60);
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, child.process.exitValue());
      assertTrue(child.output().contains("the IDE closed the control channel"), child.output());
    }
  }

  private ChildJvm startPausedThenDrop(Path db) throws Exception {
    ControlServer server = ControlServer.start();
    ChildJvm child = new ChildJvm(options(server, db), "steps", "10");
    server.accept(WAIT, true);
    assertNotNull(server.await(Protocol.PAUSED, WAIT));
    server.close(); // the IDE is gone while the program is paused
    return child;
  }

  @Test
  void aWrongTokenIsTurnedAwayAndTheProgramRunsOn() throws Exception {
    try (ControlServer server = ControlServer.start(0, "the-right-token");
        ChildJvm child = new ChildJvm(List.of("-Dstatelens.control.port=" + server.port(),
            "-Dstatelens.control.token=wrong"), "steps", "5")) {
      Thread.ofPlatform().daemon().start(() -> {
        try {
          server.accept(Duration.ofSeconds(20), true);
        } catch (Exception ignored) {
          // expected: nobody with the right token
        }
      });
      child.await("DONE", 60);
      assertTrue(child.output().contains("live control on 127.0.0.1"), child.output());
      assertNull(server.hello());
    }
  }

  @Test
  void runUntilLossAboveBadCommandsAndDetach() throws Exception {
    Path db = dir.resolve("loss.db");
    try (ControlServer server = ControlServer.start();
        ChildJvm child = new ChildJvm(options(server, db), "steps", "30")) {
      server.accept(WAIT, true);
      assertNotNull(server.await(Protocol.PAUSED, WAIT));
      // linreg's loss starts near 1.1 and falls: above 1.0 holds at once (after step 0)
      server.runUntilLossAbove(1.0);
      JsonNode p = server.await(Protocol.PAUSED, WAIT);
      assertEquals(1, p.get("step").asLong(), p.toString());
      assertTrue(p.get("reason").asText().contains("loss"), p.toString());
      // the loss and threshold as numbers too: the IDE formats them as it formats every scalar
      assertEquals(1.0, p.get("threshold").asDouble(), p.toString());
      assertTrue(p.get("loss").asDouble() > 1.0, p.toString());
      assertTrue(p.get("reason").asText().contains(Double.toString(p.get("loss").asDouble())), p.toString());
      Thread.sleep(600); // a pause the run's training time leaves out
      server.send(Protocol.message("bogus"));
      JsonNode err = server.await(Protocol.ERROR, WAIT);
      assertTrue(err.get("message").asText().contains("unknown message type 'bogus'"), err.toString());
      server.detach();
      child.await("DONE", 60);
      assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "the recorder closes at exit");
    }
    try (RunStore store = RunStore.open(db)) {
      long pausedMs = Long.parseLong(store.meta().get("paused_ms"));
      assertTrue(pausedMs >= 600, "the pauses (at the start, at the break) are recorded: " + pausedMs);
      RunFacts facts = RunFacts.read(store, "loss.db");
      assertEquals(facts.wallTime().minusMillis(pausedMs), facts.trainingTime());
      String cell = RunFacts.table(List.of(facts, facts)).stream().filter(r -> r.label().equals("training time"))
          .findFirst().orElseThrow().cells().get(0);
      assertTrue(cell.matches("\\d+\\.\\d{3} s \\(\\+ \\d+\\.\\d s paused\\)"), cell);
    }
  }
}
