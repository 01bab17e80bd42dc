package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compare + select elementwise on a CNN activation ({@code [32,28,28,32]} F32, normal data so the
 * sign is random): jitted {@code Nn.relu} (= where(x <= 0, 0, x)), leaky relu
 * (where(x > 0, x, 0.01x)), relu's gradient (a select of broadcast 1 and 0), {@code maximum(x, 0)},
 * {@code clip(x, -1, 1)}, against
 * {@code square} (no compare). One CPU thread ({@code statelens.cpu.threads=1}): the shared box is loaded.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dstatelens.cpu.threads=1"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ReluBench extends EngineBench {
  private Array x;
  private Function<Array, Array> relu;
  private Function<Array, Array> leaky;
  private Function<Array, Array> reluGrad;
  private Function<Array, Array> square;
  private Function<Array, Array> maximum;
  private Function<Array, Array> clip;

  @Setup
  public void setup() {
    x = Random.normal(Random.key(0), 32, 28, 28, 32);
    relu = Transforms.jit((Array v) -> Nn.relu(v));
    leaky = Transforms.jit((Array v) -> Array.where(v.gt(0), v, v.mul(0.01)));
    reluGrad = Transforms.jit(Transforms.grad((Array v) -> Nn.relu(v).sum()));
    square = Transforms.jit((Array v) -> v.square());
    maximum = Transforms.jit((Array v) -> v.maximum(0));
    clip = Transforms.jit((Array v) -> v.clip(-1, 1));
  }

  @Benchmark
  public Array relu() {
    return relu.apply(x);
  }

  @Benchmark
  public Array leakyRelu() {
    return leaky.apply(x);
  }

  @Benchmark
  public Array reluGrad() {
    return reluGrad.apply(x);
  }

  @Benchmark
  public Array maximum() {
    return maximum.apply(x);
  }

  @Benchmark
  public Array clip() {
    return clip.apply(x);
  }

  @Benchmark
  public Array square() {
    return square.apply(x);
  }
}
