package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.backend.Backend;
import dev.statelens.engine.backend.Buffer;
import dev.statelens.engine.backend.HostArrays;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Eqn;
import dev.statelens.engine.ir.Jaxpr;
import dev.statelens.engine.ir.Var;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Inputs and tolerances for comparing a backend's results with the CPU backend's: F32 relative
 * error 1e-5 elementwise and 1e-4 after a reduction or matmul (issue 7), integers, booleans and
 * PRNG bits identical.
 */
final class Reference {
  private Reference() {}

  private static final Set<String> ACCUMULATING = Set.of("reduce_sum", "dot_general", "conv_general_dilated",
      "reduce_window_sum", "select_and_scatter_add");

  /** Seeded host arrays for the graph's inputs (constvars then invars). */
  static List<Object> inputs(Jaxpr j, long seed) {
    java.util.Random r = new java.util.Random(seed);
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Object> out = new ArrayList<>();
    for (Var v : vars) {
      Aval a = v.aval();
      Object h = HostArrays.allocate(a.dtype(), a.size());
      for (int i = 0; i < a.size(); i++) {
        switch (a.dtype()) {
          case F32 -> ((float[]) h)[i] = (float) (r.nextDouble() * 4 - 2);
          case F64 -> ((double[]) h)[i] = r.nextDouble() * 4 - 2;
          case I32 -> ((int[]) h)[i] = r.nextInt(101) - 50;
          case U32 -> ((int[]) h)[i] = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(60);
          case BOOL -> ((boolean[]) h)[i] = r.nextBoolean();
          case C64 -> {
            ((float[]) h)[2 * i] = (float) (r.nextDouble() * 4 - 2);
            ((float[]) h)[2 * i + 1] = (float) (r.nextDouble() * 4 - 2);
          }
        }
      }
      out.add(h);
    }
    return out;
  }

  /** The graph run on {@code backend}, results as host arrays. */
  static List<Object> run(Backend backend, Jaxpr j, List<Object> inputs) {
    List<Var> vars = new ArrayList<>(j.constvars());
    vars.addAll(j.invars());
    List<Buffer> in = new ArrayList<>();
    for (int i = 0; i < vars.size(); i++) {
      in.add(backend.upload(vars.get(i).aval(), inputs.get(i)));
    }
    return backend.compile(j).execute(in).stream().map(backend::download).toList();
  }

  /** True for graphs with a reduction or matmul: F32 tolerance 1e-4, normwise; else 1e-5 per element. */
  static boolean accumulates(Jaxpr j) {
    return j.eqns().stream().map(Eqn::primitive).anyMatch(p -> ACCUMULATING.contains(p.name()));
  }

  static String mismatch(Jaxpr j, int output, Object expected, Object actual) {
    boolean acc = accumulates(j);
    return mismatch(j.outAvals().get(output), expected, actual, acc ? 1e-4 : 1e-5, acc);
  }

  /**
   * Null when equal within tolerance, else what differs (first element). Floats: the error of an
   * element relative to its expected magnitude (at least 1e-3). With {@code normwise} (graphs
   * that reduce or multiply matrices) the magnitude is never taken below the output's RMS,
   * because a sum that cancels to near zero has an absolute, not a relative, rounding error.
   */
  static String mismatch(Aval aval, Object expected, Object actual, double tol, boolean normwise) {
    if (aval.dtype() == DType.C64) { // the interleaved parts, as f32 [..., 2]
      return mismatch(Aval.of(DType.F32, 2 * aval.size()), expected, actual, tol, normwise);
    }
    int n = aval.size();
    DType d = aval.dtype();
    double sumSq = 0;
    int finite = 0;
    if (d.isFloating() && normwise) {
      for (int i = 0; i < n; i++) {
        double e = HostArrays.getDouble(expected, d, i);
        if (Double.isFinite(e)) {
          sumSq += e * e;
          finite++;
        }
      }
    }
    double floor = Math.max(1e-3, finite == 0 ? 0 : Math.sqrt(sumSq / finite));
    for (int i = 0; i < n; i++) {
      if (d.isFloating()) {
        double e = HostArrays.getDouble(expected, d, i);
        double a = HostArrays.getDouble(actual, d, i);
        if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
          continue;
        }
        double err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
        if (!(err <= tol)) {
          return "element " + i + ": expected " + e + ", got " + a + " (relative error " + err + " > " + tol + ")";
        }
      } else if (HostArrays.getDouble(expected, d, i) != HostArrays.getDouble(actual, d, i)) {
        return "element " + i + ": expected " + HostArrays.getDouble(expected, d, i) + ", got "
            + HostArrays.getDouble(actual, d, i);
      }
    }
    return null;
  }
}
