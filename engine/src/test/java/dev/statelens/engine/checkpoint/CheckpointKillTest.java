package dev.statelens.engine.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed (SIGKILL) in the middle of a save: the checkpoint it was replacing is intact.
 * The child ({@link #main}) saves ever newer versions of two 8 MB arrays to one file; the test
 * kills it while its second save is under way.
 */
class CheckpointKillTest {

  static final int ELEMENTS = 2 << 20;

  /** Child: saves version 1, 2, 3, ... of {@code {a, b}} (every element = the version) to args[0]. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    for (int version = 1; ; version++) {
      Array v = Array.full(new int[] {ELEMENTS}, version);
      System.out.println("saving " + version);
      Checkpoints.save(file, Map.of("a", v, "b", v), version);
      System.out.println("saved " + version);
    }
  }

  @TempDir Path dir;

  @Test
  void killedMidSaveTheLastCompleteCheckpointIsIntact() throws Exception {
    Path file = dir.resolve("state.npz");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
        CheckpointKillTest.class.getName(), file.toString()));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("saving 1", out.readLine());
      assertEquals("saved 1", out.readLine());
      assertEquals("saving 2", out.readLine());
      // kill once the temporary file holds 4 MB of the save's 16 (or 50 ms into the save: a save
      // that wrote the file in place would be cut off there too)
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
      while (bytesInTemporaries() < 4 << 20 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }

    Map<String, Array> back = Checkpoints.load(file);
    long version = Checkpoints.step(file).orElseThrow();
    assertTrue(version >= 1);
    for (String name : List.of("a", "b")) {
      float[] values = back.get(name).toFloatArray();
      assertEquals(ELEMENTS, values.length);
      for (int i = 0; i < values.length; i += 4099) {
        assertEquals(version, values[i], name + "[" + i + "] belongs to the saved step");
      }
      assertEquals(version, values[values.length - 1]);
    }
  }

  private long bytesInTemporaries() throws IOException {
    long bytes = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
        try {
          bytes += Files.size(f);
        } catch (IOException renamedMeanwhile) {
          // the save finished between the listing and the size
        }
      }
    }
    return bytes;
  }
}
