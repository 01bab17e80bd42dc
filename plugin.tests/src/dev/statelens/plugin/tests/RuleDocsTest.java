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
import dev.statelens.test.support.Widgets;
import dev.statelens.test.support.WorkbenchUi;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
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
      // the page's <!-- snippet: given ... --> lines are for DocsSnippetsTest, not for a reader
      assertFalse(RuleDocs.text(rule).contains("<!--") || RuleDocs.text(rule).contains("-->"),
          rule + "'s section shows the page's HTML comments: " + RuleDocs.text(rule));
    }
    assertTrue(RuleDocs.text(Rule.SL001).contains("returns 1, 1, 1):\n" + RuleDocs.CODE_INDENT + "class Counter {"),
        RuleDocs.text(Rule.SL001));
    // *italics* as plain words, as **bold** is
    assertTrue(RuleDocs.text(Rule.SL010).contains("(... drew from 'key', which holds the same key"), RuleDocs.text(Rule.SL010));
    assertTrue(RuleDocs.summary(Rule.SL003).contains("They run at trace time only"), RuleDocs.summary(Rule.SL003));
    String io = RuleDocs.text(Rule.SL003);
    assertTrue(io.contains("\n" + RuleDocs.CODE_INDENT + "var step = Transforms.jit((Array x) -> { Debug.print(\"x = {}\", x)"),
        "the section's example, as code set off from the prose: " + io);
    assertFalse(io.contains("### SL004"), "only SL003's section: " + io);
    // a paragraph is one line, which the dialog wraps: the page's own breaks made ragged lines
    assertTrue(io.contains("System.Logger), Files.*, file and socket streams"), io);
    assertFalse(io.contains("```"), io);
  }

  @Test
  void thePreferencePageShowsTheRulesTextAndOpensItsSection() throws Exception {
    PreferenceDialog prefs = WorkbenchUi.call(() -> PreferencesUtil.createPreferenceDialogOn(
        WorkbenchUi.window(), LintPreferencePage.PREFERENCE_PAGE, null, null));
    Editors.onUi(() -> {
      prefs.setBlockOnOpen(false);
      prefs.open();
    });
    try {
      Button check = WorkbenchUi.call(() -> Widgets.one(prefs.getShell(), Button.class, b -> b.getText().startsWith("SL003 ")));
      String tooltip = WorkbenchUi.call(check::getToolTipText);
      assertEquals(RuleDocs.summary(Rule.SL003), tooltip);
      assertFalse(tooltip.contains("docs/"), tooltip);

      WorkbenchUi.click(WorkbenchUi.call(() -> Widgets.one(prefs.getShell(), Link.class,
          l -> l.getData(LintPreferencePage.ABOUT_RULE) == Rule.SL003)));
      Shell help = WorkbenchUi.awaitShell(s -> s.getText().equals(RuleHelpDialog.title(Rule.SL003)), 10_000);
      assertNotNull(help, "About opened no dialog titled " + RuleHelpDialog.title(Rule.SL003));
      String text = WorkbenchUi.call(() -> Widgets.one(help, Text.class, t -> true).getText());
      assertEquals(RuleDocs.text(Rule.SL003), text);
      Editors.onUi(help::close);
    } finally {
      Editors.onUi(prefs::close);
    }
  }
}
