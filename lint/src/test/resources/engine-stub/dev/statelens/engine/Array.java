package dev.statelens.engine;

/** Test stub of the engine's Array: a scalar, just enough API for quick-fix results to compile and run. */
public final class Array {
  private final double value;

  private Array(double value) {
    this.value = value;
  }

  public static Array scalar(double v) {
    return new Array(v);
  }

  public Array add(double v) {
    return new Array(value + v);
  }

  public Array add(Array o) {
    return new Array(value + o.value);
  }

  public Array mul(double v) {
    return new Array(value * v);
  }

  public Array mul(Array o) {
    return new Array(value * o.value);
  }

  public Array neg() {
    return new Array(-value);
  }

  public Array sum() {
    return this;
  }

  public double item() {
    return value;
  }

  public float floatValue() {
    return (float) value;
  }

  @Override
  public String toString() {
    return Double.toString(value);
  }
}
