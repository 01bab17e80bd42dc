package dev.statelens.engine;

/**
 * A parameter initializer, JAX's {@code jax.nn.initializers} function type
 * {@code init(key, shape, dtype) -> Array}. Make them with {@link Init}:
 *
 * <pre>{@code
 * Initializer glorot = Init.glorotUniform();
 * Array w = glorot.init(key, 784, 128);              // F32 [784, 128]
 * Array w64 = glorot.init(key, new int[] {784, 128}, DType.F64);
 * }</pre>
 */
@FunctionalInterface
public interface Initializer {

  /** {@code init(key, shape, dtype)}: a new array of {@code shape} and {@code dtype}. */
  Array init(Key key, int[] shape, DType dtype);

  /** {@code init(key, shape)} in F32 (JAX's default dtype without x64). */
  default Array init(Key key, int... shape) {
    return init(key, shape, DType.F32);
  }
}
