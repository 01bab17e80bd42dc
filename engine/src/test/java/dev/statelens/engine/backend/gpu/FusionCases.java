package dev.statelens.engine.backend.gpu;

import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.ir.Jaxpr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graphs that exercise each fusion decision of {@link FusionPlan}: checked for their launch count
 * in {@link KernelGeneratorTest}, for their numbers in {@link EmulatedKernelsTest}, and for the
 * vendor compilers in {@link KernelCompileCheckTest}.
 */
final class FusionCases {
  private FusionCases() {}

  /** A group with another result feeding a one-block tree reduction: one kernel, a side output. */
  static Jaxpr sideOutput() {
    return Transforms.makeJaxpr((Array x, Array y) -> {
      Array d = x.sub(y).square();
      return List.of(d, d.sum());
    }, Array.zeros(300, 2), Array.zeros(300, 2));
  }

  /** Two reductions of one group over the same axes, short rows (one thread per output). */
  static Jaxpr siblingsSerial() {
    return Transforms.makeJaxpr((Array x) -> {
      Array t = x.mul(2).tanh();
      return List.of(t.sum(1), t.square().max(1), t);
    }, Array.zeros(40, 50));
  }

  /** Two reductions of one group over the same axes, long rows (a block per output). */
  static Jaxpr siblingsTree() {
    return Transforms.makeJaxpr((Array x) -> {
      Array t = x.exp();
      return List.of(t.sum(1), t.max(1));
    }, Array.zeros(3, 500));
  }

  /** Reductions over different axes: the second reads the first's side output. */
  static Jaxpr differentAxes() {
    return Transforms.makeJaxpr((Array x) -> {
      Array t = x.tanh();
      return List.of(t.sum(0), t.sum(1));
    }, Array.zeros(70, 90));
  }

  /** Independent loops of different shapes (and a scalar): one launch. */
  static Jaxpr horizontal() {
    return Transforms.makeJaxpr((Array a, Array b, Array c) -> List.of(a.exp(), b.mul(2), c.add(1)),
        Array.zeros(5), Array.zeros(700, 3), Array.scalar(0.5));
  }

  /** A scalar computed from an input is recomputed per element instead of being a launch. */
  static Jaxpr recomputedScalar() {
    return Transforms.makeJaxpr((Array x, Array s) -> x.mul(s.exp().add(1)), Array.zeros(64), Array.scalar(0.5));
  }

  /** Same-shape groups around a matmul that depends on the first: merging them would be a cycle. */
  static Jaxpr noCycleThroughMatmul() {
    return Transforms.makeJaxpr((Array x, Array w) -> {
      Array h = x.tanh();
      return h.matmul(w).mul(h.square());
    }, Array.zeros(8, 4), Array.zeros(4, 4));
  }

  /** A reduction with one output over many elements keeps its producer's other result separate. */
  static Jaxpr largeReductionKeepsSideOutputsApart() {
    return Transforms.makeJaxpr((Array x) -> {
      Array y = x.mul(2);
      return List.of(y, y.sum());
    }, Array.zeros(1 << 17));
  }

  /** An outer product (contracting extent 1) feeding elementwise math: one loop, no matmul launch. */
  static Jaxpr outerProduct() {
    return Transforms.makeJaxpr((Array x, Array w, Array b) -> x.matmul(w).add(b).tanh(),
        Array.zeros(300, 1), Array.zeros(1, 20), Array.zeros(20));
  }

  /** Matrix-vector products, plain and with the batch axis contracted: loops inside fused kernels. */
  static Jaxpr matrixVector() {
    return Transforms.makeJaxpr((Array h, Array w, Array g) -> List.of(h.matmul(w).sub(1).square(),
        h.transpose().matmul(g).mul(0.5)), Array.zeros(90, 40), Array.zeros(40, 1), Array.zeros(90, 1));
  }

  /** A batched vector-matrix product ([b,1,k] x [b,k,n]) of a fused dot. */
  static Jaxpr batchedVectorMatrix() {
    return Transforms.makeJaxpr((Array v, Array m) -> v.matmul(m).exp(), Array.zeros(3, 1, 7), Array.zeros(3, 7, 5));
  }

  /** Gradient of a 16 -> 64 -> 8 MLP on 128 rows: its matmuls are real GEMMs (BLAS hints). */
  static Jaxpr wideMlpGrad() {
    var grad = Transforms.grad((List<Array> p) -> p.get(2).matmul(p.get(0)).tanh().matmul(p.get(1)).square().mean());
    return Transforms.makeJaxpr((Array w1, Array w2, Array x) -> grad.apply(List.of(w1, w2, x)),
        Array.zeros(16, 64), Array.zeros(64, 8), Array.zeros(128, 16));
  }

  static Map<String, Jaxpr> all() {
    Map<String, Jaxpr> m = new LinkedHashMap<>();
    m.put("side output", sideOutput());
    m.put("sibling reductions (serial)", siblingsSerial());
    m.put("sibling reductions (tree)", siblingsTree());
    m.put("reductions over different axes", differentAxes());
    m.put("horizontal", horizontal());
    m.put("recomputed scalar", recomputedScalar());
    m.put("no cycle through a matmul", noCycleThroughMatmul());
    m.put("large reduction", largeReductionKeepsSideOutputsApart());
    m.put("outer product", outerProduct());
    m.put("matrix-vector", matrixVector());
    m.put("batched vector-matrix", batchedVectorMatrix());
    m.put("wide MLP gradient", wideMlpGrad());
    return m;
  }
}
