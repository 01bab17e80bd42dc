package dev.statelens.engine.record.store;

import dev.statelens.engine.Array;
import java.util.List;

/** What the recorder hands to the {@link RunWriter}'s background thread, one message per fact. */
public sealed interface WriteTask {

  /** A jitted function seen for the first time. */
  record Function(int id, String name) implements WriteTask {}

  /**
   * A function's name and where it is in the source ({@code functions.source}); sent once, after
   * its first call, when the first trace has shown which method it runs (and so its name, for an
   * unnamed {@code jit}: the {@link Function} row, written when the first call starts, has only
   * {@code <lambda>}). The sources may be null.
   */
  record FunctionSource(int id, String name, SourceRef implementation, SourceRef jitSite) implements WriteTask {}

  /**
   * A graph traced (compiled) for the first time; {@code structure} is JSON (see run-store.md).
   * {@code inSources}/{@code outSources}: per leaf, the record component holding it (null entries
   * for none); null lists when unknown. {@code eqnSources}: per top-level equation of the graph,
   * where the user's code bound it (null entries for unknown); null when the trace kept none.
   */
  record Graph(int id, int functionId, int traceIndex, long firstSeq, String signature,
      List<String> inPaths, List<String> outPaths, String irText, String structure,
      List<SourceRef> inSources, List<SourceRef> outSources, List<EqnSource> eqnSources) implements WriteTask {

    /** Without leaf sources. */
    public Graph(int id, int functionId, int traceIndex, long firstSeq, String signature,
        List<String> inPaths, List<String> outPaths, String irText, String structure) {
      this(id, functionId, traceIndex, firstSeq, signature, inPaths, outPaths, irText, structure, null, null, null);
    }

    /** Without equation sources. */
    public Graph(int id, int functionId, int traceIndex, long firstSeq, String signature,
        List<String> inPaths, List<String> outPaths, String irText, String structure,
        List<SourceRef> inSources, List<SourceRef> outSources) {
      this(id, functionId, traceIndex, firstSeq, signature, inPaths, outPaths, irText, structure, inSources,
          outSources, null);
    }
  }

  /**
   * One top-level call, with the scalars it produced: one hand-off per call. The leaves are
   * immutable arrays: the writer thread reads their values, so the calling thread pays only for
   * building this record.
   *
   * @param inputs the input leaves, or null when this call keeps no value snapshot (failed, or
   *     between snapshots with {@code statelens.record.every} &gt; 1; {@code inPaths} and
   *     {@code linkFrom} are still given so state links stay per call)
   * @param linkFrom for each input leaf, the index of the previous call's output leaf it is (by
   *     identity), or -1
   * @param prevOutPaths output paths of the previous call of the same function (for linkFrom)
   * @param loss a one-element output leaf logged as the scalar {@code loss}, or null
   * @param scalarNames scalars the call's taps delivered (gradient norms), or null; values in
   *     {@code scalarValues}
   */
  record Call(long seq, int functionId, long step, int graphId, boolean compiled, String retraceReason,
      long startNanos, long wallNanos, int stale, String error,
      List<String> inPaths, List<Array> inputs, List<String> outPaths, List<Array> outputs,
      int[] linkFrom, List<String> prevOutPaths, Array loss, String[] scalarNames, double[] scalarValues)
      implements WriteTask {

    /** A call without scalars. */
    public Call(long seq, int functionId, long step, int graphId, boolean compiled, String retraceReason,
        long startNanos, long wallNanos, int stale, String error,
        List<String> inPaths, List<Array> inputs, List<String> outPaths, List<Array> outputs,
        int[] linkFrom, List<String> prevOutPaths) {
      this(seq, functionId, step, graphId, compiled, retraceReason, startNanos, wallNanos, stale, error, inPaths,
          inputs, outPaths, outputs, linkFrom, prevOutPaths, null, null, null);
    }

    /** Whether the call's leaves (statistics and values) are recorded. */
    public boolean hasValues() {
      return inputs != null;
    }
  }

  /**
   * A scalar the program logged (or an output leaf named {@code loss}): {@code value}, or when
   * {@code array} is not null its single element (read on the writer thread).
   */
  record Scalar(String name, long step, long seq, double value, Array array) implements WriteTask {}

  /** An event (kinds in {@link EventKind}). */
  record Event(long seq, Integer functionId, Long step, String kind, String path, String message)
      implements WriteTask {}

  /** A {@code meta} key/value. */
  record Meta(String key, String value) implements WriteTask {}
}
