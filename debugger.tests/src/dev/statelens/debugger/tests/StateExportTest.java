package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.Array;
import dev.statelens.engine.Transforms;
import dev.statelens.engine.checkpoint.Checkpoints;
import dev.statelens.engine.checkpoint.RecordedStepExport;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.LeafSample;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Export State at This Step as .npz…": the selected step's fully recorded leaves, the sampled ones named. */
class StateExportTest {

  /** A state with a leaf too large for the recording's 64 values (only a sample is kept). */
  record State(Array w, Array table) {}

  @TempDir static Path dir;

  static Path record(Path db) {
    Function<State, State> step = Transforms.jit("fit", (State s) -> new State(s.w().mul(0.5).add(1), s.table().add(s.w().sum())));
    Recorder.argNames(step, "state");
    try (Recorder r = Recorder.open(db, RunWriter.Options.defaults().withMaxValues(64))) {
      State s = new State(Array.of(1f, -2f, 0.25f), Array.zeros(10, 10));
      for (int i = 0; i < 6; i++) {
        s = step.apply(s);
      }
    }
    return db;
  }

  @AfterAll
  static void close() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @Test
  void exportsTheSelectedStepsFullyRecordedLeavesAndNamesTheSampledOnes() throws Exception {
    Path db = record(dir.resolve("export.db"));
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    StateFlowView v = StateFlowViewTest.show(db);
    Ui.run(() -> v.selectStep(3));
    Ui.settle();
    Path file = dir.resolve("fit-step-3.npz");
    RecordedStepExport.Result r = Ui.call(() -> v.exportState(file));
    assertNotNull(r, Ui.call(v::status));
    assertEquals(List.of("in:state.w", "out:w"), r.exported());
    assertEquals(List.of("in:state.table", "out:table"), r.summarized());
    String status = Ui.call(v::status);
    assertTrue(status.startsWith("Exported 2 leaves of step 3 to " + file), status);
    assertTrue(status.contains("left out 2 only summarized (recorded as a sample): in:state.table, out:table"), status);

    Map<String, Array> z = Checkpoints.load(file);
    try (RunStore store = RunStore.open(db)) {
      for (LeafSample s : store.state("fit", 3)) {
        if (!s.sampled()) {
          Array a = z.get(s.key());
          assertArrayEquals(s.shape(), a.shape(), s.key());
          float[] got = a.toFloatArray();
          for (int i = 0; i < got.length; i++) {
            assertEquals((float) s.values()[i], got[i], s.key() + "[" + i + "]");
          }
        }
      }
    }
    String shots = System.getenv("STATELENS_SCREENSHOTS");
    if (shots != null) { // the status line after an export, for docs/screenshots
      Ui.run(() -> {
        var shell = Ui.page().getWorkbenchWindow().getShell();
        shell.setBounds(shell.getDisplay().getBounds());
      });
      Ui.settle();
      Thread.sleep(500);
      ScreenshotTest.capture(Files.createDirectories(Path.of(shots)).resolve("debugger-export-state.png"));
    }
  }

  @Test
  void aFailedExportSaysWhyInTheStatusLine() throws Exception {
    Path db = record(dir.resolve("fail.db"));
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    StateFlowView v = StateFlowViewTest.show(db);
    Path blocked = Files.writeString(dir.resolve("a-file"), "not a folder").resolve("x.npz");
    assertNull(Ui.call(() -> v.exportState(blocked)));
    assertTrue(Ui.call(v::status).startsWith("Could not export step"), Ui.call(v::status));
  }
}
