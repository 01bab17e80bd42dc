package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.GraphInfo;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.Series;
import dev.statelens.engine.record.store.Stat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-moons classifier: it learns (≥ 95% on its training set), deterministically, and records. */
class ClassifierTest {

  @Test
  void twoMoonsHasBalancedSeparatedClasses() {
    Classifier.Batch b = Classifier.twoMoons(Random.key(0));
    assertArrayEquals(new int[] {Classifier.SAMPLES, 2}, b.x().shape());
    assertArrayEquals(new int[] {Classifier.SAMPLES}, b.y().shape());
    assertEquals(Classifier.SAMPLES / 2, b.y().sum().intValue(), "half the points are class 1");
    // class 0 lies above class 1 on average: mean y of the upper moon ~ 2/pi, of the lower ~ 0.5 - 2/pi
    float[] x = b.x().toFloatArray();
    int[] y = b.y().toIntArray();
    double[] meanY = new double[2];
    for (int i = 0; i < y.length; i++) {
      meanY[y[i]] += x[2 * i + 1] / (Classifier.SAMPLES / 2.0);
    }
    assertEquals(2 / Math.PI, meanY[0], 0.1);
    assertEquals(0.5 - 2 / Math.PI, meanY[1], 0.1);
  }

  @Test
  void trainingReachesHighAccuracyDeterministically() {
    List<Double> logged = new ArrayList<>();
    Classifier.History h = new Classifier().train(Classifier.STEPS, 100, (step, loss, acc) -> logged.add(loss));
    assertEquals(11, logged.size(), "steps 0, 100, ..., 900 and the last");
    assertTrue(h.finalAccuracy() >= 0.95, "final training accuracy " + h.finalAccuracy());
    assertTrue(h.losses()[h.losses().length - 1] < h.losses()[0] / 5, "loss " + h.losses()[0] + " -> "
        + h.losses()[h.losses().length - 1]);
    assertTrue(h.accuracies()[0] < 0.9, "the untrained net should not already classify well: " + h.accuracies()[0]);
    // the same key gives the same run, to the bit
    Classifier.History again = new Classifier().train(Classifier.STEPS, 100, (step, loss, acc) -> {});
    assertArrayEquals(h.losses(), again.losses());
    assertEquals(h.finalAccuracy(), again.finalAccuracy());
  }

  @Test
  void theStepTracesOnce() throws ReflectiveOperationException {
    Classifier c = new Classifier();
    c.train(20, 10, (step, loss, acc) -> {});
    var f = Classifier.class.getDeclaredField("step");
    f.setAccessible(true);
    assertEquals(1, Transforms.findJit(f.get(c)).orElseThrow().graphs().size(), "a retrace bakes something in");
  }

  @Test
  void commandPrintsLossAndAccuracy() {
    Console c = Console.run("classify", "--steps", "300", "--every", "100");
    assertEquals(0, c.exitCode(), c.err());
    List<String> lines = c.outLines();
    assertEquals(List.of("step 0", "step 100", "step 200", "step 299"),
        lines.stream().filter(l -> l.startsWith("step ")).map(l -> l.substring(0, l.indexOf(" loss"))).toList());
    assertTrue(lines.stream().filter(l -> l.startsWith("step ")).allMatch(l -> l.contains(" accuracy ")), c.out());
    assertTrue(lines.getLast().startsWith("final accuracy "), c.out());
  }

  @Test
  void recordingNamesTheStateByPath(@TempDir Path dir) {
    Path db = dir.resolve("classify.db");
    Console c = Console.run("classify", "--steps", "12", "--every", "4", "--record", db.toString());
    assertEquals(0, c.exitCode(), c.err());
    assertTrue(Files.exists(db));
    try (RunStore run = RunStore.open(db)) {
      GraphInfo g = run.graphs("classify_step").getFirst();
      // params (6 leaves) + the chain's AdamW count, mu (6), nu (6); the clip has no state
      assertEquals(19, g.stateInputs().size(), g.stateInputs().toString());
      assertTrue(g.stateInputs().containsAll(List.of("state.params.hidden1.w", "state.optState[1].mu.out.b",
          "state.optState[1].nu.hidden2.w", "state.optState[1].count")), g.stateInputs().toString());
      Series loss = run.series(run.scalar("loss").orElseThrow(), Stat.MEAN, 100);
      assertEquals(12, loss.size(), "one logged loss per step");
      LeafSample acc = run.state("classify_step", 11).stream()
          .filter(s -> s.key().equals("out:accuracy")).findFirst().orElseThrow();
      assertTrue(acc.values()[0] > 0 && acc.values()[0] <= 1, "accuracy leaf " + acc.values()[0]);
      assertTrue(run.events().isEmpty(), run.events().toString());
    }
  }
}
