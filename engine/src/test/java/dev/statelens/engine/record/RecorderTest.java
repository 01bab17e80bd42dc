package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.UnexpectedTracerError;
import dev.statelens.engine.record.Programs.Params;
import dev.statelens.engine.record.Programs.StepOut;
import dev.statelens.engine.record.store.CallInfo;
import dev.statelens.engine.record.store.EventInfo;
import dev.statelens.engine.record.store.EventKind;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.LeafDiff;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.SeriesInfo;
import dev.statelens.engine.record.store.Stat;
import dev.statelens.engine.record.store.StateLink;
import dev.statelens.engine.record.store.StepDiff;
import com.fasterxml.jackson.databind.JsonNode;
import dev.statelens.engine.record.store.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(CloseLeftoverRecorder.class)
class RecorderTest {
  @TempDir Path dir;

  @Test
  void recordsEveryCallWithLeafPathsStatsAndThreading() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    Params[] seen = new Params[21];
    try (RunStore store = Programs.record(dir, "linreg", () -> {
      Params p = Programs.init();
      seen[0] = p;
      for (int i = 0; i < 20; i++) {
        p = step.apply(p, Programs.XS, Programs.YS).params();
        seen[i + 1] = p;
      }
    })) {
      assertTrue(store.isFinished());
      assertEquals(1, store.functions().size());
      assertEquals("train", store.functions().getFirst().name());
      assertEquals(20, store.functions().getFirst().calls());
      List<CallInfo> calls = store.calls("train", 0, 100);
      assertEquals(20, calls.size());
      assertTrue(calls.get(0).compiled());
      assertTrue(calls.stream().skip(1).noneMatch(CallInfo::compiled), "later calls hit the cache");
      assertEquals(19, calls.get(19).step());
      assertTrue(calls.stream().allMatch(c -> c.wallNanos() > 0 && c.stale() == 0));

      List<String> leaves = store.series("train").stream().map(s -> s.role() + ":" + s.path()).toList();
      assertEquals(List.of("in:params.w", "in:params.b", "in:arg1", "in:arg2", "out:params.w", "out:params.b", "out:loss"),
          leaves);

      // leaf values at step 5 are the arrays the program had
      List<LeafSample> state = store.state("train", 5);
      LeafSample inW = state.stream().filter(s -> s.key().equals("in:params.w")).findFirst().orElseThrow();
      assertEquals(seen[5].w().item(), inW.values()[0], 0);
      LeafSample outW = state.stream().filter(s -> s.key().equals("out:params.w")).findFirst().orElseThrow();
      assertEquals(seen[6].w().item(), outW.values()[0], 0);
      LeafSample xs = state.stream().filter(s -> s.key().equals("in:arg1")).findFirst().orElseThrow();
      assertArrayEquals(new int[] {8}, xs.shape());
      assertEquals(0, xs.min());
      assertEquals(7, xs.max());
      assertEquals(3.5, xs.mean(), 1e-12);
      assertEquals(Math.sqrt(5.25), xs.std(), 1e-6);
      assertEquals(Math.sqrt(140), xs.norm(), 1e-6);
      assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, xs.values());
      assertFalse(xs.sampled());

