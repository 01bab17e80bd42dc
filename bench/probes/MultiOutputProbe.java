import dev.statelens.engine.Array;
import dev.statelens.engine.Random;
import dev.statelens.engine.Transforms;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.Function;

/**
 * The transformer's layer norm gradient pattern over [16,32,48] alone, thread CPU per call, best of
 * 5 rounds after a warm-up: p = g * x read by a row sum of p * a and a column sum of p * b, beside
 * the column sum of g and q = g * y read by a row sum of -q and by the result (each graph also
 * negates a 65,536-element input: about 15 us of both times). Compare
 * -Dstatelens.cpu.multioutput=false (separate steps) with the default (one multi-output step). The
 * [16,32,192] cases are above one thread's worth: they split over threads (process CPU and wall
 * time besides the calling thread's CPU); the two "both kinds" cases stayed separate steps at that
 * size before perf8 (rows now go to threads by the leading sums' lanes).
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 -cp JAR bench/probes/MultiOutputProbe.java [calls]</pre>
 */
public class MultiOutputProbe {
  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
  static Object sink;

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
    int[] shape = {16, 32, 48};
    // the sixth input (65,536 elements) keeps the graph on the interpreter, as in a training step:
    // graphs whose values are all small are generated as a whole (GraphCodegen) instead
    List<Array> in = List.of(Random.normal(Random.key(1), shape), Random.normal(Random.key(2), shape),
        Random.normal(Random.key(3), shape), Random.normal(Random.key(4), shape), Random.normal(Random.key(5), shape),
        Random.normal(Random.key(6), new int[] {65_536}));
    time("layer norm gradient [16,32,48]", calls, in, v -> {
      Array g = v.get(0), x = v.get(1), a = v.get(2), b = v.get(3), y = v.get(4);
      Array p = g.mul(x);
      Array q = g.mul(y);
      return List.of(p.mul(a).sum(2), p.mul(b).sum(0, 1), g.sum(0, 1), q.neg().sum(2), q.add(x), v.get(5).neg());
    });
    time("product, two sums [16,32,48]", calls, in, v -> {
      Array p = v.get(0).mul(v.get(1));
      return List.of(p.mul(v.get(2)).sum(2), p.mul(v.get(3)).sum(0, 1), v.get(5).neg());
    });
    // above one thread's worth (98,304 elements): the MLP's [16,32,192] gradient and its bias
    // gradients (leading sums: split by columns), and row statistics (trailing: split by rows)
    int[] wide = {16, 32, 192};
    List<Array> big = List.of(Random.normal(Random.key(7), wide), Random.normal(Random.key(8), wide),
        Random.normal(Random.key(9), wide));
    time("gradient, two bias sums [16,32,192]", calls, big, v -> {
      Array p = v.get(0).mul(v.get(1));
      return List.of(p.mul(v.get(2)), p.sum(0, 1), v.get(0).sum(0, 1));
    });
    time("product, row sum and max [16,32,192]", calls, big, v -> {
      Array p = v.get(0).mul(v.get(1));
      return List.of(p.add(v.get(2)), p.sum(2), p.max(2));
    });
    // both kinds above one thread's worth (perf8): split by the leading sums' lanes, rows r % 4
    List<Array> wider = List.of(big.get(0), big.get(1), big.get(2), Random.normal(Random.key(10), wide),
        Random.normal(Random.key(11), wide));
    time("layer norm gradient [16,32,192] (both kinds)", calls, wider, v -> {
      Array g = v.get(0), x = v.get(1), a = v.get(2), b = v.get(3), y = v.get(4);
      Array p = g.mul(x);
      Array q = g.mul(y);
      return List.of(p.mul(a).sum(2), p.mul(b).sum(0, 1), g.sum(0, 1), q.neg().sum(2), q.add(x));
    });
    time("product, row sum, bias sum [16,32,192] (both kinds)", calls, big, v -> {
      Array p = v.get(0).mul(v.get(1));
      return List.of(p.mul(v.get(2)).sum(2), p.sum(0, 1));
    });
  }

  static void time(String name, int calls, List<Array> xs, Function<List<Array>, List<Array>> f) {
    Function<List<Array>, List<Array>> j = Transforms.jit(f::apply);
    for (int i = 0; i < calls; i++) sink = j.apply(xs);
    double best = Double.MAX_VALUE;
    double bestWall = Double.MAX_VALUE;
    double bestProcess = Double.MAX_VALUE;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int r = 0; r < 5; r++) {
      long c0 = MX.getCurrentThreadCpuTime();
      long p0 = os.getProcessCpuTime();
      long w0 = System.nanoTime();
      for (int i = 0; i < calls / 4; i++) sink = j.apply(xs);
      best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / 1e3 / (calls / 4));
      bestProcess = Math.min(bestProcess, (os.getProcessCpuTime() - p0) / 1e3 / (calls / 4));
      bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e3 / (calls / 4));
    }
    System.out.printf("%-44s %7.1f us thread CPU %7.1f us process CPU %7.1f us wall%n", name, best, bestProcess, bestWall);
  }
}
