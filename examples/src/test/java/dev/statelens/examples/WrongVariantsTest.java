package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.UnexpectedTracerError;
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
  void statefulLinRegTrainsEagerlyButNotUnderJit() {
    StatefulLinReg eager = new StatefulLinReg();
    double first = eager.step().item();
    for (int i = 1; i < 300; i++) {
      eager.step();
    }
    assertTrue(eager.step().item() * 5 < first, "eager steps update the field and train");

    StatefulLinReg model = new StatefulLinReg();
    var step = model.jittedStep();
    List<Double> losses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      losses.add(step.get().item());
    }
    assertEquals(List.of(first, first, first, first, first), losses, "every call replays the traced first step");
    UnexpectedTracerError e = assertThrows(UnexpectedTracerError.class, () -> model.params().weight().item());
    assertTrue(e.getMessage().contains("train_step"), e.getMessage());
  }

  @Test
  void commandsRun() {
    Console stale = Console.run("stale", "--steps", "50");
    assertEquals(0, stale.exitCode(), stale.err());
    assertTrue(stale.out().contains("never moves"), stale.out());
    assertEquals("", stale.err(), "the example works as meant: nothing on stderr");
    Console diverge = Console.run("diverge");
    assertEquals(0, diverge.exitCode(), diverge.err());
    assertTrue(diverge.outLines().stream().filter(l -> l.startsWith("step ")).toList().getLast().contains("NaN"), diverge.out());
    assertTrue(diverge.outLines().getLast().startsWith("the params stopped being finite at step "), diverge.out());
    Console stateful = Console.run("stateful", "--steps", "3");
    assertEquals(0, stateful.exitCode(), stateful.err());
    assertTrue(stateful.out().contains("never moves"), stateful.out());
    assertTrue(stateful.out().contains("escaped its trace"), stateful.out());
  }
}
