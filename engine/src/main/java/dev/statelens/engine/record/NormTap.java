package dev.statelens.engine.record;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import dev.statelens.engine.Tree;
import dev.statelens.engine.autodiff.Vjp;
import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.trace.JitFrame;
import dev.statelens.engine.trace.RecordingTaps;
import java.util.ArrayList;
import java.util.List;

/**
 * The L2 norms of a pytree's leaves, handed to the recorder at run time: the graph computes each
 * leaf's sum of squares and stacks them into one small vector, and the effectful {@code tap_norms}
 * primitive passes that vector to {@link Recorder} (one host callback per call; on a GPU only
 * these few floats are copied). The recorder logs them as scalars {@code name/<path>} and the
 * global {@code name} (the norm over all leaves) at the call's step.
 *
 * <p>Taps are added only while a run is recorded ({@link RecordingTaps}); otherwise the traced
 * graph is unchanged.
 */
final class NormTap {
  private NormTap() {}

  /** Operand: f32[n] or f64[n], the leaves' sums of squares; params: name, paths (n labels). No outputs. */
  static final Primitive TAP_NORMS = new Primitive("tap_norms", (in, p) -> {
    if (in.size() != 1 || in.get(0).rank() != 1 || !in.get(0).dtype().isFloating()) {
      throw new ShapeError("tap_norms takes one f32[n] or f64[n] vector of sums of squares, got " + in);
    }
    return List.of();
  }, true);

  static {
    CpuKernels.register(TAP_NORMS, (p, in, out) -> {
      Labels labels = p.get("paths") instanceof Labels l ? l : new Labels(p.getString("name"), p.getList("paths"));
      deliver(labels, norms(in[0]));
      return new CpuBuffer[0];
    });
    Vjp.register(TAP_NORMS, Vjp.ZERO); // a side channel: contributes nothing to gradients
  }

  /** {@link RecordingTaps.Tapper} for optimizers: gradient norms named like the params they update. */
  static final RecordingTaps.Tapper OPTIMIZER = (grads, params) -> tap("grad_norm", grads, paramPaths(params));

  /** Taps the norms of {@code tree}'s leaves, labelled by the tree's own paths ({@code .weight}). */
  static void tap(String name, Object tree) {
    tap(name, tree, Tree.flatten(tree).def().paths(""));
  }

  /** Adds the tap to the graph being traced, or (eager) hands the norms over at once. */
  static void tap(String name, Object tree, List<String> paths) {
    List<Array> leaves = Tree.flatten(tree).leaves();
    if (leaves.isEmpty()) {
      return;
    }
    DType dt = DType.F32;
    for (Array a : leaves) {
      if (a.dtype() == DType.F64) {
        dt = DType.F64;
      }
    }
    Array[] squares = new Array[leaves.size()];
    for (int i = 0; i < squares.length; i++) {
      Array x = leaves.get(i).astype(dt);
      squares[i] = x.mul(x).sum(); // the square root is taken on the host: one equation less per leaf
    }
    TAP_NORMS.bind(Params.of("name", name, "paths", new Labels(name, paths)), Array.stack(0, squares));
  }

  /**
   * Labels for the leaves of {@code params}: a leaf that is an argument of the jitted function
   * being traced gets the recorder's path for that input ({@code params.weight}); others their
   * path inside {@code params} ({@code .weight}).
   */
  static List<String> paramPaths(Object params) {
    Tree.Flat flat = Tree.flatten(params);
    List<String> relative = flat.def().paths("");
    JitFrame frame = JitFrame.current();
    if (frame == null) {
      return relative;
    }
    List<String> inPaths = null;
    List<String> paths = new ArrayList<>(relative.size());
    for (int i = 0; i < relative.size(); i++) {
      int arg = frame.argIndex(flat.leaves().get(i));
      if (arg >= 0) {
        if (inPaths == null) {
          inPaths = LeafNames.inputPaths(frame.argsDef(), LeafNames.argNames(frame.function(), frame.args()));
        }
        paths.add(inPaths.get(arg));
      } else {
        paths.add(relative.get(i));
      }
    }
    return paths;
  }

  private static void deliver(Labels labels, double[] norms) {
    Recorder r = Recorder.current();
    if (r != null) {
      r.tapped(labels, norms);
    }
  }

  /**
   * A tap's leaf paths (printed in the graph as a list) with the scalar names they log built once,
   * at trace time, not on every call: {@code name/<path>} per leaf (null for a lone array's empty
   * path) and {@code name} for the global norm.
   */
  static final class Labels extends java.util.AbstractList<String> {
    private final List<String> paths;
    private final String[] names;
    private final String global;

    Labels(String name, List<String> paths) {
      this.paths = List.copyOf(paths);
      this.names = new String[this.paths.size()];
      for (int i = 0; i < names.length; i++) {
        names[i] = this.paths.get(i).isEmpty() ? null : name + "/" + this.paths.get(i);
      }
      this.global = name;
    }

    @Override
    public String get(int i) {
      return paths.get(i);
    }

    @Override
    public int size() {
      return paths.size();
    }
  }

  /** The norms from the operand's sums of squares. */
  private static double[] norms(CpuBuffer b) {
    double[] d;
    if (b.data() instanceof double[] x) {
      d = x.clone();
    } else {
      float[] f = b.f32();
      d = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        d[i] = f[i];
      }
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = Math.sqrt(d[i]);
    }
    return d;
  }

  /** The scalars a tap logs: {@code name/<path>} per labelled leaf, then {@code name} (global norm). */
  static void forEachScalar(Labels labels, double[] norms, ScalarSink sink) {
    double sq = 0;
    for (int i = 0; i < norms.length; i++) {
      sq += norms[i] * norms[i];
      String n = i < labels.names.length ? labels.names[i] : null;
      if (n != null) { // a lone array has no path of its own: its norm is the global one
        sink.accept(n, norms[i]);
      }
    }
    sink.accept(labels.global, Math.sqrt(sq));
  }

  interface ScalarSink {
    void accept(String name, double value);
  }
}
