package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Init;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the jax.random samplers a training script calls cost, jitted: an epoch order
 * ({@code permutation} of 60 000: two sort rounds of the threefry keys), sampling 256 tokens from
 * 1 000-way logits ({@code categorical}: gumbel noise and an argmax), and a [784, 256] weight
 * matrix from {@code Init.heNormal} (truncated normal) against plain {@code normal}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RandomBench extends EngineBench {

  private final Key key = Random.key(0);
  private Array logits;
  private Function<Key, Array> permutation;
  private BiFunction<Key, Array, Array> categorical;
  private Function<Key, Array> heNormal;
  private Function<Key, Array> normal;
  private Function<Key, Array> gamma;
  private Function<Key, Array> gammaSmallA;
  private Function<Key, Array> poisson;

  @Setup
  public void setup() {
    logits = Random.normal(Random.key(1), 256, 1000);
    permutation = Transforms.jit((Key k) -> Random.permutation(k, 60_000));
    categorical = Transforms.jit((Key k, Array l) -> Random.categorical(k, l));
    heNormal = Transforms.jit((Key k) -> Init.heNormal().init(k, 784, 256));
    normal = Transforms.jit((Key k) -> Random.normal(k, 784, 256));
    permutation.apply(key); // trace + compile outside the measurement
    categorical.apply(key, logits);
    heNormal.apply(key);
    normal.apply(key);
    gamma = Transforms.jit((Key k) -> Random.gamma(k, 2.5, 10_000));
    gammaSmallA = Transforms.jit((Key k) -> Random.gamma(k, 0.3, 10_000));
    poisson = Transforms.jit((Key k) -> Random.poisson(k, 4.0, 10_000));
    gamma.apply(key);
    gammaSmallA.apply(key);
    poisson.apply(key);
  }

  @Benchmark
  public Array permutation60k() {
    return permutation.apply(key);
  }

  @Benchmark
  public Array categorical256x1000() {
    return categorical.apply(key, logits);
  }

  @Benchmark
  public Array heNormal784x256() {
    return heNormal.apply(key);
  }

  @Benchmark
  public Array normal784x256() {
    return normal.apply(key);
  }

  /** 10 000 Marsaglia–Tsang draws: one key each, a vmapped pair of nested while loops (session 10). */
  @Benchmark
  public Array gamma10k() {
    return gamma.apply(key);
  }

  /** The same with a = 0.3: the a < 1 boost adds a uniform and a pow per element. */
  @Benchmark
  public Array gammaSmallA10k() {
    return gammaSmallA.apply(key);
  }

  /** 10 000 poisson(4) counts: the Knuth loop and the rejection loop both run on the whole array. */
  @Benchmark
  public Array poisson10k() {
    return poisson.apply(key);
  }
}
