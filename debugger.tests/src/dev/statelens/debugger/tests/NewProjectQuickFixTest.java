package dev.statelens.debugger.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.debugger.launch.TrainingLaunchDelegate;
import dev.statelens.debugger.wizard.JavaRuntimes;
import dev.statelens.debugger.wizard.NewProjectCreator;
import dev.statelens.debugger.wizard.ProjectTemplate;
import dev.statelens.engine.record.store.RunStore;
import dev.statelens.test.support.TestJavaProjects;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IncrementalProjectBuilder;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.ui.IMarkerResolution;
import org.eclipse.ui.ide.IDE;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quick fixes on the program File &gt; New &gt; StateLens Project makes, the way a newcomer breaks
 * it: a field written inside the template's jitted step, a lambda kept in a local. The walk saw
 * only "Suppress" there: explicit state was offered for jitted methods only. Now the SL001 marker
 * offers both; the conversion builds clean in that project (its JRE, the StateLens Engine library)
 * and the converted program trains and records its run. An {@code int} counter (the walk's
 * {@code tracedSteps++}) still offers only Suppress: an int cannot go through jit as state.
 */
class NewProjectQuickFixTest {
  private static final String WRITE_AT = "      Pair<Array, Params> lossAndGrads = lossAndGrad.apply(state.params(), b);";
  private static final String FIELDS_AT = "  static final int STEPS = 200;";

  @TempDir
  Path dir;

  private NewProjectCreator.Created created;
  private ILaunch launch;
  private final StringBuffer captured = new StringBuffer();

  @AfterEach
  void cleanUp() throws Exception {
    TrainingLaunchEndToEndTest.endLaunch(launch);
    Ui.run(() -> Ui.page().closeAllEditors(false));
    if (created != null) {
      if (created.launch().exists()) {
        created.launch().delete();
      }
      created.project().getProject().delete(true, true, null);
    }
  }

  @Test
  void aFieldWrittenInTheJittedStepIsConvertedToExplicitStateAndTheProgramStillTrains() throws Exception {
    created = create("sl-fix-explicit");
    String clean = TestJavaProjects.read(created.source());
    String broken = clean.replace(FIELDS_AT, "  static Array calls = Array.scalar(0);\n" + FIELDS_AT)
        .replace(WRITE_AT, "      calls = calls.add(1);\n" + WRITE_AT);
    assertTrue(broken.contains("static Array calls") && broken.contains("calls = calls.add(1);"),
        "the template still has the lines the test edits");
    IMarker marker = brokenMarker(broken);
    List<String> labels = labels(marker);
    assertTrue(labels.contains("Convert to explicit state (StateLens)")
        && labels.contains("Suppress SL001 with @SuppressWarnings (StateLens)"), labels.toString());

    resolution(marker, "Convert to explicit state").run(marker);
    String fixed = TestJavaProjects.read(created.source());
    assertTrue(fixed.contains("private record StepState(Array calls) {}"), fixed);
    assertTrue(fixed.contains("Recorder.argNames(step, \"stepState\", \"state\", \"batch\");"), fixed);
    created.project().getProject().build(IncrementalProjectBuilder.FULL_BUILD, null);
    assertEquals(List.of(), TestJavaProjects.compileErrors(created.project()), fixed);
    List<IMarker> left = TestJavaProjects.markers(created.project().getProject(), NewProjectWizardTest.MARKER);
    assertEquals("", TestJavaProjects.describe(left), "nothing left to report");

    Path db = dir.resolve("fixed.db");
    IProcess process = launchToEnd(db);
    String output = output(process);
    assertEquals(0, process.getExitValue(), output);
    assertTrue(output.contains("fitted: weight 1.9"), output);
    try (RunStore store = RunStore.open(db)) {
      assertEquals(200, store.calls("step", 0, Long.MAX_VALUE).size(), "every step recorded");
    }
  }

  @Test
  void theWalksIntCounterOffersOnlySuppress() throws Exception {
    created = create("sl-fix-int");
    String clean = TestJavaProjects.read(created.source());
    String broken = clean.replace(FIELDS_AT, "  static int tracedSteps;\n" + FIELDS_AT)
        .replace(WRITE_AT, "      tracedSteps++;\n" + WRITE_AT);
    assertTrue(broken.contains("static int tracedSteps") && broken.contains("tracedSteps++;"),
        "the template still has the lines the test edits");
    IMarker marker = brokenMarker(broken);
    assertEquals(List.of("Suppress SL001 with @SuppressWarnings (StateLens)"), labels(marker),
        "an int field cannot be a jit argument (the engine's pytrees hold arrays)");
  }

  private static NewProjectCreator.Created create(String name) throws Exception {
    TestJavaProjects.disableAutoBuild();
    return NewProjectCreator.create(name, ProjectTemplate.LINEAR_REGRESSION, JavaRuntimes.pick().orElseThrow(),
        new NullProgressMonitor());
  }

  /** Saves {@code broken} as the program, builds, and returns its one StateLens marker (SL001). */
  private IMarker brokenMarker(String broken) throws Exception {
    created.source().setContents(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)), IResource.FORCE, null);
    created.project().getProject().build(IncrementalProjectBuilder.FULL_BUILD, null);
    assertEquals(List.of(), TestJavaProjects.compileErrors(created.project()));
    List<IMarker> markers = TestJavaProjects.markers(created.project().getProject(), NewProjectWizardTest.MARKER);
    assertEquals(1, markers.size(), TestJavaProjects.describe(markers));
    assertTrue(markers.get(0).getAttribute(IMarker.MESSAGE, "").startsWith("[SL001]")
        || markers.get(0).getAttribute(IMarker.MESSAGE, "").contains("SL001"), TestJavaProjects.describe(markers));
    return markers.get(0);
  }

  private static List<String> labels(IMarker marker) {
    List<String> labels = new ArrayList<>();
    for (IMarkerResolution r : Ui.call(() -> IDE.getMarkerHelpRegistry().getResolutions(marker))) {
      labels.add(r.getLabel());
    }
    return labels;
  }

  private static IMarkerResolution resolution(IMarker marker, String prefix) {
    IMarkerResolution[] all = Ui.call(() -> IDE.getMarkerHelpRegistry().getResolutions(marker));
    return Arrays.stream(all).filter(r -> r.getLabel().startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no '" + prefix + "' among " + labels(marker)));
  }

  private IProcess launchToEnd(Path db) throws Exception {
    ILaunchConfigurationWorkingCopy wc = created.launch().getWorkingCopy();
    wc.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, db.toString());
    launch = wc.launch(ILaunchManager.RUN_MODE, null, false);
    IProcess process = launch.getProcesses()[0];
    process.getStreamsProxy().getOutputStreamMonitor().addListener((text, monitor) -> captured.append(text));
    process.getStreamsProxy().getErrorStreamMonitor().addListener((text, monitor) -> captured.append(text));
    TrainingLaunchEndToEndTest.await("the program's end", 90_000, launch::isTerminated, () -> output(process));
    return process;
  }

  private String output(IProcess process) {
    var streams = process.getStreamsProxy();
    return streams.getOutputStreamMonitor().getContents() + streams.getErrorStreamMonitor().getContents() + captured;
  }
}
