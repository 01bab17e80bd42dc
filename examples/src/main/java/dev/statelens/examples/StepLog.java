package dev.statelens.examples;

/** Told the loss at some steps of a training loop (the examples print it). */
@FunctionalInterface
public interface StepLog {
  void log(int step, double loss);
}
