package dev.statelens.lint;

import java.util.Locale;

/**
 * The lint rules. Ids are stable (users suppress them by id); {@link #slug()} names the rule in
 * docs anchors and SARIF.
 */
public enum Rule {
  SL000("unused-suppression", Severity.WARNING,
      "@SuppressWarnings(\"statelens...\") that suppresses nothing"),
  SL001("field-write", Severity.WARNING,
      "Field written inside a transformed function: runs once at trace time under jit"),
  SL002("outer-mutation", Severity.WARNING,
      "Object created outside the transformed function is mutated inside it"),
  SL003("io", Severity.WARNING,
      "I/O inside a transformed function runs at trace time only; use Debug.print"),
  SL004("implicit-randomness", Severity.WARNING,
      "Implicit random source inside a transformed function; pass an explicit Key"),
  SL005("clock", Severity.WARNING,
      "Clock read inside a transformed function is frozen at trace time"),
  SL006("baked-in-mutable-read", Severity.INFO,
      "Mutable field read inside a transformed function is baked into the trace"),
  SL007("concretization", Severity.ERROR,
      "Traced value needs a concrete value (item(), Java if/while/?:): ConcretizationError"),
  SL008("leaked-tracer", Severity.ERROR,
      "Traced value stored outside the function (field, static, outer collection)"),
  SL009("discarded-result", Severity.WARNING,
      "Result of an engine operation discarded: arrays are immutable, so the statement does nothing"),
  SL010("key-reuse", Severity.WARNING,
      "The same PRNG Key drawn from twice (or in every loop iteration): correlated random numbers");

  /**
   * Where each rule is documented, with a before/after example ({@code docs/lint.md}). One
   * constant to change when the project publishes its docs elsewhere.
   */
  public static final String DOCS_BASE_URI =
      "https://github.com/statelens/statelens/blob/main/docs/lint.md";

  private final String slug;
  private final Severity defaultSeverity;
  private final String title;

  Rule(String slug, Severity defaultSeverity, String title) {
    this.slug = slug;
    this.defaultSeverity = defaultSeverity;
    this.title = title;
  }

  public String id() {
    return name();
  }

  public String slug() {
    return slug;
  }

  public Severity defaultSeverity() {
    return defaultSeverity;
  }

  /** One-line description (SARIF {@code shortDescription}). */
  public String title() {
    return title;
  }

  /** Link to this rule's section of docs/lint.md. */
  public String helpUri() {
    return DOCS_BASE_URI + "#" + id().toLowerCase(Locale.ROOT) + "-" + slug;
  }

  /** Parses a rule id such as {@code SL001} (case-insensitive), or says which ids exist. */
  public static Rule parse(String id) {
    String trimmed = id.trim();
    for (Rule r : values()) {
      if (r.name().equalsIgnoreCase(trimmed) || r.slug.equalsIgnoreCase(trimmed)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown rule '" + id + "': use one of SL000.." + values()[values().length - 1].id()
            + " (see docs/lint.md)");
  }
}
