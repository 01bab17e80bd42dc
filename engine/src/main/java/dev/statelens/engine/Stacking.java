package dev.statelens.engine;

/**
 * {@code jnp.atleast_1d/2d/3d}, {@code hstack}, {@code vstack}, {@code dstack} and
 * {@code column_stack}: reshapes to a minimum rank, then one {@link Array#concatenate} (dtypes
 * promote), as {@code jax/_src/numpy/lax_numpy.py}. See docs/arrays.md.
 */
final class Stacking {
  private Stacking() {}

  /** {@code jnp.atleast_1d}: a scalar becomes shape [1]; higher ranks are unchanged. */
  static Array atleast1d(Array x) {
    return x.ndim() >= 1 ? x : x.reshape(1);
  }

  /** {@code jnp.atleast_2d}: [] to [1, 1], [n] to [1, n]. */
  static Array atleast2d(Array x) {
    return switch (x.ndim()) {
      case 0 -> x.reshape(1, 1);
      case 1 -> x.reshape(1, x.dim(0));
      default -> x;
    };
  }

  /** {@code jnp.atleast_3d}: [] to [1, 1, 1], [n] to [1, n, 1], [m, n] to [m, n, 1]. */
  static Array atleast3d(Array x) {
    return switch (x.ndim()) {
      case 0 -> x.reshape(1, 1, 1);
      case 1 -> x.reshape(1, x.dim(0), 1);
      case 2 -> x.reshape(x.dim(0), x.dim(1), 1);
      default -> x;
    };
  }

  /** {@code jnp.hstack}: 1-d (and scalar) inputs join along axis 0, others along axis 1. */
  static Array hstack(Array... xs) {
    Array[] a = each("hstack", xs, Stacking::atleast1d);
    return Array.concatenate(a[0].ndim() == 1 ? 0 : 1, a);
  }

  /** {@code jnp.vstack}: rows on top of each other (vectors become rows). */
  static Array vstack(Array... xs) {
    return Array.concatenate(0, each("vstack", xs, Stacking::atleast2d));
  }

  /** {@code jnp.dstack}: along the third axis. */
  static Array dstack(Array... xs) {
    return Array.concatenate(2, each("dstack", xs, Stacking::atleast3d));
  }

  /** {@code jnp.column_stack}: vectors become columns ([n] to [n, 1]), then join along axis 1. */
  static Array columnStack(Array... xs) {
    return Array.concatenate(1, each("columnStack", xs, x -> x.ndim() < 2 ? atleast2d(x).transpose() : x));
  }

  private static Array[] each(String op, Array[] xs, java.util.function.UnaryOperator<Array> f) {
    if (xs.length == 0) {
      throw new ShapeError(op + ": needs at least one array");
    }
    Array[] r = new Array[xs.length];
    for (int i = 0; i < xs.length; i++) {
      r[i] = f.apply(xs[i]);
    }
    return r;
  }
}
