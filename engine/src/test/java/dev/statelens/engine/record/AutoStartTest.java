package dev.statelens.engine.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunFacts;
import dev.statelens.engine.record.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switches read by {@link AutoStart} at the first jit call, in a child JVM (so environment
 * variables can be set): {@code statelens.record} / {@code STATELENS_RECORD} start recording with
 * no change to the program, {@code statelens.record.maxValues} / {@code STATELENS_RECORD_MAX_VALUES}
 * bound the values kept per leaf. The child ({@code ChildProgram leaves}) returns {@code big}
 * = 0, 2, ..., 198 (100 elements) and {@code small} = 0, 2, 4.
 */
class AutoStartTest {
  @TempDir Path dir;

  @Test
  void theEnvironmentVariableStartsRecordingWithDefaultMaxValues() throws Exception {
    Path db = dir.resolve("env.db");
    runChild(Map.of("STATELENS_RECORD", db.toString()), List.of());
    try (RunStore run = RunStore.open(db)) {
      assertTrue(run.isFinished(), "the shutdown hook closes the run");
      assertEquals("64", run.meta().get("max_values"));
      assertEquals(1, run.calls("leaves", 0, 0).size());
      LeafSample big = leaves(run).get("out:big");
      assertEquals(100, big.size());
      assertTrue(big.sampled(), "100 elements > 64");
      assertArrayEquals(sample(100, 64), big.values(), "element floor(k * 100 / 64) for k < 64");
      assertFalse(leaves(run).get("out:small").sampled());
    }
  }

  @Test
  void thePropertiesStartRecordingAndBoundTheValuesKept() throws Exception {
    Path db = dir.resolve("prop.db");
    runChild(Map.of(), List.of("-Dstatelens.record=" + db, "-Dstatelens.record.maxValues=10"));
    try (RunStore run = RunStore.open(db)) {
      assertEquals("10", run.meta().get("max_values"));
      Map<String, LeafSample> leaves = leaves(run);
      LeafSample big = leaves.get("out:big");
      assertTrue(big.sampled());
      assertArrayEquals(sample(100, 10), big.values(), "0, 20, 40, ..., 180: evenly spaced");
      LeafSample in = leaves.get("in:arg0");
      assertArrayEquals(new double[] {0, 10, 20, 30, 40, 50, 60, 70, 80, 90}, in.values());
      // statistics stay over all 100 elements, not the sample
      assertEquals(198.0, big.max());
      assertEquals(99.0, big.mean(), 1e-9);
      LeafSample small = leaves.get("out:small");
      assertFalse(small.sampled(), "3 elements <= 10 are all kept");
      assertArrayEquals(new double[] {0, 2, 4}, small.values());
    }
  }

  @Test
  void theMaxValuesEnvironmentVariableWorksAndThePropertyWinsOverTheEnvironment() throws Exception {
    Path db = dir.resolve("both.db");
    Path ignored = dir.resolve("ignored.db");
    runChild(Map.of("STATELENS_RECORD", ignored.toString(), "STATELENS_RECORD_MAX_VALUES", "3"),
        List.of("-Dstatelens.record=" + db));
    assertFalse(Files.exists(ignored), "the property names the run store");
    try (RunStore run = RunStore.open(db)) {
      assertEquals("3", run.meta().get("max_values"));
      LeafSample big = leaves(run).get("out:big");
      assertArrayEquals(new double[] {0, 66, 132}, big.values(), "elements 0, 33, 66 times two");
      LeafSample small = leaves(run).get("out:small");
      assertFalse(small.sampled(), "size == maxValues keeps all");
      assertArrayEquals(new double[] {0, 2, 4}, small.values());
    }
  }

  @Test
  void aBadMaxValuesIsReportedAndTheDefaultUsed() throws Exception {
    Path db = dir.resolve("bad.db");
    String out = runChild(Map.of("STATELENS_RECORD", db.toString()), List.of("-Dstatelens.record.maxValues=many"));
    assertTrue(out.contains("statelens.record.maxValues must be a number >= 0, got 'many'; using 64."), out);
    try (RunStore run = RunStore.open(db)) {
      assertEquals("64", run.meta().get("max_values"));
    }
  }

  @Test
  void aRunFileThatCannotBeCreatedIsOneLineAndTheProgramRunsUnrecorded() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.db"), "not a run store");
    String out = runChild(Map.of("STATELENS_RECORD", notes.toString()), List.of());
    assertTrue(out.contains("statelens: recording was requested but could not start, so the program runs unrecorded: "
        + "cannot create the run store " + notes + ": the file exists and is not a StateLens run store"), out);
    assertFalse(out.contains("RunStoreException"), "the message, not the exception's class: " + out);
    assertEquals("not a run store", Files.readString(notes), "the file is kept");
  }

  @Test
  void withoutTheSwitchesNothingIsRecorded() throws Exception {
    String out = runChild(Map.of(), List.of("-Duser.dir=" + dir));
    assertFalse(out.contains("recording to"), out);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  @Test
  void scalarsLoggedBeforeTheFirstJitCallAreWrittenAtStepZero() throws Exception {
    Path db = dir.resolve("settings.db");
    runChild(Map.of(), List.of("-Dstatelens.record=" + db), "settings");
    try (RunStore run = RunStore.open(db)) {
      assertEquals(List.of(0L), steps(run, "lr"), "logged before the recorder started: at step 0");
      assertEquals(0.01, values(run, "lr")[0], "the last value logged before it started");
      assertEquals(32.0, values(run, "batch")[0]);
      assertEquals(List.of(0L, 1L, 2L), steps(run, "seen"), "scalars logged after the calls keep their steps");
      Map<String, String> settings = RunFacts.read(run, "settings.db").settings();
      assertEquals(RunFacts.format(0.01), settings.get("lr"), settings.toString());
      assertEquals(RunFacts.format(32), settings.get("batch"), settings.toString());
    }
  }

  @Test
  void withoutRecordingScalarsLoggedBeforeTheFirstCallLeaveNoFile() throws Exception {
    runChild(Map.of(), List.of("-Duser.dir=" + dir), "settings");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(), files.toList());
    }
  }

  private static List<Long> steps(RunStore run, String scalar) {
    return java.util.Arrays.stream(series(run, scalar).firstStep()).boxed().toList();
  }

  private static double[] values(RunStore run, String scalar) {
    return series(run, scalar).lo();
  }

  private static dev.statelens.engine.record.store.Series series(RunStore run, String scalar) {
    return run.series(run.scalar(scalar).orElseThrow(), dev.statelens.engine.record.store.Stat.MEAN, 100);
  }

  /** Element floor(k * size / max) of 0, 2, 4, ...: what a sampled leaf of {@code big} keeps. */
  private static double[] sample(int size, int max) {
    double[] v = new double[max];
    for (int k = 0; k < max; k++) {
      v[k] = 2.0 * Math.floorDiv((long) k * size, max);
    }
    return v;
  }

  private static Map<String, LeafSample> leaves(RunStore run) {
    return run.state("leaves", 0).stream().collect(Collectors.toMap(LeafSample::key, Function.identity()));
  }

  private static String runChild(Map<String, String> env, List<String> jvmOptions) throws Exception {
    return runChild(env, jvmOptions, "leaves");
  }

  private static String runChild(Map<String, String> env, List<String> jvmOptions, String mode) throws Exception {
    try (ChildJvm child = new ChildJvm(env, jvmOptions, mode)) {
      child.await("DONE", 60);
      assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "the child exits");
      assertEquals(0, child.process.exitValue(), child.output());
      return child.output();
    }
  }
}
