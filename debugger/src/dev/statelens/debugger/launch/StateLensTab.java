package dev.statelens.debugger.launch;

import dev.statelens.debugger.prefs.BackendPreference;
import dev.statelens.debugger.ui.Images;
import dev.statelens.engine.record.store.Schema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.ui.AbstractLaunchConfigurationTab;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.JFacePreferences;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The "StateLens" tab of a StateLens Training configuration: where the run is recorded
 * ({@link TrainingLaunchDelegate#ATTR_RUN_FILE}, empty for a new file in the workspace per launch)
 * and whether Run As pauses before the first jitted call
 * ({@link TrainingLaunchDelegate#ATTR_PAUSE_AT_START}). Defaults are stored as absent attributes,
 * so opening the dialog on a configuration the shortcut made does not mark it changed.
 */
public final class StateLensTab extends AbstractLaunchConfigurationTab {
  public static final String ID = "dev.statelens.debugger.training.stateLensTab";

  private Text runFile;
  private Button pauseAtStart;
  private org.eclipse.swt.widgets.Combo backend;
  /** The Backend choices: the attribute's value (absent for the first) and the label shown. */
  public static final String[] BACKENDS = BackendPreference.choices().toArray(String[]::new);
  private static final String[] BACKEND_LABELS = BackendPreference.choiceLabels("default");

  /** "default: auto (Preferences > StateLens > Debugger)": which backend "default" will use now. */
  public static String defaultLabel() {
    return "default: " + BackendPreference.forDefault().describe();
  }

  @Override
  public void createControl(Composite parent) {
    Composite root = new Composite(parent, SWT.NONE);
    GridLayoutFactory.swtDefaults().applyTo(root);
    setControl(root);

    Group recording = group(root, "Recording");
    GridLayoutFactory.swtDefaults().numColumns(2).applyTo(recording);
    new Label(recording, SWT.NONE).setText("Run file (.db):");
    GridDataFactory.fillDefaults().span(2, 1).applyTo(recording.getChildren()[0]);
    runFile = new Text(recording, SWT.SINGLE | SWT.BORDER);
    runFile.setMessage("<workspace>/runs/<configuration>-<time>.db");
    GridDataFactory.fillDefaults().grab(true, false).hint(360, SWT.DEFAULT).applyTo(runFile);
    runFile.addModifyListener(e -> updateLaunchConfigurationDialog());
    Button browse = createPushButton(recording, "Browse…", null);
    browse.addListener(SWT.Selection, e -> browse());
    hint(recording, 2, "Empty: a new file under <workspace>/runs/ for each launch, opened in the State Flow view. "
        + "A run file that exists keeps its run: it is moved aside to <name>-<yyyyMMdd-HHmmss>.db.");

    Group control = group(root, "Live control");
    GridLayoutFactory.swtDefaults().applyTo(control);
    pauseAtStart = new Button(control, SWT.CHECK);
    pauseAtStart.setText("Pause before the first jitted call");
    pauseAtStart.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
    hint(control, 1, "Debug As > StateLens Training always pauses there; this makes Run As pause too. "
        + "Step, resume and break on NaN from the Debug view or the State Flow view's Live row.");

    // one row, no group: the tab must fit the Run Configurations dialog's default height
    Composite compute = new Composite(root, SWT.NONE);
    GridLayoutFactory.swtDefaults().numColumns(2).applyTo(compute);
    new Label(compute, SWT.NONE).setText("Backend:");
    backend = new org.eclipse.swt.widgets.Combo(compute, SWT.READ_ONLY | SWT.DROP_DOWN);
    backend.setItems(BACKEND_LABELS);
    backend.setItem(0, defaultLabel());
    backend.select(0);
    backend.setToolTipText("Where jitted code runs: -Dstatelens.backend for this launch. default: the workspace's "
        + "default backend (" + BackendPreference.PAGE_PATH + "), else STATELENS_BACKEND, else cpu. "
        + "An explicit cuda or rocm is never silently replaced by cpu.");
    backend.addListener(SWT.Selection, e -> updateLaunchConfigurationDialog());
  }

  private static Group group(Composite parent, String title) {
    Group g = new Group(parent, SWT.NONE);
    g.setText(title);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(g);
    return g;
  }

  private static void hint(Composite parent, int span, String text) {
    Label l = new Label(parent, SWT.WRAP);
    l.setText(text);
    Color hint = JFaceResources.getColorRegistry().get(JFacePreferences.QUALIFIER_COLOR); // the theme's grey
    l.setForeground(hint != null ? hint : parent.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
    GridDataFactory.fillDefaults().span(span, 1).grab(true, false).hint(360, SWT.DEFAULT).applyTo(l);
  }

  private void browse() {
    FileDialog d = new FileDialog(getShell(), SWT.SAVE);
    d.setText("StateLens Run File");
    d.setFilterExtensions(new String[] {"*.db", "*"});
    d.setFilterNames(new String[] {"StateLens runs (*.db)", "All files"});
    String current = runFile.getText().trim();
    if (!current.isEmpty()) {
      try {
        Path p = Path.of(current);
        if (p.getParent() != null) {
          d.setFilterPath(p.getParent().toString());
        }
        d.setFileName(String.valueOf(p.getFileName()));
      } catch (InvalidPathException e) {
        // start from the dialog's own folder
      }
    }
    String chosen = d.open();
    if (chosen != null) {
      runFile.setText(chosen.endsWith(".db") ? chosen : chosen + ".db");
    }
  }

  @Override
  public void setDefaults(ILaunchConfigurationWorkingCopy config) {
    config.removeAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE);
    config.removeAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START);
    config.removeAttribute(TrainingLaunchDelegate.ATTR_BACKEND);
    TrainingLaunchDelegate.useTrainingProcessFactory(config); // a new configuration: the Console without the JVM's warning
  }

  @Override
  public void initializeFrom(ILaunchConfiguration config) {
    try {
      runFile.setText(config.getAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, ""));
      pauseAtStart.setSelection(config.getAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, false));
      int b = java.util.Arrays.asList(BACKENDS).indexOf(config.getAttribute(TrainingLaunchDelegate.ATTR_BACKEND, ""));
      backend.setItem(0, defaultLabel()); // the preference may have changed since the tab was made
      backend.select(Math.max(0, b));
    } catch (CoreException e) {
      setErrorMessage("Cannot read the StateLens settings: " + e.getMessage());
    }
  }

  @Override
  public void performApply(ILaunchConfigurationWorkingCopy config) {
    String file = runFile.getText().trim();
    if (file.isEmpty()) {
      config.removeAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE);
    } else {
      config.setAttribute(TrainingLaunchDelegate.ATTR_RUN_FILE, file);
    }
    if (pauseAtStart.getSelection()) {
      config.setAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START, true);
    } else {
      config.removeAttribute(TrainingLaunchDelegate.ATTR_PAUSE_AT_START);
    }
    int b = backend.getSelectionIndex();
    if (b <= 0) {
      config.removeAttribute(TrainingLaunchDelegate.ATTR_BACKEND);
    } else {
      config.setAttribute(TrainingLaunchDelegate.ATTR_BACKEND, BACKENDS[b]);
    }
  }

  @Override
  public boolean isValid(ILaunchConfiguration config) {
    setErrorMessage(null);
    setMessage(null);
    String problem = runFileProblem(runFile.getText());
    setErrorMessage(problem);
    return problem == null;
  }

  /**
   * What is wrong with run file {@code text} (blank = the default), as a sentence saying what to
   * fix; null when it can be recorded to (the launch creates missing folders).
   */
  public static String runFileProblem(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    Path p;
    try {
      p = Path.of(t);
    } catch (InvalidPathException e) {
      return "Run file: '" + t + "' is not a valid path (" + e.getReason() + "); fix it or leave it empty for a new "
          + "file under <workspace>/runs/.";
    }
    if (!p.isAbsolute()) {
      return "Run file: '" + t + "' is a relative path; give an absolute path (Browse…) or leave it empty for a "
          + "new file under <workspace>/runs/.";
    }
    if (Files.isDirectory(p)) {
      return "Run file: " + t + " is a folder; name a .db file inside it, e.g. " + p.resolve("run.db") + ".";
    }
    if (!p.getFileName().toString().endsWith(".db") || p.getFileName().toString().equals(".db")) {
      return "Run file: '" + p.getFileName() + "' is not a .db name; a StateLens run is one SQLite file named "
          + "like training.db.";
    }
    Path folder = p.getParent();
    Path existing = folder;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      return "Run file: cannot create the folder " + folder + " (" + existing + " is not a folder); choose another "
          + "folder.";
    }
    if (!Files.isWritable(existing)) {
      return "Run file: the folder " + existing + " is not writable" + (existing.equals(folder) ? "" : " (the launch "
          + "would create " + folder + " in it)") + "; choose a folder you can write to.";
    }
    if (Files.exists(p) && !Files.isWritable(p)) {
      return "Run file: " + p + " exists and is read-only; choose another name or make it writable.";
    }
    if (Files.isRegularFile(p) && !isRunStoreOrEmpty(p)) {
      return "Run file: " + p + " exists and is not a StateLens run, so recording would not replace it; "
          + "choose another name.";
    }
    return null;
  }

  /** As the recorder decides whether it may replace a file: empty, or SQLite with the run store's application id. */
  private static boolean isRunStoreOrEmpty(Path p) {
    try (var in = Files.newInputStream(p)) {
      byte[] header = in.readNBytes(100);
      if (header.length == 0) {
        return true;
      }
      if (header.length < 100 || !new String(header, 0, 15, StandardCharsets.US_ASCII).equals("SQLite format 3")) {
        return false;
      }
      int appId = ByteBuffer.wrap(header, 68, 4).getInt(); // SQLite header: application_id, big-endian
      return appId == Schema.APPLICATION_ID || (appId == 0 && Files.exists(Path.of(p + "-wal")));
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String getName() {
    return "StateLens";
  }

  @Override
  public String getId() {
    return ID;
  }

  @Override
  public Image getImage() {
    return Images.icon(Images.TRAINING);
  }
}
