package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.record.Programs.Params;
import dev.statelens.engine.record.live.ControlServer;
import dev.statelens.engine.record.live.LiveControl;
import dev.statelens.engine.record.live.Protocol;
import dev.statelens.engine.record.store.EventKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runUntil event, in process: the program thread stops after the recorder reports stale state. */
class LiveEventConditionTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void runUntilStaleStateEvent() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (ControlServer ide = ControlServer.start()) {
      Thread program = Thread.ofPlatform().start(() -> {
        try (Recorder r = Recorder.open(dir.resolve("live.db"))) {
          LiveControl live = LiveControl.connect(ide.port(), ide.token(), r.path().toString(), r::flush);
          r.attach(live);
          try {
            Params p = Programs.init();
            for (int i = 0; i < 6; i++) {
              step.apply(p, Programs.XS, Programs.YS); // stale: the result is dropped
            }
          } finally {
            live.close();
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      ide.accept(WAIT, true);
      JsonNode p = ide.await(Protocol.PAUSED, WAIT);
      assertNotNull(p);
      assertEquals(0, p.get("step").asLong());
      ide.runUntilEvent(EventKind.STALE_STATE);
      JsonNode event = ide.await(Protocol.EVENT, WAIT);
      assertEquals(EventKind.STALE_STATE, event.get("kind").asText());
      assertEquals(1, event.get("step").asLong());
      p = ide.await(Protocol.PAUSED, WAIT);
      assertEquals(2, p.get("step").asLong(), "paused before the call after the event");
      assertTrue(p.get("reason").asText().startsWith("runUntil: event stale_state"), p.toString());
      ide.resume();
      assertNotNull(ide.await(Protocol.BYE, WAIT));
      program.join(WAIT.toMillis());
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }
}
