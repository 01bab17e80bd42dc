package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.ConvPrims;
import dev.statelens.engine.ir.ConvPrims.Conv;
import dev.statelens.engine.ir.ConvPrims.Window;
import dev.statelens.engine.ir.Eqn;
import java.util.Set;

/**
 * Device code for {@link ConvPrims}: direct kernels, one thread per output element, with every
 * shape, stride and padding baked in as constants (no cuDNN/MIOpen).
 * <ul>
 *   <li>{@code conv_general_dilated}: the thread's dot product over its group's input channels and
 *       window taps, read through the operands' own layouts (taps in padding or between dilated
 *       input elements skipped);
 *   <li>{@code reduce_window_sum/max}: the window's taps in row-major order (the CPU reduces
 *       axis by axis, so sums may differ in the last bits; maxima are exact);
 *   <li>{@code select_and_gather_add}: the tangent at the window's first maximum;
 *   <li>{@code select_and_scatter_add}: one thread per operand element visits, in row-major
 *       order, the windows that contain it, re-selects each and adds the source of those that
 *       chose it — no atomics, the CPU's order of additions.
 * </ul>
 */
final class WindowKernels {
  private WindowKernels() {}

  static final Set<String> NAMES = Set.of("conv_general_dilated", "reduce_window_sum", "reduce_window_max",
      "select_and_scatter_add", "select_and_gather_add");

  /** The kernel's source; its parameters are the equation's inputs in order, then the output. */
  static String source(Eqn e, String name, int block) {
    String op = e.primitive().name();
    Aval out = e.outputs().get(0).aval();
    String t = CTypes.storage(out.dtype());
    StringBuilder k = new StringBuilder();
    String params = e.inputs().size() == 1 ? "const T* __restrict__ x, T* __restrict__ out"
        : op.equals("conv_general_dilated") ? "const T* __restrict__ x, const T* __restrict__ w, T* __restrict__ out"
        : "const T* __restrict__ src, const T* __restrict__ x, T* __restrict__ out";
    k.append("extern \"C\" __global__ void __launch_bounds__(").append(block).append(") ").append(name)
        .append("(").append(params.replace("T*", t + "*")).append(") {\n");
    k.append("  // ").append(op).append(' ').append(e.inputs().stream().map(a -> a.aval().toString()).toList())
        .append(" -> ").append(out).append('\n');
    k.append("  const sl_idx t = (sl_idx)blockIdx.x * blockDim.x + threadIdx.x;\n");
    k.append("  if (t >= ").append(out.size()).append("LL) return;\n");
    switch (op) {
      case "conv_general_dilated" -> conv(k, Conv.of(e.params()), e.inputs().get(0).aval(), e.inputs().get(1).aval(),
          out, t);
      case "reduce_window_sum", "reduce_window_max" ->
          reduce(k, Window.of(e.params()), e.inputs().get(0).aval(), out, op.endsWith("max"), t);
      case "select_and_gather_add" -> gather(k, Window.of(e.params()), e.inputs().get(1).aval(), out, t);
      case "select_and_scatter_add" -> scatter(k, Window.of(e.params()), e.inputs().get(1).aval(),
          e.inputs().get(0).aval(), t);
      default -> throw new IllegalArgumentException("no window kernel for " + op);
    }
    k.append("}\n");
    return k.toString();
  }

