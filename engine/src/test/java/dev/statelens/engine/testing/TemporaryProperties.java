package dev.statelens.engine.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs a test body with some system properties set and puts each back afterwards (its old value,
 * or cleared), so a test that points the engine at stand-in libraries leaves nothing behind.
 */
public final class TemporaryProperties {
  private TemporaryProperties() {}

  /** {@code body} with {@code props} set; the properties are restored even when it throws. */
  public static <T> T call(Map<String, String> props, Callable<T> body) throws Exception {
    Map<String, String> old = new HashMap<>();
    props.forEach((k, v) -> {
      old.put(k, System.getProperty(k));
      System.setProperty(k, v);
    });
    try {
      return body.call();
    } finally {
      old.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }

  /** {@link #call} for a body that throws no checked exception. */
  public static <T> T get(Map<String, String> props, Supplier<T> body) {
    try {
      return call(props, body::get);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // unreachable: a Supplier throws no checked exception
    }
  }
}
