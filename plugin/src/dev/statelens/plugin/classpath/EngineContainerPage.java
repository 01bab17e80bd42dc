package dev.statelens.plugin.classpath;

import org.eclipse.jdt.core.IClasspathEntry;
import org.eclipse.jdt.core.JavaCore;
import org.eclipse.jdt.ui.wizards.IClasspathContainerPage;
import org.eclipse.jdt.ui.wizards.NewElementWizardPage;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

/** Build Path &gt; Add Library &gt; StateLens Engine: nothing to choose, it explains and adds. */
public final class EngineContainerPage extends NewElementWizardPage implements IClasspathContainerPage {

  public EngineContainerPage() {
    super("statelensEngine");
    setTitle("StateLens Engine");
    setDescription("The StateLens engine installed with the plugin, and the libraries it uses.");
  }

  @Override
  public void createControl(Composite parent) {
    Label label = new Label(parent, SWT.WRAP);
    label.setText("Adds the engine (dev.statelens.engine: Array, Transforms, Random, Optim...) and "
        + "SQLite JDBC, Jackson, JFreeChart and picocli from this Eclipse installation to the "
        + "build path. StateLens lints projects that have the engine on their build path.");
    setControl(label);
  }

  @Override
  public boolean finish() {
    return true;
  }

  @Override
  public IClasspathEntry getSelection() {
    return JavaCore.newContainerEntry(EngineContainer.PATH);
  }

  @Override
  public void setSelection(IClasspathEntry containerEntry) {
    // one library, nothing to configure
  }
}
