package dev.statelens.engine.batching;

import dev.statelens.engine.Array;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.trace.TraceStack;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code vmap}: calls a function once on tracers that stand for one batch element each, and
 * batches every operation it performs (JAX's {@code jax.vmap}). Each argument is a pytree; an
 * argument's in-axis applies to all of its array leaves ({@code null} means not mapped: the same
 * value for every element). Outputs carry the batch on axis 0 ({@code out_axes=0}).
 */
public final class Vmap {
  /** The method under which the user's function runs (for naming the trace from the stack). */
  static final String CALL_METHOD = "call";

  private Vmap() {}

  /**
   * Calls {@code fn} batched.
   *
   * @param name name for error messages ({@code vmap(name)})
   * @param args the actual arguments
   * @param inAxes per argument: the mapped axis of every leaf (negative counts from the end), or
   *     null for an unmapped argument
   */
  public static Object call(String name, Object[] args, Integer[] inAxes, Function<Object[], Object> fn) {
    if (inAxes.length != args.length) {
      throw new IllegalArgumentException("vmap(" + name + "): " + inAxes.length
          + " in_axes for " + args.length + " arguments");
    }
    // 1. find the batch size and move every mapped axis to the front
    int batch = -1;
    String batchSource = null;
    List<Tree.Flat> flats = new ArrayList<>(args.length);
    List<List<Array>> moved = new ArrayList<>(args.length);
    for (int i = 0; i < args.length; i++) {
      if (inAxes[i] == null) { // passed unchanged: need not even be a pytree
        flats.add(null);
        moved.add(null);
        continue;
      }
      Tree.Flat flat = Tree.flatten(args[i]);
      flats.add(flat);
      List<String> paths = flat.def().paths("arg" + i);
      List<Array> leaves = new ArrayList<>(flat.leaves().size());
      for (int j = 0; j < flat.leaves().size(); j++) {
        Array leaf = flat.leaves().get(j);
        int axis = normalizeAxis(name, inAxes[i], leaf, paths.get(j));
        int size = leaf.shape()[axis];
        String source = paths.get(j) + " (axis " + axis + " of " + ShapeError.format(leaf.shape()) + ")";
        if (batch < 0) {
          batch = size;
          batchSource = source;
        } else if (size != batch) {
          throw new ShapeError("vmap(" + name + "): mapped axes have different sizes: " + batchSource
              + " has " + batch + " but " + source + " has " + size
              + "; every mapped leaf needs the same batch size (pass null in_axes for arguments "
              + "that should not be mapped)");
        }
        leaves.add(Batching.moveAxisToFront(leaf, axis));
      }
      moved.add(leaves);
    }
    if (batch < 0) {
      throw new IllegalArgumentException("vmap(" + name + "): no array is mapped (every argument "
          + "is unmapped or has no array leaves), so the batch size is unknown; map at least one "
          + "argument with an in_axis such as 0");
    }
    // 2. run the function once on batch tracers
    BatchTrace trace = BatchTrace.push(name, batch);
    List<Batched> outs = new ArrayList<>();
    Tree.Flat outFlat;
    try {
      Object[] wrappedArgs = new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        if (moved.get(i) == null) {
          wrappedArgs[i] = args[i];
          continue;
        }
        List<Array> wrapped = new ArrayList<>();
        for (Array a : moved.get(i)) {
          wrapped.add(trace.wrap(Batched.mapped(a)));
        }
        wrappedArgs[i] = flats.get(i).def().unflatten(wrapped);
      }
      outFlat = Tree.flatten(fn.apply(wrappedArgs));
      for (Array a : outFlat.leaves()) {
        if (a.tracer() != null) {
          TraceStack.checkAlive(a.tracer(), "output of vmap(" + name + ")");
        }
        outs.add(trace.unwrap(a));
      }
    } finally {
      TraceStack.pop(trace);
    }
    // 3. outputs: batch on axis 0; an output that does not depend on a mapped input is broadcast
    List<Array> result = new ArrayList<>(outs.size());
    for (Batched b : outs) {
      result.add(b.mapped() ? b.value() : Batching.materialize(b, b.value().shape(), batch));
    }
    return outFlat.def().unflatten(result);
  }

  private static int normalizeAxis(String name, int axis, Array leaf, String path) {
    int rank = leaf.ndim();
    if (rank == 0) {
      throw new ShapeError("vmap(" + name + "): " + path + " is a rank-0 array, which has no axis "
          + axis + " to map over; pass that argument unmapped (in_axes null) or give it a batch axis");
    }
    int a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new ShapeError("vmap(" + name + "): in_axes " + axis + " is out of range for " + path
          + " of shape " + ShapeError.format(leaf.shape()) + " (rank " + rank + ")");
    }
    return a;
  }
}
