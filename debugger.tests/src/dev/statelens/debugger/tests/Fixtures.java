package dev.statelens.debugger.tests;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Path;

/**
 * Runs recorded by the engine's real {@link Recorder} on a tiny training program: linear
 * regression with a hand-written gradient ({@code update(params, x, y) -> (params, loss)}).
 */
final class Fixtures {
  private Fixtures() {}

  record Params(Array w, Array b) {}

  record StepOut(Params params, Array loss) {}

  static final String FUNCTION = "update";

  static Array xs(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i * 0.5f;
    }
    return Array.of(DType.F32, new int[] {n}, v);
  }

  static Fn3<Params, Array, Array, StepOut> step(double lr) {
    Fn3<Params, Array, Array, StepOut> f = Transforms.jit(FUNCTION, (Params p, Array x, Array y) -> {
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Array loss = err.square().mean();
      Array gw = err.mul(x).mean().mul(2);
      Array gb = err.mean().mul(2);
      return new StepOut(new Params(p.w().sub(gw.mul(lr)), p.b().sub(gb.mul(lr))), loss);
    });
    Recorder.argNames(f, "params", "x", "y");
    return f;
  }

  /**
   * Runs {@code steps} jitted linreg steps (learning rate 0.02) from w = 0.5, b = 0: what a test
   * records, inside its own {@code Recorder}, when only the calls matter.
   */
  static Params train(int steps) {
    Fn3<Params, Array, Array, StepOut> update = step(0.02);
    Params p = new Params(Array.scalar(0.5), Array.scalar(0));
    Array x = xs(8);
    Array y = x.mul(2).sub(1);
    for (int i = 0; i < steps; i++) {
      p = update.apply(p, x, y).params();
    }
    return p;
  }

  /**
   * Records {@code steps} steps to {@code db}. At {@code retraceAt} the data grows by one point (a
   * retrace event); at {@code staleAt} the loop passes the params of two steps before instead of
   * the latest (a stale-state event). Pass -1 to skip either. The loss output is logged automatically, w by {@code Recorder.scalar}.
   */
  static Path linreg(Path db, int steps, double lr, int retraceAt, int staleAt) {
    return linreg(db, steps, lr, retraceAt, staleAt, 1);
  }

  /** As above, keeping leaf values only every {@code every} steps ({@code statelens.record.every}). */
  static Path linreg(Path db, int steps, double lr, int retraceAt, int staleAt, int every) {
    Fn3<Params, Array, Array, StepOut> update = step(lr);
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withEvery(every))) {
      Params p = new Params(Array.scalar(0.5), Array.scalar(0));
      Params older = p;
      Array x = xs(8);
      Array y = x.mul(2).sub(1);
      for (int i = 0; i < steps; i++) {
        if (i == retraceAt) {
          x = xs(9);
          y = x.mul(2).sub(1);
        }
        Params in = i == staleAt ? older : p;
        older = p;
        StepOut out = update.apply(in, x, y);
        p = out.params();
        Recorder.scalar("w", p.w()); // a logged scalar beside the automatic loss
      }
    }
    return db;
  }

  record Counted(Params params, Array count) {}

  record CountedOut(Counted state, Array loss) {}

  /**
   * Linear regression whose state also holds an integer step count, as Adam's does:
   * {@code update(state, x, y) -> (state with count + 1, loss)}, {@code steps} steps.
   */
  static Path withCounter(Path db, int steps) {
    Fn3<Counted, Array, Array, CountedOut> update = Transforms.jit(FUNCTION, (Counted s, Array x, Array y) -> {
      Params p = s.params();
      Array err = p.w().mul(x).add(p.b()).sub(y);
      Array gw = err.mul(x).mean().mul(2);
      Array gb = err.mean().mul(2);
      Params next = new Params(p.w().sub(gw.mul(0.02)), p.b().sub(gb.mul(0.02)));
      return new CountedOut(new Counted(next, s.count().add(Array.scalar(DType.I32, 1))), err.square().mean());
    });
    Recorder.argNames(update, "state", "x", "y");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      Counted s = new Counted(new Params(Array.scalar(0.5), Array.scalar(0)), Array.scalar(DType.I32, 0));
      Array x = xs(8);
      Array y = x.mul(2).sub(1);
      for (int i = 0; i < steps; i++) {
        s = update.apply(s, x, y).state();
      }
    }
    return db;
  }

  /**
   * linreg whose data each step comes from a jitted helper {@code sample_batch(x) -> (x, y)}
   * called before the step, as the transformer example's batch sampler: two functions with the
   * same number of calls, the helper first, only {@code update} threading state.
   */
  static Path withBatchSampler(Path db, int steps) {
    Fn3<Params, Array, Array, StepOut> update = step(0.02);
    java.util.function.Function<Array, dev.statelens.engine.Pair<Array, Array>> sample = Transforms.jit("sample_batch",
        (Array x) -> dev.statelens.engine.Pair.of(x, x.mul(2).sub(1)));
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      Params p = new Params(Array.scalar(0.5), Array.scalar(0));
      for (int i = 0; i < steps; i++) {
        var batch = sample.apply(xs(8).add(i % 3));
        p = update.apply(p, batch.first(), batch.second()).params();
      }
    }
    return db;
  }

  /**
   * A state of {@code leaves} scalar leaves ({@code update(state) -> state}), the first
   * {@code frozen} of them returned unchanged, the others decaying towards their index: more
   * outputs than the leaf chart draws.
   */
  static Path wide(Path db, int steps, int leaves, int frozen) {
    java.util.function.Function<java.util.List<Array>, java.util.List<Array>> update = Transforms.jit(FUNCTION,
        (java.util.List<Array> s) -> {
          java.util.List<Array> next = new java.util.ArrayList<>();
          for (int i = 0; i < s.size(); i++) {
            next.add(i < frozen ? s.get(i) : s.get(i).mul(0.9).add(i * 0.1));
          }
          return next;
        });
    Recorder.argNames(update, "state");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      java.util.List<Array> s = new java.util.ArrayList<>();
      for (int i = 0; i < leaves; i++) {
        s.add(Array.scalar(1.0 + i));
      }
      for (int i = 0; i < steps; i++) {
        s = update.apply(s);
      }
    }
    return db;
  }

  /**
   * A state of {@code leaves} scalar leaves ({@code update(state, mask) -> state}) where leaf i
   * changes at step t only when (t + i) % 3 == 0: each step changes a different third of them.
   */
  static Path intermittent(Path db, int steps, int leaves) {
    java.util.function.BiFunction<java.util.List<Array>, java.util.List<Array>, java.util.List<Array>> update =
        Transforms.jit(FUNCTION, (java.util.List<Array> s, java.util.List<Array> mask) -> {
          java.util.List<Array> next = new java.util.ArrayList<>();
          for (int i = 0; i < s.size(); i++) {
            next.add(s.get(i).add(mask.get(i).mul(0.1)));
          }
          return next;
        });
    Recorder.argNames(update, "state", "mask");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults())) {
      java.util.List<Array> s = new java.util.ArrayList<>();
      for (int i = 0; i < leaves; i++) {
        s.add(Array.scalar(1.0 + i));
      }
      for (int t = 0; t < steps; t++) {
        java.util.List<Array> mask = new java.util.ArrayList<>();
        for (int i = 0; i < leaves; i++) {
          mask.add(Array.scalar((t + i) % 3 == 0 ? 1.0 : 0.0));
        }
        s = update.apply(s, mask);
      }
    }
    return db;
  }

  /** Diverging SGD (learning rate far too large): the params overflow to Inf, then NaN. */
  static Path diverging(Path db, int steps) {
    return linreg(db, steps, 1.5, -1, -1);
  }
}
