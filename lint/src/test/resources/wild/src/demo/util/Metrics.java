package demo.util;

import dev.statelens.engine.Array;
import java.util.LinkedHashMap;
import java.util.Map;

/** A tiny metrics sink: fine on the host, a side effect when reached from jitted code. */
public final class Metrics {
  private static final Map<String, Double> LAST = new LinkedHashMap<>();

  private Metrics() {}

  public static void log(String name, double value) {
    LAST.put(name, value); // expect SL002
    System.out.printf("%s=%.4f%n", name, value); // expect SL003
  }

  /** Logs an array's mean: calls item(), so it must never run under jit. */
  public static void logMean(String name, Array value) {
    log(name, value.mean().item()); // expect SL007
  }

  public static Array normalize(Array x) {
    Array mu = x.mean();
    return x.sub(mu).div(x.std().add(1e-6));
  }
}
