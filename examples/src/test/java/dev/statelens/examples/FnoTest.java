package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FNO example against real JAX 0.10.2's run of the same program, {@code bench/port/fno.py}
 * (its record: {@code engine/src/test/resources/port/fno.json}): the data, the weights, the
 * gradient at the start, every step's loss and the final parameters.
 */
class FnoTest {

  private static JsonNode jax;
  private static Fno.History run;

  @BeforeAll
  static void trainOnce() throws IOException {
    Path record = DocsSnippetsTest.repoRoot().resolve("engine/src/test/resources/port/fno.json");
    jax = new JsonMapper().readTree(record.toFile());
    run = new Fno().train(Fno.STEPS, Fno.STEPS, (step, loss) -> {});
  }

  /** The larger of the element sum's and the absolute sum's difference from JAX's, over JAX's absolute sum. */
  private static double checksumError(String name, Object tree) {
    double sum = 0;
    double abs = 0;
    for (Array leaf : Tree.leaves(tree)) {
      for (double v : leaf.toDoubleArray()) {
        sum += v;
        abs += Math.abs(v);
      }
    }
    JsonNode c = jax.get("checks").get(name);
    double scale = c.get("abs").asDouble();
    return Math.max(Math.abs(abs - scale), Math.abs(sum - c.get("sum").asDouble())) / scale;
  }

  /** The keys give JAX's coefficients and weights bit for bit; cos/sin of the grid differ from XLA's in last bits. */
  @Test
  void theSameKeysGiveJaxsDataAndWeights() {
    Pair<Key, Key> k = Random.split(Random.key(Fno.SEED));
    Fno.Data d = Fno.data(k.first());
    assertTrue(checksumError("u0", d.u0()) <= 1e-6, "u0: " + checksumError("u0", d.u0()));
    assertTrue(checksumError("ut", d.ut()) <= 1e-6, "ut: " + checksumError("ut", d.ut()));
    Fno.Params init = Fno.init(k.second());
    assertTrue(checksumError("init", init) <= 1e-7, "initial weights: " + checksumError("init", init));
    // the gradient at the start: real parameters through rfft, complex weights and irfft
    Fno.Params g = Transforms.grad(Fno::loss).apply(init, d);
    assertTrue(checksumError("grad1", g) <= 1e-5, "gradient at step 1: " + checksumError("grad1", g));
  }

  /**
   * Measured: step 1 equal to JAX's loss in f32, 1.4e-5 relative at worst over the 200 steps (Adam
   * compounds the FFTs' rounding differences: StateLens's are double rounded once, ducc's f32), final
   * parameters 7.3e-7. The bounds are a few times those.
   */
  @Test
  void everyStepsLossIsJaxsWithinF32Rounding() {
    JsonNode losses = jax.get("loss");
    assertEquals(losses.size(), run.losses().length);
    double first = Math.abs(run.losses()[0] - losses.get(0).asDouble()) / losses.get(0).asDouble();
    assertTrue(first <= 1e-6, "step 1: java " + run.losses()[0] + " jax " + losses.get(0).asDouble());
    double worst = 0;
    for (int i = 0; i < losses.size(); i++) {
      worst = Math.max(worst, Math.abs(run.losses()[i] - losses.get(i).asDouble()) / Math.abs(losses.get(i).asDouble()));
    }
    double finalError = checksumError("final", run.finalState().params());
    System.out.printf("fno: %d steps, step 1 rel %.2g, worst %.2g, final params %.2g%n", losses.size(), first, worst,
        finalError);
    double w = worst;
    assertTrue(w <= 1e-4, () -> "worst step " + w);
    assertTrue(finalError <= 1e-5, "final params: " + finalError);
  }

  @Test
  void theOperatorLearnsTheHeatEquation() {
    double[] l = run.losses();
    assertTrue(l[l.length - 1] < 0.01 * l[0], "loss " + l[0] + " -> " + l[l.length - 1]);
    double error = run.relativeError(Random.key(1));
    assertTrue(error < 0.1, "relative L2 error on fresh initial conditions: " + error);
  }

  @Test
  void theCommandPrintsLossesAndTheError() {
    Console c = Console.run("fno", "--steps", "3", "--every", "2");
    assertEquals(0, c.exitCode(), c.err());
    List<String> lines = c.out().lines().toList();
    assertEquals(3, lines.size(), c.out());
    assertTrue(lines.get(0).startsWith("step 0 loss 0.93987"), lines.get(0)); // JAX: 0.93987739
    assertTrue(lines.getLast().matches("relative error [0-9.e+-]+ on \\d+ fresh initial conditions"), lines.getLast());
  }

  /** What the debugger shows of an fno run: the spectral weights' and Adam's paths, the data as plain input, the loss. */
  @Test
  void aRecordingHasTheParamsPathsAndTheLoss(@TempDir Path dir) {
    Path db = dir.resolve("fno.db");
    Fno.History h;
    try (Recorder r = Recorder.open(db)) {
      h = new Fno().train(3, 1, (step, loss) -> {});
    }
    try (RunStore recorded = RunStore.open(db)) {
      GraphInfo g = recorded.graphs("fno_step").getFirst();
      List<String> in = g.stateInputs();
      assertTrue(in.containsAll(List.of("state.params.layer1.wr", "state.params.layer1.wi", "state.params.lift")),
          in.toString());
      assertTrue(in.stream().anyMatch(p -> p.startsWith("state.optState.")), "Adam's state threads too: " + in);
      assertTrue(in.stream().noneMatch(p -> p.startsWith("data.")), "the data is the same input every step: " + in);
      Series loss = recorded.series(recorded.scalar("loss").orElseThrow(), Stat.MEAN, 100);
      assertEquals(3, loss.size());
      assertEquals(h.losses()[2], loss.lo()[2], 1e-6, "the recorded loss is the program's");
    }
  }
}
