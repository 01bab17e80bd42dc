package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.examples.Mlp;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One jitted training step of the examples' MLP (1 -> 32 tanh -> 1, 256 samples): forward,
 * valueAndGrad, Adam update, new state out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MlpStepBench {
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
  }

  @Benchmark
  public Mlp.StepResult jittedAdamStep() {
    return mlp.step(state, batch);
  }
}
