package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.live.ControlServer;
import dev.statelens.engine.record.live.LiveControl;
import dev.statelens.engine.record.live.Protocol;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.trace.JitCall;
import dev.statelens.engine.trace.JitFunction;
import dev.statelens.engine.trace.JitListener;
import dev.statelens.engine.trace.JitListeners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live channel numbers steps as the recorder does, so "run to step N" stops at the call the
 * run file stores as step N, also when concurrent callers reach the recorder in another order than
 * the engine counted their calls.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class LiveStepNumbersTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void runToStopsAtTheRecordersStepWhenCallsReachTheRecorderOutOfCallOrder() throws Exception {
    Function<Array, Array> f = Transforms.jit("shared", (Array x) -> x.mul(2.0).add(1.0));
    JitFunction fn = Transforms.jitInfo(f);
    Thread[] a = new Thread[1];
    Thread[] b = new Thread[1];
    CountDownLatch aCounted = new CountDownLatch(1);
    CountDownLatch bDone = new CountDownLatch(1);
    // runs before the recorder: holds thread A's call (counted first by the engine) until thread B's
    // call (counted second) has been numbered and run, so the recorder numbers B before A
    JitListener reorder = new JitListener() {
      @Override
      public void beforeCall(JitFunction function, long callCount) {
        if (function == fn && Thread.currentThread() == a[0]) {
          aCounted.countDown();
          try {
            bDone.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void afterCall(JitCall call) {
        if (Thread.currentThread() == b[0]) {
          bDone.countDown();
        }
      }
    };
    JitListeners.add(reorder);
    Path db = dir.resolve("live-steps.db");
    try (ControlServer server = ControlServer.start(); Recorder r = Recorder.open(db)) {
      Thread accept = Thread.ofPlatform().start(() -> {
        try {
          server.accept(WAIT, true);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      LiveControl live = LiveControl.connect(server.port(), server.token(), db.toString(), r::flush);
      assertNotNull(live);
      accept.join();
      r.attach(live);
      try {
        Thread warm = Thread.ofPlatform().start(() -> f.apply(Array.scalar(0f))); // step 0, paused at start
        JsonNode p = server.await(Protocol.PAUSED, WAIT);
        assertEquals(0, p.get("step").asLong());
        server.runTo("shared", 2);
        warm.join(WAIT.toMillis());

        a[0] = Thread.ofPlatform().unstarted(() -> f.apply(Array.scalar(10f)));
        b[0] = Thread.ofPlatform().unstarted(() -> f.apply(Array.scalar(20f)));
        a[0].start();
        assertTrue(aCounted.await(10, TimeUnit.SECONDS));
        b[0].start();

        p = server.await(Protocol.PAUSED, WAIT);
        assertNotNull(p, "paused at step 2");
        assertEquals(2, p.get("step").asLong());
        assertEquals("runTo", p.get("reason").asText());
        assertEquals(0, bDone.getCount(), "B (the recorder's step 1) ran; A, the recorder's step 2, is the call paused");
        assertTrue(a[0].isAlive());
        server.resume();
        a[0].join(WAIT.toMillis());
        b[0].join(WAIT.toMillis());
      } finally {
        live.close();
      }
    } finally {
      JitListeners.remove(reorder);
    }
    try (RunStore store = RunStore.open(db)) {
      assertEquals(10f, input(store, 2), "step 2 is A's call (x = 10)");
      assertEquals(20f, input(store, 1), "step 1 is B's call (x = 20)");
    }
  }

  private static double input(RunStore store, long step) {
    LeafSample in = store.state("shared", step).stream().filter(l -> l.role().equals("in")).findFirst().orElseThrow();
    return in.values()[0];
  }
}
