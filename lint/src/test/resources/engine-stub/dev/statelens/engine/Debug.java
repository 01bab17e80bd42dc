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
}
