package dev.statelens.engine;

/** Test stub of the engine's keyed random functions. */
public final class Random {
  private Random() {}

  public static Key key(long seed) {
    return new Key(seed);
  }

  public static Pair<Key, Key> split(Key key) {
    return Pair.of(new Key(key.seed() * 31 + 1), new Key(key.seed() * 31 + 2));
  }

  public static java.util.List<Key> split(Key key, int num) {
    java.util.List<Key> keys = new java.util.ArrayList<>();
    for (int i = 1; i <= num; i++) {
      keys.add(new Key(key.seed() * 31 + i));
    }
    return keys;
  }

  public static Key foldIn(Key key, int data) {
    return new Key(key.seed() * 31 + data);
  }

  public static Key foldIn(Key key, Array data) {
    return new Key(key.seed() * 31 + (long) data.item());
  }

  public static Key clone(Key key) {
    return key;
  }

  public static Array binomial(Key key, double n, double p, int... shape) {
    return Array.scalar(Math.round(n * p));
  }

  public static Array uniform(Key key, int... shape) {
    return Array.scalar(new java.util.Random(key.seed()).nextDouble());
  }

  public static Array normal(Key key, int... shape) {
    return Array.scalar(new java.util.Random(key.seed()).nextGaussian());
  }
}
