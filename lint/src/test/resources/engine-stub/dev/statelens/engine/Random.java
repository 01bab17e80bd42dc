package dev.statelens.engine;

/** Test stub of the engine's keyed random functions. */
public final class Random {
  private Random() {}

  public static Key key(long seed) {
    return new Key(seed);
  }

  public static Array uniform(Key key, int... shape) {
    return Array.scalar(new java.util.Random(key.seed()).nextDouble());
  }

  public static Array normal(Key key, int... shape) {
    return Array.scalar(new java.util.Random(key.seed()).nextGaussian());
  }
}
