package dev.statelens.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits large kernels over the cores (the common ForkJoin pool plus the calling thread); small
 * ones run inline, because handing work to another thread costs microseconds.
 *
 * <p>The number of threads is {@code Runtime.availableProcessors()} unless the system property
 * {@code statelens.cpu.threads} sets it ({@code 1} turns threading off).
 */
public final class Parallel {
  /** Elementwise work below this many elements per part is not worth another thread. */
  public static final int ELEMENTWISE_GRAIN = 32_768;

  private static final int THREADS = configuredThreads();

  private Parallel() {}

  /** A range body: processes {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  private static int configuredThreads() {
    String s = System.getProperty("statelens.cpu.threads");
    if (s != null && !s.isBlank()) {
      try {
        int t = Integer.parseInt(s.trim());
        if (t >= 1) {
          return t;
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
      throw new IllegalArgumentException("statelens.cpu.threads must be a positive integer, got '" + s
          + "'; use 1 to run every kernel on the calling thread");
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /** Threads kernels may use (the calling thread included). */
  public static int threads() {
    return THREADS;
  }

  /** How many parts {@code n} units of work split into when each part should hold {@code grain}. */
  public static int parts(long n, long grain) {
    if (THREADS == 1 || n < 2 * grain) {
      return 1;
    }
    return (int) Math.min(THREADS, n / grain);
  }

  /**
   * Runs {@code body} over {@code [0, n)} in {@code parts} contiguous pieces (part 0 on the calling
   * thread), returning when all are done. Piece boundaries are multiples of {@code align}.
   */
  public static void forRange(int n, int parts, int align, Range body) {
    if (parts <= 1 || n <= align) {
      body.run(0, n);
      return;
    }
    int units = (n + align - 1) / align;
    parts = Math.min(parts, units);
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
    // failures are kept as thrown: ForkJoinTask.join would wrap them in a copy
    Throwable[] failures = new Throwable[parts];
    for (int p = 1; p < parts; p++) {
      int from = Math.min(n, (int) ((long) units * p / parts) * align);
      int to = Math.min(n, (int) ((long) units * (p + 1) / parts) * align);
      int part = p;
      RecursiveAction t = new RecursiveAction() {
        @Override
        protected void compute() {
          try {
            body.run(from, to);
          } catch (RuntimeException | Error e) {
            failures[part] = e;
          }
        }
      };
      tasks[p - 1] = ForkJoinTask.inForkJoinPool() ? t.fork() : ForkJoinPool.commonPool().submit(t);
    }
    try {
      body.run(0, Math.min(n, (int) ((long) units / parts) * align));
    } catch (RuntimeException | Error e) {
      failures[0] = e;
    }
    for (ForkJoinTask<?> t : tasks) {
      t.join();
    }
    for (Throwable f : failures) {
      if (f instanceof RuntimeException re) {
        throw re;
      }
      if (f instanceof Error err) {
        throw err;
      }
    }
  }

  /** {@link #forRange} for elementwise work: parts sized by {@link #ELEMENTWISE_GRAIN}. */
  public static void elementwise(int n, Range body) {
    forRange(n, parts(n, ELEMENTWISE_GRAIN), 64, body);
  }
}
