package dev.statelens.bench;

import dev.statelens.engine.Key;
import dev.statelens.engine.Pair;
import dev.statelens.engine.Random;
import dev.statelens.engine.checkpoint.Checkpoints;
import dev.statelens.examples.Mlp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Saving and restoring a training state as .npz ({@link Checkpoints}): the mlp example's
 * {@code TrainState} (13 leaves, 1 KB of data) and a 64 MB state (four F32 [4096, 1024] leaves).
 * A save includes the fsync of the file and its folder and the atomic rename, so it measures the
 * disk as much as the code; {@code java.io.tmpdir} decides which disk.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class CheckpointBench extends EngineBench {

  @Param({"mlp", "64MB"})
  public String state;

  private Object tree;
  private Path dir;
  private Path saved;

  @Setup
  public void setup() throws IOException {
    if (state.equals("mlp")) {
      Pair<Key, Key> k = Random.split(Random.key(Mlp.SEED));
      Mlp mlp = new Mlp();
      tree = mlp.initState(Mlp.init(k.second()));
    } else {
      List<Key> keys = Random.split(Random.key(0), 4);
      tree = keys.stream().map(key -> Random.normal(key, 4096, 1024)).toList();
    }
    dir = Files.createTempDirectory("checkpoint-bench");
    saved = Checkpoints.save(dir.resolve("restore.npz"), tree, 1);
  }

  @TearDown
  public void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public Path save() throws IOException {
    return Checkpoints.save(dir.resolve("save.npz"), tree, 1);
  }

  @Benchmark
  public Object restore() throws IOException {
    return Checkpoints.restore(saved, tree);
  }
}
