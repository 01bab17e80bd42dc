package dev.statelens.engine.record.store;

/**
 * Whether a recorded run also logs gradient and update norms (docs/run-store.md, "Gradient and
 * update norms"): on unless {@code -Dstatelens.record.norms=false} or
 * {@code STATELENS_RECORD_NORMS=false}. Off, the recorder adds no taps to traced graphs and the
 * writer computes no update norms (about 30 scalar rows per step fewer for an MLP with Adam).
 * Read when a recorder opens.
 */
public final class RecordNorms {
  private RecordNorms() {}

  public static boolean enabled() {
    String v = System.getProperty("statelens.record.norms");
    if (v == null || v.isBlank()) {
      v = System.getenv("STATELENS_RECORD_NORMS");
    }
    return v == null || v.isBlank() || !v.trim().equalsIgnoreCase("false");
  }
}
