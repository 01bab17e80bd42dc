package dev.statelens.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.ir.Jaxpr;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code conv_general_dilated} ({@link Lax#conv}, {@link Lax#convGeneralDilated}, {@link
 * Nn#conv2d}): hand-computed small cases, output shapes as {@code lax.conv}'s, values against
 * the direct loops of {@link ConvReference} over strides, padding, dilations, groups, layouts and
 * 1-D/3-D, jit == eager, and the errors. Gradients and vmap: {@code ConvGradTest}.
 */
class ConvTest {
  private static final String[] NCHW = {"NCHW", "OIHW", "NCHW"};

  /** x = [[1,2,3],[4,5,6],[7,8,9]], w = [[1,2],[3,4]]: out[i,j] = sum x[i+a, j+b] w[a,b] (no flip). */
  @Test
  void handComputedValidAndSame() {
    Array x = Array.of(DType.F32, new int[] {1, 1, 3, 3}, 1f, 2, 3, 4, 5, 6, 7, 8, 9);
    Array w = Array.of(DType.F32, new int[] {1, 1, 2, 2}, 1f, 2, 3, 4);
    Array valid = Lax.conv(x, w, new int[] {1, 1}, "VALID");
    assertArrayEquals(new int[] {1, 1, 2, 2}, valid.shape());
    // 1*1+2*2+4*3+5*4 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77
    assertArrayEquals(new float[] {37, 47, 67, 77}, valid.toFloatArray(), 0);
    Array same = Lax.conv(x, w, new int[] {1, 1}, "SAME"); // pads (0, 1) on both axes
    assertArrayEquals(new int[] {1, 1, 3, 3}, same.shape());
    assertArrayEquals(new float[] {37, 47, 21, 67, 77, 33, 23, 26, 9}, same.toFloatArray(), 0);
    Array strided = Lax.conv(x, w, new int[] {2, 2}, "SAME"); // ceil(3/2) = 2, pads (0, 1)
    assertArrayEquals(new float[] {37, 21, 23, 9}, strided.toFloatArray(), 0);
    // rhs dilation 2: taps x[i, j], x[i, j+2], x[i+2, j], x[i+2, j+2]
    Array dilated = Lax.convGeneralDilated(x, w, null, "VALID", null, new int[] {2, 2}, NCHW, 1);
    assertArrayEquals(new float[] {1 + 2 * 3 + 3 * 7 + 4 * 9}, dilated.toFloatArray(), 0);
  }

  /** {@code lax.conv}'s output sizes: VALID {@code floor((in - k) / s) + 1}, SAME {@code ceil(in / s)}. */
  @Test
  void outputShapesAndPaddingAsLax() {
    int[][] table = { // in, kernel, stride, SAME?, out, pad lo, pad hi
        {28, 3, 1, 1, 28, 1, 1},
        {28, 3, 1, 0, 26, 0, 0},
        {28, 3, 2, 1, 14, 0, 1},
        {28, 3, 2, 0, 13, 0, 0},
        {5, 2, 2, 1, 3, 0, 1},
        {7, 4, 3, 1, 3, 1, 2},
        {7, 4, 3, 0, 2, 0, 0},
        {4, 5, 1, 1, 4, 2, 2},
        {1, 3, 1, 1, 1, 1, 1},
    };
    for (int[] row : table) {
      String padding = row[3] == 1 ? "SAME" : "VALID";
      int[][] pads = Lax.padtypeToPads(new int[] {row[0]}, new int[] {row[1]}, new int[] {row[2]}, padding);
      assertArrayEquals(new int[] {row[5], row[6]}, pads[0], "pads of " + java.util.Arrays.toString(row));
      Array y = Lax.conv(Array.ones(2, 3, row[0], row[0]), Array.ones(4, 3, row[1], row[1]),
          new int[] {row[2], row[2]}, padding);
      assertArrayEquals(new int[] {2, 4, row[4], row[4]}, y.shape(), "lax.conv shape for " + java.util.Arrays.toString(row));
    }
    assertArrayEquals(new int[] {1, 2}, Lax.padtypeToPads(new int[] {7}, new int[] {4}, new int[] {3}, "SAME")[0]);
    assertArrayEquals(new int[] {2, 1}, Lax.padtypeToPads(new int[] {7}, new int[] {4}, new int[] {3}, "SAME_LOWER")[0]);
  }

  private record Case(int[] xs, int[] ws, int[] strides, int[][] pad, int[] lhsDil, int[] rhsDil, int groups,
      int batchGroups) {}

  private static void check(Case c, long seed) {
    Random rng = new Random(seed);
    double[] x = ConvReference.random(rng, ConvReference.size(c.xs));
    double[] w = ConvReference.random(rng, ConvReference.size(c.ws));
    ConvReference.Result want = ConvReference.conv(x, c.xs, w, c.ws, c.strides, c.pad, c.lhsDil, c.rhsDil, c.groups,
        c.batchGroups);
    int s = c.xs.length - 2;
    String sp = "HWD".substring(0, s);
    String[] dn = {"NC" + sp, "OI" + sp, "NC" + sp};
    for (DType d : new DType[] {DType.F64, DType.F32}) {
      Array xa = ConvReference.array(x, c.xs).astype(d);
      Array wa = ConvReference.array(w, c.ws).astype(d);
      Array got = Lax.convGeneralDilated(xa, wa, c.strides, c.pad, c.lhsDil, c.rhsDil, dn, c.groups, c.batchGroups);
      assertArrayEquals(want.shape(), got.shape(), "shape of " + c);
      assertArrayEquals(want.data(), got.toDoubleArray(), d == DType.F64 ? 1e-10 : 1e-4, d + " " + c);
    }
  }

  @Test
  void matchesDirectLoops() {
    int[] one = {1, 1};
    int[][] none = {{0, 0}, {0, 0}};
    check(new Case(new int[] {2, 3, 7, 6}, new int[] {4, 3, 3, 2}, one, none, one, one, 1, 1), 1);
    check(new Case(new int[] {2, 3, 7, 6}, new int[] {4, 3, 3, 2}, new int[] {2, 3}, new int[][] {{1, 2}, {0, 1}},
        one, one, 1, 1), 2);
    check(new Case(new int[] {1, 2, 9, 8}, new int[] {3, 2, 3, 3}, one, new int[][] {{2, 2}, {1, 0}}, one,
        new int[] {2, 3}, 1, 1), 3); // rhs dilation
    check(new Case(new int[] {2, 2, 5, 4}, new int[] {3, 2, 3, 2}, new int[] {1, 2}, new int[][] {{2, 1}, {1, 1}},
        new int[] {2, 3}, one, 1, 1), 4); // lhs dilation (transposed conv)
    check(new Case(new int[] {2, 6, 5, 5}, new int[] {4, 3, 2, 2}, one, new int[][] {{1, 0}, {0, 1}}, one, one, 2, 1), 5);
    check(new Case(new int[] {2, 4, 5, 5}, new int[] {4, 1, 3, 3}, one, new int[][] {{1, 1}, {1, 1}}, one, one, 4, 1),
        6); // depthwise
    check(new Case(new int[] {4, 3, 5, 4}, new int[] {6, 3, 2, 2}, one, none, one, one, 1, 2), 7); // batch groups
    check(new Case(new int[] {2, 3, 6, 6}, new int[] {2, 3, 3, 3}, one, new int[][] {{-1, 0}, {0, -2}}, one, one, 1, 1),
        8); // negative padding crops
    check(new Case(new int[] {3, 2, 11}, new int[] {4, 2, 3}, new int[] {2}, new int[][] {{1, 1}}, new int[] {1},
        new int[] {2}, 1, 1), 9); // 1-D
    check(new Case(new int[] {1, 2, 4, 5, 3}, new int[] {2, 2, 2, 3, 2}, new int[] {1, 2, 1},
        new int[][] {{1, 0}, {1, 1}, {0, 1}}, new int[] {1, 1, 1}, new int[] {1, 1, 2}, 1, 1), 10); // 3-D
    // fewer output features per group than input channels: the kernel's output-side (pull) form
    check(new Case(new int[] {2, 5, 4, 3}, new int[] {2, 5, 3, 2}, new int[] {1, 2}, new int[][] {{1, 2}, {0, 1}},
        new int[] {2, 1}, new int[] {1, 2}, 1, 1), 11);
    check(new Case(new int[] {2, 8, 5, 5}, new int[] {2, 4, 2, 2}, new int[] {2, 1}, new int[][] {{0, 1}, {1, 1}}, one,
        one, 2, 1), 12);
    check(new Case(new int[] {4, 6, 5, 4}, new int[] {2, 6, 2, 2}, one, new int[][] {{1, 0}, {0, 0}}, one, one, 1, 2),
        13);
  }

  /** NHWC/HWIO (flax) gives the NCHW/OIHW result transposed; Nn.conv2d is that layout. */
  @Test
  void layoutsAreDimensionNumbers() {
    Random rng = new Random(11);
    int[] xs = {2, 3, 8, 7};
    int[] ws = {5, 3, 3, 2};
    Array x = ConvReference.array(ConvReference.random(rng, ConvReference.size(xs)), xs);
    Array w = ConvReference.array(ConvReference.random(rng, ConvReference.size(ws)), ws);
    Array nchw = Lax.conv(x, w, new int[] {2, 1}, "SAME");
    Array nhwc = Nn.conv2d(x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), new int[] {2, 1}, "SAME");
    assertArrayEquals(nchw.transpose(0, 2, 3, 1).toDoubleArray(), nhwc.toDoubleArray(), 1e-12);
    Array mixed = Lax.convGeneralDilated(x.transpose(0, 2, 3, 1), w.transpose(2, 3, 1, 0), new int[] {2, 1}, "SAME",
        null, null, new String[] {"NHWC", "HWIO", "NCHW"}, 1);
    assertArrayEquals(nchw.toDoubleArray(), mixed.toDoubleArray(), 1e-12);
    // 1-D and 3-D through Nn.conv
    Array x1 = ConvReference.array(ConvReference.random(rng, 2 * 9 * 3), 2, 9, 3);
    Array w1 = ConvReference.array(ConvReference.random(rng, 3 * 3 * 4), 3, 3, 4);
    Array y1 = Nn.conv(x1, w1, new int[] {1}, "VALID", null, 1);
    Array ref1 = Lax.conv(x1.transpose(0, 2, 1), w1.transpose(2, 1, 0), new int[] {1}, "VALID");
    assertArrayEquals(ref1.transpose(0, 2, 1).toDoubleArray(), y1.toDoubleArray(), 1e-12);
  }

  @Test
  void jitEqualsEagerAndPrintsTheJaxName() {
    Random rng = new Random(5);
    Array x = ConvReference.array(ConvReference.random(rng, 2 * 6 * 6 * 3), 2, 6, 6, 3).astype(DType.F32);
    Array w = ConvReference.array(ConvReference.random(rng, 3 * 3 * 3 * 4), 3, 3, 3, 4).astype(DType.F32);
    Fn2 f = (a, b) -> Nn.relu(Nn.conv2d(a, b, new int[] {2, 2}, "SAME")).mul(2);
    Array eager = f.apply(x, w);
    Array jitted = Transforms.jit((Array a, Array b) -> f.apply(a, b)).apply(x, w);
    assertArrayEquals(eager.toFloatArray(), jitted.toFloatArray(), 0);
    Jaxpr j = Transforms.makeJaxpr((Array a, Array b) -> Nn.conv2d(a, b, new int[] {1, 1}, "SAME"), x, w);
    String text = j.toString();
    assertTrue(text.contains("conv_general_dilated["), text);
    assertTrue(text.contains("f32[2,6,6,4]"), text);
  }

  interface Fn2 {
    Array apply(Array a, Array b);
  }

  @Test
  void errorsNameShapesChannelsAndTheFix() {
    Array x = Array.ones(1, 5, 5, 3); // NHWC, 3 channels
    Array w = Array.ones(3, 3, 4, 8); // HWIO expecting 4
    ShapeError e = assertThrows(ShapeError.class, () -> Nn.conv2d(x, w, new int[] {1, 1}, "SAME"));
    assertTrue(e.getMessage().contains("f32[1,5,5,3]") && e.getMessage().contains("f32[3,3,4,8]"), e.getMessage());
    assertTrue(e.getMessage().contains("has 3 channels") && e.getMessage().contains("expects 4"), e.getMessage());
    assertTrue(e.getMessage().contains("'I' axis 3"), e.getMessage());
    IllegalArgumentException pad = assertThrows(IllegalArgumentException.class,
        () -> Nn.conv2d(x, Array.ones(3, 3, 3, 8), new int[] {1, 1}, "FULL"));
    assertTrue(pad.getMessage().contains("\"SAME\"") && pad.getMessage().contains("VALID"), pad.getMessage());
    ShapeError rank = assertThrows(ShapeError.class, () -> Nn.conv2d(Array.ones(5, 5, 3), w, new int[] {1, 1}, "SAME"));
    assertTrue(rank.getMessage().contains("[N, H, W, C]"), rank.getMessage());
    ShapeError ints = assertThrows(ShapeError.class,
        () -> Lax.conv(Array.ones(DType.I32, 1, 1, 3, 3), Array.ones(DType.I32, 1, 1, 2, 2), new int[] {1, 1}, "VALID"));
    assertTrue(ints.getMessage().contains("astype(DType.F32)"), ints.getMessage());
    ShapeError groups = assertThrows(ShapeError.class, () -> Lax.convGeneralDilated(Array.ones(1, 4, 3, 3),
        Array.ones(3, 2, 1, 1), null, "VALID", null, null, NCHW, 2));
    assertTrue(groups.getMessage().contains("not a multiple of the group count 2"), groups.getMessage());
    IllegalArgumentException layout = assertThrows(IllegalArgumentException.class, () -> Lax.convGeneralDilated(
        Array.ones(1, 4, 3, 3), Array.ones(3, 4, 1, 1), null, "VALID", null, null, new String[] {"NXHW", "OIHW", "NCHW"}, 1));
    assertTrue(layout.getMessage().contains("one 'C'"), layout.getMessage());
  }

  @Test
  void emptyBatchAndWindowLargerThanInput() {
    Array y = Lax.conv(Array.zeros(0, 2, 5, 5), Array.ones(3, 2, 3, 3), new int[] {1, 1}, "SAME");
    assertArrayEquals(new int[] {0, 3, 5, 5}, y.shape());
    Array z = Lax.conv(Array.ones(1, 2, 2, 2), Array.ones(3, 2, 3, 3), new int[] {1, 1}, "VALID");
    assertArrayEquals(new int[] {1, 3, 0, 0}, z.shape());
    assertEquals(0, z.size());
  }
}
