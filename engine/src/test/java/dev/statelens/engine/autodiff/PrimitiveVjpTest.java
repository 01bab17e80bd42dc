package dev.statelens.engine.autodiff;

import static dev.statelens.engine.autodiff.GradCheck.check;
import static dev.statelens.engine.autodiff.GradCheck.positive;
import static dev.statelens.engine.autodiff.GradCheck.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Params;
import dev.statelens.engine.ir.Primitive;
import dev.statelens.engine.ir.Prims;
import dev.statelens.engine.random.RandomPrimitives;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every differentiable primitive's VJP rule against central finite differences (F64). */
class PrimitiveVjpTest {
  private final Random rnd = new Random(20261126);

  /** Random shapes of rank 0..3 with dims 1..4. */
  private int[] randomShape() {
    int[] s = new int[rnd.nextInt(4)];
    for (int i = 0; i < s.length; i++) {
      s[i] = 1 + rnd.nextInt(4);
    }
    return s;
  }

  /** A shape that NumPy-broadcasts against {@code s}: some axes set to 1, some leading ones dropped. */
  private int[] broadcastPartner(int[] s) {
    int drop = s.length == 0 ? 0 : rnd.nextInt(s.length + 1);
    int[] r = java.util.Arrays.copyOfRange(s, drop, s.length);
    for (int i = 0; i < r.length; i++) {
      if (rnd.nextBoolean()) {
        r[i] = 1;
      }
    }
    return r;
  }

  private void unary(String name, UnaryOperator<Array> op, boolean positiveOnly) {
    for (int t = 0; t < 4; t++) {
      int[] s = randomShape();
      Array x = positiveOnly ? positive(rnd, s) : random(rnd, s);
      check(name + " " + x.aval(), a -> op.apply(a.get(0)), x);
    }
  }

  @Test
  void unaryElementwise() {
    unary("neg", Array::neg, false);
    unary("abs", Array::abs, false);
    unary("exp", Array::exp, false);
    unary("log", Array::log, true);
    unary("log1p", Array::log1p, true);
    unary("erf", Array::erf, false);
    unary("erfc", Array::erfc, false);
    unary("expm1", Array::expm1, false);
    unary("tanh", Array::tanh, false);
    unary("logistic", Array::logistic, false);
    unary("sin", Array::sin, false);
    unary("cos", Array::cos, false);
    // inputs squeezed into each domain (|x| < 1 for asin/acos/atanh, x > 1 for acosh, away from tan's poles)
    unary("tan", x -> x.tanh().tan(), false);
    unary("asin", x -> x.tanh().mul(0.9).asin(), false);
    unary("acos", x -> x.tanh().mul(0.9).acos(), false);
    unary("atan", Array::atan, false);
    unary("sinh", Array::sinh, false);
    unary("cosh", Array::cosh, false);
    unary("asinh", Array::asinh, false);
    unary("acosh", x -> x.square().add(1.1).acosh(), false);
    unary("atanh", x -> x.tanh().mul(0.9).atanh(), false);
    unary("exp2", Array::exp2, false);
    // special functions (lax's JVP rules: lgamma' = digamma, digamma' = polygamma(1, .), betainc in x)
    unary("lgamma", dev.statelens.engine.Special::lgamma, true);
    unary("lgamma(reflected)", x -> dev.statelens.engine.Special.lgamma(x.tanh().mul(0.4).sub(0.5)), false);
    unary("digamma", dev.statelens.engine.Special::digamma, true);
    unary("polygamma(1, x)", x -> dev.statelens.engine.Special.polygamma(1, x), true);
    unary("betainc(2.5, 3, x)", x -> dev.statelens.engine.Special.betainc(Array.scalar(DType.F64, 2.5),
        Array.scalar(DType.F64, 3), x.tanh().mul(0.45).add(0.5)), false);
    unary("sqrt", Array::sqrt, true);
    unary("rsqrt", Array::rsqrt, true);
    unary("square", Array::square, false);
    unary("reciprocal", Array::reciprocal, true);
    unary("erf_inv", x -> RandomPrimitives.ERF_INV.bind1(Params.EMPTY, x.tanh().mul(0.9)), false);
  }

