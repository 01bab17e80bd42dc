package training;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.record.Recorder;
import java.util.function.BiFunction;

/**
 * An explicit-state training step to fill in: {@code step(state, batch) -> (loss, new state)}, jitted,
 * called in a loop that threads the state. Put everything that changes from step to step (parameters,
 * optimizer state, counters) in {@link State}; inside the step, read it and return a new one, and
 * write no fields, print nothing, draw no random numbers without a key (StateLens marks those).
 *
 * <p>As a placeholder, the state tracks a running mean of the batches. Run As &gt; StateLens Training
 * records every step.
 */
public final class TrainStep {

  /** Everything that changes from step to step. */
  public record State(Array estimate) {}

  /** What a step returns: a loss (recorded as the run's loss) and the new state. */
  public record StepResult(Array loss, State state) {}

  static final int STEPS = 100;

  public static void main(String[] args) {
    BiFunction<State, Array, StepResult> step = Transforms.jit("step", (State state, Array batch) -> {
      Array error = batch.mean().sub(state.estimate());
      return new StepResult(error.square(), new State(state.estimate().add(error.mul(0.1))));
    });
    Recorder.argNames(step, "state", "batch");

    Key key = Random.key(0);
    State state = new State(Array.scalar(0f));
    for (int i = 0; i < STEPS; i++) {
      Array batch = Random.normal(Random.foldIn(key, i), 32).add(3); // a fresh batch per step
      StepResult result = step.apply(state, batch);
      state = result.state();
    }
    System.out.printf("estimate %.3f (the batches' mean is 3)%n", state.estimate().item());
  }
}
