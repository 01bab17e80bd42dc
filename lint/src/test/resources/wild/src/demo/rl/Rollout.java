package demo.rl;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Lax;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** An RL-style rollout: a policy, an environment step, keys split through the loop. */
public final class Rollout {
  public record EnvState(Array position, Array velocity) {}

  public record Transition(Array obs, Array action, Array reward) {}

  private final Array policyWeights;
  private double epsilon = 0.1; // changed by anneal()
  private final List<Transition> buffer = new ArrayList<>();

  public Rollout(Array policyWeights) {
    this.policyWeights = policyWeights;
  }

  public void anneal() {
    epsilon = epsilon * 0.99;
  }

  static Array observe(EnvState s) {
    return Array.concatenate(0, s.position(), s.velocity());
  }

  static EnvState envStep(EnvState s, Array action) {
    Array v = s.velocity().add(action.sub(1).mul(0.001));
    return new EnvState(s.position().add(v), v);
  }

  /** Samples an action: correct, the key comes in. */
  Array act(Key key, Array obs) {
    Array logits = obs.matmul(policyWeights);
    return Random.categorical(key, logits);
  }

  /** Epsilon-greedy the eager way. */
  Array actGreedy(Array obs) {
    Array logits = obs.matmul(policyWeights);
    if (Math.random() < epsilon) { // expect SL004 SL006
      return Array.scalar(0);
    }
    return logits.argmax();
  }

  /** A correct rollout: the key is split every step and the state threaded. */
  public Pair<EnvState, Array> rollout(Key key, EnvState start, int steps) {
    BiFunction<Key, EnvState, Pair<EnvState, Array>> one = Transforms.jit((Key k, EnvState s) -> {
      Array a = act(k, observe(s));
      EnvState next = envStep(s, a);
      return Pair.of(next, next.position().neg().abs());
    });
    EnvState s = start;
    Array total = Array.scalar(0);
    for (int t = 0; t < steps; t++) {
      var ks = Random.split(key);
      key = ks.first();
      Pair<EnvState, Array> out = one.apply(ks.second(), s);
      s = out.first();
      total = total.add(out.second());
    }
    return Pair.of(s, total);
  }

  /** The same loop with a key that is never advanced, and a buffer filled with tracers. */
  public Array rolloutBuggy(Key key, EnvState start, int steps) {
    BiFunction<Key, EnvState, EnvState> one = Transforms.jit((Key k, EnvState s) -> {
      Array obs = observe(s);
      Array a = act(k, obs);
      Array reward = s.position().neg().abs();
      buffer.add(new Transition(obs, a, reward)); // expect SL008 (a tracer stored: SL008, not also SL002)
      if (reward.item() > 0.5) { // expect SL007
        return start;
      }
      return envStep(s, a);
    });
    EnvState s = start;
    for (int t = 0; t < steps; t++) {
      s = one.apply(key, s); // expect SL010 (the jitted lambda draws from k through act: the same key every step)
    }
    return s.position();
  }

  /** The same jitted local, its key folded in per step: correct. */
  public Array rolloutFolded(Key key, EnvState start, int steps) {
    BiFunction<Key, EnvState, EnvState> one =
        Transforms.jit((Key k, EnvState s) -> envStep(s, act(k, observe(s))));
    EnvState s = start;
    for (int t = 0; t < steps; t++) {
      s = one.apply(Random.foldIn(key, t), s);
    }
    return s.position();
  }

  /** A jitted local that only reads its key's words, called with one key each step: correct. */
  public Array keyWords(Key key, EnvState start, int steps) {
    BiFunction<Key, EnvState, Array> mix =
        Transforms.jit((Key k, EnvState s) -> s.position().add(Random.keyData(k).sum()));
    Array total = Array.scalar(0);
    for (int t = 0; t < steps; t++) {
      total = total.add(mix.apply(key, start));
    }
    return total;
  }

  /** A scan-based rollout: the key travels in the carry. */
  public Array rolloutScan(Key key, EnvState start, int steps) {
    var run = Transforms.jit((EnvState s0) -> {
      Pair<Pair<Key, EnvState>, Array> out = Lax.scan((Pair<Key, EnvState> c, Array unused) -> {
        var ks = Random.split(c.first());
        Array a = act(ks.second(), observe(c.second()));
        EnvState next = envStep(c.second(), a);
        return Pair.of(Pair.of(ks.first(), next), Nn.relu(next.position()));
      }, Pair.of(key, s0), Array.zeros(steps));
      return out.second().sum();
    });
    return run.apply(start);
  }

  public Array greedyReturn(EnvState start) {
    var f = Transforms.jit((EnvState s) -> actGreedy(observe(s)));
    return f.apply(start);
  }
}
