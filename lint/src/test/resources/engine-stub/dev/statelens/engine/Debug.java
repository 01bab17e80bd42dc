package dev.statelens.engine;

/** Test stub. */
public final class Debug {
  private Debug() {}

  public static void print(String fmt, Array... arrays) {
    String out = fmt;
    for (Array a : arrays) {
      out = out.replaceFirst("\\{\\}", a.toString());
    }
    System.out.println(out);
  }

  /** As the engine's, eagerly: calls {@code fn} with the arrays. */
  public static void callback(java.util.function.Consumer<Array[]> fn, Array... arrays) {
    fn.accept(arrays.clone());
  }
}
