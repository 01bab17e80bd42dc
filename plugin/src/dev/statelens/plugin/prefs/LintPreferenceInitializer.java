package dev.statelens.plugin.prefs;

import dev.statelens.lint.Rule;
import org.eclipse.core.runtime.preferences.AbstractPreferenceInitializer;
import org.eclipse.core.runtime.preferences.IEclipsePreferences;

/** Defaults: every rule on, at the severity the lint module gives it. */
public final class LintPreferenceInitializer extends AbstractPreferenceInitializer {

  @Override
  public void initializeDefaultPreferences() {
    IEclipsePreferences defaults = LintPreferences.defaults();
    for (Rule rule : Rule.values()) {
      defaults.putBoolean(LintPreferences.enabledKey(rule), true);
      defaults.put(LintPreferences.severityKey(rule), rule.defaultSeverity().label());
    }
  }
}
