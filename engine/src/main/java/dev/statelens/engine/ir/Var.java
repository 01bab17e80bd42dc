package dev.statelens.engine.ir;

/**
 * A variable of a jaxpr. Compared by identity; its printed name ({@code a}, {@code b}, ...) is
 * given by the printer from its position in the jaxpr.
 */
public final class Var implements Atom {
  private final Aval aval;

  public Var(Aval aval) {
    this.aval = java.util.Objects.requireNonNull(aval, "aval");
  }

  @Override
  public Aval aval() {
    return aval;
  }

  @Override
  public String toString() {
    return "Var(" + aval + ")@" + Integer.toHexString(System.identityHashCode(this));
  }
}
