package dev.statelens.engine.checkpoint;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.backend.Backends;
import dev.statelens.engine.backend.HalfFloats;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one recorded step of a run (the debugger's "Export state at this step as .npz…") as an
 * {@code .npz}: every input and output leaf of the function at that step whose full values the run
 * store holds, named by its store key, {@code in:state.params.w} or {@code out:loss}. A leaf larger
 * than the recording's {@code maxValues} (default 64) is kept in the store only as statistics and
 * an evenly spaced sample, so it cannot be exported; {@link Result#summarized()} names those.
 *
 * <p>Values come back exactly for F32, F64, I32, U32 and BOOL (the store keeps the raw elements),
 * except that a signalling NaN comes back quiet.
 */
public final class RecordedStepExport {

  private RecordedStepExport() {}

  /** What an export wrote: the file, the leaves in it, and the leaves left out (only a sample recorded). */
  public record Result(Path file, List<String> exported, List<String> summarized) {}

  /**
   * Exports step {@code step} of {@code function} from {@code store} to {@code file}.
   *
   * @throws CheckpointException if the step was not recorded (a recording keeps every
   *     {@code every}-th step) or none of its leaves has full values; nothing is written then
   */
  public static Result export(RunStore store, String function, long step, Path file) throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(file, "file");
    List<LeafSample> leaves = store.state(function, step);
    if (leaves.isEmpty()) {
      throw new CheckpointException("Export: the run " + store.path() + " has no recorded state of '" + function
          + "' at step " + step + " (a recording with statelens.record.every=K keeps every K-th step); pick a "
          + "recorded step");
    }
    Map<String, Array> arrays = new LinkedHashMap<>();
    List<String> summarized = new ArrayList<>();
    for (LeafSample leaf : leaves) {
      if (leaf.sampled() || leaf.values() == null || leaf.values().length != leaf.size()) {
        summarized.add(leaf.key());
      } else {
        arrays.put(leaf.key(), toArray(leaf));
      }
    }
    if (arrays.isEmpty()) {
      throw new CheckpointException("Export: no leaf of '" + function + "' at step " + step + " in " + store.path()
          + " has its full values recorded (only statistics and a sample of " + summarized.size()
          + " leaves); record again with a larger -Dstatelens.record.maxValues=N (N at least the largest leaf's size)");
    }
    Checkpoints.saveArrays(file, arrays);
    return new Result(file, List.copyOf(arrays.keySet()), List.copyOf(summarized));
  }

  private static Array toArray(LeafSample leaf) {
    DType dtype = leaf.dtype();
    double[] values = leaf.values();
    Object host = HostArrays.allocate(dtype, values.length);
    for (int i = 0; i < values.length; i++) {
      switch (dtype) {
        case F32 -> ((float[]) host)[i] = (float) values[i]; // recorded as f32: exact
        case F64 -> ((double[]) host)[i] = values[i];
        case BF16, F16 -> ((short[]) host)[i] = HalfFloats.fromDouble(dtype, values[i]); // recorded widened: exact
        case I32 -> ((int[]) host)[i] = (int) values[i];
        case U32 -> ((int[]) host)[i] = (int) (long) values[i]; // recorded unsigned: back to the raw bits
        case BOOL -> ((boolean[]) host)[i] = values[i] != 0;
      }
    }
    return Array.fromBuffer(Backends.current().upload(Aval.of(dtype, leaf.shape()), host));
  }
}