      // state threading: params.* of step t is params.* returned by step t-1, for steps 1..19
      List<StateLink> links = store.links("train");
      assertEquals(2, links.size(), links.toString());
      for (StateLink l : links) {
        assertEquals(l.inPath(), l.outPath());
        assertEquals(1, l.firstStep());
        assertEquals(19, l.lastStep());
      }
      // the loss output is logged as a scalar, one point per step, decreasing
      SeriesInfo loss = store.scalar("loss").orElseThrow();
      Series ls = store.series(loss, Stat.MEAN, 100);
      assertEquals(20, ls.size());
      assertTrue(ls.lo()[19] < ls.lo()[0]);
      // the graph once, with its state
      List<GraphInfo> graphs = store.graphs("train");
      assertEquals(1, graphs.size());
      GraphInfo g = graphs.getFirst();
      assertTrue(g.irText().contains("mul"), g.irText());
      assertEquals(List.of("params.w", "params.b"), g.stateInputs());
      JsonNode structure = Json.MAPPER.readTree(g.structure());
      assertEquals(4, structure.get("inputs").size());
      assertEquals("params.w", structure.get("inputs").get(0).get("path").asText());
      assertTrue(structure.get("eqns").size() > 5);
      assertEquals(3, structure.get("outputs").size());
      assertTrue(structure.get("edges").size() > 5);
      assertTrue(store.events().isEmpty(), store.events().toString());
    }
  }

  @Test
  void staleStateIsAnEventWhenTheNewStateIsDropped() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    try (RunStore store = Programs.record(dir, "stale", () -> {
      Params p = Programs.init();
      for (int i = 0; i < 5; i++) {
        step.apply(p, Programs.XS, Programs.YS); // BUG: the new params are dropped
      }
    })) {
      List<EventInfo> stale = store.events(EventKind.STALE_STATE);
      assertEquals(List.of("params.w", "params.b"), stale.stream().map(EventInfo::path).toList());
      assertEquals(1L, stale.getFirst().step());
      assertTrue(stale.getFirst().message().contains("new state was dropped"), stale.getFirst().message());
      assertEquals(2, store.calls("train", 1, 1).getFirst().stale());
      assertEquals(2, store.calls("train", 4, 4).getFirst().stale(), "counted on every stale call");
      assertTrue(store.links("train").isEmpty());
    }
  }

  @Test
  void staleStateAfterThreadingWasLearned() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    try (RunStore store = Programs.record(dir, "stale-later", () -> {
      Params p = Programs.init();
      Params first = p;
      for (int i = 0; i < 4; i++) {
        p = step.apply(p, Programs.XS, Programs.YS).params();
      }
      step.apply(first, Programs.XS, Programs.YS); // an old state comes back
    })) {
      List<EventInfo> stale = store.events(EventKind.STALE_STATE);
      assertEquals(2, stale.size());
      assertEquals(4L, stale.getFirst().step());
    }
  }

  @Test
  void aGradientFunctionWhoseOutputLooksLikeItsInputIsNotStale() throws Exception {
    // grads have the params' structure, and params change between calls outside the function
    var grads = Transforms.jit("grads", (Params p) -> new Params(p.w().mul(2), p.b().mul(2)));
    try (RunStore store = Programs.record(dir, "grads", () -> {
      Params p = Programs.init();
      for (int i = 0; i < 5; i++) {
        Params g = grads.apply(p);
        p = new Params(p.w().sub(g.w().mul(0.1)), p.b().sub(g.b().mul(0.1)));
      }
    })) {
      assertTrue(store.events(EventKind.STALE_STATE).isEmpty());
    }
  }

  @Test
  void aTupleResultIsThreadedByPosition() throws Exception {
    // the seed's explicit-state counter: Pair.of(out, newN); the wrong loop keeps passing n0
    Function<Array, Pair<Array, Array>> count = Transforms.jit("count", (Array n) -> Pair.of(n.add(1), n.add(1)));
    try (RunStore store = Programs.record(dir, "counter", () -> {
      Array n0 = Array.scalar(0);
      Array n = n0;
      for (int i = 0; i < 3; i++) {
        n = count.apply(n).second();
      }
      count.apply(n0);
      count.apply(n0);
    })) {
      assertEquals(List.of("first", "second"),
          store.series("count").stream().filter(s -> s.role().equals("out")).map(SeriesInfo::path).toList());
      List<StateLink> links = store.links("count");
      assertEquals(1, links.size());
      assertEquals("arg0", links.getFirst().inPath());
      assertEquals("second", links.getFirst().outPath());
      assertEquals(1, store.events(EventKind.STALE_STATE).size());
      assertEquals(3L, store.events(EventKind.STALE_STATE).getFirst().step());
    }
  }

  @Test
  void retraceIsAnEventNamingTheChangedInput() throws Exception {
    Function<Array, Array> f = Transforms.jit("double", (Array x) -> x.mul(2));
    try (RunStore store = Programs.record(dir, "retrace", () -> {
      f.apply(Array.of(1f, 2f));
      f.apply(Array.of(3f, 4f));
      f.apply(Array.of(1f, 2f, 3f));
    })) {
      List<EventInfo> retraces = store.events(EventKind.RETRACE);
      assertEquals(1, retraces.size());
      assertEquals(2L, retraces.getFirst().step());
      assertTrue(retraces.getFirst().message().contains("arg0 changed from f32[2] to f32[3]"), retraces.getFirst().message());
      assertEquals(2, store.graphs("double").size());
      assertEquals("arg0 changed from f32[2] to f32[3]", store.calls("double", 2, 2).getFirst().retraceReason());
    }
  }

  static final class Leaky {
    Array stored;
  }

  @Test
  @SuppressWarnings({"statelens:SL006", "statelens:SL008"}) // a mutable field read under jit on purpose: what the test shows; a tracer escapes on purpose: the error under test
  void tracerLeakIsRecordedAndRethrown() throws Exception {
    Leaky leaky = new Leaky();
    Function<Array, Array> keep = Transforms.jit("keep", (Array x) -> {
      leaky.stored = x.mul(2); // escapes its trace
      return x;
    });
    Function<Array, Array> use = Transforms.jit("use", (Array x) -> x.add(leaky.stored));
    try (RunStore store = Programs.record(dir, "leak", () -> {
      keep.apply(Array.scalar(1));
      assertThrows(UnexpectedTracerError.class, () -> use.apply(Array.scalar(1)));
    })) {
      List<EventInfo> leaks = store.events(EventKind.TRACER_LEAK);
      assertEquals(1, leaks.size());
      assertEquals("use", leaks.getFirst().function());
      assertTrue(leaks.getFirst().message().contains("unexpected tracer"), leaks.getFirst().message());
      CallInfo failed = store.calls("use", 0, 0).getFirst();
      assertTrue(failed.error().startsWith("UnexpectedTracerError"));
    }
  }

  @Test
  void firstNanAndInfPerLeafAreEvents() throws Exception {
    Function<Array, Array> logOf = Transforms.jit("log", (Array x) -> x.log());
    try (RunStore store = Programs.record(dir, "nan", () -> {
      logOf.apply(Array.of(1f, 2f));
      logOf.apply(Array.of(-1f, 2f)); // NaN
      logOf.apply(Array.of(-1f, 0f)); // NaN again, and -Inf
    })) {
      List<EventInfo> nans = store.events(EventKind.FIRST_NAN);
      assertEquals(1, nans.size(), nans.toString());
      assertEquals(1L, nans.getFirst().step());
      assertEquals("out", nans.getFirst().path());
      List<EventInfo> infs = store.events(EventKind.FIRST_INF);
      assertEquals(1, infs.size());
      assertEquals(2L, infs.getFirst().step());
      LeafSample out = store.state("log", 2).stream().filter(s -> s.role().equals("out")).findFirst().orElseThrow();
      assertEquals(1, out.nan());
      assertEquals(1, out.inf());
      assertNull(out.mean(), "no finite element: no statistics");
    }
  }

  @Test
  void largeLeavesKeepADeterministicEvenlySpacedSample() throws Exception {
    Function<Array, Array> id = Transforms.jit("plus", (Array x) -> x.add(0));
    Path db = dir.resolve("sample.db");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withMaxValues(8))) {
      id.apply(Array.arange(100).astype(dev.statelens.engine.DType.F32));
    }
    try (RunStore store = RunStore.open(db)) {
      LeafSample in = store.state("plus", 0).getFirst();
      assertTrue(in.sampled());
      assertEquals(100, in.size());
      assertArrayEquals(new double[] {0, 12, 25, 37, 50, 62, 75, 87}, in.values());
      assertEquals(99, in.max());
      assertEquals(49.5, in.mean(), 1e-9);
    }
  }

  @Test
  void diffOfTwoStepsShowsWhatChanged() throws Exception {
    var step = Programs.linregStep("train", 0.01);
    try (RunStore store = Programs.record(dir, "diff", () -> Programs.train(step, 10))) {
      StepDiff d = store.diff("train", 2, 7);
      List<String> changed = d.changed().stream().map(l -> l.role() + ":" + l.path()).toList();
      assertTrue(changed.containsAll(List.of("in:params.w", "in:params.b", "out:params.w", "out:loss")), changed.toString());
      assertFalse(changed.contains("in:arg1"), "the data did not change");
      LeafDiff w = d.leaves().stream().filter(l -> l.path().equals("params.w") && l.role().equals("in")).findFirst().orElseThrow();
      assertTrue(w.exact());
      double delta = w.b().values()[0] - w.a().values()[0];
      assertEquals(Math.abs(delta), w.maxAbsDelta(), 1e-12);
      assertEquals(Math.abs(delta) / Math.abs(w.a().values()[0]), w.relativeChange(), 1e-9);
    }
  }

  @Test
  void manualScalarsAndArgNames() throws Exception {
    var step = Programs.linregStep("named", 0.01);
    Recorder.argNames(step, "model", "x", "y");
    try (RunStore store = Programs.record(dir, "scalars", () -> {
      Params p = Programs.init();
      for (int i = 0; i < 3; i++) {
        StepOut o = step.apply(p, Programs.XS, Programs.YS);
        p = o.params();
        Recorder.scalar("lr", 0.01 * (i + 1));
      }
    })) {
      assertTrue(store.series("named").stream().anyMatch(s -> s.path().equals("model.w") && s.role().equals("in")));
      assertTrue(store.series("named").stream().anyMatch(s -> s.path().equals("x")));
      Series lr = store.series(store.scalar("lr").orElseThrow(), Stat.MEAN, 10);
      assertArrayEquals(new long[] {0, 1, 2}, lr.firstStep());
      assertEquals(0.03, lr.hi()[2], 1e-12);
    }
  }

  @Test
  void scalarInsideATraceIsRefused() {
    Function<Array, Array> f = Transforms.jit("bad", (Array x) -> {
      Recorder.scalar("loss", x);
      return x;
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.apply(Array.scalar(1)));
    assertTrue(e.getMessage().contains("at trace time"), e.getMessage());
  }

  @Test
  void aSecondRecorderIsRefusedAndAForeignFileIsNotOverwritten() throws Exception {
    try (Recorder r = Recorder.open(dir.resolve("a.db"))) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Recorder.open(dir.resolve("b.db")));
      assertTrue(e.getMessage().contains("already being recorded"));
    }
    Path foreign = dir.resolve("notes.db");
    java.nio.file.Files.writeString(foreign, "my notes, not a run".repeat(10));
    var e = assertThrows(RuntimeException.class, () -> Recorder.open(foreign));
    assertTrue(e.getMessage().contains("not a StateLens run store"), e.getMessage());
    assertEquals("my notes, not a run".repeat(10), java.nio.file.Files.readString(foreign));
  }

  @Test
  void theStoreIsReadableWhileTheRunIsStillRecording() throws Exception {
    var step = Programs.linregStep("live", 0.01);
    Path db = dir.resolve("open.db");
    try (Recorder r = Recorder.open(db)) {
      Params p = Programs.init();
      for (int i = 0; i < 7; i++) {
        p = step.apply(p, Programs.XS, Programs.YS).params();
      }
      r.flush();
      try (RunStore store = RunStore.open(db)) {
        assertFalse(store.isFinished());
        assertEquals(7, store.calls("live", 0, 100).size());
      }
    }
  }

  @Test
  void noListenerIsLeftAfterClose() throws Exception {
    Function<Array, Array> f = Transforms.jit("after", (Array x) -> x.mul(2));
    Path db = dir.resolve("closed.db");
    try (Recorder r = Recorder.open(db)) {
      f.apply(Array.scalar(1));
    }
    f.apply(Array.scalar(2)); // not recorded
    try (RunStore store = RunStore.open(db)) {
      assertEquals(1, store.callCount());
    }
  }

  static Fn3<Params, Array, Array, StepOut> unused() {
    return null;
  }
}
