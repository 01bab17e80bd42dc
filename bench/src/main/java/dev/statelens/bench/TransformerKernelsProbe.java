package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.Key;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import dev.statelens.examples.Mlp;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The transformer step's kernels one at a time, jitted, at the example's shapes (16 windows x 32
 * tokens, width 48, 4 heads of 12, MLP 192), and the MLP example's Adam step: thread CPU per call,
 * best of 5 rounds. Public API only, so the same source compiles against an older engine for a
 * before/after (docs/benchmarks.md):
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 \
 *   -cp bench/target/benchmarks.jar dev.statelens.bench.TransformerKernelsProbe</pre>
 */
public final class TransformerKernelsProbe {
  private TransformerKernelsProbe() {}

  public static void main(String[] args) {
    Key key = Random.key(3);
    Array x = Random.normal(Random.foldIn(key, 0), 16, 32, 48);
    Array w = Random.normal(Random.foldIn(key, 1), 48, 192).mul(0.1);
    Array g = Random.normal(Random.foldIn(key, 2), 16, 32, 192);
    Array q = Random.normal(Random.foldIn(key, 3), 16, 4, 32, 12);
    Array kt = Random.normal(Random.foldIn(key, 4), 16, 4, 12, 32);
    Array scores = Random.normal(Random.foldIn(key, 5), 16, 4, 32, 32);
    Array scale = Array.ones(48);
    Array bias = Array.zeros(48);

    BiFunction<Array, Array, Array> dense = Transforms.jit("dense", (Array a, Array b) -> a.matmul(b));
    BiFunction<Array, Array, Array> denseGrad = Transforms.jit("dense_grad",
        (Array wt, Array gt) -> Transforms.grad((Array v) -> x.matmul(v).mul(gt).sum()).apply(wt));
    BiFunction<Array, Array, Array> heads = Transforms.jit("attention_scores", (Array a, Array b) -> a.matmul(b));
    Function<Array, Array> gelu = Transforms.jit("gelu", (Array a) -> Nn.gelu(a));
    Function<Array, Array> softmax = Transforms.jit("softmax", (Array a) -> Nn.softmax(a, -1));
    Function<Array, Array> norm = Transforms.jit("layer_norm", (Array a) -> Nn.layerNorm(a, scale, bias, 1e-5));

    Pair<Key, Key> k = Random.split(Random.key(Mlp.SEED));
    Mlp mlp = new Mlp();
    Mlp.Batch batch = Mlp.data(k.first());
    Mlp.TrainState state = mlp.initState(Mlp.init(k.second()));

    row("x[16,32,48] @ w[48,192]", () -> dense.apply(x, w), 200);
    row("its gradient in w (x^T g over 16x32)", () -> denseGrad.apply(w, g), 200);
    row("q[16,4,32,12] @ k^T[16,4,12,32]", () -> heads.apply(q, kt), 200);
    row("gelu [16,32,192]", () -> gelu.apply(g), 200);
    row("softmax [16,4,32,32] (last axis)", () -> softmax.apply(scores), 200);
    row("layerNorm [16,32,48]", () -> norm.apply(x), 200);
    row("mlp step: jitted Adam step", () -> mlp.step(state, batch), 10_000);
  }

  private static void row(String name, Supplier<Object> op, int ops) {
    double best = CpuTimeProbe.measure(op, ops, 5)[1]; // best of 5 rounds, after a warm-up round
    System.out.printf("%-40s %10.1f us CPU%n", name, best / 1e3);
  }
}
