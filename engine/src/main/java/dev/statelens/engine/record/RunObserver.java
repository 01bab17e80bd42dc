package dev.statelens.engine.record;

/** Hears what the {@link Recorder} records, on the calling thread (the live control channel uses it). */
interface RunObserver {
  void event(String kind, String function, long step, String message);

  void scalar(String name, double value);

  /** Whether the observer needs the loss output read on the calling thread (costs a download). */
  boolean wantsLoss();

  /** The recorder is closing: every call is in the writer's queue, the run not yet marked finished. */
  default void closing() {}
}
