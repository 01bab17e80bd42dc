package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.DebuggerPlugin;
import dev.statelens.debugger.model.Run;
import dev.statelens.debugger.ui.DebuggerPerspective;
import dev.statelens.debugger.ui.OpenRunHandler;
import dev.statelens.debugger.ui.RunsView;
import dev.statelens.debugger.ui.StateFlowView;
import dev.statelens.engine.record.Recorder;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.engine.record.store.RunStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File > Open StateLens Run… on files that are not (yet, or no longer) good runs: each bad one ends
 * in one error dialog naming the file and the fix (no SQLite text, no stack trace; the exception in
 * the Error Log), writes nothing into or beside the file, and leaves the Runs view working. A
 * killed run and one still being recorded open and say so.
 */
class BadRunFilesTest {
  static final int STEPS = 40;

  @TempDir static Path dir;
  static Path good;
  static boolean automated;
  final List<IStatus> logged = new CopyOnWriteArrayList<>();
  final ILogListener logListener = (status, plugin) -> logged.add(status);

  @BeforeAll
  static void record() {
    good = Fixtures.linreg(dir.resolve("good.db"), STEPS, 0.02, -1, -1);
    automated = ErrorDialog.AUTOMATED_MODE;
    ErrorDialog.AUTOMATED_MODE = false; // the dialog is what is tested
  }

  @AfterAll
  static void restore() {
    ErrorDialog.AUTOMATED_MODE = automated;
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
  }

  @BeforeEach
  void fresh() {
    DebuggerPlugin.runs().all().forEach(DebuggerPlugin.runs()::remove);
    Ui.run(() -> {
      try {
        var wb = org.eclipse.ui.PlatformUI.getWorkbench();
        Ui.page().setPerspective(wb.getPerspectiveRegistry().findPerspectiveWithId(DebuggerPerspective.ID));
        Ui.page().closeAllEditors(false);
        Ui.page().setEditorAreaVisible(false);
        wb.getActiveWorkbenchWindow().getShell().setSize(1400, 900);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Platform.addLogListener(logListener);
  }

  @AfterEach
  void stopListening() {
    Platform.removeLogListener(logListener);
    Ui.closeStateFlowView();
  }

  // ---- the bad files ---------------------------------------------------------------------------

  @Test
  void missingFile() throws Exception {
    Path f = dir.resolve("missing/nope.db");
    String m = refused(f, "does not exist", "-Dstatelens.record=");
    assertTrue(m.contains(f.toString()), m);
    assertFalse(Files.exists(f.getParent()), "nothing created");
  }

  @Test
  void emptyFile() throws Exception {
    Path f = Files.createDirectories(dir.resolve("empty")).resolve("empty.db");
    Files.createFile(f);
    refused(f, "0 bytes", "Re-record the run");
  }

  @Test
  void truncatedRun() throws Exception {
    byte[] whole = Files.readAllBytes(good);
    Path f = Files.createDirectories(dir.resolve("truncated")).resolve("half.db");
    Files.write(f, Arrays.copyOf(whole, whole.length / 2));
    refused(f, "is truncated", "use the complete file or re-record the run");
  }

  @Test
  void randomBytes() throws Exception {
    byte[] b = new byte[16384];
    new Random(7).nextBytes(b);
    Path f = Files.createDirectories(dir.resolve("random")).resolve("noise.db");
    Files.write(f, b);
    refused(f, "not an SQLite database", "Pass the .db file the recorder wrote");
  }

  @Test
  void anotherApplicationsDatabase() throws Exception {
    // a complete SQLite database whose header says it belongs to another application
    byte[] b = Files.readAllBytes(good);
    putInt(b, 68, 0x0F0F1234);
    Path f = Files.createDirectories(dir.resolve("other")).resolve("places.db");
    Files.write(f, b);
    refused(f, "not a StateLens run store", "Pass the .db file the recorder wrote");
  }

  @Test
  void newerSchemaVersion() throws Exception {
    byte[] b = Files.readAllBytes(good);
    putInt(b, 60, 99); // PRAGMA user_version: the run store schema version
    Path f = Files.createDirectories(dir.resolve("newer")).resolve("future.db");
    Files.write(f, b);
    refused(f, "schema version 99", "Update StateLens to read it");
  }

  @Test
  void corruptPages() throws Exception {
    byte[] b = Files.readAllBytes(good);
    int page = ((b[16] & 0xff) << 8) | (b[17] & 0xff);
    byte[] junk = new byte[page];
    new Random(7).nextBytes(junk);
    for (int off = page; off + page <= b.length; off += page) { // every page but the header's
      System.arraycopy(junk, 0, b, off, page);
    }
    Path f = Files.createDirectories(dir.resolve("corrupt")).resolve("broken.db");
    Files.write(f, b);
    String m = refused(f, "", "-record the run");
    assertTrue(m.contains("is corrupt") || m.contains("lacks part of the run store schema"), m);
    // the dialog has the summary; SQLite's report is in the Error Log, with the exception
    assertTrue(logged.stream().anyMatch(s -> s.getException() instanceof RunStoreException e
        && e.detail().orElse("").startsWith("[SQLITE_") && e.getMessage().contains(e.detail().get())),
        "SQLite's report logged: " + logged);
  }

  /**
   * Opens {@code f} as File > Open Run… does and checks the whole user-visible outcome; returns the
   * dialog's text.
   */
  private String refused(Path f, String problem, String fix) throws Exception {
    byte[] before = Files.exists(f) ? Files.readAllBytes(f) : null;
    List<String> siblings = Files.exists(f.getParent()) ? list(f.getParent()) : null;
    int runs = Ui.call(() -> runsView().viewer().getTable().getItemCount());

    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), f));
    Ui.settle();
    Shell dialog = awaitDialog();
    String text = Ui.call(() -> labels(dialog));
    shot(f.getParent().getFileName() + "", "debugger-bad-run-dialog.png", "truncated");
    Ui.run(dialog::close);
    Ui.settle();

    assertTrue(text.contains("Could not open " + f.getFileName()), text);
    assertTrue(text.contains(f.toString()), "names the file: " + text);
    assertTrue(text.contains(problem), "says what is wrong (" + problem + "): " + text);
    assertTrue(text.contains(fix), "says what to do (" + fix + "): " + text);
    for (String raw : List.of("SQLITE_", "SQLException", "Exception", "\tat ")) {
      assertFalse(text.contains(raw), "no raw error text (" + raw + "): " + text);
    }
    assertNull(Ui.call(this::openDialog), "one dialog, closed");
    // the full exception went to the Error Log
    assertTrue(logged.stream().anyMatch(s -> s.getMessage().contains(f.toString()) && s.getException() != null),
        "logged with its exception: " + logged);
    // nothing written to or beside the file
    if (before != null) {
      assertArrayEquals(before, Files.readAllBytes(f), "the file is unchanged");
    }
    if (siblings != null) {
      assertEquals(siblings, list(f.getParent()), "no -wal/-shm/-journal left beside it");
    }
    // not added, and the Runs view still works: a good run opens after it
    assertEquals(runs, Ui.call(() -> runsView().viewer().getTable().getItemCount()));
    assertTrue(DebuggerPlugin.runs().all().stream().noneMatch(r -> r.path().equals(f.toAbsolutePath().normalize())));
    StateFlowView v = openAndSettle(good);
    assertEquals(STEPS - 1, (long) Ui.call(v::step), Ui.call(v::status));
    assertEquals("finished", Ui.call(() -> RunsView.status(DebuggerPlugin.runs().find(good))));
    return text;
  }

