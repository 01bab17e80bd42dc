package dev.statelens.plugin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.statelens.lint.Rule;
import dev.statelens.plugin.prefs.LintPreferencePage;
import dev.statelens.plugin.prefs.RuleDocs;
import dev.statelens.plugin.prefs.RuleHelpDialog;
import dev.statelens.test.support.WorkbenchUi;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.PreferencesUtil;
import org.junit.jupiter.api.Test;

/**
 * The preference page explains each rule from the lint documentation shipped in the bundle: the
 * check box's tooltip is the rule's text (it was a repository path, {@code docs/lint.md#sl003-io}),
 * and its <em>About</em> link opens the rule's section, example included.
 */
class RuleDocsTest {

  @Test
  void everyRuleHasItsTextFromTheShippedPage() {
    for (Rule rule : Rule.values()) {
      String summary = RuleDocs.summary(rule);
      assertNotEquals(rule.title(), summary, rule + ": no paragraph under its heading in " + RuleDocs.PATH);
      assertFalse(summary.contains("`") || summary.contains("**") || summary.contains("]("),
          rule + "'s tooltip still has Markdown: " + summary);
      assertFalse(summary.contains("see below") || summary.contains(".md"),
          rule + "'s tooltip points into the docs, where a tooltip reader cannot follow: " + summary);
      assertTrue(RuleDocs.text(rule).startsWith(rule.id() + " " + rule.slug() + "\n"), RuleDocs.text(rule));
    }
    assertTrue(RuleDocs.summary(Rule.SL003).contains("They run at trace time only"), RuleDocs.summary(Rule.SL003));
    String io = RuleDocs.text(Rule.SL003);
    assertTrue(io.contains("Debug.print(\"x = {}\", x)"), "the section's example, as code: " + io);
    assertFalse(io.contains("### SL004"), "only SL003's section: " + io);
    // a paragraph is one line, which the dialog wraps: the page's own breaks made ragged lines
    assertTrue(io.contains("System.Logger), Files.*, file and socket streams"), io);
    assertFalse(io.contains("```"), io);
  }

  @Test
  void thePreferencePageShowsTheRulesTextAndOpensItsSection() throws Exception {
    PreferenceDialog prefs = uiCall(() -> PreferencesUtil.createPreferenceDialogOn(
        PlatformUI.getWorkbench().getActiveWorkbenchWindow().getShell(), "dev.statelens.plugin.preferences", null, null));
    Editors.onUi(() -> {
      prefs.setBlockOnOpen(false);
      prefs.open();
    });
    try {
      Button check = uiCall(() -> find(prefs.getShell(), Button.class, b -> b.getText().startsWith("SL003 ")));
      String tooltip = uiCall(check::getToolTipText);
      assertEquals(RuleDocs.summary(Rule.SL003), tooltip);
      assertFalse(tooltip.contains("docs/"), tooltip);

      Link about = uiCall(() -> find(prefs.getShell(), Link.class, l -> l.getData(LintPreferencePage.ABOUT_RULE) == Rule.SL003));
      Display.getDefault().asyncExec(() -> about.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
      Shell help = null;
      for (int i = 0; i < 100 && help == null; i++) {
        WorkbenchUi.settle(100);
        help = uiCall(() -> {
          for (Shell s : Display.getDefault().getShells()) {
            if (s.isVisible() && s.getText().equals(RuleHelpDialog.title(Rule.SL003))) {
              return s;
            }
          }
          return null;
        });
      }
      assertNotNull(help, "About opened no dialog titled " + RuleHelpDialog.title(Rule.SL003));
      Shell shown = help;
      String text = uiCall(() -> find(shown, Text.class, t -> true).getText());
      assertEquals(RuleDocs.text(Rule.SL003), text);
      Editors.onUi(shown::close);
    } finally {
      Editors.onUi(prefs::close);
    }
  }

  private interface Check<T> {
    boolean test(T t);
  }

  private static <T extends Control> T find(Composite parent, Class<T> type, Check<T> check) {
    List<T> found = new ArrayList<>();
    collect(parent, type, check, found);
    assertEquals(1, found.size(), "one " + type.getSimpleName() + " wanted, found " + found);
    return found.get(0);
  }

  private static <T extends Control> void collect(Composite parent, Class<T> type, Check<T> check, List<T> found) {
    for (Control c : parent.getChildren()) {
      if (type.isInstance(c) && check.test(type.cast(c))) {
        found.add(type.cast(c));
      }
      if (c instanceof Composite child) {
        collect(child, type, check, found);
      }
    }
  }

  private static <T> T uiCall(java.util.concurrent.Callable<T> call) {
    AtomicReference<T> result = new AtomicReference<>();
    Editors.onUi(() -> result.set(call.call()));
    return result.get();
  }
}