  @Test
  void piecewiseConstantUnariesHaveZeroGradient() {
    Array x = Array.of(-1.7, -0.2, 0.4, 2.6);
    for (UnaryOperator<Array> op : List.<UnaryOperator<Array>>of(Array::floor, Array::ceil, Array::round, Array::sign)) {
      Array g = Transforms.grad((Array v) -> op.apply(v).mul(v.square()).sum()).apply(x);
      // d/dx [c(x) x^2] = 2 c(x) x away from the jumps
      Array c = op.apply(x);
      assertArrayEquals(c.mul(x).mul(2).toDoubleArray(), g.toDoubleArray(), 1e-12);
    }
  }

  private void binary(String name, java.util.function.BinaryOperator<Array> op, boolean positiveOnly) {
    for (int t = 0; t < 5; t++) {
      int[] s = randomShape();
      int[] p = broadcastPartner(s);
      boolean swap = rnd.nextBoolean();
      int[] sa = swap ? p : s;
      int[] sb = swap ? s : p;
      Array a = positiveOnly ? positive(rnd, sa) : random(rnd, sa);
      Array b = positiveOnly ? positive(rnd, sb) : random(rnd, sb);
      check(name + " " + a.aval() + " " + b.aval(), xs -> op.apply(xs.get(0), xs.get(1)), a, b);
    }
  }

  @Test
  void binaryElementwiseWithBroadcasting() {
    binary("add", Array::add, false);
    binary("sub", Array::sub, false);
    binary("mul", Array::mul, false);
    binary("div", Array::div, true);
    binary("pow", Array::pow, true);
    binary("atan2", Array::atan2, false);
    binary("max", Array::max, false);
    binary("min", Array::min, false);
    binary("rem", (x, y) -> x.mul(3).rem(y), true);
    // d/da through igamma_grad_a, d/dx in closed form; both sides of the series / continued-fraction switch
    binary("igamma", (a, x) -> dev.statelens.engine.Special.gammainc(a, x.mul(3)), true);
    binary("igammac", (a, x) -> dev.statelens.engine.Special.gammaincc(a, x.mul(3)), true);
  }

  @Test
  void rankZeroOperandsOfLaxBinariesGetSummedCotangents() {
    Array x = random(rnd, 3, 2);
    Array s = Array.scalar(DType.F64, 1.3);
    for (Primitive p : List.of(Prims.ADD, Prims.SUB, Prims.MUL, Prims.DIV, Prims.POW, Prims.MAX, Prims.MIN, Prims.ATAN2)) {
      boolean pos = p == Prims.POW;
      Array xx = pos ? positive(rnd, 3, 2) : x;
      check(p.name() + " shaped,rank0", a -> p.bind1(Params.EMPTY, a.get(0), a.get(1)), xx, s);
      check(p.name() + " rank0,shaped", a -> p.bind1(Params.EMPTY, a.get(0), a.get(1)), s, xx);
    }
  }

  @Test
  void scalarArgumentsAsJavaDoubles() {
    Array x = positive(rnd, 2, 3);
    check("pow 2.5", a -> a.get(0).pow(2.5), x);
    check("rsub", a -> a.get(0).rsub(4), x);
    check("rdiv", a -> a.get(0).rdiv(4), x);
    check("maximum 1", a -> a.get(0).maximum(1.0), x);
  }

  @Test
  void powAtZeroFollowsJax() {
    // d/dx x^2 at 0 is 0; d/dy 0^y (y > 0) is 0 (log(0) replaced), not NaN
    Array g = Transforms.grad((Array x) -> x.pow(2.0).sum()).apply(Array.of(0.0, 3.0));
    assertArrayEquals(new double[] {0, 6}, g.toDoubleArray(), 1e-12);
    Array gy = Transforms.grad((Array y) -> Array.scalar(DType.F64, 0).pow(y)).apply(Array.scalar(DType.F64, 2));
    assertEquals(0, gy.doubleValue(), 0);
  }

