package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * docs/arrays.md's einsum against the matmul a user writes without it: attention scores
 * {@code "bhqd,bhkd->bhqk"} of F32 {@code [4, 8, 128, 64]} queries and keys, jitted, as einsum
 * and as {@code q.matmul(k.transpose(0, 1, 3, 2))}; and jitted {@code topK(k=10)} of
 * {@code [256, 1024]} rows and {@code searchsorted} of 4096 values in 1024 sorted ones.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EinsumBench extends EngineBench {
  private Array q;
  private Array k;
  private Array rows;
  private Array sorted;
  private Array values;
  private BiFunction<Array, Array, Array> einsum;
  private BiFunction<Array, Array, Array> matmul;
  private Function<Array, Array> topK;
  private BiFunction<Array, Array, Array> searchsorted;

  @Setup
  public void setup() {
    q = Random.normal(Random.key(1), 4, 8, 128, 64);
    k = Random.normal(Random.key(2), 4, 8, 128, 64);
    rows = Random.normal(Random.key(3), 256, 1024);
    sorted = Random.normal(Random.key(4), 1024).sort();
    values = Random.normal(Random.key(5), 4096);
    einsum = Transforms.jit((Array a, Array b) -> Array.einsum("bhqd,bhkd->bhqk", a, b));
    matmul = Transforms.jit((Array a, Array b) -> a.matmul(b.transpose(0, 1, 3, 2)));
    topK = Transforms.jit((Array r) -> Lax.topK(r, 10).first());
    searchsorted = Transforms.jit((Array s, Array v) -> Array.searchsorted(s, v, "left"));
    if (!Array.allClose(einsum.apply(q, k), matmul.apply(q, k), 1e-5, 1e-4)) {
      throw new IllegalStateException("einsum and matmul disagree");
    }
    if (!Array.allClose(topK.apply(rows).sliceAxis(1, 0, 1), rows.max(1).reshape(256, 1), 0, 0)) {
      throw new IllegalStateException("topK's first is not the row max");
    }
  }

  @Benchmark
  public Array attentionEinsum() {
    return einsum.apply(q, k);
  }

  @Benchmark
  public Array attentionMatmulTranspose() {
    return matmul.apply(q, k);
  }

  @Benchmark
  public Array topK10Rows() {
    return topK.apply(rows);
  }

  @Benchmark
  public Array searchsorted4096In1024() {
    return searchsorted.apply(sorted, values);
  }
}
