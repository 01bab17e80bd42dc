package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.trace.JitCall;
import dev.statelens.engine.trace.JitListener;
import dev.statelens.engine.trace.JitListeners;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A jit created anew each step (a new {@code Transforms.jit} wrapper per iteration has an empty
 * cache) retraces every call: each such retrace says so, and one warning per creation site names
 * the site and the fix. A jit made once, or one jit per object used many times, is no such case.
 */
@SuppressWarnings("statelens:SL011") // jits made anew in loops, on purpose: the trap under test
class JitRecreatedTest {
  /** Held strongly: JUL keeps loggers weakly, and the handler must stay on this one. */
  private final Logger log = Logger.getLogger("dev.statelens.engine.trace.JitSites");
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final List<JitCall> calls = new ArrayList<>();
  private final JitListener listener = new JitListener() {
    @Override
    public void afterCall(JitCall call) {
      calls.add(call);
    }
  };

  @BeforeEach
  void listen() {
    log.addHandler(handler);
    JitListeners.add(listener);
  }

  @AfterEach
  void stop() {
    log.removeHandler(handler);
    JitListeners.remove(listener);
  }

  private static Array step(Array x) {
    return x.mul(2).add(1);
  }

  /** The trap: "inside a method called each step". */
  private static Array stepThroughANewJit(Array x) {
    return Transforms.jit("step", JitRecreatedTest::step).apply(x);
  }

