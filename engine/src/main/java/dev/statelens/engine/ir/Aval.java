package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import java.util.Arrays;

/** Abstract value: a shape and a dtype, what a tracer knows about an array. Immutable. */
public final class Aval {
  private final int[] shape;
  private final DType dtype;
  private final int size;
  private final int hash;

  private Aval(DType dtype, int[] shape) {
    this.dtype = java.util.Objects.requireNonNull(dtype, "dtype");
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new ShapeError("negative dimension in shape " + ShapeError.format(shape)
            + ": dimensions must be >= 0");
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new ShapeError("shape " + ShapeError.format(shape) + " has more than 2^31-1 elements");
      }
    }
    this.shape = shape;
    this.size = (int) n;
    this.hash = 31 * Arrays.hashCode(shape) + dtype.hashCode();
  }

  public static Aval of(DType dtype, int... shape) {
    return new Aval(dtype, shape.clone());
  }

  public static Aval scalar(DType dtype) {
    return new Aval(dtype, new int[0]);
  }

  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int axis) {
    return shape[axis];
  }

  /** Number of elements. */
  public int size() {
    return size;
  }

  public boolean isScalar() {
    return shape.length == 0;
  }

  public boolean sameShape(Aval other) {
    return Arrays.equals(shape, other.shape);
  }

  public boolean sameShape(int[] other) {
    return Arrays.equals(shape, other);
  }

  public Aval withDType(DType newDType) {
    return newDType == dtype ? this : new Aval(newDType, shape);
  }

  public Aval withShape(int... newShape) {
    return new Aval(dtype, newShape.clone());
  }

  /** Shape as {@code [3,4]}. */
  public String shapeString() {
    return ShapeError.format(shape);
  }

  /**
   * The Java arguments that make this dtype and shape, {@code DType.F32, 3, 4}: an error message's
   * fix writes {@code "Aval.of(" + javaArgs() + ")"} or {@code "Array.zeros(" + javaArgs() + ")"}.
   */
  public String javaArgs() {
    StringBuilder sb = new StringBuilder("DType.").append(dtype.name());
    for (int d : shape) {
      sb.append(", ").append(d);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Aval a && a.hash == hash && a.dtype == dtype && Arrays.equals(a.shape, shape);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Jaxpr form: {@code f32[3,4]}, {@code i32[]}. */
  @Override
  public String toString() {
    return dtype.shortName() + shapeString();
  }
}
