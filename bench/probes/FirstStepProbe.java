import dev.statelens.engine.Optim;
import dev.statelens.engine.Random;
import dev.statelens.examples.Transformer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * First-call latency of the transformer example's AdamW step in a fresh JVM: the first call
 * (trace + compile + run, interpreted by a cold JVM), then calls 2..5 one by one (compiled fused
 * groups are generated at a group's second run), thread CPU and wall.
 *
 * <pre>java --add-modules=jdk.incubator.vector -Dstatelens.cpu.threads=1 -cp JAR bench/probes/FirstStepProbe.java</pre>
 */
public class FirstStepProbe {
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Transformer t = new Transformer(Optim.adamw(Transformer.ADAM_LEARNING_RATE, 0.9, 0.999, 1e-8, Transformer.WEIGHT_DECAY));
    Transformer.TrainState s = t.initState(Transformer.init(Random.key(Transformer.SEED)));
    Transformer.Batch b = t.batch(Random.key(1), 0);
    StringBuilder out = new StringBuilder("AdamW step calls 1..5, thread CPU ms (wall ms):");
    for (int call = 1; call <= 5; call++) {
      long c0 = mx.getCurrentThreadCpuTime();
      long w0 = System.nanoTime();
      t.step(s, b);
      long c1 = mx.getCurrentThreadCpuTime();
      long w1 = System.nanoTime();
      out.append(String.format(" %d: %.0f (%.0f)", call, (c1 - c0) / 1e6, (w1 - w0) / 1e6));
    }
    System.out.println(out);
  }
}
