package dev.statelens.engine.ir;

import java.util.List;

/**
 * The shape/dtype rule of a primitive: output avals from input avals and params. Throws
 * {@link dev.statelens.engine.ShapeError} for operands the primitive cannot accept.
 */
@FunctionalInterface
public interface AbstractEval {
  List<Aval> apply(List<Aval> inputs, Params params);
}
