package dev.statelens.engine.port;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import org.junit.jupiter.api.Test;

/** {@link GnnPort} against real JAX 0.10.2's run of {@code bench/port/gnn.py}. */
class GnnPortTest {

  @Test
  void sameGraphSameWeightsSameLosses() {
    PortRecord jax = PortRecord.load("gnn");
    Pair<Key, Key> k = Random.split(Random.key(0));
    GnnPort.Graph g = GnnPort.graph(k.first());
    GnnPort.Params params = GnnPort.init(k.second());

    jax.assertExact("senders_sum", g.senders().sum().toIntArray()[0]);
    jax.assertExact("receivers_sum", g.receivers().sum().toIntArray()[0]);
    jax.assertExact("labels_sum", g.labels().sum().toIntArray()[0]);
    jax.assertExact("train_count", g.train().astype(DType.I32).sum().toIntArray()[0]);
    jax.assertChecksum("x", g.x(), 1e-8); // 3 of 320 normals are 2 ulp off JAX (XLA CPU's f32 log), see docs/porting.md
    jax.assertChecksum("init", params, 1e-8); // lecun_normal's truncated normal: a few last-bit differences

    GnnPort port = new GnnPort();
    GnnPort.TrainState state = port.initState(params);
    double[] loss = new double[GnnPort.STEPS];
    for (int i = 0; i < GnnPort.STEPS; i++) {
      GnnPort.StepResult r = port.step(state, g);
      state = r.state();
      loss[i] = r.loss().item();
    }
    // step 1 sees only the data's and the initialisers' last-bit differences (a few ulp); f32
    // reduction-order differences then compound through 150 Adam steps (measured: 3.8e-5 at worst)
    assertTrue(jax.maxRelativeError(loss, 0, 1) <= 1e-6, () -> "step 1: " + jax.maxRelativeError(loss, 0, 1));
    assertTrue(jax.maxRelativeError(loss, 0, loss.length) <= 1e-4, () -> "worst step: " + jax.maxRelativeError(loss, 0, loss.length));
    System.out.println(jax.summary(loss, jax.checksumError("final", state.params())));
    jax.assertChecksum("final", state.params(), 2e-5); // measured 2.4e-6
  }
}
