package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.trace.JitCall;
import dev.statelens.engine.trace.JitListener;
import dev.statelens.engine.trace.JitListeners;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One jitted function called from several threads: steps are numbered when calls start, and a
 * call that ends before an earlier-numbered one is written after it, so every step is stored once,
 * in order, and found by step lookups with its own leaves.
 */
@ExtendWith(CloseLeftoverRecorder.class)
class ConcurrentCallsTest {
  @TempDir Path dir;

  /** f(x) = 2x + 1: each call's output tells which input (which call) it belongs to. */
  private static Function<Array, Array> affine(String name) {
    return Transforms.jit(name, (Array x) -> x.mul(2.0).add(1.0));
  }

  @Test
  void twoThreadsNCallsEachAreStoredAs2nDistinctStepsEachFoundWithItsOwnLeaves() throws Exception {
    int n = 150;
    Path db = dir.resolve("concurrent.db");
    Function<Array, Array> f = affine("shared");
    CyclicBarrier together = new CyclicBarrier(2); // both threads call at the same moment, every time
    try (Recorder r = Recorder.open(db)) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 2; t++) {
        int thread = t;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            for (int i = 0; i < n; i++) {
              together.await(10, TimeUnit.SECONDS);
              float x = thread * 1000 + i;
              assertEquals(2 * x + 1, f.apply(Array.of(x)).item(), 0);
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      assertEquals(List.of(), failures);
    }
    try (RunStore run = RunStore.open(db)) {
      assertEquals(2 * n, run.callCount());
      List<CallInfo> calls = run.calls("shared", 0, Long.MAX_VALUE);
      assertEquals(2 * n, calls.size());
      Set<Double> inputs = new HashSet<>();
      for (int s = 0; s < 2 * n; s++) {
        assertEquals(s, calls.get(s).step(), "steps 0..2n-1, each once, in order");
        assertEquals(s, calls.get(s).seq(), "stored in step order");
        List<CallInfo> one = run.calls("shared", s, s);
        assertEquals(1, one.size(), "step " + s + " is found");
        assertEquals(s, one.getFirst().step());
        Map<String, LeafSample> leaves = byKey(run.state("shared", s));
        double in = leaves.get("in:arg0").values()[0];
        assertEquals(2 * in + 1, leaves.get("out:out").values()[0], "step " + s + " holds its own call's leaves");
        inputs.add(in);
      }
      assertEquals(2 * n, inputs.size(), "every call recorded once");
    }
  }

  /**
   * Deterministic: the call that started first (step 0) is held until the second (step 1) has
   * ended; before the fix the store held step 1 then step 0 in one chunk and step 0 was not found.
   */
  @Test
  void aCallEndingBeforeAnEarlierOneIsStoredAfterIt() throws Exception {
    Path db = dir.resolve("reordered.db");
    Function<Array, Array> f = affine("slow_first");
    CountDownLatch firstRunning = new CountDownLatch(1);
    CountDownLatch secondEnded = new CountDownLatch(1);
    Thread[] holdThread = new Thread[1];
    // registered before the recorder, so it sees the end of a call first and can delay it
    JitListener hold = new JitListener() {
      @Override
      public void afterCall(JitCall call) {
        if (Thread.currentThread() == holdThread[0] && firstRunning.getCount() == 1) {
          firstRunning.countDown();
          try {
            assertTrue(secondEnded.await(30, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    JitListeners.add(hold);
    try (Recorder r = Recorder.open(db)) {
      Thread first = Thread.ofPlatform().unstarted(() -> f.apply(Array.of(10f)));
      holdThread[0] = first;
      first.start();
      assertTrue(firstRunning.await(30, TimeUnit.SECONDS));
      f.apply(Array.of(20f)); // step 1 starts and ends while step 0 is held
      r.flush();
      try (RunStore live = RunStore.open(db)) {
        assertEquals(0, live.callCount(), "step 1 waits for step 0 before it is written");
      }
      secondEnded.countDown();
      first.join(30_000);
      f.apply(Array.of(30f));
    } finally {
      JitListeners.remove(hold);
    }
    try (RunStore run = RunStore.open(db)) {
      List<CallInfo> calls = run.calls("slow_first", 0, 2);
      assertEquals(List.of(0L, 1L, 2L), calls.stream().map(CallInfo::step).toList());
      double[] inputs = {10, 20, 30};
      for (int s = 0; s < 3; s++) {
        assertEquals(1, run.calls("slow_first", s, s).size(), "step " + s + " is found");
        Map<String, LeafSample> leaves = byKey(run.state("slow_first", s));
        assertEquals(inputs[s], leaves.get("in:arg0").values()[0], "step " + s + " is the call that started " + s + "th");
        assertEquals(2 * inputs[s] + 1, leaves.get("out:out").values()[0]);
      }
    }
  }

  /** A call whose start another listener aborted never ran: it must not hold back later calls. */
  @Test
  void aCallAbortedBeforeItRanDoesNotHoldBackTheCallsAfterIt() throws Exception {
    Path db = dir.resolve("aborted.db");
    Function<Array, Array> f = affine("aborted");
    boolean[] abortNext = {true};
    // registered after the recorder: the recorder has numbered the call when this throws
    JitListener abort = new JitListener() {
      @Override
      public void beforeCall(dev.statelens.engine.trace.JitFunction function, long step) {
        if (abortNext[0]) {
          abortNext[0] = false;
          throw new IllegalStateException("aborted by a test listener");
        }
      }
    };
    try (Recorder r = Recorder.open(db)) {
      JitListeners.add(abort);
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> f.apply(Array.of(1f)));
      f.apply(Array.of(2f));
      f.apply(Array.of(3f));
      r.flush();
      try (RunStore live = RunStore.open(db)) {
        assertEquals(List.of(1L, 2L), live.calls("aborted", 0, 10).stream().map(CallInfo::step).toList(),
            "written while the run goes on; step 0 never ran");
      }
    } finally {
      JitListeners.remove(abort);
    }
  }

  private static Map<String, LeafSample> byKey(List<LeafSample> leaves) {
    return leaves.stream().collect(Collectors.toMap(LeafSample::key, Function.identity()));
  }
}
