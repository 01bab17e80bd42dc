package dev.statelens.lint.fix;

import java.util.Locale;

/** The quick fixes, by the ids that findings list. */
public enum FixId {
  EXPLICIT_STATE("Convert to explicit state"),
  DEBUG_PRINT("Replace with Debug.print"),
  DEBUG_CALLBACK("Run it in Debug.callback"),
  KEY_PARAMETER("Add a Key parameter"),
  USE_RESULT("Use the result"),
  SPLIT_KEY("Split the key"),
  FOLD_IN("Fold in the loop index"),
  HOIST_JIT("Create the jit once, before the loop"),
  SUPPRESS("Suppress with @SuppressWarnings");

  private final String label;

  FixId(String label) {
    this.label = label;
  }

  /** The id as it appears in findings and JSON: {@code explicit-state}, {@code debug-print}... */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public String label() {
    return label;
  }

  public static FixId parse(String id) {
    for (FixId f : values()) {
      if (f.id().equals(id)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown fix '" + id
        + "': use explicit-state, debug-print, debug-callback, key-parameter, use-result, split-key, fold-in, hoist-jit or suppress");
  }
}
