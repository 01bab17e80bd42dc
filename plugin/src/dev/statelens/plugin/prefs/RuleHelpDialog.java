package dev.statelens.plugin.prefs;

import dev.statelens.lint.Rule;
import org.eclipse.jface.dialogs.Dialog;
import org.eclipse.jface.dialogs.IDialogConstants;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.resource.JFaceResources;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;

/**
 * A rule's section of the shipped lint documentation ({@link RuleDocs}), opened from the preference
 * page's <em>About</em> link: what the rule finds, why, a before/after example and its fixes. A
 * dialog over the (modal) preference dialog, since an editor opened behind it could not be read
 * until the preferences were closed.
 */
public final class RuleHelpDialog extends Dialog {
  private final Rule rule;

  public RuleHelpDialog(Shell parent, Rule rule) {
    super(parent);
    this.rule = rule;
  }

  @Override
  protected void configureShell(Shell shell) {
    super.configureShell(shell);
    shell.setText(title(rule));
  }

  /** The dialog's title: {@code StateLens rule SL003 (io)}. */
  public static String title(Rule rule) {
    return "StateLens rule " + rule.id() + " (" + rule.slug() + ")";
  }

  @Override
  protected boolean isResizable() {
    return true;
  }

  @Override
  protected Control createDialogArea(Composite parent) {
    Composite area = (Composite) super.createDialogArea(parent);
    Text text = new Text(area, SWT.MULTI | SWT.READ_ONLY | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER);
    text.setFont(JFaceResources.getTextFont()); // the examples are code
    text.setText(RuleDocs.text(rule));
    GridDataFactory.fillDefaults().grab(true, true).hint(convertWidthInCharsToPixels(100),
        convertHeightInCharsToPixels(30)).applyTo(text);
    return area;
  }

  @Override
  protected void createButtonsForButtonBar(Composite parent) {
    createButton(parent, IDialogConstants.OK_ID, IDialogConstants.CLOSE_LABEL, true);
  }
}
