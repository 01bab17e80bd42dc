package dev.statelens.lint.analysis;

/**
 * What the analysis knows about a value.
 *
 * @param traced derived from the transformed function's parameters, so a tracer under jit
 * @param origin where the object comes from
 */
public record Facts(boolean traced, Origin origin) {

  /** A constant or primitive computed from constants. */
  public static final Facts CONSTANT = new Facts(false, Origin.FRESH);
  public static final Facts UNKNOWN = new Facts(false, Origin.UNKNOWN);
  public static final Facts OUTER = new Facts(false, Origin.OUTER);

  public Facts join(Facts other) {
    if (other == null) {
      return this;
    }
    return new Facts(traced || other.traced, origin.join(other.origin));
  }

  public Facts withTraced(boolean t) {
    return t == traced ? this : new Facts(t, origin);
  }
}
