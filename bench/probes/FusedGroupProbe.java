import dev.statelens.engine.Array;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Fused f32 groups over [16,32,192] (the transformer's MLP width) alone, thread CPU per call, best
 * of 5 rounds after a warm-up: compare -Dstatelens.cpu.codegen=off (interpreted groups) with auto.
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 -cp JAR bench/probes/FusedGroupProbe.java [calls]</pre>
 */
public class FusedGroupProbe {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static Object sink;

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Array x = Random.normal(Random.key(1), new int[] {16, 32, 192});
    Array y = Random.normal(Random.key(2), new int[] {16, 32, 192});
    Array g = Random.normal(Random.key(4), new int[] {16, 32, 192});
    Array h = Random.normal(Random.key(5), new int[] {16, 32, 192});
    time("lead   sum(g * h, axes=(0, 1)) [16,32,192]", calls, g, h, (a, b) -> a.mul(b).sum(0, 1));
    Array bias = Random.normal(Random.key(3), new int[] {192});
    time("1 op   x + y", calls, x, y, (a, b) -> a.add(b));
    time("1 op   x + bias[192]", calls, x, bias, (a, b) -> a.add(b));
    time("2 ops  x * y + x", calls, x, y, (a, b) -> a.mul(b).add(a));
    time("3 ops  (x * y + x) * 0.5", calls, x, y, (a, b) -> a.mul(b).add(a).mul(0.5f));
    time("arith  (x*y + x) * (y*0.5) + x*x - y", calls, x, y, (a, b) -> a.mul(b).add(a).mul(b.mul(0.5f)).add(a.mul(a)).sub(b));
    time("gelu   tanh(x*0.8) * x + x * 0.5", calls, x, y, (a, b) -> a.mul(0.8f).tanh().mul(a).add(a.mul(0.5f)));
    time("exp    exp(x - y)", calls, x, y, (a, b) -> a.sub(b).exp());
    // a function reading an input directly (compiled: read in place at the block's offset)
    time("leaf   exp(x) * y + x", calls, x, y, (a, b) -> a.exp().mul(b).add(a));
    time("leaf   tanh(x) * y + y", calls, x, y, (a, b) -> a.tanh().mul(b).add(b));
    time("leaf   rsqrt(|y|) * x + y", calls, x, y.abs(), (a, b) -> b.rsqrt().mul(a).add(b));
    time("select where(x < y, x*y, y) * x", calls, x, y, (a, b) -> Array.where(a.lt(b), a.mul(b), b).mul(a));
    // the transformer's backward MLP group: seven [16,32,192] inputs, four adds and five muls
    List<Array> seven = List.of(x, y, g, h, Random.normal(Random.key(6), new int[] {16, 32, 192}),
        Random.normal(Random.key(7), new int[] {16, 32, 192}), Random.normal(Random.key(8), new int[] {16, 32, 192}));
    time("7 in   a*b + c*d + e*f + g*(a+b)*c", calls, seven,
        v -> v.get(0).mul(v.get(1)).add(v.get(2).mul(v.get(3))).add(v.get(4).mul(v.get(5)))
            .add(v.get(6).mul(v.get(0).add(v.get(1))).mul(v.get(2))));
  }

  static void time(String name, int calls, List<Array> xs, Function<List<Array>, Array> f) {
    Function<List<Array>, Array> j = Transforms.jit(f::apply);
    for (int i = 0; i < calls; i++) sink = j.apply(xs);
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 5; r++) {
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < calls / 4; i++) sink = j.apply(xs);
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / 1e3 / (calls / 4));
    }
    System.out.printf("%-40s %7.1f us%n", name, best);
  }

  static void time(String name, int calls, Array x, Array y, BiFunction<Array, Array, Array> f) {
    BiFunction<Array, Array, Array> j = Transforms.jit(f::apply);
    for (int i = 0; i < calls; i++) sink = j.apply(x, y);
    double best = Double.MAX_VALUE;
    for (int r = 0; r < 5; r++) {
      long c0 = MX.getCurrentThreadCpuTime();
      for (int i = 0; i < calls / 4; i++) sink = j.apply(x, y);
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / 1e3 / (calls / 4));
    }
    System.out.printf("%-40s %7.1f us%n", name, best);
  }
}
