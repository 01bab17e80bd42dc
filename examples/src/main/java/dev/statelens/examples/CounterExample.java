package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code ./statelens example counter}: the seed's three loops. Standard output gets one number
 * per line (eager 1 2 3, jitted stateful 1 1 1, jitted explicit state 1 2 3); the section
 * headings go to standard error, so the numbers stay machine-readable.
 */
public final class CounterExample {

  /** The values each loop printed. */
  public record Result(List<Double> eager, List<Double> jittedStateful, List<Double> jittedExplicit) {}

  private CounterExample() {}

  /** Runs the three loops of {@code calls} calls each. */
  public static Result run(int calls) {
    Counter counter = new Counter();
    List<Double> eager = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      eager.add(counter.count().item());
    }

    counter.reset();
    // The trap: count() writes counter.n while being traced, so the compiled graph is "return 0+1".
    Supplier<Array> fastCount = Transforms.jit("count", counter::count);
    List<Double> jittedStateful = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      jittedStateful.add(fastCount.get().item());
    }

    CounterV2 counterV2 = new CounterV2();
    Function<Array, Pair<Array, Array>> fastCountV2 = Transforms.jit("count_v2", counterV2::count);
    Recorder.argNames(fastCountV2, "n"); // a recording links output 'second' to the next call's 'n'
    Array state = counterV2.reset();
    List<Double> jittedExplicit = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      Pair<Array, Array> r = fastCountV2.apply(state);
      jittedExplicit.add(r.first().item());
      state = r.second();
    }
    return new Result(eager, jittedStateful, jittedExplicit);
  }

  /** Prints {@code r}: the numbers to {@code out}, one per line; the headings to {@code err}. */
  static void print(Result r, PrintStream out, PrintStream err) {
    err.println("# eager: counter.count()");
    r.eager().forEach(v -> out.println(Format.number(v)));
    err.println("# jit(counter::count): the field write ran once, at trace time");
    r.jittedStateful().forEach(v -> out.println(Format.number(v)));
    err.println("# jit(counterV2::count), explicit state");
    r.jittedExplicit().forEach(v -> out.println(Format.number(v)));
  }
}
