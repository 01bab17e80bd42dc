package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bars CNN: its data, that held-out accuracy climbs from chance past 90%, one trace, the command. */
class CnnTest {

  @Test
  void barsAreHorizontalOrVerticalTwoPixelLines() {
    Cnn.Batch b = Cnn.bars(Random.key(7), 6);
    assertArrayEquals(new int[] {6, Cnn.SIZE, Cnn.SIZE, 1}, b.x().shape());
    assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, b.y().toIntArray());
    float[] x = b.x().toFloatArray();
    for (int n = 0; n < 6; n++) {
      // the bar's pixels are ~1 and the rest ~0: a row (class 0) or column (class 1) mean near 1 marks it
      int lines = 0;
      for (int i = 0; i < Cnn.SIZE; i++) {
        double mean = 0;
        for (int j = 0; j < Cnn.SIZE; j++) {
          int at = n % 2 == 0 ? (n * Cnn.SIZE + i) * Cnn.SIZE + j : (n * Cnn.SIZE + j) * Cnn.SIZE + i;
          mean += x[at] / Cnn.SIZE;
        }
        lines += mean > 0.6 ? 1 : 0;
      }
      assertEquals(Cnn.BAR, lines, "image " + n + " has one bar of " + Cnn.BAR + " lines");
    }
  }

  @Test
  void heldOutAccuracyClimbsFromChance() {
    Cnn.History h = new Cnn().train(60, 20, (step, loss, acc) -> {}); // training accuracy is 1 from step ~50
    assertTrue(h.initialTestAccuracy() < 0.75, "untrained: " + h.initialTestAccuracy());
    assertTrue(h.finalTestAccuracy() >= 0.9, "held-out accuracy after training: " + h.finalTestAccuracy());
    assertTrue(h.losses()[h.losses().length - 1] < h.losses()[0] / 3,
        "loss " + h.losses()[0] + " -> " + h.losses()[h.losses().length - 1]);
  }

  @Test
  void theStepTracesOnce() throws ReflectiveOperationException {
    Cnn c = new Cnn();
    c.train(5, 5, (step, loss, acc) -> {});
    var f = Cnn.class.getDeclaredField("step");
    f.setAccessible(true);
    assertEquals(1, Transforms.findJit(f.get(c)).orElseThrow().graphs().size(), "a retrace bakes something in");
  }

  @Test
  void commandPrintsProgressAndResumesFromACheckpoint(@TempDir Path dir) {
    Console c = Console.run("cnn", "--steps", "20", "--every", "10", "--checkpoint", dir.toString(),
        "--checkpoint-every", "10");
    assertEquals(0, c.exitCode(), c.err());
    List<String> steps = c.outLines().stream().filter(l -> l.startsWith("step ")).toList();
    assertEquals(List.of("step 0", "step 10", "step 19"),
        steps.stream().map(l -> l.substring(0, l.indexOf(" loss"))).toList());
    assertTrue(c.outLines().getLast().startsWith("test accuracy "), c.out());
    Console more = Console.run("cnn", "--steps", "25", "--every", "10", "--checkpoint", dir.toString());
    assertEquals(0, more.exitCode(), more.err());
    assertEquals(List.of("step 20", "step 24"), more.outLines().stream().filter(l -> l.startsWith("step "))
        .map(l -> l.substring(0, l.indexOf(" loss"))).toList(), "resumed at step 20: " + more.out());
  }
}
