package dev.statelens.engine.backend.cpu;

import dev.statelens.engine.backend.cpu.Reductions.Op;
import dev.statelens.engine.ir.Aval;
import dev.statelens.engine.ir.Params;
import java.util.Arrays;

/**
 * Several fused f32 groups over one shape run as one pass (XLA's multi-output fusion): the layer
 * norm gradient's {@code p = g * x} feeding both {@code sum(p * a, axis=-1)} and
 * {@code sum(p * b, axes=(0, 1))} reads g, x, a and b once and computes {@code p} once, where the
 * separate steps wrote {@code p} and both products and read them back. One program
 * ({@link FusedElementwise} in f32 registers, a block of whole rows at a time, compiled as other
 * groups with every output register written) holds every value; each {@link Output} takes one
 * register: stored as an array (a value used outside the group), or folded into a trailing- or
 * leading-axis reduction.
 *
 * <p>Same bits as the separate steps: the values are the same f32 operations, and each reduction
 * folds its f32 values as doubles in {@link Reductions}' lanes order (element k of an output into
 * lane {@code k % 4}, the four lanes combined as {@code (a0 . a1) . (a2 . a3)}). Shapes above
 * {@link Parallel#ELEMENTWISE_GRAIN} split over threads by columns (leading reductions), at
 * segment boundaries (trailing ones) or, with both, by the leading reductions' lanes: each lane
 * still folds its elements in order on one thread.
 */
final class FusedMultiOutput implements CpuKernel {
  enum Kind { VALUE, TRAILING, LEADING }

  /**
   * One output: register {@code register} of the program, as an array ({@link Kind#VALUE}) or
   * reduced with {@code op} over trailing axes (segments of {@code segment} elements) or leading
   * axes ({@code size} outputs, each element k of output o at {@code k * size + o}).
   */
  record Output(int register, Kind kind, Op op, int size, int segment) {}

  private final FusedElementwise expr;
  private final Output[] outputs;
  /** With both reduction kinds: the rows that share one leading lane ({@link #laneRows}), else 0. */
  private final int laneRows;

  FusedMultiOutput(FusedElementwise expr, Output[] outputs) {
    this.expr = expr;
    this.outputs = outputs.clone();
    expr.keepRegisters(java.util.Arrays.stream(outputs).mapToInt(Output::register).toArray());
    int[] shape = expr.outputShape();
    this.laneRows = laneRows(shape[shape.length - 1], leadingSizes(outputs), segments(outputs));
  }

  private static int[] leadingSizes(Output[] outputs) {
    return Arrays.stream(outputs).filter(o -> o.kind == Kind.LEADING).mapToInt(Output::size).toArray();
  }

  private static int[] segments(Output[] outputs) {
    return Arrays.stream(outputs).filter(o -> o.kind == Kind.TRAILING).mapToInt(Output::segment).toArray();
  }

  /**
   * How a group with both reduction kinds splits over threads keeping every fold's order, or 0
   * where it cannot. A leading reduction with {@code n} outputs folds row {@code r} into lane
   * {@code (r / (n / rowLen)) % 4}: its four lanes are independent chains, each over every fourth
   * run of {@code n / rowLen} rows. So the rows split by lane — a thread owns some lanes of every
   * output and folds their rows in order — and a trailing segment stays whole on one thread when it
   * never crosses from one run to the next. Returns the rows of one run ({@code n / rowLen}) when
   * every leading output has the same {@code n}, every trailing segment's rows divide it and a run
   * is at least {@link #MIN_SPLIT_WIDTH} elements; 0 otherwise (also with no leading or no trailing
   * output). At most {@link Reductions#LANES} threads.
   */
  static int laneRows(int rowLen, int[] leadingSizes, int[] trailingSegments) {
    if (leadingSizes.length == 0 || trailingSegments.length == 0) {
      return 0;
    }
    int n = leadingSizes[0];
    for (int size : leadingSizes) {
      if (size != n || size % rowLen != 0) {
        return 0;
      }
    }
    int runRows = n / rowLen;
    for (int segment : trailingSegments) {
      if (segment % rowLen != 0 || runRows % (segment / rowLen) != 0) {
        return 0;
      }
    }
    return (long) runRows * rowLen >= MIN_SPLIT_WIDTH ? runRows : 0;
  }

  /** The program whose registers the outputs read. */
  FusedElementwise expression() {
    return expr;
  }

  /** The outputs, in the step's output order. */
  Output[] outputs() {
    return outputs.clone();
  }

