package dev.statelens.engine.ir;

import java.util.List;

/** One equation of a jaxpr: {@code outputs = primitive[params] inputs}. */
public record Eqn(Primitive primitive, Params params, List<Atom> inputs, List<Var> outputs) {

  public Eqn {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  @Override
  public String toString() {
    return JaxprPrinter.printEqn(this);
  }
}
