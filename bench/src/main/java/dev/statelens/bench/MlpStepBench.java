package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.examples.Mlp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * One jitted training step of the examples' MLP (1 -> 32 tanh -> 1, 256 samples): forward,
 * valueAndGrad, Adam update, new state out.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MlpStepBench extends EngineBench {
  private Mlp mlp;
  private Mlp.TrainState state;
  private Mlp.Batch batch;

  @Setup
  public void setup() {
    Key key = Random.key(Mlp.SEED);
    Pair<Key, Key> k = Random.split(key);
    mlp = new Mlp();
    batch = Mlp.data(k.first());
    state = mlp.initState(Mlp.init(k.second()));
    mlp.step(state, batch); // trace + compile outside the measurement
    GpuLaunches.report("MLP Adam step", () -> mlp.step(state, batch));
  }

  @Benchmark
  public Mlp.StepResult jittedAdamStep() {
    return mlp.step(state, batch);
  }
}