  // ---- unfinished runs ---------------------------------------------------------------------------

  @Test
  void aKilledRunOpensWithWhatItRecordedAndSaysItEndedEarly() throws Exception {
    Path killed = Files.createDirectories(dir.resolve("killed")).resolve("killed.db");
    Path live = Files.createDirectories(dir.resolve("killed-source")).resolve("x.db");
    try (Recorder r = Recorder.open(live)) {
      Fixtures.train(25);
      r.flush();
      // what kill -9 leaves: the file and its write-ahead log as they are mid-recording
      Files.copy(live, killed, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(Path.of(live + "-wal"), Path.of(killed + "-wal"), StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] wal = Files.readAllBytes(Path.of(killed + "-wal"));
    assertTrue(wal.length > 0);

    StateFlowView v = openAndSettle(killed);
    assertNull(Ui.call(this::openDialog), "a killed run is not an error");
    assertEquals(24L, (long) Ui.call(v::step), "opens on the last recorded step");
    String status = Ui.call(v::status);
    assertTrue(status.startsWith("25 calls"), status);
    assertTrue(status.contains("stopped at step 24 without closing the run"), status);
    Run run = DebuggerPlugin.runs().find(killed);
    assertEquals("ended early at step 24: the process stopped without closing the run", Ui.call(() -> RunsView.status(run)));
    shot("killed", "debugger-killed-run.png", "killed");
    // no writer is left: the view, its last reader, checkpointed the log into the file (no step
    // lost) and removed it and its index
    assertEquals(List.of("killed.db"), list(killed.getParent()));
    Ui.closeStateFlowView();
    DebuggerPlugin.runs().remove(run);
    try (RunStore s = RunStore.open(killed)) {
      assertFalse(s.isFinished(), "still a run that ended early");
      assertEquals(25, s.callCount());
      assertFalse(s.state(Fixtures.FUNCTION, 24).isEmpty(), "the last step the log held has its leaves");
    }
  }

  @Test
  void aRunStillBeingRecordedOpensAndFollowsTheWriter() throws Exception {
    Path db = Files.createDirectories(dir.resolve("growing")).resolve("growing.db");
    Recorder r = Recorder.open(db);
    try {
      Fixtures.train(10);
      r.flush();
      StateFlowView v = openAndSettle(db);
      String status = Ui.call(v::status);
      assertTrue(status.startsWith("10 calls"), status);
      assertTrue(status.contains("being recorded by process " + ProcessHandle.current().pid()), status);
      Run run = DebuggerPlugin.runs().find(db);
      assertTrue(Ui.call(() -> RunsView.status(run)).startsWith("being recorded"), Ui.call(() -> RunsView.status(run)));

      Fixtures.train(15);
      r.flush();
      await(() -> Ui.call(v::status).startsWith("25 calls"), "the view re-reads the growing run: " + Ui.call(v::status));
      await(() -> Ui.call(() -> runsView().viewer().getTable().getItem(0).getText(1)).equals("25"),
          "the Runs view follows");
      // with another run in the State Flow view, the Runs view's Refresh re-reads the growing one
      openAndSettle(good);
      Fixtures.train(5);
      r.flush();
      Ui.run(() -> runsView().rereadAll());
      Ui.settle();
      assertEquals(30, DebuggerPlugin.runs().find(db).summary().calls());
      assertEquals("30", Ui.call(() -> runsView().viewer().getTable().getItem(0).getText(1)));
      openAndSettle(db);
    } finally {
      r.close();
    }
    StateFlowView v = Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
    // the writer finished: the next re-read says so, and then the view stops polling
    await(() -> !Ui.call(v::status).contains("being recorded"), "finished: " + Ui.call(v::status));
    assertEquals("finished", Ui.call(() -> RunsView.status(DebuggerPlugin.runs().find(db))));
    // the recorder's switch out of WAL mode was refused while the view read it; the view finished it
    await(() -> list(db.getParent()).equals(List.of("growing.db")), "no -wal/-shm beside the finished run");
  }

  @Test
  void theSameFileOpenedTwiceIsOneRun() throws Exception {
    openAndSettle(good);
    Run first = DebuggerPlugin.runs().find(good);
    assertNotNull(first);
    StateFlowView v = openAndSettle(good);
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), Path.of(good.getParent() + "/./" + good.getFileName())));
    Ui.settle();
    assertNull(Ui.call(this::openDialog));
    assertEquals(1, DebuggerPlugin.runs().all().size());
    assertEquals(1, (int) Ui.call(() -> runsView().viewer().getTable().getItemCount()));
    assertTrue(first == DebuggerPlugin.runs().find(good));
    assertTrue(first == Ui.call(v::run));
    assertEquals(STEPS - 1, (long) Ui.call(v::step));
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static StateFlowView openAndSettle(Path f) {
    Ui.run(() -> OpenRunHandler.openFile(Ui.page(), f));
    Ui.settle();
    Ui.settle(); // the job posts the view's own read
    return Ui.call(() -> (StateFlowView) Ui.page().findView(StateFlowView.ID));
  }

