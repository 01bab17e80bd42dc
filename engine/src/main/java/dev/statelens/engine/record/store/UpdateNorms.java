package dev.statelens.engine.record.store;

import dev.statelens.engine.Array;
import dev.statelens.engine.backend.Backends;
import java.sql.SQLException;
import java.util.List;

/**
 * The size of the update a call made to its state, computed on the writer thread: for each input
 * leaf of call t that is (by identity) an output of call t-1 — a state link — the same output of
 * call t is the leaf's next value, so {@code ‖out − in‖} is this step's update and
 * {@code ‖out − in‖ / ‖in‖} the relative update (the "update/param ratio"; around 1e-3 is healthy
 * for weights). Logged as scalars {@code update_norm/<in_path>}, {@code update_ratio/<in_path>}
 * (left out when {@code ‖in‖ = 0}) and {@code update_norm} over all linked floating leaves. The
 * first step has no link yet, so no update norms.
 */
final class UpdateNorms {
  /** Scalar names per graph's input paths (the same list object every call): no string building per step. */
  private final java.util.IdentityHashMap<List<String>, String[][]> names = new java.util.IdentityHashMap<>();

  interface Sink {
    void scalar(String name, double value) throws SQLException;
  }

  /** Logs the update norms of call {@code c} (writer thread). */
  void of(WriteTask.Call c, Sink sink) throws SQLException {
    int[] from = c.linkFrom();
    if (from == null || c.inputs() == null || c.outputs() == null) {
      return;
    }
    List<String> outPaths = c.outPaths();
    double total = 0;
    boolean any = false;
    for (int i = 0; i < from.length; i++) {
      if (from[i] < 0) {
        continue;
      }
      int k = outPaths == c.prevOutPaths() ? from[i] : outPaths.indexOf(c.prevOutPaths().get(from[i]));
      if (k < 0) {
        continue; // this call's graph has no output of that path (retraced with another structure)
      }
      Array in = c.inputs().get(i);
      Array out = c.outputs().get(k);
      if (!in.dtype().isFloating() || !in.aval().equals(out.aval())) {
        continue;
      }
      Object inHost = Backends.current().download(in.buffer());
      Object outHost = Backends.current().download(out.buffer());
      if (in.dtype().is16BitFloat()) { // bf16/f16 params: the norms of the widened (exact) values
        inHost = dev.statelens.engine.backend.HalfFloats.toFloats(in.dtype(), (short[]) inHost);
        outHost = dev.statelens.engine.backend.HalfFloats.toFloats(in.dtype(), (short[]) outHost);
      }
      double[] norms = diffNorm(inHost, outHost);
      if (norms == null) {
        continue;
      }
      String[] n = names(c.inPaths(), i);
      sink.scalar(n[0], norms[0]);
      if (norms[1] > 0) {
        sink.scalar(n[1], norms[0] / norms[1]);
      }
      total += norms[0] * norms[0];
      any = true;
    }
    if (any) {
      sink.scalar("update_norm", Math.sqrt(total));
    }
  }

  private String[] names(List<String> inPaths, int i) {
    String[][] byInput = names.computeIfAbsent(inPaths, p -> new String[p.size()][]);
    if (byInput[i] == null) {
      byInput[i] = new String[] {"update_norm/" + inPaths.get(i), "update_ratio/" + inPaths.get(i)};
    }
    return byInput[i];
  }

  /** {@code ‖out − in‖} and {@code ‖in‖} (in double), for f32 or f64 host arrays of equal length; else null. */
  static double[] diffNorm(Object in, Object out) {
    double d = 0;
    double n = 0;
    if (in instanceof float[] a && out instanceof float[] b) {
      for (int i = 0; i < a.length; i++) {
        double x = a[i];
        double y = (double) b[i] - x;
        d += y * y;
        n += x * x;
      }
    } else if (in instanceof double[] a && out instanceof double[] b) {
      for (int i = 0; i < a.length; i++) {
        double x = a[i];
        double y = b[i] - x;
        d += y * y;
        n += x * x;
      }
    } else {
      return null; // another host layout: no update norm rather than a wrong one
    }
    return new double[] {Math.sqrt(d), Math.sqrt(n)};
  }
}
