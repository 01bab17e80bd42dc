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
      "Traced value needs a concrete value (item(), Java if/while/?:, Nonzero without a size): ConcretizationError"),
  SL008("leaked-tracer", Severity.ERROR,
      "Traced value stored outside the function (field, static, outer collection)"),
  SL009("discarded-result", Severity.WARNING,
      "Result of an engine operation discarded: arrays are immutable, so the statement does nothing"),
  SL010("key-reuse", Severity.WARNING,
      "The same PRNG Key drawn from twice (or in every loop iteration): correlated random numbers"),
  SL011("jit-per-call", Severity.WARNING,
      "Transforms.jit created anew in every loop iteration: it traces and compiles again each time");

  /**
   * Where each rule is documented, with a before/after example: {@code docs/lint.md} of the
   * StateLens repository and distribution. A path, not a web address: the project publishes no
   * docs site, so reports link to one only when given its address (the CLI's {@code --docs-uri}).
   */
  public static final String DOCS = "docs/lint.md";

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

  /** This rule's section of docs/lint.md as a relative reference: {@code docs/lint.md#sl010-key-reuse}. */
  public String helpUri() {
    return DOCS + "#" + anchor();
  }

  /** This rule's section in docs published at {@code docsUri} (an absolute docs/lint.md address). */
  public String helpUri(String docsUri) {
    return docsUri + "#" + anchor();
  }

  /** The heading's anchor in docs/lint.md: {@code sl010-key-reuse}. */
  public String anchor() {
    return id().toLowerCase(Locale.ROOT) + "-" + slug;
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