  @Override
  public CpuBuffer[] apply(Params params, CpuBuffer[] in, Aval[] outAvals) {
    Object[] src = new Object[in.length];
    for (int i = 0; i < in.length; i++) {
      src[i] = in[i].data();
    }
    int size = expr.size();
    int rowLen = rowLength();
    Object[] state = new Object[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      Output out = outputs[o];
      if (out.kind == Kind.VALUE) {
        state[o] = new float[size];
      } else if (rowSegments(out, rowLen)) {
        state[o] = new double[out.size]; // each row's result, folded by Reductions.foldSegment
      } else {
        double[] lanes = new double[Reductions.LANES * out.size];
        Arrays.fill(lanes, Reductions.init(out.op));
        state[o] = lanes;
      }
    }
    if (size > 0) {
      expr.countRun(src); // once per call, before the pieces go to threads
      run(src, state, size / rowLen, rowLen);
    }
    CpuBuffer[] result = new CpuBuffer[outputs.length];
    for (int o = 0; o < outputs.length; o++) {
      Output out = outputs[o];
      if (out.kind == Kind.VALUE) {
        result[o] = new CpuBuffer(outAvals[o], state[o]);
        continue;
      }
      double[] lanes = (double[]) state[o];
      float[] r = new float[out.size];
      if (rowSegments(out, rowLen)) {
        for (int i = 0; i < out.size; i++) r[i] = (float) lanes[i];
      } else if (out.kind == Kind.TRAILING) {
        for (int i = 0; i < out.size; i++) {
          int at = i * Reductions.LANES;
          r[i] = (float) Reductions.combine(out.op, lanes[at], lanes[at + 1], lanes[at + 2], lanes[at + 3]);
        }
      } else {
        int n = out.size;
        for (int i = 0; i < n; i++) {
          r[i] = (float) Reductions.combine(out.op, lanes[i], lanes[n + i], lanes[2 * n + i], lanes[3 * n + i]);
        }
      }
      result[o] = new CpuBuffer(outAvals[o], r);
    }
    return result;
  }

  /** Rows narrower than this are not split by columns: each row piece would be a block of its own. */
  static final int MIN_SPLIT_WIDTH = 64;

  /**
   * The pass, split over threads where the order of every fold allows it (shapes above
   * {@link Parallel#ELEMENTWISE_GRAIN}). Leading reductions fold every row into the same lanes,
   * so their groups split by columns: each thread owns its columns' lanes over all rows, in row
   * order. Trailing reductions fold each segment in order, so their groups split by rows, at
   * segment boundaries. Groups with both split by the leading reductions' lanes ({@link #laneRows});
   * {@link MultiOutput} merges no group above the grain that has both and no such split.
   */
  private void run(Object[] src, Object[] state, int rows, int rowLen) {
    int parts = Parallel.parts(expr.size(), Parallel.ELEMENTWISE_GRAIN);
    boolean trailing = Arrays.stream(outputs).anyMatch(o -> o.kind == Kind.TRAILING);
    boolean leading = Arrays.stream(outputs).anyMatch(o -> o.kind == Kind.LEADING);
    if (parts > 1 && !trailing && rowLen >= MIN_SPLIT_WIDTH) {
      Parallel.forRange(rowLen, parts, 16, (c0, c1) -> pass(src, state, 0, rows, c0, c1, rowLen));
    } else if (parts > 1 && laneRows > 0) { // both kinds, split by lanes (laneRows is 0 otherwise)
      // lanes L of every leading output on thread L / (LANES / threads): runs of rows in turn
      int threads = parts >= Reductions.LANES ? Reductions.LANES : 2;
      int run = laneRows * (Reductions.LANES / threads);
      Parallel.forRange(threads, threads, 1, (t0, t1) -> {
        for (int t = t0; t < t1; t++) {
          for (int first = t * run; first < rows; first += threads * run) {
            pass(src, state, first, Math.min(rows, first + run), 0, rowLen, rowLen);
          }
        }
      });
    } else if (parts > 1 && !leading) {
      int[] cuts = segmentCuts(rows, rowLen, parts);
      Parallel.forRange(cuts.length - 1, cuts.length - 1, 1, (p0, p1) -> {
        for (int p = p0; p < p1; p++) {
          pass(src, state, cuts[p], cuts[p + 1], 0, rowLen, rowLen);
        }
      });
    } else {
      pass(src, state, 0, rows, 0, rowLen, rowLen);
    }
  }

  /** Rows {@code rowFrom..rowTo}, columns {@code colFrom..colTo}: each block's values stored or folded. */
  private void pass(Object[] src, Object[] state, int rowFrom, int rowTo, int colFrom, int colTo, int rowLen) {
    int width = colTo - colFrom;
    expr.forEachRowBlock(src, rowFrom, rowTo, colFrom, colTo, (regs, firstRow, rows) -> {
      for (int o = 0; o < outputs.length; o++) {
        Output out = outputs[o];
        float[] v = regs[out.register];
        switch (out.kind) {
          case VALUE -> {
            if (width == rowLen) {
              System.arraycopy(v, 0, (float[]) state[o], firstRow * rowLen, rows * rowLen);
            } else {
              for (int q = 0; q < rows; q++) {
                System.arraycopy(v, q * width, (float[]) state[o], (firstRow + q) * rowLen + colFrom, width);
              }
            }
          }
          case TRAILING -> foldTrailing(out, (double[]) state[o], v, firstRow, rows, rowLen);
          case LEADING -> foldLeading(out, (double[]) state[o], v, firstRow, rows, rowLen, colFrom, width);
        }
      }
    });
  }

