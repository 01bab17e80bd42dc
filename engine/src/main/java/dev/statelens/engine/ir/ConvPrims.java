package dev.statelens.engine.ir;

import dev.statelens.engine.DType;
import dev.statelens.engine.ShapeError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Convolution and windowed reductions, named and parameterized as in {@code jax.lax}
 * (docs/nn.md, "Convolutions and pooling"):
 * <ul>
 *   <li>{@code conv_general_dilated(lhs, rhs)}: any number of spatial dimensions, window strides,
 *       explicit (possibly negative) padding, lhs (input) and rhs (kernel) dilation, dimension
 *       numbers, feature groups or batch groups (not both, as XLA);
 *   <li>{@code reduce_window_sum}, {@code reduce_window_max}: one window per operand axis, with
 *       strides, padding and window dilation ({@code base_dilation} must be 1);
 *   <li>{@code select_and_scatter_add(source, operand)}: the transpose of max pooling — each
 *       source element is added to the first maximum of its window of the operand (XLA's
 *       select with {@code ge}: ties go to the first element in row-major window order).
 * </ul>
 * F32 and F64 only: integer convolutions and pools are refused with a {@link ShapeError}.
 */
public final class ConvPrims {
  private ConvPrims() {}

  /**
   * {@code lax.conv_general_dilated}. params: {@code window_strides}, {@code padding} (a list of
   * {@code [lo, hi]} per spatial dim), {@code lhs_dilation}, {@code rhs_dilation},
   * {@code dimension_numbers} (a list {@code [lhs_spec, rhs_spec, out_spec]}: lhs
   * {@code (batch, feature, spatial...)}, rhs {@code (out feature, in feature, spatial...)}, out
   * {@code (batch, feature, spatial...)} as axis numbers, JAX's {@code ConvDimensionNumbers}),
   * {@code feature_group_count}, {@code batch_group_count}.
   */
  public static final Primitive CONV_GENERAL_DILATED = new Primitive("conv_general_dilated",
      (in, p) -> List.of(Conv.of(p).check(in)));

  /**
   * {@code lax.reduce_window_sum}: sums over windows (zero padding). params
   * {@code window_dimensions}, {@code window_strides}, {@code padding}, {@code base_dilation},
   * {@code window_dilation}, one entry per operand axis.
   */
  public static final Primitive REDUCE_WINDOW_SUM = new Primitive("reduce_window_sum",
      (in, p) -> List.of(Window.of(p).check("reduce_window_sum", Prims.one("reduce_window_sum", in))));

  /** {@code lax.reduce_window_max}: maxima over windows ({@code -inf} padding, NaN propagates). */
  public static final Primitive REDUCE_WINDOW_MAX = new Primitive("reduce_window_max",
      (in, p) -> List.of(Window.of(p).check("reduce_window_max", Prims.one("reduce_window_max", in))));

