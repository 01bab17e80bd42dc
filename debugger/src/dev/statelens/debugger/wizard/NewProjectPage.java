package dev.statelens.debugger.wizard;

import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jdt.launching.IVMInstall;
import org.eclipse.jface.wizard.WizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.dialogs.PreferencesUtil;

/**
 * The wizard's one page: the project name, the Java 25 JRE it will use (or why there is none and
 * where to add one), and the template. Incomplete while the name is invalid or no JRE qualifies, so
 * Finish never creates a project that cannot compile.
 */
public final class NewProjectPage extends WizardPage {
  /** JDT's Installed JREs preference page. */
  static final String INSTALLED_JRES_PAGE = "org.eclipse.jdt.debug.ui.preferences.VMPreferencePage";

  private final Supplier<Optional<IVMInstall>> jres;
  private Text name;
  private Label jreLabel;
  private Button[] templateButtons;
  private Optional<IVMInstall> jre = Optional.empty();
  private ProjectTemplate template = ProjectTemplate.LINEAR_REGRESSION;

  /** {@code jres} finds the JRE to use, asked again after the user visits Installed JREs. */
  public NewProjectPage(Supplier<Optional<IVMInstall>> jres) {
    super("statelensProject");
    this.jres = jres;
    setTitle("StateLens Project");
    setDescription("A Java project on the StateLens engine with a training program and its StateLens Training launch.");
  }

  @Override
  public void createControl(Composite parent) {
    Composite page = new Composite(parent, SWT.NONE);
    page.setLayout(new GridLayout(2, false));

    new Label(page, SWT.NONE).setText("&Project name:");
    name = new Text(page, SWT.BORDER);
    name.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    name.addModifyListener(e -> validate());

    new Label(page, SWT.NONE).setText("JRE:");
    jreLabel = new Label(page, SWT.WRAP);
    jreLabel.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    Link configure = new Link(page, SWT.NONE);
    configure.setText("<a>Configure Installed JREs...</a>");
    configure.setLayoutData(new GridData(SWT.END, SWT.CENTER, false, false, 2, 1));
    configure.addListener(SWT.Selection, e -> {
      PreferencesUtil.createPreferenceDialogOn(getShell(), INSTALLED_JRES_PAGE, null, null).open();
      refreshJre();
    });

    Group templates = new Group(page, SWT.NONE);
    templates.setText("Template");
    templates.setLayout(new GridLayout(1, false));
    templates.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, false, 2, 1));
    ProjectTemplate[] all = ProjectTemplate.values();
    templateButtons = new Button[all.length];
    for (int i = 0; i < all.length; i++) {
      ProjectTemplate t = all[i];
      Button b = new Button(templates, SWT.RADIO);
      b.setText(t.label());
      b.setSelection(t == template);
      b.setData(t);
      b.addListener(SWT.Selection, e -> {
        if (b.getSelection()) {
          template = t;
        }
      });
      Label about = new Label(templates, SWT.WRAP);
      GridData aboutData = new GridData(SWT.FILL, SWT.CENTER, true, false);
      aboutData.horizontalIndent = 20;
      aboutData.widthHint = 480;
      about.setLayoutData(aboutData);
      about.setText(t.description() + "\nsrc/" + t.sourcePath());
      templateButtons[i] = b;
    }

    refreshJre();
    setControl(page);
    name.setFocus();
  }

  private void refreshJre() {
    jre = jres.get();
    jreLabel.setText(jre.map(JavaRuntimes::describe).orElse("none with Java " + JavaRuntimes.REQUIRED));
    jreLabel.getParent().layout(true);
    validate();
  }

  /** The JRE problem first (the user cannot finish without one), then the name's. */
  private void validate() {
    String problem = jre.isEmpty() ? JavaRuntimes.MISSING : NewProjectCreator.validateName(name.getText().trim());
    boolean emptyName = name.getText().isBlank() && jre.isPresent();
    // an empty name at the start is not an error yet: the page just waits for one
    setErrorMessage(problem == null || emptyName ? null : problem);
    setPageComplete(problem == null);
  }

  public String projectName() {
    return name.getText().trim();
  }

  public Optional<IVMInstall> jre() {
    return jre;
  }

  public ProjectTemplate template() {
    return template;
  }

  /** Sets the name and template as the user would (tests, screenshots). */
  public void fill(String projectName, ProjectTemplate t) {
    name.setText(projectName);
    for (Button b : templateButtons) {
      b.setSelection(b.getData() == t);
    }
    template = t;
    validate();
  }
}
