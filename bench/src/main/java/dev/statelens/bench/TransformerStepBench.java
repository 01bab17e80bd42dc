package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Random;
import dev.statelens.examples.Transformer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * One training step of the transformer example (16 windows of 32 characters, width 48, 4 heads,
 * 2 blocks, ~60k parameters): the jitted {@code transformer_step} with the example's optimizer
 * (Muon for the blocks' matrices, AdamW for the rest) and the same step with AdamW alone, so the
 * difference is Muon's Newton–Schulz iterations; and the jitted batch sampler. {@link #main} runs
 * the same steps on one thread and prints thread CPU time per step (the box is shared):
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.TransformerStepBench</pre>
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TransformerStepBench extends EngineBench {
  private Transformer muon;
  private Transformer adamw;
  private Transformer.TrainState muonState;
  private Transformer.TrainState adamwState;
  private Transformer.Batch batch;
  private Key dataKey;

  @Setup
  public void setup() {
    muon = new Transformer();
    adamw = new Transformer(Optim.adamw(Transformer.ADAM_LEARNING_RATE, 0.9, 0.999, 1e-8, Transformer.WEIGHT_DECAY));
    Transformer.Params params = Transformer.init(Random.key(Transformer.SEED));
    muonState = muon.initState(params);
    adamwState = adamw.initState(params);
    dataKey = Random.key(1);
    batch = muon.batch(dataKey, 0);
    muon.step(muonState, batch); // trace + compile outside the measurement
    adamw.step(adamwState, batch);
  }

  @Benchmark
  public Transformer.StepResult muonStep() {
    return muon.step(muonState, batch);
  }

  @Benchmark
  public Transformer.StepResult adamwStep() {
    return adamw.step(adamwState, batch);
  }

  @Benchmark
  public Transformer.Batch sampleBatch() {
    return muon.batch(dataKey, 7);
  }

  /** Thread CPU and wall time per step, best of 5 rounds of 20 steps (after a warm-up round). */
  public static void main(String[] args) {
    TransformerStepBench b = new TransformerStepBench();
    b.setup();
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    double[] m = CpuTimeProbe.measure(b::muonStep, steps, 5);
    double[] a = CpuTimeProbe.measure(b::adamwStep, steps, 5);
    double[] s = CpuTimeProbe.measure(b::sampleBatch, steps * 10, 5);
    System.out.printf("transformer step, Muon + AdamW: %.1f ms CPU, %.1f ms wall%n", m[1] / 1e6, m[0] / 1e6);
    System.out.printf("transformer step, AdamW alone:  %.1f ms CPU, %.1f ms wall%n", a[1] / 1e6, a[0] / 1e6);
    System.out.printf("batch sampler:                  %.3f ms CPU, %.3f ms wall%n", s[1] / 1e6, s[0] / 1e6);
  }
}
