package dev.statelens.engine.record.store;

/**
 * A recorded series: one leaf of a function's inputs ({@code role = "in"}) or outputs
 * ({@code "out"}) by path, or a logged scalar ({@code role = "scalar"}, function null).
 */
public record SeriesInfo(int id, String function, String role, int position, String path) {
  public boolean isScalar() {
    return "scalar".equals(role);
  }
}
