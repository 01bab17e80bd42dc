package dev.statelens.engine.batching;

import static dev.statelens.engine.batching.LoopCheck.check;
import static dev.statelens.engine.batching.LoopCheck.data;
import static dev.statelens.engine.batching.LoopCheck.ints;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every primitive under vmap agrees with a Java loop over the batch (eager, jit(vmap), vmap(jit)). */
class VmapPrimitivesTest {

  static final Array X = data(1, 0.1, 3, 4, 3);        // positive, batch 4 of [3]
  static final Array Y = data(2, -2, 2, 4, 3);
  static final Array S = data(3, -1, 1, 4);            // batch 4 of scalars
  static final Array XI = ints(4, -20, 20, 4, 3);
  static final Array YI = ints(5, 1, 7, 4, 3);

  static Stream<Arguments> unary() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "neg", Array::neg, Y);
    add(cases, "sign", Array::sign, Y);
    add(cases, "abs", Array::abs, Y);
    add(cases, "floor", Array::floor, Y);
    add(cases, "ceil", Array::ceil, Y);
    add(cases, "round", Array::round, Y);
    add(cases, "exp", Array::exp, Y);
    add(cases, "log", Array::log, X);
    add(cases, "log1p", Array::log1p, X);
    add(cases, "expm1", Array::expm1, Y);
    add(cases, "tanh", Array::tanh, Y);
    add(cases, "logistic", Array::logistic, Y);
    add(cases, "sin", Array::sin, Y);
    add(cases, "cos", Array::cos, Y);
    add(cases, "sqrt", Array::sqrt, X);
    add(cases, "rsqrt", Array::rsqrt, X);
    add(cases, "square", Array::square, Y);
    add(cases, "not", x -> x.gt(0).logicalNot(), Y);
    add(cases, "not(int)", Array::bitwiseNot, XI);
    add(cases, "is_finite", x -> x.log().isFinite(), Y);
    add(cases, "stop_gradient", Array::stopGradient, Y);
    add(cases, "convert_element_type", x -> x.astype(DType.I32), Y.mul(3));
    add(cases, "bitcast_convert_type", x -> x.bitcast(DType.I32), Y);
    add(cases, "erf_inv", x -> RandomPrimitives.erfInv(x.tanh()), Y);
    add(cases, "erf", Array::erf, Y);
    add(cases, "erfc", Array::erfc, Y);
    add(cases, "tan", Array::tan, Y);
    add(cases, "asin", x -> x.tanh().asin(), Y);
    add(cases, "acos", x -> x.tanh().acos(), Y);
    add(cases, "atan", Array::atan, Y);
    add(cases, "sinh", Array::sinh, Y);
    add(cases, "cosh", Array::cosh, Y);
    add(cases, "asinh", Array::asinh, Y);
    add(cases, "acosh", x -> x.add(1).acosh(), X);
    add(cases, "atanh", x -> x.tanh().atanh(), Y);
    add(cases, "exp2", Array::exp2, Y);
    add(cases, "lgamma", dev.statelens.engine.Special::lgamma, Y);
    add(cases, "digamma", dev.statelens.engine.Special::digamma, Y);
    add(cases, "polygamma", x -> dev.statelens.engine.Special.polygamma(1, x), X);
    add(cases, "regularized_incomplete_beta", x -> dev.statelens.engine.Special.betainc(x, x.add(1), x.div(x.add(3))), X);
    // shape primitives
    add(cases, "broadcast_in_dim", x -> x.broadcastTo(2, 3), X);
    add(cases, "broadcast_in_dim(new middle axis)", x -> x.reshape(3, 1).broadcastTo(3, 5), X);
    add(cases, "reshape", x -> x.reshape(3, 1), X);
    add(cases, "transpose", x -> x.reshape(3, 1).broadcastTo(3, 2).transpose(), X);
    add(cases, "squeeze", x -> x.reshape(1, 3, 1).squeeze(0, 2), X);
    add(cases, "rev", x -> x.flip(0), X);
    add(cases, "slice", x -> x.slice(new int[] {1}, new int[] {3}), X);
    add(cases, "slice(strided)", x -> x.slice(new int[] {0}, new int[] {3}, new int[] {2}), X);
    add(cases, "get", x -> x.get(2), X);
    add(cases, "pad", x -> Prims.PAD.bind1(Params.of("low", new int[] {1}, "high", new int[] {-1},
        "interior", new int[] {1}), x, Array.scalar(7)), X);
    add(cases, "concatenate", x -> Array.concatenate(0, x, x.mul(2)), X);
    add(cases, "concatenate(with unmapped)", x -> Array.concatenate(0, Array.of(9f, 8f), x), X);
    add(cases, "stack", x -> Array.stack(1, x, x.neg()), X);
    // reductions
    add(cases, "reduce_sum", x -> x.sum(), Y);
    add(cases, "reduce_sum(axis)", x -> x.reshape(3, 1).broadcastTo(3, 2).sum(0), Y);
    add(cases, "reduce_max", x -> x.max(0), Y);
    add(cases, "reduce_min", x -> x.min(0), Y);
    add(cases, "mean keepdims", x -> x.meanKeepDims(0), Y);
    add(cases, "argmax", x -> x.argmax(0), Y);
    add(cases, "argmin", x -> x.argmin(0), Y);
    // where and select_n
    add(cases, "select_n", x -> Array.where(x.gt(0), x, x.mul(-3)), Y);
    add(cases, "select_n(unmapped cases)", x -> Array.where(x.gt(0), Array.of(1f, 2f, 3f), Array.scalar(0)), Y);
    add(cases, "select_n(per-example scalar predicate)", s -> Array.where(s.gt(0), Array.of(1f, 2f), Array.of(3f, 4f)), S);
    // linear algebra: the mapped operand on either side, vectors and matrices
    Array w = data(6, -1, 1, 3, 2);
    add(cases, "dot_general(x @ W)", x -> x.matmul(w), Y);
    add(cases, "dot_general(W^T @ x)", x -> w.T().matmul(x), Y);
    add(cases, "dot_general(outer batch)", x -> x.reshape(3, 1).matmul(x.reshape(1, 3)), Y);
    add(cases, "dot_general(batched matmul inside)", x -> x.reshape(1, 3, 1).broadcastTo(2, 3, 1)
        .matmul(Array.ones(2, 1, 4)), Y);
    add(cases, "dot", x -> x.dot(x), Y);
    add(cases, "integer ops", x -> x.rem(3).add(x.div(4)).mul(x.shiftLeft(1)), XI);
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, Function<Array, Array> f, Array xs) {
    cases.add(Arguments.of(name, f, xs));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unary")
  void unaryAndShapePrimitivesMatchLoop(String name, Function<Array, Array> f, Array xs) {
    check(name, f, xs);
  }

  static Stream<Arguments> binary() {
    List<Arguments> cases = new ArrayList<>();
    addB(cases, "add", Array::add, Y, X);
    addB(cases, "sub", Array::sub, Y, X);
    addB(cases, "mul", Array::mul, Y, X);
    addB(cases, "div", Array::div, Y, X);
    addB(cases, "rem", Array::rem, Y, X);
    addB(cases, "pow", Array::pow, X, Y);
    addB(cases, "max", Array::max, Y, X.sub(1.5));
    addB(cases, "min", Array::min, Y, X.sub(1.5));
    addB(cases, "atan2", Array::atan2, Y, X.sub(1.5));
    addB(cases, "zeta", dev.statelens.engine.Special::zeta, X.add(1.5), X.mul(2));
    addB(cases, "igamma", dev.statelens.engine.Special::gammainc, X, X.mul(2));
    addB(cases, "igammac", dev.statelens.engine.Special::gammaincc, X, X.mul(2));
    addB(cases, "igamma_grad_a", dev.statelens.engine.Special::igammaGradA, X, X.mul(2));
    addB(cases, "random_gamma_grad", dev.statelens.engine.Special::randomGammaGrad, X, X.mul(2));
    addB(cases, "eq", (a, b) -> a.floor().eq(b.floor()), Y, X.sub(1.5));
    addB(cases, "ne", (a, b) -> a.floor().ne(b.floor()), Y, X.sub(1.5));
    addB(cases, "lt", Array::lt, Y, X.sub(1.5));
    addB(cases, "le", Array::le, Y, X.sub(1.5));
    addB(cases, "gt", Array::gt, Y, X.sub(1.5));
    addB(cases, "ge", Array::ge, Y, X.sub(1.5));
    addB(cases, "and", (a, b) -> a.gt(0).logicalAnd(b.gt(1)), Y, X);
    addB(cases, "or", (a, b) -> a.gt(0).logicalOr(b.gt(1)), Y, X);
    addB(cases, "xor", (a, b) -> a.gt(0).logicalXor(b.gt(1)), Y, X);
    addB(cases, "and(int)", Array::bitwiseAnd, XI, YI);
    addB(cases, "or(int)", Array::bitwiseOr, XI, YI);
    addB(cases, "xor(int)", Array::bitwiseXor, XI, YI);
    addB(cases, "shift_left", Array::shiftLeft, XI, YI);
    addB(cases, "shift_right_logical", Array::shiftRightLogical, XI, YI);
    addB(cases, "shift_right_arithmetic", Array::shiftRightArithmetic, XI, YI);
    addB(cases, "div(int)", Array::div, XI, YI);
    addB(cases, "where", (a, b) -> Array.where(a.gt(b), a, b), Y, X.sub(1.5));
    addB(cases, "matmul(vectors)", Array::matmul, Y, X);
    addB(cases, "outer", (a, b) -> a.reshape(3, 1).matmul(b.reshape(1, 3)), Y, X);
    addB(cases, "matmul with batch dims", (a, b) -> a.reshape(1, 1, 3).broadcastTo(2, 2, 3)
        .matmul(b.reshape(1, 3, 1).broadcastTo(2, 3, 4)), Y, X);
    addB(cases, "concatenate", (a, b) -> Array.concatenate(0, a, b), Y, X);
    return cases.stream();
  }

  private static void addB(List<Arguments> cases, String name, BiFunction<Array, Array, Array> f, Array x, Array y) {
    cases.add(Arguments.of(name, f, x, y));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("binary")
  void binaryPrimitivesMatchLoopForEveryMapping(String name, BiFunction<Array, Array, Array> f, Array x, Array y) {
    check(name, f, x, 0, y, 0);
    check(name, f, x, 0, y.get(1), null);
    check(name, f, x.get(2), null, y, 0);
    check(name, f, x.T(), 1, y, 0);
  }

  @Test
  void perExampleScalarMeetsUnmappedArray() {
    // batched rank-0 operand with an unmapped [3]: lax's scalar promotion must not be broken
    check("scalar*vector", (BiFunction<Array, Array, Array>) Array::mul, S, 0, Array.of(1f, 2f, 3f), null);
    check("vector-scalar", (BiFunction<Array, Array, Array>) Array::sub, Array.of(1f, 2f, 3f), null, S, 0);
    check("scalar/scalar", (BiFunction<Array, Array, Array>) Array::div, S, 0, Array.scalar(4), null);
    check("matmul scalar batch", (a, w) -> a.mul(w).matmul(w), S, 0, data(7, -1, 1, 2, 2), null);
  }

  @Test
  void threefryUnderVmapMatchesLoop() {
    Array k1 = ints(8, 0, 1 << 30, 5).astype(DType.U32);
    Array k2 = ints(9, 0, 1 << 30, 5).astype(DType.U32);
    BiFunction<Array, Array, Array> hash = (a, b) -> {
      List<Array> r = RandomPrimitives.threefry2x32(a, b, Array.iota(DType.U32, 3), Array.scalar(DType.U32, 7));
      return r.get(0).xor(r.get(1));
    };
    check("threefry2x32", hash, k1, 0, k2, 0);
    check("threefry2x32", hash, k1, 0, k2.get(0), null);
  }

  @Test
  void everyStandardPrimitiveHasItsOwnRule() throws IllegalAccessException {
    Set<String> noOperands = Set.of("iota"); // never sees a batched operand
    List<String> missing = new ArrayList<>();
    List<Field> fields = new ArrayList<>(List.of(Prims.class.getFields()));
    fields.addAll(List.of(dev.statelens.engine.ir.ArrayPrims.class.getFields()));
    fields.addAll(List.of(dev.statelens.engine.ir.ConvPrims.class.getFields()));
    for (Field f : fields) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == Primitive.class) {
        Primitive p = (Primitive) f.get(null);
        if (!Batching.hasRule(p) && !noOperands.contains(p.name())) {
          missing.add(p.name());
        }
      }
    }
    assertTrue(Batching.hasRule(RandomPrimitives.THREEFRY2X32));
    assertTrue(Batching.hasRule(RandomPrimitives.ERF_INV));
    assertTrue(missing.isEmpty(), "primitives without a batching rule: " + missing);
  }
}
