package dev.statelens.examples;

import dev.statelens.engine.Key;
import dev.statelens.engine.Random;

/**
 * The stale-state bug, on purpose: the loop computes new parameters every step and drops them,
 * so every step starts again from the initial parameters and the loss never moves. Nothing is
 * wrong inside the jitted function (the linter has nothing to say); the recorder shows it: no
 * output of step t becomes an input of step t+1.
 */
public final class StaleStateLoop {

  private StaleStateLoop() {}

  /** Runs the buggy loop; returns the parameters the last step produced. */
  // SL010 is right (data(key) and init(key) split one key): kept to match LinReg.fit, whose
  // comment says why (the tutorial's numbers); in your own code split once and give each a half.
  @SuppressWarnings("statelens:SL010")
  public static LinReg.Params run(int steps, int every, StepLog onLog) {
    Key key = Random.key(LinReg.SEED);
    LinReg.Data data = LinReg.data(key);
    LinReg.Params params = LinReg.init(key);
    LinReg.Params newParams = params;
    for (int i = 0; i < steps; i++) {
      newParams = LinReg.update(params, data.xs(), data.ys()); // BUG: should be params = update(params, ...)
      if (i % every == 0 || i == steps - 1) {
        onLog.log(i, LinReg.loss(newParams, data.xs(), data.ys()).item());
      }
    }
    return newParams;
  }
}
