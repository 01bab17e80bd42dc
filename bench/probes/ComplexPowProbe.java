import dev.statelens.engine.Array;
import dev.statelens.engine.DType;
import dev.statelens.engine.Transforms;
import java.lang.management.ManagementFactory;
import java.util.function.BiFunction;

/**
 * Thread CPU time per element of jitted c64 {@code mul}, {@code div}, {@code square}, {@code abs},
 * a fused group {@code x*y + x/y}, {@code pow}, {@code add} and {@code neg} on [65536] (best of 7 rounds of 20 calls), the
 * engine on one thread; arguments pick some of them ({@code mul div}). pow is XLA's polar form with glibc's
 * powf/atan2f/sinf/cosf through java.lang.foreign (backend/cpu/Libm); {@code -Dstatelens.cpu.nolibm=true}
 * times Java's double stand-ins. Its JAX twin: bench/probes/complex_pow_jax.py. Run:
 * <pre>java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dstatelens.cpu.threads=1 \
 *   -cp engine/target/classes bench/probes/ComplexPowProbe.java</pre>
 */
public class ComplexPowProbe {
  public static void main(String[] a) {
    int n = 1 << 16;
    float[] re = new float[n], im = new float[n], re2 = new float[n], im2 = new float[n];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < n; i++) { re[i] = (float) r.nextGaussian(); im[i] = (float) r.nextGaussian();
      re2[i] = (float) (0.5 * r.nextGaussian()); im2[i] = (float) (0.5 * r.nextGaussian()); }
    Array z = Array.complex(Array.of(re), Array.of(im)), w = Array.complex(Array.of(re2), Array.of(im2));
    var bean = ManagementFactory.getThreadMXBean();
    String[] ops = a.length > 0 ? a : new String[] {"mul", "div", "square", "abs", "fused", "pow", "add", "neg"};
    for (String op : ops) {
      BiFunction<Array, Array, Array> f = Transforms.jit((Array x, Array y) -> switch (op) {
        case "mul" -> x.mul(y); case "div" -> x.div(y); case "square" -> x.square(); case "abs" -> x.abs();
        case "fused" -> x.mul(y).add(x.div(y)); case "add" -> x.add(y); case "neg" -> x.neg();
        default -> x.pow(y); });
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 7; round++) {
        long t0 = bean.getCurrentThreadCpuTime();
        int calls = 20;
        for (int c = 0; c < calls; c++) f.apply(z, w).toFloatArray();
        best = Math.min(best, (bean.getCurrentThreadCpuTime() - t0) / (double) calls / n);
      }
      System.out.printf("c64 %s [%d]: %.1f ns/element (thread CPU, best of 7 rounds of 20 calls)%n", op, n, best);
    }
  }
}
