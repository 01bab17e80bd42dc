package dev.statelens.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.Array;
import dev.statelens.engine.checkpoint.CheckpointManager;
import dev.statelens.engine.checkpoint.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --checkpoint DIR}: a run stopped and resumed ends bit for bit where an uninterrupted run
 * ends (the final checkpoints are the same bytes: every leaf of params and optimizer state, and
 * the step), whether it stopped by finishing a shorter run or by being killed.
 */
class CheckpointResumeTest {

  @TempDir Path dir;

  private Console run(String example, int steps, Path checkpoints, String... more) {
    List<String> args = new ArrayList<>(List.of(example, "--steps", "" + steps,
        "--checkpoint", checkpoints.toString(), "--checkpoint-every", "50"));
    if (example.equals("linreg") || example.equals("mlp")) { // the examples that write a chart
      args.addAll(List.of("--out", dir.resolve("out").toString()));
    }
    args.addAll(List.of(more));
    Console c = Console.run(args.toArray(String[]::new));
    assertEquals(0, c.exitCode(), c.err());
    return c;
  }

  private static List<String> stepLines(Console c) {
    return c.outLines().stream().filter(l -> l.startsWith("step ")).toList();
  }

  private void assertResumesBitForBit(String example, String... more) throws IOException {
    Path straight = dir.resolve(example + "-straight");
    Path resumed = dir.resolve(example + "-resumed");
    Console whole = run(example, 200, straight, more);
    Console first = run(example, 100, resumed, more);
    assertFalse(first.out().contains("resumed"), first.out());
    Console second = run(example, 200, resumed, more);
    assertTrue(second.out().contains("resumed from " + resumed.resolve("step-000100.npz") + " at step 100"), second.out());
    assertEquals("", second.err(), "resuming is not an error: the line is on stdout");

    Path end = new CheckpointManager(straight).file(200);
    assertArrayEquals(Files.readAllBytes(end), Files.readAllBytes(new CheckpointManager(resumed).file(200)),
        "final state of 100 + 100 steps == of 200 straight, bit for bit");
    assertEquals(List.of(100L, 150L, 200L), new CheckpointManager(straight).steps(), "the newest 3 kept");
    // what the resumed run prints is what the straight run printed from step 100 on
    List<String> later = stepLines(whole).stream().filter(l -> Integer.parseInt(l.split(" ")[1]) >= 100).toList();
    assertEquals(later, stepLines(second));
  }

  @Test
  void mlpResumedIsBitIdenticalToUninterrupted() throws IOException {
    assertResumesBitForBit("mlp", "--every", "25");
  }

  @Test
  void classifyResumedIsBitIdenticalToUninterrupted() throws IOException {
    assertResumesBitForBit("classify", "--every", "25");
  }

  @Test
  void gnnResumedIsBitIdenticalToUninterrupted() throws IOException {
    assertResumesBitForBit("gnn", "--every", "25");
  }

  @Test
  void linregResumedIsBitIdenticalToUninterrupted() throws IOException {
    Path straight = dir.resolve("straight");
    Path resumed = dir.resolve("resumed");
    Console whole = run("linreg", 200, straight);
    run("linreg", 120, resumed);
    Console second = run("linreg", 200, resumed);
    assertEquals("resumed from " + resumed.resolve("step-000120.npz") + " at step 120", second.outLines().getFirst());
    assertEquals(whole.out(), second.out().substring(second.out().indexOf('\n') + 1), "weight, bias, loss and chart printed");
    assertArrayEquals(Files.readAllBytes(straight.resolve("step-000200.npz")), Files.readAllBytes(resumed.resolve("step-000200.npz")));
    assertEquals(List.of(120L, 150L, 200L), new CheckpointManager(resumed).steps(),
        "120 (the first run's end), then 150 and 200");
  }

  @Test
  void aRunAlreadyAtItsLastStepTrainsNothing() {
    Path ckpt = dir.resolve("done");
    run("mlp", 50, ckpt);
    Console again = run("mlp", 50, ckpt);
    assertTrue(again.out().contains("nothing to train: the checkpoint is at step 50"), again.out());
  }

  @Test
  void aCheckpointPastStepsOrOfAnotherModelIsAClearError() {
    Path ckpt = dir.resolve("mlp");
    run("mlp", 100, ckpt);
    Console shorter = Console.run("mlp", "--steps", "50", "--checkpoint", ckpt.toString(), "--out", dir.toString());
    assertEquals(1, shorter.exitCode());
    assertTrue(shorter.err().contains("is at step 100, past --steps 50: pass --steps 100 or more"), shorter.err());

    Console other = Console.run("classify", "--steps", "200", "--checkpoint", ckpt.toString());
    assertEquals(1, other.exitCode());
    assertTrue(other.err().contains("does not match the template"), other.err());
    assertTrue(other.err().contains("'params.hidden1.w': the template has f32[2,32], the file has no such array"), other.err());
  }

  @Test
  void badCheckpointOptionsAreUsageErrors() {
    Console c = Console.run("linreg", "--checkpoint", dir.toString(), "--checkpoint-every", "0");
    assertEquals(2, c.exitCode());
    assertTrue(c.err().contains("--checkpoint-every must be a positive number"), c.err());
    Console k = Console.run("mlp", "--checkpoint", dir.toString(), "--keep-checkpoints", "0");
    assertEquals(2, k.exitCode());
    assertTrue(k.err().contains("--keep-checkpoints must be a positive number"), k.err());
  }

  /** A training process killed (SIGKILL) mid-run resumes from its last checkpoint to the uninterrupted result. */
  @Test
  void aKilledRunResumesToTheUninterruptedResult() throws Exception {
    int steps = 600;
    Path killed = dir.resolve("killed");
    // the child loads the Vector API exactly when this JVM does: the matmul kernels it picks (FMA
    // or not) decide the last bits, and the resumed run continues in this JVM
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED"));
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
    }
    cmd.addAll(List.of(Main.class.getName(),
        "mlp", "--steps", "" + steps, "--checkpoint", killed.toString(), "--checkpoint-every", "10",
        "--out", dir.resolve("child").toString()));
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    CheckpointManager manager = new CheckpointManager(killed);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (manager.steps().stream().noneMatch(s -> s >= 50) && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(child.isAlive(), "the child ended before it was killed:\n" + Files.readString(dir.resolve("child.log")));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    } finally {
      child.destroyForcibly();
    }
    long lastSaved = manager.steps().getLast();
    assertTrue(lastSaved >= 50 && lastSaved < steps, "killed mid-run, at checkpoint " + lastSaved);

    Console resumed = run("mlp", steps, killed);
    assertTrue(resumed.out().contains("at step " + lastSaved), resumed.out());
    Console straight = run("mlp", steps, dir.resolve("straight"));
    assertEquals(stepLines(straight).stream().filter(l -> Integer.parseInt(l.split(" ")[1]) >= lastSaved).toList(),
        stepLines(resumed));
    assertArrayEquals(Files.readAllBytes(dir.resolve("straight").resolve("step-000600.npz")),
        Files.readAllBytes(manager.file(steps)), "the final checkpoints, byte for byte");
    Map<String, Array> a = Checkpoints.load(dir.resolve("straight").resolve("step-000600.npz"));
    Map<String, Array> b = Checkpoints.load(manager.file(steps));
    assertEquals(a.keySet(), b.keySet());
    for (String leaf : a.keySet()) {
      assertArrayEquals(a.get(leaf).toFloatArray(), b.get(leaf).toFloatArray(), leaf); // float equality: -0.0 != 0.0, NaN == NaN
    }
  }
}
