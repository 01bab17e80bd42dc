package dev.statelens.bench;

import dev.statelens.bench.Fixtures.MlpParams;
import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What vmap buys: per-example gradients of a small tanh MLP (16 -> 64 -> 1, f32) for a batch of
 * 256 examples, as one jit(vmap(grad)) call vs 256 calls of jit(grad) on pre-sliced examples;
 * and a batched forward pass written per example with vmap vs written by hand for the batch.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VmapBench extends EngineBench {
  static final int BATCH = 256;

  /** One example: x [16], y [] -> squared error. */
  static Array exampleLoss(MlpParams p, Array xy) {
    Array x = xy.sliceAxis(0, 0, 16);
    Array y = xy.get(16);
    Array h = x.matmul(p.w1()).add(p.b1()).tanh();
    return h.matmul(p.w2()).reshape().sub(y).square();
  }

  static Array exampleForward(MlpParams p, Array x) {
    return x.matmul(p.w1()).add(p.b1()).tanh().matmul(p.w2());
  }

  private MlpParams params;
  private Array batch;        // [256, 17]: features and target
  private Array[] examples;   // the same rows, pre-sliced
  private Array xs;           // [256, 16]
  private BiFunction<MlpParams, Array, MlpParams> perExampleGrads;
  private BiFunction<MlpParams, Array, MlpParams> oneGrad;
  private BiFunction<MlpParams, Array, Array> vmappedForward;
  private BiFunction<MlpParams, Array, Array> handBatchedForward;

  @Setup
  public void setup() {
    java.util.Random rnd = new java.util.Random(0);
    params = MlpParams.init(rnd);
    batch = Fixtures.randn(rnd, 1, BATCH, 17);
    examples = new Array[BATCH];
    for (int i = 0; i < BATCH; i++) {
      examples[i] = batch.get(i);
    }
    xs = batch.sliceAxis(1, 0, 16);
    perExampleGrads = Transforms.jit(Transforms.vmap(Transforms.grad(VmapBench::exampleLoss), null, 0));
    oneGrad = Transforms.jit(Transforms.grad(VmapBench::exampleLoss));
    vmappedForward = Transforms.jit(Transforms.vmap(VmapBench::exampleForward, null, 0));
    handBatchedForward = Transforms.jit(VmapBench::exampleForward); // matmul is batch-polymorphic
    perExampleGrads.apply(params, batch); // trace + compile outside the measurement
    oneGrad.apply(params, examples[0]);
    vmappedForward.apply(params, xs);
    handBatchedForward.apply(params, xs);
  }

  @Benchmark
  public MlpParams perExampleGradsJitVmap() {
    return perExampleGrads.apply(params, batch);
  }

  @Benchmark
  public MlpParams[] perExampleGradsLoopOfJit() {
    MlpParams[] out = new MlpParams[BATCH];
    for (int i = 0; i < BATCH; i++) {
      out[i] = oneGrad.apply(params, examples[i]);
    }
    return out;
  }

  @Benchmark
  public Array forwardJitVmap() {
    return vmappedForward.apply(params, xs);
  }

  @Benchmark
  public Array forwardHandBatched() {
    return handBatchedForward.apply(params, xs);
  }

  /** Checks the two per-example paths agree (run once by hand; not a benchmark). */
  public static void main(String[] args) {
    VmapBench b = new VmapBench();
    b.setup();
    MlpParams all = b.perExampleGradsJitVmap();
    MlpParams[] loop = b.perExampleGradsLoopOfJit();
    float[] a = all.w1().get(7).toFloatArray();
    float[] l = loop[7].w1().toFloatArray();
    double maxDiff = 0;
    for (int i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - l[i]));
    }
    System.out.println("max |vmap - loop| for example 7: " + maxDiff);
    Function<Object, String> shape = o -> java.util.Arrays.toString(((Array) o).shape());
    System.out.println("per-example w1 grads: " + shape.apply(all.w1()));
  }
}
