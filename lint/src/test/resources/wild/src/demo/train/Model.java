package demo.train;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A two-layer model as records with an init/apply pair. */
public final class Model {
  public record Dense(Array w, Array b) {
    Array apply(Array x) {
      return x.matmul(w).add(b);
    }
  }

  public record Params(Dense hidden, Dense out) {}

  /** Activations kept for a debugging view: a trap under jit. */
  static final List<Array> ACTIVATIONS = new ArrayList<>();

  static Array lastHidden;

  private Model() {}

  public static Params init(Key key, int in, int hidden) {
    var ks = Random.split(key);
    Dense h = new Dense(Random.normal(ks.first(), in, hidden).mul(0.1), Array.zeros(hidden));
    Dense o = new Dense(Random.normal(ks.second(), hidden, 1).mul(0.1), Array.zeros(1));
    return new Params(h, o);
  }

  public static Array apply(Params p, Array x) {
    Array h = p.hidden().apply(x).tanh();
    return p.out().apply(h);
  }

  /** apply that remembers what it saw. */
  public static Array applyAndKeep(Params p, Array x) {
    Array h = p.hidden().apply(x).tanh();
    ACTIVATIONS.add(h); // expect SL008
    lastHidden = h; // expect SL008 (a traced value stored: SL008, not also SL001)
    return p.out().apply(h);
  }

  /** Zeroes the first output weight: the NumPy habit. */
  public static Params clampFirst(Params p) {
    p.out().w().at(0).set(0); // expect SL009
    Array w = p.out().w();
    w = w.at(0).set(0); // fine
    return new Params(p.hidden(), new Dense(w, p.out().b()));
  }

  /** A dropout that draws from the same key twice. */
  public static Array dropoutTwice(Key key, Array x) {
    Array m1 = Random.bernoulli(key, 0.9, x.shape());
    Array m2 = Random.bernoulli(key, 0.9, x.shape()); // expect SL010
    return x.mul(m1).mul(m2);
  }

  static Function<Array, Array> predictor(Params p) {
    return Transforms.jit((Array x) -> applyAndKeep(p, x));
  }

  static Function<Array, Params> clamped(Params p) {
    return Transforms.jit((Array unused) -> clampFirst(p));
  }

  static Pair<Array, Array> both(Params p, Array x) {
    var pure = Transforms.jit((Array v) -> apply(p, v));
    return Pair.of(pure.apply(x), predictor(p).apply(x));
  }
}
