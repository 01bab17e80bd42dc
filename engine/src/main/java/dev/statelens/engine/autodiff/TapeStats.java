package dev.statelens.engine.autodiff;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the memory reverse mode keeps for its backward pass: the bytes of the values on the
 * grad tapes of this thread (each recorded operation's outputs, concrete ones only), at their
 * peak while an action runs. A tape counts until its reverse sweep is done; the tapes that
 * {@code checkpoint} (remat) builds to recompute a block in the backward pass count while they
 * live. Used to check that {@code Transforms.checkpoint} saves what it should.
 */
public final class TapeStats {
  private TapeStats() {}

  private static final AtomicInteger MEASURING = new AtomicInteger();
  private static final ThreadLocal<long[]> BYTES = ThreadLocal.withInitial(() -> new long[2]); // {now, peak}

  /** Runs {@code action} and returns the peak residual bytes held by grad tapes meanwhile. */
  public static long peakResidualBytes(Runnable action) {
    long[] s = BYTES.get();
    s[0] = 0;
    s[1] = 0;
    MEASURING.incrementAndGet();
    try {
      action.run();
    } finally {
      MEASURING.decrementAndGet();
    }
    return s[1];
  }

  static void held(long delta) {
    if (MEASURING.get() == 0) {
      return;
    }
    long[] s = BYTES.get();
    s[0] += delta;
    s[1] = Math.max(s[1], s[0]);
  }
}
