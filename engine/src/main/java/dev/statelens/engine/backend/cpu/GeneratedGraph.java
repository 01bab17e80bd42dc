package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.HostArrays;
import java.util.List;

/**
 * A graph compiled by {@link GraphCodegen}: the generated class implements {@link #run}; the
 * {@link Runner} around it hands each call its scratch arrays.
 */
interface GeneratedGraph {
  /**
   * Runs the graph on host arrays (constvars then invars) and returns the outputs' host arrays.
   * {@code scratch} holds the arrays the code keeps between its loops; they are overwritten.
   */
  Object[] run(Object[] inputs, Object[] scratch);

  /**
   * Calls a generated graph with per-thread scratch arrays, so that concurrent calls of one
   * jitted function never share them, and a call that re-enters on the same thread (a
   * {@code debug_print} callback that calls the function again) gets fresh ones.
   */
  final class Runner {
    private final GeneratedGraph code;
    private final List<String> stepNames;
    private final DType[] scratchTypes;
    private final int[] scratchSizes;
    private final ThreadLocal<Scratch> scratch = new ThreadLocal<>();
    /**
     * The first thread that ran the graph, and its scratch: the common one-thread training loop
     * finds its scratch with one field compare instead of a {@code ThreadLocal} probe. Written
     * once, by that thread itself (so it always sees its own writes; another thread reads a
     * different or null owner and takes the {@code ThreadLocal}).
     */
    private Thread owner;
    private Scratch ownerScratch;

    private static final Object[] NONE = {};

    /** One thread's scratch arrays; {@code busy} while a call on that thread uses them. */
    private static final class Scratch {
      final Object[] arrays;
      boolean busy;

      Scratch(Object[] arrays) {
        this.arrays = arrays;
      }
    }

    Runner(GeneratedGraph code, List<String> stepNames, DType[] scratchTypes, int[] scratchSizes) {
      this.code = code;
      this.stepNames = List.copyOf(stepNames);
      this.scratchTypes = scratchTypes;
      this.scratchSizes = scratchSizes;
    }

    /** The generated (hidden) class, for tests that look at its methods. */
    Class<?> codeClass() {
      return code.getClass();
    }

    /** The generated steps: {@code loop[mul,add,reduce_sum]}, {@code scalar[div]}, kernel names. */
    List<String> stepNames() {
      return stepNames;
    }

    Object[] run(Object[] inputs) {
      if (scratchTypes.length == 0) {
        return code.run(inputs, NONE);
      }
      Thread t = Thread.currentThread();
      Scratch s = owner == t ? ownerScratch : scratchOf(t);
      if (s.busy) {
        return code.run(inputs, allocate()); // re-entered on this thread
      }
      s.busy = true;
      try {
        return code.run(inputs, s.arrays);
      } finally {
        s.busy = false;
      }
    }

    /** Scratch of a thread that is not (yet known as) the owner: claims ownership if free. */
    private Scratch scratchOf(Thread t) {
      synchronized (this) {
        if (owner == null) {
          ownerScratch = new Scratch(allocate());
          owner = t; // after ownerScratch: t reads both in program order
          return ownerScratch;
        }
      }
      Scratch s = scratch.get();
      if (s == null) {
        s = new Scratch(allocate());
        scratch.set(s);
      }
      return s;
    }

    private Object[] allocate() {
      Object[] arrays = new Object[scratchTypes.length];
      for (int i = 0; i < arrays.length; i++) {
        arrays[i] = HostArrays.allocate(scratchTypes[i], scratchSizes[i]);
      }
      return arrays;
    }
  }
}
