package dev.statelens.lint;

import java.util.Locale;

/** How serious a finding is. The text report prints {@link #label()}, SARIF maps it to its levels. */
public enum Severity {
  ERROR,
  WARNING,
  INFO;

  /** Lower-case name as printed in reports ({@code error}, {@code warning}, {@code info}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** SARIF 2.1.0 {@code level}: {@code error}, {@code warning} or {@code note}. */
  public String sarifLevel() {
    return this == INFO ? "note" : label();
  }

  /** Parses {@code error|warning|info} (case-insensitive), or says what is accepted. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.label().equalsIgnoreCase(text.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown severity '" + text + "': use error, warning or info");
  }

  /** True when this severity is at least as serious as {@code other}. */
  public boolean atLeast(Severity other) {
    return ordinal() <= other.ordinal();
  }
}
