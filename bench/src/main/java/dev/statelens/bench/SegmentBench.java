package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Nn;
import dev.statelens.engine.Ops;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * {@code Ops.segmentSum/segmentMax} on a GNN-sized graph (Cora's size: 2,708 nodes, 10,556
 * directed edges, 64 features), jitted, on the CPU backend: the aggregation alone, a whole
 * message-passing step's gradient (gather senders, a dense layer, segment-sum into receivers),
 * and the one-hot matmul {@code oneHot(receivers)^T @ messages} a user writes without
 * segment_sum. The setup checks that the one-hot form and segmentSum agree.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SegmentBench extends EngineBench {
  static final int NODES = 2708;
  static final int EDGES = 10556;
  static final int FEATURES = 64;

  private Array messages;
  private Array receivers;
  private Array senders;
  private Array nodes;
  private Array kernel;
  private BiFunction<Array, Array, Array> sum;
  private BiFunction<Array, Array, Array> max;
  private BiFunction<Array, Array, Array> oneHotMatmul;
  private Function<List<Array>, List<Array>> stepGrad;

  @Setup
  public void setup() {
    messages = Random.normal(Random.key(1), EDGES, FEATURES);
    receivers = Random.randint(Random.key(2), new int[] {EDGES}, 0, NODES);
    senders = Random.randint(Random.key(3), new int[] {EDGES}, 0, NODES);
    nodes = Random.normal(Random.key(4), NODES, FEATURES);
    kernel = Random.normal(Random.key(5), FEATURES, FEATURES).mul(0.1);
    sum = Transforms.jit((Array m, Array r) -> Ops.segmentSum(m, r, NODES));
    max = Transforms.jit((Array m, Array r) -> Ops.segmentMax(m, r, NODES));
    oneHotMatmul = Transforms.jit((Array m, Array r) -> Nn.oneHot(r, NODES).transpose().matmul(m));
    Array s = senders;
    Array r = receivers;
    stepGrad = Transforms.jit(Transforms.grad((List<Array> p) ->
        Ops.segmentSum(p.get(1).take(s, 0).matmul(p.get(0)).tanh(), r, NODES).square().mean()));
    if (!Array.allClose(sum.apply(messages, receivers), oneHotMatmul.apply(messages, receivers), 1e-4, 1e-4)
        || sum.apply(messages, receivers).dtype() != DType.F32) {
      throw new IllegalStateException("segmentSum and the one-hot matmul disagree");
    }
  }

  @Benchmark
  public Array segmentSum() {
    return sum.apply(messages, receivers);
  }

  @Benchmark
  public Array segmentMax() {
    return max.apply(messages, receivers);
  }

  @Benchmark
  public Array oneHotMatmul() {
    return oneHotMatmul.apply(messages, receivers);
  }

  @Benchmark
  public List<Array> messagePassingGrad() {
    return stepGrad.apply(List.of(kernel, nodes));
  }

  /**
   * Thread CPU time per op (the machine is shared and overloaded, so JMH's wall times mostly
   * measure waiting): {@code java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1
   * -cp bench/target/benchmarks.jar dev.statelens.bench.SegmentBench}.
   */
  public static void main(String[] args) {
    SegmentBench b = new SegmentBench();
    b.setup();
    java.util.Map<String, java.util.function.Supplier<Object>> work = new java.util.LinkedHashMap<>();
    work.put("segmentSum", b::segmentSum);
    work.put("segmentMax", b::segmentMax);
    work.put("messagePassingGrad", b::messagePassingGrad);
    work.put("oneHotMatmul", b::oneHotMatmul);
    for (var e : work.entrySet()) {
      int reps = e.getKey().equals("oneHotMatmul") ? 3 : 30;
      double[] t = CpuTimeProbe.measure(e.getValue(), reps, 1); // {wall, cpu} ns/op of one round after a warm-up round
      System.out.printf("%-20s cpu %10.3f ms/op   wall %10.3f ms/op   (%d ops)%n", e.getKey(), t[1] / 1e6, t[0] / 1e6, reps);
    }
  }
}
