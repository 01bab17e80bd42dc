package demo.train;

import demo.util.Metrics;
import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/** A class holding its config and a cached jit, with generics, streams and inner classes. */
public final class Trainer<P> {
  public record Config(double learningRate, int layers) {}

  private final Config config;
  private double scale = 1.0; // set by setScale
  private final Function<Array, Array> preprocess = Metrics::normalize;
  private final UnaryOperator<Array> activation = x -> x.tanh();
  private Function<Array, Array> cached;
  private final Map<String, Function<Array, Array>> byName = new HashMap<>();
  private final List<String> traceLog = new ArrayList<>();
  private int calls;

  public Trainer(Config config) {
    this.config = config;
  }

  public void setScale(double scale) {
    this.scale = scale;
  }

  private Array forward(Array x) {
    Array h = preprocess.apply(x);
    for (int l = 0; l < config.layers(); l++) { // fine: a static Java loop over config
      h = activation.apply(h.mul(config.learningRate()));
    }
    return h.mul(scale); // expect SL006
  }

  /** The cached jit: built once, reused on every call. Fine. */
  public Array run(Array x) {
    if (cached == null) {
      cached = Transforms.jit(this::forward);
    }
    return cached.apply(x);
  }

  /** A jit per name, cached in a map: fine. */
  public Array runNamed(String name, Array x) {
    return byName.computeIfAbsent(name, n -> Transforms.jit(n, this::forward)).apply(x);
  }

  /** A jit made on every call: retraces every time. */
  public Array runUncached(Array x) {
    return Transforms.jit(this::forward).apply(x); // expect SL011 (a jit made per method call, outside a loop)
  }

  /** A one-off run from main: made and called once per program. Fine. */
  public static void main(String[] args) {
    Trainer<Object> trainer = new Trainer<>(new Config(0.1, 2));
    System.out.println(Transforms.jit(trainer::forward).apply(Array.of(1f, 2f)));
  }

  /** Streams inside jitted code: building a list locally is fine, logging to a field is not. */
  public Array ensemble(Array x, int members) {
    var f = Transforms.jit((Array in) -> {
      List<Array> outs = IntStream.range(0, members)
          .mapToObj(i -> forward(in.mul(i + 1)))
          .toList();
      outs.forEach(o -> traceLog.add("member")); // expect SL002
      return Array.stack(0, outs.toArray(new Array[0])).mean(0);
    });
    return f.apply(x);
  }

  /** An inner class whose method is jitted and writes the outer instance's counter. */
  final class Counted implements Function<Array, Array> {
    @Override
    public Array apply(Array x) {
      calls++; // expect SL001
      return forward(x);
    }
  }

  public Array counted(Array x) {
    return Transforms.jit(new Counted()).apply(x); // expect SL011 (as runUncached)
  }

  /** A helper in another package reached through a method reference. */
  public Array loggedForward(Array x) {
    Function<Array, Array> g = Transforms.jit((Array in) -> {
      Array out = forward(in);
      Metrics.logMean("out", out); // findings in Metrics.java, with this call in their chain
      return out;
    });
    return g.apply(x);
  }

  /** Generic post-processing: fine. */
  public static <T> List<T> mapAll(List<T> xs, UnaryOperator<T> f) {
    return xs.stream().map(f).toList();
  }
}
