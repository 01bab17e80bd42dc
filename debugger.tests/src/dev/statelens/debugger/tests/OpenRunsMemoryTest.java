package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.OpenRunsMemory;
import dev.statelens.debugger.ui.StateFlowView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs open when the IDE exits come back after a restart: the open runs' paths and the State Flow
 * view's run are kept in the debugger's dialog settings; on restore the ones still readable are
 * reopened in a Job and the State Flow view shows its run again; a missing file or one that is no
 * longer a run is skipped without a dialog.
 */
class OpenRunsMemoryTest {
  @TempDir Path dir;

  @AfterEach
  void closeRuns() {
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  private static Path path(Run r) {
    return r.path();
  }

  @Test
  void openRunsAreReopenedAfterARestartAndMissingOnesSkipped() throws Exception {
    Path a = Fixtures.linreg(dir.resolve("a.db"), 5, 0.1, -1, -1).toAbsolutePath().normalize();
    Path b = Fixtures.linreg(dir.resolve("b.db"), 7, 0.1, -1, -1).toAbsolutePath().normalize();
    Path missing = dir.resolve("gone.db").toAbsolutePath();
    Path notARun = dir.resolve("notes.db").toAbsolutePath();
    Files.writeString(notARun, "not a database");
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    StateFlowView view = Ui.showStateFlowView();
    assertNull(Ui.call(view::run), "the view starts empty, as after a restart");
    int shells = Ui.call(() -> Display.getDefault().getShells().length);

    // what the last session left: a, a file since deleted, a file that is no longer a run, b (shown)
    OpenRunsMemory.simulateRestart(List.of(a, missing, notARun, b), b);
    Ui.run(() -> OpenRunsMemory.restoreNow(Display.getDefault(), view));
    LiveRunTest.await("the runs reopened", () -> DebuggerPlugin.runs().find(a) != null
        && DebuggerPlugin.runs().find(b) != null && Ui.call(view::run) != null);
    Ui.settle();
    assertEquals(b, path(Ui.call(view::run)), "the State Flow view shows the run it showed");
    assertEquals(List.of(a, b), DebuggerPlugin.runs().all().stream().map(OpenRunsMemoryTest::path).toList(),
        "missing and unreadable files are skipped");
    assertEquals(shells, (int) Ui.call(() -> Display.getDefault().getShells().length), "no error dialog");
    assertFalse(Files.exists(missing), "nothing is created for a missing run");

    // kept up to date: what a restart now would reopen
    assertEquals(List.of(a.toString(), b.toString()), OpenRunsMemory.savedPaths());
    assertEquals(b.toString(), OpenRunsMemory.savedShown());
    DebuggerPlugin.runs().remove(DebuggerPlugin.runs().find(a));
    assertEquals(List.of(b.toString()), OpenRunsMemory.savedPaths(), "a closed run is not reopened");
    Ui.settle();
    DebuggerPlugin.runs().remove(DebuggerPlugin.runs().find(b));
    LiveRunTest.await("the view emptied", () -> {
      Ui.settle();
      return Ui.call(view::run) == null;
    });
    assertEquals(List.of(), OpenRunsMemory.savedPaths());
    assertEquals("", OpenRunsMemory.savedShown(), "the view shows nothing: nothing to show after a restart");
  }
}