  private static void conv(StringBuilder k, Conv c, Aval l, Aval r, Aval out, String t) {
    int s = c.spatial();
    long[] ls = KernelGenerator.strides(l.shape());
    long[] rs = KernelGenerator.strides(r.shape());
    long[] os = KernelGenerator.strides(out.shape());
    int o = r.dim(c.rhsSpec()[0]);
    int in = r.dim(c.rhsSpec()[1]);
    int nOut = out.dim(c.outSpec()[0]);
    int perPart = o / (c.featureGroups() * c.batchGroups());
    k.append("  const sl_idx n = ").append(coord("t", os, out, c.outSpec()[0])).append(";\n");
    k.append("  const sl_idx o = ").append(coord("t", os, out, c.outSpec()[1])).append(";\n");
    k.append("  const sl_idx part = o / ").append(perPart).append("LL;\n");
    String img = c.batchGroups() > 1 ? "(part * " + nOut + "LL + n)" : "n";
    String c0 = c.featureGroups() > 1 ? "part * " + in + "LL" : "0LL";
    k.append("  const sl_idx xb = ").append(img).append(" * ").append(ls[c.lhsSpec()[0]]).append("LL + (")
        .append(c0).append(") * ").append(ls[c.lhsSpec()[1]]).append("LL;\n");
    k.append("  const sl_idx wb = o * ").append(rs[c.rhsSpec()[0]]).append("LL;\n");
    for (int d = 0; d < s; d++) {
      k.append("  const sl_idx p").append(d).append(" = ").append(coord("t", os, out, c.outSpec()[2 + d])).append(";\n");
    }
    k.append("  ").append(CTypes.storage(out.dtype())).append(" acc = 0;\n");
    k.append("  for (sl_idx i = 0; i < ").append(in).append("LL; i++) {\n");
    StringBuilder xi = new StringBuilder("xb + i * " + ls[c.lhsSpec()[1]] + "LL");
    StringBuilder wi = new StringBuilder("wb + i * " + rs[c.rhsSpec()[1]] + "LL");
    String indent = "    ";
    for (int d = 0; d < s; d++) {
      int kd = r.dim(c.rhsSpec()[2 + d]);
      int dil = c.lhsDilation()[d];
      k.append(indent).append("for (sl_idx k").append(d).append(" = 0; k").append(d).append(" < ").append(kd)
          .append("LL; k").append(d).append("++) {\n");
      indent += "  ";
      k.append(indent).append("const sl_idx q").append(d).append(" = p").append(d).append(" * ")
          .append(c.strides()[d]).append("LL + k").append(d).append(" * ").append(c.rhsDilation()[d]).append("LL - (")
          .append(c.padding()[d][0]).append("LL);\n");
      k.append(indent).append("if (q").append(d).append(" < 0").append(dil > 1 ? " || q" + d + " % " + dil + "LL != 0" : "")
          .append(" || q").append(d).append(" / ").append(dil).append("LL >= ").append(l.dim(c.lhsSpec()[2 + d]))
          .append("LL) continue;\n");
      xi.append(" + (q").append(d).append(" / ").append(dil).append("LL) * ").append(ls[c.lhsSpec()[2 + d]]).append("LL");
      wi.append(" + k").append(d).append(" * ").append(rs[c.rhsSpec()[2 + d]]).append("LL");
    }
    k.append(indent).append("acc += x[").append(xi).append("] * w[").append(wi).append("];\n");
    for (int d = s; d >= 0; d--) {
      indent = indent.substring(2);
      k.append(indent).append("}\n");
    }
    k.append("  out[t] = acc;\n");
  }

  /** Loops over the window's taps of output position {@code o0..}: {@code body} sees {@code at}. */
  private static void windowLoops(StringBuilder k, Window w, Aval x, String indent, String body) {
    long[] xs = KernelGenerator.strides(x.shape());
    String at = "0LL";
    for (int d = 0; d < x.rank(); d++) {
      k.append(indent).append("for (sl_idx k").append(d).append(" = 0; k").append(d).append(" < ").append(w.dims()[d])
          .append("LL; k").append(d).append("++) {\n");
      indent += "  ";
      k.append(indent).append("const sl_idx q").append(d).append(" = o").append(d).append(" * ").append(w.strides()[d])
          .append("LL + k").append(d).append(" * ").append(w.windowDilation()[d]).append("LL - ")
          .append(w.padding()[d][0]).append("LL;\n");
      k.append(indent).append("if (q").append(d).append(" < 0 || q").append(d).append(" >= ").append(x.dim(d))
          .append("LL) continue;\n");
      at += " + q" + d + " * " + xs[d] + "LL";
    }
    k.append(indent).append("const sl_idx at = ").append(at).append(";\n");
    k.append(indent).append(body).append('\n');
    for (int d = x.rank() - 1; d >= 0; d--) {
      indent = indent.substring(2);
      k.append(indent).append("}\n");
    }
  }

  private static void outputCoords(StringBuilder k, Aval windows, String flat, String indent) {
    long[] os = KernelGenerator.strides(windows.shape());
    for (int d = 0; d < windows.rank(); d++) {
      k.append(indent).append("const sl_idx o").append(d).append(" = ").append(coord(flat, os, windows, d)).append(";\n");
    }
  }

