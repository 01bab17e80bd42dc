package dev.statelens.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.cpu.FusedElementwise.Comparison;
import dev.statelens.engine.ir.Jaxpr;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code where(a cmp b, x, y)} fused into one compare-select instruction (relu, leaky relu, relu's
 * gradient, maximum, clip): the fused interpreter gives the unfused kernels' bits exactly — NaN
 * payloads and zero signs included — on arrays past the codegen limit (so the block interpreter
 * runs them), with lengths that leave a tail after the vector lanes, and the vector and scalar
 * loops agree with each other.
 */
class CompareSelectFusionTest {
  private static final double[] SPECIAL = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000123L), -0.0, 0.0,
      1.0, -1.0, 1e-300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 3.5, -2.25, 0.5};
  private final Random rnd = new Random(5);

  /** Gaussian values with specials sprinkled in. */
  private Array data(DType dt, int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rnd.nextInt(8) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextGaussian();
    }
    return Array.of(DType.F64, shape, v).astype(dt);
  }

  private static CpuBuffer buffer(Array a) {
    Object data = a.dtype() == DType.F32 ? a.toFloatArray() : a.toDoubleArray();
    return new CpuBuffer(a.aval(), data);
  }

  private static long rawBits(CpuBuffer b, int i) {
    return switch (b.data()) {
      case float[] f -> Float.floatToRawIntBits(f[i]);
      case double[] d -> Double.doubleToRawLongBits(d[i]);
      default -> throw new AssertionError(b.aval());
    };
  }

  /** Fused and unfused interpreters on the same inputs: same raw bits; returns the fused step names. */
  private static List<String> fusedEqualsUnfused(String what, Jaxpr j, Array... inputs) {
    CpuBuffer[] in = new CpuBuffer[inputs.length];
    for (int i = 0; i < in.length; i++) {
      in[i] = buffer(inputs[i]);
    }
    CpuExecutable fused = new CpuExecutable(j, true);
    CpuBuffer[] want = new CpuExecutable(j, false).run(in);
    CpuBuffer[] got = fused.run(in);
    for (int o = 0; o < want.length; o++) {
      int n = want[o].aval().size();
      for (int i = 0; i < n; i++) {
        if (rawBits(want[o], i) != rawBits(got[o], i)) {
          fail(what + ": output " + o + " element " + i + " fused bits " + Long.toHexString(rawBits(got[o], i))
              + " != unfused " + Long.toHexString(rawBits(want[o], i)) + "; steps " + fused.stepNames());
        }
      }
    }
    return fused.stepNames();
  }

  @Test
  void reluFamilyFusedEqualsUnfused() {
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      Array x = data(dt, 8, 28, 28, 32);   // 200,704 elements: the block interpreter, several threads
      Function<Array, Array> relu = Nn::relu;
      List<String> steps = fusedEqualsUnfused("relu " + dt, Transforms.makeJaxpr(relu, x), x);
      assertEquals(List.of("fused[select_n,le]"), steps, "relu is one fused step");
      var ops = java.util.Arrays.stream(((FusedElementwise) Fusion.plan(Transforms.makeJaxpr(relu, x)).get(0).kernel())
          .program()).map(FusedElementwise.Instr::op).toList();
      assertTrue(ops.contains(FusedElementwise.Op.COMPARE_SELECT) && !ops.contains(FusedElementwise.Op.COMPARE)
          && !ops.contains(FusedElementwise.Op.SELECT), "relu's program compares and selects in one instruction: " + ops);
      fusedEqualsUnfused("leaky relu " + dt, Transforms.makeJaxpr((Array v) -> Array.where(v.gt(0), v, v.mul(0.01)), x), x);
      fusedEqualsUnfused("relu grad " + dt, Transforms.makeJaxpr(Transforms.grad((Array v) -> Nn.relu(v).sum()), x), x);
      fusedEqualsUnfused("maximum " + dt, Transforms.makeJaxpr((Array v) -> v.maximum(0), x), x);
      fusedEqualsUnfused("clip " + dt, Transforms.makeJaxpr((Array v) -> v.clip(-1, 1), x), x);
      // the comparison used twice: materialized once, selects read it as a bool leaf
      fusedEqualsUnfused("shared predicate " + dt, Transforms.makeJaxpr((Array v) -> {
        Array p = v.le(0);
        return Array.where(p, 0.0, v).add(Array.where(p, v, 1.0));
      }, x), x);
    }
  }

  @Test
  void everyComparisonWithATailFusedEqualsUnfused() {
    List<Function<Array[], Array>> tests = List.of(a -> a[0].eq(a[1]), a -> a[0].ne(a[1]), a -> a[0].lt(a[1]),
        a -> a[0].le(a[1]), a -> a[0].gt(a[1]), a -> a[0].ge(a[1]));
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      // 40,003: past the codegen limit, not a multiple of the lanes or the block
      Array a = data(dt, 40_003);
      Array b = a.mul(0.5).add(data(dt, 40_003).mul(0)).astype(dt);   // equal where a is 0, NaN or inf
      Array x = data(dt, 40_003);
      Array y = data(dt, 40_003);
      for (int t = 0; t < tests.size(); t++) {
        Function<Array[], Array> test = tests.get(t);
        Jaxpr j = Transforms.makeJaxpr((Array p, Array q, Array u, Array v) -> Array.where(test.apply(new Array[] {p, q}), u, v),
            a, b, x, y);
        List<String> steps = fusedEqualsUnfused("where(cmp " + t + ") " + dt, j, a, b, x, y);
        assertEquals(1, steps.size(), "one fused step: " + steps);
        assertTrue(steps.get(0).startsWith("fused[select_n,"), steps.toString());
      }
    }
  }

  @Test
  void generatedCodeSelectsWithoutBranchesBitForBit() {
    for (DType dt : new DType[] {DType.F32, DType.F64}) {
      Array x = data(dt, 7, 1000);   // small graphs run as generated code
      Array y = data(dt, 7, 1000);
      List<Jaxpr> graphs = List.of(
          Transforms.makeJaxpr((Array v) -> Nn.relu(v), x),
          Transforms.makeJaxpr((Array v) -> Array.where(v.gt(0), v, v.mul(0.01)), x),
          Transforms.makeJaxpr(Transforms.grad((Array v) -> Nn.relu(v).sum()), x),
          Transforms.makeJaxpr((Array v) -> v.clip(-1, 1), x),
          // a select of bools, and NaN payloads / signed zeros carried through a select
          Transforms.makeJaxpr((Array u, Array v) -> Array.where(u.lt(v), u.ge(0), v.ne(v)).astype(dt).add(
              Array.where(u.eq(u), v, u)), x, y));
      for (Jaxpr j : graphs) {
        Array[] in = j.invars().size() == 1 ? new Array[] {x} : new Array[] {x, y};
        CpuBuffer[] buffers = java.util.Arrays.stream(in).map(CompareSelectFusionTest::buffer).toArray(CpuBuffer[]::new);
        CpuExecutable generated = new CpuExecutable(j, true, GraphCodegen.Mode.ON);
        CpuBuffer[] got = generated.run(buffers);
        got = generated.run(buffers);   // the generated code runs from the second call on
        assertTrue(generated.isGenerated(), "generated code ran for " + j + ": " + CpuExecutable.whyNotGenerated(j));
        CpuBuffer[] want = new CpuExecutable(j, false).run(buffers);
        for (int o = 0; o < want.length; o++) {
          for (int i = 0; i < want[o].aval().size(); i++) {
            assertEquals(rawBits(want[o], i), rawBits(got[o], i), dt + " element " + i + " of " + j);
          }
        }
      }
    }
  }

  @Test
  void vectorAndScalarLoopsAgree() {
    int n = 1_031;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] c0 = new double[n];
    double[] c1 = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = SPECIAL[i % SPECIAL.length];
      b[i] = SPECIAL[(i / SPECIAL.length) % SPECIAL.length];
      c0[i] = Double.longBitsToDouble(rnd.nextLong());
      c1[i] = Double.longBitsToDouble(rnd.nextLong());
    }
    boolean vector;
    try {
      vector = VectorSelect.available();
    } catch (LinkageError e) {
      vector = false;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(vector, "no 256-bit Vector API here: only the scalar loops run");
    for (Comparison c : Comparison.values()) {
      double[] scalar = new double[n];
      double[] vec = new double[n];
      FusedElementwise.compareSelectScalar(c, scalar, a, b, c0, c1, 0, n);
      int done = VectorSelect.compareSelect(c, vec, a, b, c0, c1, n);
      FusedElementwise.compareSelectScalar(c, vec, a, b, c0, c1, done, n);
      assertTrue(done > n / 2, "the vector loop did the bulk");
      for (int i = 0; i < n; i++) {
        assertEquals(Double.doubleToRawLongBits(scalar[i]), Double.doubleToRawLongBits(vec[i]), c + " at " + i);
      }
      double[] s01 = new double[n];
      double[] v01 = new double[n];
      FusedElementwise.compareScalar(c, s01, a, b, 0, n);
      int d2 = VectorSelect.compare(c, v01, a, b, n);
      FusedElementwise.compareScalar(c, v01, a, b, d2, n);
      for (int i = 0; i < n; i++) {
        assertEquals(s01[i], v01[i], c + " 0/1 at " + i);
      }
    }
  }
}