  @Test
  void maxSplitsTiesEvenlyAsJax() {
    Array g = Transforms.grad((Array x) -> x.max(Array.of(1.0, 5.0, 3.0)).sum()).apply(Array.of(1.0, 2.0, 4.0));
    assertArrayEquals(new double[] {0.5, 0, 1}, g.toDoubleArray(), 0);
    Array r = Transforms.grad((Array x) -> x.max()).apply(Array.of(3.0, 1.0, 3.0));
    assertArrayEquals(new double[] {0.5, 0, 0.5}, r.toDoubleArray(), 0);
    Array a = Transforms.grad((Array x) -> x.abs().sum()).apply(Array.of(-2.0, 0.0, 2.0));
    assertArrayEquals(new double[] {-1, 1, 1}, a.toDoubleArray(), 0);
  }

  @Test
  void selectN() {
    Array a = random(rnd, 3, 4);
    Array b = random(rnd, 3, 4);
    Array c = random(rnd, 3, 4);
    check("where", x -> Array.where(x.get(2).gt(0), x.get(0).mul(x.get(0)), x.get(1).exp()), a, b, c);
    check("where scalar pred", x -> Prims.SELECT_N.bind1(Params.EMPTY, Array.of(true).reshape(), x.get(0), x.get(1)), a, b);
    check("where broadcast", x -> Array.where(x.get(0).gt(0), x.get(0), x.get(1)), random(rnd, 2, 3), random(rnd, 3));
  }

  @Test
  void convertElementType() {
    Array g = Transforms.grad((Array x) -> x.astype(DType.F32).mul(3).sum().astype(DType.F64)).apply(Array.of(1.0, 2.0));
    assertEquals(DType.F64, g.dtype());
    assertArrayEquals(new double[] {3, 3}, g.toDoubleArray(), 0);
    check("f64->f64 via f64", a -> a.get(0).astype(DType.F64).mul(2), random(rnd, 3));
  }

  @Test
  void shapeOperations() {
    check("broadcastTo", a -> a.get(0).broadcastTo(2, 3, 4), random(rnd, 3, 1));
    check("broadcast_in_dim middle", a -> Prims.BROADCAST_IN_DIM.bind1(
        Params.of("shape", new int[] {2, 3, 4}, "broadcast_dimensions", new int[] {1}), a.get(0)), random(rnd, 3));
    check("reshape", a -> a.get(0).reshape(3, 4), random(rnd, 2, 6));
    check("transpose", a -> a.get(0).transpose(2, 0, 1), random(rnd, 2, 3, 4));
    check("T", a -> a.get(0).T(), random(rnd, 2, 3));
    check("squeeze", a -> a.get(0).squeeze(1), random(rnd, 3, 1, 2));
    check("expandDims", a -> a.get(0).expandDims(1), random(rnd, 3, 2));
    check("flip", a -> a.get(0).flip(0), random(rnd, 3, 2));
    check("slice strided", a -> a.get(0).slice(new int[] {1, 0}, new int[] {5, 3}, new int[] {2, 2}), random(rnd, 6, 4));
    check("sliceAxis", a -> a.get(0).sliceAxis(1, 1, 3), random(rnd, 2, 4));
    check("get", a -> a.get(0).get(1), random(rnd, 3, 2));
    check("concatenate", a -> Array.concatenate(1, a.get(0), a.get(1), a.get(0)), random(rnd, 2, 3), random(rnd, 2, 1));
    check("stack", a -> Array.stack(0, a.get(0), a.get(1)), random(rnd, 3), random(rnd, 3));
  }

  @Test
  void pad() {
    Array x = random(rnd, 3, 4);
    Array v = Array.scalar(DType.F64, 0.7);
    check("pad low/high/interior", a -> Prims.PAD.bind1(Params.of("low", new int[] {1, 0}, "high", new int[] {2, 1},
        "interior", new int[] {1, 2}), a.get(0), a.get(1)), x, v);
    check("pad cropping", a -> Prims.PAD.bind1(Params.of("low", new int[] {-1, 2}, "high", new int[] {1, -2},
        "interior", new int[] {0, 1}), a.get(0), a.get(1)), x, v);
  }

