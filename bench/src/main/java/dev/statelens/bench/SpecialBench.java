package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.Special;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the special functions cost per element on the CPU backend, jitted, over 100 000 F32
 * elements spread across each function's range (so the iterative ones run their usual number of
 * terms): lgamma (closed form, for scale), igamma (series or continued fraction per element),
 * betainc (Lentz), the gradient of 10 000 gamma draws in their shape against the draws alone, and
 * (session 16) expn (Cephes' series or continued fraction per element, loops masked to their own
 * elements) and hyp1f1 (Taylor or asymptotic series, up to 250 terms).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpecialBench extends EngineBench {

  private static final int N = 100_000;
  private final Key key = Random.key(0);
  private Array a;
  private Array x;
  private Array u;
  private Function<Array, Array> lgamma;
  private Function<Array, Array> igamma;
  private Function<Array, Array> betainc;
  private Function<Array, Array> gammaDraws;
  private Function<Array, Array> gammaGrad;
  private Array shape10k;
  private Array order;
  private Function<Array, Array> expn;
  private Function<Array, Array> hyp1f1;

  @Setup
  public void setup() {
    a = Random.uniform(Random.key(1), new int[] {N}, DType.F32, 0.1, 50);
    x = Random.uniform(Random.key(2), new int[] {N}, DType.F32, 0.01, 60);
    u = Random.uniform(Random.key(3), new int[] {N}, DType.F32, 0.001, 0.999);
    lgamma = Transforms.jit((Array t) -> Special.gammaln(t));
    igamma = Transforms.jit((Array t) -> Special.gammainc(t, x));
    betainc = Transforms.jit((Array t) -> Special.betainc(t, t.mul(0.5).add(1), u));
    shape10k = Random.uniform(Random.key(4), new int[] {10_000}, DType.F32, 0.3, 40);
    gammaDraws = Transforms.jit((Array t) -> Random.gamma(key, t, null, DType.F32));
    gammaGrad = Transforms.jit(Transforms.grad((Array t) -> Random.gamma(key, t, null, DType.F32).sum()));
    order = Random.randint(Random.key(5), new int[] {N}, 1, 6).astype(DType.F32);
    expn = Transforms.jit((Array t) -> Special.expn(order, t));
    Array b = Random.uniform(Random.key(6), new int[] {N}, DType.F32, 0.5, 5);
    Array z = Random.uniform(Random.key(7), new int[] {N}, DType.F32, -50, 150);
    hyp1f1 = Transforms.jit((Array t) -> Special.hyp1f1(t.mul(0.1), b, z));
    lgamma.apply(a); // trace + compile outside the measurement
    expn.apply(x);
    hyp1f1.apply(a);
    igamma.apply(a);
    betainc.apply(a);
    gammaDraws.apply(shape10k);
    gammaGrad.apply(shape10k);
  }

  @Benchmark
  public Array lgamma100k() {
    return lgamma.apply(a);
  }

  @Benchmark
  public Array igamma100k() {
    return igamma.apply(a);
  }

  @Benchmark
  public Array betainc100k() {
    return betainc.apply(a);
  }

  @Benchmark
  public Array expn100k() {
    return expn.apply(x);
  }

  @Benchmark
  public Array hyp1f1100k() {
    return hyp1f1.apply(a);
  }

  @Benchmark
  public Array gammaDraws10k() {
    return gammaDraws.apply(shape10k);
  }

  @Benchmark
  public Array gammaGrad10k() {
    return gammaGrad.apply(shape10k);
  }
}
