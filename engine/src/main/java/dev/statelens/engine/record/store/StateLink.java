package dev.statelens.engine.record.store;

/**
 * State threading: for steps {@code firstStep..lastStep} of {@code function}, input {@code inPath}
 * of step t was (the same array as) output {@code outPath} of step t - 1.
 */
public record StateLink(String function, String inPath, String outPath, long firstStep, long lastStep) {
  public boolean covers(long step) {
    return step >= firstStep && step <= lastStep;
  }
}
