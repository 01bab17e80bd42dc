package dev.statelens.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LmPort} against real JAX 0.10.2's run of {@code bench/port/lm.py}. */
class LmPortTest {

  @Test
  void sameBatchesSameDropoutSameLosses() {
    PortRecord jax = PortRecord.load("lm");
    List<Key> k = Random.split(Random.key(3), 3); // k_init, k_data, k_drop
    LmPort.Params params = LmPort.init(k.get(0));
    // lecun_normal is a truncated normal: last-bit differences (docs/porting.md), measured 3e-11
    jax.assertChecksum("init", params, 1e-8);
    jax.assertExact("batch0", (long) LmPort.batch(Random.foldIn(k.get(1), 0)).inputs().sum().item());
    LmPort.Batch eval = LmPort.batch(Random.key(99));
    double evalInit = relative(LmPort.loss(params, eval, Random.key(0), false).item(), jax.check("eval_init"));

    LmPort port = new LmPort(params);
    LmPort.TrainState state = port.initState(params);
    double[] loss = new double[LmPort.STEPS];
    double[] gradNorm = new double[LmPort.STEPS];
    for (int i = 0; i < LmPort.STEPS; i++) {
      LmPort.StepResult r = port.step(state, k.get(1), k.get(2), i);
      state = r.state();
      loss[i] = r.loss().item();
      gradNorm[i] = r.gradNorm().item();
    }
    double worstNorm = 0;
    for (int i = 0; i < gradNorm.length; i++) {
      worstNorm = Math.max(worstNorm, relative(gradNorm[i], jax.checks().get("grad_norm").get(i).asDouble()));
    }
    double evalFinal = relative(LmPort.loss(state.params(), eval, Random.key(0), false).item(), jax.check("eval_final"));
    double normError = worstNorm;
    System.out.println(jax.summary(loss, jax.checksumError("final", state.params())) + ", grad norm " + normError
        + ", eval loss before " + evalInit + ", after " + evalFinal);

    // Step 1 sees the same params, batch and dropout masks (a different mask moves the loss by ~1e-3,
    // below): what is left is f32 rounding, measured 0 (bit-equal); allow 2 ulp of the loss.
    assertTrue(jax.maxRelativeError(loss, 0, 1) <= 2e-7, () -> "step 1: " + jax.maxRelativeError(loss, 0, 1));
    // then rounding differences grow through clipping and AdamW's normalised updates: measured 3.5e-7
    // (loss), 3.2e-7 (global grad norm), 6.3e-10 (final params), 8.6e-8 / 7.3e-8 (eval loss), with Adam's
    // bias correction computed as optax's (before: 3.4e-6, 5.6e-6, 1.6e-7, 3.2e-6 after training)
    assertTrue(jax.maxRelativeError(loss, 0, loss.length) <= 1e-6, () -> "worst step: " + jax.maxRelativeError(loss, 0, loss.length));
    assertTrue(normError <= 1e-6, () -> "gradient global norm off by " + normError);
    assertTrue(evalInit <= 5e-7, () -> "eval loss of the initial params off by " + evalInit);
    assertTrue(evalFinal <= 3e-7, () -> "eval loss of the trained params off by " + evalFinal);
    jax.assertChecksum("final", state.params(), 3e-9);
    double accuracy = LmPort.forward(state.params(), eval.inputs(), Random.key(0), false).argmax(-1)
        .eq(eval.targets()).astype(DType.F32).mean().item();
    assertEquals(jax.check("eval_accuracy"), accuracy, 0.0, "next-token accuracy on the 128 eval tokens");
    assertTrue(loss[loss.length - 1] < 0.7 * loss[0], "it learns: " + loss[0] + " -> " + loss[loss.length - 1]);
    // the step number is traced (Random.foldIn(Key, Array)), so one trace serves all 60 steps
    assertEquals(1, Transforms.findJit(port.jitted()).orElseThrow().graphs().size());
  }

  /** The test above would see a wrong dropout mask: step 1 with step 2's dropout key is far from JAX's step 1. */
  @Test
  void anotherDropoutMaskIsFarOutsideTheBounds() {
    PortRecord jax = PortRecord.load("lm");
    List<Key> k = Random.split(Random.key(3), 3);
    LmPort.Params params = LmPort.init(k.get(0));
    LmPort.Batch first = LmPort.batch(Random.foldIn(k.get(1), 0));
    double sameMask = LmPort.loss(params, first, Random.foldIn(k.get(2), 0), true).item();
    double otherMask = LmPort.loss(params, first, Random.foldIn(k.get(2), 1), true).item();
    assertTrue(relative(sameMask, jax.loss()[0]) <= 2e-7, "eager step-1 loss = JAX's: " + sameMask);
    assertTrue(relative(otherMask, jax.loss()[0]) > 1e-4, "a different mask: " + otherMask + " vs " + jax.loss()[0]);
  }

  private static double relative(double java, double jax) {
    return Math.abs(java - jax) / Math.abs(jax);
  }
}