  @Test
  void aJitCreatedEachStepRetracesWithItsSiteAndWarnsOnce() {
    Array x = Array.of(1f, 2f);
    List<Function<Array, Array>> made = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Function<Array, Array> step = Transforms.jit("step", (Array v) -> v.mul(2).add(1));
      made.add(step);
      x = step.apply(x);
    }
    assertEquals(6, calls.size());
    assertTrue(calls.stream().allMatch(JitCall::compiled), "every wrapper traced and compiled again");
    assertNull(calls.getFirst().retraceReason(), "the first jit made there is a first trace");
    String site = Transforms.jitInfo(made.getFirst()).jitSite().location();
    assertTrue(site.startsWith("JitRecreatedTest.java:"), site);
    for (JitCall c : calls.subList(1, 6)) {
      assertTrue(c.retraceReason().startsWith("jit created anew at " + site + " "), c.retraceReason());
    }
    for (int i = 1; i < 6; i++) {
      assertSame(Transforms.jitInfo(made.get(i - 1)), Transforms.jitInfo(made.get(i)).predecessor());
    }
    assertEquals(1, warnings.size(), "one warning per site, not one per step");
    String w = warnings.getFirst().getMessage();
    assertTrue(w.contains("jit(step) is created anew at "), w);
    assertTrue(w.contains("(" + site + ")"), w);
    assertTrue(w.contains("3 jits made there compiled the same input signature"), w);
    assertTrue(w.contains("Create the jit once: a field, or before the loop"), w);
    assertArrayEquals(new float[] {127f, 191f}, x.toFloatArray());
  }

  @Test
  void aJitCreatedInAMethodCalledEachStepIsFoundToo() {
    Array x = Array.scalar(0.5);
    for (int i = 0; i < 4; i++) {
      x = stepThroughANewJit(x);
    }
    assertEquals(4, calls.size());
    assertNull(calls.getFirst().retraceReason());
    calls.subList(1, 4).forEach(c -> assertTrue(c.retraceReason().startsWith("jit created anew at JitRecreatedTest.java:"),
        c.retraceReason()));
    assertEquals(1, warnings.size());
    assertTrue(warnings.getFirst().getMessage().contains("stepThroughANewJit"), warnings.getFirst().getMessage());
  }

  @Test
  void aJitMadeOnceBeforeTheLoopTracesOnceAndIsQuiet() {
    Function<Array, Array> step = Transforms.jit("step", JitRecreatedTest::step);
    Array x = Array.scalar(0.5);
    for (int i = 0; i < 6; i++) {
      x = step.apply(x);
    }
    assertEquals(1, calls.stream().filter(JitCall::compiled).count());
    assertTrue(calls.stream().allMatch(c -> c.retraceReason() == null));
    assertTrue(warnings.isEmpty());
  }

  /** One jit per model object (a field), each used for many steps: several users of one site, not the trap. */
  @Test
  void oneJitPerObjectUsedForManyStepsIsNotARecreation() {
    // each test its own factory: the sites (and what they remember) are per source line
    Supplier<Function<Array, Array>> makeStep = () -> Transforms.jit("model_step", JitRecreatedTest::step);
    for (int model = 0; model < 4; model++) {
      Function<Array, Array> step = makeStep.get();
      Array x = Array.scalar(model);
      for (int i = 0; i < 10; i++) {
        x = step.apply(x);
      }
    }
    assertEquals(4, calls.stream().filter(JitCall::compiled).count(), "each object's jit traces once");
    assertTrue(calls.stream().allMatch(c -> c.retraceReason() == null), calls.toString());
    assertTrue(warnings.isEmpty());
  }

  /** Made side by side before any is called (an ensemble), then called in turn: not the trap either. */
  @Test
  void jitsMadeUpFrontAndCalledInTurnAreNotRecreations() {
    Supplier<Function<Array, Array>> makeStep = () -> Transforms.jit("model_step", JitRecreatedTest::step);
    List<Function<Array, Array>> ensemble = new ArrayList<>();
    for (int model = 0; model < 4; model++) {
      ensemble.add(makeStep.get());
    }
    for (int i = 0; i < 3; i++) {
      for (Function<Array, Array> step : ensemble) {
        step.apply(Array.scalar(i));
      }
    }
    assertTrue(calls.stream().allMatch(c -> c.retraceReason() == null), calls.toString());
    assertTrue(warnings.isEmpty());
  }

  /** One jit per case, made by one helper: the same site and signature, but other graphs. */
  @Test
  void jitsOfDifferentFunctionsFromOneSiteAreNotRecreations() {
    List<Function<Array, Array>> cases = List.of(v -> v.add(1), v -> v.mul(3), Array::exp, Array::tanh, v -> v.sub(2));
    for (Function<Array, Array> f : cases) {
      jitOnceAndCall(f, Array.of(1f, 2f));
    }
    assertEquals(5, calls.size());
    assertTrue(calls.stream().allMatch(c -> c.retraceReason() == null), calls.toString());
    assertTrue(warnings.isEmpty());
  }

  private static Array jitOnceAndCall(Function<Array, Array> f, Array x) {
    return Transforms.jit(f).apply(x);
  }

  @Test
  void aNewJitCalledWithAnotherSignatureIsNotARetraceOfItsPredecessor() {
    Supplier<Function<Array, Array>> makeStep = () -> Transforms.jit("model_step", JitRecreatedTest::step);
    Function<Array, Array> first = makeStep.get();
    first.apply(Array.of(1f, 2f));
    Function<Array, Array> second = makeStep.get();
    assertNotNull(Transforms.jitInfo(second).predecessor(), "made anew after one call");
    second.apply(Array.of(1f, 2f, 3f));
    assertNull(calls.get(1).retraceReason(), "it had nothing to reuse: f32[3] was never compiled there");
    assertTrue(warnings.isEmpty());
  }

  /**
   * The cache belongs to the wrapper, also for the very same function object (see
   * docs/decisions.md, "jit created anew"): jitting it again traces again, and is reported.
   */
  @Test
  @SuppressWarnings("statelens:SL002") // counts or records at trace time on purpose: what the test checks
  void theSameFunctionObjectJittedAgainTracesAgain() {
    int[] traces = {0};
    Function<Array, Array> body = v -> {
      traces[0]++;
      return v.add(1);
    };
    for (int i = 0; i < 3; i++) {
      Transforms.jit("again", body).apply(Array.scalar(i));
    }
    assertEquals(3, traces[0]);
    assertTrue(calls.get(2).retraceReason().startsWith("jit created anew at JitRecreatedTest.java:"));
    assertEquals(1, warnings.size());
  }

  private static void assertArrayEquals(float[] expected, float[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
  }
}
