package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WrongVariantsTest {

  @Test
  void staleStateLoopNeverImproves() {
    List<Double> losses = new ArrayList<>();
    StaleStateLoop.run(300, 100, (step, loss) -> losses.add(loss));
    assertEquals(4, losses.size());
    for (double l : losses) {
      assertEquals(losses.getFirst(), l, 0.0, "every step starts from the same params");
    }
    // The same number of correct steps would have gone far below.
    LinReg.Fit fit = LinReg.fit(300);
    assertTrue(fit.loss() * 5 < losses.getFirst(), fit.loss() + " vs " + losses.getFirst());
  }

  @Test
  void divergingLinregEndsInNan() {
    DivergingLinreg.Outcome o = DivergingLinreg.run(1000, 100, (step, w, b, loss) -> {});
    assertTrue(o.firstNonFiniteStep() > 0, "never diverged");
    assertTrue(Double.isNaN(o.params().weight().item()), "weight " + o.params().weight());
  }

  @Test
  void commandsRun() {
    Console stale = Console.run("stale", "--steps", "50");
    assertEquals(0, stale.exitCode(), stale.err());
    assertTrue(stale.err().contains("never moves"), stale.err());
    Console diverge = Console.run("diverge");
    assertEquals(0, diverge.exitCode(), diverge.err());
    assertTrue(diverge.outLines().getLast().contains("NaN"), diverge.out());
  }
}
