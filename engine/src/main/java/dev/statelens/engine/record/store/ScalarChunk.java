package dev.statelens.engine.record.store;

/**
 * Writer side of one logged scalar: its open {@code scalar_chunks} row. Values arrive in step
 * order in the common case (one function's steps), and are appended; a value at the step of the
 * last one replaces it (the last value logged at a step wins); a value at an earlier step (a second
 * function's loss, whose steps count from 0 again) cannot join a chunk without breaking the
 * chunks' step order, so {@link #add} says it goes to a {@code scalars} row instead. Chunks of a
 * series therefore never overlap and are in step order, which the reader's range queries rely on.
 */
final class ScalarChunk {
  /** What {@link #add} did with a value. */
  enum Added { APPENDED, REPLACED, FULL, EARLIER }

  final int seriesId;
  private final long[] steps = new long[Schema.SCALAR_CHUNK];
  private final long[] seqs = new long[Schema.SCALAR_CHUNK];
  private final double[] values = new double[Schema.SCALAR_CHUNK];
  private int n;
  /** In the writer's list of chunks to rewrite at the next commit. */
  boolean dirty;

  ScalarChunk(int seriesId) {
    this.seriesId = seriesId;
  }

  /**
   * Adds a value unless it belongs elsewhere: {@code FULL} — the chunk is full and this is a new
   * step: write the chunk, {@link #restart}, add again; {@code EARLIER} — the step is before the
   * last one: store it as a {@code scalars} row.
   */
  Added add(long step, long seq, double value) {
    if (n > 0) {
      long last = steps[n - 1];
      if (step == last) {
        seqs[n - 1] = seq;
        values[n - 1] = value;
        return Added.REPLACED;
      }
      if (step < last) {
        return Added.EARLIER;
      }
      if (n == steps.length) {
        return Added.FULL;
      }
    }
    steps[n] = step;
    seqs[n] = seq;
    values[n] = value;
    n++;
    return Added.APPENDED;
  }

  /**
   * Empties a full chunk once it is written. Only called on {@code FULL}, right before the value
   * that did not fit (a later step) is added, so the chunk's next first step is past everything
   * written before.
   */
  void restart() {
    n = 0;
  }

  boolean isEmpty() {
    return n == 0;
  }

  long firstStep() {
    return steps[0];
  }

  long lastStep() {
    return steps[n - 1];
  }

  int size() {
    return n;
  }

  /** The smallest and largest value, NaN left out (±Inf kept); NaN, NaN when all are NaN. */
  double[] loHi() {
    double lo = Double.NaN, hi = Double.NaN;
    for (int i = 0; i < n; i++) {
      double v = values[i];
      if (!Double.isNaN(v)) {
        lo = Double.isNaN(lo) || v < lo ? v : lo;
        hi = Double.isNaN(hi) || v > hi ? v : hi;
      }
    }
    return new double[] {lo, hi};
  }

  byte[] encode() {
    return ScalarCodec.encode(steps, seqs, values, n);
  }
}
