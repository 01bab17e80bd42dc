package dev.statelens.engine.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.backend.cpu.CpuBuffer;
import dev.statelens.engine.backend.cpu.CpuKernels;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule coverage of the standard primitives, and user primitives with and without a rule. */
class VjpRegistryTest {

  @Test
  void everyStandardPrimitiveHasARuleOrIsMarkedNonDifferentiable() throws IllegalAccessException {
    List<String> missing = new ArrayList<>();
    List<Field> fields = new ArrayList<>(List.of(Prims.class.getFields()));
    fields.addAll(List.of(dev.statelens.engine.ir.ArrayPrims.class.getFields()));
    fields.addAll(List.of(dev.statelens.engine.ir.ConvPrims.class.getFields()));
    for (Field f : fields) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Primitive.class) {
        Primitive p = (Primitive) f.get(null);
        if (!Vjp.hasRule(p)) {
          missing.add(p.name());
        }
      }
    }
    for (Primitive p : List.of(RandomPrimitives.THREEFRY2X32, RandomPrimitives.ERF_INV)) {
      if (!Vjp.hasRule(p)) {
        missing.add(p.name());
      }
    }
    assertTrue(missing.isEmpty(), "primitives without a VJP rule: " + missing);
  }

  /** A user primitive: elementwise x -> 3x on f64. */
  private static final Primitive TRIPLE = new Primitive("test_triple", (in, p) -> List.of(in.get(0)));
  private static final Primitive TRIPLE_NO_RULE = new Primitive("test_triple_no_rule", (in, p) -> List.of(in.get(0)));

  static {
    for (Primitive p : List.of(TRIPLE, TRIPLE_NO_RULE)) {
      CpuKernels.register(p, (params, in, out) -> {
        double[] x = in[0].f64();
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          y[i] = 3 * x[i];
        }
        return new CpuBuffer[] {new CpuBuffer(out[0], y)};
      });
    }
    Vjp.register(TRIPLE, (params, in, out, ct, needed) -> List.of(ct.get(0).mul(3)));
  }

  @Test
  void userPrimitiveWithARegisteredRuleIsDifferentiable() {
    Array g = Transforms.grad((Array x) -> TRIPLE.bind1(Params.EMPTY, x).square().sum()).apply(Array.of(1.0, 2.0));
    // d/dx (3x)^2 = 18x
    assertArrayEquals(new double[] {18, 36}, g.toDoubleArray(), 1e-12);
    Array j = Transforms.jit(Transforms.grad((Array x) -> TRIPLE.bind1(Params.EMPTY, x).sum())).apply(Array.of(1.0));
    assertArrayEquals(new double[] {3}, j.toDoubleArray(), 0);
  }

  @Test
  void userPrimitiveWithoutARuleIsNamedInTheError() {
    var e = assertThrows(UnsupportedOperationException.class, () ->
        Transforms.grad((Array x) -> TRIPLE_NO_RULE.bind1(Params.EMPTY, x).sum()).apply(Array.of(1.0)));
    assertTrue(e.getMessage().contains("'test_triple_no_rule' has no VJP rule"), e.getMessage());
    assertTrue(e.getMessage().contains("Vjp.register"), e.getMessage());
    // not differentiated: fine without a rule
    Array y = TRIPLE_NO_RULE.bind1(Params.EMPTY, Array.of(DType.F64, new int[] {1}, 2.0));
    assertArrayEquals(new double[] {6}, y.toDoubleArray(), 0);
  }

  @Test
  void ruleReturningTheWrongTypeIsReported() {
    Primitive bad = new Primitive("test_bad_rule", (in, p) -> List.of(in.get(0)));
    CpuKernels.register(bad, (params, in, out) -> new CpuBuffer[] {in[0]});
    Vjp.register(bad, (params, in, out, ct, needed) -> List.of(ct.get(0).sum()));
    var e = assertThrows(IllegalStateException.class, () ->
        Transforms.grad((Array x) -> bad.bind1(Params.EMPTY, x).sum()).apply(Array.of(1.0, 2.0)));
    assertTrue(e.getMessage().contains("VJP rule of test_bad_rule returned a cotangent f64[]"), e.getMessage());
  }
}
