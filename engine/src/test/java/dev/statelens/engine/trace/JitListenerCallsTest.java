package dev.statelens.engine.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a listener (the recorder) is told of each top-level call, on the first (traced) call and on
 * cache hits, which take jit's fast path: the same step numbers, inputs, paths and outputs.
 */
class JitListenerCallsTest {
  record Params(Array w, Array b) {}

  private final List<String> events = new ArrayList<>();
  private final List<JitCall> calls = new ArrayList<>();
  private final JitListener listener = new JitListener() {
    @Override
    public void beforeCall(JitFunction function, long step) {
      events.add("before " + step);
    }

    @Override
    public void afterCall(JitCall call) {
      events.add("after " + call.step());
      calls.add(call);
    }

    @Override
    public void callFailed(JitFunction function, long step, Throwable error) {
      events.add("failed " + step);
    }
  };

  @AfterEach
  void remove() {
    JitListeners.remove(listener);
  }

  @Test
  void cacheHitsReportTheSameCallAsTheTracedOne() {
    BiFunction<Params, Array, Pair<Array, Params>> step = Transforms.jit("step",
        (Params p, Array x) -> Pair.of(p.w().mul(x).add(p.b()).sum(), new Params(p.w().sub(x.mean()), p.b().add(1))));
    JitListeners.add(listener);
    Params p = new Params(Array.of(1f, 2f), Array.scalar(0f));
    Array x = Array.of(3f, 4f);
    for (int i = 0; i < 3; i++) {
      p = step.apply(p, x).second();
    }
    assertEquals(List.of("before 0", "after 0", "before 1", "after 1", "before 2", "after 2"), events);
    assertTrue(calls.get(0).compiled());
    for (int i = 1; i < 3; i++) {
      JitCall c = calls.get(i);
      assertFalse(c.compiled(), "call " + i + " is a cache hit");
      assertNull(c.retraceReason());
      assertSame(calls.get(0).graph(), c.graph());
      assertEquals(calls.get(0).inputPaths(), c.inputPaths());
      assertEquals(calls.get(0).outputPaths(), c.outputPaths());
      // inputs are the arguments' leaves, in path order; outputs feed the next call
      Params in = (Params) c.args().get(0);
      assertSame(in.w(), c.inputs().get(0));
      assertSame(in.b(), c.inputs().get(1));
      assertSame(x, c.inputs().get(2));
      @SuppressWarnings("unchecked")
      Pair<Array, Params> out = (Pair<Array, Params>) c.result();
      assertSame(out.first(), c.outputs().get(0));
      assertTrue(c.endNanos() >= c.startNanos());
    }
    assertEquals(List.of("arg0.w", "arg0.b", "arg1"), calls.get(1).inputPaths());
    // 1 - 3.5 * 3 = -9.5 after three steps of w -= mean(x)
    assertEquals(-9.5f, p.w().toFloatArray()[0], 1e-6f);
    assertEquals(3f, p.b().floatValue(), 0f);
  }

  @Test
  void aFailingCacheHitIsReportedAsFailed() {
    java.util.function.Function<Array, Array> f = Transforms.jit("f", (Array a) -> a.log());
    f.apply(Array.of(1f)); // traced before the listener: the calls below are cache hits
    JitListeners.add(listener);
    dev.statelens.engine.Debug.setDebugNans(true);
    try {
      f.apply(Array.of(2f));
      assertThrows(dev.statelens.engine.NanError.class, () -> f.apply(Array.of(-1f)));
    } finally {
      dev.statelens.engine.Debug.setDebugNans(false);
    }
    assertEquals(List.of("before 1", "after 1", "before 2", "failed 2"), events);
    assertFalse(calls.get(0).compiled());
  }
}