  @Test
  void reductions() {
    Array x = random(rnd, 3, 4, 2);
    check("sum all", a -> a.get(0).sum(), x);
    check("sum axes", a -> a.get(0).sum(0, 2), x);
    check("sumKeepDims", a -> a.get(0).sumKeepDims(1), x);
    check("mean", a -> a.get(0).mean(1), x);
    check("max axis", a -> a.get(0).max(1), x);
    check("max all", a -> a.get(0).max(), x);
    check("min axes", a -> a.get(0).min(0, 2), x);
    check("maxKeepDims (softmax-style)", a -> a.get(0).sub(a.get(0).maxKeepDims(1)).exp().sum(1), x);
  }

  @Test
  void dotGeneral() {
    check("matmul", a -> a.get(0).matmul(a.get(1)), random(rnd, 3, 4), random(rnd, 4, 2));
    check("matvec", a -> a.get(0).matmul(a.get(1)), random(rnd, 3, 4), random(rnd, 4));
    check("vecmat", a -> a.get(0).matmul(a.get(1)), random(rnd, 4), random(rnd, 4, 2));
    check("dot", a -> a.get(0).dot(a.get(1)), random(rnd, 5), random(rnd, 5));
    check("batched matmul", a -> a.get(0).matmul(a.get(1)), random(rnd, 2, 3, 4), random(rnd, 2, 4, 5));
    check("general dims", a -> Array.dotGeneral(a.get(0), a.get(1),
        new int[] {2, 0}, new int[] {0, 3}, new int[] {1}, new int[] {2}),
        random(rnd, 3, 2, 4, 5), random(rnd, 4, 6, 2, 3));
  }

  @Test
  void secondOrderThroughTheRulesThemselves() {
    // the rules are differentiable too: check Hessian-vector products of a function that uses
    // most primitives, i.e. grad of (grad(h) . v), against finite differences of grad(h) . v
    Array w = random(rnd, 4, 3);
    Array v = random(rnd, 2, 4);
    Function<Array, Array> h = x -> {
      Array y = x.matmul(w).tanh();                                   // dot_general, tanh
      Array z = Array.concatenate(1, y, x.sliceAxis(1, 1, 3).exp());  // concatenate, slice, exp
      Array p = Prims.PAD.bind1(Params.of("low", new int[] {1, 0}, "high", new int[] {0, 1},
          "interior", new int[] {0, 0}), z, Array.scalar(DType.F64, 0.5));
      return p.T().square().mean(0).logistic().sum()                 // transpose, reduce_sum
          .add(x.max(1).sin().sum())                                  // reduce_max, sin
          .add(x.abs().add(1).log().mul(x.max(Array.scalar(DType.F64, 0.1))).sum()) // abs, log, max
          .add(x.div(x.square().add(2)).add(1).sqrt().sum());         // div, sqrt
    };
    Array x = random(rnd, 2, 4);
    check("hvp", a -> Transforms.grad(h).apply(a.get(0)).mul(v).sum(), x);
  }

  @Test
  void matmulGradientsNeedNoTranspose() {
    // both cotangents of x @ w come out of one dot_general in the operand's own layout
    Array x = random(rnd, 5, 3);
    Array w = random(rnd, 3, 2);
    String j = Transforms.makeJaxpr(Transforms.grad((List<Array> a) -> a.get(0).matmul(a.get(1)).tanh().sum()),
        List.of(x, w)).toString();
    assertEquals(3, j.split("dot_general\\[").length - 1, j);
    assertTrue(!j.contains("transpose"), j);
  }

  @Test
  void composedNetworkLayer() {
    Function<List<Array>, Array> mlp = a -> a.get(0).matmul(a.get(1)).add(a.get(2)).tanh()
        .matmul(a.get(3)).logistic().log().mean();
    check("mlp", mlp, random(rnd, 5, 3), random(rnd, 3, 4), random(rnd, 4), random(rnd, 4, 2));
  }
}
