package dev.statelens.debugger.prefs;

import java.util.List;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;

/**
 * Window &gt; Preferences &gt; Java &gt; StateLens &gt; Debugger: the default backend of StateLens Training
 * launches ({@link BackendPreference}).
 */
public final class DebuggerPreferencePage extends PreferencePage implements IWorkbenchPreferencePage {
  public static final String ID = "dev.statelens.debugger.preferences";

  /** The combo's values: "" (not set) then {@link BackendPreference#BACKENDS}. */
  static final List<String> VALUES = BackendPreference.choices();
  private static final String[] LABELS = BackendPreference.choiceLabels("not set (STATELENS_BACKEND, else cpu)");

  private Combo backend;

  @Override
  public void init(IWorkbench workbench) {
    setDescription("Settings of the StateLens state debugger and its StateLens Training launches.");
  }

  @Override
  protected Control createContents(Composite parent) {
    Composite root = new Composite(parent, SWT.NONE);
    GridLayoutFactory.fillDefaults().numColumns(2).applyTo(root);
    new Label(root, SWT.NONE).setText("Default backend for StateLens launches:");
    backend = new Combo(root, SWT.READ_ONLY | SWT.DROP_DOWN);
    backend.setItems(LABELS);
    backend.select(Math.max(0, VALUES.indexOf(BackendPreference.get())));
    Label hint = new Label(root, SWT.WRAP);
    hint.setText("Where a launch's jitted code runs when its StateLens tab says \"default\"; a launch's own "
        + "Backend setting wins. auto uses a GPU when one works (ROCm, then CUDA), else cpu; an explicit cuda or "
        + "rocm stops the program with the engine's message when that GPU is missing. Not set: the launched "
        + "program reads STATELENS_BACKEND, else runs on cpu.");
    GridDataFactory.fillDefaults().span(2, 1).grab(true, false).hint(420, SWT.DEFAULT).indent(0, 6).applyTo(hint);
    return root;
  }

  /** The backend chosen on the page ("" = not set); for tests. */
  public String chosen() {
    return VALUES.get(Math.max(0, backend.getSelectionIndex()));
  }

  /** Chooses a backend on the page ("" = not set), as the user would; for tests. */
  public void choose(String value) {
    backend.select(Math.max(0, VALUES.indexOf(value == null ? "" : value)));
  }

  @Override
  public void performDefaults() { // public: Restore Defaults, also for tests
    backend.select(0);
    super.performDefaults();
  }

  @Override
  public boolean performOk() {
    BackendPreference.set(chosen());
    return true;
  }
}
