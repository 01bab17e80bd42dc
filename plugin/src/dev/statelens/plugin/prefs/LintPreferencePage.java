package dev.statelens.plugin.prefs;

import dev.statelens.lint.Rule;
import dev.statelens.lint.Severity;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.core.resources.IProject;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.preference.PreferencePage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.ui.IWorkbench;
import org.eclipse.ui.IWorkbenchPreferencePage;
import org.eclipse.ui.IWorkbenchPropertyPage;
import org.eclipse.ui.dialogs.PreferencesUtil;

/**
 * Window &gt; Preferences &gt; Java &gt; StateLens (workspace) and Project &gt; Properties &gt;
 * StateLens (per project, saved in the project's {@code .settings/}): each rule on or off and its
 * severity. Saving re-analyzes through {@link SettingsListener}.
 */
public final class LintPreferencePage extends PreferencePage
    implements IWorkbenchPreferencePage, IWorkbenchPropertyPage {

  private static final Severity[] SEVERITIES = Severity.values();

  /** The {@link Rule} an <em>About</em> link opens ({@code Widget.getData(ABOUT_RULE)}). */
  public static final String ABOUT_RULE = "dev.statelens.plugin.aboutRule";

  /** Window &gt; Preferences &gt; Java &gt; StateLens (plugin.xml). */
  public static final String PREFERENCE_PAGE = "dev.statelens.plugin.preferences";

  /** The property page's link to the workspace settings, JDT's words. */
  public static final String CONFIGURE_WORKSPACE = "Configure Workspace Settings...";

  private org.eclipse.core.runtime.IAdaptable element;
  private Button projectSpecific;
  private Button alwaysCheck;
  private final Map<Rule, Button> enabled = new EnumMap<>(Rule.class);
  private final Map<Rule, Combo> severity = new EnumMap<>(Rule.class);

  @Override
  public void init(IWorkbench workbench) {
    setDescription("Side effects in functions handed to jit, grad, vmap and the other transforms, and PRNG "
        + "key reuse and jits made in every loop iteration in all code (SL010, SL011). Turn rules on or off and choose how they are reported; "
        + "Project > Properties > StateLens overrides them per project.");
  }

  @Override
  public org.eclipse.core.runtime.IAdaptable getElement() {
    return element;
  }

  @Override
  public void setElement(org.eclipse.core.runtime.IAdaptable element) {
    this.element = element;
  }

  private IProject project() {
    return element == null ? null : Adapters.adapt(element, IProject.class);
  }

  @Override
  protected Control createContents(Composite parent) {
    Composite root = new Composite(parent, SWT.NONE);
    GridLayoutFactory.fillDefaults().applyTo(root);
    IProject project = project();
    if (project != null) {
      Composite top = new Composite(root, SWT.NONE);
      GridLayoutFactory.fillDefaults().numColumns(2).applyTo(top);
      GridDataFactory.fillDefaults().grab(true, false).applyTo(top);
      projectSpecific = new Button(top, SWT.CHECK);
      projectSpecific.setText("Enable project-specific settings");
      projectSpecific.addListener(SWT.Selection, e -> updateEnablement());
      // as JDT's property pages: the greyed rules are the workspace's, and this is where they are set
      Link workspace = new Link(top, SWT.NONE);
      workspace.setText("<a>" + CONFIGURE_WORKSPACE + "</a>");
      GridDataFactory.swtDefaults().align(SWT.END, SWT.CENTER).grab(true, false).applyTo(workspace);
      workspace.addListener(SWT.Selection, e -> PreferencesUtil.createPreferenceDialogOn(getShell(), PREFERENCE_PAGE,
          new String[] {PREFERENCE_PAGE}, null).open());
      alwaysCheck = new Button(root, SWT.CHECK);
      alwaysCheck.setText("Check this project even if the StateLens engine is not on its build path");
    }
    Group rules = new Group(root, SWT.NONE);
    rules.setText("Rules");
    GridLayoutFactory.swtDefaults().numColumns(3).applyTo(rules);
    GridDataFactory.fillDefaults().grab(true, false).applyTo(rules);
    for (Rule rule : Rule.values()) {
      Button check = new Button(rules, SWT.CHECK);
      check.setText(rule.id() + "  " + rule.title());
      check.setToolTipText(RuleDocs.summary(rule)); // the rule's text, as the docs page has it
      GridDataFactory.fillDefaults().grab(true, false).applyTo(check);
      Combo combo = new Combo(rules, SWT.READ_ONLY | SWT.DROP_DOWN);
      for (Severity s : SEVERITIES) {
        combo.add(LintPreferences.label(s));
      }
      Link about = new Link(rules, SWT.NONE);
      about.setText("<a>About</a>");
      about.setToolTipText("What " + rule.id() + " finds, an example and its fixes");
      about.setData(ABOUT_RULE, rule);
      about.addListener(SWT.Selection, e -> new RuleHelpDialog(getShell(), rule).open());
      enabled.put(rule, check);
      severity.put(rule, combo);
    }
    Label note = new Label(root, SWT.WRAP);
    note.setText("Suppress one finding in code with @SuppressWarnings(\"statelens:SL001\"), "
        + "or all with @SuppressWarnings(\"statelens\"). JDT warns \"Unsupported @SuppressWarnings\" on these "
        + "tokens unless Java > Compiler > Errors/Warnings > Annotations > Unhandled token in "
        + "'@SuppressWarnings' is set to Ignore; the Suppress quick fix sets it on the project.");
    GridDataFactory.fillDefaults().grab(true, false).hint(400, SWT.DEFAULT).applyTo(note);
    load(false);
    return root;
  }

  private void load(boolean defaults) {
    IProject project = project();
    if (project != null) {
      projectSpecific.setSelection(!defaults && LintPreferences.isProjectSpecific(project));
      alwaysCheck.setSelection(!defaults && LintPreferences.alwaysCheck(project));
    }
    for (Rule rule : Rule.values()) {
      boolean on = defaults ? true : LintPreferences.isEnabled(project, rule);
      Severity s = defaults ? rule.defaultSeverity() : LintPreferences.severity(project, rule);
      enabled.get(rule).setSelection(on);
      severity.get(rule).select(s.ordinal());
    }
    updateEnablement();
  }

  private void updateEnablement() {
    boolean editable = projectSpecific == null || projectSpecific.getSelection();
    for (Rule rule : Rule.values()) {
      enabled.get(rule).setEnabled(editable);
      severity.get(rule).setEnabled(editable);
    }
  }

  @Override
  protected void performDefaults() {
    load(true);
    super.performDefaults();
  }

  @Override
  public boolean performOk() {
    IProject project = project();
    IEclipsePreferences node;
    if (project == null) {
      node = LintPreferences.workspace();
    } else {
      node = LintPreferences.project(project);
      node.putBoolean(LintPreferences.ALWAYS_CHECK, alwaysCheck.getSelection());
      if (!projectSpecific.getSelection()) {
        node.putBoolean(LintPreferences.PROJECT_SPECIFIC, false);
        LintPreferences.ruleKeys().forEach(node::remove);
        LintPreferences.flush(node);
        return true;
      }
      node.putBoolean(LintPreferences.PROJECT_SPECIFIC, true);
    }
    for (Rule rule : Rule.values()) {
      LintPreferences.set(node, rule, enabled.get(rule).getSelection(),
          SEVERITIES[Math.max(0, severity.get(rule).getSelectionIndex())]);
    }
    LintPreferences.flush(node);
    return true;
  }
}
