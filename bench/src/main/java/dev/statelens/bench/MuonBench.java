package dev.statelens.bench;

import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Fn3;
import dev.statelens.engine.Optim;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One jitted optimizer update of an MLP-sized weight matrix (F32): Muon (Nesterov momentum, then 5
 * Newton–Schulz iterations, each three matmuls on the smaller Gram side) against Adam (elementwise)
 * on the same matrix, so the difference is Muon's orthogonalisation per step.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MuonBench extends EngineBench {
  @Param({"784x256", "256x256"})
  public String shape;

  private Fn3<Object, Optim.OptState<Object>, Object, Pair<Object, Optim.OptState<Object>>> muonStep;
  private Fn3<Object, Optim.OptState<Object>, Object, Pair<Object, Optim.OptState<Object>>> adamStep;
  private Object params;
  private Object grads;
  private Optim.OptState<Object> muonState;
  private Optim.OptState<Object> adamState;

  @Setup
  public void setup() {
    String[] dims = shape.split("x");
    int rows = Integer.parseInt(dims[0]);
    int cols = Integer.parseInt(dims[1]);
    params = Map.of("w", Random.normal(Random.key(0), new int[] {rows, cols}, DType.F32).mul(0.05));
    grads = Map.of("w", Random.normal(Random.key(1), new int[] {rows, cols}, DType.F32));
    Optim.Optimizer muon = Optim.muon(0.02);
    Optim.Optimizer adam = Optim.adam(1e-3);
    muonState = muon.init(params);
    adamState = adam.init(params);
    muonStep = Transforms.jit("muon_update", (p, s, g) -> muon.update(g, s, p));
    adamStep = Transforms.jit("adam_update", (p, s, g) -> adam.update(g, s, p));
    muonStep.apply(params, muonState, grads).first(); // trace + compile outside the measurement
    adamStep.apply(params, adamState, grads).first();
  }

  @Benchmark
  public Array muonUpdate() {
    return leaf(muonStep.apply(params, muonState, grads));
  }

  @Benchmark
  public Array adamUpdate() {
    return leaf(adamStep.apply(params, adamState, grads));
  }

  /**
   * Thread CPU time per update (the machine is shared and loaded; run with
   * {@code -Dstatelens.cpu.threads=1}): {@code java --add-modules=jdk.incubator.vector
   * -Dstatelens.cpu.threads=1 -cp bench/target/benchmarks.jar dev.statelens.bench.MuonBench}.
   */
  public static void main(String[] args) {
    for (String s : new String[] {"784x256", "256x256"}) {
      MuonBench b = new MuonBench();
      b.shape = s;
      b.setup();
      double[] muon = CpuTimeProbe.measure(b::muonUpdate, 20, 5);
      double[] adam = CpuTimeProbe.measure(b::adamUpdate, 200, 5);
      System.out.printf("%s  muon: %.2f ms cpu (%.2f wall)  adam: %.3f ms cpu (%.3f wall)%n", s, muon[1] / 1e6,
          muon[0] / 1e6, adam[1] / 1e6, adam[0] / 1e6);
    }
  }

  @SuppressWarnings("unchecked")
  private static Array leaf(Pair<Object, Optim.OptState<Object>> r) {
    Array w = ((Map<String, Array>) r.first()).get("w");
    w.toFloatArray(); // wait for the result, on any backend
    return w;
  }
}
