package dev.statelens.engine;

/** Operand shapes (or dtypes) that an operation cannot accept; the message names both and the op. */
public class ShapeError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ShapeError(String message) {
    super(message);
  }

  /** Formats a shape as {@code [3,4]} (no spaces), the form used in every error message. */
  public static String format(int[] shape) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(shape[i]);
    }
    return sb.append(']').toString();
  }
}