  private static RunsView runsView() {
    try {
      return (RunsView) Ui.page().showView(RunsView.ID, null, org.eclipse.ui.IWorkbenchPage.VIEW_VISIBLE);
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }

  private Shell openDialog() {
    return Arrays.stream(Display.getDefault().getShells())
        .filter(s -> !s.isDisposed() && s.isVisible() && OpenRunHandler.DIALOG_TITLE.equals(s.getText()))
        .findFirst().orElse(null);
  }

  private Shell awaitDialog() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      Shell s = Ui.call(this::openDialog);
      if (s != null) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + OpenRunHandler.DIALOG_TITLE + "' error dialog");
  }

  private static String labels(Control c) {
    StringBuilder sb = new StringBuilder();
    if (c instanceof Label l) {
      sb.append(l.getText()).append('\n');
    }
    if (c instanceof Composite comp) {
      for (Control child : comp.getChildren()) {
        sb.append(labels(child));
      }
    }
    return sb.toString();
  }

  private static void await(BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!cond.getAsBoolean()) {
      assertTrue(System.currentTimeMillis() < deadline, what);
      Thread.sleep(100);
    }
  }

  private static List<String> list(Path folder) {
    try (Stream<Path> s = Files.list(folder)) {
      return new ArrayList<>(s.map(p -> p.getFileName().toString()).sorted().toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  /** With STATELENS_SCREENSHOTS=dir: the screen as the user sees it, for case {@code only}. */
  private static void shot(String caseName, String png, String only) throws Exception {
    String out = System.getenv("STATELENS_SCREENSHOTS");
    if (out == null || !caseName.equals(only)) {
      return;
    }
    Ui.run(() -> { // no window manager under Xvfb: fill the screen by hand
      var shell = Ui.page().getWorkbenchWindow().getShell();
      shell.setBounds(shell.getDisplay().getBounds());
    });
    Ui.run(() -> {
      for (Shell s : Display.getDefault().getShells()) { // the dialog in front, as it opens
        if (OpenRunHandler.DIALOG_TITLE.equals(s.getText())) {
          s.moveAbove(null);
          s.forceActive();
        }
      }
    });
    Thread.sleep(800);
    ScreenshotTest.capture(Files.createDirectories(Path.of(out)).resolve(png));
  }
}
