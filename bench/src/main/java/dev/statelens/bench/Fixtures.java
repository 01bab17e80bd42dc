package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import java.util.Random;

/** Inputs several benchmarks build alike: seeded Gaussian arrays and a small tanh MLP. */
public final class Fixtures {
  private Fixtures() {}

  /** The parameters of a 16 -> 64 (tanh) -> 1 MLP. */
  public record MlpParams(Array w1, Array b1, Array w2) {
    /** Gaussian weights (w1 scaled 0.25, the rest 0.1), drawn from {@code rnd} in a fixed order. */
    static MlpParams init(Random rnd) {
      return new MlpParams(randn(rnd, 0.25, 16, 64), randn(rnd, 0.1, 64), randn(rnd, 0.1, 64, 1));
    }
  }

  /** An f32 array of {@code shape} filled with {@code scale * N(0, 1)} draws from {@code rnd}. */
  static Array randn(Random rnd, double scale, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (scale * rnd.nextGaussian());
    }
    return Array.of(DType.F32, shape, v);
  }
}
