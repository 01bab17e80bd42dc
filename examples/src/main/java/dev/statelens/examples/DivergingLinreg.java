package dev.statelens.examples;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.record.Recorder;

/**
 * The linear regression with a learning rate far too high (1.5 instead of 0.005): each SGD step
 * overshoots, the parameters grow geometrically, overflow to infinity and turn into NaN. The
 * recorder's NaN/Inf counts and the debugger's charts show where it starts.
 */
public final class DivergingLinreg {

  public static final double LEARNING_RATE = 1.5;

  private DivergingLinreg() {}

  /** Told the parameters after some of the steps. */
  @FunctionalInterface
  public interface ParamsLog {
    void log(int step, double weight, double bias, double loss);
  }

  /**
   * The outcome: the last parameters and the first step (from 0) after which a parameter was no
   * longer finite, or -1.
   */
  public record Outcome(LinReg.Params params, int firstNonFiniteStep) {}

  /** Runs up to {@code steps} steps, stopping a few steps after the first NaN. */
  // SL010 is right (data(key) and init(key) split one key): kept to match LinReg.fit, whose
  // comment says why (the tutorial's numbers); in your own code split once and give each a half.
  @SuppressWarnings("statelens:SL010")
  public static Outcome run(int steps, int every, ParamsLog onLog) {
    Key key = Random.key(LinReg.SEED);
    LinReg.Data data = LinReg.data(key);
    LinReg.Params params = LinReg.init(key);
    Fn3<LinReg.Params, Array, Array, LinReg.Params> update = LinReg.sgdStep("update", LEARNING_RATE);
    int firstNonFinite = -1;
    for (int i = 0; i < steps; i++) {
      params = update.apply(params, data.xs(), data.ys());
      if (Recorder.current() != null) { // the step returns only params: log its loss for the Scalars chart
        Recorder.scalar("loss", LinReg.loss(params, data.xs(), data.ys()));
      }
      double w = params.weight().item();
      double b = params.bias().item();
      boolean finite = Double.isFinite(w) && Double.isFinite(b);
      if (!finite && firstNonFinite < 0) {
        firstNonFinite = i;
      }
      if (i % every == 0 || i == steps - 1 || firstNonFinite == i || Double.isNaN(w) || Double.isNaN(b)) {
        onLog.log(i, w, b, LinReg.loss(params, data.xs(), data.ys()).item());
      }
      if (Double.isNaN(w) && Double.isNaN(b)) {
        break; // nothing changes any more
      }
    }
    return new Outcome(params, firstNonFinite);
  }
}
