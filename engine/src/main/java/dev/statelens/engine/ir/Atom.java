package dev.statelens.engine.ir;

/** An equation operand: a variable or an inline scalar literal. */
public sealed interface Atom permits Var, Literal {
  Aval aval();
}