  private static void reduce(StringBuilder k, Window w, Aval x, Aval out, boolean max, String t) {
    DType d = out.dtype();
    outputCoords(k, out, "t", "  ");
    k.append("  ").append(CTypes.storage(d)).append(" acc = ").append(max ? CTypes.lowest(d) : CTypes.constant(d, 0))
        .append(";\n");
    String combine = max ? "acc = " + (d == DType.F32 ? "sl_maxf" : "sl_maxd") + "(acc, x[at]);" : "acc = acc + x[at];";
    windowLoops(k, w, x, "  ", combine);
    k.append("  out[t] = acc;\n");
  }

  /** Declares {@code sel}: the window's first maximum (XLA's select with ge), -1 if all padding. */
  private static void select(StringBuilder k, Window w, Aval x, String indent) {
    k.append(indent).append("sl_idx sel = -1;\n");
    k.append(indent).append(CTypes.storage(x.dtype())).append(" best = 0;\n");
    windowLoops(k, w, x, indent, "if (sel < 0 || !(best >= x[at])) { sel = at; best = x[at]; }");
  }

  private static void gather(StringBuilder k, Window w, Aval x, Aval out, String t) {
    outputCoords(k, out, "t", "  ");
    select(k, w, x, "  ");
    k.append("  out[t] = sel >= 0 ? src[sel] : (").append(CTypes.storage(x.dtype())).append(")0;\n");
  }

  private static void scatter(StringBuilder k, Window w, Aval x, Aval windows, String t) {
    long[] xs = KernelGenerator.strides(x.shape());
    long[] os = KernelGenerator.strides(windows.shape());
    k.append("  ").append(CTypes.storage(x.dtype())).append(" acc = 0;\n");
    String indent = "  ";
    String flat = "0LL";
    for (int d = 0; d < x.rank(); d++) {
      // the windows o whose tap k = (e + lo - o * stride) / dilation lands on this element e:
      // o from ceil((e + lo - span) / stride) to floor((e + lo) / stride), in increasing order
      long span = (long) (w.dims()[d] - 1) * w.windowDilation()[d];
      int st = w.strides()[d];
      int lo = w.padding()[d][0];
      k.append(indent).append("const sl_idx e").append(d).append(" = ").append(coord("t", xs, x, d)).append(";\n");
      k.append(indent).append("const sl_idx from").append(d).append(" = e").append(d).append(" + ").append(lo - span)
          .append("LL <= 0 ? 0 : (e").append(d).append(" + ").append(lo - span + st - 1).append("LL) / ").append(st)
          .append("LL;\n");
      k.append(indent).append("const sl_idx to").append(d).append(" = (e").append(d).append(" + ").append(lo)
          .append("LL) / ").append(st).append("LL < ").append(windows.dim(d) - 1).append("LL ? (e").append(d)
          .append(" + ").append(lo).append("LL) / ").append(st).append("LL : ").append(windows.dim(d) - 1).append("LL;\n");
      k.append(indent).append("for (sl_idx o").append(d).append(" = from").append(d).append("; o").append(d)
          .append(" <= to").append(d).append("; o").append(d).append("++) {\n");
      indent += "  ";
      k.append(indent).append("const sl_idx r").append(d).append(" = e").append(d).append(" + ").append(lo)
          .append("LL - o").append(d).append(" * ").append(st).append("LL;\n");
      k.append(indent).append("if (r").append(d).append(" % ").append(w.windowDilation()[d])
          .append("LL != 0) continue;\n");
      flat += " + o" + d + " * " + os[d] + "LL";
    }
    select(k, w, x, indent);
    k.append(indent).append("if (sel == t) acc += src[").append(flat).append("];\n");
    for (int d = x.rank() - 1; d >= 0; d--) {
      indent = indent.substring(2);
      k.append(indent).append("}\n");
    }
    k.append("  out[t] = acc;\n");
  }

  /** The coordinate along {@code axis} of row-major flat index {@code flat}. */
  private static String coord(String flat, long[] strides, Aval a, int axis) {
    return "(" + flat + " / " + strides[axis] + "LL) % " + Math.max(1, a.dim(axis)) + "LL";
  }
}
