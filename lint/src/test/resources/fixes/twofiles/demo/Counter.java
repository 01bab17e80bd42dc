package demo;

import dev.statelens.engine.Array;

public class Counter {
  Array n = Array.scalar(0);

  public Array count() {
    n = n.add(1);
    return n;
  }

  public void reset() {
    n = Array.scalar(0);
  }
}