  /**
   * About {@code parts} row ranges {@code cuts[p]..cuts[p + 1]}, each cut at a row where every
   * trailing output starts a segment (a segment's lanes fold in order, on one thread).
   */
  int[] segmentCuts(int rows, int rowLen, int parts) {
    int[] cuts = new int[parts + 1];
    int count = 1;
    for (int p = 1; p < parts; p++) {
      int r = Math.max(cuts[count - 1] + 1, (int) ((long) rows * p / parts));
      while (r < rows && !segmentStart(r, rowLen)) {
        r++;
      }
      if (r < rows) {
        cuts[count++] = r;
      }
    }
    cuts[count++] = rows;
    return Arrays.copyOf(cuts, count);
  }

  private boolean segmentStart(int row, int rowLen) {
    for (Output out : outputs) {
      if (out.kind == Kind.TRAILING && (long) row * rowLen % out.segment != 0) {
        return false;
      }
    }
    return true;
  }

  private int rowLength() {
    int[] s = expr.outputShape();
    return s[s.length - 1];
  }

  /** A trailing reduction of the last axis alone: each row is a segment, folded whole. */
  private static boolean rowSegments(Output out, int rowLen) {
    return out.kind == Kind.TRAILING && out.segment == rowLen;
  }

  /**
   * Rows {@code firstRow..} into their segments' lanes ({@code lanes[4 * segment + lane]}): element
   * k of a segment into lane {@code k % 4}, in order, as {@link Reductions#foldSegment}; a segment
   * of one row is that very fold, its result in {@code lanes[row]}.
   */
  private static void foldTrailing(Output out, double[] lanes, float[] v, int firstRow, int rows, int rowLen) {
    if (rowSegments(out, rowLen)) { // the eager kernel's own fold of each row (max/min on vectors)
      double init = Reductions.init(out.op);
      for (int q = 0; q < rows; q++) {
        lanes[firstRow + q] = Reductions.foldSegment(out.op, init, v, q * rowLen, (q + 1) * rowLen);
      }
      return;
    }
    int segRows = out.segment / rowLen;
    for (int q = 0; q < rows; q++) {
      int r = firstRow + q;
      int at = (r / segRows) * Reductions.LANES;
      int k0 = (r % segRows) * rowLen;
      int from = q * rowLen;
      if (out.op == Op.SUM && (k0 & 3) == 0) {
        double a0 = lanes[at];
        double a1 = lanes[at + 1];
        double a2 = lanes[at + 2];
        double a3 = lanes[at + 3];
        int j = 0;
        for (; j + 3 < rowLen; j += 4) {
          a0 += v[from + j];
          a1 += v[from + j + 1];
          a2 += v[from + j + 2];
          a3 += v[from + j + 3];
        }
        if (j < rowLen) a0 += v[from + j];
        if (j + 1 < rowLen) a1 += v[from + j + 1];
        if (j + 2 < rowLen) a2 += v[from + j + 2];
        lanes[at] = a0;
        lanes[at + 1] = a1;
        lanes[at + 2] = a2;
        lanes[at + 3] = a3;
      } else {
        for (int j = 0; j < rowLen; j++) {
          int lane = at + ((k0 + j) & (Reductions.LANES - 1));
          lanes[lane] = Reductions.fold(out.op, lanes[lane], v[from + j]);
        }
      }
    }
  }

  /**
   * Rows {@code firstRow..} (their columns {@code colFrom..colFrom + width}) into the leading
   * reduction's lanes: flat element f is element {@code k = f / size} of output {@code o = f % size},
   * folded into {@code lanes[(k % 4) * size + o]} in row order, as {@link Reductions}' strided pass.
   */
  private static void foldLeading(Output out, double[] lanes, float[] v, int firstRow, int rows, int rowLen,
      int colFrom, int width) {
    int n = out.size;
    for (int q = 0; q < rows; q++) {
      int f0 = (firstRow + q) * rowLen + colFrom;
      int k = f0 / n;
      int at = (k & (Reductions.LANES - 1)) * n + f0 % n;
      int from = q * width;
      if (out.op == Op.SUM) {
        for (int j = 0; j < width; j++) lanes[at + j] += v[from + j];
      } else {
        for (int j = 0; j < width; j++) lanes[at + j] = Reductions.fold(out.op, lanes[at + j], v[from + j]);
      }
    }
  }
}
