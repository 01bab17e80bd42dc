package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.StateLink;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A jit created anew each step is recorded as one function whose steps continue across the new
 * wrappers, each re-created step a compiled call with a retrace event the timeline marks; jits
 * from one site used side by side stay separate functions.
 */
@ExtendWith(CloseLeftoverRecorder.class)
@SuppressWarnings("statelens:SL011") // jits made anew in loops, on purpose: the trap under test
class RecreatedJitRecordTest {
  @TempDir Path dir;

  @Test
  void aJitCreatedEachStepIsOneFunctionWithARetraceEventPerStep() throws Exception {
    try (RunStore store = Programs.record(dir, "anew", () -> {
      Array x = Array.of(1f, 2f);
      for (int i = 0; i < 5; i++) {
        Function<Array, Array> step = Transforms.jit("step", (Array v) -> v.mul(0.5).add(1));
        x = step.apply(x);
      }
    })) {
      assertEquals(1, store.functions().size(), store.functions().toString());
      List<CallInfo> calls = store.calls("step", 0, 100);
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L), calls.stream().map(CallInfo::step).toList());
      assertTrue(calls.stream().allMatch(CallInfo::compiled));
      List<EventInfo> retraces = store.events(EventKind.RETRACE);
      assertEquals(List.of(1L, 2L, 3L, 4L), retraces.stream().map(EventInfo::step).toList());
      for (EventInfo e : retraces) {
        assertEquals("step", e.function());
        assertTrue(e.message().startsWith("jit(step) retraced at step " + e.step()
            + ": jit created anew at RecreatedJitRecordTest.java:"), e.message());
      }
      // the state still threads from one wrapper's output into the next one's input
      List<StateLink> links = store.links("step");
      assertEquals(1, links.size(), links.toString());
      assertEquals(1, links.getFirst().firstStep());
      assertEquals(4, links.getFirst().lastStep());
    }
  }

  @Test
  void jitsFromOneSiteUsedSideBySideStayApart() throws Exception {
    try (RunStore store = Programs.record(dir, "apart", () -> {
      for (String name : List.of("first", "second")) {
        Function<Array, Array> step = Transforms.jit(name, (Array v) -> v.add(1));
        Array x = Array.scalar(0);
        for (int i = 0; i < 6; i++) { // more calls than a re-created jit makes
          x = step.apply(x);
        }
      }
    })) {
      assertEquals(List.of("first", "second"), store.functions().stream().map(f -> f.name()).toList());
      assertEquals(6, store.calls("second", 0, 100).size());
      assertTrue(store.events(EventKind.RETRACE).isEmpty());
    }
  }

  /**
   * A model built again for a second run in the same JVM (its constructor jits an evaluation it
   * calls once): the new run's first trace of it is not a retrace, though the engine counts the
   * re-creation across runs.
   */
  @Test
  void aJitRecreatedFromOneUsedBeforeTheRunIsTheRunsFirstTrace() throws Exception {
    Function<Integer, Function<Array, Array>> model = k -> Transforms.jit("eval", (Array v) -> v.mul(2));
    Function<Array, Array> earlier = model.apply(0); // an earlier run's model, evaluated once, no recorder
    earlier.apply(Array.of(1f, 2f));
    try (RunStore store = Programs.record(dir, "again", () -> model.apply(1).apply(Array.of(3f, 4f)))) {
      List<CallInfo> calls = store.calls("eval", 0, 100);
      assertEquals(List.of(0L), calls.stream().map(CallInfo::step).toList());
      assertTrue(calls.getFirst().compiled());
      assertEquals(null, calls.getFirst().retraceReason(), calls.toString());
      assertTrue(store.events(EventKind.RETRACE).isEmpty(), store.events().toString());
    }
    java.lang.ref.Reference.reachabilityFence(earlier); // kept, so the engine sees the re-creation
  }

  /** A helper that makes a named jit per use: each name is its own function, however briefly used. */
  @Test
  void differentlyNamedJitsFromOneSiteStayApart() throws Exception {
    try (RunStore store = Programs.record(dir, "named", () -> {
      for (String name : List.of("a", "b", "c")) {
        Array x = Array.scalar(0);
        Function<Array, Array> step = Transforms.jit(name, (Array v) -> v.add(1));
        x = step.apply(step.apply(x));
      }
    })) {
      assertEquals(List.of("a", "b", "c"), store.functions().stream().map(f -> f.name()).toList());
      assertEquals(List.of(0L, 1L), store.calls("c", 0, 100).stream().map(CallInfo::step).toList());
      assertTrue(store.events(EventKind.RETRACE).isEmpty());
    }
  }
}
