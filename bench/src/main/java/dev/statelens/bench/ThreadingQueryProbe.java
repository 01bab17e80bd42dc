package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.FunctionInfo;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * Which functions thread state, as the debugger's {@code RunSummary.load} asks on every open and
 * every re-read of a live run: before, every state link of every function read ({@code links(f)}),
 * now one {@code EXISTS} query ({@code RunStore.functionsThreadingState}). Records a run whose
 * state links are many short runs (every other call gets a stale input, so each leaf's link breaks
 * at every step), then times both on it, best of 10:
 *
 * <pre>java -cp engine.jar:jackson*.jar:sqlite-jdbc.jar bench/src/main/java/dev/statelens/bench/ThreadingQueryProbe.java [steps]</pre>
 */
public final class ThreadingQueryProbe {
  private ThreadingQueryProbe() {}

  record State(Array w, Array b, Array m, Array v) {}

  public static void main(String[] args) throws Exception {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path db = Files.createTempDirectory("threading").resolve("links.db");
    BiFunction<State, Array, State> step = Transforms.jit("update", (State s, Array x) ->
        new State(s.w().add(x), s.b().add(1), s.m().mul(0.9f), s.v().mul(0.99f)));
    try (Recorder r = Recorder.open(db, dev.statelens.engine.record.store.RunWriter.Options.defaults().withEvery(1000))) {
      State older = new State(Array.scalar(0), Array.scalar(0), Array.scalar(1), Array.scalar(1));
      State s = older;
      for (int i = 0; i < steps; i++) {
        State in = i % 2 == 1 ? older : s; // a stale input every other call: the links break each step
        older = s;
        s = step.apply(in, Array.scalar(1));
      }
    }
    try (RunStore run = RunStore.open(db)) {
      int links = run.links("update").size();
      double before = Double.MAX_VALUE, after = Double.MAX_VALUE;
      Set<String> a = null, b = null;
      for (int round = 0; round < 10; round++) {
        long t0 = System.nanoTime();
        List<FunctionInfo> fs = run.functions();
        a = fs.stream().map(FunctionInfo::name).filter(f -> !run.links(f).isEmpty()).collect(Collectors.toSet());
        long t1 = System.nanoTime();
        b = run.functionsThreadingState();
        long t2 = System.nanoTime();
        before = Math.min(before, (t1 - t0) / 1e6);
        after = Math.min(after, (t2 - t1) / 1e6);
      }
      if (!a.equals(b)) {
        throw new AssertionError(a + " != " + b);
      }
      System.out.printf("%,d calls, %,d state link rows, %.1f MB: links(f) for every function %.2f ms,"
          + " functionsThreadingState() %.3f ms (best of 10 each)%n", steps, links, Files.size(db) / 1e6, before, after);
    }
  }
}
