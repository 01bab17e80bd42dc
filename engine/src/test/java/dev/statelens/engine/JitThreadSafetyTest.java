package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** One jitted function called from several threads: correct results, one graph per signature. */
class JitThreadSafetyTest {

  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void concurrentCallsIncludingTheFirstTrace() throws Exception {
    java.util.concurrent.atomic.AtomicInteger traces = new java.util.concurrent.atomic.AtomicInteger();
    Function<Array, Array> f = Transforms.jit("poly", (Array x) -> {
      traces.incrementAndGet();
      return x.mul(x).add(x.mul(3)).sub(1).sum();
    });
    int threads = 8;
    int calls = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        Callable<Integer> task = () -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < calls; i++) {
            float v = id * 1000 + i;
            int n = 1 + (i % 3); // three signatures: shapes [1], [2], [3]
            float[] data = new float[n];
            java.util.Arrays.fill(data, v);
            float got = f.apply(Array.of(data)).floatValue();
            float want = n * (v * v + 3 * v - 1);
            if (Math.abs(got - want) <= 1e-6f * Math.abs(want)) {
              ok++;
            }
          }
          return ok;
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Integer> r : results) {
        assertEquals(calls, r.get().intValue());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, Transforms.jitInfo(f).graphs().size());
    assertEquals(3, traces.get(), "each signature traced once, although first calls raced");
    assertEquals((long) threads * calls, Transforms.jitInfo(f).callCount());
  }

  @Test
  @SuppressWarnings("statelens:SL008") // a tracer escapes on purpose: the error under test
  void aTracerFromAnotherThreadIsRejected() throws Exception {
    Array[] leaked = new Array[1];
    CountDownLatch traced = new CountDownLatch(1);
    CountDownLatch used = new CountDownLatch(1);
    Throwable[] error = new Throwable[1];
    Thread tracer = new Thread(() -> Transforms.jit("holder", (Array x) -> {
      leaked[0] = x;
      traced.countDown();
      try {
        used.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return x;
    }).apply(Array.scalar(1)));
    tracer.start();
    traced.await();
    try {
      leaked[0].add(1);
    } catch (Throwable t) {
      error[0] = t;
    } finally {
      used.countDown();
      tracer.join();
    }
    assertEquals(UnexpectedTracerError.class, error[0].getClass());
  }
}
