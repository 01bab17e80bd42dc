package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunWriter;
import dev.statelens.examples.LinReg;
import dev.statelens.examples.Mlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The recorder's cost on the examples' training loops: one jitted step per operation, the new
 * state fed back in (so state threading is exercised), with recording off and on. The writer thread's work (statistics, SQLite) is included: the queue is bounded,
 * so a writer slower than the loop would slow the loop down. Target: on at most 5% above off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordingOverheadBench {
  /** off; on (a value snapshot at every call, the default); every100 (statelens.record.every=100). */
  @Param({"off", "on", "every100"})
  public String recording;

  /** linreg: the seed's 2-parameter SGD step; mlp: the 1-32-1 MLP with Adam (13 state leaves). */
  @Param({"linreg", "mlp"})
  public String example;

  private LinReg.Params params;
  private LinReg.Data data;
  private Mlp mlp;
  private Mlp.TrainState state;
  private Mlp.Batch batch;
  private Recorder recorder;
  private Path dir;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Key key = Random.key(LinReg.SEED);
    data = LinReg.data(key);
    params = LinReg.init(key);
    params = LinReg.update(params, data.xs(), data.ys()); // trace + compile outside the measurement
    mlp = new Mlp();
    Pair<Key, Key> k = Random.split(Random.key(Mlp.SEED));
    batch = Mlp.data(k.first());
    state = mlp.step(mlp.initState(Mlp.init(k.second())), batch).state();
    if (!recording.equals("off")) {
      dir = Files.createTempDirectory("statelens-bench");
      recorder = Recorder.open(dir.resolve("linreg.db"),
          RunWriter.Options.defaults().withEvery(recording.equals("every100") ? 100 : 1));
    }
  }

  @Benchmark
  public Object trainStep() {
    if (example.equals("mlp")) {
      state = mlp.step(state, batch).state();
      return state;
    }
    params = LinReg.update(params, data.xs(), data.ys());
    return params;
  }

  /**
   * CPU-time harness for a loaded machine (wall time there is mostly the queue for a core): per
   * example, per round, thread CPU time per step of the training thread with recording off and
   * on, the recorder's writer thread CPU per step, and wall time per step off / on (the loop) /
   * on including the writer's catch-up ({@code flush}). Args: linreg steps per round (default
   * 20,000; the MLP runs a twentieth), rounds (default 5, the first two are warm-up), examples
   * (default {@code linreg,mlp}). {@code -Dstatelens.record.every=k} records value snapshots
   * every k-th step.
   */
  public static void main(String[] args) throws IOException {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    int linregSteps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String[] examples = args.length > 2 ? args[2].split(",") : new String[] {"linreg", "mlp"};
    RunWriter.Options options = RunWriter.Options.defaults().withEvery(Integer.getInteger("statelens.record.every", 1));
    for (String ex : examples) {
      int steps = ex.equals("mlp") ? linregSteps / 20 : linregSteps; // an MLP step is ~100x longer
      RecordingOverheadBench b = new RecordingOverheadBench();
      b.example = ex;
      b.recording = "off";
      b.setup();
      for (int round = 0; round < rounds; round++) {
        long w0 = System.nanoTime();
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < steps; i++) {
          b.trainStep();
        }
        long off = mx.getCurrentThreadCpuTime() - c0;
        long wallOff = System.nanoTime() - w0;
        Path d = Files.createTempDirectory("statelens-bench");
        try (Recorder r = Recorder.open(d.resolve("run.db"), options)) {
          long w1 = System.nanoTime();
          long c1 = mx.getCurrentThreadCpuTime();
          for (int i = 0; i < steps; i++) {
            b.trainStep();
          }
          long on = mx.getCurrentThreadCpuTime() - c1;
          long wallOn = System.nanoTime() - w1;
          r.flush(); // the writer has done this round's work
          long wallFlushed = System.nanoTime() - w1;
          long writer = 0;
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("statelens-run-writer")) {
              writer = mx.getThreadCpuTime(t.threadId());
            }
          }
          if (round >= Math.min(2, rounds - 1)) {
            System.out.printf("%s (every %d): training thread %.3f us/step off, %.3f us/step on (%+.1f%%); writer thread %.3f us/step;"
                + " wall %.3f off, %.3f on, %.3f on+flush us/step%n",
                ex, options.every(), off / 1e3 / steps, on / 1e3 / steps, 100.0 * (on - off) / off, writer / 1e3 / steps,
                wallOff / 1e3 / steps, wallOn / 1e3 / steps, wallFlushed / 1e3 / steps);
          }
        }
        try (var files = Files.list(d)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(d);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (recorder != null) {
      recorder.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }
}
