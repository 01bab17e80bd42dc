package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Random;
import dev.statelens.engine.record.Recorder;
import dev.statelens.examples.LinReg;
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
 * The recorder's cost on the seed's linear regression training loop: one jitted {@code update}
 * per operation, the new params fed back in (so state threading is exercised), with recording
 * off and on. The writer thread's work (statistics, SQLite) is included: the queue is bounded,
 * so a writer slower than the loop would slow the loop down. Target: on at most 5% above off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RecordingOverheadBench {
  @Param({"off", "on"})
  public String recording;

  private LinReg.Params params;
  private LinReg.Data data;
  private Recorder recorder;
  private Path dir;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    Key key = Random.key(LinReg.SEED);
    data = LinReg.data(key);
    params = LinReg.init(key);
    params = LinReg.update(params, data.xs(), data.ys()); // trace + compile outside the measurement
    if (recording.equals("on")) {
      dir = Files.createTempDirectory("statelens-bench");
      recorder = Recorder.open(dir.resolve("linreg.db"));
    }
  }

  @Benchmark
  public LinReg.Params trainStep() {
    params = LinReg.update(params, data.xs(), data.ys());
    return params;
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
