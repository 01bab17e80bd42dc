package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.examples.Fno;

/**
 * The fno example's jitted Adam step (64 samples on a 32-point grid, 12 channels, 6 complex modes,
 * two Fourier layers) in thread CPU time; its complex64 elementwise chains are what
 * {@code FusedComplex} fuses (docs/benchmarks.md, "Complex fusion"); and a spectral chain alone,
 * {@code conj(z * w + v) * 0.5} on c64 [64, 12, 17]. Compare with {@code -Dstatelens.cpu.fusion=false}.
 * Single-threaded:
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.FnoStepBench</pre>
 */
public final class FnoStepBench {
  private FnoStepBench() {}

  public static void main(String[] args) {
    Pair<Key, Key> k = Random.split(Random.key(Fno.SEED));
    Fno.Data data = Fno.data(k.first());
    Fno fno = new Fno();
    Fno.TrainState state = fno.initState(Fno.init(k.second()));
    double[] t = CpuTimeProbe.measure(() -> fno.step(state, data), 300, 5);
    System.out.printf("fno step: %.1f us wall, %.1f us CPU per step (best of 5 rounds of 300)%n", t[0] / 1e3, t[1] / 1e3);
    Fn3<Array, Array, Array, Array> chain = Transforms.jit((z, w, v) -> z.mul(w).add(v).conj().mul(0.5));
    Array z = Array.complex(Random.normal(Random.key(1), 64, 12, 17), Random.normal(Random.key(2), 64, 12, 17));
    Array w = Array.complex(Random.normal(Random.key(3), 64, 12, 17), Random.normal(Random.key(4), 64, 12, 17));
    Array v = Array.complex(Random.normal(Random.key(5), 64, 12, 17), Random.normal(Random.key(6), 64, 12, 17));
    double[] c = CpuTimeProbe.measure(() -> chain.apply(z, w, v), 2000, 5);
    System.out.printf("complex chain: %.1f us wall, %.1f us CPU per call (best of 5 rounds of 2000)%n", c[0] / 1e3, c[1] / 1e3);
  }
}
