package dev.statelens.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import org.junit.jupiter.api.Test;

/** {@link ReinforcePort} against real JAX 0.10.2's run of {@code bench/port/reinforce.py}. */
class ReinforcePortTest {

  @Test
  void sameEpisodesSameLosses() {
    PortRecord jax = PortRecord.load("reinforce");
    Pair<Key, Key> k = Random.split(Random.key(2));
    ReinforcePort.Params params = ReinforcePort.init(k.first());
    jax.assertChecksum("init", params, 1e-12);

    ReinforcePort port = new ReinforcePort();
    ReinforcePort.TrainState state = port.initState(params);
    double[] loss = new double[ReinforcePort.STEPS];
    double[] meanReturn = new double[ReinforcePort.STEPS];
    for (int i = 0; i < ReinforcePort.STEPS; i++) {
      ReinforcePort.StepResult r = port.step(state, k.second(), i);
      state = r.state();
      loss[i] = r.loss().item();
      meanReturn[i] = r.meanReturn().item();
    }
    // Every step plays the same 768 actions as JAX: one flipped action moves the mean return by at
    // least 0.05 / 64, 1e-4 relative; what is left is the f32 summation order (measured below 1e-5).
    double worstReturn = 0;
    for (int i = 0; i < meanReturn.length; i++) {
      double j = jax.checks().get("return").get(i).asDouble();
      worstReturn = Math.max(worstReturn, Math.abs(meanReturn[i] - j) / Math.abs(j));
    }
    double returnError = worstReturn;
    assertTrue(returnError <= 1e-5, () -> "mean return off by " + returnError + " relative: the episodes differ");
    // step 1: the same episodes, the loss summed in another order (measured 9.0e-7). The policy-
    // gradient loss crosses small values (|loss| down to 0.005), where relative errors grow
    // (measured 1.2e-5 at worst with Adam's bias correction computed as optax's; 7.4e-4 with the exact one)
    assertTrue(jax.maxRelativeError(loss, 0, 1) <= 5e-6, () -> "step 1: " + jax.maxRelativeError(loss, 0, 1));
    assertTrue(jax.maxRelativeError(loss, 0, loss.length) <= 5e-5, () -> "worst step: " + jax.maxRelativeError(loss, 0, loss.length));
    System.out.println(jax.summary(loss, jax.checksumError("final", state.params())) + ", mean return " + returnError);
    jax.assertChecksum("final", state.params(), 2e-8); // measured 5.3e-9 (1.2e-5 with the exact bias correction)
    // the step number goes in as a traced i32 (Random.foldIn(Key, Array)), so one trace serves all
    assertEquals(1, Transforms.findJit(port.jitted()).orElseThrow().graphs().size());
  }
}
