package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Optim;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpTest {

  @Test
  void adamTrainingCutsTheLossMoreThanFiveFold() {
    Mlp mlp = new Mlp();
    List<Double> logged = new ArrayList<>();
    Mlp.History h = mlp.train(500, 50, (step, loss) -> logged.add(loss));
    assertEquals(11, logged.size());
    assertTrue(h.last() * 5 < h.first(), "loss " + h.first() + " -> " + h.last());
    assertTrue(h.last() < 0.01, "sin(x) should be fitted well, loss " + h.last());

    // The optimizer state was threaded through every step: Adam's counter counted them all.
    Optim.AdamState<Mlp.Params> s = (Optim.AdamState<Mlp.Params>) h.finalState().optState();
    assertEquals(500, s.count().intValue());
  }

  @Test
  void stateHasReadablePaths() {
    Mlp mlp = new Mlp();
    Mlp.TrainState state = mlp.initState(Mlp.init(dev.statelens.engine.Random.key(0)));
    List<String> paths = Tree.structure(state).paths("state");
    assertTrue(paths.contains("state.params.hidden.w"), paths.toString());
    assertTrue(paths.contains("state.optState.mu.out.b"), paths.toString());
    assertTrue(paths.contains("state.optState.count"), paths.toString());
  }

  @Test
  void trainingTracesTheStepOnce() {
    Mlp mlp = new Mlp();
    mlp.train(20, 10, (step, loss) -> {});
    // A retrace would mean the step count or a shape is baked in.
    assertEquals(1, Transforms.findJit(mlpStep(mlp)).orElseThrow().graphs().size());
  }

  @Test
  void commandPrintsTheLossAndWritesTheCurve(@TempDir Path dir) {
    Console c = Console.run("mlp", "--steps", "200", "--every", "50", "--out", dir.toString());
    assertEquals(0, c.exitCode(), c.err());
    List<String> lines = c.outLines();
    assertEquals(List.of("step 0", "step 50", "step 100", "step 150", "step 199"),
        lines.stream().filter(l -> l.startsWith("step ")).map(l -> l.substring(0, l.indexOf(" loss"))).toList());
    assertTrue(lines.get(lines.size() - 2).startsWith("loss went from "), c.out());
    // where the chart went is output, not an error: on stdout (the IDE's console paints stderr red)
    assertEquals("chart: " + dir.resolve("mlp-loss.png"), lines.getLast());
    assertEquals("", c.err());
    assertTrue(Files.exists(dir.resolve("mlp-loss.png")));
  }

  private static Object mlpStep(Mlp mlp) {
    try {
      var f = Mlp.class.getDeclaredField("step");
      f.setAccessible(true);
      return f.get(mlp);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