  /**
   * {@code select_and_scatter_add(source, operand)}: operand-shaped zeros plus, for each window,
   * its source element at the window's first maximum of the operand (padding is never selected).
   * The params are {@code reduce_window_max}'s; {@code source} has that reduction's output shape.
   */
  public static final Primitive SELECT_AND_SCATTER_ADD = new Primitive("select_and_scatter_add", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("select_and_scatter_add: expects (source, operand), got " + in.size() + " operands");
    }
    Aval src = in.get(0);
    Aval x = in.get(1);
    Aval windows = Window.of(p).check("select_and_scatter_add", x);
    if (!src.equals(windows)) {
      throw new ShapeError("select_and_scatter_add: source " + src + " must have the windows' shape "
          + windows + " of operand " + x);
    }
    return List.of(x);
  });

  /**
   * {@code select_and_gather_add(tangent, operand)}: for each window, the tangent at the window's
   * first maximum of the operand — {@code select_and_scatter_add}'s transpose (JAX's name), the
   * derivative of max pooling applied to a tangent. Output: the windows' shape.
   */
  public static final Primitive SELECT_AND_GATHER_ADD = new Primitive("select_and_gather_add", (in, p) -> {
    if (in.size() != 2) {
      throw new ShapeError("select_and_gather_add: expects (tangent, operand), got " + in.size() + " operands");
    }
    Aval t = in.get(0);
    Aval x = in.get(1);
    if (!t.equals(x)) {
      throw new ShapeError("select_and_gather_add: tangent " + t + " must match operand " + x);
    }
    return List.of(Window.of(p).check("select_and_gather_add", x));
  });

  /** True for the three reduce-window-shaped primitives sharing {@link Window}'s params. */
  public static boolean isWindowed(Primitive p) {
    return p == REDUCE_WINDOW_SUM || p == REDUCE_WINDOW_MAX || p == SELECT_AND_SCATTER_ADD
        || p == SELECT_AND_GATHER_ADD;
  }

  /** {@code (in - 1) * dilation + 1}, or 0 for an empty dimension ({@code lax._dilate_shape}). */
  public static int dilate(int size, int dilation) {
    return size == 0 ? 0 : (size - 1) * dilation + 1;
  }

  /** Padding pairs as a params value ({@code [[lo, hi], ...]}). */
  public static List<int[]> pairs(int[][] pads) {
    List<int[]> out = new ArrayList<>();
    for (int[] p : pads) {
      out.add(new int[] {p[0], p[1]});
    }
    return List.copyOf(out);
  }

  private static int[][] readPairs(String op, Params p, int n) {
    List<int[]> list = p.getList("padding");
    if (list.size() != n) {
      throw new ShapeError(op + ": padding needs " + n + " (lo, hi) pairs, got " + list.size());
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      int[] pair = list.get(i);
      if (pair.length != 2) {
        throw new ShapeError(op + ": padding entry " + i + " must be a (lo, hi) pair, got " + Arrays.toString(pair));
      }
      out[i] = pair.clone();
    }
    return out;
  }

  private static void positive(String op, String what, int[] v, int n) {
    if (v.length != n) {
      throw new ShapeError(op + ": " + what + " needs " + n + " entries, got " + Arrays.toString(v));
    }
    for (int x : v) {
      if (x < 1) {
        throw new ShapeError(op + ": " + what + " must be >= 1, got " + Arrays.toString(v));
      }
    }
  }

  private static void requireFloat(String op, Aval x) {
    if (x.dtype() != DType.F32 && x.dtype() != DType.F64) {
      throw new ShapeError(op + ": only f32 and f64 are supported, got " + x
          + "; convert with astype(DType.F32)");
    }
  }

  /**
   * The parsed params of {@code conv_general_dilated}. Specs are JAX's: {@code lhs[0]} the
   * batch axis of lhs, {@code lhs[1]} its feature axis, {@code lhs[2+i]} its i-th spatial axis;
   * {@code rhs} (out feature, in feature, spatial...); {@code out} (batch, feature, spatial...).
   */
  public record Conv(int[] strides, int[][] padding, int[] lhsDilation, int[] rhsDilation,
      int[] lhsSpec, int[] rhsSpec, int[] outSpec, int featureGroups, int batchGroups) {

    public static Conv of(Params p) {
      List<int[]> dn = p.getList("dimension_numbers");
      if (dn.size() != 3) {
        throw new ShapeError("conv_general_dilated: dimension_numbers must be (lhs_spec, rhs_spec, out_spec), got "
            + dn.size() + " specs");
      }
      int[] strides = p.getInts("window_strides");
      return new Conv(strides, readPairs("conv_general_dilated", p, strides.length), p.getInts("lhs_dilation"),
          p.getInts("rhs_dilation"), dn.get(0).clone(), dn.get(1).clone(), dn.get(2).clone(),
          p.getInt("feature_group_count"), p.getInt("batch_group_count"));
    }

    /** The params of this convolution (the primitive's key order is Params' sorted one). */
    public Params params() {
      return Params.of("window_strides", strides, "padding", pairs(padding), "lhs_dilation", lhsDilation,
          "rhs_dilation", rhsDilation, "dimension_numbers", List.of(lhsSpec, rhsSpec, outSpec),
          "feature_group_count", featureGroups, "batch_group_count", batchGroups);
    }

    public int spatial() {
      return strides.length;
    }

    /** The output aval; throws a ShapeError naming both operands and the fix. */
    public Aval check(List<Aval> in) {
      String op = "conv_general_dilated";
      if (in.size() != 2) {
        throw new ShapeError(op + ": expects (lhs, rhs), got " + in.size() + " operands");
      }
      Aval l = in.get(0);
      Aval r = in.get(1);
      int s = spatial();
      if (l.dtype() != r.dtype()) {
        throw new ShapeError(op + ": lhs " + l + " and rhs " + r + " differ in dtype; convert one with astype");
      }
      requireFloat(op, l);
      if (l.rank() != s + 2 || r.rank() != s + 2) {
        throw new ShapeError(op + ": " + s + " spatial dims need rank-" + (s + 2) + " lhs and rhs, got lhs "
            + l.shapeString() + " and rhs " + r.shapeString());
      }
      for (int[] spec : List.of(lhsSpec, rhsSpec, outSpec)) {
        if (!isPermutation(spec, s + 2)) {
          throw new ShapeError(op + ": dimension_numbers spec " + Arrays.toString(spec)
              + " must be a permutation of 0.." + (s + 1));
        }
      }
      positive(op, "window_strides", strides, s);
      positive(op, "lhs_dilation", lhsDilation, s);
      positive(op, "rhs_dilation", rhsDilation, s);
      if (featureGroups < 1 || batchGroups < 1 || (featureGroups > 1 && batchGroups > 1)) {
        throw new ShapeError(op + ": feature_group_count " + featureGroups + " and batch_group_count "
            + batchGroups + " must be >= 1, and at most one of them > 1");
      }
      int n = l.dim(lhsSpec[0]);
      int c = l.dim(lhsSpec[1]);
      int o = r.dim(rhsSpec[0]);
      int i = r.dim(rhsSpec[1]);
      if (c != i * featureGroups) {
        throw new ShapeError(op + ": lhs " + l.shapeString() + " has " + c + " input channels (axis " + lhsSpec[1]
            + ") but rhs " + r.shapeString() + " expects " + i + " (axis " + rhsSpec[1] + ")"
            + (featureGroups > 1 ? " x feature_group_count " + featureGroups + " = " + i * featureGroups : "")
            + "; the kernel's in-feature axis must equal the input's channel count"
            + (featureGroups > 1 ? " / feature_group_count" : ""));
      }
      if (o % featureGroups != 0 || o % batchGroups != 0) {
        throw new ShapeError(op + ": rhs " + r.shapeString() + " has " + o + " output features (axis "
            + rhsSpec[0] + "), not a multiple of the group count " + Math.max(featureGroups, batchGroups));
      }
      if (n % batchGroups != 0) {
        throw new ShapeError(op + ": lhs batch " + n + " is not a multiple of batch_group_count " + batchGroups);
      }
      int[] shape = new int[s + 2];
      shape[outSpec[0]] = n / batchGroups;
      shape[outSpec[1]] = o;
      for (int d = 0; d < s; d++) {
        int inD = dilate(l.dim(lhsSpec[2 + d]), lhsDilation[d]) + padding[d][0] + padding[d][1];
        int k = dilate(r.dim(rhsSpec[2 + d]), rhsDilation[d]);
        shape[outSpec[2 + d]] = inD < k ? 0 : (inD - k) / strides[d] + 1;
      }
      return l.withShape(shape);
    }
  }

  /** The parsed params of the reduce-window family: one entry per operand axis. */
  public record Window(int[] dims, int[] strides, int[][] padding, int[] baseDilation, int[] windowDilation) {

    public static Window of(Params p) {
      int[] dims = p.getInts("window_dimensions");
      return new Window(dims, p.getInts("window_strides"), readPairs("reduce_window", p, dims.length),
          p.getInts("base_dilation"), p.getInts("window_dilation"));
    }

    public Params params() {
      return Params.of("window_dimensions", dims, "window_strides", strides, "padding", pairs(padding),
          "base_dilation", baseDilation, "window_dilation", windowDilation);
    }

    /** The windows' aval (the reduction's output) for operand {@code x}. */
    public Aval check(String op, Aval x) {
      requireFloat(op, x);
      int n = x.rank();
      if (dims.length != n) {
        throw new ShapeError(op + ": operand " + x.shapeString() + " needs " + n
            + " window dimensions (one per axis, 1 for axes not pooled), got " + Arrays.toString(dims));
      }
      positive(op, "window_dimensions", dims, n);
      positive(op, "window_strides", strides, n);
      positive(op, "window_dilation", windowDilation, n);
      positive(op, "base_dilation", baseDilation, n);
      for (int b : baseDilation) {
        if (b != 1) {
          throw new ShapeError(op + ": base_dilation " + Arrays.toString(baseDilation)
              + " is not supported (only 1); pad the operand with interior padding (Prims.PAD) instead");
        }
      }
      int[] shape = new int[n];
      for (int d = 0; d < n; d++) {
        if (padding[d][0] < 0 || padding[d][1] < 0) {
          throw new ShapeError(op + ": padding must be >= 0, got " + Arrays.toString(padding[d]) + " on axis " + d);
        }
        int padded = x.dim(d) + padding[d][0] + padding[d][1];
        int k = dilate(dims[d], windowDilation[d]);
        shape[d] = padded < k ? 0 : (padded - k) / strides[d] + 1;
      }
      return x.withShape(shape);
    }
  }

  private static boolean isPermutation(int[] spec, int n) {
    if (spec.length != n) {
      return false;
    }
    boolean[] seen = new boolean[n];
    for (int a : spec) {
      if (a < 0 || a >= n || seen[a]) {
        return false;
      }
      seen[a] = true;
    }
    return true;
  }
}
